"""An MPS problem on a torch that later releases fixed: how far behind the paste's torch was
(issue 12). Pure: Pasted and the rows so far in, rows out; texts in
verify.diagnosis.behind_messages.

A maintainer's first answer to an MPS crash, a wrong value, an error inside an MPS kernel or
MPSGraph, or a torch.compile failure on "mps" is "update torch / try the nightly", and the threads
bear it out: the MPS backend was a prototype in 1.12 and has had kernel, MPSGraph and
Inductor fixes in every release since (pytorch/pytorch#92329: cumsum's negative dim, fixed
by #94530 for 2.0; #92615: LSTM training results, fixed for 2.0; #152155: a torch.compile Metal
kernel on 2.7.0, "should be fixed in the 2.8 timeframe"; ultralytics/yolov5#9107: "unsupported
datatype for constant" on 1.12.1, gone on the nightly; huggingface/transformers#31408: Whisper on
MPS with torch 2.3.0, "Upgrade to the latest version of torch"). The reading:

1. the kind of MPS problem the paste shows (`problem`): a crash in MPS / Metal (a native
   crash, a failed assertion of MPSGraph / MPSNDArray, MPSGraph's verifier), a torch.compile
   / Inductor error, a runtime error raised while the code used MPS, values that differ from
   the CPU's - and nothing torch prints about a limit it knows (those are verify.known_errors'
   rows: an op without a kernel, float64, out of memory, a macOS floor ...);
2. the torch the paste shows and the day it was written at the earliest (verify.diagnosis.timeline):
   which releases were out then, how many came after it by then and since (`lag`);
3. a warning row, `error.mps.fixed_in_newer_torch`, whose cause says both and whose fix is to
   update (to the newest release this Mac's macOS and chip still get) and re-run before
   anything else.

Never where the environment explains the failure (a failing row, an MPS error torch
recognises, MPS unavailable or not built, a sandbox, VM, container or remote session, Linux,
an x86_64 interpreter, an Intel Mac): those rows say what to fix and stay first. A warning, never
a failure: a wrong-results or healthy paste gets no failing row from it.
"""

from __future__ import annotations

from packaging.version import Version

from verify import compat, rules
from verify.diagnosis import behind_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.lag import finals, lag
from verify.diagnosis.paste import packages, trouble, versions
from verify.diagnosis.timeline import Written
from verify.model import Result, Status, warned

ROW_ID = "error.mps.fixed_in_newer_torch"  # verify.diagnosis.regressions' row: the same finding
TITLE = "Pasted failure: fixed in a newer PyTorch"

CRASH, COMPILE, RUNTIME, VALUES = trouble.CRASH, trouble.COMPILE, trouble.RUNTIME, trouble.VALUES
Problem = trouble.Problem


# MPS's first releases, before PyTorch 2.0 took the backend out of prototype ("[Beta] PyTorch MPS
# Backend ... improved correctness, stability, and operator coverage": the 2.0 release notes,
# https://pytorch.org/blog/pytorch-2.0-release/); their failures were the backend's own
# (pytorch/pytorch#92329 and #92615 on 1.13, ultralytics/yolov5#9107 on 1.12.1, all gone by 2.0)
PROTOTYPE_END = Version("2.0")


def problem(pasted: Pasted) -> Problem | None:
    """The MPS problem the paste shows (verify.diagnosis.paste.trouble's sign), or None. On a
    torch of MPS's prototype releases (1.12, 1.13) with MPS picked or shown in use, an exception
    said or shown to stop the run counts too, its message cut from the paste
    (DLR-RM/stable-baselines3#914: "With current pip version of PyTorch (1.12), it raises the
    following exception")."""
    for c in pasted.signs.get("sign.mps_problem") or []:
        kind, said = c.value
        return Problem(kind, c.line, said)
    release = compat.release_of(pasted.facts.torch_version)
    early = release is not None and compat.MPS_FIRST_RELEASE <= release < PROTOTYPE_END
    if early and (pasted.has("sign.mps_chosen") or pasted.has("sign.mps_work")):
        for c in pasted.signs.get("sign.raised") or []:
            return Problem(RUNTIME, c.line, str(c.value))
    return None


# where the environment explains an MPS failure: its own rows say what to fix
_ELSEWHERE = ("sign.sandbox", "sign.vm", "sign.container", "sign.linux_vm_on_mac", "sign.remote")


def rows(results: list[Result], pasted: Pasted, written: Written | None) -> list[Result]:
    """The warning row for an MPS problem no known message explains, on a torch that later
    releases followed; [] where the environment or a recognised message says more."""
    f = pasted.facts
    if pasted.errors or any(r.id == ROW_ID for r in results):
        return []
    if any(
        r.status is Status.FAIL or (r.id.startswith("error.") and r.status is Status.WARN)
        for r in results
    ):
        return []
    if f.os not in (None, "Darwin") or any(pasted.has(s) for s in _ELSEWHERE):
        return []
    if pasted.has("sign.cuda_build"):
        return []  # the error is a CUDA-only build's (vllm-project/vllm#1441: "Cannot find
        # CUDA_HOME"), verify.diagnosis.foreign_rows' row
    if f.mps_available is False or f.mps_built is False or f.machine == "x86_64":
        return []
    if (
        rules.apple_silicon(f) is False
        or pasted.has("sign.intel_cpu")
        or pasted.has("sign.amd_gpu")
    ):
        return []  # an Intel Mac: 2.2.2 is its last torch (verify.rules' row)
    found = problem(pasted)
    if found is None:
        return []
    where = lag(f.torch_version, written)
    target = _target(f.macos_version, f.python_version, where.newest_now)
    cause, fix = msg.fixed_in_newer_torch(found.kind, where, target)
    outcome = warned(
        cause, fix, detail=found.said, message=found.said, environment=False, said=True
    )
    row = Result.from_outcome(ROW_ID, TITLE, outcome, required=False)
    lines = [found.line, *pasted.evidence.get("torch_version", [])[:1]]
    if written is not None:
        lines.append(written.line)
    return [row.with_evidence(lines)]


def _target(macos: str | None, python: str | None, newest: Version) -> Version:
    """The newest release this Mac can take: its macOS still runs MPS there (verify.compat's
    floors) and its Python has a wheel; the newest release when neither is shown."""
    best = newest
    first_without = compat.newest_torch_for_macos(macos) if macos else None
    if first_without is not None:
        below = [v for v in finals() if v < first_without]
        if below:
            best = min(best, below[-1])
    for_python = compat.newest_release_for_python(python) if python else None
    if for_python is not None:
        best = min(best, for_python)
    return best


def app_torch(results: list[Result], pasted: Pasted, written: Written | None) -> list[Result]:
    """An application's own start-up log names an older torch than the paste's other lines
    (ComfyUI's "pytorch version: 2.1.2" under `pip show torch`'s 2.5.1: Comfy-Org/ComfyUI#6254):
    the application runs its own environment (a venv, an app bundle), and the upgrade went
    elsewhere. The torch.version row warns so, with how far behind the app's torch was; a row
    that already fails or warns is left as it is."""
    f = pasted.facts
    clues = pasted.signs.get("sign.app_torch") or []
    app = compat.release_of(str(clues[0].value)) if clues else None
    if app is None or f.os not in (None, "Darwin"):
        return results
    # the other torch versions the paste names (whichever won as the fact)
    named = [
        c
        for c in (*versions.read(pasted.text), *packages.read(pasted.text))
        if c.field == "torch_version" and (compat.release_of(str(c.value)) or app) > app
    ]
    if not named:
        return results
    other = named[0]
    where = lag(str(clues[0].value), written)
    cause, fix = msg.app_runs_older_torch(str(clues[0].value), str(other.value), where)
    out = []
    for r in results:
        if r.id == "torch.version" and r.status not in (Status.FAIL, Status.WARN):
            row = Result.from_outcome(r.id, r.title, warned(cause, fix), required=False)
            lines = [clues[0].line, other.line]
            if written is not None:
                lines.append(written.line)
            out.append(row.with_evidence(lines))
            continue
        out.append(r)
    return out
