"""The fleet summary as GitHub-flavoured Markdown (a job summary, an issue, a wiki page)."""

from __future__ import annotations

from verify.fleet.summary import COLUMNS, SPREAD_TITLES, Fleet, other_wordings


def cell(text: str) -> str:
    """A table cell: pipes escaped, one line, never empty."""
    text = " ".join(str(text).split())
    return text.replace("\\", "\\\\").replace("|", "\\|") or "-"


def code(text: str) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")  # GFM tables split on | even here
    if not text:
        return "-"
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def render(fleet: Fleet) -> str:
    out = ["# Fleet summary", ""]
    word = "ready" if fleet.all_ready else "not ready"
    out.append(f"**{word.upper()}**: {fleet.headline()}.")
    out.append("")
    if fleet.machines:
        out += ["## Machines", ""]
        out.append("| " + " | ".join(COLUMNS) + " |")
        out.append("|" + " --- |" * len(COLUMNS))
        for m in fleet.machines:
            verdict = "ready" if m.ready else "**not ready**"
            failing = (
                code(m.first_failing)
                if m.first_failing
                else ("warnings: " + ", ".join(code(w) for w in m.warned) if m.warned else "-")
            )
            out.append(
                f"| {cell(m.name)} | {code(m.short_id) if m.short_id else '-'} | {cell(m.chip)} "
                f"| {cell(m.os)} | {cell(m.python + ' ' + m.arch)} | {cell(m.torch)} "
                f"| {cell(m.device)} | {verdict} | {failing} |"
            )
        out.append("")
    if fleet.causes:
        out += ["## Causes and fixes", ""]
        for c in fleet.causes:
            status = "FAIL" if c.status == "fail" else "WARN"
            plural = "s" if c.count != 1 else ""
            out.append(f"### {status} {code(c.check_id)}: {c.count} machine{plural}")
            out.append("")
            out.append("Machines: " + ", ".join(cell(n) for n in c.machines))
            out.append("")
            out.append(f"Cause: {' '.join(c.cause.split())}{other_wordings(c)}")
            out.append("")
            out.append(f"Fix: {' '.join(c.fix.split())}")
            out.append("")
            if c.commands:
                out += ["```sh", *c.commands, "```", ""]
            if c.url:
                out += [f"See <{c.url}>", ""]
    if fleet.machines:
        out += ["## Versions across the fleet", "", "| what | values (machines) |", "| --- | --- |"]
        for key, values in fleet.spread.items():
            text = ", ".join(f"{v} ({n})" for v, n in values)
            out.append(f"| {SPREAD_TITLES[key]} | {cell(text)} |")
        out.append("")
    if fleet.bad:
        out += ["## Inputs that could not be read", ""]
        out += [f"- {code(b.source)}: {cell(b.reason)}" for b in fleet.bad]
        out.append("")
    if fleet.superseded:
        out.append(f"{len(fleet.superseded)} older report(s) of the same environment left out.")
        out.append("")
    return "\n".join(out)
