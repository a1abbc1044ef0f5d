"""Speaker canonicalisation across articles, on hand-made Quote records."""

from __future__ import annotations

from sitroom.quotes import canonicalise_speakers
from sitroom.quotes.canonical import role_words
from sitroom.records import Quote


def q(article: str, speaker: str, role: str = "", n: int = 0) -> Quote:
    return Quote(quote_id=f"{article}:{n}", article_id=article, speaker=speaker, text="x", speaker_role=role)


def test_spun_spelling_joins_the_spelling_of_more_articles():
    quotes = canonicalise_speakers(
        [
            q("a1", "Khalidin Khakmi", "Kunduz Provincial Assembly member"),
            q("a2", "Khaliddin Hakmi", "Kunduz provincial council member"),
            q("a3", "Khaliddin Hakmi", "Kunduz provincial council member"),
        ]
    )
    assert {x.speaker_canonical for x in quotes} == {"Khaliddin Hakmi"}
    assert {x.speaker_role for x in quotes} == {"Kunduz provincial council member"}


def test_same_surname_different_people_stay_apart():
    quotes = canonicalise_speakers(
        [q("a1", "Ghulam Rabbani", "provincial council member"), q("a2", "Salahuddin Rabbani", "council chairman")]
    )
    assert quotes[0].speaker_canonical == "Ghulam Rabbani"
    assert quotes[1].speaker_canonical == "Salahuddin Rabbani"


def test_similar_names_with_unrelated_roles_stay_apart():
    quotes = canonicalise_speakers(
        [q("a1", "Ahmad Karimi", "army commander"), q("a2", "Ahmed Karimi", "UN envoy")]
    )
    assert quotes[0].speaker_canonical != quotes[1].speaker_canonical


def test_bare_surname_joins_the_only_full_name():
    quotes = canonicalise_speakers([q("a1", "John Kirby", "Pentagon spokesman"), q("a2", "Kirby")])
    assert quotes[1].speaker_canonical == "John Kirby"
    assert quotes[1].speaker_role == "Pentagon spokesman"


def test_definite_role_only_mention_takes_the_known_name():
    quotes = canonicalise_speakers(
        [
            q("a1", "Zabihullah Mujahid", "Taliban spokesman"),
            q("a2", "Taliban spokesman", "Taliban spokesman"),  # "the Taliban spokesman said"
            q("a3", "an army officer", "army officer"),
        ]
    )
    assert quotes[1].speaker_canonical == "Zabihullah Mujahid"
    assert quotes[2].speaker_canonical == "an army officer"


def test_ambiguous_role_only_mention_is_left_alone():
    quotes = canonicalise_speakers(
        [
            q("a1", "Ned Price", "State Department spokesman"),
            q("a2", "John Kirby", "Pentagon spokesman"),
            q("a3", "US spokesman", "US spokesman"),
        ]
    )
    assert quotes[2].speaker_canonical == "US spokesman"


def test_role_words_expand_abbreviations_and_titles():
    assert role_words("UN special envoy") == {"united", "nations", "special", "envoy"}
    assert role_words("Taliban spokesperson") == role_words("Taliban spokesman")


def test_plural_role_mention_is_not_a_person():
    quotes = canonicalise_speakers(
        [q("a1", "Ahmad Zia", "Pentagon officials spokesman"), q("a2", "Pentagon officials", "Pentagon officials")]
    )
    assert quotes[1].speaker_canonical == "Pentagon officials"
