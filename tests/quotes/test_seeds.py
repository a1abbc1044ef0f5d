"""The five seed articles: every speaker of the analyst's reading under one canonical name, with a role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.nlp import parse_many
from sitroom.quotes import canonicalise_speakers, extract_quotes

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "corpus" / "seeds_gold.json"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not GOLD.exists(), reason="needs ../shared/corpus"),
]


@pytest.fixture(scope="module")
def seed_quotes():
    files = sorted(SEEDS.glob("*.txt"))
    quotes = []
    for f, doc in zip(files, parse_many([f.read_text(encoding="utf-8") for f in files])):
        quotes.extend(extract_quotes(doc, f.stem))
    return canonicalise_speakers(quotes)


def test_every_gold_speaker_has_one_canonical_name_and_a_role(seed_quotes):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["quotes"]
    for person in gold:
        mine = [q for q in seed_quotes if q.speaker_canonical == person["speaker"]]
        assert {q.article_id for q in mine} >= set(person["articles"]), person["speaker"]
        assert all(q.speaker_role for q in mine), person["speaker"]
        for variant in person.get("variants", []):
            spun = [q for q in seed_quotes if q.speaker == variant]
            assert spun and {q.speaker_canonical for q in spun} == {person["speaker"]}


def test_indirect_denial_is_a_denial(seed_quotes):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["quotes"]
    for person in gold:
        if "denial" in person.get("kind", ""):
            mine = [q for q in seed_quotes if q.speaker_canonical == person["speaker"]]
            assert any(q.stance == "deny" and q.kind == "indirect" for q in mine), person["speaker"]
