"""Event fusion: every report of one incident becomes one ACLED-style row.

Two mentions are the same event when they share the sub-event type and the place, fall within
`max_day_gap` days of each other and their actors do not conflict (ACLED: one event per actor
pair, location and day). Reports are counted per article; independent sources per story origin,
so a wire story and its copies count once.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date

from sitroom.fuse.rules import fuse_rules
from sitroom.records import ArticleMentions, CleanArticle, Event, EventMention, Story


def mention_key(m: EventMention) -> str:
    return f"{m.article_id}#{m.sent_start}#{m.sub_event_type}"


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def place_key(m: EventMention) -> str:
    """Where the event happened, at the finest level known: gazetteer id, name, else province."""
    if m.place is not None:
        if m.place.gazetteer_id:
            return f"id:{m.place.gazetteer_id}"
        if m.place.name:
            return f"name:{_norm(m.place.name)}|{_norm(m.place.admin1)}"
    if m.location_text:
        return f"name:{_norm(m.location_text)}|"
    return "none:"


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _actors_compatible(a: EventMention, b: EventMention) -> bool:
    def name(actor):  # noqa: ANN001, ANN202
        return actor.name if actor is not None else ""

    for x, y in ((name(a.actor1), name(b.actor1)), (name(a.actor2), name(b.actor2))):
        if x and y and x != y:
            return False
    return True


def _same_place(a: EventMention, b: EventMention) -> bool:
    ka, kb = place_key(a), place_key(b)
    if ka == "none:" or kb == "none:":
        # Without a place, only the same province (or none on both sides) may match.
        pa = a.place.admin1 if a.place else ""
        pb = b.place.admin1 if b.place else ""
        return ka == kb and pa == pb
    if ka == kb:
        return True
    # The same name resolved in one report and not in another ("name:x|" vs "name:x|kunduz").
    na, nb = ka.split("|")[0], kb.split("|")[0]
    return na == nb and (ka.endswith("|") or kb.endswith("|"))


def _compatible(a: EventMention, b: EventMention, max_gap: int) -> bool:
    if a.sub_event_type != b.sub_event_type or not _same_place(a, b):
        return False
    da, db = _day(a.date), _day(b.date)
    if da and db and abs((da - db).days) > max_gap:
        return False
    if a.article_id == b.article_id and a.sent_start != b.sent_start and (da is None or db is None):
        return False  # two undated mentions in one article: not enough to call them one event
    return _actors_compatible(a, b)


def origin_of(stories: Iterable[Story]) -> dict[str, str]:
    """article -> the article it ultimately comes from (itself for origins and independents)."""
    parent: dict[str, str | None] = {}
    relation: dict[str, str] = {}
    for story in stories:
        for link in story.lineage:
            parent[link.article_id] = link.derived_from
            relation[link.article_id] = link.relation
    roots: dict[str, str] = {}
    for aid in parent:
        seen = {aid}
        cur = aid
        while relation.get(cur) not in ("origin", "independent", None) and parent.get(cur):
            nxt = parent[cur]
            if nxt in seen or nxt is None:
                break
            seen.add(nxt)
            cur = nxt
        roots[aid] = cur
    return roots


def _claim_status(modalities: list[str]) -> str:
    kinds = set(modalities)
    if "denied" in kinds and kinds - {"denied"}:
        return "disputed"
    if kinds == {"denied"}:
        return "denied"
    if kinds and kinds <= {"claimed"}:
        return "claimed"
    return "reported"


def _best(values: Iterable[str]) -> str:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else ""


def _group(mentions: list[EventMention], max_gap: int) -> list[list[EventMention]]:
    """Single-link grouping with a union-find; mention lists per event are small."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Blocking: only mentions of one sub-type at one place name are ever compared.
    blocks: dict[tuple[str, str], list[int]] = {}
    for i, m in enumerate(mentions):
        key = place_key(m)
        block = key if key == "none:" else key.split("|")[0]
        blocks.setdefault((m.sub_event_type, block), []).append(i)
    for indices in blocks.values():
        for x, i in enumerate(indices):
            for j in indices[x + 1:]:
                if find(i) != find(j) and _compatible(mentions[i], mentions[j], max_gap):
                    parent[find(j)] = find(i)
    groups: dict[int, list[EventMention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(find(i), []).append(m)
    return list(groups.values())


def _fatalities(group: list[EventMention], roots: dict[str, str]) -> tuple[int | None, int | None]:
    """Per source the figure it gives; ACLED keeps the lowest, the highest shows the range."""
    per_source: dict[str, int] = {}
    per_source_max: dict[str, int] = {}
    for m in group:
        if m.fatalities is None:
            continue
        source = roots.get(m.article_id, m.article_id)
        per_source[source] = min(per_source.get(source, m.fatalities), m.fatalities)
        high = m.fatalities_max if m.fatalities_max is not None else m.fatalities
        per_source_max[source] = max(per_source_max.get(source, high), high)
    if not per_source:
        return None, None
    return min(per_source.values()), max(per_source_max.values())


DENIAL_REACH = 600  # characters back from a denial to the report it denies ("denied these reports")


def denied_mentions(mentions: list[ArticleMentions]) -> dict[str, str]:
    """Mention key -> who denied it: a deny-stance quote denies the nearest report before it."""
    denied: dict[str, str] = {}
    for am in mentions:
        for quote in am.quotes:
            if quote.stance != "deny":
                continue
            before = [m for m in am.events
                      if m.sent_start <= quote.start and quote.start - m.sent_start <= DENIAL_REACH
                      and m.modality != "denied"]
            if before:
                target = max(before, key=lambda m: m.sent_start)
                denied[mention_key(target)] = quote.speaker_canonical or quote.speaker
    return denied


def build_event(group: list[EventMention], roots: dict[str, str],
                articles: dict[str, CleanArticle], denied: dict[str, str] | None = None) -> Event:
    denied = denied or {}
    group = sorted(group, key=lambda m: (m.article_id, m.sent_start))
    dated = [m for m in group if m.date]
    best_precision = min((m.time_precision or 3 for m in dated), default=None)
    event_date = _best(m.date for m in dated if (m.time_precision or 3) == best_precision) or None
    placed = [m.place for m in group if m.place is not None]
    place = min(placed, key=lambda p: (p.geo_precision, -len(p.admin2 or ""))) if placed else None
    low, high = _fatalities(group, roots)
    article_ids = sorted({m.article_id for m in group})
    sources = []
    for m in group:
        meta = articles.get(m.article_id)
        label = m.attributed_to or (meta.wire or meta.outlet if meta else "") or ""
        if label and label not in sources:
            sources.append(label)
        if mention_key(m) in denied and f"denied by {denied[mention_key(m)]}" not in sources:
            sources.append(f"denied by {denied[mention_key(m)]}")
    notes = sorted({m.notes for m in group if m.notes})
    numbers: dict[str, list[int]] = {}
    for m in group:
        for kind, values in m.numbers.items():
            numbers.setdefault(kind, []).extend(values)
    number_note = "; ".join(f"{k}: {min(v)}" + (f"-{max(v)}" if max(v) != min(v) else "")
                            for k, v in sorted(numbers.items()) if v)
    return Event(
        event_id="",
        event_date=event_date,
        time_precision=best_precision,
        event_type=group[0].event_type,
        sub_event_type=group[0].sub_event_type,
        actor1=_best(m.actor1.name for m in group if m.actor1),
        actor2=_best(m.actor2.name for m in group if m.actor2),
        country=place.country if place else "",
        admin1=place.admin1 if place else "",
        admin2=place.admin2 if place else "",
        location=(place.name if place else _best(m.location_text for m in group)),
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        geo_precision=place.geo_precision if place else None,
        fatalities=low,
        fatalities_max=high,
        claim_status=_claim_status([m.modality for m in group]
                                   + ["denied" for m in group if mention_key(m) in denied]),
        n_reports=len(article_ids),
        n_independent_sources=len({roots.get(a, a) for a in article_ids}),
        article_ids=article_ids,
        sources=sources,
        notes="; ".join([*notes, number_note] if number_note else notes),
        evidence=[f"{m.article_id}: {m.sentence.strip()}" for m in group],
        mention_keys=[mention_key(m) for m in group],
    )


def assign_ids(events: list[Event], previous: list[Event]) -> list[Event]:
    """Keep the id of the stored event that shares the most mentions; new events get an id from
    their first mention, which later copies joining the event cannot change."""
    owner: dict[str, str] = {}
    for old in previous:
        for key in old.mention_keys:
            owner[key] = old.event_id
    taken: set[str] = set()
    ranked = sorted(events, key=lambda e: -len(e.mention_keys))
    for event in ranked:
        votes = Counter(owner[k] for k in event.mention_keys if k in owner)
        for candidate, _ in votes.most_common():
            if candidate not in taken:
                event.event_id = candidate
                break
        if not event.event_id:
            seed = min(event.mention_keys)
            event.event_id = "EV" + hashlib.sha1(seed.encode()).hexdigest()[:10]
            while event.event_id in taken:
                event.event_id = "EV" + hashlib.sha1(event.event_id.encode()).hexdigest()[:10]
        taken.add(event.event_id)
    return events


def fuse_events(mentions: list[ArticleMentions], stories: list[Story], previous: list[Event],
                articles: dict[str, CleanArticle] | None = None) -> list[Event]:
    max_gap = int(fuse_rules()["fusion"]["max_day_gap"])
    roots = origin_of(stories)
    all_mentions = [m for am in mentions for m in am.events]
    denied = denied_mentions(mentions)
    events = [build_event(g, roots, articles or {}, denied)
              for g in _group(all_mentions, max_gap)]
    events = assign_ids(events, previous)
    return sorted(events, key=lambda e: (e.event_date or "9999", e.event_id))
