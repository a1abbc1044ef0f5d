"""A small hand-written store for the report and web tests: four events, two stories with lineage,
quotes, a contradiction, control rows, and hostile text in every kind of field.

The texts are invented for these tests; the places are real so the map has something to show.
"""

from __future__ import annotations

from pathlib import Path

from sitroom.records import (
    CleanArticle,
    Contradiction,
    ControlRecord,
    Event,
    LineageLink,
    PublicationDate,
    Quote,
    Story,
)
from sitroom.store import Store, open_store

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(2)</script>"
HOSTILE = f"Residents said {SCRIPT} and {IMG} then {BREAKOUT} \u2028 & done."


def _article(aid: str, title: str, text: str, outlet: str, url: str | None = None) -> CleanArticle:
    return CleanArticle(article_id=aid, title=title, text=text, source_path=f"{aid}.txt", fmt="txt",
                        url=url, outlet=outlet, wire="AFP", content_hash=f"hash-{aid}")


ARTICLES = [
    _article("a1", "Fighters take river crossing after short battle",
             "Fighters took the river crossing on Tuesday after an hour of fighting, officials said.",
             "Wire Desk", "https://example.org/a1"),
    _article("a2", "Fighters take river crossing after short battle (copy)",
             "Fighters captured the river crossing Tuesday after one hour of fighting, officials said.",
             "Copy Site"),
    _article("a3", f"Hostile title {SCRIPT} {IMG}", HOSTILE, f"Outlet {IMG}",
             "javascript:alert(3)"),
    _article("a4", "Blast hits market in provincial capital",
             "A blast hit the market in the provincial capital on Monday, killing seven people.",
             "Local News"),
]

EVENTS = [
    Event("E-battle", "2021-06-22", 1, "Battles", "Non-state actor overtakes territory",
          actor1="Taliban", actor2="Military Forces of Afghanistan", inter1="Rebel group",
          inter2="State forces", country="Afghanistan", admin1="Kunduz", admin2="Imam Sahib", location="Shir Khan Bandar", latitude=37.18,
          longitude=68.61, geo_precision=1, fatalities=0, claim_status="reported", n_reports=2,
          n_independent_sources=1, article_ids=["a1", "a2"], sources=["AFP", "Wire Desk"],
          trace="After about an hour of fighting.",
          evidence=["Fighters took the river crossing on Tuesday after an hour of fighting."]),
    Event("E-blast", "2021-06-28", 1, "Explosions/Remote violence", "Remote explosive/landmine/IED",
          actor1="Unidentified Armed Group (Afghanistan)", actor2="Civilians (Afghanistan)",
          assoc_actor_2="Hazara Ethnic Group (Afghanistan)",
          inter1="Political militia", inter2="Civilians", country="Afghanistan", admin1="Balkh", admin2="Mazar-e-Sharif", location="Mazar-e-Sharif",
          latitude=36.71, longitude=67.11, geo_precision=1, fatalities=7, fatalities_max=9,
          claim_status="reported", n_reports=1, n_independent_sources=1, article_ids=["a4"],
          sources=["Local News"], evidence=["A blast hit the market on Monday, killing seven people."]),
    Event("E-hostile", "2021-07-03", 2, "Violence against civilians", "Attack",
          actor1=f"Gang {SCRIPT}", actor2="Civilians (Afghanistan)", inter1="Political militia",
          inter2="Civilians", country="Afghanistan",
          admin1="Herat", admin2="", location=f"Village {IMG}", latitude=34.34, longitude=62.2,
          geo_precision=2, fatalities=25, claim_status="claimed", n_reports=1,
          n_independent_sources=1, article_ids=["a3"], sources=[f"Src {IMG}"],
          trace=f"note {BREAKOUT}", evidence=[HOSTILE]),
    Event("E-undated", None, None, "Strategic developments", "Other", actor1="Taliban",
          inter1="Rebel group",
          country="Afghanistan", admin1="Kunduz", location="Kunduz", latitude=None, longitude=None,
          n_reports=1, article_ids=["a1"], sources=["AFP"], evidence=["Officials said so."]),
]

STORIES = [
    Story("S1", "Fighters take river crossing", ["a1", "a2"], "a1", [
        LineageLink("a1", None, "origin", 1.0),
        LineageLink("a2", "a1", "spun", 0.87, ["synonym swaps", "shared quote"]),
    ]),
    Story("S2", f"Story {SCRIPT}", ["a3"], "a3", [LineageLink("a3", None, "origin", 1.0, [IMG])]),
    Story("S3", "Blast hits market", ["a4"], "a4", [LineageLink("a4", None, "origin", 1.0)]),
]

QUOTES = [
    Quote("q1", "a1", "Zabihullah Mujahid", "We took the crossing without a fight.",
          speaker_canonical="Zabihullah Mujahid", speaker_role="Taliban spokesman"),
    Quote("q2", "a3", f"Speaker {IMG}", HOSTILE, kind="indirect", stance="deny"),
]

CONTRADICTIONS = [
    Contradiction("E-blast", "fatalities", "7", ["Local News"], "9", ["Other Paper"], "number"),
    Contradiction("E-hostile", "claim", f"claimed {SCRIPT}", ["a3"], "denied", ["ministry"],
                  "claim_denial"),
]

CONTROL = [
    ControlRecord("Shir Khan Bandar", "Kunduz", "Imam Sahib", "2021-06-22", "Taliban", "claimed",
                  ["E-battle"]),
    ControlRecord(f"Village {IMG}", "Herat", "", "2021-07-03", f"Holder {SCRIPT}", "contested",
                  ["E-hostile"]),
]


def build_fixture_store(out_dir: Path) -> Path:
    """Write the fixture store into out_dir (the layout `sitroom run` leaves) and return out_dir."""
    store = open_store(out_dir)
    run_id = store.begin_run(["fixture"])
    store.upsert_articles(ARTICLES, run_id)
    store.save_stories(STORIES, {"a1": PublicationDate("2021-06-22", "metadata")})
    store.save_results(EVENTS, QUOTES, CONTRADICTIONS, CONTROL)
    store.finish_run(run_id, "done", len(ARTICLES), 0)
    store.close()
    return out_dir


def open_fixture(out_dir: Path) -> Store:
    return open_store(out_dir, readonly=True)
