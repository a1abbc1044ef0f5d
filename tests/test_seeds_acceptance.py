"""The seed articles against the analyst's reading (../shared/corpus/seeds_gold.json)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sitroom.eval.seeds import score_events, score_quotes, score_stories
from tests.conftest import SHARED


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def gold() -> dict:
    return json.loads((SHARED / "corpus" / "seeds_gold.json").read_text(encoding="utf-8"))


def test_three_stories_with_spun_copies(seeds_run: Path) -> None:
    stories = json.loads((seeds_run / "stories.json").read_text())
    result = score_stories(gold()["stories"], stories)
    assert result["stories_exact"] == 1.0
    assert result["relations"]["000_bf909d56e6d888d1"] == "spun"
    assert result["relations"]["001_a129a0f6ebb2d137"] == "spun"


def test_events_found_and_few_extra(seeds_run: Path) -> None:
    result = score_events(gold()["events"], rows(seeds_run / "events.csv"))
    assert result["events_found"] >= 11, result["missing_ids"]
    assert result["events_extra"] <= 3, result["extra_event_ids"]


def test_shir_khan_bandar_is_one_event_from_one_origin(seeds_run: Path) -> None:
    captures = [r for r in rows(seeds_run / "events.csv")
                if r["location"] == "Shir Khan Bandar" and r["event_date"] == "2021-06-22"
                and r["sub_event_type"] == "Non-state actor overtakes territory"]
    assert len(captures) == 1
    assert captures[0]["n_reports"] == "3" and captures[0]["n_independent_sources"] in ("1", "2")


def test_speakers_contradictions_and_control(seeds_run: Path) -> None:
    assert score_quotes(gold()["quotes"], rows(seeds_run / "quotes.csv"))["speakers_missing"] == []
    found = {(c["kind"], c["subject"]) for c in rows(seeds_run / "contradictions.csv")}
    assert ("claim_denial", "Islam Qala: Non-state actor overtakes territory") in found
    assert ("number", "districts held by the Taliban") in found
    assert ("number", "us troops") in found
    assert ("fact", "Imam Sahib") in found
    control = {(r["place"], r["holder"], r["status"]) for r in rows(seeds_run / "control.csv")}
    for place in ("Shir Khan Bandar", "Imam Sahib", "Panjwai"):
        assert any(p == place and h == "Taliban" for p, h, _ in control), place
    assert any(p == "Islam Qala" and s in ("contested", "claimed") for p, _, s in control)
    qala = sorted((r["date"], r["holder"]) for r in rows(seeds_run / "control.csv")
                  if r["place"] == "Qala-e-Naw")
    assert qala and qala[-1][1] == "Military Forces of Afghanistan"


def test_publication_dates(seeds_run: Path) -> None:
    dates = {r["article_id"][:3]: r["published"] for r in rows(seeds_run / "articles.csv")}
    assert dates["000"] in ("2021-06-22", "2021-06-23") and dates["001"] in ("2021-06-22", "2021-06-23")
    assert dates["003"] in ("2021-06-22", "2021-06-23")
    assert dates["002"] in ("2021-07-08", "2021-07-09") and dates["004"] == "2021-07-04"
