"""`sitroom eval seeds GOLD.json`: run the pipeline on the seed articles beside GOLD.json (in
seeds/) and score what it reads against the analyst's reading: stories, events, quotes,
contradictions and control. Used to measure the acceptance points of issues 3-7.

Event matching: a gold event is found when a system event has the same event_type,
sub_event_type and actor1, an admin1 among the gold admin1s and the same date (one-to-one).
A system event left over after strict matching, and after a loose pass (same sub-event type and
admin1 or location) that lets unmatched gold events claim one near miss each, has no gold
counterpart.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from pathlib import Path
from typing import Any


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (s or "").lower())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def strict_match(gold: dict[str, Any], row: dict[str, str]) -> bool:
    admin1s = {_norm(a) for a in gold.get("admin1", "").split(";")}
    return (row["event_type"] == gold["event_type"]
            and row["sub_event_type"] == gold["sub_event_type"]
            and _norm(row["actor1"]) == _norm(gold["actor1"])
            and _norm(row["admin1"]) in admin1s
            and row["event_date"] == gold["date"])


def loose_match(gold: dict[str, Any], row: dict[str, str]) -> bool:
    admin1s = {_norm(a) for a in gold.get("admin1", "").split(";")}
    same_place = _norm(row["admin1"]) in admin1s or (
        gold.get("location") and _norm(gold["location"]) in _norm(row["location"]))
    return row["sub_event_type"] == gold["sub_event_type"] and bool(same_place)


def score_events(gold_events: list[dict[str, Any]], rows: list[dict[str, str]]) -> dict[str, Any]:
    free = set(range(len(rows)))
    found, details = [], {}
    for g in gold_events:
        hit = next((i for i in sorted(free) if strict_match(g, rows[i])), None)
        if hit is not None:
            free.discard(hit)
            found.append(g["id"])
            details[g["id"]] = rows[hit]["event_id"]
    for g in gold_events:
        if g["id"] in details:
            continue
        near = next((i for i in sorted(free) if loose_match(g, rows[i])), None)
        if near is not None:
            free.discard(near)
            details[g["id"]] = f"near miss {rows[near]['event_id']}"
    return {"events_found": len(found), "events_gold": len(gold_events),
            "events_extra": len(free), "events_total": len(rows),
            "found_ids": found, "missing_ids": [g["id"] for g in gold_events if g["id"] not in found],
            "extra_event_ids": [rows[i]["event_id"] for i in sorted(free)], "matches": details}


def score_stories(gold: list[dict[str, Any]], stories: list[dict[str, Any]]) -> dict[str, Any]:
    gold_sets = sorted(sorted(s["articles"]) for s in gold)
    got = sorted(sorted(s["article_ids"]) for s in stories)
    relations = {link["article_id"]: link["relation"] for s in stories for link in s["lineage"]}
    return {"stories_exact": float(gold_sets == got), "stories": len(got),
            "relations": relations}


def score_quotes(gold: list[dict[str, Any]], rows: list[dict[str, str]]) -> dict[str, Any]:
    found = 0
    missing = []
    for g in gold:
        names = {_norm(g["speaker"]), *(_norm(v) for v in g.get("variants", []))}
        canon = {r["speaker_canonical"] for r in rows
                 if _norm(r["speaker"]) in names or _norm(r["speaker_canonical"]) in names}
        articles = {r["article_id"] for r in rows if r["speaker_canonical"] in canon}
        if len(canon) == 1 and set(g["articles"]) <= articles:
            found += 1
        else:
            missing.append(f"{g['speaker']}: canonical {sorted(canon)}, in {sorted(articles)}")
    return {"speakers_found": found, "speakers_gold": len(gold), "speakers_missing": missing}


def evaluate(path: Path, **options: Any) -> dict[str, Any]:
    from sitroom.pipeline import RunOptions, run

    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    seeds = Path(path).parent / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(options.get("out") or tmp)
        run([seeds], RunOptions(out_dir=out, quiet=bool(options.get("quiet", True))))
        result: dict[str, Any] = {"n": len(list(seeds.glob("*.txt")))}
        result.update(score_stories(gold["stories"], json.loads((out / "stories.json").read_text())))
        result.update(score_events(gold["events"], _rows(out / "events.csv")))
        result.update(score_quotes(gold["quotes"], _rows(out / "quotes.csv")))
        contradictions = _rows(out / "contradictions.csv")
        result["contradictions"] = [f"{c['kind']}: {c['subject']}: {c['value_a']} | {c['value_b']}"
                                    for c in contradictions]
        result["control"] = [f"{c['place']} {c['date']} {c['holder']} {c['status']}"
                             for c in _rows(out / "control.csv")]
        result["articles"] = {r["article_id"][:3]: [r["published"], r["published_source"], r["wire"]]
                              for r in _rows(out / "articles.csv")}
    return result
