"""Event fusion: every report of one incident becomes one ACLED-style row.

Two mentions are the same event when they share the sub-event type and the place, fall within
`max_day_gap` days of each other and their actors do not conflict (ACLED: one event per actor
pair, location and day). Reports are counted per article; independent sources per story origin,
so a wire story and its copies count once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from sitroom.events.fatalities import event_count
from sitroom.fuse.rules import fuse_rules
from sitroom.records import (
    ArticleMentions,
    CleanArticle,
    Event,
    EventMention,
    FusedMention,
    Place,
    Story,
)
from sitroom.unionfind import UnionFind

log = logging.getLogger(__name__)


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


@lru_cache(maxsize=1)
def _families() -> dict[str, frozenset[str]]:
    """sub-event type -> the families it belongs to (its own name when it is in none)."""
    out: dict[str, set[str]] = {}
    for family, members in fuse_rules()["families"].items():
        if isinstance(members, list):
            for sub in members:
                out.setdefault(sub, set()).add(family)
    return {k: frozenset(v) for k, v in out.items()}


def families_of(sub_event_type: str) -> frozenset[str]:
    return _families().get(sub_event_type, frozenset({sub_event_type}))


def _same_family(a: EventMention, b: EventMention) -> bool:
    return a.sub_event_type == b.sub_event_type or bool(families_of(a.sub_event_type) & families_of(b.sub_event_type))


def _km(a: Place, b: Place) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _near(a: EventMention, b: EventMention) -> bool:
    """Two fine places (town or finer) within max_km, or in one admin2: one event at two grains."""
    pa, pb = a.place, b.place
    if pa is None or pb is None or _coarse(a) or _coarse(b) or pa.country != pb.country:
        return False
    if pa.admin2 and pa.admin2 == pb.admin2 and pa.admin1 == pb.admin1:
        return True
    km = _km(pa, pb)
    return km is not None and km <= float(fuse_rules()["fusion"].get("max_km", 25))


def _actors_compatible(a: EventMention, b: EventMention) -> bool:
    def name(actor):  # noqa: ANN001, ANN202
        return actor.name if actor is not None else ""

    def fits(pairs: Iterable[tuple[str, str]]) -> bool:
        return all(not (x and y and x != y) for x, y in pairs)

    straight = fits(((name(a.actor1), name(b.actor1)), (name(a.actor2), name(b.actor2))))
    symmetric = set(fuse_rules()["fusion"].get("symmetric_types", []))
    if straight or not (a.sub_event_type in symmetric and b.sub_event_type in symmetric):
        return straight
    # a clash has no first side: "A clashed with B" and "B fought A" are one clash
    return fits(((name(a.actor1), name(b.actor2)), (name(a.actor2), name(b.actor1))))


# "several districts", "10 areas": a mention about many places is many events, never one of them.
_MANY_PLACES = re.compile(
    r"\b(?:several|many|multiple|dozens of|scores of|some|a number of|\d+|two|three|four|five|six|"
    r"seven|eight|nine|ten)\s+(?:\w+\s+)?(?:districts|areas|provinces|towns|villages|cities|"
    r"regions)\b", re.I)


def _window(m: EventMention) -> tuple[date, date] | None:
    """The days a mention's date may stand for: its day, or its week or month (ACLED 2 and 3)."""
    return _window_of(m.date, m.time_precision)


@lru_cache(maxsize=65536)
def _window_of(value: str | None, time_precision: int | None) -> tuple[date, date] | None:
    # cached: fusion compares mentions pairwise within blocks, and a corpus has few distinct
    # dates (computing the window for every pair was 40% of fusion at 10,000 articles)
    day = _day(value)
    if day is None:
        return None
    half = {2: 3, 3: 15}.get(time_precision or 1, 0)
    return day - timedelta(days=half), day + timedelta(days=half)


def _dates_meet(a: EventMention, b: EventMention, max_gap: int) -> bool:
    wa, wb = _window(a), _window(b)
    if wa is None or wb is None:
        # two undated mentions in one article are not enough to call them one event
        return not (a.article_id == b.article_id and a.sent_start != b.sent_start)
    gap = timedelta(days=max_gap)
    return wa[0] - gap <= wb[1] and wb[0] - gap <= wa[1] or _retold(a, b) or _retold(b, a)


def _retold(later: EventMention, earlier: EventMention) -> bool:
    """`later` tells `earlier` again: it rests on its report's day only, gives the same toll, and
    `earlier` has a date of its own up to retold_max_days before (same place: _same_place)."""
    return bool(later.fatalities) and later.fatalities == earlier.fatalities and _may_retell(later, earlier)


def _may_retell(later: EventMention, earlier: EventMention) -> bool:
    """`later` rests on its report's day only, and `earlier` has a date of its own up to
    retold_max_days before it: `later` may be of that earlier day."""
    if later.date_basis != "report" or earlier.date_basis in ("report", ""):
        return False
    dl, de = _day(later.date), _day(earlier.date)
    limit = int(fuse_rules()["fusion"].get("retold_max_days", 0))
    return dl is not None and de is not None and timedelta(0) <= dl - de <= timedelta(days=limit)


def _coarse(m: EventMention) -> bool:
    if m.place is None:
        return False
    return m.place.feature in ("admin1", "country") or (
        bool(m.place.admin1) and _norm(m.place.name) == _norm(m.place.admin1))


def _same_place(a: EventMention, b: EventMention, story_of: dict[str, str]) -> bool:
    ka, kb = place_key(a), place_key(b)
    if ka == "none:" or kb == "none:":
        # two reports that name no place are one event's only as copies of one story: across
        # stories nothing ties "over 50 arrested on Friday" here to another "arrested on Friday"
        return ka == kb and (a.article_id == b.article_id or (
            story_of.get(a.article_id) is not None and story_of.get(a.article_id) == story_of.get(b.article_id)))
    if ka == kb:
        # two independent reports placed only at a province ("in Gujarat") and dated only by their
        # day of publication tell two of its incidents as often as one: only copies of one
        # account, or reports that date the act themselves, are one event there
        return not (_coarse(a) and _coarse(b)) or _copies(a, b, story_of) or \
            "report" not in (a.date_basis, b.date_basis)
    # The same name resolved in one report and not in another ("name:x|" vs "name:x|kunduz").
    na, nb = ka.split("|")[0], kb.split("|")[0]
    if na == nb and (ka.endswith("|") or kb.endswith("|")):
        return True
    if _near(a, b) and _dates_meet(a, b, 0) and a.article_id != b.article_id:
        return True
    # Copies of one story place one event at different grains (a crossing, its district, the
    # dateline's city): across articles of a story, the same province is the same place. Inside
    # one article, two places are two events.
    # A report placed only at a province (or at a town named like its province, "in Kandahar")
    # and one at a place inside that province, on the same day, tell one event at two grains.
    # Only copies of one account: an independent report "in Gujarat" on a day of riots in many
    # towns would join whichever of them it met first.
    if (_coarse(a) or _coarse(b)) and a.place is not None and b.place is not None \
            and a.place.admin1 and a.place.admin1 == b.place.admin1 and _dates_meet(a, b, 0) \
            and _copies(a, b, story_of) \
            and not _MANY_PLACES.search(a.sentence) and not _MANY_PLACES.search(b.sentence):
        return True
    # The dates must then meet without slack, and neither report may be about many places.
    return (a.article_id != b.article_id and story_of.get(a.article_id) is not None
            and story_of.get(a.article_id) == story_of.get(b.article_id)
            and a.place is not None and b.place is not None
            and bool(a.place.admin1) and a.place.admin1 == b.place.admin1
            and _dates_meet(a, b, 0)
            and not _MANY_PLACES.search(a.sentence) and not _MANY_PLACES.search(b.sentence))


def _compatible(a: EventMention, b: EventMention, max_gap: int, story_of: dict[str, str]) -> bool:
    return (_same_family(a, b) and _same_place(a, b, story_of)
            and _dates_meet(a, b, max_gap) and _actors_compatible(a, b)
            and (_window(a) is not None and _window(b) is not None or _copies(a, b, story_of)))


def _copies(a: EventMention, b: EventMention, story_of: dict[str, str]) -> bool:
    """An undated report joins another only as a copy of one origin's account: its date could be
    any, so across independent reports it would tie together every incident at its place."""
    return a.article_id == b.article_id or (
        story_of.get(a.article_id) is not None and story_of.get(a.article_id) == story_of.get(b.article_id))


compatible = _compatible  # what the store's fusion index is searched with (sitroom.incremental.fusion)


def inherit_places(mentions: list[EventMention], story_of: dict[str, str], max_gap: int,
                   donors: Iterable[EventMention] = ()) -> list[EventMention]:
    """A mention without a place ("seized a key border crossing") takes the place its story gives
    the same event, when the story's reports of that event point to one province only.
    donors: more of the stories' mentions, read for the places they give (not returned)."""
    placed: dict[tuple[str, str], list[EventMention]] = {}
    for m in [*mentions, *donors]:
        if place_key(m) != "none:" and m.article_id in story_of:
            placed.setdefault((story_of[m.article_id], m.sub_event_type), []).append(m)
    out = []
    for m in mentions:
        story = story_of.get(m.article_id)
        if place_key(m) == "none:" and story is not None and not _MANY_PLACES.search(m.sentence):
            candidates = [p for p in placed.get((story, m.sub_event_type), [])
                          if _dates_meet(m, p, max_gap) and _actors_compatible(m, p)]
            provinces = {p.place.admin1 if p.place else "" for p in candidates}
            if candidates and len(provinces) == 1 and "" not in provinces:
                counts = Counter(place_key(p) for p in candidates)
                donor = max(candidates, key=lambda p: (counts[place_key(p)],
                                                       -(p.place.geo_precision if p.place else 9)))
                m = dataclasses.replace(m, place=donor.place, location_text=donor.location_text,
                                        notes=(m.notes + "; " if m.notes else "")
                                        + f"place from the story: {donor.location_text}")
        out.append(m)
    return out


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


def _group(mentions: list[EventMention], max_gap: int, story_of: dict[str, str]
           ) -> list[list[EventMention]]:
    """Single-link grouping with a union-find; mention lists per event are small."""
    sets = UnionFind(len(mentions))
    # Blocking: only mentions of one sub-type at one place name, or in one story and province,
    # are ever compared.
    blocks: dict[tuple[str, ...], list[int]] = {}
    for i, m in enumerate(mentions):
        key = place_key(m)
        block = key if key == "none:" else key.split("|")[0]
        for family in families_of(m.sub_event_type):
            blocks.setdefault((family, block), []).append(i)
            if m.place is not None and m.place.admin1:
                # one province: places at two grains, or near each other, may be one event's
                blocks.setdefault((family, m.place.country, m.place.admin1), []).append(i)
    pairs: set[tuple[int, int]] = set()
    for indices in blocks.values():
        indices = sorted(set(indices))
        for x, i in enumerate(indices):
            for j in indices[x + 1:]:
                if (i, j) not in pairs and _compatible(mentions[i], mentions[j], max_gap, story_of):
                    pairs.add((i, j))
    # The closest pairs join first (one place and one day before places at two grains or dates
    # that only overlap), and no join may put two days at two places into one event: a report
    # dated only to a month ("last month, the group took X") that fits two neighbouring events
    # must not chain them into one (ACLED: one event per location and day).
    members = {i: [i] for i in range(len(mentions))}
    for i, j in sorted(pairs, key=lambda p: (_pair_distance(mentions[p[0]], mentions[p[1]]), p)):
        ri, rj = sets.find(i), sets.find(j)
        if ri == rj or any(_apart(mentions[a], mentions[b], max_gap)
                           for a in members[ri] for b in members[rj]):
            continue
        sets.union(i, j)
        root = sets.find(i)
        members[root] = members.pop(ri) + members.pop(rj)
    groups: dict[int, list[EventMention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(sets.find(i), []).append(m)
    return list(groups.values())


def _pair_distance(a: EventMention, b: EventMention) -> tuple[int, int]:
    """How loosely two compatible mentions fit: (0 same place | 1 another grain or a place
    nearby, 0 same day | 1 dates that only overlap)."""
    same_day = a.date is not None and a.date == b.date and a.time_precision == b.time_precision == 1
    return (0 if place_key(a) == place_key(b) else 1, 0 if same_day else 1)


def _apart(a: EventMention, b: EventMention, max_gap: int) -> bool:
    """Two reports that cannot be of one event, however others link them: dates that do not
    meet; each dated to a day, to different days at different places; or each at a fine place (not a province), the two
    places neither near each other nor in one admin2 (a report "in Gujarat" fits a riot in
    Kawant and one in Ahmedabad, but does not make them one)."""
    wa, wb = _window(a), _window(b)
    if wa is not None and wb is not None and not _dates_meet(a, b, max_gap) \
            and not _may_retell(a, b) and not _may_retell(b, a):
        return True  # an undated report "in Gujarat" must not chain the riots of two weeks
    if place_key(a) == place_key(b):
        return False
    if (a.time_precision == 1 and b.time_precision == 1 and a.date is not None
            and b.date is not None and a.date != b.date):
        return True
    return (a.place is not None and b.place is not None and not _coarse(a) and not _coarse(b)
            and not _near(a, b))


def _fatalities(group: list[EventMention], roots: dict[str, str]) -> tuple[int | None, int | None]:
    return event_count(group, roots)  # the policy lives in sitroom.events.fatalities


DENIAL_REACH = 600  # characters back from a denial to the report it denies ("denied these reports")


def denied_mentions(mentions: list[ArticleMentions]) -> dict[str, str]:
    """Mention key -> who denied it: a deny-stance quote denies the nearest report before it."""
    denied: dict[str, str] = {}
    for am in mentions:
        for quote in am.quotes:
            if quote.stance != "deny":
                continue
            before = [m for m in am.events if m.scope == "event"
                      and m.sent_start <= quote.start and quote.start - m.sent_start <= DENIAL_REACH
                      and m.modality != "denied"]
            if before:
                target = max(before, key=lambda m: m.sent_start)
                denied[mention_key(target)] = quote.speaker_canonical or quote.speaker
    return denied


def source_label(attribution: str) -> str:
    """'Kabul (Reuters)-Afghan security officials' -> 'Afghan security officials';
    'Two senior security officials , who asked not to be named ,' -> 'Two senior security officials'."""
    label = re.sub(r"^[^()]*\([^()]*\)\s*[-–—:]\s*", "", attribution or "")  # a dateline glued on
    label = re.sub(r"^[^()]*\)\s*[-–—:]\s*", "", label)  # the same, its opening cut off
    label = re.split(r"\s*,\s*", label, maxsplit=1)[0]  # an apposition after the source
    return re.sub(r"\s+", " ", label).strip()


def build_event(group: list[EventMention], roots: dict[str, str],
                articles: dict[str, CleanArticle], denied: dict[str, str] | None = None) -> Event:
    denied = denied or {}
    group = sorted(group, key=lambda m: (m.article_id, m.sent_start))
    dated = [m for m in group if m.date]
    # a date the texts give beats the day a report appeared (a toll told again weeks on)
    dated = [m for m in dated if m.date_basis != "report"] or dated
    best_precision = min((m.time_precision or 3 for m in dated), default=None)
    event_date = _best(m.date for m in dated if (m.time_precision or 3) == best_precision) or None
    # The place most reports give, then the most precise of those.
    placed = [m for m in group if m.place is not None]
    counts = Counter(place_key(m) for m in placed)
    # A province, or a town named like its province ("in Kandahar"), is the place only where no
    # report gives a finer one.
    place = min(placed, key=lambda m: (_coarse(m), -counts[place_key(m)], m.place.geo_precision,
                                       -len(m.place.admin2 or ""))).place if placed else None
    low, high = _fatalities(group, roots)
    event_type, sub_event_type = _event_type(group)
    actor1 = _best(m.actor1.name for m in group if m.actor1)
    actor2 = _best(m.actor2.name for m in group if m.actor2 and m.actor2.name != actor1)
    actor1, actor2 = _acled_order(event_type, group, actor1, actor2)
    inter1 = _best(a.actor_type for m in group for a in (m.actor1, m.actor2) if a and a.name == actor1)
    inter2 = _best(a.actor_type for m in group for a in (m.actor1, m.actor2) if a and a.name == actor2)
    unnamed = fuse_rules().get("unnamed_actor1", {}).get(event_type)
    crowd_first = fuse_rules().get("actor_order", {}).get(event_type, [])
    if unnamed and place is not None and place.country and (
            not actor1 or crowd_first and inter1 not in crowd_first and not actor2):
        # "one person was stabbed": ACLED names the unknown doer; "police fired on a mob": the
        # riot's crowd is actor1, the police actor2
        if actor1:
            actor2, inter2 = actor1, inter1
        actor1, inter1 = unnamed["name"].format(country=place.country), unnamed["actor_type"]
    article_ids = sorted({m.article_id for m in group})
    sources = []
    for m in group:
        meta = articles.get(m.article_id)
        label = source_label(m.attributed_to) or (meta.wire or meta.outlet if meta else "") or ""
        if m.modality == "denied" and label:
            label = f"denied by {label}"
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
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=actor1,
        actor2=actor2,
        inter1=inter1,
        inter2=inter2,
        assoc_actor_1=_associates(group, actor1),
        assoc_actor_2=_associates(group, actor2),
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
        trace="; ".join([*notes, number_note] if number_note else notes),
        evidence=[f"{m.article_id}: {m.sentence.strip()}" for m in group],
        mention_keys=[mention_key(m) for m in group],
    )


def _associates(group: list[EventMention], name: str) -> str:
    """ACLED's assoc_actor of the fused actor `name`: the associates its mentions give, most
    reported first, "; "-joined."""
    counts = Counter(a.assoc for m in group for a in (m.actor1, m.actor2)
                     if a is not None and name and a.name == name and a.assoc and a.assoc != name)
    return "; ".join(sorted(counts, key=lambda x: (-counts[x], x)))


def _event_type(group: list[EventMention]) -> tuple[str, str]:
    """ACLED's hierarchy among the sub-event types a quarter or more of the reports give."""
    from sitroom.events.taxonomy import by_name

    counts = Counter((m.event_type, m.sub_event_type) for m in group)
    share = float(fuse_rules()["families"].get("min_type_share", 0.25))
    supported = [t for t, n in counts.items() if n >= share * len(group)] or list(counts)

    def rank(t: tuple[str, str]) -> tuple[int, int]:
        try:
            r = by_name(t[1]).rank
        except KeyError:
            r = 99
        return r, -counts[t]
    return min(supported, key=rank)


def _acled_order(event_type: str, group: list[EventMention], actor1: str, actor2: str) -> tuple[str, str]:
    """Riots and protests list the rioters or protesters first (fuse rules [actor_order])."""
    first_types = fuse_rules().get("actor_order", {}).get(event_type)
    if not first_types:
        return actor1, actor2
    types = {a.name: a.actor_type for m in group for a in (m.actor1, m.actor2) if a is not None}
    if types.get(actor1) in first_types:
        return actor1, actor2
    crowd = next((n for n, t in types.items() if t in first_types and n != actor1), "")
    if not crowd:
        return actor1, actor2
    return crowd, actor1 if actor1 else actor2


def assign_ids(events: list[Event], previous: list[Event],
               taken: Iterable[str] = ()) -> list[Event]:
    """Keep the id of the stored event that shares the most mentions; new events get an id from
    their first mention, which later copies joining the event cannot change. `taken`: ids that
    stay with events not fused again (an incremental update), which no event here may take."""
    owner: dict[str, str] = {}
    for old in previous:
        for key in old.mention_keys:
            owner[key] = old.event_id
    taken = set(taken)
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


def story_roots(stories: Iterable[Story]) -> tuple[dict[str, str], dict[str, str]]:
    """(roots, story_of): each article's origin (origin_of), and the key fusion reads as its
    story. The rules that let one story's reports place an event at two grains, or lend a place
    to a report that names none, hold for copies of one origin (duplicates, rewrites, spun
    copies): a story's independent reports are other reporters' accounts, often of other
    incidents of the same crisis (a 265-article "story" of a riot season), and must meet the
    place rules alone."""
    stories = list(stories)
    roots = origin_of(stories)
    return roots, {aid: roots.get(aid, aid) for s in stories for aid in s.article_ids}


def incidents(mentions: Iterable[ArticleMentions]) -> list[tuple[str, int, EventMention]]:
    """(article id, position, mention) of the incident mentions: only incidents become rows;
    aggregate, background and reference mentions stay the article's."""
    return [(am.article_id, seq, m) for am in mentions for seq, m in enumerate(am.events)
            if getattr(m, "scope", "event") == "event"]


def fusion_inputs(mentions: list[ArticleMentions], story_of: dict[str, str],
                  donors: Iterable[ArticleMentions] = ()) -> list[FusedMention]:
    """The incident mentions of these articles as fusion groups them: with the place their
    story lends (inherit_places), without those that still name no place (rule require_place),
    and with who denied each. A mention may take its place from another copy of its story
    (story_of: the origin of each): those copies are in `mentions` or in `donors`."""
    max_gap = int(fuse_rules()["fusion"]["max_day_gap"])
    numbered = incidents(mentions)
    inherited = inherit_places([m for _, _, m in numbered], story_of, max_gap,
                               [m for _, _, m in incidents(donors)])
    denied = denied_mentions(mentions)
    out = [FusedMention(aid, seq, m, denied.get(mention_key(m), ""),
                        inherited=place_key(own) == "none:" and m.place is not None)
           for (aid, seq, own), m in zip(numbered, inherited)]
    if fuse_rules()["fusion"].get("require_place", False):
        placed = [f for f in out if f.mention.place is not None]
        if len(placed) < len(out):
            log.info("fusion: %d incident mention(s) name no place, nor does their story: no rows",
                     len(out) - len(placed))
        out = placed
    return out


def fuse_prepared(prepared: list[FusedMention], roots: dict[str, str], story_of: dict[str, str],
                  previous: list[Event], articles: dict[str, CleanArticle] | None = None,
                  taken: Iterable[str] = ()) -> list[Event]:
    """Events of prepared mentions (fusion_inputs), in the order a full run reads them (by
    article, then as the article tells them), ids kept against `previous`."""
    max_gap = int(fuse_rules()["fusion"]["max_day_gap"])
    ordered = sorted(prepared, key=lambda f: (f.article_id, f.seq))
    denied = {mention_key(f.mention): f.denied_by for f in ordered if f.denied_by}
    events = [build_event(g, roots, articles or {}, denied)
              for g in _group([f.mention for f in ordered], max_gap, story_of)]
    events = assign_ids(events, previous, taken)
    return sorted(events, key=lambda e: (e.event_date or "9999", e.event_id))


def fuse_events(mentions: list[ArticleMentions], stories: list[Story], previous: list[Event],
                articles: dict[str, CleanArticle] | None = None) -> list[Event]:
    roots, story_of = story_roots(stories)
    return fuse_prepared(fusion_inputs(mentions, story_of), roots, story_of, previous, articles)
