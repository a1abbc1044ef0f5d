from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"

needs_shared = pytest.mark.skipif(not SEEDS.exists(), reason="../shared is not beside the checkout")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.exists():
        pytest.skip("../shared is not beside the checkout")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """One pipeline run over the seeds, shared by every test that reads its outputs."""
    from sitroom.pipeline import RunOptions, run

    out = tmp_path_factory.mktemp("seeds_out")
    result = run([seeds_dir], RunOptions(out_dir=out, quiet=True))
    assert result.n_processed == 5
    return out


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitroom.pipeline import RunOptions, run

    out = tmp_path_factory.mktemp("demo_out")
    run([], RunOptions(out_dir=out, quiet=True))
    return out
