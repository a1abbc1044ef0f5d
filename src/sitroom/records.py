"""Typed records passed between the stages of the pipeline.

Data flows one way: RawArticle -> CleanArticle -> (spaCy Doc) -> mentions (dates, places,
event mentions, quotes) -> stories -> fused events, contradictions, control -> store.
Every record is a plain dataclass so that stages stay pure functions and the store can
serialise them (``dataclasses.asdict``) without knowing their internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawArticle:
    """One article as read from disk, before any cleaning."""

    article_id: str
    text: str
    source_path: str
    fmt: str  # "txt" | "html" | "jsonl"
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) from metadata, if any


@dataclass
class InputProblem:
    """Something in the input that could not be used; reported, never fatal for the run."""

    path: str
    problem: str  # what is wrong and what was done ("...; skipped", "... read as Windows-1252")
    line: int | None = None
    article_id: str | None = None

    def message(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.problem}"


@dataclass
class CleanArticle:
    """An article after boilerplate removal, mojibake repair and source detection."""

    article_id: str
    title: str
    text: str
    source_path: str
    fmt: str
    url: str | None = None
    outlet: str | None = None
    wire: str | None = None  # ";"-joined wire agencies credited, e.g. "AFP" or "AFP;RFE/RL"
    published: str | None = None  # metadata date, if any
    boilerplate_lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)  # photo captions: out of the text, kept for dates
    content_hash: str = ""

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class TimeExpr:
    """A temporal expression found in text and normalised against an anchor date."""

    text: str
    start: int
    end: int
    value: str  # TimeML-style value: 2021-06-22, 2021-W25, 2021-06, PXD, ...
    kind: str = "DATE"  # DATE | TIME | DURATION | SET
    precision: int | None = None  # ACLED time_precision 1 day / 2 week / 3 month (None if n/a)


@dataclass
class PublicationDate:
    date: str | None  # ISO day
    source: str  # "metadata" | "text" | "story" | "none"
    evidence: str = ""


@dataclass
class Place:
    """A resolved place: what a map and ACLED's location columns need."""

    name: str
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    latitude: float | None = None
    longitude: float | None = None
    feature: str = ""  # country | admin1 | admin2 | city | crossing | base | ...
    geo_precision: int = 3
    gazetteer_id: str = ""


@dataclass
class Toponym:
    """A place name found in text (span) and, once resolved, where it is."""

    text: str
    start: int
    end: int
    place: Place | None = None


@dataclass
class Actor:
    name: str  # ACLED-style canonical name, e.g. "Military Forces of Afghanistan"
    actor_type: str = ""  # state forces | rebel group | ... (ACLED inter codes)
    surface: str = ""  # words in the text
    assoc: str = ""  # ACLED associated actor: the identity group or party the actor acts for


@dataclass
class EventMention:
    """One article's report of one event, with the evidence it rests on."""

    article_id: str
    sentence: str
    sent_start: int
    trigger: str
    event_type: str
    sub_event_type: str
    actor1: Actor | None = None
    actor2: Actor | None = None
    place: Place | None = None
    location_text: str = ""
    date: str | None = None
    time_precision: int | None = None
    # what the date rests on: "own" (an expression of the sentence), "narrative", "paragraph",
    # "report" (the publication date: the text does not say when) or "" (undated)
    date_basis: str = ""
    fatalities: int | None = None
    fatalities_max: int | None = None
    numbers: dict[str, list[int]] = field(default_factory=dict)  # killed/wounded/captured/fled/crossed
    modality: str = "reported"  # reported | claimed | denied | hedged
    attributed_to: str = ""  # who claims/denies/reports it
    notes: str = ""
    # event: an incident the article reports (fused into an event row); aggregate ("3,976 have
    # been arrested so far"), background (long before the article) or reference (named as the
    # cause or time of something else) or named (an act named but not told as happening: "demanded
    # the arrest of its leaders"): what the sentence says of such acts, kept as a mention only
    scope: str = "event"


@dataclass
class FusedMention:
    """An incident mention as fusion reads it: its place possibly lent by its story, and who
    denied it (a deny-stance quote of its article). `seq`: its position in its article's
    mentions, which with the article id orders mentions as a full run reads them."""

    article_id: str
    seq: int
    mention: EventMention
    denied_by: str = ""
    inherited: bool = False  # its place was lent by its story (it named none)


@dataclass
class IndexEntry:
    """What the store's story index keeps for one article (sitroom.stories.index)."""

    article_id: str
    content_hash: str
    day: int | None  # date.toordinal() of its publication day
    lead: bytes  # float16 L2-normalised lead embedding
    signature: bytes  # uint64 x NUM_PERM MinHash signature
    bands: list[tuple[int, int]]  # (band, key as signed 64-bit)


@dataclass
class Quote:
    quote_id: str
    article_id: str
    speaker: str
    text: str
    kind: str = "direct"  # direct | indirect
    stance: str = "assert"  # assert | deny
    speaker_canonical: str = ""
    speaker_role: str = ""
    cue: str = ""
    start: int = 0
    end: int = 0


@dataclass
class LineageLink:
    article_id: str
    derived_from: str | None
    relation: str  # origin | duplicate | rewrite | spun | independent
    similarity: float
    signs: list[str] = field(default_factory=list)  # evidence of spinning, shared quotes ...


@dataclass
class Story:
    story_id: str
    title: str
    article_ids: list[str]
    origin_article_id: str
    lineage: list[LineageLink] = field(default_factory=list)
    # what the lineage was computed from (stories.lineage_key); equal keys give equal lineage
    lineage_key: str = ""

    @property
    def n_independent_sources(self) -> int:
        return sum(1 for link in self.lineage if link.relation in ("origin", "independent"))


@dataclass
class Event:
    """A fused, ACLED-style event: one row per real-world incident.

    Each field is a column of the store's `events` table (same name) and is declared, with its
    meaning, in sitroom/data/outputs/columns.toml; a new field needs both (tests check it)."""

    event_id: str
    event_date: str | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str = ""
    actor2: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_max: int | None = None
    claim_status: str = "reported"  # reported | claimed | disputed | denied
    n_reports: int = 0
    n_independent_sources: int = 0
    article_ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # how the event was read: frames, cues and number notes ("frame TAKE; said"), for debugging;
    # the ACLED-style one-sentence `notes` of the outputs is written from the fields instead
    trace: str = ""
    evidence: list[str] = field(default_factory=list)
    mention_keys: list[str] = field(default_factory=list)
    # ACLED actor types (inter codes as names: "State forces", "Rebel group", ...) of actor1/actor2
    inter1: str = ""
    inter2: str = ""
    # ACLED's associated actors of actor1/actor2 (the identity group or party each acts for),
    # "; "-joined, the most reported first
    assoc_actor_1: str = ""
    assoc_actor_2: str = ""
    timestamp: int | None = None  # when this event last changed (Unix seconds); set by the store


@dataclass
class Contradiction:
    subject: str
    field: str
    value_a: str
    sources_a: list[str]
    value_b: str
    sources_b: list[str]
    kind: str  # number | claim_denial | fact


@dataclass
class ControlRecord:
    place: str
    admin1: str
    admin2: str
    date: str | None
    holder: str
    status: str  # claimed | confirmed | contested
    event_ids: list[str] = field(default_factory=list)


@dataclass
class ArticleMentions:
    """Everything the mention stage reads out of one article."""

    article_id: str
    published: PublicationDate
    timexes: list[TimeExpr] = field(default_factory=list)
    toponyms: list[Toponym] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
