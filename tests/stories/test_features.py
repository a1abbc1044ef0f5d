from sitroom.stories.features import split_sentences


def test_sentences_of_cased_text_split_before_capitals_only():
    text = ("Gunmen attacked a checkpoint near the river crossing on Monday. Police said "
            "three guards were wounded approx. five hours later. The road was closed all day.")
    assert split_sentences(text) == [
        "Gunmen attacked a checkpoint near the river crossing on Monday.",
        "Police said three guards were wounded approx. five hours later.",
        "The road was closed all day.",
    ]


def test_sentences_of_lowercased_text_split_at_every_stop_but_abbreviations():
    # some feeds lowercase their articles: no capital marks a sentence start
    text = ("gunmen attacked a checkpoint near the river crossing on monday. police said "
            "three guards were wounded in the attack. mr. singh of the u.s. embassy left "
            "the town at noon. the road was closed until the evening.")
    assert split_sentences(text) == [
        "gunmen attacked a checkpoint near the river crossing on monday.",
        "police said three guards were wounded in the attack.",
        "mr. singh of the u.s. embassy left the town at noon.",
        "the road was closed until the evening.",
    ]


def test_one_lowercase_word_after_a_stop_does_not_make_a_text_lowercased():
    text = ("Troops entered the town of Qala at dawn, witnesses said. The army named it "
            "an operation against gunmen, i.e. a raid. It ended by noon on Tuesday.")
    assert len(split_sentences(text)) == 3
