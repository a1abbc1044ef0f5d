"""Quote extraction on short texts written for these tests."""

from __future__ import annotations

import pytest

from sitroom.nlp import parse
from sitroom.quotes import extract_quotes
from sitroom.quotes.extract import quote_regions
from sitroom.quotes.speakers import normalise_role


def quotes_of(text: str):
    return extract_quotes(parse(text), "t1")


def test_quote_regions_pair_curly_and_straight_marks():
    text = 'He said “we hold it” and "they fled" then “open\nnext'
    regions = quote_regions(text)
    assert [text[a:b] for a, b in regions] == ["“we hold it”", '"they fled"', "“open"]


def test_indirect_quote_with_role_before_name():
    qs = quotes_of("Army spokesman Ahmad Noori said the rebels had withdrawn from the town on Monday.")
    assert len(qs) == 1
    q = qs[0]
    assert q.speaker == "Ahmad Noori"
    assert q.speaker_role == "Army spokesman"
    assert q.kind == "indirect"
    assert q.cue == "said"
    assert q.stance == "assert"
    assert q.text.startswith("the rebels had withdrawn from the town")


def test_pronoun_resolves_to_previous_named_speaker():
    text = (
        "Rebel spokesman Karim Dost confirmed that the fighters had taken the bridge.\n\n"
        "“We destroyed two tanks and the army ran away,” he told Reuters."
    )
    qs = quotes_of(text)
    direct = [q for q in qs if q.kind == "direct"]
    assert len(direct) == 1
    assert direct[0].speaker == "Karim Dost"
    assert direct[0].text.startswith("“We destroyed two tanks")
    assert text[direct[0].start : direct[0].end].startswith("“We destroyed")


def test_denial_has_deny_stance_and_appositive_role():
    text = (
        "Farid Nazari, a spokesman for the Ministry of Interior, denied these reports and said "
        "the crossing was still under the control of government forces."
    )
    qs = quotes_of(text)
    deny = [q for q in qs if q.stance == "deny"]
    assert deny and deny[0].speaker == "Farid Nazari"
    assert deny[0].text == "these reports"
    assert deny[0].speaker_role == "Interior Ministry spokesman"
    asserted = [q for q in qs if q.stance == "assert"]
    assert asserted and "still under the control" in asserted[0].text
    assert asserted[0].speaker == "Farid Nazari"


def test_name_in_appositive_after_role_head():
    qs = quotes_of("The head of the Herat provincial council, Nasir Wardak, confirmed the fall of the district.")
    assert qs and qs[0].speaker == "Nasir Wardak"
    assert "Herat provincial council" in qs[0].speaker_role


def test_surname_resolves_to_full_name_and_colon_quote():
    text = (
        "Provincial council member Laila Hamidi said the road was closed.\n\n"
        "Hamidi told AFP: “Nobody can leave the city now.”"
    )
    qs = quotes_of(text)
    assert [q.speaker for q in qs] == ["Laila Hamidi", "Laila Hamidi"]
    assert qs[1].kind == "direct" and "Nobody can leave" in qs[1].text


def test_thoughts_are_not_quotes():
    assert quotes_of("Many residents believe that the town will fall soon.") == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("a spokesman for the Ministry of Defense", "Defense Ministry spokesman"),
        ("member of the provincial council", "provincial council member"),
        ("Taliban spokesman", "Taliban spokesman"),
    ],
)
def test_normalise_role(role, expected):
    assert normalise_role(role) == expected


def test_indefinite_source_keeps_its_article():
    qs = quotes_of("An army officer told AFP that the soldiers had left the checkpoints.")
    assert qs and qs[0].speaker == "An army officer"
    assert qs[0].speaker_role == "army officer"


def test_according_to_repeating_a_named_quote_is_dropped():
    qs = quotes_of("The rebels captured the dry port on Tuesday, council member Aziz Amiri said, according to AFP.")
    assert [q.speaker for q in qs] == ["Aziz Amiri"]


def test_parenthetical_cue_and_continued_quotation():
    text = (
        "The road to the city, the governor said, is now closed to all traffic.\n\n"
        "“We cannot hold the bridge,” Ahmad Wali said on Monday. “The enemy has tanks. We have none.”"
    )
    qs = quotes_of(text)
    paren = [q for q in qs if q.cue == "said" and "road to the city" in q.text]
    assert paren and "now closed to all traffic" in paren[0].text
    direct = [q for q in qs if q.speaker == "Ahmad Wali"]
    assert len(direct) == 1
    assert "We cannot hold the bridge" in direct[0].text and "We have none." in direct[0].text


def test_a_lowercase_dateline_before_the_speaker_is_not_the_speaker():
    # case-folded pages (the bench's) glue the dateline into the subject's parse
    (q,) = quotes_of("new delhi: uttar pradesh governor vishnu kant shastri on tuesday asserted "
                     "that the supreme court order would be implemented.")
    assert "delhi" not in q.speaker.lower() and "delhi" not in q.speaker_role.lower()
    assert "vishnu kant" in q.speaker and "governor" in q.speaker_role
    # or read as a second subject of the verb
    (q,) = quotes_of("new delhi: prime minister atal bihari vajpayee on saturday said the "
                     "government will abide by the court's directions.")
    assert (q.speaker, q.speaker_role) == ("atal bihari vajpayee", "prime minister")


def test_transcript_label_is_a_speaker_but_a_dateline_is_not():
    text = (
        "KABUL: The Taliban seized the crossing on Tuesday.\n\n"
        "Chris Matthews: Seriously, nobody believes the army can hold the north now."
    )
    qs = quotes_of(text)
    assert [q.speaker for q in qs] == ["Chris Matthews"]
    assert qs[0].text.startswith("Seriously, nobody believes")
