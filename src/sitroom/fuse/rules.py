"""Load data/fuse/rules.toml once."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def fuse_rules() -> dict[str, Any]:
    return tomllib.loads(resources.files("sitroom.data.fuse").joinpath("rules.toml").read_text("utf-8"))
