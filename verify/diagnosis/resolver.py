"""What an installer's refusal gives away, as the host.arch / torch.installed row (issue 12).

verify.diagnosis.paste.packages reads pip's, uv's, Poetry's, conda's and libmamba's refusals into
facts and
signs; this module reasons across them (pure: Pasted in, Pasted / Result out):

- x86_64 ceiling: pip's "(from versions: ... 2.2.2)" for a later torch, uv's `macosx_*_x86_64`
  tag, conda / libmamba finding no pytorch past 2.2.2 on osx-64, or (`infer`) "no wheel for the
  current platform" for a release that has arm64 wheels for this Python: an x86_64 interpreter
  on macOS, since PyTorch's macOS x86_64 builds end at 2.2.2. The chip says Rosetta or Intel Mac
  (verify.rules); where the paste names none, the host.arch row says what the installer proves
  and how to tell the two apart.
- a pin resolved for another system, the torch.installed row: uv naming only Linux / Windows
  wheels for the requested release ("only has wheels for the following platform:
  `manylinux1_x86_64`"), a lock file whose environments leave out darwin, pip looking only in a
  CUDA / ROCm index, a +cpu build. The host.python row then does not restate it (`explains`).
- a CUDA-only conda package (pytorch-cuda, pytorch-gpu, cudatoolkit) that a conda / mamba / pixi
  solve for a Mac found no candidate for, or a pixi manifest without this Mac's platform: the
  torch.installed row (rerun-io/prompt-da#2);
- a Python package with no macOS build at all (onnxruntime-gpu, nvidia-*-cu12, triton: PyPI's
  facts in verify/data/gpu_only_packages.json) that pip / uv / Poetry found nothing for: the
  torch.installed row, naming the package, who required it and what a Mac installs instead.
"""

from __future__ import annotations

import dataclasses
import re

from packaging.utils import canonicalize_name

from verify import compat, mac_wheels
from verify import messages as msg
from verify.diagnosis import foreign_rows, install_rows
from verify.diagnosis import platform_messages as platform_msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste import claims, packages
from verify.diagnosis.paste.clues import Clue
from verify.diagnosis.paste.gpuonly import (
    NoRelease,
    PinPastList,
    Refusal,
    ReleaseWithoutMacWheel,
)
from verify.model import Fix, Result, Status, failed, warned


def infer(pasted: Pasted) -> Pasted:
    """The interpreter's architecture by elimination: on macOS, "no wheel for the current
    platform" for a pinned torch past 2.2.2 that has macOS arm64 wheels for this Python leaves
    only an x86_64 interpreter (astral-sh/uv#8358: uv 0.4 prints no tag, Python 3.9.12 and torch
    2.5.0, whose cp39 macosx_11_0_arm64 wheel exists)."""
    pasted = _refused_for_its_python(pasted)
    f = pasted.facts
    unknown_os = f.os is None and _no_file_fits(pasted)
    if not (f.os == "Darwin" or unknown_os) or f.machine is not None or not f.python_version:
        return pasted
    clues = [
        *(pasted.signs.get("sign.pip_no_torch") or []),
        *(pasted.signs.get("sign.every_wheel_skipped") or []),
    ]
    # a local build (+cpu, +cu121) is in no macOS wheel's name on either architecture, so not
    # finding one says nothing of the interpreter's (_cpu_requirement, gpu_build_on_mac; with
    # no OS read, _cpu_build): NBA-Betting/NBA_AI#31's torch==2.8.0+cpu on macOS, Python 3.12
    clues = [c for c in clues if "+" not in str(c.value)]
    pinned = [str(c.value).partition("==")[2] for c in clues]
    if not any(
        _past_2_2_2(f"torch=={p}") and compat.supports_python(p, f.python_version) is True
        for p in pinned
        if p
    ):
        return pasted
    because = [c.line for c in clues][:2] + pasted.evidence.get("python_version", [])[:1]
    changes: dict[str, object] = {"machine": "x86_64"}
    evidence = {**pasted.evidence, "machine": because}
    if f.hardware_arm64 is True:
        changes["translated"] = True
        evidence["translated"] = because
    signs = pasted.signs
    if unknown_os:
        # no OS in the paste: the release ships this Python's wheels for macOS arm64, Linux
        # (x86_64, aarch64) and Windows, and the installer found none of them fit, which leaves
        # macOS x86_64 (mindverse/Second-Me#32: Poetry skipped all 17 torch 2.5.1 wheels for
        # Python 3.12 on an Intel Mac; 32-bit or musl Pythons are the rare others, which the
        # row names)
        changes["os"] = "Darwin"
        evidence["os"] = because
        sign = Clue("sign.platform_by_elimination", "macOS x86_64", because[0])
        signs = {**signs, sign.field: [sign]}
    return dataclasses.replace(pasted, facts=f.merged(**changes), evidence=evidence, signs=signs)


def _refused_for_its_python(pasted: Pasted) -> Pasted:
    """pip refusing an arm64 macOS wheel reads as an x86_64 interpreter
    (verify.diagnosis.paste.packages) only while nothing else explains it: a wheel built for
    another CPython than the paste's Python is refused for that (pytorch/pytorch#4802: a cp35
    wheel on Python 3.6), so the architecture stays unknown when the refusal is its only
    evidence."""
    f = pasted.facts
    python = compat.release_of(f.python_version)
    lines = pasted.evidence.get("machine", [])
    refused = pasted.signs.get("sign.wheel_refused") or []
    if python is None or f.machine != "x86_64" or not lines or not refused:
        return pasted
    if not all("is not a supported wheel" in line for line in lines):
        return pasted
    mine = f"3.{python.minor}"
    if not any(c.value[3] == "macos" and c.value[2] not in ("", mine) for c in refused):
        return pasted
    evidence = {k: v for k, v in pasted.evidence.items() if k not in ("machine", "translated")}
    facts = f.merged(machine=None, translated=None)
    return dataclasses.replace(pasted, facts=facts, evidence=evidence)


def _no_file_fits(pasted: Pasted) -> bool:
    """Did the installer say no file of the release fits this interpreter at all (Poetry skipped
    every wheel for its tags; uv found no wheel "for the current platform"), rather than only
    that no version matched (pip's list, which an index or a network can also empty)?"""
    if pasted.has("sign.gpu_index") or pasted.has("sign.wheel_platforms"):
        return False
    return pasted.has("sign.every_wheel_skipped") or any(
        "current platform" in c.line for c in pasted.signs.get("sign.pip_no_torch") or []
    )


def finding(result: Result, pasted: Pasted) -> Result | None:
    """The row the installer's words support in place of the rule's, or None."""
    if result.id == "host.arch" and result.status is Status.SKIP:
        return install_rows.finding(result, pasted) or _x86_64_python(result, pasted)
    if result.id == "host.arch" and result.status is Status.PASS:
        return _intel_mac_newest_torch(result, pasted) or install_rows.finding(result, pasted)
    if result.id in ("host.python", "host.arch", "host.os", "host.macos"):
        return install_rows.finding(result, pasted)
    if result.id == "torch.installed" and result.status is not Status.FAIL:
        if pasted.facts.machine == "x86_64" and x86_64_ceiling(pasted):
            return None  # an x86_64 interpreter is the cause (host.arch); the pin follows from it
        return (
            _no_macos_wheel(result, pasted)
            or _lock_other_platform(result, pasted)
            or _gpu_index(result, pasted)
            or _cpu_build(result, pasted)
            or _cuda_conda_package(result, pasted)
            or _gpu_only_package(result, pasted)
            or _pin_before_arm64_wheels(result, pasted)
            or _release_without_mac_wheel(result, pasted)
            or _no_release_here(result, pasted)
            or _pin_past_list(result, pasted)
            or _platform_not_declared(result, pasted)
            or _bad_cpu_type(result, pasted)
            or foreign_rows.finding(result, pasted)
            or install_rows.finding(result, pasted)
            or _torch_not_imported(result, pasted)
        )
    return None


def x86_64_ceiling(pasted: Pasted) -> bool:
    """Did the installer find no torch for an x86_64 macOS interpreter because it asked for a
    release past 2.2.2? pip's list ending at 2.2.x (or uv's x86_64 tag) says so by itself; a
    bare "no wheel for the current platform" does once the paste shows the x86_64 interpreter
    (astral-sh/uv#8358: uv 0.4 on an Intel Mac, no hint)."""
    if pasted.has("sign.pip_x86_only"):
        return True
    f = pasted.facts
    if f.os != "Darwin" or f.machine != "x86_64":
        return False
    clues = pasted.signs.get("sign.pip_no_torch") or []
    return any(_past_2_2_2(str(c.value)) for c in clues) or (
        bool(clues) and install_rows.python_past_x86_64_wheels(f.python_version)
    )


def asks_past_x86_64(pasted: Pasted) -> bool:
    """Does the text ask for a torch release past 2.2.2 ("requires torch=2.5.1", "pip install
    torch==2.6.0", "torch>=2.5.1"), which has no macOS x86_64 wheel (everycure-org/matrix#932,
    TerraLabAI/QGIS_AI-Segmentation#160)?"""
    asked = [
        *pasted.signs.get("sign.torch_requested", []),
        *pasted.signs.get("sign.torch_at_least", []),
    ]
    return any(_past_2_2_2(f"torch=={c.value}") for c in asked)


def _past_2_2_2(requirement: str) -> bool:
    pinned = compat.release_of(requirement.partition("==")[2].split("+")[0])
    return pinned is not None and pinned > compat.LAST_MACOS_X86_64_WHEEL


def explains(pasted: Pasted) -> bool:
    """Does the installer's output itself say why no torch was found for this platform (uv named
    the platforms the release has wheels for; pip looked only in a CUDA / ROCm index)? Then the
    Python row does not restate it as a Python problem."""
    return (
        (pasted.has("sign.wheel_platforms") and not _python_left_out(pasted))
        or pasted.has("sign.lock_other_platform")
        or _only_gpu_index(pasted)
        or _cpu_requirement(pasted) is not None
        or gpu_build_on_mac(pasted) is not None
    )


def gpu_build_on_mac(pasted: Pasted) -> str | None:
    """The CUDA / ROCm build (torch==1.13.1+cu117) an install asked for on a Mac, or where pip's
    list shows this platform has no such builds; None otherwise. No Python has that wheel
    there, so the pin, not the Python, is what to fix first (InternLM/InternLM#21: +cu117 on
    macOS with Python 3.11, whose plain 1.13.1 does not exist either: torch.installed says so).
    A Mac named only in words counts where no other system is read (dubr1k/GigaAMGUI#3: "No
    matching distribution found for torch==2.6.0+cu124" under the title "... на macos")."""
    if not (pasted.mac_in_words() or pasted.has("sign.no_gpu_builds")):
        return None
    for c in pasted.signs.get("sign.pip_no_torch") or []:
        if packages.GPU_BUILD.search(str(c.value).partition("==")[2]):
            return str(c.value)
    return None


def _only_gpu_index(pasted: Pasted) -> bool:
    """pip looked in a CUDA / ROCm index on a Mac: macOS read, or a Mac named in words (pip
    finding no torch in that index names no other system)."""
    return (
        pasted.facts.os in (None, "Darwin")
        and pasted.mac_in_words()
        and pasted.has("sign.gpu_index")
    )


def _x86_64_python(result: Result, pasted: Pasted) -> Result | None:
    f = pasted.facts
    if f.os != "Darwin" or f.machine != "x86_64" or not x86_64_ceiling(pasted):
        return None
    wanted = _requirement(pasted)
    cause, fix = msg.pasted_x86_64_python(wanted)
    lines = _lines(pasted, "sign.pip_x86_only", "sign.pip_no_torch", "macos_version")
    return _failed(result, cause, fix, lines, machine="x86_64")


def _intel_mac_newest_torch(result: Result, pasted: Pasted) -> Result | None:
    """An install of the newest torch (or of one past 2.2.2) failed on an Intel Mac: PyTorch's
    macOS x86_64 wheels end at 2.2.2 (astral-sh/uv#10085 on an i7-1068NG7, a duplicate of
    astral-sh/uv#8358)."""
    f = pasted.facts
    clues = pasted.signs.get("sign.torch_install_failed") or []
    if not clues or f.os != "Darwin" or f.hardware_arm64 is not False or f.machine != "x86_64":
        return None
    cause, fix = platform_msg.intel_mac_newest_torch(str(clues[0].value))
    lines = _lines(pasted, "sign.torch_install_failed", "chip", "sign.intel_cpu", "macos_version")
    return _failed(result, cause, fix, lines, machine="x86_64")


def _no_macos_wheel(result: Result, pasted: Pasted) -> Result | None:
    f = pasted.facts
    clues = pasted.signs.get("sign.wheel_platforms") or []
    if f.os != "Darwin" or not clues:
        return None
    platforms: tuple[str, ...] = tuple(clues[0].value)
    if not platforms or any(p.startswith("macosx_") for p in platforms):
        return None
    requirement = _requirement(pasted) or "torch"
    cause, fix = msg.pasted_no_macos_wheel(
        requirement, ", ".join(platforms), python_note(requirement, f.python_version)
    )
    lines = _lines(pasted, "sign.wheel_platforms", "sign.pip_no_torch")
    return _failed(result, cause, fix, lines, platforms=list(platforms))


def _lock_other_platform(result: Result, pasted: Pasted) -> Result | None:
    """uv refuses the project's lock file: it was resolved for other systems only (a
    `[tool.uv].environments` without darwin), so torch cannot be installed here; the error
    itself says this machine is not one of them (a Mac, whether or not the paste says so)."""
    f = pasted.facts
    clues = pasted.signs.get("sign.lock_other_platform") or []
    if not clues or f.os == "Linux":
        return None  # (on Linux a linux-only lock is not what failed)
    cause, fix = msg.pasted_lock_other_platform(str(clues[0].value))
    return _failed(result, cause, fix, _lines(pasted, "sign.lock_other_platform"))


def _gpu_index(result: Result, pasted: Pasted) -> Result | None:
    """pip on a Mac looked only in PyTorch's CUDA / ROCm index and found no torch: that index has
    no macOS wheels (zsyOAOA/InvSR#13: --index-url .../whl/cu121 on an M1 Pro). pip's own words
    may be missing where a program ran it: Python's CalledProcessError for that command, exit
    status non-zero, says it failed (tin2tin/Pallaidium#3: a Blender add-on's pip on a Mac)."""
    if not _only_gpu_index(pasted):
        return None
    ran_and_failed = any("CalledProcessError" in c.line for c in pasted.signs["sign.gpu_index"])
    if not pasted.has("sign.pip_no_torch") and not ran_and_failed:
        return None
    index = str(pasted.signs["sign.gpu_index"][0].value)
    cause, fix = msg.pasted_gpu_index_on_mac(_requirement(pasted) or "torch", index)
    lines = _lines(pasted, "sign.gpu_index", "sign.pip_no_torch", "chip")
    return _failed(result, cause, fix, lines, index=index)


def _cpu_build(result: Result, pasted: Pasted) -> Result | None:
    """A +cpu build asked for on a Mac (pip, uv, Poetry): PyTorch's CPU index publishes +cpu wheels
    for Linux and Windows only; macOS wheels carry no local version (Josh-XT/AGiXT#566: Poetry
    markers sent Apple silicon to torch 2.0.1+cpu; i-am-bee/beeai-framework#1673)."""
    requirement = _cpu_requirement(pasted)
    if requirement is None:
        return None
    if pasted.facts.os == "Linux" and pasted.has("sign.linux_vm_on_mac"):
        # Linux in a container on an Apple chip (astral-sh/uv#9878: torch==2.5.1+cpu in a
        # Debian devcontainer on an M1)
        cause, fix = msg.pasted_cpu_build_in_arm_linux(requirement)
        lines = _lines(pasted, "sign.pip_no_torch", "sign.linux_vm_on_mac")
        return _failed(result, cause, fix, lines)
    cause, fix = msg.pasted_cpu_build_on_mac(requirement)
    return _failed(result, cause, fix, _lines(pasted, "sign.pip_no_torch"))


def _on_a_mac(pasted: Pasted) -> bool:
    subdir = pasted.facts.conda_subdir or ""
    return pasted.from_a_mac() or subdir.startswith("osx")


def _cuda_conda_package(result: Result, pasted: Pasted) -> Result | None:
    """A conda / pixi / mamba solve on a Mac refused a CUDA-only package (pytorch-cuda,
    pytorch-gpu, cudatoolkit: no osx-64 / osx-arm64 builds exist; rerun-io/prompt-da#2)."""
    clues = pasted.signs.get("sign.cuda_conda_package") or []
    # with no OS in the paste, a solver refusing CUDA-only builds is read as a Mac's (Linux and
    # Windows have them; patriciogonzalezvivo/prisma#1: an environment.yml of cuda11.3 builds
    # and ResolvePackageNotFound, the Mac named only later in the thread)
    if not clues or not (_on_a_mac(pasted) or pasted.facts.os is None):
        return None
    subdir = pasted.facts.conda_subdir
    cause, fix = platform_msg.cuda_conda_package(str(clues[0].value), subdir)
    lines = _lines(pasted, "sign.cuda_conda_package", "sign.platform_not_declared", "conda_subdir")
    return _failed(result, cause, fix, lines, package=str(clues[0].value))


def _gpu_only_package(result: Result, pasted: Pasted) -> Result | None:
    """pip / uv / Poetry found nothing for a package that publishes no macOS build at all
    (onnxruntime-gpu, nvidia-cublas-cu12: verify.diagnosis.paste.gpuonly, m-bain/whisperX#540).
    As for the CUDA conda packages, a paste that names no OS is read as a Mac's: those packages
    install on Linux x86_64 and Windows (Mangio621/Mangio-RVC-Fork#9, whisperX#540: the Mac
    named only in the title or the thread)."""
    refusals: list[Refusal] = [c.value for c in pasted.signs.get("sign.gpu_only_package") or []]
    if pasted.facts.os == "Linux":
        # the install ran in Linux, a container or VM on the Mac among them (a Docker build on
        # Apple silicon: phildougherty/sesame_csm_openai#15): host.os's row is the cause
        return None
    if not _on_a_mac(pasted):
        # no OS in the paste: only a package with Linux and Windows wheels leaves macOS as the
        # system refused (triton, Linux-only, fails on Windows as well: PKU-YuanGroup/
        # MagicTime#22); a Linux or Windows paste is not a Mac's
        if pasted.facts.os is not None:
            return None
        # a package with Linux wheels only leaves Windows and macOS: the Mac the text names,
        # however weakly ("in MacOS", pytorch/FBGEMM#1985; "Package does not exist on macOS
        # (intel)", triton-lang/triton#1465), tells them apart (verify.diagnosis.paste.foreign)
        if not pasted.has("sign.mac_named"):
            refusals = [r for r in refusals if r.package.leaves_only_macos()]
    if not refusals:
        return None
    refusal = refusals[0]
    cause, fix = platform_msg.gpu_only_package(refusal)
    lines = _lines(pasted, "sign.gpu_only_package", "chip", "macos_version")
    return _failed(result, cause, fix, lines, package=refusal.package.name)


def _pin_before_arm64_wheels(result: Result, pasted: Pasted) -> Result | None:
    """pip on an Apple chip refusing a torch pinned below the first macOS arm64 wheel (1.9.0):
    no release that old has one, whatever the Python (marl-book/codebase#19: torch==1.8.* on
    an M2, "from versions: 1.12.0, ..."). An x86_64 Python (Rosetta) gets the Intel build instead:
    that is host.arch's finding."""
    f = pasted.facts
    if f.hardware_arm64 is not True or f.machine == "x86_64" or f.os not in (None, "Darwin"):
        return None
    for c in pasted.signs.get("sign.pip_no_torch") or []:
        pinned = _PINNED.search(str(c.value))
        version = compat.parse_version(pinned.group(1)) if pinned else None
        if version is not None and version < compat.FIRST_MACOS_ARM64_WHEEL:
            cause, fix = platform_msg.pin_before_arm64_wheels(pinned.group(1))
            lines = (c.line, *_lines(pasted, "chip"))
            return _failed(result, cause, fix, lines, pinned=pinned.group(1))
    return None


# the release a refused requirement pins ("torch==1.8.*", "torch==1.8.1")
_PINNED = re.compile(r"==\s*(\d+(?:\.\d+)*)")


def _release_without_mac_wheel(result: Result, pasted: Pasted) -> Result | None:
    """uv: the release the install asked for of another package has wheels for other systems
    only, for this interpreter (huggingface/smol-course#286: a lock file's bitsandbytes 0.45.0,
    manylinux_2_24_x86_64 and win_amd64, on macOS 26 arm64). uv's hint is this Mac's own."""
    clues = pasted.signs.get("sign.release_no_mac_wheel") or []
    if not clues:
        return None
    release: ReleaseWithoutMacWheel = clues[0].value
    cause, fix = platform_msg.release_without_mac_wheel(release, pasted.facts.python_version)
    lines = _lines(pasted, "sign.release_no_mac_wheel", "python_version")
    return _failed(result, cause, fix, lines, package=release.name)


# NVIDIA's CUDA itself by name (cuda, cuda-python, pycuda, cuda-toolkit): asked of pip on a Mac it
# is the user (or a guide) reaching for CUDA, which no Mac has, not a dependency the environment
# lacks (MouseLand/Kilosort#674: "pip install cuda" and "pip install cuda-python" on an M-series
# Mac, the fault the thread found elsewhere)
CUDA_ITSELF = re.compile(r"^(?:py)?cuda(?:-python|-toolkit)?$")


def _no_release_here(result: Result, pasted: Pasted) -> Result | None:
    """pip on a Mac found no release at all of another package ("from versions: none"): none
    ships a file this Mac can install (pyg-team/pytorch_geometric#6362: pyg-lib on an M1 Max;
    dmlc/decord#335). Only where the paste is a Mac's: on Linux or Windows, or with no system
    named, it says nothing about this one."""
    clues = pasted.signs.get("sign.no_release_here") or []
    if not clues or pasted.facts.os not in (None, "Darwin") or not pasted.from_a_mac():
        return None
    refusal: NoRelease = clues[0].value
    if CUDA_ITSELF.match(canonicalize_name(refusal.name)):
        cause, fix = platform_msg.cuda_itself_refused(refusal.name)
        lines = _lines(pasted, "sign.no_release_here", "chip")
        outcome = warned(cause, fix, package=refusal.requirement)
        return Result.from_outcome(result.id, result.title, outcome).with_evidence(lines)
    arm64_only = canonicalize_name(refusal.name) in mac_wheels.arm64_only()
    if pasted.facts.machine == "x86_64" and arm64_only:
        return None  # arm64-only wheels: the x86_64 interpreter is the cause (.paste.armonly)
    # Intel-only wheels explain "none" for a native arm64 Python only (an Intel Mac finds them)
    apple_arm64 = pasted.facts.machine != "x86_64" and pasted.facts.hardware_arm64 is not False
    intel_only = mac_wheels.x86_64_only(refusal.name) if apple_arm64 else None
    cause, fix = platform_msg.no_release_here(refusal, pasted.facts.python_version, intel_only)
    lines = _lines(pasted, "sign.no_release_here", "chip", "python_version")
    return _failed(result, cause, fix, lines, package=refusal.requirement)


def _pin_past_list(result: Result, pasted: Pasted) -> Result | None:
    """pip on a Mac lists another package only up to a release below the one asked for: that
    release has no file this Mac's interpreter can install (axolotl-ai-cloud/axolotl#1436:
    bitsandbytes==0.43.0, the list ending at 0.42.0). Only where the paste is a Mac's, or names
    a Mac with no other system shown (its title: "No matching distribution found for
    bitsandbytes==0.43.0 for macOS"). An x86_64 interpreter's list ending early is that
    interpreter's story, host.arch's (huggingface/lerobot's torchcodec>=0.2.1 on an Intel Mac:
    meta-pytorch/torchcodec#608)."""
    clues = pasted.signs.get("sign.pin_past_list") or []
    if not clues or pasted.facts.os not in (None, "Darwin") or pasted.facts.machine == "x86_64":
        return None
    if not (pasted.from_a_mac() or claims.MAC_NAMED.search(pasted.text)):
        return None
    refusal: PinPastList = clues[0].value
    cause, fix = platform_msg.pin_past_list(refusal, pasted.facts.python_version)
    lines = _lines(pasted, "sign.pin_past_list", "chip", "python_version")
    return _failed(result, cause, fix, lines, package=refusal.requirement)


def _platform_not_declared(result: Result, pasted: Pasted) -> Result | None:
    """pixi refuses to install on this Mac: the manifest's platforms leave it out."""
    clues = pasted.signs.get("sign.platform_not_declared") or []
    subdir = str(clues[0].value) if clues else ""
    if not subdir.startswith("osx"):
        return None
    cause, fix = platform_msg.platform_not_declared(subdir)
    return _failed(result, cause, fix, _lines(pasted, "sign.platform_not_declared"))


def _torch_not_imported(result: Result, pasted: Pasted) -> Result | None:
    """Python's "No module named 'torch'" where no torch is shown running: the interpreter that
    ran the code has no torch (wladradchenko/wunjo.wladradchenko.ru#46: a macOS app bundle
    built without it). A warning: the paste does not show that this Python is the one torch was
    meant for (an app's helper script, a tool's own environment). In a container or a Linux VM
    on the Mac that Python is the guest's, whose row is host.os's (runpod-workers/worker-a1111#49:
    a Docker build on an M1 Max)."""
    clues = pasted.signs.get("sign.torch_not_imported") or []
    if not clues or pasted.facts.mps_available is not None or pasted.has("sign.mps_work"):
        return None
    if pasted.has("sign.container") or pasted.has("sign.linux_vm_on_mac"):
        return None
    cause, fix = platform_msg.torch_not_imported()
    row = Result.from_outcome(result.id, result.title, warned(cause, fix))
    return row.with_evidence(_lines(pasted, "sign.torch_not_imported"))


def _bad_cpu_type(result: Result, pasted: Pasted) -> Result | None:
    """macOS refused to run an executable ("Bad CPU type in executable") on an Apple chip: it
    is an x86_64-only binary and Rosetta 2 is not installed (cyberbotics/webots#6805: the
    webots-controller launcher, built on an x64 runner, on an M4). On an Intel Mac the same
    words are an arm64-only binary: host.arch's Intel Mac (verify.diagnosis.diagnose
    .expect_mps). Not where the text names an Intel CPU as well (w-okada/voice-changer#231: "it
    works on my m1, but on my intel hackintosh" it is refused)."""
    clues = pasted.signs.get("sign.bad_cpu_type") or []
    if not clues or pasted.facts.hardware_arm64 is not True or pasted.has("sign.intel_cpu"):
        return None
    cause, fix = platform_msg.bad_cpu_type_on_apple_silicon()
    return _failed(result, cause, fix, _lines(pasted, "sign.bad_cpu_type", "chip"))


def _cpu_requirement(pasted: Pasted) -> str | None:
    """The +cpu torch the installer found nothing for, on a Mac; None otherwise. PyTorch's own
    index and links page have +cpu wheels for Linux and Windows, so a +cpu pin pip found nothing
    for there, with only plain releases in its list, leaves a Mac where the text names one
    however weakly ("OS: [e.g. iOS] MacOS" in a bug template: bigsk1/voice-chat-ai#19, "Looking
    in links: https://download.pytorch.org/whl/torch_stable.html")."""
    if not pasted.mac_in_words():
        return None
    if not pasted.from_a_mac() and not pasted.has("sign.no_cpu_builds"):
        return None  # a Mac named only in words: pip's list must show no +cpu builds here
    for c in pasted.signs.get("sign.pip_no_torch") or []:
        if str(c.value).partition("==")[2].endswith("+cpu"):
            return str(c.value)
    return None


def _python_left_out(pasted: Pasted) -> bool:
    """uv naming only other platforms' wheels for a macOS release that has no macOS wheel for
    this Python at all: uv's hint lists the wheels of this Python's tag, so the Python is what
    the release leaves out as much as the pin does, and the host.python row says so beside the
    torch.installed one (doobidoo/mcp-memory-service#29: Homebrew's CPython 3.13.3 and torch
    2.5.1, "only has wheels for the following platform: `manylinux1_x86_64`", the maintainer
    confirmed no wheel for that Python; #78, the same lock, fixed by a newer torch pin)."""
    if pasted.facts.os != "Darwin" or not pasted.has("sign.wheel_platforms"):
        return False
    requirement = _requirement(pasted)
    return bool(requirement) and bool(python_note(requirement, pasted.facts.python_version))


def python_note(requirement: str, python: str | None) -> str:
    """uv lists the wheels for this Python's ABI tags: where the release has no macOS wheel
    for this Python at all, say so (https://pypi.org/pypi/torch/json, read 2026-11-30: torch
    2.5.1's only cp313 file is cp313-cp313-manylinux1_x86_64; uv prints that hint for it on
    macOS: astral-sh/uv#10739)."""
    pinned = requirement.partition("==")[2]
    if not pinned or not python or compat.supports_python(pinned, python) is not False:
        return ""
    rng = compat.python_range(pinned)
    if rng is None:
        return ""
    note = f"; torch {pinned}'s macOS wheels cover Python {rng[0]}-{rng[1]}, not {python}"
    first = _first_release_for(python)
    return note + (f" (macOS wheels for it start with torch {first})" if first else "")


def _first_release_for(python: str) -> str | None:
    py = compat.release_of(python)
    if py is None:
        return None
    minor = compat.parse_version(f"{py.major}.{py.minor}")
    for first, lo, hi in compat.python_ranges("macos"):
        if minor is not None and lo <= minor <= hi:
            return str(first)
    return None


def _requirement(pasted: Pasted) -> str:
    for sign in ("sign.pip_no_torch", "sign.conda_no_torch"):
        for c in pasted.signs.get(sign) or []:
            if "==" in str(c.value) or ">" in str(c.value):
                return str(c.value)
    return ""


def _lines(pasted: Pasted, *names: str) -> tuple[str, ...]:
    return tuple(line for name in names for line in pasted.evidence.get(name, []))


def _failed(result: Result, cause: str, fix: Fix, lines: tuple[str, ...], **data) -> Result:
    row = Result.from_outcome(result.id, result.title, failed(cause, fix, **data), required=True)
    return row.with_evidence(lines)
