"""Publication dates: from metadata, else from the text, else from the story and the collection.

Order of evidence (each step says in `source` and `evidence` what it rests on):
1. metadata (ingest/clean found a date): source "metadata".
2. the text: a full date with a year, not spoken of as future, in the first 400 characters (dateline,
   caption "On July 8, 2021, ...", "Posted 2021-07-08") or in a reporting sentence ("said on July 8,
   2021"); elsewhere only if the text names no later year (else it may be history). Source "text".
3. otherwise the text still constrains the date, and we keep those constraints (`Partial`) in the
   evidence for the story step: the weekday of the report (the weekday the reporting sentences use:
   "said on Tuesday"), a month-day without a year ("said on June 22", a dateline "KABUL, July 8"), the
   month ("last month" next to a named month), the latest year mentioned as past (the report cannot
   be older), and the latest dated thing the article tells of (news is written soon after what it
   reports: the first day after it that fits the other constraints is taken).
4. fill_story_dates: copies of one story share the story's date (source "story"); undated stories are
   solved from the merged constraints of their articles, the year taken from the dates of the other
   articles of the collection (a scraped collection covers one period) or, without any, the earliest
   year that satisfies the constraints.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from sitroom.records import CleanArticle, PublicationDate, Story, TimeExpr
from sitroom.time.periods import last_day_of_month, parse_day
from sitroom.time.timex import Context, find_timexes, has_future_cue, lexicon

log = logging.getLogger(__name__)

WEEKDAY_VALUE = re.compile(r"^XXXX-WXX-([1-7])$")
MONTH_DAY_VALUE = re.compile(r"^XXXX-(\d{2})-(\d{2})$")
MONTH_VALUE = re.compile(r"^XXXX-(\d{2})$")
YEAR_IN_VALUE = re.compile(r"^(\d{4})")
PARTIAL_PREFIX = "partial:"
WEAK_EVIDENCE = "latest full date in the text: "
EVIDENCE_SEPARATOR = " | "
REPORT_LAG_DAYS = 2  # a page may appear up to two days after the weekday its reporting sentences name
TOP_CHARS = 400  # datelines and captions sit at the top of a page
MOD_DAY = {"early": 1, "beginning": 1, "start": 1, "mid": 15, "middle": 15, "late": 28, "end": 28}


@dataclass
class Partial:
    """What the text says about its own date when it gives no full date."""

    weekday_votes: list[int] = field(default_factory=list)  # 0=Monday; weekdays of reporting sentences
    month_days: list[tuple[int, int]] = field(default_factory=list)  # (month, day) of reporting sentences
    month: int | None = None  # the month of publication ('last month' = the month after the latest named)
    min_year: int | None = None  # the latest year the text speaks of as past
    latest: tuple[int, int] | None = None  # (month, day) of the latest dated past thing told

    def is_empty(self) -> bool:
        return not (self.weekday_votes or self.month_days or self.month or self.latest)

    def to_evidence(self) -> str:
        parts = [PARTIAL_PREFIX]
        if self.weekday_votes:
            parts.append("weekdays=" + ",".join(str(w) for w in self.weekday_votes))
        if self.month_days:
            parts.append("monthdays=" + ",".join(f"{m:02d}-{d:02d}" for m, d in self.month_days))
        if self.month:
            parts.append(f"month={self.month:02d}")
        if self.min_year:
            parts.append(f"minyear={self.min_year}")
        if self.latest:
            parts.append(f"latest={self.latest[0]:02d}-{self.latest[1]:02d}")
        return " ".join(parts)

    @classmethod
    def from_evidence(cls, evidence: str) -> Partial | None:
        # the constraints follow a weak date's own evidence after the separator
        evidence = evidence.rpartition(EVIDENCE_SEPARATOR)[2]
        if not evidence.startswith(PARTIAL_PREFIX):
            return None
        p = cls()
        for item in evidence[len(PARTIAL_PREFIX):].split():
            key, _, val = item.partition("=")
            if key == "weekdays":
                p.weekday_votes = [int(v) for v in val.split(",") if v]
            elif key == "monthdays":
                p.month_days = [(int(v[:2]), int(v[3:5])) for v in val.split(",") if v]
            elif key == "month":
                p.month = int(val)
            elif key == "minyear":
                p.min_year = int(val)
            elif key == "latest":
                p.latest = (int(val[:2]), int(val[3:5]))
        return p

    def merged(self, other: Partial) -> Partial:
        return Partial(
            weekday_votes=self.weekday_votes + other.weekday_votes,
            month_days=self.month_days + other.month_days,
            month=self.month or other.month,
            min_year=max([y for y in (self.min_year, other.min_year) if y] or [0]) or None,
            latest=max([x for x in (self.latest, other.latest) if x], default=None),
        )


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[\"”’']?\s+|\n+", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _is_reporting(sentence: str) -> bool:
    low = sentence.lower()
    return any(re.search(r"(?<![a-z])" + re.escape(v) + r"(?![a-z])", low) for v in lexicon()["reporting_verbs"])


@lru_cache(maxsize=1)
def _furniture_patterns() -> tuple[re.Pattern, re.Pattern]:
    """Publication and citation cues right before a date, at the end of the words before it."""
    cues = lexicon()["page_furniture"]

    def ending_with(words: list[str]) -> re.Pattern:
        alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<![a-z])(?:{alt})\s*(?:on|:|at|-|–|—)?\s*$")

    return ending_with(cues["publication"]), ending_with(cues["citation"])


def furniture_kind(text: str, start: int) -> str:
    """'publication' where a date at ``start`` follows a cue that dates the page ('Published',
    'Last edited on', 'Updated'), 'citation' where it dates a cited source ('Retrieved', 'Archived
    from the original on'), else ''. Such dates are page furniture: never an event's date."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 60):start].lower()
    publication, citation = _furniture_patterns()
    if citation.search(before):
        return "citation"
    if publication.search(before):
        return "publication"
    return ""


# what may stand before a date in a dateline: a place and punctuation ('KABUL, ', 'new delhi: '), a
# weekday ('Thursday, '), a byline's bar ('By Staff | '), a caption's or lead's 'On'
DATELINE_PREFIX = re.compile(r"^[\s\W]*(?:[a-z][a-z .'()-]{0,30}?\s*[,:|–—-]\s*){0,3}"
                             r"(?:on\s+|(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?$")


def _dateline_shaped(text: str, start: int) -> bool:
    """Whether a date at ``start`` opens its line as a dateline, byline or caption does."""
    line_start = text.rfind("\n", 0, start) + 1
    if start - line_start > 60:
        return False
    return DATELINE_PREFIX.match(text[line_start:start].lower()) is not None


def _attached_to_reporting(text: str, t: TimeExpr, sentence_start: int, sentence_end: int,
                           others: list[TimeExpr]) -> bool:
    """Whether a date is the time of a reporting verb next to it ('said on July 8, 2021', 'on
    July 8, 2021 announced'), not of something told in the same sentence ('demolished on
    December 6, 1992, he said on Thursday')."""
    verbs = "|".join(re.escape(v) for v in sorted(lexicon()["reporting_verbs"], key=len, reverse=True))
    before = text[max(sentence_start, t.start - 40):t.start].lower()
    after = text[t.end:min(sentence_end, t.end + 30)].lower()
    # 'said on', 'told reporters on', 'a statement dated': 'said march 15 was' is the verb's object
    if re.search(rf"(?<![a-z])(?:{verbs})(?:\s+\w+)?\s+(?:on|dated)\s+$", before):
        return True
    m = re.match(rf"^[\s,]*(?:\w+\s+){{0,2}}?(?:{verbs})(?![a-z])", after)
    if m is None:
        return False
    # another date between this one and the verb is the verb's own ('..., on thursday said')
    return not any(t.end < o.start < t.end + m.end() for o in others)


@lru_cache(maxsize=1)
def _span_bound_pattern() -> re.Pattern:
    words = "|".join(re.escape(w) for w in lexicon()["span_bound_words"])
    return re.compile(rf"(?<![a-z])(?:{words})\s+(?:the\s+)?$")


def _bound_of_span(text: str, t: TimeExpr) -> bool:
    """Whether an expression is the bound of a span or of a relation ('till march 18', 'since
    tuesday') or carries its own 'next' / 'last' ('march 18 next'): not the time of a report."""
    before = text[max(0, t.start - 12):t.start].lower()
    return bool(_span_bound_pattern().search(before) or re.search(r"\b(?:next|last)$", t.text.lower()))


def _best_weekday(votes: list[int]) -> int | None:
    """The report's weekday: the day after which the weekdays told are the most recent ones
    (the smallest total count of days back from it)."""
    if not votes:
        return None
    counts = Counter(votes)
    return min(range(7), key=lambda w: (sum((w - d) % 7 * n for d, n in counts.items()), -counts[w]))


def text_date(article: CleanArticle) -> tuple[PublicationDate | None, Partial]:
    """A full date the text gives for itself, else the constraints it sets on its date."""
    text = f"{article.title}\n{article.text}" if article.title else article.text
    # title and body tagged apart: the body's scan is then shared with the tagging of its
    # mentions (timex._matches); an expression cannot run from a title into the text anyway
    timexes = find_timexes(article.text, None)
    if article.title:
        shift = len(article.title) + 1
        timexes = find_timexes(article.title, None) + [
            dataclasses.replace(t, start=t.start + shift, end=t.end + shift) for t in timexes]
    ctx = Context(text, None)
    sentences = _sentence_spans(text)

    def sentence_of(pos: int) -> str:
        for s, e in sentences:
            if s <= pos < e:
                return text[s:e]
        return ""

    def sentence_span(pos: int) -> tuple[int, int]:
        for s, e in sentences:
            if s <= pos < e:
                return s, e
        return pos, pos

    full_dates: list[tuple[date, str, str]] = []  # (day, surface, why it dates the page or "")
    partial = Partial()
    latest: tuple[int, int] | None = None
    named_months: list[int] = []
    says_last_month = False
    years: list[int] = []
    for t in timexes:
        future = has_future_cue(ctx.before(t.start))
        low = t.text.lower()
        if re.search(r"\blast month\b", low):
            says_last_month = True
        if t.kind not in ("DATE", "TIME") or future:
            continue
        attributive = bool(re.search(r"\bthe\s+$", text[max(0, t.start - 5):t.start].lower()))
        day = parse_day(t.value)
        furniture = furniture_kind(text, t.start)
        if day is not None and furniture == "citation":
            years.append(day.year)  # the page is no older than the sources it cites, and no more
            continue
        if day is not None:
            # a dateline, byline or caption near the top, a page's 'Published' or 'Last edited on',
            # or the date of a reporting verb dates the report; a full date elsewhere may be history
            # ('killed on September 9, 2001'), and a citation's 'Retrieved' dates another page
            s_start, s_end = sentence_span(t.start)
            if furniture == "publication":
                strength = "furniture"
            elif t.start < TOP_CHARS and _dateline_shaped(text, t.start):
                strength = "dateline"
            elif _attached_to_reporting(text, t, s_start, s_end, timexes):
                strength = "reporting"
            else:
                strength = ""
            full_dates.append((day, t.text, strength))
            years.append(day.year)
            continue
        if furniture:
            continue
        year_match = YEAR_IN_VALUE.match(t.value)
        if year_match:
            years.append(int(year_match.group(1)))
            continue
        if attributive:
            continue  # 'the September 11 attacks': a date used as a name, not as the time of a report
        # 'said on tuesday' dates the report; 'extended till march 18 next' does not
        reporting = _is_reporting(sentence_of(t.start)) and not _bound_of_span(text, t)
        m = WEEKDAY_VALUE.match(t.value[:10]) or WEEKDAY_VALUE.match(t.value)
        if m:
            if reporting:
                partial.weekday_votes.append(int(m.group(1)) - 1)
            continue
        m = MONTH_DAY_VALUE.match(t.value[:10])
        if m:
            md = (int(m.group(1)), int(m.group(2)))
            latest = max(latest, md) if latest else md
            # a dateline ('KABUL, July 8 (Reuters) -') or the day of a reporting verb ('said on June
            # 22'); a day a reporting sentence tells of ('the rally on march 15') is not the report's
            if (t.start < TOP_CHARS and _dateline_shaped(text, t.start)) or (
                    reporting and _attached_to_reporting(text, t, *sentence_span(t.start), timexes)):
                partial.month_days.append(md)
            continue
        m = MONTH_VALUE.match(t.value)
        if m:
            month = int(m.group(1))
            named_months.append(month)
            word = next((w for w in MOD_DAY if re.search(rf"\b{w}", low)), "")
            md = (month, MOD_DAY[word] if word else 1)
            latest = max(latest, md) if latest else md
    weekday = _best_weekday(partial.weekday_votes)  # the weekday the reporting sentences use

    def weekday_fits(day: date) -> bool:
        # 'said on thursday' is no report of a Sunday (a reprint may come up to two days later)
        return weekday is None or (day.weekday() - weekday) % 7 <= REPORT_LAG_DAYS

    # datelines and a page's own 'Published' are trusted; a date beside a reporting verb must
    # fit the weekday the other reporting sentences use ('demolished on December 6, 1992, he
    # said on Thursday')
    strong = [(d, surface) for d, surface, why in full_dates
              if why in ("furniture", "dateline") or (why == "reporting" and weekday_fits(d))]
    if strong:
        day, surface = max(strong)
        return PublicationDate(day.isoformat(), "text", f"full date in the text: {surface!r}"), partial
    partial.latest = latest
    if years:
        partial.min_year = max(years)
    if says_last_month and named_months:
        # 'last month' beside 'in late June': the text was written in the month after the latest named
        partial.month = max(named_months) % 12 + 1
    if full_dates and max(d for d, _, _ in full_dates).year >= max(years):
        # no dateline: the latest full date counts only where the text names no later year and the
        # weekday its reporting sentences use fits it ('said on thursday' is no report of a Sunday);
        # the text's constraints go with it, for the story step to weigh it against the collection
        day, surface, _ = max(full_dates)
        if weekday_fits(day):
            return PublicationDate(day.isoformat(), "text", f"{WEAK_EVIDENCE}{surface!r}"
                                   f"{EVIDENCE_SEPARATOR}{partial.to_evidence()}"), partial
    return None, partial


def publication_date(article: CleanArticle) -> PublicationDate:
    if article.published and parse_day(article.published):
        return PublicationDate(article.published[:10], "metadata", "metadata")
    if article.captions:
        # Cleaning took the photo captions out of the text; on the page they stood at the top,
        # where a caption's date ("On July 8, 2021, soldiers ...") dates the article.
        article = dataclasses.replace(article, text="\n\n".join([*article.captions, article.text]))
    found, partial = text_date(article)
    if found is not None:
        return found
    if partial.is_empty():
        return PublicationDate(None, "none", "no date in metadata or text")
    return PublicationDate(None, "none", partial.to_evidence())


# ------------------------------------------------------------------------------------------------
# story and collection step


def _candidates_in_year(p: Partial, year: int, lag_days: int = 0) -> list[date]:
    """Days of one year that satisfy the constraints, nearest the latest thing told first."""
    weekday = _best_weekday(p.weekday_votes)
    days: list[date] = []
    if p.month_days:
        month, day = max(p.month_days)
        try:
            base = date(year, month, day)
        except ValueError:
            return []
        # the report is on the latest day it names, or the day after (datelines lag by a day);
        # the day itself is tried in every year before the day after (solve_partial, lag_days)
        day_ = base + timedelta(days=lag_days)
        return [day_] if weekday is None or day_.weekday() == weekday else []
    if p.month:
        first = date(year, p.month, 1)
        days = [first + timedelta(days=i) for i in range(last_day_of_month(year, p.month))]
    elif p.latest:
        try:
            start = date(year, p.latest[0], min(p.latest[1], last_day_of_month(year, p.latest[0])))
        except ValueError:
            return []
        days = [start + timedelta(days=i) for i in range(0, 62)]
    else:
        return []
    if weekday is not None:
        days = [d for d in days if d.weekday() == weekday]
    if p.latest and not (p.month and p.latest[0] > p.month):
        try:
            latest = date(year, p.latest[0], min(p.latest[1], last_day_of_month(year, p.latest[0])))
        except ValueError:
            latest = None
        if latest is not None:
            # a month named as past ('late June') lies before the month of publication
            if p.month and p.month != p.latest[0]:
                latest = date(year, p.latest[0], last_day_of_month(year, p.latest[0]))
            after = [d for d in days if d >= latest]
            days = sorted(after or days, key=lambda d: abs((d - latest).days))
    return days


MAIN_YEAR_SHARE = 0.1  # a year holding fewer of a collection's dated articles is an outlier's
STORY_SPREAD_DAYS = 60  # dated members further apart than this tell no single day for the others
NEAR_DAYS = 31  # reference days this close to a candidate day vouch for it
STORY_FOLLOW_DAYS = 14  # how long after a story's first report a later report of it is looked for


def main_years(reference_days: list[date]) -> set[int]:
    """The years a collection covers: those holding at least a tenth of its dated articles. One
    history date taken for a page's own (a 1992 page among a thousand of 2002) names no year for
    the others."""
    counts = Counter(d.year for d in reference_days)
    total = sum(counts.values())
    return {y for y, n in counts.items() if n >= MAIN_YEAR_SHARE * total}


def fits(p: Partial, day: date) -> bool:
    """Whether a day can be the publication day of a text with these constraints: not before the
    latest year it names, on or up to two days after its latest reporting month-day, and a report
    of its reporting weekday (or up to two days later: reprints and next-day copies)."""
    if p.min_year and day.year < p.min_year:
        return False
    if p.month_days:
        month, md = max(p.month_days)
        try:
            named = date(day.year, month, md)
        except ValueError:
            return False
        if not 0 <= (day - named).days <= REPORT_LAG_DAYS:
            return False
    weekday = _best_weekday(p.weekday_votes)
    return weekday is None or (day.weekday() - weekday) % 7 <= REPORT_LAG_DAYS


def solve_partial(p: Partial, reference_days: list[date]) -> date | None:
    """The most likely publication day under the constraints; None where they do not fix one.

    With a collection, the years tried are its main years and their neighbours, and among the
    days that fit, the one with the most dated articles within a month wins (then the nearest):
    a collection's few outliers do not pull a text into their year."""
    if p.is_empty() or not (p.month_days or p.month or (p.latest and p.weekday_votes)):
        return None
    if reference_days:
        ref_years = sorted(main_years(reference_days))
        years = sorted({y + k for y in ref_years for k in (-1, 0, 1)})
    elif p.min_year and p.weekday_votes and p.month_days:
        # a weekday on a given month-day recurs only every 5 to 11 years: the earliest after the
        # latest year the text speaks of is the defensible reading
        years = list(range(p.min_year, p.min_year + 30))
    else:
        return None
    if p.min_year:
        years = [y for y in years if y >= p.min_year]
    options: list[date] = []
    for lag_days in (0, 1) if p.month_days else (0,):
        for year in years:
            found = _candidates_in_year(p, year, lag_days)
            if found:
                options.append(found[0])
        if options:
            break
    if not options:
        return None
    if reference_days:
        ordered = sorted(reference_days)

        def support(d: date) -> tuple[int, int, date]:
            near = bisect_right(ordered, d + timedelta(days=NEAR_DAYS)) - bisect_left(
                ordered, d - timedelta(days=NEAR_DAYS))
            return -near, min(abs((d - r).days) for r in ordered), d

        best = min(options, key=support)
        # a day no dated article of the collection lies near is a guess from another period
        return best if support(best)[0] < 0 else None
    return options[0]


def _story_day(story: Story, members: list[str], dated: dict[str, date]) -> date | None:
    """The day of a story for its undated members: its origin's if dated, else its commonest;
    none where its dated members lie far apart (then they are not one news event's reports)."""
    known = [dated[a] for a in members if a in dated]
    if not known or (max(known) - min(known)).days > STORY_SPREAD_DAYS:
        return None
    return dated.get(story.origin_article_id) or Counter(known).most_common(1)[0][0]


def _is_weak(pd: PublicationDate) -> bool:
    return pd.source == "text" and pd.evidence.startswith(WEAK_EVIDENCE)


def fill_story_dates(dates: dict[str, PublicationDate], stories: list[Story]) -> dict[str, PublicationDate]:
    out = dict(dates)
    dated = {aid: parse_day(pd.date) for aid, pd in dates.items() if pd.date and parse_day(pd.date)}
    # 0. a page dated only by the latest full date it tells of, in none of the collection's years,
    # most likely tells of history (a 1992 date in a 2002 page): it is solved like an undated one
    years = main_years([d for a, d in dated.items() if not _is_weak(dates[a])] or list(dated.values()))
    for aid, pd in dates.items():
        if aid in dated and _is_weak(pd) and not any(abs(dated[aid].year - y) <= 1 for y in years):
            log.debug("%s: %s is in none of the collection's years %s", aid, pd.date, sorted(years))
            out[aid] = PublicationDate(None, "none", pd.evidence.rpartition(EVIDENCE_SEPARATOR)[2])
            del dated[aid]
    # 1. an undated copy takes the date of its story where its own text allows that day
    for story in stories:
        members = [a for a in story.article_ids if a in out]
        story_day = _story_day(story, members, dated)
        if story_day is None:
            continue
        for a in members:
            if a in dated:
                continue
            own = Partial.from_evidence(out[a].evidence)
            if own is None or fits(own, story_day):
                out[a] = PublicationDate(story_day.isoformat(), "story", f"date of story {story.story_id}")
                continue
            # its text tells of another day: a later report of the story ('said on tuesday' after a
            # Saturday's first report) is on the first day after the story's that its text allows
            later = next((story_day + timedelta(days=k) for k in range(1, STORY_FOLLOW_DAYS + 1)
                          if fits(own, story_day + timedelta(days=k))), None)
            if later is not None:
                out[a] = PublicationDate(later.isoformat(), "story",
                                         f"first day after story {story.story_id}'s that its text allows")
    # 2. undated stories (and undated articles in no story): merged text constraints + collection
    # dates; where the members' merged constraints fit no day, each member on its own
    reference_days = sorted(dated.values())
    groups: list[list[str]] = [[a for a in s.article_ids if a in out] for s in stories]
    in_story = {a for g in groups for a in g}
    groups += [[a] for a in out if a not in in_story]
    for members in groups:
        undated = [a for a in members if not out[a].date]
        if not undated:
            continue
        own = {a: Partial.from_evidence(out[a].evidence) or Partial() for a in undated}
        merged = Partial()
        for a in undated:
            merged = merged.merged(own[a])
        day = solve_partial(merged, reference_days)
        # the story's day goes to the members whose own text allows it; the others (a story may
        # join reports of several days) are solved on their own
        together = [a for a in undated if day is not None and fits(own[a], day)]
        solved = [(together, merged, day)] if together else []
        solved += [([a], own[a], d) for a in undated if a not in together
                   for d in [solve_partial(own[a], reference_days)] if d is not None]
        for group, constraints, day in solved:
            why = "; ".join(x for x in (
                f"weekday {day.strftime('%A')}" if constraints.weekday_votes else "",
                f"month-day {max(constraints.month_days)}" if constraints.month_days else "",
                f"month {constraints.month}" if constraints.month else "",
                f"not before {constraints.min_year}" if constraints.min_year else "",
                "year from the collection's dated articles" if reference_days else "earliest year that fits",
            ) if x)
            whose = "the story's" if len(group) > 1 else "its"
            for a in group:
                out[a] = PublicationDate(day.isoformat(), "story", f"solved from {whose} text: {why}")
    return out
