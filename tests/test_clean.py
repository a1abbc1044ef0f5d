"""Clean: boilerplate, repeated titles, captions, blurbs, mojibake, wire and outlet credits."""

from __future__ import annotations

import json

import pytest

from sitroom.clean import clean_article, clean_text
from sitroom.records import RawArticle
from tests.conftest import SHARED, needs_shared

PAGE = """world news

Militants storm district centre | Example News

Militants storm district centre

[ad_1]

2/4

© Reuters. Soldiers stand guard at a checkpoint on May 3, 2021. REUTERS/Somebody

Kabul (Reuters) - Militants stormed the district centre of Dara on Monday, two officials said.

"They came at night," a police officer told Reuters.

Leave a Reply

Your email address will not be published. Required fields are marked *

Source link
"""


def test_boilerplate_titles_and_captions_go_story_stays() -> None:
    cleaned = clean_text(PAGE, None)
    assert cleaned.title == "Militants storm district centre"
    assert cleaned.text.startswith("Kabul (Reuters) - Militants stormed the district centre")
    assert '"They came at night," a police officer told Reuters.' in cleaned.text
    for junk in ("[ad_1]", "2/4", "Leave a Reply", "Source link", "world news", "REUTERS/Somebody"):
        assert junk not in cleaned.text
    assert cleaned.text.count("Militants storm district centre") == 0
    assert cleaned.captions and "May 3, 2021" in cleaned.captions[0]


def test_wire_and_outlet_detection() -> None:
    raw = RawArticle("x", PAGE, "x.txt", "txt")
    article = clean_article(raw)
    assert article.wire == "Reuters"
    blurb = ("Fighting continued in the north on Tuesday, officials said, according to AFP.\n\n"
             "With reporting by AFP and Example Radio's Pashto Service\n\n"
             "Example Radio's Kabul Desk\n\n"
             "Example Radio's Kabul Desk is one of the most popular and trusted media outlets in the "
             "region, reaching millions of listeners every week.")
    article = clean_article(RawArticle("y", "Fighting in the north\n\n" + blurb, "y.txt", "txt"))
    assert article.wire == "AFP"
    assert article.outlet == "Example Radio"
    assert "most popular" not in article.text and "With reporting" not in article.text
    assert article.text.startswith("Fighting continued in the north")


def test_lede_first_line_is_kept_as_text() -> None:
    text = ("The offensive gained momentum overnight with the capture of several districts from "
            "retreating forces, several hundred of whom crossed the border, officials said.\n\n"
            "More fighting was reported.")
    article = clean_article(RawArticle("z", text, "z.txt", "txt"))
    assert article.text.startswith("The offensive gained momentum overnight")
    assert article.title.startswith("The offensive gained momentum")


def test_mojibake_is_repaired() -> None:
    article = clean_article(RawArticle("m", "Title words here\n\nThe governorâ€™s office said so.",
                                       "m.txt", "txt"))
    assert "governor's office" in article.text or "governor’s office" in article.text


@needs_shared
@pytest.mark.parametrize("article_id", ["000_bf909d56e6d888d1", "001_a129a0f6ebb2d137",
                                        "002_02422dc5ed88dc91", "003_c5a206bfc0539efb",
                                        "004_f484baaed8a32eec"])
def test_seed_boilerplate_removed(article_id: str) -> None:
    gold = json.loads((SHARED / "corpus" / "seeds_gold.json").read_text())
    raw_text = (SHARED / "corpus" / "seeds" / f"{article_id}.txt").read_text()
    article = clean_article(RawArticle(article_id, raw_text, "", "txt"))
    lines = {ln.strip() for ln in article.text.splitlines()}
    for item in gold["boilerplate"]:
        if "..." in item or item.startswith("repeated"):
            continue
        assert item not in lines, item
    assert "one of the most popular" not in article.text
    # nothing of the story is lost: every raw line that is not furniture survives
    assert len(article.text.split()) > 0.85 * len(raw_text.split()) - 60
    wires = {"000": "AFP", "001": "AFP", "002": "Reuters", "003": "AFP"}
    if article_id[:3] in wires:
        assert article.wire.split(";")[0] == wires[article_id[:3]]
    if article_id.startswith("003"):
        assert article.outlet == "RFE/RL"
    if article_id.startswith("001"):
        assert article.text.count("Taliban take Afghanistan highway") == 0


def test_every_wire_credit_pattern_names_its_agency():
    # WireCredit.search skips texts without any alias of the agency: a credit pattern that
    # matched without one would silently never fire
    import tomllib
    from importlib import resources

    raw = tomllib.loads(resources.files("sitroom.data.clean").joinpath("rules.toml")
                        .read_text("utf-8"))
    for rule in raw["wires"]["credit"]:
        assert "{w}" in rule["pattern"] and "{w}?" not in rule["pattern"], rule["pattern"]
