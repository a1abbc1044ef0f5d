"""How people write place names (issue 4, s-geo6): a dateline the tagger already found ("WASHINGTON
(AP) -"), a nationality before a town's feature word ("the English city of Salisbury"), a direction
before a country's short name ("the Western US"), an organisation's acronym that spells a small
town ("the OAS in Washington"), the Soviet Union, and an adjective of nationality the tagger took
for a name ("Emirati"). Texts are written for these tests; each failed before s-geo6."""

from __future__ import annotations

from sitroom.geo import find_spans, resolve_spans
from sitroom.geo.recognize import Span


def test_a_dateline_the_tagger_found_is_still_a_dateline(nlp):
    text = "WASHINGTON (AP) — The senator spoke to reporters on Tuesday. Aides in the Blue Wing agreed."
    spans = find_spans(nlp(text))
    assert [(sp.text, sp.kind) for sp in spans][:1] == [("WASHINGTON", "dateline")]
    # so a name the gazetteer lacks lies in the dateline's town, not in another town of the text
    start = text.index("Blue Wing")
    extra = [Span(start, start + 9, "Blue Wing", "ner")]
    places = {t.text: t.place for t in resolve_spans(text, spans[:1] + extra)}
    assert places["Blue Wing"].admin1 == "District of Columbia"


def test_a_nationality_before_the_town_s_feature_word(place_named):
    # read alone, Salisbury is Harare's old name; "the English city of" puts it in England
    place = place_named("Police said the man was arrested in the English city of Salisbury on Sunday.",
                        "Salisbury")
    assert (place.country, place.admin1) == ("United Kingdom", "England")


def test_a_direction_before_a_country_s_short_name(place_named):
    # "Western US" has no exact reading; a looser spelling of the whole (a Wisconsin town) lost to
    # the country the direction takes a part of
    place = place_named("Tourists from the Western US flew to Maui, Hawaii last year.", "Western US")
    assert (place.name, place.feature) == ("United States", "country")


def test_an_acronym_spelling_a_small_town_is_weak_evidence(place_named):
    # "OAS" spells Oas, a town in the Philippines; the text puts the organisation in Washington
    place = place_named("Ministers from Dominica met at the OAS in Washington on Friday before flying "
                        "to New York.", "OAS")
    assert (place.name, place.country) == ("Washington", "United States")


def test_the_soviet_union_lies_at_russia(place_named):
    place = place_named("The nerve agent was developed in the Soviet Union decades ago.", "Soviet Union")
    assert (place.name, place.feature) == ("Russia", "country")


def test_an_adjective_of_nationality_taken_for_a_name():
    # the tagger sometimes tags a demonym as a place ("Emirati handler"): no place has that name,
    # so it is the country's adjective
    text = "The Emirati handler's colt won the race."
    places = resolve_spans(text, [Span(4, 11, "Emirati", "ner")])
    assert (places[0].place.country, places[0].place.feature) == ("United Arab Emirates", "country")


def test_two_countries_run_together_are_two_names(nlp):
    # a comma lost between two countries ("Cyprus, Greece Italy or Spain"): no place is called
    # "Greece Italy"; it is Greece and Italy
    text = "Youth unemployment is high in countries such as Cyprus, Greece Italy or Spain."
    names = [sp.text for sp in find_spans(nlp(text))]
    assert "Greece" in names and "Italy" in names


def test_a_country_by_the_first_part_of_its_name():
    # after "Trinidad and Tobago", "Trinidad" is the country, not the Colorado town
    text = "Trinidad and Tobago sent a note. The ministry in Trinidad did not reply."
    a, b = text.index("Trinidad", 10), text.index("Trinidad", 10) + 8
    spans = [Span(0, 19, "Trinidad and Tobago", "ner"), Span(a, b, "Trinidad", "ner")]
    places = resolve_spans(text, spans)
    assert places[1].place.name == "Trinidad and Tobago"


def test_a_bent_country_is_placed_inside_itself():
    # a C-shaped landmass (a band round three sides of a square) has its centre of area in the
    # gap; the country is placed inside itself, near that centre
    from sitroom.geo.gazetteer import _country_centre, _inside

    ring = [[0, 0], [10, 0], [10, 2], [2, 2], [2, 8], [10, 8], [10, 10], [0, 10], [0, 0]]
    geojson = {"features": [{"geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    lat, lon = _country_centre(geojson)
    assert _inside([(x, y) for x, y in ring], lon, lat)
    assert abs(lat - 5) < 1 and lon < 2.5
