"""`python -m sitroom.geo.build [--out PATH]`: build the gazetteer cache (see gazetteer.py)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from sitroom.geo.gazetteer import build_and_save, cache_path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sitroom.geo.build", description=__doc__)
    p.add_argument("--out", type=Path, default=None, help=f"pickle path (default {cache_path()})")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.perf_counter()
    path = build_and_save(args.out, progress=not args.quiet)
    print(f"gazetteer built in {time.perf_counter() - t0:.1f}s: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
