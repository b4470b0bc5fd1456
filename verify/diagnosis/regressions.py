"""An MPS failure that a newer torch fixed, with no message that explains it (issue 12).

Two kinds of paste say it without a known error message (pure: Pasted in, Result rows out):
- a nightly (a `.devYYYYMMDD` build) on which MPS fails or crashes: nightlies are snapshots
  with regressions that a later nightly or the release fixes (pytorch/pytorch#117465: "Failed to
  create indexing library" on 2.3.0.dev20240114, fixed in later nightlies while 2.1.2 worked;
  ultralytics/ultralytics#3591: a bus error training on MPS with 2.1.0.dev20230705, gone with a
  newer nightly);
- the paste itself names a torch release that fails and a later one that works
  (Code-Amadeus/Amadeus#67: 2.5.1 crashes in mps.matmul, 2.7.0 works on the same M4 Max).
The row is a pasted failure's (`error.mps.fixed_in_newer_torch`), a warning: the failure itself
is no message we can check. Not where the environment explains the failure (MPS unavailable,
a sandbox, VM or container): those rows say what to fix.
"""

from __future__ import annotations

from verify import compat
from verify import messages as msg
from verify.diagnosis import timeline
from verify.diagnosis.envdump import Pasted
from verify.model import Fix, Result, warned

ROW_ID = "error.mps.fixed_in_newer_torch"
TITLE = "Pasted failure: fixed in a newer PyTorch"
_ELSEWHERE = ("sign.sandbox", "sign.vm", "sign.container", "sign.linux_vm_on_mac", "sign.remote")


def rows(pasted: Pasted) -> list[Result]:
    f = pasted.facts
    # torch's fallback warning (mps.op_runs_on_cpu) says an op ran on the CPU: not the failure
    failing = [e for e in pasted.errors if e.id != "mps.op_runs_on_cpu"]
    if failing or f.mps_available is False or f.mps_built is False:
        return []
    if f.os not in (None, "Darwin") or any(pasted.has(s) for s in _ELSEWHERE):
        return []
    said = pasted.signs.get("sign.newer_torch_works") or []
    if said:
        old, new, line = said[0].value
        cause, fix = msg.pasted_newer_torch_works(str(old), str(new))
        return [_row(cause, fix, str(line), [c.line for c in said])]
    version = compat.parse_version(f.torch_version)
    failures = pasted.signs.get("sign.mps_failure_said") or []
    if version is None or not version.is_devrelease or not failures:
        return []
    release = compat.release_of(version)
    day = timeline.first_release_day(release) if release is not None else None
    cause, fix = msg.pasted_nightly_regression(
        str(f.torch_version), str(release), day.isoformat() if day else None
    )
    lines = [*pasted.evidence.get("torch_version", [])[:1], *(c.line for c in failures[:2])]
    return [_row(cause, fix, str(failures[0].value), lines)]


def _row(cause: str, fix: Fix, message: str, lines: list[str]) -> Result:
    outcome = warned(cause, fix, detail=message, message=message, environment=False, said=True)
    row = Result.from_outcome(ROW_ID, TITLE, outcome, required=False)
    return row.with_evidence(lines)
