"""Quote speakers that say nobody ("they", "it", "the") are left out."""

from __future__ import annotations

import pytest

from sitroom.quotes.speakers import names_nobody


@pytest.mark.parametrize("name", ["they", "It", "the", "We", "them", "this", "�", "--", "the they"])
def test_pronouns_and_function_words_name_nobody(name: str) -> None:
    assert names_nobody(name)


@pytest.mark.parametrize("name", ["Zabihullah Mujahid", "officials", "the ministry", "police",
                                  "Taliban", "a spokesman", "VHP"])
def test_names_and_descriptions_name_someone(name: str) -> None:
    assert not names_nobody(name)
