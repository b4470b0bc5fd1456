"""ops.sweep (tier full): do operations run natively on the device and agree with the CPU?

A bounded version of `python -m verify ops` (verify.opcoverage): torch's OpInfo database swept in
float32, float16 and bfloat16 (where the device has it) with at most OPDB_SAMPLES sample inputs per
op and at most OPDB_BUDGET_S seconds, each op isolated in the sweep's own worker process (a crash
costs one op, not the check), classified with torch's own expectations (common_mps for this torch
and macOS, op_db's decorators). Then verify's hand-written cases for what op_db cannot give
(random ops, integer dtypes, running statistics: verify.opcoverage.handwritten), run here.

fail: an unexpected mismatch, error or crash; warn: ops without a kernel, known failures, the CPU
fallback, or op_db not importable (then only the hand-written cases ran, and the row says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from verify import messages
from verify.checks import Context, check
from verify.model import Fix, Outcome, Tier, failed, passed, warned
from verify.opcoverage import handwritten
from verify.opcoverage.model import Coverage, Klass, Row

OPDB_SAMPLES = 2
OPDB_BUDGET_S = 120.0
OPDB_ITEM_TIMEOUT_S = 20.0
LISTED_ROWS = 200  # non-native rows kept in the check's data (the `ops` command lists them all)


def opdb_coverage(ctx: Context) -> tuple[Coverage | None, str]:
    """The bounded op_db sweep on ctx.device, or (None, why it could not run)."""
    from verify import facts
    from verify.opcoverage import coverage
    from verify.opcoverage.supervisor import SweepError, SweepOptions, default_jobs, run_sweep

    opts = SweepOptions(
        device=ctx.device,
        max_samples=OPDB_SAMPLES,
        item_timeout_s=OPDB_ITEM_TIMEOUT_S,
        budget_s=OPDB_BUDGET_S,
        source="op_db",
        jobs=default_jobs(),
    )
    try:
        run = run_sweep(opts)
    except SweepError as exc:
        return None, str(exc)
    return coverage.build(run, facts.gather_host(), budget_s=OPDB_BUDGET_S), ""


def _names(rows: list[Row], extra: Sequence[str] = (), limit: int = 12) -> str:
    names = [f"{r.op} ({r.dtype})" for r in rows] + list(extra)
    text = ", ".join(names[:limit])
    return text + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _hand_rows(s: handwritten.Sweep) -> dict[str, list[handwritten.OpResult]]:
    return {st: s.by_status(st) for st in ("wrong", "error", "unsupported", "fallback")}


def judge(ctx: Context, hand: handwritten.Sweep, cov: Coverage | None, problem: str) -> Outcome:
    """fail (unexpected mismatch, error, crash) > warn (missing kernels, known failures, the CPU
    fallback, op_db missing) > pass, with the counts and the non-native rows as data."""
    dev = ctx.device
    hw = _hand_rows(hand)
    rows = cov.rows if cov is not None else []
    by = {k: [r for r in rows if r.klass is k] for k in Klass}
    data: dict[str, Any] = {
        "source": cov.source if cov is not None else "hand-written",
        "counts": cov.counts() if cov is not None else {},
        "seconds": round(cov.seconds, 1) if cov is not None else None,
        "budget_hit": cov.budget_hit if cov is not None else False,
        "expectations": cov.expectations_note if cov is not None else "",
        "not_native": [r.to_dict() for r in rows if r.status in ("warn", "fail")][:LISTED_ROWS],
        "hand_written": [r.to_dict() for r in hand.results],
    }
    wrong = by[Klass.MISMATCH]
    errors = by[Klass.RAISES]
    crashed = by[Klass.CRASHED]
    causes = []
    if wrong or hw["wrong"]:
        errs = [(r.raw.max_abs_err if r.raw else None, r.op) for r in wrong]
        errs += [(r.max_abs_err, r.op) for r in hw["wrong"]]
        err, worst = max(errs, key=lambda e: -1.0 if e[0] is None else e[0])
        ops = _names(wrong, [r.op for r in hw["wrong"]])
        causes.append(
            messages.OPS_WRONG_CAUSE.format(
                count=len(wrong) + len(hw["wrong"]),
                device=dev,
                ops=ops,
                err=err if err is not None else float("nan"),
                worst=worst,
            )
        )
    if errors or hw["error"]:
        ops = [f"{r.op} ({r.dtype}: {r.detail[:120]})" for r in errors[:8]]
        ops += [f"{r.op} ({r.message[:120]})" for r in hw["error"]]
        causes.append(
            messages.OPS_ERROR_CAUSE.format(
                count=len(errors) + len(hw["error"]), device=dev, ops="; ".join(ops)
            )
        )
    if crashed:
        causes.append(
            messages.OPS_CRASH_CAUSE.format(count=len(crashed), device=dev, ops=_names(crashed))
        )
    if causes:
        return failed(" ".join(causes), messages.OPS_WRONG_FIX, **data)
    warnings, fixes = _warnings(ctx, hw, by, cov, problem)
    if warnings:
        return warned(" ".join(warnings), fixes[0], **data)
    native = len(by[Klass.NATIVE])
    detail = (
        f"{native} op/dtype pairs from torch's OpInfo run natively and match the CPU"
        f" ({len(by[Klass.SKIPPED])} not comparable here); {len(hand.results)} hand-written "
        "cases pass"
    )
    if cov is not None and cov.budget_hit:
        detail += f"; the sweep stopped at its {OPDB_BUDGET_S:g} s bound"
    return passed(detail, **data)


def _warnings(
    ctx: Context,
    hw: dict[str, list[handwritten.OpResult]],
    by: dict[Klass, list[Row]],
    cov: Coverage | None,
    problem: str,
) -> tuple[list[str], list[Fix]]:
    dev = ctx.device
    texts: list[str] = []
    fixes: list[Fix] = []
    missing = by[Klass.UNIMPLEMENTED]
    if missing or hw["unsupported"]:
        texts.append(
            messages.OPS_UNSUPPORTED_CAUSE.format(
                device=dev,
                count=len(missing) + len(hw["unsupported"]),
                ops=_names(missing, [r.op for r in hw["unsupported"]]),
            )
        )
        fixes.append(messages.ops_unsupported_fix(getattr(ctx.torch, "__version__", None)))
    if problem:
        texts.append(messages.OPS_NO_OPDB.format(error=problem))
        fixes.append(messages.OPS_NO_OPDB_FIX)
    elif cov is not None and cov.source_note:
        texts.append(cov.source_note)
        fixes.append(messages.OPS_NO_OPDB_FIX)
    if by[Klass.KNOWN]:
        macos = cov.header.get("macos") if cov is not None else None
        texts.append(
            messages.OPS_KNOWN_CAUSE.format(
                count=len(by[Klass.KNOWN]),
                device=dev,
                macos=f" on macOS {macos}" if macos and dev.startswith("mps") else "",
                ops=_names(by[Klass.KNOWN]),
            )
        )
        fixes.append(messages.OPS_KNOWN_FIX)
    fallback = by[Klass.FALLBACK]
    if fallback or hw["fallback"]:
        texts.append(
            messages.OPS_FALLBACK_CAUSE.format(
                count=len(fallback) + len(hw["fallback"]),
                device=dev,
                ops=_names(fallback, [r.op for r in hw["fallback"]]),
            )
        )
        fixes.append(messages.OPS_KNOWN_FIX)
    return texts, fixes


@check(
    "ops.sweep",
    "Operations run natively on the device and agree with the CPU",
    tier=Tier.FULL,
    timeout_s=OPDB_BUDGET_S + 90,
)
def ops_sweep(ctx: Context) -> Outcome:
    hand = handwritten.sweep(ctx)
    cov, problem = opdb_coverage(ctx)
    return judge(ctx, hand, cov, problem)
