"""Place names in case-folded text (issue 21): the tagger finds few places in all-lower-case
text and takes words for places; the gazetteer scan reads the names of the article's countries
and distinctive names, not common words that some village is also called. Texts written for
these tests; each failed before this change."""

from __future__ import annotations

from sitroom.geo import find_spans, geoparse_alone
from sitroom.geo.lowercase import is_english_word, is_lowercased

FOLDED = ("ahmedabad: a mob set fire to four shops in naroda on sunday, police said. the bank near "
          "the bus stand was closed and the police used tear gas. later, the situation in vadodara "
          "and godhra was said to be tense, and the army was called out in the old city of "
          "ahmedabad. a law student, nirmala deshpande, said the men ran away when the police came.")


def test_case_folded_text_is_detected():
    assert is_lowercased(FOLDED)
    assert not is_lowercased("Police in Ahmedabad said a mob set fire to four shops in Naroda on Sunday, "
                             "and the Army was called out in the old city while the Bank stayed shut "
                             "and the situation in Vadodara and Godhra was tense.")


def test_english_words_are_known():
    assert is_english_word("police") and is_english_word("met") and is_english_word("bank")
    assert not is_english_word("naroda") and not is_english_word("godhra")


def test_places_of_case_folded_text(nlp):
    spans = find_spans(nlp(FOLDED))
    found = {sp.text for sp in spans}
    assert {"ahmedabad", "naroda", "vadodara", "godhra"} <= found
    # common words that are also some village's name, and a person's name, are no places
    assert not found & {"police", "bank", "mob", "said", "law", "men", "ran", "nirmala", "army"}
    assert [sp.kind for sp in spans if sp.text == "ahmedabad"][0] == "dateline"


def test_case_folded_places_resolve_in_the_article_s_country(nlp):
    places = {t.text: t.place for t in geoparse_alone(nlp(FOLDED))}
    assert places["naroda"].admin1 == "Gujarat"
    assert places["godhra"].admin1 == "Gujarat"


def test_a_dateline_with_its_district(nlp):
    spans = find_spans(nlp("ghodasar-jinjhar (kheda): on saturday a mob attacked the homes of the villagers "
                           "and set some houses on fire, and the police reached the village two days "
                           "later to find the bodies of the dead in the fields near the canal."))
    assert ("kheda", "dateline") in {(sp.text, sp.kind) for sp in spans}
