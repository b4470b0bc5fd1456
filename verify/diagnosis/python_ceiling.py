"""Which Python pip's "(from versions: ...)" list gives away, as the host.python row (issue 12).

pip lists the torch releases that have a wheel for the interpreter it runs under, so the list
ends at the newest release for that Python on that platform: on macOS arm64 at 1.13.1 for Python
3.7, 2.4.1 for 3.8, 2.8.0 for 3.9 (verify/data/torch_releases.json, read from PyPI's wheels).
When the requirement pip could not meet asks for a later release, the Python is the cause, even
where the paste never prints it (unslothai/unsloth#7306: "Could not find a version that
satisfies the requirement torch>=2.10 (from versions: 1.9.0, ..., 2.8.0)" from macOS's own
Python 3.9). A list ending at 2.2.2 is the x86_64 interpreter's (verify.diagnosis.resolver), and
a list that meets the requirement says nothing of the Python.

Pure: Pasted in, Result out.
"""

from __future__ import annotations

import dataclasses

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

from verify import compat
from verify.diagnosis import install_messages as install_msg
from verify.diagnosis.envdump import Pasted
from verify.model import Result, failed

# the CPython minors whose last release a list can end at (3.7 is the oldest with arm64 wheels)
PYTHONS = tuple(f"3.{minor}" for minor in range(7, 16))


@dataclasses.dataclass(frozen=True)
class Ceiling:
    """What the list says: the newest release offered, the Pythons whose wheels end there, and
    the first release the requirement accepts, with the Pythons it ships wheels for."""

    requirement: str
    newest_offered: Version
    pythons: tuple[str, ...]  # the paste's own Python, or those the list points to
    python_shown: bool
    wanted: Version
    wanted_pythons: tuple[Version, Version]
    platform: str  # "macOS" or "Linux"


def read(pasted: Pasted) -> Ceiling | None:
    """The Python the list ends for, when it ends before the first release the requirement
    accepts; None when the list does not tell (no list, a list that meets the requirement, the
    x86_64 ceiling, an OS whose ranges are not recorded)."""
    clues = pasted.signs.get("sign.pip_no_torch") or []
    listed = pasted.signs.get("sign.pip_versions") or []
    if not clues or not listed:
        return None
    f = pasted.facts
    platform = _platform(pasted)
    if platform is None or f.machine == "x86_64":
        return None
    try:
        requirement = Requirement(str(clues[0].value))
    except InvalidRequirement:
        return None
    offered = [v for v in listed[0].value if not v.is_prerelease and not v.local]
    if not offered or not requirement.specifier:
        return None
    newest = max(offered)
    if newest == compat.LAST_MACOS_X86_64_WHEEL or any(
        requirement.specifier.contains(v) for v in offered
    ):
        return None
    accepted = compat.releases_accepted(requirement.specifier)
    wanted = accepted[0] if accepted else None
    if wanted is None or not wanted > newest:
        return None
    rng = compat.python_range(wanted, platform=platform)
    if rng is None:
        return None
    ends_here = tuple(
        py for py in PYTHONS if compat.newest_release_for_python(py, platform=platform) == newest
    )
    shown = compat.release_of(f.python_version)
    if shown is not None:
        mine = f"3.{shown.minor}"
        if mine not in ends_here:
            return None  # the list ends for another reason (an index, a mirror, a pin elsewhere)
        ends_here = (mine,)
    if not ends_here or any(rng[0] <= Version(py) <= rng[1] for py in ends_here):
        return None
    return Ceiling(
        str(requirement),
        newest,
        ends_here,
        shown is not None,
        wanted,
        rng,
        "macOS" if platform == "macos" else "Linux",
    )


def finding(result: Result, pasted: Pasted) -> Result | None:
    """The rule's host.python row as the list supports it, or None."""
    ceiling = read(pasted)
    if ceiling is None:
        return None
    cause, fix = install_msg.python_ceiling(
        requirement=ceiling.requirement,
        newest_offered=str(ceiling.newest_offered),
        pythons=ceiling.pythons,
        python_shown=ceiling.python_shown,
        wanted=str(ceiling.wanted),
        wanted_pythons=f"{ceiling.wanted_pythons[0]}-{ceiling.wanted_pythons[1]}",
        platform=ceiling.platform,
    )
    lines = [c.line for c in pasted.signs.get("sign.pip_versions", [])[:1]]
    lines += [c.line for c in pasted.signs.get("sign.pip_no_torch", [])]
    lines += pasted.evidence.get("python_version", [])
    row = Result.from_outcome(result.id, result.title, failed(cause, fix), required=True)
    return row.with_evidence(lines)


def _platform(pasted: Pasted) -> str | None:
    """Whose wheels pip looked at: macOS's for a Mac paste, Linux's for a Linux one."""
    os_name = pasted.facts.os
    if os_name == "Darwin" or (os_name is None and pasted.has("sign.mac_hint")):
        return "macos"
    if os_name == "Linux":
        return "linux"
    return None
