"""ACLED coding rules: from a trigger frame and its arguments to an ACLED event type and sub-event type.

Rules (ACLED Codebook): territory taken through fighting is a Battle (Non-state actor overtakes territory,
or Government regains territory when state forces take it); taken without a fight it is a Strategic
development (Non-violent transfer of territory); troops crossing or fleeing a border are Strategic
developments / Other; when types co-occur in one incident the hierarchy (rank in acled_taxonomy.json)
decides. A takeover reversed within a day is an Armed clash (applied per article in extract.py).
"""

from __future__ import annotations

import re

from sitroom.events.taxonomy import SubEventType, taxonomy

NO_FIGHT = re.compile(r"\bwithout (a |any )?(fight|fighting|resistance|a shot|clashes|bloodshed)\b|\bpeacefully\b")
SUICIDE = re.compile(r"\bsuicide\b|\bblew (himself|herself|themselves) up\b")
ARMED_SIDES = {"state", "nonstate", "external"}

# frames whose sub-type does not depend on the actors
FIXED: dict[str, str] = {
    "AIR_STRIKE": "AIR_STRIKE",
    "ART_MISS_ATTACK": "ART_MISS_ATTACK",
    "GRENADE": "GRENADE",
    "ABDUCT": "ABDUCT_DISSAP",
    "ARREST": "ARREST",
    "SEX_VIOL": "SEX_VIOL",
    "PROTEST": "PEACE_PROTEST",
    "RIOT": "VIOL_DEMONSTR",
    "LOOT": "PROPERTY_DISTRUCT",
    "AGREEMENT": "AGREEMENT",
    "DISRUPT": "DISR_WEAP",
    "DEFECT": "CHANGE_TO_GROUP_ACT",
    "WITHDRAW": "NON_VIOL_TERRIT_TRANSFER",
    "HANDOVER": "NON_VIOL_TERRIT_TRANSFER",
    "SURRENDER": "NON_VIOL_TERRIT_TRANSFER",
    "CLASH": "ARMED_CLASH",
    "INCURSION": "ARMED_CLASH",
}


def code_for(frame: str, side1: str, victim_side: str, clause_text: str) -> str | None:
    """The CASE/ACLED code for a frame, or None when the frame reports no ACLED event here."""
    low = clause_text.lower()
    if frame in ("TAKE", "FALL"):
        if NO_FIGHT.search(low):
            return "NON_VIOL_TERRIT_TRANSFER"
        return "GOV_REGAINS_TERIT" if side1 == "state" else "NON_STATE_ACTOR_OVERTAKES_TER"
    if frame == "REGAIN":
        if NO_FIGHT.search(low):
            return "NON_VIOL_TERRIT_TRANSFER"
        return "NON_STATE_ACTOR_OVERTAKES_TER" if side1 == "nonstate" else "GOV_REGAINS_TERIT"
    if frame == "EXPLOSION":
        return "SUIC_BOMB" if SUICIDE.search(low) else "REM_EXPLOS"
    if frame in ("ATTACK", "KILL"):
        if victim_side in ("civilian", "protester"):
            return "FORCE_AGAINST_PROTEST" if victim_side == "protester" else "ATTACK"
        if SUICIDE.search(low):
            return "SUIC_BOMB"
        return "ARMED_CLASH"
    if frame == "CROSS":
        # armed forces leaving across a border: a strategic development; civilians fleeing are not coded
        return "OTHER" if side1 in ARMED_SIDES else None
    return FIXED.get(frame)


def sub_type(code: str) -> SubEventType:
    return taxonomy()[code]
