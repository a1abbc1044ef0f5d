"""What the evaluations of event mentions share (`sitroom eval police`, `sitroom eval wikievents`):
running the real pipeline over a data set's documents, reading back the per-article mentions it
stored, the word normalisation that lines our sentences up with a data set's, and P/R/F1.

Word normalisation (both sides, always the same function): ftfy's mojibake repair, then the
removal of mojibake fragments ftfy cannot repair (a lead character such as "â" followed by
Windows-1252 continuation characters such as "€", left where a data set cut a sentence inside
an encoded character), lower case, and the maximal runs of letters and digits as words (all
punctuation, quotes and apostrophes are separators: "bengal''s" and "bengal's" both give
"bengal", "s").

Two sentences overlap when the words they share (as multisets) are at least 60% of the words of
either one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitroom.eval import EvalInputError
from sitroom.records import ArticleMentions, EventMention

log = logging.getLogger(__name__)

OVERLAP = 0.6  # share of either sentence's words the two must have in common

# Windows-1252 decodings of the UTF-8 continuation bytes 0x80-0xBF (the five bytes cp1252
# leaves undefined decode as their Latin-1 control characters, as ftfy reads them).
_CONTINUATION = "".join(bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                        else chr(b) for b in range(0x80, 0xC0))
# A UTF-8 lead byte read as Windows-1252 (Â..ô) followed by continuation characters: mojibake
# that ftfy leaves when it is cut short. ftfy repairs only whole encoded characters, and the gold
# sentences of IndiaPoliceEvents split some of them ("pujanâ€" | "™, even if ...").
_MOJIBAKE_LEFTOVER = re.compile("[\u00c2-\u00f4][" + re.escape(_CONTINUATION) + "]+")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The normalised words of a text (see the module docstring)."""
    import ftfy

    fixed = _MOJIBAKE_LEFTOVER.sub(" ", ftfy.fix_text(text or ""))
    return _WORD.findall(fixed.lower())


def overlaps(a: Counter[str] | list[str], b: Counter[str] | list[str],
             threshold: float = OVERLAP) -> bool:
    """Whether the shared words are at least `threshold` of the words of `a` or of `b`."""
    ca = a if isinstance(a, Counter) else Counter(a)
    cb = b if isinstance(b, Counter) else Counter(b)
    na, nb = sum(ca.values()), sum(cb.values())
    if not na or not nb:
        return False
    shared = sum((ca & cb).values())
    return shared >= threshold * na or shared >= threshold * nb


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    """Precision, recall and F1 as fractions 0..1 (0 where nothing was predicted or expected)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "n_gold": n_gold, "n_pred": n_pred}


def json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line of a JSONL file; broken JSON is an
    EvalInputError naming the file and line."""
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except ValueError as exc:
                raise EvalInputError(f"{path}:{lineno}: broken JSON ({exc})") from exc


def write_json_lines(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with Path(path).open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def mention_summary(m: EventMention) -> dict[str, Any]:
    """What an error dump shows of one stored mention."""
    return {"trigger": m.trigger, "event_type": m.event_type, "sub_event_type": m.sub_event_type,
            "actor1": m.actor1.name if m.actor1 else "",
            "actor1_type": m.actor1.actor_type if m.actor1 else "",
            "actor1_surface": m.actor1.surface if m.actor1 else "",
            "actor2": m.actor2.name if m.actor2 else "",
            "actor2_surface": m.actor2.surface if m.actor2 else "",
            "location_text": m.location_text, "place": m.place.name if m.place else "",
            "fatalities": m.fatalities, "modality": m.modality, "sentence": m.sentence}


@dataclass(frozen=True)
class Document:
    """One document of a data set, given to the pipeline as one article."""

    doc_id: str
    text: str
    published: str | None = None


INPUT_DIR = "eval-input"  # under the store's folder: the JSONL the pipeline read, and a fingerprint


def code_fingerprint() -> str:
    """A hash of the package files the stored mentions depend on (everything but the evaluations,
    the web page and the report): a store kept with --out whose fingerprint differs while
    MENTIONS_VERSION is the same may hold mentions of older code."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if (not path.is_file() or rel.parts[0] in ("eval", "web", "report")
                or rel.parts[:2] == ("data", "eval") or "__pycache__" in rel.parts):
            continue
        digest.update(str(rel).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@contextmanager
def _store_dir(out: Path | None) -> Iterator[Path]:
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        yield out
        return
    with tempfile.TemporaryDirectory(prefix="sitroom-eval-") as tmp:
        yield Path(tmp)


def _warn_if_stale(out: Path, name: str) -> None:
    """Mentions are reused by content hash and MENTIONS_VERSION only: say so when the code changed
    under an unchanged version (the re-run would score the old code's mentions)."""
    from sitroom.pipeline import MENTIONS_VERSION

    stamp = out / INPUT_DIR / f"{name}.code.json"
    now = {"mentions_version": MENTIONS_VERSION, "code": code_fingerprint()}
    if stamp.exists():
        try:
            before = json.loads(stamp.read_text(encoding="utf-8"))
        except ValueError:
            before = {}
        if before.get("mentions_version") == now["mentions_version"] and before.get("code") != now["code"]:
            print(f"sitroom eval: the code changed since {out} was written but "
                  f"sitroom.pipeline.MENTIONS_VERSION ({MENTIONS_VERSION}) did not: the stored "
                  "mentions of unchanged articles are reused as they are. Bump MENTIONS_VERSION "
                  "or use a fresh --out folder to score the new code.", file=sys.stderr)
    stamp.write_text(json.dumps(now), encoding="utf-8")


def run_pipeline(documents: Iterable[Document], name: str, out: Path | None = None,
                 quiet: bool = False) -> dict[str, ArticleMentions]:
    """Run `sitroom run` (sitroom.pipeline.run) over the documents as a JSONL file of articles
    (written to OUT/eval-input/NAME.jsonl) and return the stored mentions of those documents,
    by doc_id. With `out` the store stays there, so that a re-run re-analyses only what changed;
    without it a temporary folder is used."""
    from sitroom.ingest import safe_article_id
    from sitroom.pipeline import RunOptions, run
    from sitroom.store import open_store

    docs = list(documents)
    by_article = {safe_article_id(d.doc_id): d.doc_id for d in docs}
    if len(by_article) != len(docs):
        raise EvalInputError(f"{name}: two documents share an id once made safe for the store")
    with _store_dir(Path(out) if out is not None else None) as folder:
        (folder / INPUT_DIR).mkdir(parents=True, exist_ok=True)
        if out is not None:
            _warn_if_stale(folder, name)
        source = folder / INPUT_DIR / f"{name}.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for d in docs:
                record = {"id": d.doc_id, "text": d.text}
                if d.published:
                    record["published"] = d.published
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        result = run([source], RunOptions(out_dir=folder, quiet=quiet))
        for problem in result.problems:
            log.warning("%s", problem.message())
        store = open_store(folder, readonly=True)
        try:
            stored = store.mentions_for(by_article)
        finally:
            store.close()
    return {by_article[aid]: m for aid, m in stored.items()}
