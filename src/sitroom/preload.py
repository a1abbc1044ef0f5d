"""What every local worker needs, loaded once: imported by the local engine's fork server.

The local engine forks its worker processes from a server process that imported this module, so
each worker starts with spaCy, the embedding model, the gazetteer and the stages' rule tables
already in memory (pages shared with the server until written) instead of loading them itself:
that load was ~15 s of CPU per worker, and a worker is replaced every few tasks to bound its
allocator creep, so on a run of a thousand articles loads were a sixth of all CPU time.

Importing this module anywhere else also just loads the models; nothing else happens.
"""

from __future__ import annotations

import gc
import logging
import os

# Before numpy, torch or tokenizers are imported: one thread each (one worker per core), and no
# thread pool exists in the server when it forks (a forked OpenMP or BLAS pool deadlocks).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

log = logging.getLogger(__name__)

# A short text of our own: reading it compiles every stage's lazily built patterns and tables.
WARM_UP_TEXT = ("KABUL: Police said on Monday that two men were killed and three wounded when "
                "gunmen attacked a checkpoint near Jalalabad. \"We will find them,\" a "
                "spokesman told reporters.")


def load_models() -> None:
    """Load the models and read one short article (nothing embedded: no inference runs here)."""
    from sitroom import embed, pipeline
    from sitroom import time as time_stage
    from sitroom.geo.gazetteer import load_gazetteer
    from sitroom.nlp import parse_many
    from sitroom.records import CleanArticle

    load_gazetteer()
    embed._sentence_model()
    article = CleanArticle("warm-up", "", WARM_UP_TEXT, "", "text")
    doc = next(parse_many([article.text]))
    pipeline.mentions_of(article, doc, time_stage.publication_date(article), None)
    # what is loaded lives as long as the process: kept out of the cyclic collector, whose
    # passes would otherwise write to every object's header and unshare the pages
    gc.collect()
    gc.freeze()


try:
    load_models()
except Exception:  # noqa: BLE001 - a worker then loads what it needs itself, as it would anyway
    log.warning("sitroom.preload: loading the models in the fork server failed; "
                "each worker loads them itself", exc_info=True)
