"""host.python / host.macos failing where another package's macOS wheels leave this Python or
this macOS out (issue 12).

pip's "from versions: none" and uv's "doesn't have a source distribution or wheel for the
current platform" say no file fits; for a package other than torch, which of the interpreter's
Python, its architecture or the macOS is what the files leave out is PyPI's to say
(verify.mac_wheels, read from PyPI):
- uv asking for a named release (or pip's list of releases ending below the one pinned) whose
  macOS wheels, of this Mac's architecture, serve other Pythons (local-voice-ai#21: kaldialign
  0.9.1, cp38-cp312, under 3.13; coreai-torch#4 and #20: coreai-core 1.0.0b1, cp311-cp312,
  under 3.13): host.python;
- pip compiling a package from source on a Python its macOS wheels of this architecture leave
  out before some release, or always (openinterpreter/openinterpreter#903: tiktoken under
  3.12.1, its first macOS wheels for 3.12 in 0.5.2): host.python;
- pip finding no release at all on a Python that the package's macOS wheels of this
  architecture did not serve yet when the paste was written (ray-project/ray#44014: ray's first
  macOS arm64 wheel for 3.12 came in June 2024; isl-org/Open3D#6346: open3d's for 3.11 in
  January 2024), a day read by verify.diagnosis.timeline: host.python;
- either, or pip compiling the package from source, where every macOS wheel of the package
  (of the release asked for; for this Python) is tagged for a newer macOS than the one shown, on
  every architecture it has any for (cansik/mediapipe-silicon#15: mediapipe-silicon's
  arm64-only wheels are macosx_12_0, the Mac ran Big Sur 11.3.1; docling-project/docling#749:
  docling-parse's wheels for Python 3.12 are macOS 13 and later, pip built it on Monterey and
  failed): host.macos.
For the Python, an unknown architecture counts only where both give the same answer. Pure: a
row, the paste and its day in, a row or None out; texts in
verify.diagnosis.package_wheels_messages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from packaging.utils import canonicalize_name

from verify import mac_wheels
from verify.diagnosis import package_wheels_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste.clues import Clue
from verify.diagnosis.paste.gpuonly import pinned_release
from verify.diagnosis.timeline import Written
from verify.mac_wheels import PythonLeftOut
from verify.model import Fix, Result, failed

# pip's lists of the releases it found: each one has a file for this interpreter
_LISTS = ("sign.pin_past_list", "sign.pin_before_list")
# what says no wheel of a package fit: uv's refusal of a release, pip's "from versions: none",
# pip compiling its sdist instead (and failing: the build's output)
REFUSALS = (
    "sign.release_no_mac_wheel",
    "sign.pin_past_list",
    # pip's list starting above the release asked for: PyPI's record says whether that release
    # left this Python out (kyutai-labs/moshi#394: mlx 0.26's macOS wheels end at cp313)
    "sign.pin_before_list",
    "sign.no_release_here",
    "sign.source_build",
    "sign.pin_said_failing",  # a sentence: the install fails for a pinned release (F5-TTS#95)
)


def python_row(result: Result, pasted: Pasted, written: Written | None) -> Result | None:
    """host.python failing with the package that leaves this Python out, or None."""
    f = pasted.facts
    if result.id != "host.python" or not f.python_version or not _a_mac(pasted):
        return None
    if f.python_implementation not in (None, "CPython"):
        return None
    arches = [f.machine] if f.machine in mac_wheels.ARCHES else list(mac_wheels.ARCHES)
    for sign in REFUSALS:
        clues = pasted.signs.get(sign) or []
        found = _python_left_out(clues[0], pasted, arches, written) if clues else None
        if found is None:
            continue
        left, (cause, fix) = found
        lines = [clues[0].line, *pasted.evidence.get("python_version", [])]
        if sign == "sign.no_release_here" and written is not None:
            lines.append(written.line)
        return _failed(result.id, result.title, cause, fix, tuple(lines), package=left.package.name)
    return None


def macos_row(result: Result, pasted: Pasted) -> Result | None:
    """host.macos failing with the package whose macOS wheels need a newer macOS, or None."""
    macos = pasted.facts.macos_version
    if result.id != "host.macos" or not macos or not _a_mac(pasted):
        return None
    for sign in REFUSALS:
        clues = pasted.signs.get(sign) or []
        if not clues:
            continue
        name, release = _asked(clues[0])
        left = mac_wheels.macos_left_out(name, str(macos), release, pasted.facts.python_version)
        if left is not None:
            cause, fix = msg.macos_left_out(left, release)
            lines = (clues[0].line, *pasted.evidence.get("macos_version", []))
            return _failed(result.id, result.title, cause, fix, lines, package=left.package.name)
    return None


def _a_mac(pasted: Pasted) -> bool:
    return pasted.facts.os in (None, "Darwin") and pasted.from_a_mac()


def _asked(refusal: Clue) -> tuple[str, str | None]:
    """The package and the release (None: any) a refusal names."""
    value = refusal.value
    if refusal.field == "sign.source_build":
        return str(value), None
    if refusal.field == "sign.release_no_mac_wheel":
        return value.name, value.version
    if refusal.field == "sign.pin_before_list":
        return value.name, value.release
    return value.name, pinned_release(value.requirement)


def _python_left_out(
    refusal: Clue, pasted: Pasted, arches: list[str], written: Written | None
) -> tuple[PythonLeftOut, tuple[str, Fix]] | None:
    """What a refusal says of this Python: pip's "none" against the releases out when the paste
    was written; a release asked for (uv's refusal, pip's list ending below it) against its own
    wheels. None where the wheels do not leave this Python out."""
    python, macos = str(pasted.facts.python_version), pasted.facts.macos_version
    name, release = _asked(refusal)
    if refusal.field == "sign.no_release_here":
        after = written.after if written is not None else None
        left = _agreed(mac_wheels.none_for_python(name, python, a, after, macos) for a in arches)
        return (left, msg.none_for_python(left)) if left is not None else None
    if refusal.field == "sign.source_build":
        # pip compiles a release with no wheel for this interpreter: where the package's wheels
        # leave this Python out before some release (or always), the release taken is one of
        # those, whatever the day (openinterpreter/openinterpreter#903: tiktoken, whose first
        # macOS wheels for 3.12 came with 0.5.2, built under 3.12.1 a month later, held by a pin)
        left = _agreed(mac_wheels.none_for_python(name, python, a, None, macos) for a in arches)
        return (left, msg.built_for_python(left)) if left is not None else None
    if release is None:
        return None
    if refusal.field in _LISTS:
        arches = _listing(name, arches)
    left = _agreed(mac_wheels.release_left_out(name, release, python, a, macos) for a in arches)
    return (left, msg.release_left_out(left, release)) if left is not None else None


def _listing(name: str, arches: list[str]) -> list[str]:
    """The architectures pip's list of releases can come from: a package with macOS wheels of
    one architecture only and no source to build lists none on the other (mlx's are arm64 ones:
    the interpreter that listed them is an arm64 one, whatever the paste leaves unsaid)."""
    package = mac_wheels.known().get(canonicalize_name(name))
    if package is None or package.buildable:
        return arches
    return [a for a in arches if package.runs.get(a)] or arches


def _agreed(verdicts: Iterable[PythonLeftOut | None]) -> PythonLeftOut | None:
    """The verdict where every architecture asked gives one (the first one's runs; with no
    architecture named where more than one was asked)."""
    found = list(verdicts)
    if not found or any(v is None for v in found):
        return None
    return found[0] if len(found) == 1 else dataclasses.replace(found[0], arch="")


def _failed(
    row_id: str, title: str, cause: str, fix: Fix, lines: tuple[str, ...], *, package: str
) -> Result:
    """The check failing; data["left_out_by"] names the package."""
    outcome = failed(cause, fix, left_out_by=package)
    return Result.from_outcome(row_id, title, outcome, required=True).with_evidence(lines)
