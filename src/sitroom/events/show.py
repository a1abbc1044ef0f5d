"""Show the event mentions read from plain-text articles, and (optionally) how they meet a gold list.

    python -m sitroom.events.show ../shared/corpus/seeds/*.txt [--gold ../shared/corpus/seeds_gold.json]

Texts are parsed as they are (boilerplate lines included); dates and places come from whatever the
time and geo stages provide in this checkout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sitroom.records import CleanArticle, EventMention, PublicationDate


def mentions_for(path: Path, published_override: str | None = None) -> list[EventMention]:
    from sitroom import geo
    from sitroom import time as time_stage
    from sitroom.events import extract_event_mentions
    from sitroom.nlp import parse

    text = path.read_text(encoding="utf-8")
    art = CleanArticle(path.stem, "", text, str(path), "txt")
    published = time_stage.publication_date(art)
    if published_override:
        published = PublicationDate(published_override, "metadata")
    timexes = time_stage.find_timexes(text, published.date)
    doc = parse(text)
    toponyms = geo.geoparse(doc)
    return extract_event_mentions(doc, path.stem, published, timexes, toponyms)


def line(m: EventMention) -> str:
    a1 = m.actor1.name if m.actor1 else "-"
    a2 = m.actor2.name if m.actor2 else "-"
    admin1 = m.place.admin1 if m.place else ""
    nums = json.dumps(m.numbers) if m.numbers else ""
    return (f"{m.sub_event_type:38s} | {a1} / {a2} | {m.location_text or '-'} [{admin1}] | {m.date} | "
            f"{m.modality}{' by ' + m.attributed_to[:30] if m.attributed_to else ''} {nums}\n"
            f"      <{m.trigger}> {m.sentence[:150]}")


def _fields(g: dict, m: EventMention) -> list[str]:
    """Which of type, sub-type, actor1, admin1 (or place), date a mention gets wrong for a gold event."""
    wrong = []
    if m.event_type != g["event_type"]:
        wrong.append("type")
    if m.sub_event_type != g["sub_event_type"]:
        wrong.append("sub_type")
    if not m.actor1 or m.actor1.name != g["actor1"]:
        wrong.append("actor1")
    gold_admin1 = {a.strip() for a in g.get("admin1", "").split(";") if a.strip()}
    admin1 = m.place.admin1 if m.place else ""
    if gold_admin1 and admin1 not in gold_admin1:
        wrong.append("admin1")
    if m.date != g["date"]:
        wrong.append("date")
    return wrong


def compare(gold: list[dict], by_article: dict[str, list[EventMention]]) -> str:
    """Per gold event the best mention in its articles; then the mentions no gold event explains,
    grouped the way fusion groups them (sub-type, admin1 or place, day)."""
    out = ["", "=== gold events: best mention (fields it gets wrong)"]
    used: set[int] = set()
    found = 0
    for g in gold:
        cands = [m for a in g["articles"] for m in by_article.get(a, [])]
        best = min(cands, key=lambda m: len(_fields(g, m)), default=None)
        wrong = _fields(g, best) if best else ["no mention"]
        for m in cands:
            if len(_fields(g, m)) <= 1 and "sub_type" not in _fields(g, m):
                used.add(id(m))
        found += not wrong
        out.append(f"{g['id']:4s} {'OK  ' if not wrong else 'MISS'} {g['sub_event_type']} | {g['actor1']} | "
                   f"{g.get('location', '')} [{g.get('admin1', '')}] | {g['date']}  wrong: {','.join(wrong)}")
        if best:
            out.append("        " + line(best).replace("\n", "\n        "))
    out.append(f"{found}/{len(gold)} gold events have a mention right in type, sub-type, actor1, admin1, date")
    gold_keys = {(g["sub_event_type"], a.strip(), g["date"]) for g in gold
                 for a in (g.get("admin1", "") or "").split(";")}
    groups: dict[tuple, list[EventMention]] = {}
    for ms in by_article.values():
        for m in ms:
            key = (m.sub_event_type, (m.place.admin1 if m.place else "") or m.location_text, m.date)
            if id(m) in used or key in gold_keys:
                continue
            groups.setdefault(key, []).append(m)
    out.append(f"\n=== {len(groups)} groups of mentions with no gold event (sub-type, admin1/place, day)")
    for key, ms in groups.items():
        out.append(f"  {key}: {len(ms)} mention(s), e.g. {ms[0].sentence[:100]}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--gold", default=None, help="seeds_gold.json-style file: events with articles")
    ap.add_argument("--published", action="append", default=[],
                    help="ARTICLE_ID=YYYY-MM-DD: publication date to use (texts without metadata)")
    ap.add_argument("-v", "--verbose", action="store_true", help="log why triggers were not events")
    args = ap.parse_args(argv)
    if args.verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(message)s")
        logging.getLogger("sitroom.events.extract").setLevel(logging.DEBUG)
    by_article: dict[str, list[EventMention]] = {}
    for p in args.paths:
        path = Path(p)
        pub = dict(x.split("=", 1) for x in args.published).get(path.stem)
        by_article[path.stem] = mentions_for(path, pub)
        print(f"=== {path.stem}: {len(by_article[path.stem])} mentions")
        for m in by_article[path.stem]:
            print("  " + line(m))
    if args.gold:
        gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))["events"]
        print(compare(gold, by_article))
    return 0


if __name__ == "__main__":
    sys.exit(main())
