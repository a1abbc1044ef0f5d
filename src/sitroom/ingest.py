"""Ingest stage: read .txt, .html and .jsonl files (or folders of them) into RawArticle records.

Nothing here raises on bad input: every file or line that cannot be used becomes an InputProblem
naming the file (and line) and what is wrong, and the good inputs go on. Limits keep memory and
time bounded whatever arrives (see "Input limits" in docs/engine.md).
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import json
import logging
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitroom.records import InputProblem, RawArticle

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}

# Limits (documented in docs/engine.md). A news article is rarely above 100 KB of text; these leave
# wide room while keeping one hostile file from taking the machine.
MAX_TEXT_BYTES = 5 * 1024 * 1024  # one .txt or .html file
MAX_JSONL_LINE_BYTES = 5 * 1024 * 1024  # one JSONL record
MAX_ARTICLE_CHARS = 1_000_000  # text kept from one article after extraction
MAX_HTML_DEPTH = 400  # nesting deeper than this is refused before parsing (lxml recursion)
MAX_LISTED_PER_FOLDER = 20  # unsupported files named one by one in a folder; the rest counted

_SURROGATE = re.compile("[\ud800-\udfff]")


_CUT_AT = re.compile(r"[.!?\u2026]\s|\n")


def keep_head(text: str, limit: int = MAX_ARTICLE_CHARS) -> str:
    """The first `limit` characters, ending at the last line or sentence end in the last tenth
    when there is one: a text cut mid-sentence would leave a fragment the analysis reads as a
    sentence of its own (a repeated sentence cut short becomes a new, different one)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in _CUT_AT.finditer(head, limit - limit // 10)]
    return head[:ends[-1]] if ends else head


def scrub_surrogates(text: str) -> str:
    """Lone UTF-16 surrogates (JSON "\\ud800", or file names holding bytes that are not UTF-8,
    which Python keeps as surrogate escapes) cannot be encoded as UTF-8: SQLite and every file
    writer would fail on them. They become U+FFFD, the replacement character."""
    return _SURROGATE.sub("\ufffd", text)

# JSONL field names: the contract's first, then names other corpora use for the same thing.
JSONL_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "article_id", "uid"),
    "text": ("text", "doc_text", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "sitename"),
    "published": ("published", "date", "published_at", "pubdate"),
}


def _field(record: dict, name: str) -> object:
    for key in JSONL_FIELDS[name]:
        if record.get(key) is not None:
            return record[key]
    return None


@dataclass
class IngestResult:
    articles: list[RawArticle]
    problems: list[InputProblem]


MAX_ID_CHARS = 120
MAX_ID_BYTES = 200  # DIR/clean/ID.txt must stay a valid file name (255 bytes) in any script
_ID_HASH_CHARS = 8


def _id_char_ok(char: str) -> bool:
    return char in "._-" or unicodedata.category(char)[0] in "LNM"


def _cut(slug: str, chars: int, nbytes: int) -> str:
    slug = slug[:chars]
    while len(slug.encode("utf-8")) > nbytes:
        slug = slug[:-1]
    return slug


def safe_article_id(raw: str) -> str:
    """Article ids become file names under DIR/clean/: letters and digits of any script, '.',
    '_' and '-'; every other run of characters becomes '_'. An ASCII name keeps that slug as its
    id ("a b/c" -> "a_b_c"). Where the slug alone would lose what tells names apart (a non-ASCII
    character replaced, nothing left, or a name cut to the length limit), a short hash of the
    whole name (NFC) follows it: "🔥.txt" and "💧.txt" get two ids. Idempotent: an id is its own
    safe id. The original name stays in the article's source_path."""
    name = unicodedata.normalize("NFC", scrub_surrogates(raw)).strip()
    if not name:
        return ""
    out: list[str] = []
    lossy = False  # a non-ASCII character was replaced
    for char in name:
        if _id_char_ok(char):
            out.append(char)
            continue
        lossy = lossy or not char.isascii()
        if not out or out[-1] != "_":
            out.append("_")
    slug = "".join(out).strip("._")
    cut = _cut(slug, MAX_ID_CHARS, MAX_ID_BYTES).strip("._")
    if not lossy and cut == slug and slug:
        return slug
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:_ID_HASH_CHARS]
    room = MAX_ID_CHARS - _ID_HASH_CHARS - 1
    head = _cut(slug, room, MAX_ID_BYTES - _ID_HASH_CHARS - 1).strip("._")
    return f"{head}-{digest}" if head else digest


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _entry(path: Path) -> tuple[str, os.stat_result | None, str]:
    """('dir' | 'file' | 'problem', its stat, the problem) for one path, following symlinks."""
    try:
        st = path.stat()
    except OSError as exc:
        if path.is_symlink():
            what = "a symlink loop" if exc.errno == errno.ELOOP else "a broken symlink"
            return "problem", None, f"{what}; skipped"
        return "problem", None, f"cannot read: {exc.strerror or exc}; skipped"
    if stat.S_ISDIR(st.st_mode):
        return "dir", st, ""
    if stat.S_ISREG(st.st_mode):
        return "file", st, ""
    # A FIFO, socket or device would block the read forever or never end.
    return "problem", st, f"{_kind(st.st_mode)}, not a regular file; skipped"


def _walk(top: Path, seen: set[tuple[int, int]]) -> Iterator[Path | InputProblem]:
    """Files and problems under a folder (symlinks followed; a folder reached twice, as through
    a symlink loop, is read once and the repeat reported). A stack, not recursion: any depth."""
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            children = list(folder.iterdir())
        except OSError as exc:
            yield InputProblem(str(folder), f"cannot read folder: {exc.strerror or exc}; skipped")
            continue
        for child in children:
            kind, st, problem = _entry(child)
            if kind == "dir":
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    yield InputProblem(str(child), "a folder already read (a symlink loop or a "
                                                   "second link to it); skipped")
                    continue
                seen.add(key)
                folders.append(child)
            elif child.name.startswith("."):
                continue
            elif kind == "problem":
                yield InputProblem(str(child), problem)
            else:
                yield child  # a regular file, of any type: discover() sorts them out


def _path_of(item: Path | InputProblem) -> Path:
    return Path(item.path) if isinstance(item, InputProblem) else item


def discover(paths: Iterable[Path]) -> Iterator[Path | InputProblem]:
    """Expand folders (recursively, sorted by path) and report every entry that is not used
    (FIFOs, sockets, devices, broken links, symlink loops, unsupported types: the first
    MAX_LISTED_PER_FOLDER of those named, the rest counted), except hidden files."""
    for path in paths:
        kind, st, problem = _entry(path)
        if kind == "problem" and st is None and not path.is_symlink() and not path.exists():
            yield InputProblem(str(path), "no such file or folder; nothing read")
        elif kind == "dir":
            others: Counter[str] = Counter()  # unsupported files in the folder, by type
            for item in sorted(_walk(path, {(st.st_dev, st.st_ino)}), key=_path_of):
                if isinstance(item, InputProblem) or item.suffix.lower() in TEXT_SUFFIXES:
                    yield item
                    continue
                others[item.suffix.lower() or "(none)"] += 1
                if sum(others.values()) <= MAX_LISTED_PER_FOLDER:
                    yield unsupported(item)
            unlisted = sum(others.values()) - MAX_LISTED_PER_FOLDER
            if unlisted > 0:
                kinds = ", ".join(f"{n} {kind!r}" for kind, n in others.most_common())
                yield InputProblem(str(path), f"{unlisted} more file(s) of unsupported types not "
                                   f"listed (in all: {kinds}); skipped")
        elif kind == "problem":
            yield InputProblem(str(path), problem)
        elif path.suffix.lower() in TEXT_SUFFIXES:
            yield path
        else:
            yield unsupported(path)


def unsupported(path: Path) -> InputProblem:
    return InputProblem(str(path), f"unsupported file type {path.suffix.lower() or '(none)'!r} "
                                   "(sitroom reads .txt, .html and .jsonl); skipped")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean this is not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and control / len(head) > 0.05


# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))


def byte_order_mark(data: bytes) -> tuple[int, str, str] | None:
    """(mark length, codec, name) of the byte-order mark `data` starts with, if any."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return len(bom), codec, name
    return None


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode by the byte-order mark (UTF-8, UTF-16, UTF-32), else as UTF-8; else as
    Windows-1252/Latin-1 with a note saying so (never fails; the text is used)."""
    mark = byte_order_mark(data)
    if mark is not None:
        size, codec, name = mark
        text = data[size:].decode(codec, errors="replace")
        if codec == "utf-8" or "\ufffd" not in text:
            return text, None
        return text, f"invalid {name} after its byte-order mark; unreadable characters replaced"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        return data.decode("cp1252"), f"not valid UTF-8 (byte {where}); decoded as Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), f"not valid UTF-8 (byte {where}); decoded as Latin-1"


def _mb(limit: int) -> str:
    """A limit as the README states it (MB of 2**20 bytes: 5 * 1024 * 1024 is "5 MB")."""
    return f"{limit / 2**20:g} MB"


def _read_bytes(path: Path, limit: int) -> bytes | InputProblem:
    try:
        size = path.stat().st_size
        if size > limit:
            return InputProblem(str(path), f"file too large ({size / 2**20:.1f} MB; the limit is "
                                           f"{_mb(limit)} per article file); skipped")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # bounded even if the file grows after stat()
        if len(data) > limit:
            return InputProblem(str(path), f"file grew past the limit of {_mb(limit)} while "
                                           "being read; skipped")
        return data
    except OSError as exc:
        return InputProblem(str(path), f"cannot read: {exc.strerror or exc}; skipped")


def _load_document(path: Path, what: str) -> tuple[str | None, list[InputProblem]]:
    """Bytes of one .txt/.html file to text, with the problems met on the way (shared checks:
    size, emptiness, binary content, encoding)."""
    data = _read_bytes(path, MAX_TEXT_BYTES)
    if isinstance(data, InputProblem):
        return None, [data]
    if not data.strip():
        return None, [InputProblem(str(path), "empty file; skipped")]
    # UTF-16/32 text is full of NUL bytes: read it first, then look at the characters
    marked = byte_order_mark(data) is not None
    if not marked and looks_binary(data):
        return None, [InputProblem(str(path), f"binary content, not {what}; skipped")]
    text, note = decode_text(data)
    if marked and looks_binary(text[:8192].encode("utf-8")):
        return None, [InputProblem(str(path), f"binary content, not {what}; skipped")]
    if not text.strip():  # a byte-order mark or Unicode spaces only
        return None, [InputProblem(str(path), "no text (only a byte-order mark or white space); "
                                              "skipped")]
    return text, [InputProblem(str(path), note)] if note else []


def read_text_file(path: Path) -> Iterator[RawArticle | InputProblem]:
    text, problems = _load_document(path, "text")
    yield from problems
    if text is not None:
        yield RawArticle(article_id=safe_article_id(path.stem), text=keep_head(text),
                         source_path=str(path), fmt="txt")


_TAG_START = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_VOID_TAGS = frozenset(("br", "img", "meta", "link", "input", "hr", "wbr", "source", "area"))


def html_depth_exceeds(html: str, limit: int = MAX_HTML_DEPTH) -> bool:
    """Cheap pre-parse check for absurd nesting (a hostile page can blow lxml's recursion).

    A hand-driven scan instead of one regex over whole tags: `<[^>]*>` rescans to the end of the
    page from every `<` that has no `>` after it, which is quadratic (minutes on a few MB)."""
    depth = 0
    pos = 0
    while True:
        match = _TAG_START.search(html, pos)
        if match is None:
            return False
        close = html.find(">", match.end())
        if close < 0:
            return False  # no tag can end after this point
        closing, name = match.groups()
        pos = close + 1
        if name.lower() in _VOID_TAGS:
            continue
        if closing:
            depth = max(0, depth - 1)
        elif html[close - 1] != "/":
            depth += 1
            if depth > limit:
                return True


def extract_html(html: str, path: str) -> RawArticle | InputProblem:
    """Main text and metadata (title, date, site) of a page, with trafilatura."""
    import trafilatura

    if html_depth_exceeds(html):
        return InputProblem(path, f"HTML nested deeper than {MAX_HTML_DEPTH} levels; skipped")
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_recall=True)
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        return InputProblem(path, f"HTML could not be parsed ({type(exc).__name__}); skipped")
    if doc is None:
        return InputProblem(path, "no article text found in HTML; skipped")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = (get("text") or "").strip()
    if not text:
        return InputProblem(path, "no article text found in HTML; skipped")
    meta_date = get("date")
    return RawArticle(
        article_id=safe_article_id(Path(path).stem),
        text=keep_head(text),
        source_path=path,
        fmt="html",
        title=(get("title") or None),
        url=(get("url") or None),
        outlet=(get("sitename") or None),
        published=normalise_iso_date(meta_date) if meta_date else None,
    )


def read_html_file(path: Path) -> Iterator[RawArticle | InputProblem]:
    html, problems = _load_document(path, "HTML")
    yield from problems
    if html is not None:
        yield extract_html(html, str(path))


_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})")
# A date in metadata is short ("Saturday, 10 July 2021 14:05 GMT+4:30"); dateparser takes seconds
# on a few KB of junk, so longer values are not dates and are not parsed.
MAX_DATE_CHARS = 64


def _valid_day(text: str) -> str | None:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def normalise_iso_date(value: object) -> str | None:
    """Metadata dates: keep the ISO day when the value starts with a real one, else parse it.
    The result is None or a valid YYYY-MM-DD day."""
    if value is None:
        return None
    text = str(value).strip()
    match = _ISO_DATE.match(text)
    if match:
        return _valid_day(match.group(0))
    if not text or len(text) > MAX_DATE_CHARS:
        return None
    try:
        import dateparser

        parsed = dateparser.parse(text, settings={"PREFER_DATES_FROM": "past",
                                                  "REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # dateparser raises assorted errors on junk
        return None
    return _valid_day(parsed.date().isoformat()) if parsed else None


# A feed of millions of broken lines would otherwise fill memory (and the store) with reports.
MAX_PROBLEMS_PER_FILE = 1000


def read_jsonl_file(path: Path) -> Iterator[RawArticle | InputProblem]:
    """Records of a JSONL file; past MAX_PROBLEMS_PER_FILE, line problems are counted, not listed."""
    n_problems = n_unlisted = 0
    for item in _read_jsonl_lines(path):
        if isinstance(item, InputProblem):
            n_problems += 1
            if n_problems > MAX_PROBLEMS_PER_FILE:
                n_unlisted += 1
                continue
        yield item
    if n_unlisted:
        yield InputProblem(str(path), f"{n_unlisted} more problem(s) in this file not listed (the "
                                      f"first {MAX_PROBLEMS_PER_FILE} are)")


def _read_jsonl_lines(path: Path) -> Iterator[RawArticle | InputProblem]:
    """One record per line: id and text required; title, url, outlet, published optional."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputProblem(str(path), f"cannot read: {exc.strerror or exc}; skipped")
        return
    n_good = 0
    with handle:
        lines = handle
        try:
            mark = byte_order_mark(handle.read(4))
            handle.seek(0)
        except OSError as exc:
            yield InputProblem(str(path), f"cannot read: {exc.strerror or exc}; skipped")
            return
        if mark is not None and mark[1] != "utf-8":  # UTF-16/32: read as text, lines as UTF-8
            handle.seek(mark[0])
            lines = _Transcoded(handle, mark[1])
        for lineno, raw in enumerate(_bounded_lines(lines, MAX_JSONL_LINE_BYTES), start=1):
            if raw is None:
                yield InputProblem(str(path), f"line longer than {_mb(MAX_JSONL_LINE_BYTES)}; "
                                              "skipped", line=lineno)
                continue
            if not raw.strip():
                continue
            line, note = decode_text(raw)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                # some of json's messages end in "at" ("Unterminated string starting at")
                reason = exc.msg.removesuffix(" at")
                yield InputProblem(str(path), f"broken JSON ({reason} at column {exc.colno}); "
                                              "line skipped", line=lineno)
                continue
            except RecursionError:
                yield InputProblem(str(path), "JSON nested too deeply; line skipped", line=lineno)
                continue
            except ValueError as exc:  # e.g. an integer literal over Python's 4300-digit limit
                yield InputProblem(str(path), f"unreadable JSON value ({exc}); line skipped"[:300],
                                   line=lineno)
                continue
            if not isinstance(record, dict):
                yield InputProblem(str(path), "not a JSON object; line skipped", line=lineno)
                continue
            rid, text = _field(record, "id"), _field(record, "text")
            if rid is None or (isinstance(rid, str) and not rid.strip()):
                yield InputProblem(str(path), "no `id`; line skipped", line=lineno)
                continue
            if not isinstance(text, str) or not text.strip():
                yield InputProblem(str(path), "no `text` (or not a string); line skipped",
                                   line=lineno, article_id=str(rid))
                continue
            if note:
                yield InputProblem(str(path), note, line=lineno)

            def opt(key: str) -> str | None:
                value = _field(record, key)
                return scrub_surrogates(str(value)).strip() or None if value is not None else None

            n_good += 1
            yield RawArticle(
                article_id=safe_article_id(str(rid)),
                text=scrub_surrogates(keep_head(text)),
                source_path=f"{path}:{lineno}",
                fmt="jsonl",
                title=opt("title"),
                url=opt("url"),
                outlet=opt("outlet"),
                published=normalise_iso_date(_field(record, "published")),
            )
    if n_good == 0:
        yield InputProblem(str(path), "no usable records; nothing read from this file")


class _Transcoded:
    """A UTF-16/32 file read line by line as UTF-8 bytes (readline's limit counts characters)."""

    def __init__(self, handle, codec: str):
        self.text = io.TextIOWrapper(handle, encoding=codec, errors="replace", newline="")

    def readline(self, limit: int) -> bytes:
        return scrub_surrogates(self.text.readline(limit)).encode("utf-8")


def _bounded_lines(handle, limit: int) -> Iterator[bytes | None]:
    """Lines of a binary file; a line over `limit` bytes yields None and is skipped whole."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the oversized line without keeping it
                rest = handle.readline(limit)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


READERS = {"txt": read_text_file, "html": read_html_file, "jsonl": read_jsonl_file}


def iter_inputs(paths: Iterable[Path]) -> Iterator[RawArticle | InputProblem]:
    """Every article and every problem, in input order; duplicate ids reported, first kept."""
    seen: dict[str, str] = {}
    for item in discover(paths):
        if isinstance(item, InputProblem):
            item.path = scrub_surrogates(item.path)
            yield item
            continue
        reader = READERS[TEXT_SUFFIXES[item.suffix.lower()]]
        for result in reader(item):
            if isinstance(result, RawArticle):
                result.source_path = scrub_surrogates(result.source_path)
                if not result.article_id:
                    yield InputProblem(result.source_path, "empty article id; skipped")
                    continue
                if result.article_id in seen:
                    yield InputProblem(result.source_path,
                                       f"duplicate article id {result.article_id!r} (first seen in "
                                       f"{seen[result.article_id]}); this one skipped",
                                       article_id=result.article_id)
                    continue
                seen[result.article_id] = result.source_path
            else:
                result.path = scrub_surrogates(result.path)
            yield result


def ingest(paths: Iterable[Path]) -> IngestResult:
    articles: list[RawArticle] = []
    problems: list[InputProblem] = []
    for item in iter_inputs(paths):
        (articles if isinstance(item, RawArticle) else problems).append(item)
    return IngestResult(articles, problems)
