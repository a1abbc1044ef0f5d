"""The data dictionary (docs/data-dictionary.md, `sitroom schema`), generated from the column
declarations and code sets: every column of every output, its type and meaning, and every code.
"""

from __future__ import annotations

from sitroom.outputs.columns import CodeSet, code_sets, tables

TYPE_WORDS = {
    "text": "text",
    "integer": "integer",
    "number": "decimal",
    "date": "date (YYYY-MM-DD)",
    "list": "list (`;` in CSV)",
    "records": "list of objects",
}

INTRO = """# Data dictionary

Every column of every file `sitroom run --out DIR` writes, and of `sitroom export` and the API
(`sitroom serve`), with its type, meaning and codes. Generated from
`src/sitroom/data/outputs/columns.toml` and `codes.toml` by `sitroom schema --markdown`; do not
edit by hand.

CSV files are UTF-8 with a byte-order mark (Excel opens them as UTF-8); a list is `;`-joined in a
CSV cell (evidence: ` | `-joined) and a JSON array elsewhere; an empty cell is an unknown or
absent value. Parquet and xlsx exports have the same columns; GeoJSON features carry them as
properties, with the coordinates as a Point (longitude, latitude).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _codes_inline(codes: CodeSet, limit: int = 8) -> str:
    values = [f"`{c.code}`" for c in codes.values if c.code]
    if len(values) > limit:
        return f"see [{codes.name}](#codes-{codes.name.replace('_', '-')})"
    return ", ".join(values) + f" ([meanings](#codes-{codes.name.replace('_', '-')}))"


def markdown() -> str:
    sets = code_sets()
    out = [INTRO]
    out.append("## Files\n")
    for t in tables().values():
        out.append(f"- [{t.title}](#{t.key}): `{t.file}`")
    out.append("")
    for t in tables().values():
        out.append(f'<a id="{t.key}"></a>\n## {t.title}: `{t.file}`\n')
        out.append(t.description + "\n")
        out.append("| # | column | type | meaning | values |")
        out.append("|---|---|---|---|---|")
        for n, c in enumerate(t.columns, 1):
            kind = TYPE_WORDS[c.type] + (", required" if c.required else "")
            if c.type == "records":
                kind += f" ([{c.of}](#{c.of}))"
            notes = []
            if c.codes:
                notes.append(_codes_inline(sets[c.codes]))
            if c.derived:
                notes.append("written from the other columns")
            out.append(f"| {n} | `{c.name}` | {kind} | {_cell(c.description)} | "
                       f"{_cell('; '.join(notes))} |")
        out.append("")
    out.append("## Codes\n")
    for name in sorted(sets):
        codes = sets[name]
        out.append(f'<a id="codes-{name.replace("_", "-")}"></a>\n### {name}\n')
        out.append(f"Source: {codes.source}.\n")
        legacy = any(c.legacy is not None for c in codes.values)
        out.append("| value | " + ("older ACLED number | " if legacy else "") + "meaning |")
        out.append("|---|" + ("---|" if legacy else "") + "---|")
        for c in codes.values:
            value = f"`{c.code}`" if c.code else "(empty)"
            old = f"{c.legacy} | " if legacy else ""
            out.append(f"| {value} | {old}{_cell(c.meaning)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def plain() -> str:
    """The dictionary as terminal text: a block per file, a line per column."""
    sets = code_sets()
    lines = []
    for t in tables().values():
        lines.append(f"{t.file} ({t.title})")
        width = max(len(c.name) for c in t.columns)
        for c in t.columns:
            codes = f" [{', '.join(x.code for x in sets[c.codes].values if x.code)}]" \
                if c.codes and len(sets[c.codes].values) <= 8 else \
                (f" [codes: {c.codes}]" if c.codes else "")
            lines.append(f"  {c.name:<{width}}  {c.type:<8} {c.description}{codes}")
        lines.append("")
    lines.append("Codes: `sitroom schema --markdown` prints every value with its meaning.")
    return "\n".join(lines) + "\n"
