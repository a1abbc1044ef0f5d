"""Airports from the airportsdata package (issue 4, s-geo4): which names an airport is indexed
under, and that a town of the same name keeps its name without the airport's country in play.
Texts are written for these tests."""

from __future__ import annotations

from sitroom.geo import geoparse
from sitroom.geo.airports import AIRPORT, airport_names
from sitroom.geo.gazetteer import load_gazetteer


def test_names_of_an_airport():
    always, bare = airport_names("London Heathrow Airport", "London")
    assert always == ["London Heathrow Airport", "Heathrow Airport"]
    assert bare == ["London Heathrow", "Heathrow"]
    # the city's own name is never an airport's bare name
    assert airport_names("Kabul International Airport", "Kabul") == (["Kabul International Airport"], [])
    assert airport_names("Amsterdam Airport Schiphol", "Amsterdam")[1] == ["Schiphol"]


def test_index_keeps_towns_and_codes_to_themselves():
    gz = load_gazetteer()
    assert any(gz.feature[i] == AIRPORT and gz.country[i] == "GB" for i in gz.lookup("Gatwick"))
    # a field named after the town beside it adds no second reading of the town's name
    assert not any(gz.feature[i] == AIRPORT for i in gz.lookup("Luton"))
    # bare IATA codes are never names
    assert not any(gz.feature[i] == AIRPORT for i in gz.lookup("LHR"))


def test_airport_in_its_country(place_named):
    place = place_named("British Airways cancelled flights from London after a power cut at "
                        "Heathrow on Sunday, and passengers were sent on to Manchester.", "Heathrow")
    assert (place.feature, place.country) == ("airport", "United Kingdom")
    assert place.geo_precision == 1


def test_town_keeps_its_name_elsewhere(place_named):
    place = place_named("Deputies in Sanford, Florida, said the crash happened in Heathrow "
                        "near Lake Mary late on Friday.", "Heathrow")
    assert (place.feature, place.admin1) == ("city", "Florida")
