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
- fused events: per article FUSION_VERSION, the fusion rules' hash, the content hash, the
  mentions' context and the story (members, lineage): `fuse.incremental.article_states`. An
  article whose state changed is re-fused with its story and with every stored mention its
  mentions may join (`sitroom.update`).
"""

from __future__ import annotations

MENTIONS_VERSION = "12"
FUSION_VERSION = "1"
