"""One canonical name and role per speaker across all articles of a run.

Three links join speaker names: the same name; a bare surname that ends exactly one full name of the
run; and machine-spun spellings ("Khalidin Khakmi" ~ "Khaliddin Hakmi"): names with the same number
of words whose words are pairwise similar (difflib ratio) and whose roles agree. difflib from the
standard library is enough here: a run has at most a few hundred distinct speaker names, and
SequenceMatcher's ratio on short names behaves like a normalised edit similarity.

The canonical name is the spelling used in the most articles (a spun variant usually lives in one
copy only), then the most quotes, then the longest. Role-only sources ("the Taliban spokesman") take
the name of the one speaker whose roles contain every word of the description, if exactly one does.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher

from sitroom.quotes.lexicon import load_lexicon
from sitroom.records import Quote

WORD_SIM = 0.75  # each word of two spellings of a name (Khalidin/Khaliddin 0.94, Khakmi/Hakmi 0.91)
NAME_SIM = 0.80  # the whole name
NAME_SIM_NO_ROLE = 0.92  # stricter when a role cannot confirm the match
ROLE_OVERLAP = 0.3  # Jaccard of role words for "same role"
ROLE_STOPWORDS = {"the", "a", "an", "of", "for", "to", "on", "in", "and", "s", "'s"}


def _key(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.lower()).strip()


def role_words(role: str) -> set[str]:
    """Content words of a role, abbreviations expanded ("UN" -> "united nations")."""
    abbreviations = load_lexicon().abbreviations
    words: set[str] = set()
    for w in re.findall(r"[\w.]+", role.lower().replace("’s", "").replace("'s", "")):
        w = w.strip(".")
        if not w or w in ROLE_STOPWORDS:
            continue
        long = abbreviations.get(w) or abbreviations.get(w + ".")
        words.update(long.split() if long else [w])
    # singular/plural and spelling variants of the same title share a stem
    return {re.sub(r"^(spokes|chair|congress)(?:wo)?(?:man|men|person|people)$", r"\1", w) for w in words}


def _is_name(q: Quote) -> bool:
    """A proper name (not a description such as "an army officer" or a role-only mention)."""
    s = q.speaker.strip()
    return bool(s) and s[0].isupper() and s != q.speaker_role and not s.lower().startswith(("a ", "an "))


def _similar_names(a: str, b: str) -> float:
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2:
        return 0.0
    if min(SequenceMatcher(None, x, y).ratio() for x, y in zip(wa, wb)) < WORD_SIM:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _best(counter_articles: dict[str, set[str]], counter_quotes: Counter[str]) -> str:
    return max(counter_articles, key=lambda v: (len(counter_articles[v]), counter_quotes[v], len(v), v))


def canonicalise_speakers(quotes: list[Quote]) -> list[Quote]:
    """Fill speaker_canonical and speaker_role of every quote, across all articles of the run."""
    named = [q for q in quotes if _is_name(q)]
    spellings: dict[str, str] = {}  # key -> a spelling as written
    roles_of: dict[str, set[str]] = defaultdict(set)
    for q in named:
        k = _key(q.speaker)
        spellings.setdefault(k, q.speaker)
        if q.speaker_role:
            roles_of[k] |= role_words(q.speaker_role)
    uf = _Union()
    keys = sorted(spellings)
    for k in keys:
        uf.find(k)
    # spun spellings: pairwise over distinct names (a few hundred at most per run)
    by_words: dict[int, list[str]] = defaultdict(list)
    for k in keys:
        by_words[len(k.split())].append(k)
    for group in by_words.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if abs(len(a) - len(b)) > 4 or SequenceMatcher(None, a, b).quick_ratio() < NAME_SIM:
                    continue  # cheap upper bound first: most pairs are plainly different
                _link_if_same_person(uf, a, b, roles_of)
    # bare surnames: join the one cluster of full names that ends with it
    by_last: dict[str, list[str]] = defaultdict(list)
    for f in keys:
        if len(f.split()) > 1:
            by_last[f.split()[-1]].append(f)
    for k in keys:
        if len(k.split()) != 1:
            continue
        owners = {uf.find(f) for f in by_last.get(k, [])}
        if len(owners) == 1:
            uf.union(k, owners.pop())
    # canonical name and role per cluster
    articles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    role_articles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    role_counts: dict[str, Counter[str]] = defaultdict(Counter)
    multiword_roots = {uf.find(k) for k in keys if len(k.split()) > 1}
    for q in named:
        root = uf.find(_key(q.speaker))
        # a bare surname never becomes the canonical form of a cluster that has a full name
        full = q.speaker if len(q.speaker.split()) > 1 or root not in multiword_roots else None
        if full:
            articles[root][full].add(q.article_id)
            counts[root][full] += 1
        if q.speaker_role:
            role_articles[root][q.speaker_role].add(q.article_id)
            role_counts[root][q.speaker_role] += 1
    canonical = {root: _best(articles[root], counts[root]) for root in articles}
    canonical_role = {root: _best(role_articles[root], role_counts[root]) for root in role_articles}
    cluster_roles: dict[str, set[str]] = defaultdict(set)
    for k in keys:
        cluster_roles[uf.find(k)] |= roles_of[k]
    for q in quotes:
        if _is_name(q):
            root = uf.find(_key(q.speaker))
            q.speaker_canonical = canonical.get(root, q.speaker)
            q.speaker_role = canonical_role.get(root, q.speaker_role)
            continue
        root = _role_owner(q, cluster_roles)
        if root is not None and root in canonical:
            q.speaker_canonical = canonical[root]
            q.speaker_role = canonical_role.get(root, q.speaker_role)
        else:
            q.speaker_canonical = q.speaker_canonical or q.speaker
    return quotes


def _link_if_same_person(uf: _Union, a: str, b: str, roles_of: dict[str, set[str]]) -> None:
    sim = _similar_names(a, b)
    if sim < NAME_SIM:
        return
    if roles_of[a] and roles_of[b]:
        if _jaccard(roles_of[a], roles_of[b]) >= ROLE_OVERLAP:
            uf.union(a, b)
    elif sim >= NAME_SIM_NO_ROLE:
        uf.union(a, b)


def _role_owner(q: Quote, cluster_roles: dict[str, set[str]]) -> str | None:
    """The one named speaker whose roles cover a definite role-only description, else None."""
    if not q.speaker_role or q.speaker != q.speaker_role:
        return None
    head = q.speaker_role.split()[-1].lower()
    if head.endswith("s") and not head.endswith("ss"):
        return None  # "Pentagon officials": a group, not the one person who holds a title
    words = role_words(q.speaker_role)
    if len(words) < 2:
        return None  # "the spokesman" alone is not safe across a whole run
    owners = [root for root, roles in cluster_roles.items() if words <= roles]
    return owners[0] if len(owners) == 1 else None
