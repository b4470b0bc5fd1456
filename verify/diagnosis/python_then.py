"""host.python's "newest release does not support this Python" judged at the paste's own time
(issue 12). Pure: a row, the paste and the day it was written at the earliest in, a row out;
texts in verify.diagnosis.timeline_messages.

The rule (verify.rules.check_python) warns when today's newest torch has no wheel for the
Python: right for `verify` on this machine, wrong for a paste written years ago, whose Python
the releases of its day served. A 2023 report on Python 3.9 was no Python "stuck with older
releases" then (torch 2.0 and 2.1 had cp38-cp311 wheels); the warning only took "Fix first" from
the cause its thread established (an x86_64 interpreter, a torch too old, an app's own bug).

So for a paste the Python is measured against the newest final release out on the day the
paste was written at the earliest (verify.diagnosis.timeline.written_after: an interpreter's
build date, a nightly's date, the torch release shown, dates written out, package versions; the
release days are PyPI's, verify/data/torch_releases.json, verify.diagnosis.lag.finals):
- that release supports the Python: no warning (the row passes, saying against what);
- it does not: the warning names it and the day, and its fix today's range;
- the paste shows no day, or one before the releases read (torch 1.12, the first with MPS): its
  time is not known, and the rule's row stays.
A Python newer than today's newest release supports was newer than every earlier one's too: the
rule's row stays.
"""

from __future__ import annotations

from packaging.version import Version

from verify import compat
from verify.diagnosis import timeline_messages as then_msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.lag import finals
from verify.diagnosis.timeline import Written
from verify.model import Result, Status, passed, warned


def row(result: Result, pasted: Pasted, written: Written | None) -> Result | None:
    """host.python's warning of today's newest release, judged at the paste's time; None where
    it is not that warning (the rule's row stands)."""
    f = pasted.facts
    python = compat.release_of(f.python_version)
    if result.id != "host.python" or result.status is not Status.WARN or python is None:
        return None
    platform = "macos" if f.os == "Darwin" else "linux"  # as verify.rules.check_python
    latest = compat.latest_release()
    today = compat.python_range(latest, platform=platform)
    if today is None or compat.supports_python(latest, str(f.python_version), platform=platform):
        return None  # not the newest release's warning
    if Version(f"{python.major}.{python.minor}") > today[1]:
        return None  # too new for today's newest: too new for every earlier one too
    out = finals(written.after) if written is not None else []
    if written is None or not out:
        return None  # no day shown, or one before the releases read: today's rule stands
    reference = out[-1]
    served = compat.supports_python(reference, str(f.python_version), platform=platform)
    rng = compat.python_range(reference, platform=platform)
    if rng is None:
        return None
    if served:
        detail = (
            f"Python {f.python_version}: PyTorch {reference}, the newest release on "
            f"{written.after.isoformat()}, when the paste was written at the earliest, supports "
            f"Python {rng[0]}-{rng[1]}"
        )
        outcome = passed(detail, python=str(f.python_version), newest_then=str(reference))
        return Result.from_outcome(result.id, result.title, outcome, required=result.required)
    cause, fix = then_msg.python_limits_torch_then(
        str(f.python_version),
        newest_then=str(reference),
        range_then=f"{rng[0]}-{rng[1]}",
        written=written,
        newest_now=str(latest),
        range_now=today,
    )
    outcome = warned(cause, fix, python=str(f.python_version), newest_then=str(reference))
    found = Result.from_outcome(result.id, result.title, outcome, required=result.required)
    lines = (*pasted.evidence.get("python_version", [])[:1], written.line)
    return found.with_evidence(lines)
