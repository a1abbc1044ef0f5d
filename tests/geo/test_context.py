"""Resolution in the light of the article (issue 4, s-geo2): named provinces for worded names,
one sense per article, coherence of nearby names, sub-names, small places, eval halves.
Texts are written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.geo import geoparse, resolve_name

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def nlp():
    from sitroom.nlp import load_nlp

    return load_nlp()


def _places(nlp, text: str, name: str) -> list:
    return [t.place for t in geoparse(nlp(text)) if t.text == name]


def test_a_county_lies_in_the_province_the_article_names(nlp):
    # Texas towns in pass 1 would pull Monroe County elsewhere; the article names Iowa itself.
    text = "Tools stolen in Austin and Houston turned up in Iowa, in Dallas County and in Monroe County."
    (monroe,) = _places(nlp, text, "Monroe County")
    assert monroe.admin1 == "Iowa" and monroe.feature == "admin2"


def test_a_bare_name_keeps_the_place_its_container_gave_it(nlp):
    text = ("A driver from Paris, Missouri, was flown to a hospital in Dallas, Texas. "
            "His father, of Paris, said he was stable.")
    places = _places(nlp, text, "Paris")
    assert len(places) == 2 and all(p.admin1 == "Missouri" for p in places)


def test_names_of_one_article_support_nearby_readings(nlp):
    text = "Suffolk County police said the crash happened on a road between Riverhead and Southampton."
    (southampton,) = _places(nlp, text, "Southampton")
    assert southampton.admin1 == "New York"


def test_a_span_that_holds_a_well_known_place():
    police = resolve_name("St. Louis Police")
    assert police is not None and police.admin1 == "Missouri" and police.feature == "city"
    assert resolve_name("Nazi Germany").feature == "country"
    # a river or an island is not the place it is named after
    assert resolve_name("Mississippi River") is None
    assert resolve_name("Xqzzv Wrrbl Police") is None


def test_villages_of_a_few_hundred_people_and_named_regions(nlp):
    (hinton,) = _places(nlp, "A barn burned near Hinton, Iowa, on Sunday.", "Hinton")
    assert hinton.admin1 == "Iowa"
    (korea,) = _places(nlp, "Tensions on the Korean Peninsula rose again.", "Korean Peninsula")
    assert korea.feature == "region" and 37 < korea.latitude < 40


def test_eval_halves_partition_the_file():
    from sitroom.eval.geo import evaluate

    whole = evaluate(FIXTURES / "lgl_small.xml", quiet=True)
    odd = evaluate(FIXTURES / "lgl_small.xml", quiet=True, half="odd")
    even = evaluate(FIXTURES / "lgl_small.xml", quiet=True, half="even")
    assert odd["n"] + even["n"] == whole["n"]
    assert odd["articles"] + even["articles"] == whole["articles"] and odd["articles"] >= 1


def test_a_dateline_names_a_town(nlp):
    text = "VICTORIA - The dam will flood farms, the premier told reporters in Canada."
    places = [t.place for t in geoparse(nlp(text)) if t.text == "VICTORIA"]
    assert places and places[0].feature == "city" and places[0].country == "Canada"


def test_a_name_before_a_town_body_is_a_town(nlp):
    (thomas,) = _places(nlp, "St. Thomas police confirmed two overdoses on Friday.", "St. Thomas")
    assert thomas.feature == "city"
    # a state's own bodies say so ("Texas state police"): the state keeps its sense
    (texas,) = _places(nlp, "Texas state police closed the highway.", "Texas")
    assert texas.feature == "admin1"
