"""The fleet summary on a terminal (rich): headline, machines table, causes with the fix once,
version spread. Plain text under NO_COLOR or in CI logs (rich decides)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from verify.fleet.summary import COLUMNS, SPREAD_TITLES, Fleet, Machine, other_wordings
from verify.privacy import scrub

MAX_NAMES = 12  # machines named per cause on a terminal (Markdown and HTML name them all)


def names(machines: tuple[str, ...], limit: int = MAX_NAMES) -> str:
    shown = ", ".join(machines[:limit])
    return shown + (f" and {len(machines) - limit} more" if len(machines) > limit else "")


MAX_WIDTH = 36  # a longer cell is cut with "..." on the terminal (Markdown / HTML keep it whole)


def machine_cells(m: Machine) -> tuple[str, ...]:
    failing = m.first_failing or ("warnings: " + ", ".join(m.warned) if m.warned else "")
    return (
        m.name,
        m.short_id or "-",
        m.chip or "-",
        m.os,
        f"{m.python} {m.arch}",
        m.torch,
        m.device,
        "ready" if m.ready else "not ready",
        failing,
    )


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def machines_text(fleet: Fleet) -> Text:
    """The machines as aligned columns, one line each (a rich Table measures every cell and is
    too slow for hundreds of rows: 0.5 s for 200)."""
    rows = [tuple(_cut(c, MAX_WIDTH) for c in machine_cells(m)) for m in fleet.machines]
    widths = [max(len(col), *(len(r[i]) for r in rows)) for i, col in enumerate(COLUMNS)]
    text = Text()
    header = "  ".join(col.ljust(w) for col, w in zip(COLUMNS, widths, strict=True))
    text.append(header.rstrip() + "\n", style="bold")
    for m, row in zip(fleet.machines, rows, strict=True):
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            last = i == len(row) - 1
            padded = cell if last else cell.ljust(width) + "  "
            style = ("green" if m.ready else "bold red") if COLUMNS[i] == "verdict" else None
            text.append(padded, style=style)
        text.append("\n")
    text.rstrip()
    return text


def cause_lines(fleet: Fleet) -> list[str]:
    lines = []
    for c in fleet.causes:
        tag = "[bold red]FAIL[/]" if c.status == "fail" else "[yellow]WARN[/]"
        optional = "" if c.required or c.status != "fail" else " (optional)"
        lines.append(
            f"{tag} [bold]{escape(c.check_id)}[/bold]{optional} on {c.count} machine"
            f"{'s' if c.count != 1 else ''}: {escape(names(c.machines))}"
        )
        lines.append(f"  cause: {escape(c.cause)}{escape(other_wordings(c))}")
        lines.append(f"  fix:   {escape(c.fix)}")
        lines.extend(f"         $ {escape(cmd)}" for cmd in c.commands)
        if c.url:
            lines.append(f"         see {escape(c.url)}")
    return lines


def spread_lines(fleet: Fleet) -> list[str]:
    lines = []
    for key, values in fleet.spread.items():
        if values:
            text = ", ".join(f"{v} x{n}" for v, n in values)
            lines.append(f"{SPREAD_TITLES[key]:<7} {escape(text)}")
    return lines


def render(fleet: Fleet, console: Console, *, quiet: bool = False) -> None:
    if not quiet and fleet.machines:
        console.print(machines_text(fleet), highlight=False, soft_wrap=True)
    causes = cause_lines(fleet)
    if causes:
        console.print()
        console.print("[bold]causes[/bold] (each fix once, with the machines it is for)")
        for line in causes:
            console.print(line, highlight=False)
    if not quiet and fleet.machines:
        console.print()
        console.print("[bold]versions[/bold]")
        for line in spread_lines(fleet):
            console.print(line, highlight=False)
    for b in fleet.bad:
        console.print(f"[bold red]UNREADABLE[/] {escape(scrub(b.one_line()))}", highlight=False)
    if fleet.superseded and not quiet:
        console.print(
            f"[dim]{len(fleet.superseded)} older report(s) of the same environment left out: "
            f"{escape(names(fleet.superseded, 5))}[/dim]",
            highlight=False,
        )
    console.print()
    if not fleet.machines:
        console.print("[bold red]FLEET[/] no readable report", highlight=False)
        return
    style = "bold green" if fleet.all_ready else "bold red"
    word = "READY" if fleet.all_ready else "NOT READY"
    console.print(f"[{style}]FLEET {word}[/] {escape(fleet.headline())}", highlight=False)
