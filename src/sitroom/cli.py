"""The `sitroom` command line: run, watch, export, schema, eval, serve, bench.

Side effects (files, the store, the network socket) live here and in `sitroom.store`; the stages
themselves are pure functions over records.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

log = logging.getLogger("sitroom")


def _cmd_run(args: argparse.Namespace) -> int:
    from sitroom.pipeline import RunOptions, run
    from sitroom.store.lock import LockError

    options = RunOptions(
        out_dir=Path(args.out),
        quiet=args.quiet,
        engine=args.engine,
        scheduler=args.scheduler,
        workers=args.workers,
        recluster=args.recluster,
        wait=args.wait,
    )
    try:
        result = run([Path(p) for p in args.paths], options)
    except LockError as exc:  # another run writes DIR, or DIR cannot be written
        print(f"sitroom run: {exc}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(f"sitroom: {problem.message()}", file=sys.stderr)  # each says what became of it
    print(result.summary(), file=sys.stderr)  # --quiet silences progress, not the outcome
    return 0 if result.n_processed + result.n_unchanged > 0 else 1


def _cmd_watch(args: argparse.Namespace) -> int:
    from sitroom.pipeline import RunOptions
    from sitroom.store.lock import LockError
    from sitroom.watch import WatchError, parse_every, watch

    try:
        every = parse_every(args.every)
        options = RunOptions(out_dir=Path(args.out), quiet=True, engine=args.engine,
                             workers=args.workers, wait=args.wait)
        n = watch(Path(args.path), options, every, once=args.once, max_updates=args.max_updates,
                  say=lambda line: print(line, file=sys.stderr, flush=True))
    except (WatchError, LockError) as exc:
        print(f"sitroom watch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    print(f"sitroom watch: {n} update(s) -> {args.out}", file=sys.stderr)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from sitroom.eval import TASKS, EvalInputError, run_task
    from sitroom.store.lock import LockError

    if args.task not in TASKS:
        print(f"sitroom eval: unknown task {args.task!r} (choose from {', '.join(TASKS)})",
              file=sys.stderr)
        return 2
    path = Path(args.path)
    if not path.exists():
        print(f"sitroom eval: {path}: no such file or folder", file=sys.stderr)
        return 2
    try:
        options = {"quiet": args.quiet}
        if args.level:
            options["level"] = args.level
        if args.retrain:
            options["retrain"] = True
        if args.half:
            options["half"] = args.half
        for name in ("out", "limit", "errors", "docs"):
            if getattr(args, name) is not None:
                options[name] = getattr(args, name)
        metrics = run_task(args.task, path, **options)
    except NotImplementedError as exc:
        print(f"sitroom eval: {exc}", file=sys.stderr)
        return 3
    except (EvalInputError, LockError) as exc:  # LockError: another run writes --out
        print(f"sitroom eval: {exc}", file=sys.stderr)
        return 2
    except (IsADirectoryError, NotADirectoryError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        # a folder where the task reads a file (or the reverse), or a file of another kind
        print(f"sitroom eval {args.task}: {path}: not the file this task reads ({exc})", file=sys.stderr)
        return 2
    print(json.dumps(metrics, sort_keys=True))
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        from sitroom.web import serve
    except ImportError:
        serve = None
    if serve is None:
        print("sitroom serve: not implemented yet (issue 8)", file=sys.stderr)
        return 3
    return serve(Path(args.dir), host=args.host, port=args.port, allow_public=args.allow_public)


def _cmd_export(args: argparse.Namespace) -> int:
    from sitroom.export import EXTENSIONS, export_file
    from sitroom.outputs.query import EventFilter, FilterError
    from sitroom.store import STORE_NAME, StoreError, open_store

    folder = Path(args.dir)
    if not (folder / STORE_NAME).is_file():
        print(f"sitroom export: {folder / STORE_NAME}: no store (run `sitroom run --out {folder}` "
              "first)", file=sys.stderr)
        return 2
    filt = EventFilter(date_from=args.date_from, date_to=args.date_to, country=args.country,
                       admin1=args.admin1, event_type=args.event_type)
    key = "acled" if args.format == "acled" else args.table
    name = "acled" if key == "acled" else key
    path = Path(args.output) if args.output else folder / f"{name}{EXTENSIONS[args.format]}"
    if not args.output and not filt.is_empty():
        # never overwrite the run's own file (events.csv, acled.csv, events.geojson) with a part of it
        path = folder / f"{name}-filtered{EXTENSIONS[args.format]}"
    try:
        store = open_store(folder, readonly=True)
    except (StoreError, OSError) as exc:
        print(f"sitroom export: {exc}", file=sys.stderr)
        return 2
    try:
        store.db.execute("BEGIN")  # one snapshot, even while a run writes
        n = export_file(store, args.format, path, filt, key=key)
    except (FilterError, ValueError) as exc:
        print(f"sitroom export: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"sitroom: {n} {'row' if n == 1 else 'rows'} -> {path}", file=sys.stderr)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from sitroom.outputs import dictionary

    sys.stdout.write(dictionary.markdown() if args.markdown else dictionary.plain())
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    if args.stream:
        from sitroom.bench_stream import bench_stream

        return bench_stream(args)
    try:
        from sitroom.bench import bench
    except ImportError:
        print("sitroom bench: not implemented yet (issue 9)", file=sys.stderr)
        return 3
    return bench(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitroom",
        description="Turn noisy conflict news into stories, events, quotes, contradictions and control.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True)

    run_p = sub.add_parser("run", help="process articles into DIR (default: the bundled demo corpus)")
    run_p.add_argument("paths", nargs="*", help=".txt, .html, .jsonl files or folders")
    run_p.add_argument("--out", default="out", help="output folder (default: out)")
    run_p.add_argument("-q", "--quiet", action="store_true",
                       help="no progress lines or bars (problems and the summary still print)")
    run_p.add_argument("--recluster", action="store_true",
                       help="regroup all articles into stories afresh (by default an existing "
                            "DIR keeps its stories and new articles join them)")
    run_p.add_argument("--wait", action="store_true",
                       help="when another run is writing DIR, wait for it to finish (by default "
                            "this run refuses and exits with status 2)")
    run_p.add_argument("--engine", choices=["local", "dask"], default="local")
    run_p.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
    run_p.add_argument("--workers", type=int, default=None,
                       help="local engine: worker processes (default: SITROOM_WORKERS or one per core)")
    run_p.set_defaults(func=_cmd_run)

    watch_p = sub.add_parser("watch", help="follow a folder or a growing JSONL file: an update "
                                           "into DIR for what arrives")
    watch_p.add_argument("path", help="a folder, or a .jsonl file that grows")
    watch_p.add_argument("--out", default="out", help="output folder (default: out)")
    watch_p.add_argument("--every", default="15m",
                         help="how often to look for what arrived: 30s, 15m, 1h (default: 15m)")
    watch_p.add_argument("--once", action="store_true", help="one update for what is there, then exit")
    watch_p.add_argument("--max-updates", type=int, default=None,
                         help="exit after this many updates")
    watch_p.add_argument("--wait", action="store_true",
                         help="when another run is writing DIR, wait for it (else exit with 2)")
    watch_p.add_argument("--engine", choices=["local", "dask"], default="local")
    watch_p.add_argument("--workers", type=int, default=None,
                         help="local engine: worker processes (default: one per core)")
    watch_p.set_defaults(func=_cmd_watch)

    eval_p = sub.add_parser("eval", help="score a component on a standard data set")
    eval_p.add_argument("task", help="geo | cluster | paraphrase | events | quotes | time | seeds | "
                                     "police | wikievents")
    eval_p.add_argument("path", help="data set file or folder")
    eval_p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    eval_p.add_argument("--level", choices=["subtopic", "topic"], default=None,
                        help="cluster: the gold label to score against (default: subtopic if present)")
    eval_p.add_argument("--retrain", action="store_true",
                        help="paraphrase: retrain the classifier on the training part first")
    eval_p.add_argument("--half", choices=["odd", "even"], default=None,
                        help="geo: score only the odd (1st, 3rd, ...) or even documents of the file")
    eval_p.add_argument("--out", default=None,
                        help="police, wikievents: keep the pipeline's store in DIR (a re-run "
                             "re-analyses only what changed)")
    eval_p.add_argument("--limit", type=int, default=None,
                        help="police, wikievents: score only the first N documents")
    eval_p.add_argument("--errors", default=None,
                        help="police, wikievents: write false positives and negatives to FILE "
                             "(JSON lines)")
    eval_p.add_argument("--docs", default=None,
                        help="police: the documents file (default: ../shared/eval/bench/"
                             "india_police_events_docs.jsonl)")
    eval_p.set_defaults(func=_cmd_eval)

    serve_p = sub.add_parser("serve", help="serve a run's store: a page and a JSON API")
    serve_p.add_argument("dir", help="output folder of `sitroom run`")
    serve_p.add_argument("--host", default="127.0.0.1")
    serve_p.add_argument("--port", type=int, default=8000)
    serve_p.add_argument("--allow-public", action="store_true",
                         help="allow binding an address other than loopback")
    serve_p.set_defaults(func=_cmd_serve)

    export_p = sub.add_parser(
        "export", help="write a run's events (or another table) as ACLED CSV, CSV, GeoJSON, "
                       "Parquet or xlsx, filtered",
        description="Examples: sitroom export out --format acled --from 2021-06-01 --country "
                    "Afghanistan;  sitroom export out --format xlsx -o events.xlsx;  "
                    "sitroom export out --format geojson --table control")
    export_p.add_argument("dir", help="output folder of `sitroom run`")
    export_p.add_argument("--format", required=True,
                          choices=["acled", "csv", "geojson", "parquet", "xlsx"])
    export_p.add_argument("--table", default="events",
                          choices=["events", "articles", "quotes", "contradictions", "control"],
                          help="what to export (default: events; filters apply to events)")
    export_p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                          help="events on or after this day")
    export_p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                          help="events on or before this day")
    export_p.add_argument("--country", help="events in this country (case and accents ignored)")
    export_p.add_argument("--admin1", help="events in this province/state")
    export_p.add_argument("--event-type", dest="event_type", help="ACLED event type")
    export_p.add_argument("-o", "--output", help="file to write (default: DIR/events.EXT, "
                                                 "DIR/acled.csv ...; DIR/events-filtered.EXT "
                                                 "... when filtered)")
    export_p.set_defaults(func=_cmd_export)

    schema_p = sub.add_parser("schema", help="print the data dictionary: every output column "
                                             "with its type, meaning and codes")
    schema_p.add_argument("--markdown", action="store_true",
                          help="the full dictionary as Markdown (docs/data-dictionary.md)")
    schema_p.set_defaults(func=_cmd_schema)

    bench_p = sub.add_parser("bench", help="measure speed per stage")
    bench_p.add_argument("path", nargs="?", default=None, help="corpus (default: the bench file)")
    bench_p.add_argument("--limit", type=int, default=None, help="use at most N articles")
    bench_p.add_argument("--grow", type=int, default=None,
                         help="grow the corpus to N articles with perturbed copies")
    bench_p.add_argument("--engine", choices=["local", "dask"], default="local")
    bench_p.add_argument("--workers", type=int, default=None,
                         help="local engine workers, and processes for the bare spaCy reference "
                              "(default: SITROOM_WORKERS or one per core)")
    bench_p.add_argument("--keep", default=None, help="keep the end-to-end output (store) in DIR")
    bench_p.add_argument("--end-to-end-only", action="store_true",
                         help="skip the per-stage timings and references (memory checks at scale)")
    bench_p.add_argument("--stream", action="store_true",
                         help="update latency against store size: grow a store through --sizes "
                              "and time updates of --arrivals new articles at each size")
    bench_p.add_argument("--sizes", default="1257,2500",
                         help="--stream: store sizes in articles (default: 1257,2500)")
    bench_p.add_argument("--arrivals", default="10,1000",
                         help="--stream: new articles per update (default: 10,1000)")
    bench_p.add_argument("--equivalence", default=None, metavar="N:K",
                         help="--stream: also feed the first N articles in K arrivals and in one "
                              "run, and compare the stores (ids aside)")
    bench_p.set_defaults(func=_cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
