import pytest

from sitroom.events.frames import CHECKS, REQUIREMENTS, Participants, code_for, frames, parse_trigger, trigger_entries
from sitroom.events.taxonomy import cue_counts, cue_patterns, taxonomy


def test_acled_has_6_types_and_25_sub_types():
    acled = [t for t in taxonomy().values() if t.event_type]
    assert len(acled) == 25
    assert len({t.event_type for t in acled}) == 6


def test_every_cue_and_frame_maps_to_the_taxonomy():
    codes = set(taxonomy())
    assert set(cue_patterns()) <= codes
    for frame in frames().values():
        assert frame.requires in REQUIREMENTS, frame.name
        assert frame.rules, frame.name
        for rule in frame.rules:
            assert rule.code == "" or rule.code in codes, (frame.name, rule.code)
    for entries in trigger_entries().values():
        for e in entries:
            assert e.frame in frames() and (not e.check or e.check in CHECKS)


def test_trigger_spec_syntax():
    e = parse_trigger("take over/VERB?not_as", "TAKE")
    assert (e.lemma, e.particle, e.pos, e.check) == ("take", "over", "VERB", "not_as")
    assert parse_trigger("seize", "TAKE").pos == "ANY"


def _code(frame: str, agent: str, target: str, text: str) -> str | None:
    return code_for(frames()[frame], Participants(agent, target, {agent, target} - {""}), text)


def test_territory_rules():
    assert _code("TAKE", "nonstate", "", "the Taliban seized the town") == "NON_STATE_ACTOR_OVERTAKES_TER"
    assert _code("TAKE", "state", "", "the army seized the town") == "GOV_REGAINS_TERIT"
    assert _code("TAKE", "nonstate", "", "took five districts without a fight") == "NON_VIOL_TERRIT_TRANSFER"
    assert _code("CROSS", "state", "", "soldiers crossed the border") == "OTHER"
    assert _code("CROSS", "civilian", "", "people fled across the border") is None


@pytest.mark.parametrize("frame,agent,target,text,code", [
    ("KILL", "nonstate", "civilian", "gunmen killed five villagers", "ATTACK"),
    ("KILL", "rioter", "civilian", "a mob killed two men", "MOB_VIOL"),
    ("ATTACK", "state", "nonstate", "troops attacked the rebels", "ARMED_CLASH"),
    ("FIRE", "state", "rioter", "police fired on the mob", "MOB_VIOL"),
    ("FIRE", "state", "protester", "police opened fire on protesters, killing two", "FORCE_AGAINST_PROTEST"),
    ("FIRE", "state", "protester", "police fired rubber bullets at protesters", "PROTEST_WITH_INTER"),
    ("ARSON", "rioter", "property", "rioters torched shops", "MOB_VIOL"),
    ("CLASH", "identity", "identity", "hindus and muslims clashed", "MOB_VIOL"),
    ("CLASH", "state", "nonstate", "troops clashed with militants", "ARMED_CLASH"),
])
def test_who_does_it_to_whom_decides_the_type(frame, agent, target, text, code):
    assert _code(frame, agent, target, text) == code


def test_cues_count_words():
    counts = cue_counts("A suicide bomber blew himself up near a checkpoint.")
    assert counts["SUIC_BOMB"] >= 1
    assert counts["GRENADE"] == 0
