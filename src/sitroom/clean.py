"""Clean stage: drop scraper and site boilerplate, repeated titles and captions; repair mojibake;
detect the outlet and wire credits. All patterns come from data/clean/rules.toml.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ftfy

from sitroom.ingest import scrub_surrogates
from sitroom.records import CleanArticle, RawArticle


@dataclass(frozen=True)
class WireCredit:
    name: str
    pattern: re.Pattern[str]
    strength: int
    scope: str  # "text" | "title"
    # every credit pattern holds one of its agency's aliases (case-sensitive): a text without
    # any of them cannot match, and a substring test is ~100x cheaper than the regex search
    aliases: tuple[str, ...] = ()

    def search(self, haystack: str) -> re.Match[str] | None:
        if self.aliases and not any(alias in haystack for alias in self.aliases):
            return None
        return self.pattern.search(haystack)


@dataclass(frozen=True)
class CleanRules:
    boilerplate: tuple[re.Pattern[str], ...]
    captions: tuple[re.Pattern[str], ...]
    credit_lines: tuple[re.Pattern[str], ...]
    outlet_blurb: re.Pattern[str]
    title_suffix: re.Pattern[str]
    wire_credits: tuple[WireCredit, ...]
    outlet_names: tuple[str, ...]
    outlet_parent: re.Pattern[str]


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern})", re.IGNORECASE)


@lru_cache(maxsize=1)
def load_rules() -> CleanRules:
    raw = tomllib.loads(resources.files("sitroom.data.clean").joinpath("rules.toml").read_text("utf-8"))
    bp = raw["boilerplate"]
    credits = []
    for agency in raw["wires"]["agency"]:
        alias_re = "|".join(re.escape(a) for a in sorted(agency["aliases"], key=len, reverse=True))
        for rule in raw["wires"]["credit"]:
            pattern = rule["pattern"].replace("{w}", f"(?:{alias_re})")
            # Agency abbreviations are case-sensitive ("AP" is not "ap"); the rest of a rule is not.
            credits.append(WireCredit(agency["name"], re.compile(pattern, re.MULTILINE),
                                      int(rule["strength"]), rule.get("scope", "text"),
                                      tuple(agency["aliases"])))
    return CleanRules(
        boilerplate=tuple(_full(p) for p in bp["lines"]),
        captions=tuple(_full(p) for p in bp["captions"]),
        credit_lines=tuple(_full(p) for p in bp["credit_lines"]),
        outlet_blurb=_full(bp["outlet_blurb"]),
        title_suffix=re.compile(bp["title_suffix"]),
        wire_credits=tuple(credits),
        outlet_names=tuple(raw["outlets"]["names"]),
        outlet_parent=re.compile(raw["outlets"]["parent_pattern"]),
    )


def _matches(patterns: tuple[re.Pattern[str], ...], line: str) -> bool:
    return any(p.fullmatch(line) for p in patterns)


def _norm(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


def strip_title_suffix(title: str, rules: CleanRules) -> str:
    """'Headline | Site' -> 'Headline' (only when a real headline remains)."""
    stripped = rules.title_suffix.sub("", title).strip()
    return stripped if len(stripped.split()) >= 3 else title


HEADLINE_MAX_WORDS = 25


def is_lede(line: str) -> bool:
    """A first line that is a sentence of the story rather than a headline."""
    words = line.split()
    return len(words) > HEADLINE_MAX_WORDS or (len(words) > 12 and line.rstrip().endswith("."))


def strip_trailing_wire(title: str, rules: CleanRules) -> str:
    """'Taliban take crossing Reuters' -> 'Taliban take crossing' (scrapers glue the credit on)."""
    for credit in rules.wire_credits:
        if credit.scope == "title":
            match = credit.search(title)
            if match and match.start() > 0 and len(title[: match.start()].split()) >= 3:
                return title[: match.start()].rstrip(" -|–—:")
    return title


def detect_wires(title: str, text: str, rules: CleanRules) -> list[str]:
    """Credited wire agencies, strongest credit first."""
    best: dict[str, tuple[int, int]] = {}
    for credit in rules.wire_credits:
        haystack = title if credit.scope == "title" else text
        match = credit.search(haystack)
        if match:
            score = (credit.strength, -match.start())
            if credit.name not in best or score > best[credit.name]:
                best[credit.name] = score
    return [name for name, _ in sorted(best.items(), key=lambda kv: kv[1], reverse=True)]


def detect_outlet(text: str, blurb_outlets: list[str], rules: CleanRules) -> str | None:
    """An outlet the text states about itself: a self-blurb first, then a credit line."""
    for name in blurb_outlets:
        parent = rules.outlet_parent.match(name)
        return parent.group("parent") if parent else name.strip()
    return None


@dataclass
class CleanedText:
    title: str
    text: str
    boilerplate: list[str]
    captions: list[str]
    credits: list[str]
    blurb_outlets: list[str]


# Blank lines collapse to one paragraph break below anyway; collapsing them first is the same result.
_BLANK_RUNS = re.compile(r"\n(?:[ \t\f\v\r]*\n)+")
# ftfy fixes text one line at a time, at ~75 µs a line. An article has a few hundred lines, a hostile
# one can have hundreds of thousands; past this many, lines are fixed in groups (one guess per group).
FTFY_MAX_SEGMENTS = 2000


def fix_text(raw_text: str) -> str:
    """ftfy's repair (mojibake, entities, control characters, NFC) in time linear in the length."""
    text = _BLANK_RUNS.sub("\n\n", raw_text)
    n_lines = text.count("\n") + 1
    if n_lines <= FTFY_MAX_SEGMENTS:
        return ftfy.fix_text(text, normalization="NFC")
    per_segment = -(-n_lines // FTFY_MAX_SEGMENTS)
    lines = text.split("\n")
    config = ftfy.TextFixerConfig(normalization="NFC", explain=False)
    out = []
    for i in range(0, len(lines), per_segment):
        segment = "\n".join(lines[i:i + per_segment]) + ("\n" if i + per_segment < len(lines) else "")
        if config.unescape_html == "auto" and "<" in segment:  # as ftfy.fix_text does
            config = config._replace(unescape_html=False)
        out.append(ftfy.fix_and_explain(segment, config).text)
    return "".join(out)


def clean_text(raw_text: str, title_hint: str | None, rules: CleanRules | None = None,
               title_line: bool = True) -> CleanedText:
    """Split into lines, drop furniture, keep paragraphs. Pure function.

    Without a `title_hint` the title is the first line that is not boilerplate. With
    `title_line` (a .txt file: its first line is the headline) that line is the headline and
    leaves the body; without it (a JSONL record or a page with no title of its own) the title
    is for display only and the whole text stays the body. A title (given or the first line)
    leaves the body only when something else is left: a one-line item is its own story."""
    rules = rules or load_rules()
    drop_title = title_line or bool((title_hint or "").strip())
    cleaned = _clean_text(raw_text, title_hint, rules, drop_title)
    if not cleaned.text and drop_title:
        cleaned = _clean_text(raw_text, title_hint, rules, False)
    return cleaned


def _clean_text(raw_text: str, title_hint: str | None, rules: CleanRules, drop_title: bool
                ) -> CleanedText:
    text = fix_text(raw_text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln.strip() for ln in text.split("\n")]
    title = (title_hint or "").strip()
    if not title:
        # A .txt page starts with its headline; section labels before it are boilerplate. A first
        # line that reads like a lede (long, ends a sentence) is body text: its first words title it.
        for ln in lines:
            if ln and not _matches(rules.boilerplate, ln):
                title = ln
                break
    lede_as_title = is_lede(title)
    title_clean = strip_title_suffix(title, rules) if title else ""
    if lede_as_title:
        title_clean = " ".join(title.split()[:HEADLINE_MAX_WORDS]) + "…"
    title_clean = strip_trailing_wire(title_clean, rules)
    keep = lede_as_title or not drop_title
    title_keys = set() if keep else {_norm(title), _norm(title_clean)} - {""}

    kept: list[str] = []
    boilerplate: list[str] = []
    captions: list[str] = []
    credits: list[str] = []
    blurb_outlets: list[str] = []
    for ln in lines:
        if not ln:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        bare = ln.lstrip("•·*-– ").strip()
        if _norm(bare) in title_keys:
            boilerplate.append(ln)  # the headline and its repeats live in `title`, not the body
        elif _matches(rules.boilerplate, bare):
            boilerplate.append(ln)
        elif _matches(rules.credit_lines, bare):
            credits.append(ln)
            boilerplate.append(ln)
        elif _matches(rules.captions, bare):
            captions.append(ln)
            boilerplate.append(ln)
        else:
            blurb = rules.outlet_blurb.fullmatch(bare)
            if blurb and len(bare.split()) < 60:
                outlet = blurb.group("outlet").strip()
                blurb_outlets.append(outlet)
                boilerplate.append(ln)
                # The outlet's name standing alone just above its blurb is part of the same furniture.
                while kept and (kept[-1] == "" or _norm(kept[-1]) == _norm(outlet)):
                    dropped = kept.pop()
                    if dropped:
                        boilerplate.append(dropped)
                continue
            kept.append(ln)
    kept, repeats = drop_repeated_sentences(kept)
    boilerplate.extend(repeats)
    while kept and kept[-1] == "":
        kept.pop()
    body = "\n".join(kept).strip()
    return CleanedText(title_clean, body, boilerplate, captions, credits, blurb_outlets)


# A sentence ends at . ! ? or … (with closing quotes or brackets) before white space.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*\s+")
# Repeats of a sentence this long or longer are dropped; shorter ones ("He denied it.") may
# recur in a real article.
REPEAT_MIN_WORDS = 4


def _sentences(line: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        out.append(line[start:match.end()])
        start = match.end()
    if start < len(line):
        out.append(line[start:])
    return out


def drop_repeated_sentences(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines without the sentences already seen earlier in the article (compared as their words
    in lower case), and one note per sentence dropped, with its count. A page pasted twice, or
    one sentence repeated thousands of times, leaves each sentence once: one mention per
    distinct sentence, and time and output bounded by the distinct text. Blank lines that
    only separated dropped lines are dropped with them."""
    seen: set[str] = set()
    dropped: dict[str, tuple[str, int]] = {}
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        parts = _sentences(line)
        kept_parts = []
        for part in parts:
            key = _norm(part)
            if key in seen and len(key.split()) >= REPEAT_MIN_WORDS:
                first, n = dropped.get(key, (part.strip(), 0))
                dropped[key] = (first, n + 1)
                continue
            seen.add(key)
            kept_parts.append(part)
        if len(kept_parts) == len(parts):
            out.append(line)
        elif kept_parts:
            out.append("".join(kept_parts).strip())
    notes = [f"{text} [repeated {n} more time{'s' if n > 1 else ''}]"
             for text, n in dropped.values()]
    return out, notes


def _storable(value: str | None) -> str | None:
    """Lone surrogates cannot be hashed or stored as UTF-8 (ftfy repairs them in the text only)."""
    return None if value is None else scrub_surrogates(value)


def clean_article(raw: RawArticle, rules: CleanRules | None = None) -> CleanArticle:
    rules = rules or load_rules()
    raw = dataclasses.replace(raw, **{k: _storable(getattr(raw, k)) for k in
                                      ("title", "url", "outlet", "published", "source_path")})
    # a .txt file's first line is its headline; other formats give the title apart, if at all
    cleaned = clean_text(raw.text, raw.title, rules, title_line=raw.fmt == "txt")
    credit_text = "\n".join([cleaned.text, *cleaned.credits, *cleaned.captions])
    wires = detect_wires(cleaned.title if not raw.title else raw.title, credit_text, rules)
    outlet = raw.outlet or detect_outlet(cleaned.text, cleaned.blurb_outlets, rules)
    if outlet:
        wires = [w for w in wires if w.lower() != outlet.lower()]
    content_hash = hashlib.sha256(
        "\x1f".join([cleaned.title, cleaned.text, raw.published or ""]).encode("utf-8")
    ).hexdigest()
    return CleanArticle(
        article_id=raw.article_id,
        title=cleaned.title,
        text=cleaned.text,
        source_path=raw.source_path,
        fmt=raw.fmt,
        url=raw.url,
        outlet=outlet,
        wire=";".join(wires) or None,
        published=raw.published,
        boilerplate_lines=cleaned.boilerplate,
        captions=cleaned.captions,
        content_hash=content_hash,
    )
