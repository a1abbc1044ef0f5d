from sitroom.events.actors import ArticleActors, match_actor
from sitroom.events.numbers import Quantity, parse_quantity
from sitroom.records import Actor


def test_digits_words_and_ranges():
    assert parse_quantity(["134"]) == Quantity(134)
    assert parse_quantity(["more", "than", "1,000"]) == Quantity(1000)
    assert parse_quantity(["five"]) == Quantity(5)
    assert parse_quantity(["2,500-3,500"]) == Quantity(2500, 3500)
    assert parse_quantity(["two", "hundred"]) == Quantity(200)
    assert parse_quantity(["more", "than", "two", "dozen"]) == Quantity(24)  # not 2 + 12
    assert parse_quantity(["a", "dozen"]) == Quantity(12)


def test_acled_vague_words_keep_the_lowest_figure():
    assert parse_quantity(["dozens"]).low == 12
    assert parse_quantity(["hundreds"]).low == 100
    assert parse_quantity(["several"]).low == 10
    assert parse_quantity(["a", "few"]).low == 3
    q = parse_quantity(["several", "hundred"])
    assert q.low == 200 and q.vague


def test_actor_names_follow_acled():
    ctx = ArticleActors("Afghanistan", Actor("Taliban", "Rebel group", "Taliban"))
    assert match_actor("Afghan soldiers", ctx)[0].name == "Military Forces of Afghanistan"
    assert match_actor("security forces", ctx)[0].name == "Military Forces of Afghanistan"
    assert match_actor("the police", ctx)[0].name == "Police Forces of Afghanistan"
    assert match_actor("Taliban fighters", ctx)[0].name == "Taliban"
    assert match_actor("the militants", ctx)[0].name == "Taliban"  # generic -> the article's group
    assert match_actor("US and NATO forces", ctx)[0].name == "Military Forces of the United States"
    assert match_actor("the border crossing", ctx) is None


def test_article_context_from_text():
    ctx = ArticleActors.from_text("Afghan officials said the Taliban took the town. The Taliban denied it.")
    assert ctx.state == "Afghanistan"
    assert ctx.main_nonstate is not None and ctx.main_nonstate.name == "Taliban"
    none = ArticleActors.from_text("Rebels attacked a town.")
    assert match_actor("rebels", none)[0].name.startswith("Unidentified Armed Group")
