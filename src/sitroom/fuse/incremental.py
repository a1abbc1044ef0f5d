"""What an update re-fuses, and what changed: the pure half of incremental fusion.

Fusion joins two mentions only when they share a block (sub-event family and place name, or
family and province: `fuse.events._group`) and are compatible (`_compatible`: place, dates
within the day gap, actors). Grouping one connected set of compatible mentions depends on that
set alone, so an update re-fuses only the sets that hold a new or changed mention, or a mention
of an event that had one; every other event keeps its row and its id. The store keeps each
fused mention with its blocks and date window (`blocks_of`, `window_bounds`), so the sets are
found by lookups, not by reading every stored mention.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sitroom.fuse.events import _window, families_of, place_key
from sitroom.fuse.rules import fuse_rules
from sitroom.records import Event, EventMention, Story


def blocks_of(m: EventMention) -> list[str]:
    """The blocks `_group` compares a mention in, as strings; none for a mention that names no
    place (those are compared only with copies of their own story, which are re-fused with it)."""
    key = place_key(m)
    if key == "none:":
        return []
    out = []
    for family in sorted(families_of(m.sub_event_type)):
        out.append(f"{family}|{key.split('|')[0]}")
        if m.place is not None and m.place.admin1:
            out.append(f"{family}|{m.place.country}|{m.place.admin1}")
    return out


def window_bounds(m: EventMention, max_gap: int) -> tuple[str | None, str | None]:
    """(lo, hi) as ISO days: two dated mentions may be one event only if each one's lo is at
    most the other's hi (`_dates_meet`); an undated mention (None, None) meets every date."""
    window = _window(m)
    if window is None:
        return None, None
    lo, hi = window[0] - timedelta(days=max_gap), window[1]
    if m.fatalities:
        # a toll told again with only its report's day may join an earlier own-dated event
        # (fuse.events._retold): widen the window by retold_max_days towards the other
        retold = timedelta(days=int(fuse_rules()["fusion"].get("retold_max_days", 0)))
        if m.date_basis == "report":
            lo -= retold
        elif m.date_basis:
            hi += retold
    return lo.isoformat(), hi.isoformat()


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    return hashlib.sha1(json.dumps(fuse_rules(), sort_keys=True, default=str).encode()
                        ).hexdigest()[:12]


def article_states(stories: list[Story], story_of: dict[str, str], contexts: dict[str, str],
                   hashes: dict[str, str], version: str) -> dict[str, str]:
    """Per article, what its fused mentions depend on: the fusion code and rules, its text and
    mentions (content hash, mention context), its story (contradictions are read per story)
    and its origin (story_of: fusion's story key; the independent sources are counted by it).
    An article whose state changed is fused again, with the copies of its origin that name no
    place (they may take one from it)."""
    head = f"{version}|{rules_fingerprint()}"
    return {aid: hashlib.sha1(
                f"{head}|{hashes.get(aid, '')}|{contexts.get(aid, '')}|{story.story_id}|"
                f"{story_of.get(aid, aid)}".encode()).hexdigest()
            for story in stories for aid in story.article_ids}


# fields of an event that, when they differ, make it "changed" in the change log (its id and
# the store's timestamp aside)
COMPARED = [f.name for f in dataclasses.fields(Event) if f.name not in ("event_id", "timestamp")]


@dataclass
class EventChange:
    change: str  # added | changed | merged | retired
    event_id: str
    detail: dict[str, Any] = field(default_factory=dict)


def event_changes(previous: list[Event], fused: list[Event], new_articles: set[str]
                  ) -> list[EventChange]:
    """The change log of one update: `previous` are the stored events it fused again, `fused`
    what they became. An event is added (an id not stored before), changed (fields differ:
    named, with the articles that are new to it), merged (its mentions now in another stored
    event's row) or retired (its reports are gone or no longer read as that event)."""
    before = {e.event_id: e for e in previous}
    after = {e.event_id: e for e in fused}
    owner = {k: e.event_id for e in fused for k in e.mention_keys}
    out: list[EventChange] = []
    for e in fused:
        old = before.get(e.event_id)
        arrived = sorted(set(e.article_ids) & new_articles)
        if old is None:
            out.append(EventChange("added", e.event_id, {
                "why": "new reports" if arrived else "reports regrouped",
                "articles": e.article_ids, "new_articles": arrived,
                "event_date": e.event_date, "sub_event_type": e.sub_event_type,
                "location": e.location}))
            continue
        fields = [name for name in COMPARED if getattr(old, name) != getattr(e, name)]
        if fields:
            joined = sorted(set(e.article_ids) - set(old.article_ids))
            left = sorted(set(old.article_ids) - set(e.article_ids))
            out.append(EventChange("changed", e.event_id, {
                "why": ("new reports" if arrived else "reports joined" if joined
                        else "reports left" if left else "reports read anew"),
                "fields": fields, "articles_joined": joined, "articles_left": left,
                "new_articles": arrived}))
    for old in previous:
        if old.event_id in after:
            continue
        into = sorted({owner[k] for k in old.mention_keys if k in owner})
        if into:
            out.append(EventChange("merged", old.event_id, {
                "why": "its reports are now part of " + ", ".join(into), "into": into}))
        else:
            out.append(EventChange("retired", old.event_id, {
                "why": "its reports were edited or are no longer read as an incident",
                "articles": old.article_ids}))
    return out
