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

from sitroom.records import CleanArticle, EventMention


def mentions_for(path: Path) -> list[EventMention]:
    from sitroom import geo
    from sitroom import time as time_stage
    from sitroom.events import extract_event_mentions
    from sitroom.nlp import parse

    text = path.read_text(encoding="utf-8")
    art = CleanArticle(path.stem, "", text, str(path), "txt")
    published = time_stage.publication_date(art)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--gold", default=None, help="seeds_gold.json-style file: events with articles")
    args = ap.parse_args(argv)
    by_article: dict[str, list[EventMention]] = {}
    for p in args.paths:
        path = Path(p)
        by_article[path.stem] = mentions_for(path)
        print(f"=== {path.stem}: {len(by_article[path.stem])} mentions")
        for m in by_article[path.stem]:
            print("  " + line(m))
    if args.gold:
        gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))["events"]
        print("\n=== gold events: mentions with the same sub-event type and actor1 in their articles")
        hit = 0
        for g in gold:
            cands = [m for a in g["articles"] for m in by_article.get(a, [])
                     if m.sub_event_type == g["sub_event_type"] and m.actor1 and m.actor1.name == g["actor1"]]
            ok = bool(cands)
            hit += ok
            print(f"{g['id']:4s} {'OK  ' if ok else 'MISS'} {g['sub_event_type']} | {g['actor1']} | "
                  f"{g.get('location', '')} [{g.get('admin1', '')}] | {g['date']}")
            for m in cands[:3]:
                print("        " + line(m).replace("\n", "\n        "))
        print(f"{hit}/{len(gold)} gold events have a matching mention")
    return 0


if __name__ == "__main__":
    sys.exit(main())
