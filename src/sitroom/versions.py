"""The incremental caches, their keys and versions, in one place.

An update reuses what an earlier run stored when the key it was stored under still holds; bump
a version here when you change what the thing computes.

- parses: the article's `content_hash` (store `docs`).
- per-article mentions: `content_hash`, MENTIONS_VERSION and the date and story theatre they were
  read with (`pipeline.context_hash`, `pipeline.story_context`, drift `pipeline.THEATRE_DRIFT`).
- embeddings: text hash and precision (`embed._key`).
- story membership: kept unless a member is new or edited (`stories.keep_previous_stories`).
- lineage: `stories.lineage_key` (member texts and dates, `stories.lineage.LINEAGE_VERSION`, the
  paraphrase weights' hash).
- story index (candidate stories of new articles): per article its content hash, lead vector,
  day and MinHash bands, INDEX_VERSION (`sitroom.stories.index`, `sitroom.incremental.stories`).
- fused events: per article FUSION_VERSION, the fusion rules' hash, the content hash, the
  mentions' context and the story (members, lineage): `fuse.incremental.article_states`. An
  article whose state changed is re-fused with its story and with every stored mention its
  mentions may join (`sitroom.incremental.fusion`).
"""

from __future__ import annotations

MENTIONS_VERSION = "33"
FUSION_VERSION = "2"
# what the story index (sitroom.stories.index: lead vectors, days, MinHash bands) holds
INDEX_VERSION = "1"


def cache_versions() -> dict[str, str]:
    """What a store's caches were computed with, kept in its meta table after each run: an
    update regroups incrementally only over caches of these versions (else it regroups all)."""
    from sitroom.stories.lineage import LINEAGE_VERSION

    return {"mentions": MENTIONS_VERSION, "fusion": FUSION_VERSION, "story_index": INDEX_VERSION,
            "lineage": LINEAGE_VERSION}
