"""Schema of the SQLite store, as an ordered list of migrations.

PRAGMA user_version holds how many migrations have been applied; opening a store applies the rest
in one transaction each. Never edit a released migration: append a new one.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the whole first schema
    """
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        inputs TEXT NOT NULL DEFAULT '[]',
        n_new INTEGER NOT NULL DEFAULT 0,
        n_problems INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE problems (
        problem_id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER REFERENCES runs(run_id),
        path TEXT NOT NULL,
        line INTEGER,
        article_id TEXT,
        problem TEXT NOT NULL
    );
    CREATE TABLE articles (
        article_id TEXT PRIMARY KEY,
        source_path TEXT NOT NULL,
        fmt TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        url TEXT,
        outlet TEXT,
        wire TEXT,
        published_meta TEXT,
        published TEXT,
        published_source TEXT NOT NULL DEFAULT 'none',
        story_id TEXT,
        words INTEGER NOT NULL DEFAULT 0,
        boilerplate TEXT NOT NULL DEFAULT '[]',
        captions TEXT NOT NULL DEFAULT '[]',
        content_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(run_id)
    );
    CREATE TABLE docs (
        article_id TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL,
        doc BLOB NOT NULL
    );
    CREATE TABLE mentions (
        article_id TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
        context_hash TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE stories (
        story_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        origin_article_id TEXT NOT NULL,
        article_ids TEXT NOT NULL,
        lineage TEXT NOT NULL
    );
    CREATE TABLE events (
        event_id TEXT PRIMARY KEY,
        event_date TEXT,
        time_precision INTEGER,
        event_type TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        actor1 TEXT, actor2 TEXT,
        country TEXT, admin1 TEXT, admin2 TEXT, location TEXT,
        latitude REAL, longitude REAL, geo_precision INTEGER,
        fatalities INTEGER, fatalities_max INTEGER,
        claim_status TEXT,
        n_reports INTEGER, n_independent_sources INTEGER,
        article_ids TEXT NOT NULL DEFAULT '[]',
        sources TEXT NOT NULL DEFAULT '[]',
        notes TEXT,
        evidence TEXT NOT NULL DEFAULT '[]',
        mention_keys TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX events_date ON events(event_date);
    CREATE TABLE quotes (
        quote_id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL,
        speaker TEXT, speaker_canonical TEXT, speaker_role TEXT,
        kind TEXT, stance TEXT, text TEXT NOT NULL
    );
    CREATE TABLE contradictions (
        contradiction_id INTEGER PRIMARY KEY AUTOINCREMENT,
        subject TEXT, field TEXT,
        value_a TEXT, sources_a TEXT, value_b TEXT, sources_b TEXT, kind TEXT
    );
    CREATE TABLE control (
        control_id INTEGER PRIMARY KEY AUTOINCREMENT,
        place TEXT, admin1 TEXT, admin2 TEXT, date TEXT, holder TEXT, status TEXT,
        event_ids TEXT NOT NULL DEFAULT '[]'
    );
    """,
    # 2: cached sentence embeddings, so incremental runs embed only new texts
    """
    CREATE TABLE embeddings (
        key TEXT PRIMARY KEY,
        vector BLOB NOT NULL
    );
    """,
    # 3: the publication date an article gives by itself (before its story completes it), kept
    # with its parse so that later runs need not re-read the text for it
    """
    ALTER TABLE docs ADD COLUMN own_date TEXT;
    """,
    # 4: what each story's lineage was computed from, so that a run reuses the lineage of
    # stories whose members, texts and dates are unchanged
    """
    ALTER TABLE stories ADD COLUMN lineage_key TEXT;
    """,
    # 5: the internal trace gets its own column (`notes` is now the ACLED-style summary, written
    # from the fields when read); actor types for ACLED's inter1/inter2; when each event changed
    """
    ALTER TABLE events RENAME COLUMN notes TO trace;
    ALTER TABLE events ADD COLUMN inter1 TEXT;
    ALTER TABLE events ADD COLUMN inter2 TEXT;
    ALTER TABLE events ADD COLUMN timestamp INTEGER;
    """,
    # 6: ACLED's associated actors of actor1 and actor2
    """
    ALTER TABLE events ADD COLUMN assoc_actor_1 TEXT;
    ALTER TABLE events ADD COLUMN assoc_actor_2 TEXT;
    """,
    # 7: what an update needs to touch only what is new (issue 22). fusion_articles: per article
    # the state its mentions were fused in (pipeline's fusion key); fusion_mentions: each incident
    # mention as fusion read it, with its event; fusion_blocks: the blocks and date windows fusion
    # compares mentions in, so a new mention finds its candidates without reading the store;
    # fact_claims: the figures and border statements each article gives, for contradictions;
    # contradictions.scope: what a contradiction is about (an event, a story, a place), so an
    # update replaces only the touched ones; changes: the change log of every update;
    # quotes.read_canonical/read_role: a quote's speaker as its article gives it, before the
    # store-wide canonicalisation (which an update runs again over every quote);
    # story_index / story_bands: per article its lead embedding (float16), day and MinHash
    # signature, and the signature's LSH band keys, so new articles find candidate stories
    # (copies, near neighbours within the days a story spans) without reading stored texts;
    # meta: what the stored caches were computed with (stories.index.INDEX_VERSION ...)
    """
    CREATE TABLE fusion_articles (
        article_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        placeless INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE fusion_mentions (
        article_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        mention_key TEXT NOT NULL,
        event_id TEXT,
        denied_by TEXT NOT NULL DEFAULT '',
        root TEXT NOT NULL DEFAULT '',
        inherited INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        PRIMARY KEY (article_id, seq)
    );
    CREATE INDEX fusion_mentions_event ON fusion_mentions(event_id);
    CREATE TABLE fusion_blocks (
        block TEXT NOT NULL,
        lo TEXT,
        hi TEXT,
        article_id TEXT NOT NULL,
        seq INTEGER NOT NULL
    );
    CREATE INDEX fusion_blocks_block ON fusion_blocks(block, lo);
    CREATE INDEX fusion_blocks_mention ON fusion_blocks(article_id, seq);
    CREATE TABLE fact_claims (
        article_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        story_id TEXT,
        key TEXT NOT NULL,
        country_wide INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL
    );
    CREATE INDEX fact_claims_article ON fact_claims(article_id);
    CREATE INDEX fact_claims_key ON fact_claims(kind, key);
    CREATE INDEX fact_claims_story ON fact_claims(story_id);
    ALTER TABLE contradictions ADD COLUMN scope TEXT;
    CREATE INDEX contradictions_scope ON contradictions(scope);
    CREATE INDEX control_place ON control(place);
    CREATE INDEX events_place ON events(location, admin1);
    CREATE TABLE changes (
        change_id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER REFERENCES runs(run_id),
        at TEXT NOT NULL,
        change TEXT NOT NULL,
        event_id TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX changes_run ON changes(run_id);
    ALTER TABLE quotes ADD COLUMN read_canonical TEXT;
    ALTER TABLE quotes ADD COLUMN read_role TEXT;
    CREATE TABLE story_index (
        article_id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        story_id TEXT,
        day INTEGER,
        lead BLOB NOT NULL,
        signature BLOB NOT NULL
    );
    CREATE INDEX story_index_day ON story_index(day);
    CREATE INDEX story_index_story ON story_index(story_id);
    CREATE TABLE story_bands (
        band INTEGER NOT NULL,
        key INTEGER NOT NULL,
        article_id TEXT NOT NULL
    );
    CREATE INDEX story_bands_key ON story_bands(band, key);
    CREATE INDEX story_bands_article ON story_bands(article_id);
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
