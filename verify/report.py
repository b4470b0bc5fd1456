"""The Report model (JSON schema 1) and its renderers: console (rich), JSON, JUnit XML.

Renderers return strings or write through a rich Console; they never decide anything. Files are
written atomically (temp file + rename), so a report on disk is always whole.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape

from verify import TOOL_NAME, __version__
from verify.facts import Facts
from verify.model import Result, Status
from verify.privacy import scrub

SCHEMA_VERSION = 1
READY = "ready"
NOT_READY = "not-ready"


@dataclass
class Report:
    host: Facts
    device: str  # "mps" | "cuda" | "cpu" | "none"
    level: str  # "quick" | "standard" | "full" | "preflight" | "diagnose"
    checks: list[Result] = field(default_factory=list)
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    interrupted: bool = False
    mode: str = "live"  # "live" | "replayed" | "preflight" | "diagnose"

    @property
    def ready(self) -> bool:
        return not self.interrupted and not any(r.blocks_ready for r in self.checks)

    @property
    def verdict(self) -> str:
        return READY if self.ready else NOT_READY

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(r.status.value for r in self.checks)
        return {s.value: counts.get(s.value, 0) for s in Status}

    def to_dict(self) -> dict[str, Any]:
        return scrub(
            {
                "schema": SCHEMA_VERSION,
                "tool": {"name": TOOL_NAME, "version": __version__},
                "created": self.created.isoformat(timespec="seconds"),
                "mode": self.mode,
                "host": self.host.to_dict(),
                "device": self.device,
                "level": self.level,
                "verdict": self.verdict,
                "interrupted": self.interrupted,
                "checks": [r.to_dict() for r in self.checks],
                "summary": self.summary,
            }
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


# --- JUnit XML (pytest's mapping: failed -> failure, crashed -> error, skipped -> skipped) ----


def to_junit(report: Report) -> str:
    summary = report.summary
    crashed = sum(1 for r in report.checks if r.status is Status.FAIL and r.crashed)
    suite = ET.Element(
        "testsuite",
        name=TOOL_NAME,
        tests=str(len(report.checks)),
        failures=str(summary["fail"] - crashed),
        errors=str(crashed),
        skipped=str(summary["skip"]),
        time=f"{sum(r.duration_s for r in report.checks):.3f}",
        timestamp=report.created.isoformat(timespec="seconds"),
    )
    props = ET.SubElement(suite, "properties")
    flat = {"device": report.device, "level": report.level, "verdict": report.verdict}
    flat.update({k: v for k, v in report.host.to_dict().items() if not isinstance(v, dict)})
    for key, value in flat.items():
        if value is not None:
            ET.SubElement(props, "property", name=key, value=str(value))
    for r in report.checks:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=r.id.rsplit(".", 1)[0] if "." in r.id else r.id,
            name=r.id,
            time=f"{r.duration_s:.3f}",
        )
        message = f"{r.cause} Fix: {r.fix.render()}" if r.fix else r.detail
        if r.status is Status.FAIL:
            tag = "error" if r.crashed else "failure"
            ET.SubElement(case, tag, message=message).text = r.detail
        elif r.status is Status.SKIP:
            ET.SubElement(case, "skipped", message=r.detail)
        elif r.status is Status.WARN:
            ET.SubElement(case, "system-out").text = f"WARNING: {message}"
    ET.indent(suite)
    return scrub(ET.tostring(suite, encoding="unicode", xml_declaration=True)) + "\n"


# --- console (rich) --------------------------------------------------------------------------

_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "bold red",
    Status.WARN: "yellow",
    Status.SKIP: "dim",
}


def short_detail(result: Result, limit: int = 120) -> str:
    """The detail for the one-line view; a cause repeated as detail is cut to its first clause
    (the whole cause follows under the check's problem lines)."""
    text = result.detail
    if text == result.cause and len(text) > limit:
        text = text[: limit - 3].rsplit(" ", 1)[0] + "..."
    return text


def check_line(result: Result) -> str:
    """One rich-markup line for a check: status tag, id, detail, duration."""
    status = result.status
    tag = "CRASH" if result.crashed else status.value.upper()
    required = "" if result.required or status is not Status.FAIL else " (optional)"
    detail = f" - {escape(scrub(short_detail(result)))}" if result.detail else ""
    timing = f" [dim]({result.duration_s:.2f}s)[/dim]" if result.duration_s >= 0.01 else ""
    return (
        f"[{_STYLE[status]}]{tag:<5}[/] [bold]{escape(result.id)}[/bold]{required}{detail}{timing}"
    )


def problem_lines(results: Iterable[Result]) -> list[str]:
    """Cause and fix of every fail and warn, failures first."""
    lines = []
    ordered = sorted(
        (r for r in results if r.status in (Status.FAIL, Status.WARN)),
        key=lambda r: r.status is not Status.FAIL,
    )
    for r in ordered:
        lines.append(f"[{_STYLE[r.status]}]{r.status.value.upper()}[/] [bold]{escape(r.id)}[/bold]")
        lines.append(f"  cause: {escape(scrub(r.cause))}")
        for i, line in enumerate(r.evidence):  # the pasted lines it rests on (diagnose)
            lines.append(f"  {'seen:' if i == 0 else '':<6} [dim]| {escape(scrub(line))}[/dim]")
        if r.fix:
            lines.append(f"  fix:   {escape(scrub(r.fix.text))}")
            lines.extend(f"         $ {escape(scrub(cmd))}" for cmd in r.fix.commands)
            if r.fix.url:
                lines.append(f"         see {escape(r.fix.url)}")
    return lines


_READY_TEXT = {
    "preflight": "the host is fit for PyTorch (torch itself not checked)",
    # a paste is not the machine: it can only show nothing that points at the environment
    "diagnose": "nothing in the pasted text points at the environment",
    "replayed": "the recorded facts show nothing that stops PyTorch (device not exercised)",
}


def verdict_line(report: Report) -> str:
    s = report.summary
    counts = f"{s['pass']} passed, {s['fail']} failed, {s['warn']} warnings, {s['skip']} skipped"
    if report.interrupted:
        return f"[bold yellow]INTERRUPTED[/] {counts} - the report holds what ran before Ctrl-C."
    if report.ready:
        return f"[bold green]READY[/] {ready_text(report)}: {counts}."
    blocking = ", ".join(r.id for r in report.checks if r.blocks_ready)
    return f"[bold red]NOT READY[/] {counts}. Fix first: {escape(blocking)}."


def ready_text(report: Report) -> str:
    return _READY_TEXT.get(report.mode, f"PyTorch on {report.device} works")


def render_summary(report: Report, console: Console, *, quiet: bool = False) -> None:
    """Everything after the live lines: problems with cause and fix, then the verdict."""
    if not quiet:
        lines = problem_lines(report.checks)
        if lines:
            console.print()
            for line in lines:
                console.print(line, highlight=False)
        console.print()
    console.print(verdict_line(report), highlight=False)


def render_console(report: Report, console: Console, *, quiet: bool = False) -> None:
    """The whole console view at once (used by diagnose, --facts and preflight)."""
    if not quiet:
        for r in report.checks:
            console.print(check_line(r), highlight=False)
    render_summary(report, console, quiet=quiet)
