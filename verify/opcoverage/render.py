"""Views of a Coverage: the console (rich), Markdown (for a bug report), JSON."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from verify.opcoverage.model import Coverage, Klass, Row
from verify.worker import jsonable

# The classes a report lists op by op (native and skipped are only counted).
LISTED = (
    Klass.MISMATCH,
    Klass.RAISES,
    Klass.CRASHED,
    Klass.UNIMPLEMENTED,
    Klass.FALLBACK,
    Klass.KNOWN,
)
COLUMNS = tuple(k for k in Klass)
STYLE = {"pass": "green", "warn": "yellow", "fail": "red", "skip": "dim"}


def header_lines(c: Coverage) -> list[str]:
    h = c.header
    machine = ", ".join(
        str(v)
        for v in (
            f"macOS {h['macos']}" if h.get("macos") else h.get("os"),
            h.get("chip"),
            h.get("gpu") if h.get("gpu") != h.get("chip") else None,
            f"CUDA {h['cuda']}" if h.get("cuda") and c.device.startswith("cuda") else None,
        )
        if v
    )
    lines = [
        f"torch {h.get('torch') or '?'} on {c.device}: {machine or 'unknown machine'}",
        f"{c.ops} ops x {len(c.dtypes)} dtypes ({', '.join(c.dtypes)}) = {len(c.rows)} items "
        f"from {c.source} in {c.seconds:.1f} s ({c.worker_starts} worker start(s))",
    ]
    fallback = h.get("PYTORCH_ENABLE_MPS_FALLBACK")
    if c.device.startswith("mps"):
        lines.append(f"PYTORCH_ENABLE_MPS_FALLBACK={fallback or 'unset'}")
    if c.source_note:
        lines.append(c.source_note)
    if c.expectations_note:
        lines.append(c.expectations_note)
    for dtype, why in c.dtype_notes.items():
        lines.append(f"{dtype} not swept: {why}")
    if c.budget_hit:
        lines.append(f"stopped at the {c.budget_s:g} s time bound: the rest is counted as skipped")
    return lines


def _listed(c: Coverage) -> list[Row]:
    order = {k: i for i, k in enumerate(LISTED)}
    rows = [r for r in c.rows if r.klass in order]
    return sorted(rows, key=lambda r: (order[r.klass], r.op, r.dtype))


def render_console(c: Coverage, console: Console, *, quiet: bool = False) -> None:
    if not quiet:
        for line in header_lines(c):
            console.print(line, highlight=False, markup=False)
        table = Table("dtype", *(k.value for k in COLUMNS), box=None, pad_edge=False)
        for dtype, counts in c.counts_by_dtype().items():
            table.add_row(dtype, *(str(counts[k.value]) for k in COLUMNS))
        console.print(table)
    for r in _listed(c):
        if quiet and r.status != "fail":
            continue
        style = STYLE[r.status]
        line = f"[{style}]{r.klass.value:<13}[/{style}] {r.op} {r.dtype}: {r.detail}"
        console.print(line, highlight=False)
        if r.reference:
            console.print(f"    {r.reference}", highlight=False, markup=False)
    counts = c.counts()
    verdict = "fail" if c.failed else ("warn" if c.warned else "pass")
    summary = ", ".join(f"{counts[k.value]} {k.value}" for k in COLUMNS if counts[k.value])
    console.print(f"[{STYLE[verdict]}]{verdict}[/{STYLE[verdict]}]: {summary}", highlight=False)


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def to_markdown(c: Coverage) -> str:
    lines = [f"# Op coverage: {c.device}", ""]
    lines += [f"- {_cell(line)}" for line in header_lines(c)]
    lines += ["", "| dtype | " + " | ".join(k.value for k in COLUMNS) + " |"]
    lines.append("|---|" + "---:|" * len(COLUMNS))
    for dtype, counts in c.counts_by_dtype().items():
        lines.append(f"| {dtype} | " + " | ".join(str(counts[k.value]) for k in COLUMNS) + " |")
    listed = _listed(c)
    lines += ["", f"## Not native ({len(listed)})", ""]
    if listed:
        lines += ["| class | op | dtype | detail | reference |", "|---|---|---|---|---|"]
        for r in listed:
            lines.append(
                f"| {r.klass.value} | `{r.op}` | {r.dtype} | {_cell(r.detail)[:240]} "
                f"| {_cell(r.reference)} |"
            )
    else:
        lines.append("Every swept op ran natively and matched the CPU.")
    return "\n".join(lines) + "\n"


def to_json(c: Coverage) -> str:
    return json.dumps(jsonable(c.to_dict()), indent=1)
