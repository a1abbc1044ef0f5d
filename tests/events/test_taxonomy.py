from sitroom.events.acled import FIXED, code_for
from sitroom.events.taxonomy import cue_counts, cue_patterns, taxonomy
from sitroom.events.triggers import trigger_entries


def test_acled_has_6_types_and_25_sub_types():
    acled = [t for t in taxonomy().values() if t.event_type]
    assert len(acled) == 25
    assert len({t.event_type for t in acled}) == 6


def test_every_cue_and_frame_maps_to_the_taxonomy():
    codes = set(taxonomy())
    assert set(cue_patterns()) <= codes
    assert set(FIXED.values()) <= codes
    frames = {e.frame for es in trigger_entries().values() for e in es}
    for frame in frames:
        got = code_for(frame, "nonstate", "", "they fought")
        assert got is None or got in codes, frame


def test_territory_rules():
    assert code_for("TAKE", "nonstate", "", "the Taliban seized the town") == "NON_STATE_ACTOR_OVERTAKES_TER"
    assert code_for("TAKE", "state", "", "the army seized the town") == "GOV_REGAINS_TERIT"
    assert code_for("TAKE", "nonstate", "", "took five districts without a fight") == "NON_VIOL_TERRIT_TRANSFER"
    assert code_for("CROSS", "state", "", "soldiers crossed the border") == "OTHER"
    assert code_for("CROSS", "civilian", "", "people fled across the border") is None
    assert code_for("KILL", "nonstate", "civilian", "gunmen killed five villagers") == "ATTACK"


def test_cues_count_words():
    counts = cue_counts("A suicide bomber blew himself up near a checkpoint.")
    assert counts["SUIC_BOMB"] >= 1
    assert counts["GRENADE"] == 0
