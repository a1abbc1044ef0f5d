"""`sitroom eval quotes FOLDER`: attribution extraction scored on PolNeAR (text/ + attributions/ brat).

Gold: every brat event ``E`` with a Cue and a Content argument (Source optional; Content2 is added
to Content). Offsets are characters of text/NAME.txt; annotation files are NAME_ANNOTATOR.ann, and a
text annotated by several annotators is scored once per annotation file (n_docs counts files).
Predictions: sitroom.quotes.extract.extract_attributions with every cue class (speech, cognition,
evidence, "according to"), because PolNeAR attributions include thoughts and findings; the pipeline's
quotes use the speech classes only.

Metrics (all micro-averaged over the folder; "tokens" are the word tokens ``\\w+`` of the text, so
punctuation conventions at span edges do not count):
- content_precision / content_recall / content_f1: token-level agreement between the union of
  predicted content spans and the union of gold content spans.
- cue_precision / cue_recall / cue_f1: the same for cue tokens.
- attribution_precision / attribution_recall / attribution_f1: gold and predicted attributions are
  paired one-to-one, greedily by content-token overlap, and a pair counts as matched when the
  token-overlap F1 (Dice) of their contents is at least MATCH_DICE.
- source_accuracy: among matched gold attributions that have a gold Source, the share whose
  predicted source span (as written, before pronoun resolution) shares a token with the gold Source.
- n: gold attributions; n_docs; n_matched; n_source (denominator of source_accuracy).
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

log = logging.getLogger(__name__)

MATCH_DICE = 0.5
WORD = re.compile(r"\w+")
TEXT_BOUND = re.compile(r"^(T\d+)\t([\w-]+) (\d+ \d+(?:;\d+ \d+)*)\t")
EVENT = re.compile(r"^(E\d+)\t(.*)$")

Spans = list[tuple[int, int]]


@dataclass
class GoldAttribution:
    content: Spans
    cue: Spans
    source: Spans = field(default_factory=list)


@dataclass
class GoldDoc:
    name: str
    text: str
    attributions: list[GoldAttribution]


def read_brat(ann: str) -> list[GoldAttribution]:
    """Attribution events of one brat file; text lines that wrap (multi-line spans) are skipped."""
    bounds: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        m = TEXT_BOUND.match(line)
        if m:
            bounds[m.group(1)] = [tuple(map(int, part.split())) for part in m.group(3).split(";")]  # type: ignore[misc]
            continue
        m = EVENT.match(line)
        if m:
            args: dict[str, str] = {}
            for arg in m.group(2).split():
                role, _, ref = arg.partition(":")
                args.setdefault(role, "")
                args[role] = (args[role] + " " + ref).strip()
            events.append(args)
    out: list[GoldAttribution] = []
    for args in events:
        def spans(*roles: str) -> Spans:
            got: Spans = []
            for role in roles:
                for ref in args.get(role, "").split():
                    got.extend(bounds.get(ref, []))
            return sorted(got)

        content, cue = spans("Content", "Content2"), spans("Cue")
        if content and cue:
            out.append(GoldAttribution(content=content, cue=cue, source=spans("Source")))
    return out


def read_folder(path: Path) -> list[GoldDoc]:
    text_dir, ann_dir = path / "text", path / "attributions"
    docs: list[GoldDoc] = []
    for ann in sorted(ann_dir.glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        txt = text_dir / f"{name}.txt"
        if not txt.exists():
            log.warning("skipped %s: no text file %s", ann.name, txt.name)
            continue
        docs.append(GoldDoc(name, txt.read_text(encoding="utf-8"), read_brat(ann.read_text(encoding="utf-8"))))
    return docs


def word_tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD.finditer(text)]


def tokens_in(spans: Iterable[tuple[int, int]], words: list[tuple[int, int]]) -> set[int]:
    """Indices of word tokens overlapping any of the spans."""
    starts = [s for s, _ in words]
    got: set[int] = set()
    for a, b in spans:
        k = max(0, bisect.bisect_right(starts, a) - 1)
        while k < len(words) and words[k][0] < b:
            if words[k][1] > a:
                got.add(k)
            k += 1
    return got


@dataclass
class Counts:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, pred: set[int], gold: set[int]) -> None:
        self.tp += len(pred & gold)
        self.n_pred += len(pred)
        self.n_gold += len(gold)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _dice(a: set[int], b: set[int]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def _parsed(docs: list[GoldDoc], quiet: bool, cache_dir: Path | None) -> Iterator[Any]:
    """One spaCy Doc per GoldDoc; a text annotated by several annotators is parsed once."""
    from sitroom.nlp import load_nlp, parse_many

    names = list(dict.fromkeys(d.name for d in docs))
    texts = {d.name: d.text for d in docs}
    cache = None
    if cache_dir is not None:
        from spacy.tokens import DocBin

        cache = cache_dir / f"polnear-{hashlib.sha1(chr(10).join(names).encode()).hexdigest()[:12]}.spacy"
        if cache.exists():
            parsed = dict(zip(names, DocBin().from_bytes(cache.read_bytes()).get_docs(load_nlp().vocab)))
            yield from (parsed[d.name] for d in docs)
            return
    parsed = dict(
        zip(names, tqdm(parse_many([texts[n] for n in names]), total=len(names), disable=quiet, desc="parse"))
    )
    if cache is not None:
        from spacy.tokens import DocBin

        bin_ = DocBin()
        for n in names:
            bin_.add(parsed[n])
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(bin_.to_bytes())
    yield from (parsed[d.name] for d in docs)


def evaluate(path: Path, **options: Any) -> dict[str, Any]:
    from sitroom.quotes.extract import extract_attributions

    quiet = bool(options.get("quiet", False))
    limit = options.get("limit")
    cache_dir = options.get("cache_dir")
    classes = options.get("classes")
    docs = read_folder(Path(path))
    if limit:
        docs = docs[: int(limit)]
    content, cue = Counts(), Counts()
    n_gold = n_pred = n_matched = n_source = n_source_ok = 0
    for gold, doc in zip(docs, _parsed(docs, quiet, Path(cache_dir) if cache_dir else None)):
        words = word_tokens(gold.text)
        preds = extract_attributions(doc, classes=classes)
        p_content = [_words_of(doc, a.content, words) for a in preds]
        p_source = [_words_of(doc, a.source, words) for a in preds]
        p_cue = [_words_of(doc, a.cue, words) for a in preds]
        g_content = [tokens_in(g.content, words) for g in gold.attributions]
        g_source = [tokens_in(g.source, words) for g in gold.attributions]
        g_cue = [tokens_in(g.cue, words) for g in gold.attributions]
        content.add(set().union(*p_content), set().union(*g_content))
        cue.add(set().union(*p_cue), set().union(*g_cue))
        n_gold += len(gold.attributions)
        n_pred += len(preds)
        pairs = sorted(
            ((len(gc & pc), gi, pi) for gi, gc in enumerate(g_content) for pi, pc in enumerate(p_content) if gc & pc),
            reverse=True,
        )
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in pairs:
            if gi in used_g or pi in used_p or _dice(g_content[gi], p_content[pi]) < MATCH_DICE:
                continue
            used_g.add(gi)
            used_p.add(pi)
            n_matched += 1
            if g_source[gi]:
                n_source += 1
                n_source_ok += bool(g_source[gi] & p_source[pi])
    cp, cr, cf = content.prf()
    qp, qr, qf = cue.prf()
    ap = n_matched / n_pred if n_pred else 0.0
    ar = n_matched / n_gold if n_gold else 0.0
    return {
        "content_precision": round(cp, 4),
        "content_recall": round(cr, 4),
        "content_f1": round(cf, 4),
        "source_accuracy": round(n_source_ok / n_source, 4) if n_source else 0.0,
        "cue_precision": round(qp, 4),
        "cue_recall": round(qr, 4),
        "cue_f1": round(qf, 4),
        "attribution_precision": round(ap, 4),
        "attribution_recall": round(ar, 4),
        "attribution_f1": round(2 * ap * ar / (ap + ar), 4) if ap + ar else 0.0,
        "n": n_gold,
        "n_docs": len(docs),
        "n_pred": n_pred,
        "n_matched": n_matched,
        "n_source": n_source,
    }


def _words_of(doc: Any, toks: Iterable[int], words: list[tuple[int, int]]) -> set[int]:
    """Word tokens overlapping the given spaCy tokens."""
    return tokens_in(((doc[i].idx, doc[i].idx + len(doc[i].text)) for i in toks), words)
