from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hardening.corpus import run_sitroom, write_corpus

ROOT = Path(__file__).resolve().parents[2]
N_ARTICLES = 30  # a full run is mostly model loading; a few dozen articles exercise every stage


@pytest.fixture(scope="session")
def sitroom_env() -> dict[str, str]:
    """Environment for `python -m sitroom` subprocesses: this checkout's sources, offline."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    return env


@pytest.fixture(scope="session")
def gen_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gen_corpus")
    write_corpus(folder, N_ARTICLES)
    return folder


@pytest.fixture(scope="session")
def reference_run(tmp_path_factory: pytest.TempPathFactory, gen_corpus: Path,
                  sitroom_env: dict[str, str]) -> Path:
    """One uninterrupted `sitroom run` over the generated corpus into a fresh DIR."""
    out = tmp_path_factory.mktemp("reference_out")
    run_sitroom(gen_corpus, out, sitroom_env)
    return out
