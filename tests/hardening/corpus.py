"""A generated corpus of conflict-news-like articles for the crash, concurrency and limit tests.

The texts are assembled here from short template sentences (written for these tests), with places,
actors, numbers and dates drawn from a seeded RNG, so every run of a test sees the same corpus.
Some articles are verbatim or lightly edited copies of others, so stories have more than one member.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from tests.compare_outputs import comparable_output

PROVINCES = ["Kunduz", "Ghazni", "Herat", "Kandahar", "Balkh", "Nangarhar", "Helmand",
             "Badakhshan", "Takhar", "Baghlan", "Faryab", "Jowzjan", "Nimroz", "Badghis"]
ACTORS = ["Taliban fighters", "government forces", "the Afghan army", "police", "militants",
          "local militia members", "security forces", "unidentified gunmen"]
OUTLETS = ["Example Times", "Daily Example", "Example Wire", "The Example Post"]
MONTHS = ["June", "July", "August"]
SYLLABLES = ["qa", "ra", "bagh", "dar", "zai", "khel", "man", "sha", "hir", "pur", "kot", "gul",
             "nao", "bad", "tan", "jan", "ser", "mir", "wal", "ab"]
FIRST = ["Ahmad", "Farid", "Nasir", "Hamid", "Zabihullah", "Karim", "Rahim", "Sadiq", "Wahid"]
SENTENCES = [
    "{actor} attacked a checkpoint near the village of {village} in {province} on {day} {month}, "
    "officials said.",
    "At least {n} people were killed and {m} wounded in clashes around {village}.",
    "{actor} took control of the {village} district centre after {hours} hours of fighting.",
    "A roadside bomb struck a vehicle carrying {actor2} outside {village}, killing {n}.",
    "\"We will not abandon {village},\" {person}, a spokesman for {actor2}, told reporters.",
    "Residents of {village} said {actor} had shelled their homes for {hours} hours.",
    "The governor of {province}, {person}, said {n} civilians died when a mortar hit the "
    "{village} market.",
    "{actor} denied claims that they had captured {village}, calling the reports propaganda.",
    "Airstrikes targeted positions held by {actor2} east of {village} overnight.",
    "About {m} families fled {village} toward the capital of {province}, aid workers said.",
]
FURNITURE = ["Share this article", "Advertisement", "Related Articles", "Source link"]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _incident(rng: random.Random) -> dict[str, object]:
    """One real-world incident: what every report of it shares."""
    return {"village": _name(rng, 3), "province": rng.choice(PROVINCES),
            "actor": rng.choice(ACTORS).capitalize(), "actor2": rng.choice(ACTORS),
            "person": f"{rng.choice(FIRST)} {_name(rng, 2)}", "n": rng.randint(2, 40),
            "m": rng.randint(1, 60), "hours": rng.randint(2, 30), "day": rng.randint(1, 28),
            "month": rng.choice(MONTHS)}


def _report(rng: random.Random, incident: dict[str, object], k: int) -> str:
    """One article about an incident: its own choice and order of sentences."""
    title = f"Fighting reported near {incident['village']} in {incident['province']} ({k})"
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        sentences = [rng.choice(SENTENCES).format(**incident) for _ in range(rng.randint(1, 3))]
        paragraphs.append(" ".join(s[0].upper() + s[1:] for s in sentences))
        if rng.random() < 0.15:
            paragraphs.append(rng.choice(FURNITURE))
    return "\n\n".join([title, *paragraphs])


def write_corpus(folder: Path, n: int, seed: int = 7, start: int = 0) -> list[Path]:
    """n articles as .txt files plus one .jsonl holding a tenth of them. About half the incidents
    are reported more than once; one report in eight is a copy (verbatim or with a changed last
    paragraph) of an earlier one."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    incidents: list[dict[str, object]] = []
    written: list[str] = []
    paths = []
    records = []
    for k in range(start, start + n):
        if written and rng.random() < 0.125:
            text = rng.choice(written)
            if rng.random() < 0.5:
                text = text.rsplit("\n\n", 1)[0] + "\n\nThe situation remained tense, officials said."
        else:
            if not incidents or rng.random() < 0.6:
                incidents.append(_incident(rng))
            text = _report(rng, rng.choice(incidents[-3:]), k)
        written.append(text)
        if k % 10 == 9:
            records.append({"id": f"feed-{k:05d}", "text": text, "outlet": rng.choice(OUTLETS),
                            "published": f"2021-07-{rng.randint(1, 28):02d}"})
            continue
        path = folder / f"art_{k:05d}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    if records:
        feed = folder / f"feed_{start:05d}.jsonl"
        feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        paths.append(feed)
    return paths


OUTPUTS = ["articles.csv", "stories.json", "events.csv", "quotes.csv", "contradictions.csv",
           "control.csv"]


def snapshot_outputs(out: Path) -> dict[str, bytes]:
    """Every contract file (event timestamps blanked: wall-clock time) and every clean/ text,
    by relative name."""
    files = {name: comparable_output(out / name).encode("utf-8") for name in OUTPUTS}
    for path in sorted((out / "clean").iterdir()):
        files[f"clean/{path.name}"] = path.read_bytes()
    return files


def sitroom_cmd(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sitroom", "run", str(corpus), "--out", str(out), "-q"]


def run_sitroom(corpus: Path, out: Path, env: dict[str, str], timeout: float = 300) -> None:
    done = subprocess.run(sitroom_cmd(corpus, out), env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
