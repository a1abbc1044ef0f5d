"""The fuse step of a run, incremental: fuse what is new, keep what it does not touch.

    stories + stored mentions -> which articles changed (fusion state) -> their stories, whole
      -> the stored mentions they may join (store's fusion blocks), closed under compatibility
      -> fuse those -> events (ids kept), quotes, contradictions of the touched events, stories
         and places, control of the touched places, change log -> store (one transaction)

Every other event keeps its row, id and timestamp. A first run is the same step with every
article changed. See fuse.incremental for why re-fusing the touched sets gives what a full
fusion would.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from sitroom import fuse, quotes, serial
from sitroom.fuse.contradictions import (
    BorderStatement,
    QuantityClaim,
    border_statements,
    claim_denials,
    fact_contradictions,
    number_contradictions,
    quantity_claims,
)
from sitroom.fuse.events import (
    compatible,
    fuse_prepared,
    fusion_inputs,
    incidents,
    mention_key,
    place_key,
    story_roots,
)
from sitroom.fuse.incremental import article_states, blocks_of, event_changes, window_bounds
from sitroom.fuse.rules import fuse_rules
from sitroom.records import ArticleMentions, Contradiction, FusedMention, Story
from sitroom.store import FusionUpdate, IndexedMention, Store
from sitroom.versions import FUSION_VERSION

log = logging.getLogger(__name__)


@dataclass
class FuseSummary:
    n_events: int = 0  # in the store after the update
    n_refused_mentions: int = 0  # mentions fused again (new, changed, or met by those)
    added: int = 0
    changed: int = 0
    merged: int = 0
    retired: int = 0


def fuse_update(store: Store, stories_: list[Story], fresh: set[str] | frozenset[str] = frozenset(),
                run_id: int | None = None, complete: bool = True) -> FuseSummary:
    """Fuse the mentions of articles whose fusion state changed (and what they touch).

    stories_: every story of the store (complete), or only those an update regrouped (the
    others are unchanged, and their articles' story keys are read from the fusion index)."""
    max_gap = int(fuse_rules()["fusion"]["max_day_gap"])
    roots, story_of = story_roots(stories_)
    states = article_states(stories_, story_of, store.mention_contexts(), store.article_hashes(),
                            FUSION_VERSION)
    stored = store.fusion_states()
    if not stored and store.count_events():
        stored = {}  # a store fused before the index existed: everything is fused again
    changed = {a for a, s in states.items() if stored.get(a) != s}
    gone = sorted(a for a in stored if a not in states) if complete else []
    if not changed and not gone:
        return FuseSummary(n_events=store.count_events())
    # A report that names no place takes one from the copies of its origin (inherit_places):
    # such reports of a changed article's origin, before and after, are fused again too, and the
    # other copies are read for the places they lend.
    everything = complete and not stored
    dirty = set(changed)
    donors: list[ArticleMentions] = []
    if not everything:
        origins = {story_of[a] for a in changed if a in story_of}
        origins |= {r.root for r in store.fused_mentions_of_articles(sorted(changed | set(gone)))}
        copies = {a for a in states if story_of.get(a) in origins} - changed
        dirty |= store.fused_article_flags(sorted(copies))
        donors = list(store.mentions_for(sorted(copies - dirty)).values())
    replaced = dirty | set(gone)

    mentions = [m for _, m in sorted(store.mentions_for(sorted(dirty)).items())]
    changed_quotes = _canonical_quotes(store, mentions, replaced)
    prepared = fusion_inputs(mentions, story_of, donors)
    placeless = {aid for aid, _, m in incidents(mentions) if place_key(m) == "none:"}

    # the re-fused set: the new mentions, the stored events they had, and every stored mention
    # compatible with one in the set (closed)
    chosen: dict[tuple[str, int], IndexedMention] = {
        (f.article_id, f.seq): IndexedMention(f, None, story_of.get(f.article_id, f.article_id))
        for f in prepared}

    def known_story(row: IndexedMention) -> None:
        # a stored mention of a story this update did not regroup: its story key as stored
        if row.fused.article_id not in story_of and row.root:
            story_of[row.fused.article_id] = row.root
            roots.setdefault(row.fused.article_id, row.root)
    old_rows = store.fused_mentions_of_articles(sorted(replaced)) if stored else []
    touched = {r.event_id for r in old_rows if r.event_id}
    frontier: list[FusedMention] = list(prepared)
    seen_events: set[str] = set()

    def take_events(ids: set[str]) -> None:
        new = ids - seen_events
        seen_events.update(new)
        for row in store.fused_mentions_of_events(sorted(new)):
            key = (row.fused.article_id, row.fused.seq)
            if row.fused.article_id not in replaced and key not in chosen:
                known_story(row)
                chosen[key] = row
                frontier.append(row.fused)

    take_events(touched)
    loaded: dict[tuple[str, int], IndexedMention] = {}  # stored mentions read so far
    while frontier and not everything:
        f = frontier.pop()
        lo, hi = window_bounds(f.mention, max_gap)
        for block in blocks_of(f.mention):
            keys = [k for k in store.fusion_candidates(block, lo, hi)
                    if k[0] not in replaced and k not in chosen]
            for row in store.fused_mentions_by_keys([k for k in keys if k not in loaded]):
                loaded[(row.fused.article_id, row.fused.seq)] = row
            for key in keys:
                row = loaded.get(key)
                if row is None or key in chosen:
                    continue
                known_story(row)
                if compatible(f.mention, row.fused.mention, max_gap, story_of):
                    chosen[key] = row
                    frontier.append(row.fused)
                    if row.event_id:
                        take_events({row.event_id})
    previous_ids = touched | {r.event_id for r in chosen.values() if r.event_id}
    if everything:
        # every mention is fused again: every stored event is replaced (a store fused before
        # the index existed has events no indexed mention points to), keeping ids that still fit
        previous_ids |= store.event_ids()
    previous = store.events_by_ids(sorted(previous_ids))
    kept = store.event_ids() - previous_ids
    members = sorted({k[0] for k in chosen})
    sources = {a.article_id: a for a in store.iter_articles(members, texts=False)}
    fused = fuse_prepared([r.fused for r in chosen.values()], roots, story_of, previous,
                          sources, kept)
    owner = {k: e.event_id for e in fused for k in e.mention_keys}
    indexed = []
    for row in chosen.values():
        lo, hi = window_bounds(row.fused.mention, max_gap)
        indexed.append(IndexedMention(row.fused, owner.get(mention_key(row.fused.mention)),
                                      story_of.get(row.fused.article_id, row.fused.article_id),
                                      [(b, lo, hi) for b in blocks_of(row.fused.mention)]))

    claims, contradictions = _contradictions(store, mentions, replaced, stories_, previous, fused)
    places = sorted({e.location or e.admin1 for e in previous + fused} - {"", None})
    at_places = [e for e in store.events_at_places(places) if e.event_id not in previous_ids]
    control = fuse.control_timeline(at_places + fused)
    changes = event_changes(previous, fused, set(fresh))
    store.save_fusion(FusionUpdate(
        retired_ids=sorted(previous_ids), events=fused, mentions=indexed,
        dirty_articles=sorted(dirty), states={a: states[a] for a in dirty},
        placeless=placeless & dirty, gone_articles=gone,
        quotes=changed_quotes, claims=claims, contradictions=contradictions,
        control_places=places, control=[c for c in control if c.place in set(places)],
        changes=[(c.change, c.event_id, c.detail) for c in changes], run_id=run_id))
    counts = defaultdict(int)
    for c in changes:
        counts[c.change] += 1
    log.info("fusion: %d article(s) changed, %d mention(s) fused again, %d event(s) kept",
             len(dirty), len(chosen), len(kept))
    return FuseSummary(n_events=store.count_events(), n_refused_mentions=len(chosen),
                       added=counts["added"], changed=counts["changed"],
                       merged=counts["merged"], retired=counts["retired"])


def _canonical_quotes(store: Store, mentions: list[ArticleMentions], replaced: set[str]
                      ) -> list[tuple[quotes.Quote, str, str]]:
    """Canonical speakers over every quote (a name's spellings are read across the store), set
    in place on the new quotes; returns those and the stored ones whose canonical speaker or
    role changed (what the store must write), each with its speaker as its article read it."""
    stored = store.stored_quotes(exclude=replaced)
    before = {q.quote_id: (q.speaker_canonical, q.speaker_role) for q, _, _ in stored}
    new = [(q, q.speaker_canonical, q.speaker_role) for m in mentions for q in m.quotes]
    for q, canonical, role in stored:  # the input as read, not an earlier canonicalisation
        q.speaker_canonical, q.speaker_role = canonical, role
    ordered = sorted([q for q, _, _ in stored + new], key=lambda q: q.article_id)  # stable
    quotes.canonicalise_speakers(ordered)
    return new + [row for row in stored
                  if before[row[0].quote_id] != (row[0].speaker_canonical, row[0].speaker_role)]



def _contradictions(store: Store, mentions: list[ArticleMentions], replaced: set[str],
                    stories_: list[Story], previous: list, fused: list
                    ) -> tuple[list[tuple[str, str, str, str, int, str]],
                               dict[str, list[Contradiction]]]:
    """The claims of the changed articles, and the contradictions of every scope they touch:
    their events (claim/denial), their stories (figures), the places of their border
    statements, and the country-wide counts if they give or gave one."""
    story_id = {aid: s.story_id for s in stories_ for aid in s.article_ids}
    rows: list[tuple[str, str, str, str, int, str]] = []
    for am in mentions:
        article = next(store.iter_articles([am.article_id]), None)
        if article is None:
            continue
        sid = story_id.get(am.article_id, "")
        for c in quantity_claims(article, am.quotes):
            rows.append((am.article_id, "quantity", sid, c.subject, int(c.country_wide),
                         serial.dumps(c)))
        for b in border_statements(article, am):
            rows.append((am.article_id, "border", sid, b.place, 0, serial.dumps(b)))
    old = store.fact_claims(article_ids=sorted(replaced))
    stories_touched = sorted({r[2] for r in rows + old if r[2]})
    places = sorted({r[3] for r in rows + old if r[1] == "border"})
    country_wide = any(r[4] for r in rows + old)
    others = [r for r in store.fact_claims(story_ids=stories_touched, border_places=places,
                                           country_wide=country_wide)
              if r[0] not in replaced]
    every = sorted(others + rows, key=lambda r: r[0])  # stable: each article's own order
    claims = [serial.loads(QuantityClaim, r[5]) for r in every if r[1] == "quantity"]
    borders = [serial.loads(BorderStatement, r[5]) for r in every if r[1] == "border"]
    out: dict[str, list[Contradiction]] = {}
    if country_wide:
        out["held"] = number_contradictions([c for c in claims if c.country_wide], {})
    by_story: dict[str, list[QuantityClaim]] = defaultdict(list)
    for r, c in zip([r for r in every if r[1] == "quantity"], claims):
        if not c.country_wide:
            by_story[r[2] or ""].append(c)
    for sid in stories_touched:
        out[f"story:{sid}"] = number_contradictions(by_story.get(sid, []),
                                                    {c.article_id: sid for c in by_story.get(sid, [])})
    by_place: dict[str, list[BorderStatement]] = defaultdict(list)
    for b in borders:
        by_place[b.place].append(b)
    for place in places:
        out[f"place:{place}"] = fact_contradictions(by_place.get(place, []))
    for e in previous:
        out.setdefault(f"event:{e.event_id}", [])
    for e in fused:
        out[f"event:{e.event_id}"] = claim_denials([e])
    return rows, out

