"""The rule components (sitroom.nlp_rules) must annotate exactly as spaCy's own components do."""

from __future__ import annotations

import numpy as np
import pytest

TEXTS = [
    "Y'all ain't gonna believe it: there's a man at the gate. Let's go, c'mon! He wasn't there.",
    "Gunmen killed 12 villagers in Kunduz province on Tuesday, officials said; they're searching.",
    "\"We will not leave,\" said the district governor, who'd been attacked twice.\n\nPolice arrested two men.",
    "There were clashes near the border crossing. I gotta say we'll hold it. Is it over? Yes, it is.",
    "  \t  ",
]


@pytest.fixture(scope="module")
def nlp():
    from sitroom.nlp import load_nlp

    return load_nlp()


def _annotations(doc):
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG

    return doc.to_array([ORTH, POS, TAG, DEP, HEAD, MORPH, LEMMA, SENT_START])


def test_parse_many_equals_spacy_pipeline(nlp):
    from sitroom.nlp import parse_many

    for expected, got in zip(nlp.pipe(TEXTS), parse_many(TEXTS)):
        assert np.array_equal(_annotations(expected), _annotations(got)), expected.text
        assert [t.lemma_ for t in expected] == [t.lemma_ for t in got]
        assert [str(t.morph) for t in expected] == [str(t.morph) for t in got]


def test_indexed_matcher_finds_spacys_matches(nlp):
    from sitroom.nlp import RULE_COMPONENTS
    from sitroom.nlp_rules import IndexedMatcher

    ruler = nlp.get_pipe("attribute_ruler")
    matcher = IndexedMatcher(ruler)
    assert len(matcher.unanchored) < 10  # the index, not a scan, serves nearly every rule
    for doc in nlp.pipe(TEXTS, disable=list(RULE_COMPONENTS)):
        assert matcher(doc) == sorted(set(ruler.match(doc)))


def test_unknown_pattern_form_falls_back_to_spacy_matcher(nlp):
    from sitroom.nlp_rules import IndexedMatcher

    class Ruler:  # a ruler with a pattern using an operator the index does not implement
        vocab = nlp.vocab

        class matcher:  # noqa: N801 - stands in for spaCy's Matcher
            _patterns = {nlp.vocab.strings.add("0"): None}

            @staticmethod
            def get(key):
                return None, [[{"LOWER": "a", "OP": "+"}]]

    with pytest.raises(ValueError):
        IndexedMatcher(Ruler())
