"""`sitroom eval time FOLDER`: score the temporal tagger on TimeML (.tml) files.

Metrics (see ../shared/DESIGN.md):
- span_precision / span_recall / span_f1: relaxed matching (a predicted and a gold TIMEX3 match when
  their character spans overlap; each gold and each prediction is matched at most once).
- value_accuracy: the share of ALL gold TIMEX3 in the document texts (DATE, TIME, DURATION, SET) whose
  span was found and whose normalised value equals the gold value.
- type_accuracy: among matched spans, the share with the gold type.
The anchor of each document is its creation time (the TIMEX3 with functionInDocument="CREATION_TIME",
or the DCT element); that expression itself is not scored.

Options: split="all" (default) | "dev" | "heldout". The development part, on which the rules were
written and inspected, is every AQUAINT file plus the TimeBank files at even positions in sorted
order; "heldout" is the TimeBank files at odd positions, never looked at while writing rules.
Per-part figures are reported for AQUAINT, TimeBank, dev and heldout.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.time.timex import find_timexes

log = logging.getLogger(__name__)

TAG_RE = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    kind: str
    value: str


@dataclass
class TimeMLDoc:
    doc_id: str
    part: str
    dct: str | None
    text: str
    gold: list[GoldTimex] = field(default_factory=list)


def parse_timeml(path: Path) -> TimeMLDoc:
    raw = path.read_text(encoding="utf-8", errors="replace")
    dct = None
    dct_match = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    if dct_match:
        dct = dict(ATTR_RE.findall(dct_match.group(0))).get("value")
    else:
        dct_el = re.search(r"<DCT>(.*?)</DCT>", raw, re.S)
        if dct_el:
            inner = re.search(r'value="([^"]+)"', dct_el.group(1))
            dct = inner.group(1) if inner else None
    if dct:
        dct = dct[:10]
    body_match = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    body = body_match.group(1) if body_match else raw
    pieces: list[str] = []
    length = 0
    gold: list[GoldTimex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in TAG_RE.finditer(body):
        segment = html.unescape(body[pos:m.start()])
        pieces.append(segment)
        length += len(segment)
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(ATTR_RE.findall(m.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            if attrs.get("functionInDocument") != "CREATION_TIME":
                gold.append(GoldTimex(start, length, "", attrs.get("type", ""), attrs.get("value", "")))
            open_timex = None
    pieces.append(html.unescape(body[pos:]))
    text = "".join(pieces)
    for g in gold:
        g.text = text[g.start:g.end]
    return TimeMLDoc(path.stem, path.parent.name, dct, text, gold)


def split_of(timebank_index: int | None) -> str:
    """'dev' for AQUAINT (and any folder other than TimeBank) and even TimeBank positions."""
    if timebank_index is None:
        return "dev"
    return "dev" if timebank_index % 2 == 0 else "heldout"


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_pred: int = 0
    value_right: int = 0
    type_right: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def metrics(self) -> dict[str, Any]:
        p = self.matched_pred / self.predicted if self.predicted else 0.0
        r = self.matched_gold / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "span_precision": round(p, 4),
            "span_recall": round(r, 4),
            "span_f1": round(f1, 4),
            "value_accuracy": round(self.value_right / self.gold, 4) if self.gold else 0.0,
            "type_accuracy": round(self.type_right / self.matched_gold, 4) if self.matched_gold else 0.0,
            "n": self.gold,
        }


def score_document(doc: TimeMLDoc, errors: list[str] | None = None) -> Tally:
    predicted = find_timexes(doc.text, doc.dct)
    tally = Tally(gold=len(doc.gold), predicted=len(predicted))
    used: set[int] = set()
    for g in doc.gold:
        best = None
        for i, p in enumerate(predicted):
            if i in used or p.end <= g.start or p.start >= g.end:
                continue
            overlap = min(p.end, g.end) - max(p.start, g.start)
            if best is None or overlap > best[0]:
                best = (overlap, i)
        if best is None:
            if errors is not None:
                errors.append(f"MISS\t{doc.doc_id}\t{doc.dct}\t{g.text!r}\t{g.kind}\t{g.value}")
            continue
        i = best[1]
        used.add(i)
        p = predicted[i]
        tally.matched_gold += 1
        tally.type_right += int(p.kind == g.kind)
        if p.value == g.value:
            tally.value_right += 1
        elif errors is not None:
            errors.append(f"VALUE\t{doc.doc_id}\t{doc.dct}\t{g.text!r}\t{g.kind}\t{g.value}\t"
                          f"{p.text!r}\t{p.kind}\t{p.value}")
    tally.matched_pred = len(used)
    if errors is not None:
        for i, p in enumerate(predicted):
            if i not in used:
                errors.append(f"EXTRA\t{doc.doc_id}\t{doc.dct}\t{p.text!r}\t{p.kind}\t{p.value}")
    return tally


def tml_files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(path.rglob("*.tml"))


def evaluate(path: Path, **options: Any) -> dict[str, Any]:
    quiet = bool(options.get("quiet"))
    split = options.get("split") or "all"
    errors_path = options.get("errors")
    files = tml_files(path)
    timebank = sorted(f for f in files if f.parent.name.lower() == "timebank")
    timebank_index = {f: i for i, f in enumerate(timebank)}
    parts: dict[str, Tally] = {}
    total = Tally()
    errors: list[str] | None = [] if errors_path else None
    try:
        from tqdm import tqdm

        iterator = tqdm(files, desc="eval time", disable=quiet, file=sys.stderr)
    except ImportError:  # tqdm is a dependency; this only keeps eval usable without it
        iterator = files
    seen: dict[str, Path] = {}
    for f in iterator:
        doc = parse_timeml(f)
        fingerprint = f.read_bytes().decode("utf-8", "replace")  # the very same file, copied
        if fingerprint in seen:
            log.warning("%s: same document as %s; scored once", f, seen[fingerprint])
            continue
        which = split_of(timebank_index.get(f))
        if split != "all" and which != split:
            continue
        seen[fingerprint] = f
        if doc.dct is None:
            log.warning("%s: no document creation time; relative expressions stay unresolved", f)
        doc_errors: list[str] | None = [] if errors is not None and which == "dev" else None
        tally = score_document(doc, doc_errors)
        if errors is not None and doc_errors:
            errors.extend(doc_errors)
        total.add(tally)
        for key in (doc.part or "root", which):
            parts.setdefault(key, Tally()).add(tally)
    result = total.metrics()
    result["documents"] = len(seen)
    for key, tally in sorted(parts.items()):
        m = tally.metrics()
        result[f"{key}_span_f1"] = m["span_f1"]
        result[f"{key}_value_accuracy"] = m["value_accuracy"]
        result[f"{key}_n"] = m["n"]
    if errors is not None:
        Path(errors_path).write_text("\n".join(errors) + "\n", encoding="utf-8")
    return result
