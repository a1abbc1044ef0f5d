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

PLACES = ["Kunduz", "Ghazni", "Herat", "Kandahar", "Mazar-i-Sharif", "Jalalabad", "Lashkar Gah",
          "Faizabad", "Taloqan", "Pul-e-Khumri", "Maimana", "Sheberghan", "Zaranj", "Qala-i-Naw"]
ACTORS = ["Taliban fighters", "government forces", "the Afghan army", "police", "militants",
          "local militia members", "security forces", "unidentified gunmen"]
OUTLETS = ["Example Times", "Daily Example", "Example Wire", "The Example Post"]
MONTHS = ["June", "July", "August"]
SENTENCES = [
    "{actor} attacked a checkpoint near {place} on {day} {month}, officials said.",
    "At least {n} people were killed and {m} wounded in clashes in {place} province.",
    "{actor} took control of the district centre of {place} after heavy fighting.",
    "A roadside bomb struck a vehicle carrying {actor2} outside {place}, killing {n}.",
    "\"We will not abandon {place},\" a spokesman for {actor2} told reporters on {day} {month}.",
    "Residents said {actor} had shelled villages around {place} for three days.",
    "The governor of {place} said {n} civilians died when a mortar round hit a market.",
    "{actor} denied claims that they had captured {place}, calling the reports propaganda.",
    "Airstrikes targeted positions held by {actor2} east of {place} overnight.",
    "Hundreds of families fled {place} toward the provincial capital, aid workers said.",
]
FURNITURE = ["Share this article", "Advertisement", "Related Articles", "Source link"]


def _article(rng: random.Random, k: int) -> tuple[str, str]:
    place = rng.choice(PLACES)
    fill = {"place": place, "actor": rng.choice(ACTORS).capitalize(), "actor2": rng.choice(ACTORS),
            "n": rng.randint(2, 40), "m": rng.randint(1, 60), "day": rng.randint(1, 28),
            "month": rng.choice(MONTHS)}
    title = f"Fighting reported near {place} ({k})"
    paragraphs = []
    for _ in range(rng.randint(4, 9)):
        sentences = [rng.choice(SENTENCES).format(**fill) for _ in range(rng.randint(1, 3))]
        paragraphs.append(" ".join(s[0].upper() + s[1:] for s in sentences))
        if rng.random() < 0.15:
            paragraphs.append(rng.choice(FURNITURE))
    return title, "\n\n".join([title, *paragraphs])


def write_corpus(folder: Path, n: int, seed: int = 7, start: int = 0) -> list[Path]:
    """n articles as .txt files plus one .jsonl holding a tenth of them; about one in six is a copy
    (verbatim or with a changed last paragraph) of an earlier one."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    paths = []
    records = []
    for k in range(start, start + n):
        if written and rng.random() < 0.17:
            text = rng.choice(written)
            if rng.random() < 0.5:
                text = text.rsplit("\n\n", 1)[0] + "\n\nThe situation remained tense, officials said."
        else:
            _, text = _article(rng, k)
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
    """Every contract file and every clean/ text, by relative name."""
    files = {name: (out / name).read_bytes() for name in OUTPUTS}
    for path in sorted((out / "clean").iterdir()):
        files[f"clean/{path.name}"] = path.read_bytes()
    return files


def sitroom_cmd(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sitroom", "run", str(corpus), "--out", str(out), "-q"]


def run_sitroom(corpus: Path, out: Path, env: dict[str, str], timeout: float = 300) -> None:
    done = subprocess.run(sitroom_cmd(corpus, out), env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
