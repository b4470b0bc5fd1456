"""`python -m verify diagnose FILE|-`: the same rules as the live verify, on someone else's paste.

diagnose(text) -> (Facts, [Result]): the pasted facts (verify.envdump) through verify.rules, with
"not in the pasted text" for what the text does not show, plus one `error.<id>` row per MPS error
message torch printed in it (verify.known_errors), plus, for a pasted verify report, the device
rows of that report as they were. Pure: text in, data out; the CLI renders it.

Error rows: an environment error (MPS not built, no MPS device / macOS too old) is a required
`fail`; a workload error (out of memory, an op without an MPS kernel, float64, tensors on two
devices) is not required, so the verdict says whether the environment is ready while the row still
says what went wrong and what to do.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from verify import compat, envdump, rules
from verify import messages as msg
from verify.errors import InputError
from verify.facts import Facts
from verify.known_errors import KnownError, required_macos
from verify.model import Fix, Outcome, Result, failed, warned

NOT_IN_TEXT = msg.NOT_IN_PASTED_TEXT


def diagnose(text: str) -> tuple[Facts, list[Result]]:
    """Facts and findings for pasted text; InputError (one line) when nothing in it is usable."""
    pasted = envdump.parse(text)
    facts = pasted.facts
    expect_mps = True if pasted.errors else None  # an MPS error message: MPS was being used
    results = rules.evaluate(facts, expect_mps=expect_mps, unknown_reason=NOT_IN_TEXT)
    if pasted.report is not None:
        results.extend(_report_rows(pasted.report, {r.id for r in results}))
    results.extend(error_result(e, facts) for e in pasted.errors)
    return facts, results


def error_result(known: KnownError, facts: Facts) -> Result:
    """One report row for an MPS error message found in the text."""
    cause, fix = _cause_and_fix(known, facts)
    data: dict[str, Any] = {"message": known.match, "environment": known.environment}
    make = failed if known.severity == "fail" else warned
    outcome: Outcome = make(cause, fix, detail=known.match, **data)
    return Result.from_outcome(
        f"error.{known.id}",
        f"Pasted error: {known.title or known.id}",
        outcome,
        required=known.environment,
    )


def _cause_and_fix(known: KnownError, facts: Facts) -> tuple[str, Fix]:
    """The pattern's cause, made specific where the pasted facts tell more."""
    if known.id == "mps.op_needs_newer_macos" and facts.translated:
        # torch under Rosetta reads macOS as 10.16 (pytorch/pytorch#146236)
        return msg.pasted_feature_needs_native(str(facts.macos_version or "?")), msg.ROSETTA_FIX
    if known.id != "mps.macos_too_old":
        return known.cause, known.fix
    named = compat.parse_version(required_macos(known))
    macos = compat.parse_version(facts.macos_version)
    if named is None or macos is None:
        return known.cause, known.fix
    floor = compat.mps_min_macos(facts.torch_version) if facts.torch_version else None
    if macos < named:
        return msg.pasted_macos_below_message(str(facts.macos_version), str(named)), known.fix
    if floor is not None and macos < floor:
        cause = msg.pasted_macos_below_torch_floor(
            str(facts.macos_version), str(facts.torch_version), str(floor), str(named)
        )
        return cause, known.fix
    return msg.pasted_no_metal_device(str(facts.macos_version), str(named))


def _report_rows(report: dict[str, Any], rule_ids: set[str]) -> list[Result]:
    """The pasted report's own rows (device checks and the like) that the rules do not redo."""
    rows = []
    for i, check in enumerate(report.get("checks") or []):
        if not isinstance(check, dict):
            raise InputError(
                f"the report's checks[{i}] is not an object", "Paste the whole report."
            )
        try:
            row = Result.from_dict(check)
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError(
                f"the report's checks[{i}] is not a valid check ({exc})", "Paste the whole report."
            ) from None
        if row.id in rule_ids:
            continue
        if row.status.value in ("fail", "warn") and not (row.cause and row.fix):
            # a row without cause/fix cannot be shown as a finding; keep what it says
            row = dataclasses.replace(
                row,
                cause=row.cause or row.detail or "the pasted report gives no cause",
                fix=row.fix or Fix("Re-run `python -m verify` on that machine for a full report."),
            )
        rows.append(dataclasses.replace(row, data={**row.data, "from_pasted_report": True}))
    return rows
