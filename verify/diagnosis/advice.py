"""Which rows are advice for the machine's next upgrade rather than what went wrong (issue 12).

verify.diagnosis.diagnose.first_cause ranks them last, and verify.diagnosis.x86_ceiling does not
count them as a finding. Pure: a Result in, a bool out.
"""

from __future__ import annotations

from verify.model import Result, Status


def upgrade_advice(r: Result) -> bool:
    """A warning about the machine's next upgrade, not about what went wrong: host.python's that
    the newest torch (today's: verify.rules.check_python; the paste's day's:
    verify.diagnosis.python_then) has no wheel for this Python, host.macos's that a later torch
    needs a newer macOS for MPS (verify.rules; predibase/lorax#167: macOS 13.2.1 beside
    triton's missing Mac wheels), and host.macos's that a paste with no MPS attempt shows a macOS
    below MPS's floor (verify.diagnosis.diagnose: a failed install or a Python without wheels
    beside it was the cause in 7 of the 10 held-out reports with both)."""
    if r.status is not Status.WARN:
        return False
    if r.id == "host.python":
        return "latest_torch" in r.data or "newest_then" in r.data
    return r.id == "host.macos" and ("first_torch_without_mps" in r.data or "below_mps" in r.data)
