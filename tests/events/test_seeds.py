"""The seed articles against the analyst's reading (skipped without ../shared).

Only what this stage decides is checked here: event type, sub-event type and actor1. Places (admin1)
and dates come from the geo and time stages; `python -m sitroom.events.show` prints the full comparison.
"""

import json
import re
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "corpus" / "seeds_gold.json"


@pytest.mark.shared
@pytest.mark.skipif(not GOLD.exists(), reason="../shared/corpus absent")
def test_gold_events_have_mentions_and_tallies_are_not_events():
    from sitroom.events.show import mentions_for

    by_article = {p.stem: mentions_for(p) for p in sorted(SEEDS.glob("*.txt"))}
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["events"]
    found = 0
    for g in gold:
        found += any(m.scope == "event" and m.event_type == g["event_type"] and m.sub_event_type == g["sub_event_type"]
                     and m.actor1 is not None and m.actor1.name == g["actor1"]
                     for a in g["articles"] for m in by_article[a])
    assert found >= 12, f"{found}/13 gold events have a mention with their type, sub-type and actor1"
    tally = re.compile(r"more than \d+ (of the|districts|areas|provinces)|about a third|since (May|mid-April)")
    for ms in by_article.values():
        for m in (m for m in ms if m.scope == "event"):  # tallies may stay as aggregate mentions
            # what follows the trigger word must not be a tally ("occupied more than 50 of the ...")
            at = m.sentence.find(m.trigger.split()[0])
            assert not tally.search(m.sentence[at:at + 60]), m.sentence
