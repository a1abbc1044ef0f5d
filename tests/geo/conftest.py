"""Shared fixtures of the geo tests: one spaCy pipeline, and the place of a name in a text."""

from __future__ import annotations

from typing import Callable

import pytest

from sitroom.records import Place


@pytest.fixture(scope="session")
def nlp():
    from sitroom.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def place_named(nlp) -> Callable[[str, str], Place | None]:
    """place_named(text, name): the place of the first toponym spelt `name` in `text`."""
    from sitroom.geo import geoparse

    def find(text: str, name: str) -> Place | None:
        places = [t.place for t in geoparse(nlp(text)) if t.text == name]
        assert places, f"{name!r} not found in {text!r}"
        return places[0]

    return find
