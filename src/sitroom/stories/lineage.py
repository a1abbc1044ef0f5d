"""Lineage inside one story: which article is the origin and which copy came from which.

Relations, from the copy's point of view:
- duplicate: the same text (word 3-gram Jaccard >= 0.8),
- rewrite: edited but largely verbatim (Jaccard >= 0.3),
- spun: few shared word sequences but sentence after sentence says the same thing (paraphrase
  alignment), or the same quotes, usually with garbled names or mangled numbers,
- independent: reports the same event in its own words (an origin of its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import date

import numpy as np

from sitroom.records import CleanArticle, LineageLink
from sitroom.stories.features import ArticleFeatures
from sitroom.stories.minhash import shingles, tokens
from sitroom.stories.similarity import incidence
from sitroom.stories.spin import garbled_name_pairs, minority_spellings, spin_score

# Bump when lineage changes what it computes: stored lineage is then recomputed, not reused.
LINEAGE_VERSION = "3"  # 2: candidates ranked by lead embeddings; 3: lowercased texts split
DUPLICATE_JACCARD = 0.8
REWRITE_JACCARD = 0.3
# share of the copy's sentences that have a paraphrase in the source, above which it is derived
DERIVED_ALIGNMENT = 0.3
MIN_SHARED_QUOTES = 2
# one shared quote or one garbled name is enough when some sentences also align
MIN_ALIGNMENT_WITH_TRACES = 0.05
EVIDENCE_BONUS = 0.1
MAX_SENTENCES = 12
MIN_SENTENCE_COSINE = 0.6
MAX_PARENT_CANDIDATES = 5  # parents examined closely per article, ranked by shingles and meaning
EXTEND_CANDIDATES = 5  # likeliest sources of a new member, by each of two closeness measures


def _quote_overlap(a: str, b: str) -> float:
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


def shared_quotes(qa: Sequence[str], qb: Sequence[str]) -> list[str]:
    """Quotes of a that b also carries (same words, possibly re-punctuated or trimmed)."""
    return [q for q in qa if any(_quote_overlap(q, r) >= 0.6 for r in qb)]


def sentence_alignment(vec_a: np.ndarray, vec_b: np.ndarray, sents_a: Sequence[str],
                       sents_b: Sequence[str]) -> float:
    """Share of a's sentences whose closest sentence in b is a paraphrase of it."""
    from sitroom.stories.paraphrase import is_paraphrase_batch

    if len(vec_a) == 0 or len(vec_b) == 0:
        return 0.0
    sims = vec_a @ vec_b.T
    best = sims.argmax(axis=1)
    cosines = sims[np.arange(len(sents_a)), best]
    # the classifier only runs where MiniLM sees a plausible match (it is the costly part)
    near = np.flatnonzero(cosines >= MIN_SENTENCE_COSINE)
    if len(near) == 0:
        return 0.0
    pairs = [(sents_a[i], sents_b[int(best[i])]) for i in near]
    flags = is_paraphrase_batch(pairs, cosines[near])
    return float(np.sum(flags)) / len(sents_a)


def lineage_order(articles: Sequence[CleanArticle], features: Sequence[ArticleFeatures],
                  dates: Sequence[date | None]) -> list[int]:
    """Positions in (date, spin marks, -length, id) order: a source comes before its copies."""
    minority = minority_spellings(features)
    marks = [spin_score(f, m) for f, m in zip(features, minority)]
    return sorted(range(len(articles)),
                  key=lambda i: (dates[i] or date.max, marks[i], -len(articles[i].text),
                                 articles[i].article_id))


def _jaccard_rows(rows, i: int, others: list[int]) -> np.ndarray:
    """Jaccard of row i's items with each of `others` rows (a 0/1 incidence matrix)."""
    sizes = np.asarray(rows[others].sum(axis=1)).ravel()
    shared = np.asarray((rows[others] @ rows[i].T).todense()).ravel()
    union = sizes + rows[i].sum() - shared
    return np.divide(shared, union, out=np.zeros(len(others)), where=union > 0)


def extend_lineage(previous: Sequence[LineageLink], articles: Sequence[CleanArticle],
                   features: Sequence[ArticleFeatures], dates: Sequence[date | None],
                   new: AbstractSet[int]) -> list[LineageLink]:
    """Lineage of a story that gained the members at positions `new`; `previous` is the lineage
    of the others (as build_lineage gave it) and is kept as it was.

    Rebuilding a story of thousands for one new copy costs minutes; its old links would also
    churn. Each new member is linked by build_lineage over itself and its likeliest sources
    among the members before it in lineage order: the EXTEND_CANDIDATES closest by word
    3-gram shingles (copies, rewrites) and by words (spun copies share words, not word
    sequences), and the origin. Earlier members keep their links even where a new member would
    now be a closer source. A new member that would come first (a new origin) means the whole
    lineage is rebuilt."""
    kept = {link.article_id: link for link in previous}
    order = lineage_order(articles, features, dates)
    if order[0] in new or any(articles[i].article_id not in kept
                              for i in range(len(articles)) if i not in new):
        return build_lineage(articles, features, dates)
    rank = {i: r for r, i in enumerate(order)}
    sequences = incidence([shingles(a.text) for a in articles])
    words = incidence([set(tokens(a.text)) for a in articles])
    links = dict(kept)
    for i in sorted(new, key=rank.__getitem__):
        before = order[: rank[i]]
        pick = {order[0]}
        for rows in (sequences, words):
            closeness = _jaccard_rows(rows, i, before)
            pick.update(before[int(k)] for k in
                        np.argsort(-closeness, kind="stable")[:EXTEND_CANDIDATES])
        sub = sorted(pick | {i})
        sub_links = build_lineage([articles[k] for k in sub], [features[k] for k in sub],
                                  [dates[k] for k in sub])
        link = sub_links[sub.index(i)]
        if link.derived_from is None:  # first among its likeliest sources: read the whole story
            return build_lineage(articles, features, dates)
        links[link.article_id] = link
    return [links[a.article_id] for a in articles]


def _parent_candidates(articles: Sequence[CleanArticle], features: Sequence[ArticleFeatures],
                       dates: Sequence[date | None]
                       ) -> tuple[list[int], dict[int, list[tuple[int, float]]]]:
    """Lineage order, and the parent candidates of each article after the first, with their
    shingle Jaccard (at least two articles)."""
    order = lineage_order(articles, features, dates)
    from sitroom.embed import embed
    from sitroom.stories.similarity import lead_texts

    # meaning of each article for ranking parent candidates: its lead's embedding (already
    # computed for grouping, so a cache read here)
    lead_vec = embed(lead_texts([a.title for a in articles], [a.text for a in articles]))
    # rows in lineage order, so that "the articles before this one" is a slice
    shingle_rows = incidence([shingles(articles[i].text) for i in order])
    sizes = np.asarray(shingle_rows.sum(axis=1)).ravel()
    # shingles shared by each pair, in one sparse product (its cost grows with the pairs that
    # share shingles, not with all pairs; a set operation per pair in Python took minutes for a
    # story of thousands)
    overlaps = (shingle_rows @ shingle_rows.T).tocsr()
    vec_in_order = lead_vec[order]

    candidates: dict[int, list[tuple[int, float]]] = {}
    for pos, i in enumerate(order[1:], start=1):
        # Jaccard of the shingle sets with every earlier article at once
        shared = overlaps[pos, :pos].toarray().ravel()
        union = sizes[:pos] + sizes[pos] - shared
        jac_row = np.divide(shared, union, out=np.zeros(pos), where=union > 0)
        closeness = jac_row + vec_in_order[:pos] @ vec_in_order[pos]
        candidates[i] = [(order[int(k)], float(jac_row[k]))
                         for k in np.argsort(-closeness, kind="stable")[:MAX_PARENT_CANDIDATES]]
    return order, candidates


def _needing_alignment(candidates: dict[int, list[tuple[int, float]]]) -> list[int]:
    """The articles of candidate pairs that are not verbatim copies: only those need a
    sentence-by-sentence paraphrase alignment (a copy shows in its shingles)."""
    return sorted({k for i, cands in candidates.items() for j, jac in cands
                   if jac < REWRITE_JACCARD for k in (i, j)})


def alignment_sentences(articles: Sequence[CleanArticle], features: Sequence[ArticleFeatures],
                        dates: Sequence[date | None]) -> list[str]:
    """The sentences build_lineage will embed for these articles. A caller reading many stories
    embeds all of theirs in one call first: sorted by length across stories, the encoder pads
    less and runs fuller batches (a fifth less time than story by story on the bench corpus)."""
    if len(articles) < 2:
        return []
    _, candidates = _parent_candidates(articles, features, dates)
    return [s for k in _needing_alignment(candidates)
            for s in features[k].sentences[:MAX_SENTENCES]]


def build_lineage(
    articles: Sequence[CleanArticle],
    features: Sequence[ArticleFeatures],
    dates: Sequence[date | None],
) -> list[LineageLink]:
    """One LineageLink per article; the first in (date, spin marks, -length) order is the origin."""
    n = len(articles)
    if n == 1:
        return [LineageLink(articles[0].article_id, None, "origin", 1.0)]
    from sitroom.embed import embed

    # 1. the parent candidates of each article, with their shingle Jaccard
    order, candidates = _parent_candidates(articles, features, dates)

    # 2. sentence embeddings (this stage's main cost) only for the articles that need a
    # paraphrase alignment; capped, since a copy shows in the lead
    sents = [f.sentences[:MAX_SENTENCES] for f in features]
    aligned = _needing_alignment(candidates)
    flat = [s for k in aligned for s in sents[k]]
    vectors = embed(flat) if flat else np.zeros((0, 384), dtype="float32")
    offsets = np.cumsum([0] + [len(sents[k]) for k in aligned])
    vec = {k: vectors[offsets[m] : offsets[m + 1]] for m, k in enumerate(aligned)}

    # 3. the best parent of each article, and how it was derived
    links = {order[0]: LineageLink(articles[order[0]].article_id, None, "origin", 1.0)}
    for i in order[1:]:
        best: tuple[float, int, float, float, list[str], list[tuple[str, str]]] | None = None
        for j, jac in candidates[i]:
            # verbatim copies need no paraphrase alignment
            if jac >= REWRITE_JACCARD:
                align = jac
            else:
                align = sentence_alignment(vec[i], vec[j], sents[i], sents[j])
            quotes = shared_quotes(features[i].quotes, features[j].quotes)
            garbled = garbled_name_pairs(features[i].names, features[j].names)
            # shared verbatim quotes and garbled names are traces of copying: they pick the parent
            score = max(jac, align) + EVIDENCE_BONUS * (len(quotes) + len(garbled))
            if best is None or score > best[0]:
                best = (score, j, jac, align, quotes, garbled)
        assert best is not None
        score, j, jac, align, quotes, garbled = best
        signs = [f"{a}~{b}" for a, b in garbled]
        signs += [f"mangled number: {m}" for m in features[i].mangled_numbers]
        signs += [f"shared quote: {q[:60]}" for q in quotes]
        traces = len(quotes) + len(garbled)
        if jac >= DUPLICATE_JACCARD:
            relation = "duplicate"
        elif jac >= REWRITE_JACCARD:
            relation = "rewrite"
        elif (align >= DERIVED_ALIGNMENT or len(quotes) >= MIN_SHARED_QUOTES
              or (traces >= 1 and align >= MIN_ALIGNMENT_WITH_TRACES)):
            relation = "spun"
        else:
            relation = "independent"
        # an independent report is its own source; derived_from then names its closest report
        similarity = round(min(1.0, max(jac, align)), 3)
        links[i] = LineageLink(articles[i].article_id, articles[j].article_id, relation,
                               similarity, signs)
    return [links[i] for i in range(n)]
