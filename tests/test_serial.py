"""The store's JSON for records: what dataclasses.asdict gives, and back again."""

from __future__ import annotations

import dataclasses
import json

from sitroom import serial
from sitroom.records import ArticleMentions, Place, PublicationDate, Toponym


def test_dumps_is_asdict_json_and_loads_gives_the_record_back():
    place = Toponym("Pellacor", 10, 18, Place("Pellacor", "XX", "North", latitude=1.5,
                                              longitude=2.25, feature="city", geo_precision=1))
    mentions = ArticleMentions(article_id="a1",
                               published=PublicationDate("2021-06-22", "story", "AFP"),
                               toponyms=[place, dataclasses.replace(place, start=40, end=48)])
    text = serial.dumps(mentions)
    assert json.loads(text) == dataclasses.asdict(mentions)
    assert serial.loads(ArticleMentions, text) == mentions
