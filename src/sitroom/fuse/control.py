"""Control timeline: who holds which place, from territorial events, with the events behind it."""

from __future__ import annotations

from sitroom.fuse.rules import fuse_rules
from sitroom.records import ControlRecord, Event

STATUS_BY_CLAIM = {"disputed": "contested", "denied": "contested", "claimed": "claimed",
                   "reported": "confirmed"}


def control_timeline(events: list[Event]) -> list[ControlRecord]:
    holder_rule = fuse_rules()["control"]
    records: list[ControlRecord] = []
    for e in sorted(events, key=lambda e: (e.event_date or "", e.event_id)):
        if e.sub_event_type not in holder_rule:
            continue
        holder = e.actor1 if holder_rule[e.sub_event_type] == "actor1" else e.actor2
        place = e.location or e.admin1
        if not place or not holder:
            continue
        records.append(ControlRecord(
            place=place, admin1=e.admin1, admin2=e.admin2, date=e.event_date, holder=holder,
            status=STATUS_BY_CLAIM.get(e.claim_status, "claimed"), event_ids=[e.event_id]))
    return _merge_same_day(records)


def _merge_same_day(records: list[ControlRecord]) -> list[ControlRecord]:
    """Two events giving the same holder of a place on the same day are one change."""
    merged: dict[tuple[str, str, str | None, str], ControlRecord] = {}
    for r in records:
        key = (r.place, r.admin1, r.date, r.holder)
        if key in merged:
            merged[key].event_ids.extend(x for x in r.event_ids if x not in merged[key].event_ids)
            if r.status == "contested" or merged[key].status == "contested":
                merged[key].status = "contested"
        else:
            merged[key] = r
    return sorted(merged.values(), key=lambda r: (r.place, r.date or ""))
