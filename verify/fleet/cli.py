"""`python -m verify fleet REPORTS...|DIR|-`: the command line of the fleet summary.

Exit codes: 0 every machine ready, 1 any not ready, 2 usage or bad input (each bad input named in
one line on stderr; the readable reports are still summarised and written).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from rich.console import Console

from verify.atomic import write_text
from verify.cliargs import OneLineParser
from verify.errors import EXIT_NOT_READY, EXIT_READY, EXIT_USAGE, UsageError
from verify.fleet import console, html, markdown, reports
from verify.fleet.summary import Fleet, summarise
from verify.privacy import scrub

DESCRIPTION = (
    "One summary of many machines' verify reports: per machine (host id, chip, macOS, Python "
    "arch, torch, device, verdict, first failing check), per cause (the machines it stops and "
    "the fix once, with its commands) and the spread of torch / macOS / Python versions. Reads "
    "schema-1 JSON reports of `python -m verify --json` and of `python -m verify diagnose "
    "--json` (a file may hold one report, a JSON list of them, or JSON lines)."
)
EPILOG = """\
exit codes: 0 every machine ready, 1 any not ready, 2 usage error or an input that is not a
schema-1 report (named on stderr, one line each; the rest are still summarised)

examples:
  python -m verify fleet reports/                     every *.json under reports/
  python -m verify fleet a.json b.json --html fleet.html --markdown fleet.md
  cat *.json | python -m verify fleet - --json -      JSON lines in, the fleet JSON out
"""


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m verify fleet",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="REPORT|DIR|-", help="reports; - reads stdin")
    p.add_argument("--markdown", metavar="PATH|-", help="write the summary as Markdown")
    p.add_argument("--html", metavar="PATH", help="write one self-contained HTML page")
    p.add_argument(
        "--json",
        metavar="PATH|-",
        help="write the summary as JSON (fleet_schema 1: verify/schema/fleet-1.json)",
    )
    p.add_argument("--quiet", action="store_true", help="print only causes and the verdict")
    return p


def outputs(fleet: Fleet, args: argparse.Namespace) -> list[tuple[str | None, str]]:
    """(path, text) for each output asked for (rendered only when asked)."""
    wanted = [
        (args.markdown, lambda: markdown.render(fleet)),
        (args.html, lambda: html.render(fleet)),
        (args.json, lambda: json.dumps(fleet.to_dict(), indent=2) + "\n"),
    ]
    return [(path, scrub(render())) for path, render in wanted if path]


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    to_stdout = [
        flag for flag, path in (("--markdown", args.markdown), ("--json", args.json)) if path == "-"
    ]
    if len(to_stdout) > 1:
        raise UsageError("only one of --markdown - and --json - can use stdout", "Give a path.")
    if args.html == "-":
        raise UsageError("--html needs a file path", "Give a path such as fleet.html.")
    if args.inputs.count("-") > 1:
        raise UsageError("stdin (-) given twice", "Give - once.")
    fleet = summarise(reports.load(args.inputs))
    term = Console(stderr=bool(to_stdout), highlight=False, soft_wrap=True)
    console.render(fleet, term, quiet=args.quiet)
    for path, text in outputs(fleet, args):
        if path == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_text(path, text)
    for bad in fleet.bad:
        print(f"error: {scrub(bad.one_line())}", file=sys.stderr)
    if fleet.bad or not fleet.machines:
        return EXIT_USAGE
    return EXIT_READY if fleet.all_ready else EXIT_NOT_READY
