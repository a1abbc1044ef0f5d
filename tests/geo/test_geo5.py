"""How people write place names (issue 4, s-geo5): a suburb named after its city ("the Dayton
suburb of West Chester"), a direction before a container ("in northeast Missouri"), a province's own police
("Queensland Police"), a big town's short name ("Newcastle"), a two-part province by its first
part ("Newfoundland"), admin points that a misfiled place does not drag away, and two names
whose readings lie close together settling each other. Texts are
written for these tests; each failed before s-geo5 but the check that a town's police
keeps the town and that places without a gap are all kept."""

from __future__ import annotations

from sitroom.geo.gazetteer import _midpoint, _without_strays, haversine_km


def test_a_suburb_lies_at_its_city(place_named):
    # the gazetteer's only West Chester is in Pennsylvania, 700 km from Dayton
    place = place_named("He grew up in the Dayton suburb of West Chester and studied in "
                        "Columbus.", "West Chester")
    assert (place.name, place.admin1, place.geo_precision) == ("Dayton", "Ohio", 2)


def test_a_direction_before_the_container(place_named):
    # "in northeast Missouri" contains the county as "in Missouri" would
    place = place_named("After years in Indiana and Ohio, the family bought a farm in Monroe County "
                        "in northeast Missouri last spring.", "Monroe County")
    assert place.admin1 == "Missouri"


def test_a_province_s_police_is_no_hamlet_s(place_named):
    # a hamlet called Queensland lies in Alberta; "police" after a name usually makes it a town
    place = place_named("A spokesman for the Queensland Police Service said the two missing hikers "
                        "were safe.", "Queensland")
    assert (place.country, place.feature) == ("Australia", "admin1")
    # a town's police keeps the town (the Ontario city, not the Jamaican parish)
    place = place_named("St. Thomas police said the crash closed a road near London, Ontario.",
                        "St. Thomas")
    assert (place.country, place.feature) == ("Canada", "city")


def test_a_big_town_s_short_name(place_named):
    # GeoNames files Newcastle upon Tyne under its full name and a small Newcastle in County Down
    # under the short one; in a British article the short name is the big town's
    place = place_named("Doctors in Newcastle said the UK trial would start next year.", "Newcastle")
    assert place.admin1 == "England"


def test_a_two_part_province_by_its_first_part(place_named):
    place = place_named("Sales fell in Alberta, Saskatchewan and Newfoundland last year.", "Newfoundland")
    assert (place.name, place.feature) == ("Newfoundland and Labrador", "admin1")


def test_strays_are_cut_from_an_admin_point():
    # two places misfiled 15 degrees west of a province's 200 do not drag its point there
    body = [(31.0 + i * 0.03, 116.5 + i * 0.025) for i in range(200)]
    lat, lon = _midpoint(body + [(33.0, 100.3), (33.2, 100.7)])
    assert haversine_km(lat, lon, *_midpoint(body)) < 50
    # places without such a gap are all kept, whatever their spread
    even = [float(i) for i in range(40)]
    assert _without_strays(even) == even


def test_two_names_close_together_settle_each_other(nlp):
    # read alone, Edmonton is the Alberta city and Enfield a Connecticut town; their north London
    # namesakes lie 3 km apart, which a chance pair of namesakes seldom does
    from sitroom.geo import geoparse

    places = {t.text: t.place for t in geoparse(nlp("Volunteers from Edmonton planted a garden "
                                                     "this week, and Enfield councillors praised them."))}
    assert places["Edmonton"].country == places["Enfield"].country == "United Kingdom"
