"""`python -m verify ops`: this machine's op coverage from torch's OpInfo and MPS expectations.

    python -m verify ops [--device auto|mps|cuda|cpu] [--dtype float32|float16|bfloat16 ...]
                         [--only PATTERN ...] [--json PATH|-] [--markdown PATH]
                         [--max-samples N] [--timeout SECONDS] [--budget SECONDS] [--quiet]

The pipeline: host facts -> the sweep (verify.opcoverage.supervisor) -> Coverage (classified) ->
console / Markdown / JSON -> exit code: 0 when nothing failed (known limits are warnings), 1 when an
op/dtype failed unexpectedly or the sweep could not run, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence

from rich.console import Console

from verify.atomic import write_text
from verify.cliargs import OneLineParser, check_paths_writable, positive_float
from verify.errors import EXIT_NOT_READY, EXIT_READY, UsageError
from verify.opcoverage.model import SWEEP_DTYPES, Coverage

DEVICES = ("auto", "mps", "cuda", "cpu")
MAX_SECONDS = 86400

EPILOG = """\
classes: native (ran on the device, matches the CPU), known (fails as torch's own tests expect for
this torch and macOS: common_mps, op_db), fallback (ran on the CPU through
PYTORCH_ENABLE_MPS_FALLBACK), unimplemented (no kernel, not in torch's lists), mismatch, raises,
crashed (failures torch does not expect), skipped (not comparable: dtype not supported by the op,
random output, time bound).

examples:
  python -m verify ops                            every op, float32/float16/bfloat16
  python -m verify ops --dtype float16 --only 'nn.functional.*' --markdown ops.md
  python -m verify ops --json ops.json            attach it to a bug report
"""


def build_parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m verify ops",
        description="Which operations run natively on this machine? Runs torch's own OpInfo "
        "database (sample inputs, supported dtypes, tolerances) on the device and on the CPU, "
        "and classifies each op and dtype with torch's own MPS expectations.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--device", choices=DEVICES, default="auto", help="default: auto")
    p.add_argument(
        "--dtype",
        action="append",
        choices=SWEEP_DTYPES,
        default=[],
        help="repeatable; default: all three (bfloat16 only where the device has it)",
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="ops whose name is PATTERN or matches it as a glob ('nn.functional.*'); repeatable",
    )
    p.add_argument("--json", metavar="PATH|-", help="write the coverage as JSON; - for stdout")
    p.add_argument("--markdown", metavar="PATH", help="write the coverage as Markdown")
    p.add_argument(
        "--max-samples",
        type=int,
        default=4,
        metavar="N",
        help="sample inputs compared per op and dtype (default: 4)",
    )
    seconds = functools.partial(positive_float, maximum=MAX_SECONDS)
    p.add_argument(
        "--timeout",
        type=seconds,
        default=30.0,
        metavar="SECONDS",
        help="per op and dtype; past it the op counts as crashed and the sweep goes on "
        "(default: 30)",
    )
    p.add_argument(
        "--budget",
        type=seconds,
        default=600.0,
        metavar="SECONDS",
        help="the whole sweep; ops not reached are reported as skipped (default: 600)",
    )
    p.add_argument(
        "--source",
        choices=("auto", "op_db", "hand-written"),
        default="auto",
        help="auto: torch's op_db, or verify's hand-written cases when it cannot be imported",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes side by side (default: half the cores, at most 8)",
    )
    p.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    return p


def _check_paths(args: argparse.Namespace) -> None:
    pairs = (("--json", args.json), ("--markdown", args.markdown))
    check_paths_writable([(flag, path) for flag, path in pairs if path and path != "-"])


def write_outputs(c: Coverage, args: argparse.Namespace) -> None:
    from verify.opcoverage import render

    if args.json == "-":
        sys.stdout.write(render.to_json(c) + "\n")
        sys.stdout.flush()
    elif args.json:
        write_text(args.json, render.to_json(c) + "\n")
    if args.markdown:
        write_text(args.markdown, render.to_markdown(c))


def cmd_ops(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.max_samples < 1:
        raise UsageError(f"--max-samples {args.max_samples}: must be 1 or more", "")
    if args.jobs is not None and not 1 <= args.jobs <= 64:
        raise UsageError(f"--jobs {args.jobs}: must be 1 to 64", "")
    _check_paths(args)
    from verify import facts
    from verify.opcoverage import coverage, render
    from verify.opcoverage.supervisor import SweepError, SweepOptions, default_jobs, run_sweep

    console = Console(stderr=args.json == "-", highlight=False, soft_wrap=True)
    opts = SweepOptions(
        device=args.device,
        dtypes=tuple(dict.fromkeys(args.dtype)),
        only=tuple(args.only),
        max_samples=args.max_samples,
        item_timeout_s=args.timeout,
        budget_s=args.budget,
        source=args.source,
        jobs=args.jobs or default_jobs(),
    )
    host = facts.gather_host()
    try:
        with console.status("sweeping torch's OpInfo database...", spinner="dots"):
            run = run_sweep(opts)
    except SweepError as exc:
        console.print(f"error: the op sweep cannot run on {args.device}: {exc}", markup=False)
        return EXIT_NOT_READY
    if not run.hello.get("items"):
        raise UsageError(
            f"--only {' '.join(args.only)} matches no op in this torch's op_db",
            "Give an OpInfo name such as add or 'nn.functional.*'.",
        )
    result = coverage.build(run, host, budget_s=args.budget)
    render.render_console(result, console, quiet=args.quiet)
    write_outputs(result, args)
    return EXIT_NOT_READY if result.failed else EXIT_READY
