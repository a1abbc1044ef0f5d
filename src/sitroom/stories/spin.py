"""Signs that a copy was machine-spun: garbled names and mangled numbers.

A spinner rewrites a wire story word by word; proper names come out misspelt ("Khalidin Khakmi"
for Khaliddin Hakmi, "Shirhan Bandar" for Shir Khan Bandar) and numbers broken apart
("2 5 Hundreds" for 2,500). Two copies of one story that spell a name almost but not exactly
alike are the clearest trace of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from sitroom.stories.features import ArticleFeatures

GARBLE_MIN_RATIO = 0.8  # spelling similarity above which two different names are one name garbled
MIN_NAME_CHARS = 6
MAX_COMPARED = 8


def _key(name: str) -> str:
    return name.lower().replace("-", " ").replace("’", "'")


def garbled_name_pairs(names_a: Sequence[str], names_b: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs (name in a, name in b) spelt almost alike but not alike: one is a garbled other.

    Names contained in one another ("Shir Khan" / "Shir Khan Bandar") are abbreviations, not
    garbling, and are skipped; so are names both articles also spell the other's way.
    """
    keys_a = {_key(n): n for n in names_a if len(n) >= MIN_NAME_CHARS}
    keys_b = {_key(n): n for n in names_b if len(n) >= MIN_NAME_CHARS}
    only_a = [k for k in keys_a if k not in keys_b]
    only_b = [k for k in keys_b if k not in keys_a]
    pairs: list[tuple[str, str]] = []
    used_b: set[str] = set()
    for ka in only_a:
        best, best_ratio = None, GARBLE_MIN_RATIO
        for kb in only_b:
            if kb in used_b or ka in kb or kb in ka:
                continue
            if abs(len(ka) - len(kb)) > max(3, len(ka) // 4):
                continue
            if len(ka.split()) != len(kb.split()) and abs(len(ka.split()) - len(kb.split())) > 1:
                continue
            matcher = SequenceMatcher(None, ka, kb, autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue  # cheap upper bounds first: most name pairs are nothing alike
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = kb, ratio
        if best is not None:
            used_b.add(best)
            pairs.append((keys_a[ka], keys_b[best]))
    return pairs


def minority_spellings(features: Sequence[ArticleFeatures]) -> list[Counter]:
    """Per article, how many of its garbled names are the rarer spelling inside the group.

    The spelling most copies share is taken as the original; an article using the rarer one
    is more likely the spun copy.
    """
    spelling_count: Counter = Counter()
    for f in features:
        spelling_count.update({_key(n) for n in f.names})
    out: list[Counter] = [Counter() for _ in features]
    for i, fi in enumerate(features):
        # in a big story a handful of other copies show the same garbling as all of them
        others = [j for j in range(len(features)) if j != i][:MAX_COMPARED]
        for j in others:
            fj = features[j]
            for a, b in garbled_name_pairs(fi.names, fj.names):
                if spelling_count[_key(a)] < spelling_count[_key(b)]:
                    out[i][a] += 1
    return out


def spin_score(features: ArticleFeatures, minority: Counter) -> int:
    """How many intrinsic spinning marks an article carries (lower: closer to the original)."""
    return len(features.mangled_numbers) + len(minority)
