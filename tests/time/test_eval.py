"""`sitroom eval time` on a TimeML document written for this test, and a small run on ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.eval.time import evaluate, parse_timeml

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TBAQ = SHARED / "eval" / "temporal" / "TBAQ-cleaned"

DOC = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2021-07-04" temporalFunction="false" functionInDocument="CREATION_TIME">20210704</TIMEX3></DCT>
<TEXT>
Rebels took the town on <TIMEX3 tid="t1" type="DATE" value="2021-07-03">Saturday</TIMEX3> after a siege of <TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3> &amp; heavy losses. Officials said it fell <TIMEX3 tid="t3" type="DATE" value="2021-W26">last week</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_parse_and_score_a_written_document(tmp_path: Path) -> None:
    path = tmp_path / "TEST1.tml"
    path.write_text(DOC, encoding="utf-8")
    doc = parse_timeml(path)
    assert doc.dct == "2021-07-04"
    assert [g.text for g in doc.gold] == ["Saturday", "three days", "last week"]
    assert "& heavy" in doc.text
    result = evaluate(tmp_path, quiet=True)
    assert result["n"] == 3
    assert result["span_f1"] == 1.0
    # 'last week' from Sunday 4 July is ISO week 25, so the gold W26 is not matched
    assert result["value_accuracy"] == pytest.approx(2 / 3, abs=1e-3)


@pytest.mark.shared
@pytest.mark.skipif(not TBAQ.exists(), reason="../shared TimeML data not present")
def test_small_run_on_timebank() -> None:
    first = sorted((TBAQ / "TimeBank").glob("*.tml"))[0]
    result = evaluate(first, quiet=True)
    assert result["n"] > 0
    assert 0.5 <= result["span_f1"] <= 1.0
    assert 0.0 <= result["value_accuracy"] <= result["span_recall"]
