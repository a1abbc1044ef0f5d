"""The pinned lock file must install on a fresh machine: versions from the index, no local paths."""

from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"


def test_lock_pins_every_package_by_version():
    lines = [line.strip() for line in LOCK.read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines
    not_pinned = [line for line in lines if "==" not in line or "@" in line]
    assert not_pinned == []
    names = [line.split("==")[0].lower() for line in lines]
    assert len(names) == len(set(names)), "a package is pinned twice"
