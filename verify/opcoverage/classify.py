"""Pure rules: what the worker measured (Raw) + torch's expectations -> a classified Row.

Known failures come from torch itself: on MPS from common_mps.py for this torch and macOS
(expectations.MpsExpectations), on every device from op_db's own expected-failure decorators on the
device-vs-CPU test (Raw.opdb_expected). A failure torch expects is `known` (warn, with the upstream
reference); one it does not expect is a `mismatch`, `raises` or `crashed` (fail), except a missing
kernel (NotImplementedError), which is `unimplemented` (warn: the fix is the CPU fallback or a newer
torch, not a bug report).
"""

from __future__ import annotations

from verify.messages import op_coverage_issue
from verify.opcoverage.expectations import MpsExpectations
from verify.opcoverage.model import Klass, Raw, Row

OPDB_TEST = {"mps": "TestConsistency.test_output_match", "cuda": "TestCommon.test_compare_cpu"}

SKIP_REASONS = {
    "unsupported-dtype": "op_db does not list {dtype} for this op on {device}",
    "random": "random output: {error}",
    "ambiguous": "not comparable: {error}",
    "cpu-error": "the CPU reference raised on every sample (nothing to compare)",
    "no-samples": "op_db gives no sample inputs for {dtype}",
    "not-run": "not run: {error}",
}


def _err(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3g}"


def known_reference(
    raw: Raw, device_type: str, mps: MpsExpectations | None, macos: str | None
) -> str:
    """Where torch says this (op, dtype) fails here; '' when it does not."""
    if device_type == "mps" and mps is not None:
        entry = mps.lookup(raw.key, raw.dtype, macos)
        if entry is not None:
            return mps.reference(entry)
    if raw.opdb_expected:
        test = OPDB_TEST.get(device_type, OPDB_TEST["cuda"])
        word = "an expected failure" if raw.opdb_expected == "xfail" else "skipped"
        return f"op_db marks {raw.op} {raw.dtype} as {word} in {test}"
    return ""


def classify(
    raw: Raw,
    device_type: str,
    mps: MpsExpectations | None = None,
    macos: str | None = None,
) -> Row:
    """One Row for one Raw; never raises."""
    row = Row(raw.op, raw.dtype, Klass.SKIPPED, raw=raw)
    if raw.outcome in SKIP_REASONS:
        row.detail = SKIP_REASONS[raw.outcome].format(
            dtype=raw.dtype, device=device_type, error=raw.error or "time bound reached"
        )
        return row
    known = known_reference(raw, device_type, mps, macos)
    if raw.outcome == "match":
        if raw.fallback:
            row.klass = Klass.FALLBACK
            row.detail = "ran on the CPU through the MPS fallback: " + ", ".join(raw.fallback_ops)
            row.reference = known
            return row
        row.klass = Klass.NATIVE
        err = _err(raw.max_abs_err)
        row.detail = f"{raw.samples} sample(s) match the CPU (largest error {err})"
        if known:
            row.detail += "; torch lists it as failing here, and it passes"
            row.reference = known
        return row
    if known:
        row.klass, row.reference = Klass.KNOWN, known
        row.detail = f"{raw.outcome}: {_what(raw)}"
        return row
    if raw.outcome == "mismatch":
        row.klass = Klass.MISMATCH
        row.detail = (
            f"largest error {_err(raw.max_abs_err)} in sample {raw.sample}"
            f" ({raw.sample_summary}): {raw.error}"
        )
    elif raw.outcome == "raises" and raw.not_implemented:
        row.klass = Klass.UNIMPLEMENTED
        row.detail = raw.error
        # the issue torch's own "not currently implemented for the MPS device" error names
        if device_type == "mps":
            row.reference = op_coverage_issue(mps.torch_version if mps else None)
    elif raw.outcome == "raises":
        row.klass = Klass.RAISES
        where = f" in sample {raw.sample} ({raw.sample_summary})" if raw.sample is not None else ""
        row.detail = f"{raw.error}{where}"
    else:  # crashed, or an outcome this version does not know: never a silent pass
        row.klass = Klass.CRASHED
        row.detail = raw.error or raw.outcome
    return row


def _what(raw: Raw) -> str:
    if raw.outcome == "mismatch":
        return f"largest error {_err(raw.max_abs_err)} in sample {raw.sample}"
    return raw.error or raw.outcome
