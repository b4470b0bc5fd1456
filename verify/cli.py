"""`python -m verify`: the command line (DESIGN.md "CLI — contract").

    python -m verify [--device auto|mps|cuda|cpu] [--expect-mps] [--level quick|standard|full]
                     [--json PATH|-] [--junit-xml PATH] [--facts FACTS.json] [--timeout SECONDS]
                     [--quiet] [--list-checks] [--only ID ...]
    python -m verify facts             host facts as JSON (input for --facts)
    python -m verify preflight         host rules only; never imports torch
    python -m verify diagnose FILE|DIR|- ...   pasted text -> findings with evidence; several
                                              inputs -> one summary table (--json: a list)
    python -m verify fleet REPORTS...  many machines' reports -> one summary (verify.fleet)

The pipeline is plain functions (nox's workflow): gather facts -> evaluate rules -> run device
checks -> Report -> renderers -> exit code. Exit codes: 0 ready, 1 not ready, 2 usage or input
error (one line on stderr), 130 interrupted.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape

from verify import TOOL_NAME, __version__
from verify.atomic import write_text
from verify.cliargs import OneLineParser, check_paths_writable, positive_float
from verify.errors import (
    EXIT_INTERRUPTED,
    EXIT_NOT_READY,
    EXIT_READY,
    EXIT_USAGE,
    InputError,
    UsageError,
    VerifyError,
)
from verify.facts import Facts
from verify.model import Result, Status, Tier, failed, skipped
from verify.report import Report, check_line, render_console, render_summary, to_junit

DEVICES = ("auto", "mps", "cuda", "cpu")
SUBCOMMANDS = ("facts", "preflight", "diagnose", "fleet", "ops")
FACTS_REPLAYED = "facts replayed"
DEVICE_SELECT = "device.select"
MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_TIMEOUT_S = 86400

EPILOG = """\
subcommands:
  facts              print this host's facts as JSON (torch facts included when torch imports)
  preflight          host rules only (OS, arch, Rosetta, macOS, Python); no PyTorch needed
  diagnose FILE|DIR|- ...
                     diagnose someone else's environment from what they pasted:
                     `python -m torch.utils.collect_env` output, version lists, pip / conda /
                     uname / sw_vers output, tool dumps, MPS errors, a verify JSON report;
                     several files (or a folder) give one summary table
  fleet REPORTS...   one summary of many machines' JSON reports (files, folders, -)
  ops                which operations run natively here (torch's OpInfo + MPS lists);
                     see `python -m verify ops --help`

exit codes: 0 ready (warnings allowed), 1 a required check failed, 2 usage or input error,
130 interrupted (the report written so far is kept, marked "interrupted")

examples:
  python -m verify                          verify this machine (MPS expected on Apple silicon)
  python -m verify --level standard --json report.json --junit-xml junit.xml
  python -m verify --facts their-facts.json replay someone's recorded facts
  python -m verify diagnose pasted.txt      what is wrong in a pasted environment
  python -m verify diagnose reports/ --json -   one verdict per pasted report, as a JSON list
"""


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m verify",
        description="Is PyTorch with Apple MPS (Metal) installed and really working here? "
        "Checks the host, then exercises the device for real, and says the cause and the fix "
        "of every problem.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"{TOOL_NAME} {__version__}")
    p.add_argument(
        "--device",
        choices=DEVICES,
        default="auto",
        help="device to exercise; auto picks mps, then cuda, then cpu (default: auto)",
    )
    p.add_argument(
        "--expect-mps",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="MPS must be usable, anything else fails with the cause; default: on for macOS "
        "on Apple silicon hardware (even under Rosetta), off elsewhere",
    )
    p.add_argument(
        "--level",
        choices=[t.value for t in Tier],
        default=Tier.QUICK.value,
        help="quick: allocation, compute, device context/default; standard: + dtypes, nn "
        "training, CPU parity; full: + op sweep and performance (default: quick)",
    )
    add_output_arguments(p)
    p.add_argument(
        "--facts",
        metavar="FACTS.json",
        help="evaluate the rules against recorded facts (from `python -m verify facts`) instead "
        "of this host; device checks are skipped",
    )
    p.add_argument(
        "--timeout",
        type=functools.partial(positive_float, maximum=MAX_TIMEOUT_S),
        default=60.0,
        metavar="SECONDS",
        help="per-check time limit; a check past it fails and the rest go on (default: 60)",
    )
    p.add_argument("--list-checks", action="store_true", help="list the checks of --level and exit")
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ID",
        help="run only device checks whose id is ID or starts with ID. (repeatable)",
    )
    p.add_argument(
        "--checks-module",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE in the worker to register extra checks (plugins, tests)",
    )
    return p


def build_diagnose_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m verify diagnose",
        description="Diagnose an environment someone pasted: the output of "
        "`python -m torch.utils.collect_env` (any torch release, with the chatter around it), "
        "free-form version lists, platform / uname / sw_vers / system_profiler / sysctl output, "
        "conda and pip output and resolver errors, the environment dumps of accelerate, "
        "transformers, diffusers, Lightning, ComfyUI and the web UIs, a verify JSON report or "
        "facts JSON, and the MPS error messages torch prints. Every finding quotes the pasted "
        "lines it rests on; what the text does not show is reported as skipped, never guessed. "
        "Several inputs (files or folders) give one summary table; exit 1 if any is not ready.",
    )
    p.add_argument(
        "input",
        metavar="FILE|DIR|-",
        nargs="+",
        help="the pasted text; - reads standard input; a folder means each file in it",
    )
    add_output_arguments(p)
    return p


def add_output_arguments(p: argparse.ArgumentParser) -> None:
    """--json, --junit-xml and --quiet, the same for every command that reports."""
    p.add_argument(
        "--json", metavar="PATH|-", help="write the JSON report (schema 1); - for stdout"
    )
    p.add_argument("--junit-xml", metavar="PATH", help="write a JUnit XML report")
    p.add_argument("--quiet", action="store_true", help="print only problems and the verdict")


# --- pipeline pieces -------------------------------------------------------------------------


@dataclass
class Outputs:
    """Where the run's reports go."""

    json_path: str | None = None
    junit_path: str | None = None
    quiet: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Outputs:
        return cls(args.json, args.junit_xml, args.quiet)

    @property
    def json_to_stdout(self) -> bool:
        return self.json_path == "-"

    def files(self) -> list[tuple[str, str]]:
        """(flag, path) of each report that goes to a file (not stdout)."""
        pairs = (("--json", self.json_path), ("--junit-xml", self.junit_path))
        return [(flag, path) for flag, path in pairs if path and path != "-"]


def make_console(outputs: Outputs) -> Console:
    # With --json -, stdout carries the JSON alone; the human view goes to stderr.
    return Console(stderr=outputs.json_to_stdout, highlight=False, soft_wrap=True)


def write_outputs(report: Report, outputs: Outputs) -> None:
    if outputs.json_path == "-":
        sys.stdout.write(report.to_json() + "\n")
        sys.stdout.flush()
    elif outputs.json_path:
        write_text(outputs.json_path, report.to_json() + "\n")
    if outputs.junit_path:
        write_text(outputs.junit_path, to_junit(report))


def check_writable(outputs: Outputs) -> None:
    """Fail before the run, not after it: a report path whose folder cannot hold a file would
    otherwise cost the whole run and lose its report. Creates the folder, as the write would."""
    check_paths_writable(outputs.files())


def refuse_overwriting_input(outputs: Outputs, source: str) -> None:
    """A report path that names the input file would replace what was pasted: refuse it."""
    if source == "-":
        return
    for flag, path in outputs.files():
        if os.path.exists(path) and os.path.exists(source):
            if os.path.samefile(path, source):
                raise UsageError(
                    f"{flag} {path} is the input file; writing the report would replace it",
                    "Give the report another path.",
                )


def show_and_write(report: Report, outputs: Outputs, console: Console | None = None) -> int:
    """The whole console view, the report files, the exit code (replay, preflight, diagnose)."""
    render_console(report, console or make_console(outputs), quiet=outputs.quiet)
    write_outputs(report, outputs)
    return exit_code(report)


def exit_code(report: Report) -> int:
    if report.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_READY if report.ready else EXIT_NOT_READY


def read_text_input(source: str) -> str:
    """The text of FILE or stdin ('-'), bounded in size; InputError on what cannot be read."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot read {source}: {reason}", "Check the path.") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(
            f"{source} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB",
            "Paste only the collect_env output and the error message.",
        )
    if b"\x00" in raw:
        raise InputError(f"{source} is binary data, not text", "Paste the text output instead.")
    return raw.decode("utf-8", errors="replace")


def load_facts_file(path: str) -> Facts:
    text = read_text_input(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "Create it with `python -m verify facts > facts.json`.",
        ) from None
    if isinstance(data, dict) and data.get("schema") == 1 and isinstance(data.get("host"), dict):
        data = data["host"]  # a whole verify report: replay its host facts
    try:
        return Facts.from_dict(data, source="replayed")
    except ValueError as exc:
        raise InputError(
            f"{path}: {exc}", "Create it with `python -m verify facts > facts.json`."
        ) from None


def select_checks(level: Tier, only: Sequence[str], modules: Sequence[str]) -> list:
    from verify import runner

    for name in modules:  # a plugin that cannot be imported is bad input: one line, exit 2
        try:
            importlib.import_module(name)
        except Exception as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise UsageError(
                f"--checks-module {name!r} cannot be imported ({type(exc).__name__}: {reason})",
                "Give an importable module name such as mypkg.checks.",
            ) from None
    selected = runner.only(runner.checks_for(level, modules), only)
    if only and not selected:
        raise UsageError(
            f"--only {' '.join(only)} matches no check at level {level.value}",
            "See `python -m verify --list-checks --level full`.",
        )
    return selected


def gate_reason(rule_results: Sequence[Result], expect_mps: bool) -> str | None:
    """Why device checks cannot run, or None (a failed prerequisite skips what depends on it)."""
    by_id = {r.id: r for r in rule_results}
    prerequisites = ["torch.installed"] + (["mps.built", "mps.available"] if expect_mps else [])
    for rid in prerequisites:
        r = by_id.get(rid)
        if r is not None and r.status in (Status.FAIL, Status.SKIP):
            return f"needs {rid}"
    return None


def skipped_results(selected: Sequence, reason: str) -> list[Result]:
    return [
        Result.from_outcome(c.id, c.title, skipped(reason), required=c.required) for c in selected
    ]


# --- commands --------------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace) -> int:
    from verify import facts as facts_mod
    from verify import rules

    level = Tier(args.level)
    selected = select_checks(level, args.only, args.checks_module)
    if args.list_checks:
        for c in selected:
            print(f"{c.id:<24} {c.tier.value:<9} {c.title}")
        return EXIT_READY

    outputs = Outputs.from_args(args)
    check_writable(outputs)
    console = make_console(outputs)

    if args.facts:
        refuse_overwriting_input(outputs, args.facts)
        host = load_facts_file(args.facts)
        expect = rules.default_expect_mps(host) if args.expect_mps is None else args.expect_mps
        results = rules.evaluate(
            host, expect_mps=expect, unknown_reason="not in the recorded facts"
        )
        results += skipped_results(selected, FACTS_REPLAYED)
        report = Report(host, _device_name(args.device), level.value, results, mode="replayed")
        return show_and_write(report, outputs, console)

    host = facts_mod.gather_host()
    report = Report(host, _device_name(args.device), level.value)
    live = _live_printer(console, args.quiet)
    try:
        _run_live(report, args, selected, live)
    except KeyboardInterrupt:
        report.interrupted = True
        done = {r.id for r in report.checks}
        report.checks += skipped_results(
            [c for c in selected if c.id not in done], "not run: interrupted (Ctrl-C)"
        )
    render_summary(report, console, quiet=args.quiet)
    write_outputs(report, outputs)
    return exit_code(report)


def _run_live(
    report: Report, args: argparse.Namespace, selected: Sequence, live: Callable[[Result], None]
) -> None:
    """Probe torch in the worker, evaluate the rules, run the device checks; fills `report`.

    Results are appended to report.checks as they come, so an interrupt keeps what finished.
    """
    from verify import rules
    from verify.runner import Supervisor

    expect_mps = args.expect_mps
    with Supervisor(
        args.device,
        modules=args.checks_module,
        timeout_s=args.timeout,
        gpu_name=report.host.chip,
    ) as sup:
        probe = sup.probe()
        report.host = report.host.merged(**probe.facts)
        if expect_mps is None:  # asking for mps by name expects it, as on Apple silicon
            expect_mps = args.device == "mps" or rules.default_expect_mps(report.host)
        for r in rules.evaluate(report.host, expect_mps=expect_mps):
            _append(report, live, r)
        if probe.device:
            report.device = _device_name(probe.device)
        reason = gate_reason(report.checks, expect_mps)
        if reason is None and not probe.usable:
            reason = f"needs {DEVICE_SELECT}"
            _append(report, live, device_select_failure(args.device, probe.device_error))
        if reason is None and expect_mps and probe.device != "mps":
            reason = f"MPS is expected but the device under test is {probe.device}"
        if reason is not None:
            for r in skipped_results(selected, reason):
                _append(report, live, r)
            return
        try:
            sup.run(selected, on_result=lambda r: _append(report, live, r))
        finally:
            # Results the supervisor finished but did not hand out (interrupt) are kept too.
            seen = {r.id for r in report.checks}
            report.checks += [r for r in sup.results if r.id not in seen]


def _append(report: Report, live: Callable[[Result], None], result: Result) -> None:
    report.checks.append(result)
    live(result)


def device_select_failure(requested: str, error: str | None) -> Result:
    """The row for a device that was asked for by name and cannot be used."""
    from verify import messages

    cause, fix = messages.device_unusable(requested, error or "torch cannot use it here")
    return Result.from_outcome(
        DEVICE_SELECT, "The requested device can be used", failed(cause, fix)
    )


def _live_printer(console: Console, quiet: bool) -> Callable[[Result], None]:
    def show(result: Result) -> None:
        if not quiet or result.status in (Status.FAIL, Status.WARN):
            console.print(check_line(result), highlight=False)

    return show


def _device_name(device: str) -> str:
    base = device.split(":", 1)[0]
    return base if base in ("mps", "cuda", "cpu") else "none"


def cmd_facts(argv: Sequence[str]) -> int:
    p = OneLineParser(
        prog="python -m verify facts",
        description="Print this host's facts as JSON (the input for `--facts`). Torch facts come "
        "from a worker process; when torch does not import, the error is recorded.",
    )
    p.add_argument("--no-torch", action="store_true", help="do not probe torch (host facts only)")
    args = p.parse_args(argv)
    from verify import facts as facts_mod

    host = facts_mod.gather_host()
    if not args.no_torch:
        from verify.runner import Supervisor

        with Supervisor("auto") as sup:
            host = host.merged(**sup.probe().facts)
    print(host.to_json())
    return EXIT_READY


def cmd_preflight(argv: Sequence[str]) -> int:
    p = OneLineParser(
        prog="python -m verify preflight",
        description="Host rules only (OS, architecture and Rosetta, macOS version, Python), "
        "before PyTorch exists. Never imports torch.",
    )
    p.add_argument("--expect-mps", action=argparse.BooleanOptionalAction, default=None)
    add_output_arguments(p)
    args = p.parse_args(argv)
    from verify import facts as facts_mod
    from verify import rules

    host = facts_mod.gather_host()
    expect = rules.default_expect_mps(host) if args.expect_mps is None else args.expect_mps
    results = [
        r
        for r in rules.evaluate(host, expect_mps=expect, unknown_reason="not checked by preflight")
        if r.id.startswith("host.")
    ]
    report = Report(host, "none", "preflight", results, mode="preflight")
    outputs = Outputs.from_args(args)
    check_writable(outputs)
    return show_and_write(report, outputs)


def cmd_diagnose(argv: Sequence[str]) -> int:
    args = build_diagnose_parser().parse_args(argv)
    from verify.diagnosis import diagnose

    outputs = Outputs.from_args(args)
    check_writable(outputs)
    sources = diagnose_inputs(args.input)
    for source in sources:
        refuse_overwriting_input(outputs, source)
    if len(sources) == 1 and not any(os.path.isdir(s) for s in args.input):
        text = read_text_input(sources[0])
        host, results = diagnose.diagnose(text)
        report = Report(host, "none", "diagnose", list(results), mode="diagnose")
        console = make_console(outputs)
        code = show_and_write(report, outputs, console)
        first = diagnose.first_cause(report.checks)
        if first is not None and report.ready and not outputs.quiet:
            console.print(f"First: {first.id} - {first.cause}", highlight=False, markup=False)
        return code
    if outputs.junit_path:
        raise UsageError(
            "--junit-xml takes one input", "Diagnose the files one at a time for JUnit reports."
        )
    return diagnose_many(sources, outputs)


def diagnose_inputs(inputs: Sequence[str]) -> list[str]:
    """The files to diagnose: each FILE or -, and the files of each DIR (sorted, not hidden)."""
    out: list[str] = []
    for item in inputs:
        if item != "-" and os.path.isdir(item):
            names = sorted(n for n in os.listdir(item) if not n.startswith("."))
            files = [os.path.join(item, n) for n in names if os.path.isfile(os.path.join(item, n))]
            if not files:
                raise InputError(f"{item} holds no files", "Give files or a folder of pastes.")
            out.extend(files)
        else:
            out.append(item)
    if out.count("-") > 1:
        raise UsageError("- (standard input) given twice", "Give - at most once.")
    return out


@dataclass
class Diagnosed:
    """One input of a multi-report diagnose: its report, or the one-line reason it has none."""

    source: str
    report: Report | None = None
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        if self.report is None:
            return {"file": self.source, "verdict": "unreadable", "error": self.error}
        from verify.diagnosis import diagnose

        first = diagnose.first_cause(self.report.checks)
        return {
            "file": self.source,
            "verdict": self.report.verdict,
            "first_cause": first.id if first else None,
            "report": self.report.to_dict(),
        }


def diagnose_many(sources: Sequence[str], outputs: Outputs) -> int:
    """Diagnose each input; one summary table (file, verdict, first cause); --json: a list.
    Exit 2 if an input could not be read or held nothing usable, else 1 if any is not ready."""
    from verify.diagnosis import diagnose

    done: list[Diagnosed] = []
    for source in sources:
        try:
            host, results = diagnose.diagnose(read_text_input(source))
        except InputError as exc:
            done.append(Diagnosed(source, error=exc.one_line()))
            continue
        done.append(
            Diagnosed(source, Report(host, "none", "diagnose", list(results), mode="diagnose"))
        )
    if not outputs.json_to_stdout:  # with --json -, stdout carries the list alone
        render_diagnosed(done, make_console(outputs), quiet=outputs.quiet)
    if outputs.json_path:
        body = json.dumps([d.to_dict() for d in done], indent=2) + "\n"
        if outputs.json_to_stdout:
            sys.stdout.write(body)
            sys.stdout.flush()
        else:
            write_text(outputs.json_path, body)
    unreadable = [d for d in done if d.report is None]
    if unreadable:
        first = unreadable[0]
        print(
            f"error: {len(unreadable)} of {len(done)} inputs could not be diagnosed "
            f"({first.source}: {first.error})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_READY if all(d.report.ready for d in done if d.report) else EXIT_NOT_READY


def short_cause(cause: str, limit: int = 110) -> str:
    """A cause's first sentence, cut to the table's width."""
    first = cause.split(": ", 1)[0] if len(cause) > limit else cause
    return first if len(first) <= limit else first[: limit - 3].rsplit(" ", 1)[0] + "..."


def render_diagnosed(done: Sequence[Diagnosed], console: Console, *, quiet: bool) -> None:
    from rich.table import Table

    from verify.diagnosis import diagnose

    table = Table(box=None, pad_edge=False)
    table.add_column("file", overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("first cause")
    for d in done:
        if d.report is None:
            table.add_row(d.source, "[bold yellow]unreadable[/]", escape(d.error))
            continue
        first = diagnose.first_cause(d.report.checks)
        if quiet and first is None:
            continue
        verdict = "[green]ready[/]" if d.report.ready else "[bold red]not ready[/]"
        cause = f"{first.id}: {short_cause(first.cause)}" if first else "nothing found"
        table.add_row(escape(d.source), verdict, escape(cause))
    console.print(table)
    ready = sum(1 for d in done if d.report is not None and d.report.ready)
    bad = sum(1 for d in done if d.report is None)
    console.print(
        f"{len(done)} inputs: {ready} ready, {len(done) - ready - bad} not ready"
        + (f", {bad} unreadable" if bad else ""),
        highlight=False,
    )


def cmd_fleet(argv: Sequence[str]) -> int:
    from verify.fleet import cli as fleet_cli

    return fleet_cli.main(argv)


def cmd_ops(argv: Sequence[str]) -> int:
    from verify.opcoverage.command import cmd_ops as run

    return run(argv)


def dispatch(argv: Sequence[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS:
        command, rest = argv[0], list(argv[1:])
        commands = {
            "facts": cmd_facts,
            "preflight": cmd_preflight,
            "diagnose": cmd_diagnose,
            "fleet": cmd_fleet,
            "ops": cmd_ops,
        }
        return commands[command](rest)
    return cmd_verify(build_parser().parse_args(argv))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return dispatch(argv)
    except SystemExit as exc:  # argparse: --help / --version (0), or a usage error already
        if exc.code == EXIT_USAGE:  # printed as one line by OneLineParser
            return EXIT_USAGE
        raise
    except VerifyError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_USAGE
    except OSError as exc:  # e.g. a report path in a folder we cannot write
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USAGE
