"""`python -m verify diagnose FILE|DIR|- ...`: the same rules as the live verify, on a paste.

diagnose(text) -> (Facts, [Result]): the pasted facts (verify.diagnosis.envdump, which reads
collect_env,
our JSON and, through verify.diagnosis.paste, free-form text) through verify.rules, with "not in the
pasted text" for what the text does not show, plus one `error.<id>` row per MPS error message
torch printed in it (verify.known_errors), plus, for a pasted verify report, the device rows of
that report as they were. Every fail / warn row carries `evidence`: the pasted lines it rests on.
Pure: text in, data out; the CLI renders it.

Reasoning across facts (issue 12):
- MPS is expected when the paste shows it was being used (an MPS error, `device="mps"`, a GPU
  wish on an Intel Mac) or when Linux runs inside a Mac (a container or VM): there the OS row
  says that Metal does not reach it;
- a message naming a macOS floor while the paste shows a newer macOS is no Metal device in this
  process (a VM, sandbox, container or remote session), not the OS;
- osx-64 packages, an MKL build or pip offering nothing past 2.2.x make the interpreter x86_64:
  Rosetta on an Apple chip, an Intel Mac on an Intel one (verify.diagnosis.paste derives it);
- a real allocation failure vs the "0 bytes allocated" VM signature (verify.known_errors).

Error rows: an environment error (MPS not built, no MPS device / macOS too old) is a required
`fail`; a workload error (out of memory, an op without an MPS kernel, float64, tensors on two
devices) is not required, so the verdict says whether the environment is ready while the row still
says what went wrong and what to do. `first_cause` orders them for "Fix first".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from verify import compat, rules, torch_names
from verify import messages as msg
from verify.diagnosis import (
    advice,
    amp_rows,
    behind,
    claim_rows,
    cpu_fallback,
    envdump,
    extop_rows,
    limit_rows,
    opsupport,
    package_wheels,
    placement,
    python_ceiling,
    python_then,
    regressions,
    resemble_rows,
    resolver,
    settle,
    timeline,
    titled,
    told_rows,
    x86_ceiling,
)
from verify.diagnosis import install_messages as install_msg
from verify.diagnosis import opsupport_messages as support_msg
from verify.diagnosis import platform_messages as platform_msg
from verify.diagnosis import timeline_messages as then_msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste import mpswork, packages, tools
from verify.diagnosis.paste.clues import quote
from verify.errors import InputError
from verify.facts import Facts
from verify.known_errors import BY_ID, MPS_SAID, KnownError, required_macos
from verify.model import Fix, Outcome, Result, Status, failed, warned

NOT_IN_TEXT = msg.NOT_IN_PASTED_TEXT

# the facts (and signs) each rule's finding rests on, quoted as its evidence
RULE_EVIDENCE: dict[str, tuple[str, ...]] = {
    "host.os": ("os", "sign.linux_vm_on_mac", "sign.container", "sign.mac_hint", "chip"),
    "host.arch": (
        "machine",
        "translated",
        "hardware_arm64",
        "chip",
        "conda_subdir",
        "sign.pip_x86_only",
        "sign.x86_only_conda",
        "sign.mkl_build",
        "sign.amd_gpu",
        "sign.intel_cpu",
        "sign.wrong_arch_library",
    ),
    "host.macos": ("macos_version",),
    "host.python": ("python_version", "sign.pip_no_torch"),
    "torch.installed": ("torch_import_error", "torch_version", "sign.wrong_arch_library"),
    "torch.version": ("torch_version", "macos_version", "machine", "sign.pip_x86_only"),
    "mps.built": ("mps_built", "torch_version", "machine", "sign.mkl_build"),
    "mps.available": (
        "mps_available",
        "mps_unavailable_reason",
        "macos_version",
        "virtual_machine",
        "chip",
        "sign.vm",
        "sign.container",
        "sign.sandbox",
        "sign.remote",
    ),
}
_WHERE = (
    ("sign.vm", "a virtual machine"),
    ("sign.container", "a container"),
    ("sign.sandbox", "a sandbox"),
    ("sign.remote", "a remote session"),
)


def diagnose(text: str) -> tuple[Facts, list[Result]]:
    """Facts and findings for pasted text; InputError (one line) when nothing in it is usable."""
    pasted = resolver.infer(_stuck_at_x86_release(envdump.parse(text)))
    facts = pasted.facts
    results = rules.evaluate(facts, expect_mps=expect_mps(pasted), unknown_reason=NOT_IN_TEXT)
    # the day the paste was written on or after (verify.diagnosis.timeline): what existed then
    written = timeline.written_after(
        pasted.text,
        facts,
        pasted.evidence.get("torch_version", []),
        python_lines=pasted.evidence.get("python_version", []),
        torch_ran=bool(pasted.errors),
    )
    results = told_rows.torch_fixed_by([_refine(r, pasted, written) for r in results], pasted)
    if pasted.report is not None:
        results.extend(_report_rows(pasted.report, {r.id for r in results}))
    errors = [_in_context(e, pasted) for e in pasted.errors if _still_missing(e, facts)]
    for e in errors:
        results.extend(_error_rows(e, facts, pasted.evidence, written))
    if not any(e.id in _BFLOAT16_ERRORS for e in errors):
        results.extend(_bfloat16_wish_row(pasted.text, facts, pasted.evidence))
    if not errors:
        results.extend(_op_said_missing_row(pasted))
        results.extend(_limit_said_rows(pasted))
        results.extend(limit_rows.rows(pasted))  # op / dtype / memory limits told in words
        results.extend(extop_rows.rows(pasted))  # an extension's op without an MPS kernel
        results.extend(cpu_fallback.rows(pasted))  # macOS 12's CPU fallback meets a dtype
    if all(e.id == "mps.op_runs_on_cpu" for e in errors):  # that warning's op ran: no failure
        results.extend(regressions.rows(pasted))
    results.extend(told_rows.app_mps_opt_in(pasted))
    results = amp_rows.rows(results, pasted)  # mixed precision refused: the torch's age
    results.extend(behind.rows(results, pasted, written))  # an MPS bug a later torch fixed
    results = behind.app_torch(results, pasted, written)  # the app's own, older torch
    results = claim_rows.rows(results, pasted)  # a cause stated in a sentence, no row names
    results = x86_ceiling.rows(results, pasted)  # an x86_64 Mac holds torch at 2.2.2
    results = x86_ceiling.intel_mac_alone(results, pasted)  # nothing else: the Intel Mac
    results = x86_ceiling.amd_gpu_shown(results, pasted)  # its AMD GPU runs MPS (to 2.2.2)
    results = resemble_rows.rows(results, pasted)  # no failure: the cause the words read like
    unsettled = settle.row(pasted, results)  # few facts: the command that settles the rest
    if unsettled is not None:
        results.append(unsettled)
    results = [_with_evidence(r, pasted) for r in results]
    return facts, titled.mark(results, pasted.text)  # the error the first line quotes


def _stuck_at_x86_release(pasted: Pasted) -> Pasted:
    """torch 2.2.x (the last release with macOS x86_64 wheels) on an Apple chip whose MPS fails
    for macOS reasons (no device, a macOS-gated feature) on a macOS new enough: an x86_64 build
    under Rosetta, which reads macOS as 10.16 (pytorch/pytorch#146236) - when the paste does
    not name the interpreter's architecture itself."""
    f = pasted.facts
    release = compat.release_of(f.torch_version)
    gated = {"mps.macos_too_old", "mps.op_needs_newer_macos"} & {e.id for e in pasted.errors}
    if (
        f.machine is not None
        or release is None
        or release > compat.LAST_MACOS_X86_64_WHEEL
        or release < compat.parse_version("2.0")
        or rules.apple_silicon(f) is not True
        or not (gated or f.mps_available is False)
        or (compat.parse_version(f.macos_version) or compat.MPS_MIN_MACOS) < compat.MPS_MIN_MACOS
    ):
        return pasted
    because = [*pasted.evidence.get("torch_version", []), *pasted.evidence.get("chip", [])]
    evidence = {**pasted.evidence, "machine": because, "translated": because}
    facts = f.merged(machine="x86_64", translated=True)
    return dataclasses.replace(pasted, facts=facts, evidence=evidence)


# errors that prove the code used MPS but not that MPS must work on this machine: the code's own
# `torch.backends.mps` check on an old torch (Linux / Windows boxes run it too), or torch.load of
# a checkpoint saved on a Mac; and those of code that never tried MPS (it asked for CUDA, or the
# application picked the CPU itself)
_NOT_AN_MPS_ATTEMPT = {
    "mps.torch_too_old",
    "mps.torch_predates_name",  # code for a newer torch (verify.torch_names), MPS or not
    "mps.checkpoint_needs_newer_torch",
    "mps.cuda_requested",  # the code asked for CUDA, not MPS
    "mps.app_chose_cpu",  # an application's own pick of the CPU
}


def expect_mps(pasted: Pasted) -> bool | None:
    """Must MPS work here? Yes when the paste shows MPS in use or Linux inside a Mac; else the
    rules' default (macOS on Apple silicon)."""
    f = pasted.facts
    if any(e.id not in _NOT_AN_MPS_ATTEMPT for e in pasted.errors):
        return True  # an MPS error message: MPS was being used
    if linux_on_mac(pasted) or _container_gpu_refused(pasted, on_mac=False):
        return True
    if f.os in ("Linux", "Windows") and pasted.has("sign.mps_chosen"):
        return (
            True  # MPS picked on a PC (verify.diagnosis.paste.mpswork): host.os says it is no Mac
        )
    if _paths_say_os(pasted) and mpswork.asked(pasted.signs):
        return True  # MPS asked of a process whose own paths are Windows / Linux ones
    if f.os in (None, "Darwin") and pasted.has("sign.mps_intent") and _before_mps(f):
        return True  # MPS wanted with a torch that predates it (kevinjohncutler/omnipose#17)
    if f.mps_available is True:
        return True  # a working MPS device (a UI's "Device: mps"): its rows pass, chip or not
    if f.os is None and mpswork.shown(pasted.signs):
        return True  # torch on MPS shown, the OS not: MPS rows are unknown, not "not applicable"
    if f.os == "Darwin" and rules.apple_silicon(f) is None and pasted.has("sign.mps_intent"):
        return True  # a Mac of unknown chip whose code asks for "mps"
    if f.os == "Darwin" and rules.apple_silicon(f) is False:
        # an Intel Mac whose user wants MPS or its GPU (an AMD one, Metal), or a newer torch
        # than its last release (2.2.2), asked for or refused; or a torch built for arm64 that
        # dyld refused (software made for Apple silicon: carson-katri/dream-textures#346)
        wants = (
            "sign.mps_intent",
            "sign.gpu_intent",
            "sign.amd_gpu",
            "sign.pip_x86_only",
            "sign.gpu_missing",  # "saving my old intel Mac, but no MPS" (Morton-Li/...#4)
            "sign.x86_64_said_dropped",  # "Pytorch has deprecated support for intel macs"
            "sign.bad_cpu_type",  # an arm64-only binary refused (w-okada/voice-changer#496)
        )
        if any(pasted.has(sign) for sign in wants) or resolver.x86_64_ceiling(pasted):
            return True
        if resolver.asks_past_x86_64(pasted) or any(
            c.value == "arm64" for c in pasted.signs.get("sign.wrong_arch_library") or []
        ):
            return True
    return None


def _paths_say_os(pasted: Pasted) -> bool:
    """The OS is Windows / Linux as the traceback's own paths tell (verify.diagnosis.paste.paths),
    not Linux inside a Mac."""
    sign = {"Windows": "sign.windows_paths", "Linux": "sign.linux_paths"}.get(pasted.facts.os or "")
    return sign is not None and pasted.has(sign) and not linux_on_mac(pasted)


def _before_mps(f: Facts) -> bool:
    release = compat.release_of(f.torch_version)
    return release is not None and release < compat.MPS_FIRST_RELEASE


def linux_on_mac(pasted: Pasted) -> bool:
    """Linux (a container or VM) on a Mac: Docker Desktop's linuxkit kernel, OrbStack, Lima, or a
    Linux OS with a Mac chip / macOS in the same paste."""
    f = pasted.facts
    if f.os != "Linux":
        return False
    if pasted.has("sign.linux_vm_on_mac") or pasted.has("sign.asahi"):
        return True
    mac = (f.chip or "").startswith("Apple M") or pasted.has("sign.mac_hint") or f.macos_version
    # an arm64 Linux next to a Mac, or a container next to an Apple chip; an x86_64 Linux
    # server whose user also mentions a Mac is just a Linux server
    inside = ("sign.container", "sign.linux_workload", "sign.linux_vm_app")
    return bool(mac) and (
        f.machine in ("aarch64", "arm64") or any(pasted.has(sign) for sign in inside)
    )


# the Docker daemon refusing a container's NVIDIA GPU request (verify.diagnosis.paste.places'
# LINUX_WORKLOAD): moby's "could not select device driver "nvidia" with capabilities: [[gpu]]" and
# the NVIDIA container toolkit's "nvidia-container-cli: initialization error" (its runtime hook
# finding no libnvidia-ml.so.1)
_GPU_REQUEST_REFUSED = ("device driver", "nvidia-container-cli")


def _container_gpu_refused(pasted: Pasted, on_mac: bool) -> bool:
    """A Linux container whose NVIDIA GPU request the Docker host refused: no NVIDIA runtime there,
    as on every Mac (all 19 such pastes among the labelled reports were Docker on a Mac, two of
    them naming no Mac: ahmetoner/whisper-asr-webservice#44, fboulnois/stable-diffusion-docker#37).
    Whatever the host, MPS does not exist in the container; a Linux host named besides ("I'm
    using Ubuntu 22.04") is a Linux server's matter, which the paste's own OS lines tell.
    `on_mac`: linux_on_mac(pasted), which the caller has already asked."""
    refused = [
        c
        for c in pasted.signs.get("sign.linux_workload", [])
        if any(needle in str(c.value) for needle in _GPU_REQUEST_REFUSED)
    ]
    told_by = set(pasted.evidence.get("os", []))
    return (
        pasted.facts.os == "Linux"
        and bool(refused)
        and (on_mac or told_by <= {c.line for c in refused})
    )


def _linux_said_only(pasted: Pasted) -> bool:
    """Linux on the Mac known from words alone ("build the docker image on my Mac": Zyphra/
    Zonos-v0.1-hybrid discussion 2), with no output of a process that ran there, no MPS error
    and no MPS named: what the place implies, a warning. MPS wanted in the container
    (pytorch/pytorch#81224; "能用mps吗": RVC-Boss/GPT-SoVITS#1405) stays a failure."""
    said = ("sign.docker_on_mac", "sign.linux_guest")
    clues = pasted.signs.get("sign.linux_vm_on_mac") or []
    return (
        bool(clues)
        and all(c.field in said for c in clues)
        and not pasted.errors
        and not MPS_SAID.search(pasted.text)
        and pasted.facts.machine is None
    )


_ROSETTA_WORD = re.compile(r"rosetta", re.IGNORECASE)


def _rosetta_said_only(pasted: Pasted) -> bool:
    """Rosetta known from words alone ("had to manually install a few of the items, as well as
    run in rosetta": cnr-isti-vclab/TagLab#65, a thread about its install script), with no
    output of a process that says so, no MPS error and no MPS named: as _linux_said_only, what
    the words imply is a warning. Rosetta beside MPS named or failing stays a failure."""
    lines = pasted.evidence.get("translated", []) + pasted.evidence.get("machine", [])
    return (
        bool(lines)
        and all(_ROSETTA_WORD.search(line) for line in lines)
        and not pasted.errors
        and not MPS_SAID.search(pasted.text)
    )


def _sigill_alone(pasted: Pasted) -> bool:
    """Rosetta known from zsh's "illegal hardware instruction" alone, no chip named: 19 of the 25
    real reports with the words were Rosetta before this was written (the others Intel Macs, a
    Linux VM, an old macOS, a Python's, another cause), and the next was a package's own crash
    (Lightning-AI/litgpt#1706, a MacBook Air with Anaconda: litgpt was broken on macOS then) - a
    warning, as words alone are."""
    lines = pasted.evidence.get("translated", [])
    return (
        bool(lines)
        and pasted.facts.chip is None
        and all(tools.ILLEGAL_INSTRUCTION.search(line) for line in lines)
    )


def _refine(result: Result, pasted: Pasted, written: timeline.Written | None = None) -> Result:
    """A rule's row with the cause the paste as a whole supports."""
    f = pasted.facts
    resolved = resolver.finding(result, pasted)
    if resolved is not None:
        return resolved
    if result.id == "host.python":
        too_new = _python_newer_than_wheels_then(pasted, written) or package_wheels.python_row(
            result, pasted, written
        )  # torch's wheels, then another package's, left this Python out
        if too_new is not None:
            return too_new
    install = _install_finding(result.id, pasted)
    if install is not None:
        return install
    if result.id == "host.python":
        found = (
            python_ceiling.finding(result, pasted)  # pip's list ends at a Python's last release
            or _wanted_release_without_wheel(pasted)
            or python_then.row(result, pasted, written)  # the releases of the paste's time
        )
        if found is not None:
            return found
    if result.id == "host.macos":
        refused = (
            _binary_needs_newer_macos(pasted)
            or package_wheels.macos_row(result, pasted)
            or _below_mps_unasked(result, pasted)
        )
        if refused is not None:
            return refused
    if result.id == "host.python" and result.status is Status.FAIL:
        ran = _torch_ran_on_old_python(result, pasted)
        if ran is not None:
            return python_then.row(ran, pasted, written) or ran
        unasked = _python_floor_unasked(result, pasted)
        if unasked is not None:
            return unasked
    if result.id == "host.os" and result.status in (Status.PASS, Status.FAIL):
        # (failed where the code's own MPS check is what named MPS: sanghyun-son/EDSR-PyTorch
        # #355, an old torch in a Linux container)
        off_mac = _mps_check_off_mac(result, pasted)
        if off_mac is not None:
            return off_mac
    if result.status is not Status.FAIL:  # what the paste shows of the place and the build
        found = {
            "mps.built": placement.build_finding,
            "mps.available": placement.device_finding,
            # a PC told by its NVIDIA RTX GPU, an Apple framework refused in a container
            "host.os": placement.os_finding,
        }
        finding = found[result.id](pasted) if result.id in found else None
        if finding is not None:
            return finding
    if result.id == "torch.version" and result.status is Status.FAIL:
        lenient = _prerelease_floor(result, f) or _floor_but_mps_ran(result, f)
        if lenient is not None:
            return lenient
    if result.id in ("host.arch", "torch.version") and result.status is Status.FAIL:
        working = _rosetta_but_mps_ran(result, pasted)
        if working is not None:
            return working
    if (
        result.id == "host.arch"
        and result.status is Status.FAIL
        and (_rosetta_said_only(pasted) or _sigill_alone(pasted))
    ):
        return dataclasses.replace(result, status=Status.WARN, required=False)
    if result.status is not Status.FAIL:
        return result
    if result.id == "host.os":
        on_mac = linux_on_mac(pasted)
        if _mps_checkpoint(pasted) and not on_mac:
            cause, fix = platform_msg.mps_checkpoint_off_mac(f.os or "Linux")
            return dataclasses.replace(result, cause=cause, detail=cause, fix=fix)
        gpu_refused = _container_gpu_refused(pasted, on_mac)
        if on_mac or gpu_refused:
            cause, fix = msg.pasted_linux_on_mac(f.os or "Linux")
            if pasted.has("sign.asahi"):
                cause, fix = msg.pasted_asahi_linux(f.os or "Linux")
            if gpu_refused:
                cause, fix = msg.pasted_container_gpu_refused(f.os or "Linux", on_mac=on_mac)
            status = Status.WARN if _linux_said_only(pasted) else result.status
            return dataclasses.replace(result, status=status, cause=cause, detail=cause, fix=fix)
    if result.id == "mps.available" and result.cause.startswith(msg.NO_METAL_DEVICE):
        where = [what for sign, what in _WHERE if pasted.has(sign)]
        if where:
            cause = msg.pasted_no_device_here(" / ".join(where))
            return dataclasses.replace(result, cause=cause, detail=cause)
    return result


def _torch_ran_on_old_python(result: Result, pasted: Pasted) -> Result | None:
    """The rules fail host.python when no release read (1.12 on) has a wheel for this Python and
    no torch is shown; a pasted torch error shows a torch ran in it (an old one: a CentOS
    Python 3.6.8 running EasyOCR, pytorch/pytorch#105895). Then it is stuck with old releases,
    a warning, not a Python PyTorch cannot be installed into."""
    f = pasted.facts
    if f.torch_version or not pasted.errors or pasted.has("sign.pip_no_torch"):
        return None
    platform = "macos" if f.os == "Darwin" else "linux"
    if f.torch_import_error or result.status is not Status.FAIL:
        return None
    if compat.newest_release_for_python(f.python_version, platform=platform) is not None:
        return None  # the rules' other failures of this row are not this one
    latest = compat.latest_release()
    rng = compat.python_range(latest, platform=platform)
    if rng is None:
        return None
    cause, fix = msg.python_limits_torch(str(f.python_version), str(latest), f"{rng[0]}-{rng[1]}")
    row = Result.from_outcome(result.id, result.title, warned(cause, fix), required=True)
    return dataclasses.replace(row, evidence=result.evidence)


# the paste names PyTorch at all: its package, its import, its name
_TORCH_NAMED = re.compile(r"(?<![A-Za-z])(?:py)?torch", re.IGNORECASE)


def _python_floor_unasked(result: Result, pasted: Pasted) -> Result | None:
    """host.python failing for a Python older than every PyTorch with MPS, in a paste that is
    neither a Mac's nor names PyTorch (cvxopt/cvxopt#208: "MPS" files, the LP format, read on a
    Python 3.6; NVIDIA/nvidia-docker#576: a notebook's Python 3.5): true of the Python, but
    nothing shows the paste is about installing PyTorch there - a warning, as a macOS below
    MPS's floor is where no MPS is asked for (`_below_mps_unasked`)."""
    if pasted.from_a_mac() or _TORCH_NAMED.search(pasted.text) or pasted.facts.torch_version:
        return None
    row = Result.from_outcome(
        result.id, result.title, warned(result.cause, result.fix, **result.data), required=True
    )
    return dataclasses.replace(row, evidence=result.evidence)


def _mps_checkpoint(pasted: Pasted) -> bool:
    """A build without MPS refused an MPS storage: torch.load of a Mac's checkpoint."""
    return any(
        e.id == "mps.not_linked" and "Storage device not recognized" in e.match
        for e in pasted.errors
    )


def _mps_check_off_mac(result: Result, pasted: Pasted) -> Result | None:
    """The code's `torch.backends.mps` check failed with a torch that predates MPS on Linux /
    Windows (not inside a Mac): the torch row says the torch is old (a newer one has the
    attribute: pharmapsychotic/clip-interrogator#50, pytorch/examples#1134); this warning adds
    that MPS is not there to have on this OS (lowfuel/progrock-stable#37 on Ubuntu, where the
    thread's answer was "mps is the Apple M1 GPU"). Where this Python has no release with MPS
    at all (1.12 needs Python 3.7+), upgrading torch cannot fix the check, so the OS is the
    cause to fix first, a failure (pytorch/pytorch#105895: CentOS, Python 3.6.8, EasyOCR's
    unguarded check, closed as EasyOCR's)."""
    f = pasted.facts
    if f.os not in ("Linux", "Windows") or linux_on_mac(pasted):
        return None
    # or a torch.mps / torch.backends.mps name this torch lacks (torch.mps.is_available came
    # after torch.mps: lihaoyun6/ComfyUI-FlashVSR_Ultra_Fast#41, a Linux user's crash in a node's
    # Mac-only cache check)
    mps_name = any(
        e.id == "mps.torch_predates_name" and re.search(r"torch\.(?:backends\.)?mps\b", e.match)
        for e in pasted.errors
    )
    if not mps_name and not any(e.id == "mps.torch_too_old" for e in pasted.errors):
        return None
    newest = compat.newest_release_for_python(f.python_version, platform="linux")
    stuck = f.python_version is not None and (newest is None or newest < compat.MPS_FIRST_RELEASE)
    cause, fix = platform_msg.mps_check_off_mac(
        f.os, f.python_version if stuck else None, name_only=mps_name
    )
    make = failed if stuck else warned
    row = Result.from_outcome(result.id, result.title, make(cause, fix, os=f.os), required=True)
    lines = [*pasted.evidence.get("os", []), *(pasted.evidence.get("python_version", []) * stuck)]
    return row.with_evidence(lines)


def _install_finding(rule_id: str, pasted: Pasted) -> Result | None:
    """What pip's / uv's refusal to install torch says, as the host.python or torch.installed row:
    a CUDA build pinned on a Mac, or no wheel for this Python. (No wheel past 2.2.x is the
    x86_64 interpreter: verify.diagnosis.paste turns it into facts for host.arch.)"""
    clues = pasted.signs.get("sign.pip_no_torch") or []
    if not clues or resolver.x86_64_ceiling(pasted):
        return None
    f = pasted.facts
    requirement = str(clues[0].value)
    pinned = requirement.partition("==")[2]
    offered = _offered(pasted)
    lines = tuple(c.line for c in clues)[:3]
    gpu_build = packages.GPU_BUILD.search(pinned) is not None
    if rule_id == "torch.installed" and gpu_build:
        if pasted.mac_in_words():
            cause, fix = msg.pasted_cuda_build_on_mac(requirement)
        elif pasted.has("sign.no_gpu_builds"):  # pip's list: no CUDA build exists for it here
            cause, fix = platform_msg.no_gpu_builds_listed(requirement)
            lines += tuple(pasted.evidence.get("sign.no_gpu_builds", []))
        else:
            return None
        # the plain release may lack a wheel for this Python too: say so in the same row
        note = resolver.python_note(requirement.split("+", 1)[0], f.python_version)
        if note and cause.endswith("."):
            cause = f"{cause[:-1]}{note}."
            lines += tuple(pasted.evidence.get("python_version", []))
        return _row("torch.installed", "PyTorch imports", cause, fix, lines)
    if rule_id != "host.python" or resolver.explains(pasted):
        return None  # the installer said why (wheels for other platforms only):
        # verify.diagnosis.resolver
    python = f.python_version
    pinned = pinned or _newest_below(requirement, offered)
    no_wheel = _no_wheel_for_python(requirement, pinned, python, f.os) if pinned else None
    if no_wheel is not None:
        cause, fix = no_wheel
    elif offered and pinned and compat.parse_version(pinned) is not None:
        low = min(offered)
        if not compat.parse_version(pinned) < low:
            return None
        shown = ", ".join(str(v) for v in sorted(offered)[:3]) + (
            " ..." if len(offered) > 3 else ""
        )
        cause, fix = msg.pasted_python_too_new_for(requirement, shown)
    elif pinned and _python_supported(pinned, python, f.os) is True:
        return None  # the release has this Python's wheels: pip saw none of them (its index)
    elif offered == [] or (
        offered is None and not f.machine == "x86_64" and not gpu_build and not _files_only(pasted)
    ):
        # "from versions: none", uv's "no wheel for the current platform" for a pinned release,
        # or pip's refusal of any torch quoted without its list, on an interpreter not known to
        # be x86_64 (that case is host.arch's); a CUDA / ROCm pin refused without the list says
        # nothing of the Python (no Mac has such wheels: torch.installed's row)
        cause, fix = msg.pasted_no_wheel_at_all(python)
    else:
        return None
    lines += tuple(pasted.evidence.get("python_version", []))
    return _row("host.python", "Python version supported by PyTorch", cause, fix, lines)


def _wheels_of(os_name: str | None) -> str:
    """The platform whose wheels the installer looked for: Linux's inside a Linux paste, else
    macOS's."""
    return "linux" if os_name == "Linux" else "macos"


def _python_supported(release: str, python: str | None, os_name: str | None) -> bool | None:
    """Does `release` ship a wheel for this Python on the paste's platform (`_wheels_of`)? None
    where unknown."""
    if not python:
        return None
    return compat.supports_python(release, python, platform=_wheels_of(os_name))


def _files_only(pasted: Pasted) -> bool:
    """Is every torch pip could not install here one wheel file it refused (verify.diagnosis.paste
    .refused)? That file's tags did not fit, which says nothing of the wheels PyPI has for this
    Python (harskish/sdui#6: a nightly's macosx_12_0_arm64 wheel)."""
    refused = {c.line for c in pasted.signs.get("sign.wheel_refused") or []}
    return all(c.line in refused for c in pasted.signs.get("sign.pip_no_torch") or [])


def _wanted_release_without_wheel(pasted: Pasted) -> Result | None:
    """collect_env finds no torch ("PyTorch version: N/A") and the text names a release that has
    no wheel for this Python on this platform (pytorch/pytorch#93148's kind: Python 3.11 before
    torch shipped macOS wheels for it): the Python is the cause, not a broken install."""
    clues = pasted.signs.get("sign.torch_wanted") or []
    f = pasted.facts
    if not clues:
        return None
    wanted = str(clues[0].value)
    no_wheel = _no_wheel_for_python(f"torch {wanted}", wanted, f.python_version, f.os)
    if no_wheel is None:
        return None
    cause, fix = no_wheel
    lines = (*(c.line for c in clues), *pasted.evidence.get("python_version", []))
    return _row("host.python", "Python version supported by PyTorch", cause, fix, lines)


def _python_newer_than_wheels_then(
    pasted: Pasted, written: timeline.Written | None
) -> Result | None:
    """No torch for a macOS Python X.Y that later releases serve, no release named: pip's "from
    versions: none" (or its resolver finding no torch at all, verify.diagnosis.paste.conflicts), or
    collect_env's "PyTorch version: N/A" in a paste older than the first release with a macOS
    arm64 wheel for X.Y (verify.diagnosis.timeline): the Python was too new then, whatever today's
    releases offer (pytorch/pytorch#93148: Python 3.11.1 built on 2023-01-24, torch 2.0.0's cp311
    wheels came on 2023-03-15; simonw/llm-embed-jina#5: Homebrew's Python 3.12 in 2023-10). pip's
    refusal needs no date (today it would find a wheel); "N/A" alone does. The interpreter must
    be native arm64, or of a Python whose first wheels came for x86_64 too (through 2.2.x)."""
    f = pasted.facts
    if f.torch_version or f.os != "Darwin" or f.machine == "x86_64" or f.translated:
        return None
    if f.python_implementation not in (None, "CPython"):
        return None  # PyPy and the like never had torch wheels, at any date
    clues = pasted.signs.get("sign.pip_no_torch") or []
    if any("==" in str(c.value) for c in clues) or pasted.has("sign.torch_wanted"):
        return None  # a release asked for: _install_finding / _wanted_release_without_wheel
    pip_none = bool(clues) and _offered(pasted) in (None, []) and not resolver.explains(pasted)
    if not pip_none and not (f.torch_import_error and written is not None):
        return None
    first = timeline.first_wheel_for_python(f.python_version)
    if first is None or (written is not None and written.after >= first.day):
        return None
    if f.machine != "arm64" and first.release > compat.LAST_MACOS_X86_64_WHEEL:
        return None  # an x86_64 Python never got wheels for it: host.arch's story
    cause, fix = then_msg.python_newer_than_wheels_then(first, written)
    lines = (
        *(c.line for c in clues),
        *pasted.evidence.get("python_version", []),
        *((written.line,) if written is not None else ()),
        *pasted.evidence.get("machine", []),
    )
    return _row("host.python", "Python version supported by PyTorch", cause, fix, lines)


def _newest_below(requirement: str, offered: list[Any] | None) -> str:
    """The newest release a range requirement accepts ("torch~=2.1.0", "torch<2.2") when pip's
    list offers none it accepts and every one it accepts is older than the oldest offered: the
    list starts at the first release for this Python, so the range asks for a Python's past
    (lucasvanmol/latex-ocr-server#3: "torch~=2.1.0 (from latex-ocr-server) (from versions:
    2.2.0, 2.2.1, ...)" on Python 3.12.4); "" otherwise."""
    if not offered:
        return ""
    try:
        spec = Requirement(requirement).specifier
    except InvalidRequirement:
        return ""
    if not spec or any(spec.contains(v, prereleases=True) for v in offered):
        return ""
    accepted = compat.releases_accepted(spec)
    if not accepted or not accepted[-1] < min(offered):
        return ""
    return str(accepted[-1])


def _no_wheel_for_python(
    requirement: str, release: str, python: str | None, os_name: str | None
) -> tuple[str, Fix] | None:
    """Cause and fix when `release` ships no wheel for this Python on the platform whose wheels
    the installer looked for (`_wheels_of`); None otherwise."""
    if _python_supported(release, python, os_name) is not False:
        return None
    rng = compat.python_range(release, platform=_wheels_of(os_name))
    supported = f"{rng[0]}-{rng[1]}" if rng else "other versions"
    return msg.pasted_no_wheel_for_python(requirement, python, supported)


def _binary_needs_newer_macos(pasted: Pasted) -> Result | None:
    """dyld's "(built for macOS N which is newer than running OS)", a conda solver finding no
    `__osx >=N` a package needs, or macOS refusing an app built for a newer macOS: the host.macos
    row fails, whatever the torch (verify.diagnosis.paste.loader)."""
    for sign, texts in (
        ("sign.binary_needs_macos", msg.macos_older_than_binary),
        ("sign.solver_needs_macos", install_msg.macos_older_than_package),
    ):
        clues = pasted.signs.get(sign) or []
        needed = max((compat.parse_version(c.value) for c in clues), default=None)  # "14.0"
        if needed is None:
            continue
        macos = compat.parse_version(pasted.facts.macos_version)
        if macos is not None and macos >= needed:
            continue  # the paste's macOS is not the one that ran it
        cause, fix = texts(pasted.facts.macos_version, str(needed))
        lines = (*(c.line for c in clues), *pasted.evidence.get("macos_version", []))
        return _row("host.macos", "macOS version", cause, fix, lines)
    clues = pasted.signs.get("sign.app_needs_newer_macos") or []
    if clues:
        cause, fix = msg.macos_older_than_app(pasted.facts.macos_version, clues[0].value)
        lines = (clues[0].line, *pasted.evidence.get("macos_version", []))
        return _row("host.macos", "macOS version", cause, fix, lines)
    return None


def _offered(pasted: Pasted) -> list[Any] | None:
    """The versions pip listed in "(from versions: ...)" ([] for "none"), or None."""
    for c in pasted.signs.get("sign.pip_versions") or []:
        return list(c.value)
    return None


def _below_mps_unasked(result: Result, pasted: Pasted) -> Result | None:
    """A Mac below MPS's macOS floor in a paste that shows no MPS attempt: the rule passes it as
    "not expected here", yet no MPS can be had there and software built for a newer macOS does
    not start (kaixxx/noScribe#56 on Big Sur, ml-explore/mlx#2196 on macOS 11, mediapipe#1597
    on Mojave): a warning, since the paste may be about something else."""
    macos = compat.parse_version(result.data.get("macos"))
    if result.status is not Status.PASS or macos is None or macos >= compat.MPS_MIN_MACOS:
        return None
    cause, fix = platform_msg.macos_below_mps(str(pasted.facts.macos_version))
    row = Result.from_outcome(
        result.id, result.title, warned(cause, fix, below_mps=True), required=True
    )
    return row.with_evidence(tuple(pasted.evidence.get("macos_version", [])))


def _row(rule_id: str, title: str, cause: str, fix: Fix, evidence: tuple[str, ...]) -> Result:
    row = Result.from_outcome(rule_id, title, failed(cause, fix), required=True)
    return row.with_evidence(evidence)


def _prerelease_floor(result: Result, f: Facts) -> Result | None:
    """A pre-release (2.5.0a0+git..., 2.10.0.dev...) below its release line's macOS floor: the
    floor came in at some commit of that line, so only the previous line's floor is certain
    (pytorch/pytorch#133182: a 2.5.0a0 source build running MPS on macOS 12.7.4)."""
    version = compat.parse_version(f.torch_version)
    macos = compat.parse_version(f.macos_version)
    if version is None or macos is None or not (version.is_prerelease or version.local):
        return None
    previous = compat.parse_version(f"{version.major}.{max(version.minor - 1, 0)}")
    floor = compat.mps_min_macos(version)
    earlier = compat.mps_min_macos(previous) if previous is not None else None
    if floor is None or earlier is None or not earlier <= macos < floor:
        return None
    cause = msg.pasted_prerelease_floor(str(f.torch_version), str(floor), str(f.macos_version))
    return dataclasses.replace(result, status=Status.WARN, cause=cause, detail=cause)


def _floor_but_mps_ran(result: Result, f: Facts) -> Result | None:
    """A macOS floor the versions read from the paste put MPS below, while the paste shows MPS
    working (a tensor printed on mps:0, a time measured on it: verify.diagnosis.paste.ran): what
    was seen
    beats what the versions predict, so the row is a warning that one version is not this
    machine's, not a failure of a working setup."""
    version = compat.parse_version(f.torch_version)
    macos = compat.parse_version(f.macos_version)
    floor = compat.mps_min_macos(version) if version is not None else None
    if f.mps_available is not True or floor is None or macos is None or not macos < floor:
        return None
    cause = msg.pasted_floor_but_mps_ran(str(f.torch_version), str(floor), str(f.macos_version))
    return dataclasses.replace(result, status=Status.WARN, cause=cause, detail=cause)


def _rosetta_but_mps_ran(result: Result, pasted: Pasted) -> Result | None:
    """An x86_64 Python under Rosetta on an Apple chip, while the paste shows MPS working and no
    MPS error (pytorch/pytorch#94754: an M1 Pro's x86_64 nightly printing tensors on mps:0):
    x86_64 torch has MPS, so Rosetta bars only the releases after 2.2.2 - a warning. With an
    MPS error it stays a failure (pytorch/pytorch#146236: Rosetta makes torch read macOS as 10.16
    and refuse bfloat16)."""
    f = pasted.facts
    if f.mps_available is not True or pasted.errors or not rules.under_rosetta(f):
        return None
    return dataclasses.replace(result, status=Status.WARN)


def _in_context(known: KnownError, pasted: Pasted) -> KnownError:
    """An out-of-memory with nothing allocated anywhere, or a request of a few bytes refused,
    pasted with signs of a VM (a hosted CI runner): the VM signature, whatever the size asked
    (TransformerLensOrg/TransformerLens#598: 94 MB refused with 0 bytes allocated on a
    macos-latest runner; verify.diagnosis.placement.vm_signature)."""
    if placement.vm_signature(known, pasted):
        vm = BY_ID["mps.no_gpu_memory"]
        return dataclasses.replace(
            known,
            id=vm.id,
            cause=vm.cause,
            fix=vm.fix,
            title=vm.title,
            severity=vm.severity,
            environment=vm.environment,
        )
    return known


def _error_rows(
    known: KnownError,
    facts: Facts,
    evidence: dict[str, list[str]] | None,
    written: timeline.Written | None = None,
) -> list[Result]:
    """The row for a pasted error, and, for an op / dtype refusal, what the versions make of it
    (verify.diagnosis.opsupport): torch too old (an `error.mps.op_needs_newer_torch` row: a
    failure when the paste states the torch version or the message proves it, a warning when
    only the message's text or date bounds it; first_cause puts either first), macOS too old, or
    no kernel in any release."""
    j = opsupport.judge(known, facts)
    if j is None:
        return [error_result(known, facts, evidence), *_conv_torch_also(known, facts, evidence)]
    cause, fix = support_msg.for_judgement(j)
    if j.subject == "aten::_slow_conv2d_forward":
        cause = f"{cause} {platform_msg.SLOW_CONV2D_NOTE}"
    released = _released_before_paste(j, facts, written)
    if released is not None:
        j = dataclasses.replace(j, certain=True)
        cause = f"{cause} {released}"
    unreleased = _nightly_before_release(j, facts, written)
    if unreleased is not None:
        j = dataclasses.replace(j, certain=False)
        cause = f"{cause} {unreleased}"
    if j.subject == "bfloat16" and known.id == "mps.dtype_unsupported":
        # torch 2.0's "Trying to convert BFloat16 to the MPS backend ...": the bfloat16 refusal,
        # told as torch 2.1's own words for it are (hiyouga/LlamaFactory#2716: "Trying to
        # convert BFloat16 ...", fixed by the reporter's other torch)
        bf16 = BY_ID["mps.bfloat16_unsupported"]
        known = dataclasses.replace(
            known, id=bf16.id, severity="fail", cause=bf16.cause, fix=bf16.fix
        )
    if known.id == "mps.op_needs_newer_torch" and j.kind == "macos-too-old":
        # "Conv3D is not supported on MPS" below macOS 13.2: the macOS is what stops it first
        known = dataclasses.replace(known, id="mps.op_needs_newer_macos")
    elif known.id == "mps.op_needs_newer_macos" and j.kind == "torch-too-old":
        # a macOS-floor message the versions show is the torch's (2.5's conv refusal)
        known = dataclasses.replace(known, id="mps.op_needs_newer_torch")
    row = error_result(known, facts, evidence)
    lines = [*row.evidence]
    for name in ("torch_version", "macos_version"):
        lines.extend((evidence or {}).get(name, []))
    if released is not None and written is not None:
        lines.append(written.line)
    also = _macos_also(j, known, lines)
    if j.kind != "torch-too-old" or known.id == "mps.op_needs_newer_torch":
        row = dataclasses.replace(row, cause=cause, detail=cause, fix=fix).with_evidence(lines)
        return [row, *also]
    make = failed if (j.certain or j.mismatch) else warned
    word = support_msg.DTYPE_WORDS.get(j.subject)
    title = f"{word} on MPS need(s) a newer PyTorch" if word else "Operator needs a newer PyTorch"
    older = Result.from_outcome(
        "error.mps.op_needs_newer_torch",
        f"Pasted error: {title}",
        make(cause, fix, detail=known.match, message=known.match, environment=known.environment),
        required=known.environment and make is failed,
    )
    older = older.with_evidence(lines)
    return [older, row, *also] if make is failed else [row, older, *also]


def _conv_torch_also(
    known: KnownError, facts: Facts, evidence: dict[str, list[str]] | None
) -> list[Result]:
    """The conv refusal above 65536 channels in its short form with neither torch nor macOS
    pasted: the macOS row stays first, a warning beside it names the torch half (2.5 refuses it
    on every macOS, 2.6 lifts it on macOS 15.1+: pytorch/pytorch#129484, #140726;
    huggingface/parler-tts#184 was fixed by the nightly)."""
    if known.id != "mps.op_needs_newer_macos" or facts.torch_version or facts.macos_version:
        return []
    feature = opsupport.conv_channels_feature(known.match)
    if feature is None or feature.first_torch is None or feature.macos is None:
        return []
    cause, fix = support_msg.torch_also_for_conv_channels(
        f"{feature.first_torch.major}.{feature.first_torch.minor}", str(feature.macos)
    )
    row = Result.from_outcome(
        "error.mps.op_needs_newer_torch",
        "Pasted error: the fix may also need a newer PyTorch",
        warned(cause, fix, detail=known.match, message=known.match, environment=False),
        required=False,
    )
    lines = [quote(known.match), *(evidence or {}).get("chip", [])[:1]]
    return [dataclasses.replace(row, data={**row.data, "beside": True}).with_evidence(lines)]


def _macos_also(j: opsupport.Judgement, known: KnownError, lines: list[str]) -> list[Result]:
    """The macOS half of a refusal that a newer torch lifts only on a newer macOS than its own
    MPS floor (2.6's convolutions above 65536 on macOS 15.1+, bfloat16 on macOS 14), when the
    paste leaves the macOS unstated: a warning beside the upgrade row, since the torch upgrade
    alone may not be enough (haoheliu/versatile_audio_super_resolution#70 waited for both)."""
    if j.kind != "torch-too-old" or j.macos or not j.needs_macos or not j.first_torch:
        return []
    floor = compat.mps_min_macos(compat.parse_version(j.first_torch))
    needs = compat.parse_version(j.needs_macos)
    if needs is None or (floor is not None and needs <= floor):
        return []
    cause, fix = support_msg.macos_also(j)
    row = Result.from_outcome(
        "error.mps.op_needs_newer_macos",
        "Pasted error: the fix also needs a newer macOS",
        warned(cause, fix, detail=known.match, message=known.match, environment=False),
        required=False,
    )
    return [dataclasses.replace(row, data={**row.data, "beside": True}).with_evidence(lines)]


def _released_before_paste(
    j: opsupport.Judgement, facts: Facts, written: timeline.Written | None
) -> str | None:
    """An op / dtype refusal from a torch of unstated version, in a paste written on or after the
    day the first release with its MPS support reached PyPI: that torch was too old, for sure
    (datalab-to/marker#42's kind: aten::roll came with 2.1.0). Before that day the op was in no
    release yet, and the upgrade row stays a warning (opendatalab/MinerU#194)."""
    if j.kind != "torch-too-old" or j.certain or facts.torch_version or written is None:
        return None
    day = timeline.first_release_day(j.first_torch) if j.first_torch else None
    if day is None or written.after < day:
        return None
    return then_msg.kernel_released_before(str(j.first_torch), day.isoformat(), written)


def _nightly_before_release(
    j: opsupport.Judgement, facts: Facts, written: timeline.Written | None
) -> str | None:
    """An op refusal from a nightly (or another pre-release) in a paste that shows nothing later
    than the day of 1.12.0, the first release with MPS: the backend was a prototype in the
    nightlies and the op was one it had not implemented yet, so the refusal's own row comes
    first and "a newer PyTorch" is the later fix (pytorch/pytorch#77959: aten::index.Tensor on
    1.12.0.dev20220518, labelled and closed as an op to add). Later nightlies older than the
    first release with a kernel stay "torch too old" (MIC-DKFZ/nnUNet#1862: ConvTranspose3d on
    2.3.0.dev20231220, the upgrade was the answer)."""
    version = compat.parse_version(facts.torch_version)
    if j.kind != "torch-too-old" or not j.first_torch or written is None or version is None:
        return None
    if not (version.is_devrelease or version.is_prerelease):
        return None
    first_mps = timeline.first_release_day(compat.MPS_FIRST_RELEASE)
    if first_mps is None or written.after >= first_mps:
        return None
    return then_msg.op_before_first_mps_release(
        str(compat.MPS_FIRST_RELEASE), first_mps.isoformat(), written
    )


_BFLOAT16_ERRORS = {"mps.bfloat16_unsupported", "mps.dtype_unsupported", "mps.op_needs_newer_macos"}


def _op_said_missing_row(pasted: Pasted) -> list[Result]:
    """An operator said in words to have no MPS implementation, no torch message pasted
    (open-mmlab/mmcv#2732: "it throws an error stating that nms has not been implemented"): the
    op row, as a warning quoting the sentence."""
    clues = pasted.signs.get("sign.op_said_missing") or []
    if not clues:
        return []
    pattern = BY_ID["mps.op_not_implemented"]
    said = str(clues[0].value)
    known = KnownError(
        pattern.id,
        pattern.cause,
        pattern.fix,
        match=said,
        title=pattern.title,
        severity=pattern.severity,
        environment=pattern.environment,
    )
    row = error_result(known, pasted.facts, pasted.evidence)
    if _MMCV.search(pasted.text):
        # mmcv's own op (its frames or its name in the paste): torch's fallback cannot help
        named = re.search(r"\b(\w+_impl)\b", said)
        cause, fix = msg.pasted_library_op_without_mps(f"{named.group(1) if named else said}:")
        row = dataclasses.replace(row, cause=cause, detail=cause, fix=fix)
    return [dataclasses.replace(row, data={**row.data, "said": True})]  # no message: words


# mmcv in a paste: its package path in a traceback frame, or its name
_MMCV = re.compile(r"[/\\]mmcv[/\\]|\bmmcv\b", re.IGNORECASE)


# a workload limit of MPS told in words (verify.diagnosis.paste.said) -> the row of the message
# torch prints
_SAID = (("sign.float64_said", "mps.float64"), ("sign.mps_memory_said", "mps.oom"))


def _limit_said_rows(pasted: Pasted) -> list[Result]:
    """float64 said unsupported on MPS (invoke-ai/InvokeAI#7063), or macOS killing the process
    for memory while it used MPS (aedocw/epub2tts-chatterbox#19), no torch message pasted: the
    row of that message, a warning quoting the words."""
    rows = []
    for sign, pattern_id in _SAID:
        clues = pasted.signs.get(sign) or []
        if not clues:
            continue
        p = BY_ID[pattern_id]
        known = KnownError(
            p.id,
            p.cause,
            p.fix,
            p.expected_on_mps,
            match=str(clues[0].value),
            title=p.title,
            severity="warn",
            environment=False,
        )
        row = error_result(known, pasted.facts, pasted.evidence)
        rows.append(dataclasses.replace(row, data={**row.data, "said": True}))
    return rows


def _bfloat16_wish_row(
    text: str, facts: Facts, evidence: dict[str, list[str]] | None
) -> list[Result]:
    """bfloat16 wanted with a torch older than bfloat16 on MPS, on a macOS that has it: a
    warning (no refusal was pasted), ranked with the pasted errors."""
    found = opsupport.bfloat16_wish(text, facts)
    if found is None:
        return []
    j, line = found
    cause, fix = support_msg.torch_too_old_for_wish(j)
    row = Result.from_outcome(
        "error.mps.op_needs_newer_torch",
        "bfloat16 on MPS needs a newer PyTorch",
        warned(cause, fix, detail=line, message=line, environment=False, wish=True),
        required=False,
    )
    lines = [quote(line)]
    for name in ("torch_version", "macos_version"):
        lines.extend((evidence or {}).get(name, []))
    return [row.with_evidence(lines)]


def error_result(
    known: KnownError, facts: Facts, evidence: dict[str, list[str]] | None = None
) -> Result:
    """One report row for an MPS error message found in the text."""
    cause, fix = _cause_and_fix(known, facts)
    data: dict[str, Any] = {"message": known.match, "environment": known.environment}
    make = failed if known.severity == "fail" else warned
    outcome: Outcome = make(cause, fix, detail=known.match, **data)
    lines = [quote(known.match)]
    if evidence and known.id in ("mps.macos_too_old", "mps.op_needs_newer_macos"):
        for name in ("macos_version", "torch_version", "machine", "translated"):
            lines.extend(evidence.get(name, []))
    row = Result.from_outcome(
        f"error.{known.id}",
        f"Pasted error: {known.title or known.id}",
        outcome,
        required=known.environment,
    )
    return row.with_evidence(lines)


def _still_missing(known: KnownError, facts: Facts) -> bool:
    """A torch.X said missing is the torch's age unless the pasted torch already has it."""
    if known.id == "mps.amp_needs_newer_torch":
        return amp_rows.still_older(known, facts.torch_version)
    if known.id != "mps.torch_predates_name":
        return True
    found = torch_names.missing(known.match)
    return found is not None and torch_names.predates(found, facts.torch_version) is not False


def _cause_and_fix(known: KnownError, facts: Facts) -> tuple[str, Fix]:
    """The pattern's cause, made specific where the pasted facts tell more."""
    if known.id == "mps.torch_predates_name":
        found = torch_names.missing(known.match)
        if found is not None:
            return platform_msg.torch_predates_name(
                found.name, found.module, found.first_text, facts.torch_version
            )
    if known.id == "mps.not_linked" and "Storage device not recognized" in known.match:
        return platform_msg.mps_storage_without_mps()
    if known.id == "mps.torch_too_old" and known.match.startswith("module 'torch' has"):
        return platform_msg.torch_mps_module_missing(facts.torch_version)
    if known.id == "mps.op_not_implemented":
        if known.match.startswith("device=mps (supported:"):
            return msg.pasted_xformers_on_mps()
        if re.search(r"implementation for device mps", known.match):
            return msg.pasted_library_op_without_mps(known.match)
        vision = re.search(r"'(torchvision::\w+)'", known.match)
        if vision is not None:
            return msg.pasted_torchvision_op_without_mps(vision.group(1))
    if known.id == "mps.oom" and not known.match.lstrip().startswith("MPS backend out of memory"):
        if "watermark ratio" in known.match and known.match.lstrip().lower().startswith("invalid"):
            return msg.pasted_watermark_ratio_refused(known.match)
        if known.match.lstrip().lower().startswith("invalid buffer size"):
            return msg.pasted_mps_buffer_too_large()
        if re.search(r"memorystatus|driver_allocated_memory|killed|SIGKILL", known.match, re.I):
            return msg.pasted_mps_killed_for_memory()  # verify.diagnosis.paste.said
    if known.id == "mps.bfloat16_unsupported" and facts.hardware_arm64 is False:
        return msg.pasted_bfloat16_intel(), known.fix
    if known.id == "mps.op_needs_newer_macos" and facts.translated:
        # torch under Rosetta reads macOS as 10.16 (pytorch/pytorch#146236)
        return msg.pasted_feature_needs_native(str(facts.macos_version or "?")), msg.ROSETTA_FIX
    if known.id == "mps.op_needs_newer_macos":
        named = compat.parse_version(required_macos(known))
        macos = compat.parse_version(facts.macos_version)
        if named is not None and macos is not None and macos < named:
            return support_msg.feature_below_macos(str(facts.macos_version), str(named)), known.fix
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


def _with_evidence(result: Result, pasted: Pasted) -> Result:
    """A fail / warn row with the pasted lines its facts rest on."""
    if result.status not in (Status.FAIL, Status.WARN) or result.evidence:
        return result
    lines: list[str] = []
    if result.data.get("from_pasted_report"):
        lines = [quote(result.detail)] if result.detail else []
    for name in RULE_EVIDENCE.get(result.id, ()):
        lines.extend(pasted.evidence.get(name, []))
    if not lines and pasted.kind in ("report", "facts"):
        lines = [f"{k}: {v}" for k, v in _facts_shown(result.id, pasted.facts)]
    return result.with_evidence(lines)


def _facts_shown(rule_id: str, facts: Facts) -> Iterable[tuple[str, Any]]:
    for name in RULE_EVIDENCE.get(rule_id, ()):
        if not name.startswith("sign.") and getattr(facts, name, None) is not None:
            yield name, getattr(facts, name)


def first_cause(results: Sequence[Result]) -> Result | None:
    """The finding to fix first: a failure that blocks readiness (in contract order, but macOS
    below MPS's floor after a failed install), then the error the user pasted, then any other
    failure, then any warning; None when there is none."""

    # torch not installed, or its libraries refused by Gatekeeper: nothing runs yet
    nothing_runs = any(
        r.id in ("torch.installed", "error.mps.library_quarantined") and r.status is Status.FAIL
        for r in results
    )

    def rank(r: Result) -> float:
        if nothing_runs and r.id == "host.macos" and r.data.get("mps_floor"):
            # macOS below MPS's floor matters once the environment installs; an install that
            # fails (a package with no build for this Mac) is what stops it now: the 3 real
            # reports with both were the install's (gluonts#1992's mxnet~=1.7, aimrocks#11,
            # Montreal-Forced-Aligner#372 on macOS 12.x); so is a torch library macOS refuses to
            # load (opendreamnet/dreampower#114 on Catalina: the quarantine flag, not the macOS)
            return 0.5
        if advice.upgrade_advice(r):
            # advice for the machine's next upgrade, not what went wrong: put first, Python's was
            # the cause in 1 of 18 blind reports with one, and took "Fix first" from it in the 17
            # others (the 399 of docs/diagnose.md#a-cause-the-wording-resembles); macOS's took it
            # from the cause in all 6 held-out reports where it stood first. A macOS below MPS's
            # floor with no MPS attempt shown goes after Python's (python-unsupported in 2 of
            # the 3 held-out reports with both: pypa/pip#9142, apple/coremltools#1213)
            return 7.5 if "below_mps" in r.data else 7
        if r.data.get("image_platform"):
            # Docker's image built for another platform than the Mac's (verify.diagnosis.
            # foreign_rows): it stops the container before anything in it runs, so before the
            # container's own Linux (infiniflow/ragflow#1164: an amd64-only image on an M1)
            return -0.5
        if x86_ceiling.caps_torch(r):
            # an Intel Mac or an x86_64 Python holds torch at 2.2.2: the newer torch another
            # row asks for cannot install there (verify.diagnosis.x86_ceiling)
            return -1
        if resemble_rows.likeness(r):
            return 6  # the cause the paste's wording resembles: weaker than any sentence
        if claim_rows.claimed(r):
            return 5  # a cause only stated in a sentence: after every finding the paste shows
        if r.blocks_ready:
            return 0
        if r.data.get("titled"):
            return 0.9  # the error the paste's first line (its title) quotes (.titled)
        error = r.id.startswith("error.")
        if r.status is Status.FAIL:
            return 1 if error else 3
        if r.id == "error.mps.op_needs_newer_torch":
            # a warning: the message bounds the torch only by its text or its date, yet the
            # wheels name the release that added the kernel; the update is the fix to try
            # before the CPU fallback (the op_not_implemented row beside it), as in the threads
            # of pytorch/pytorch#89179 (cumsum.out), #118814 (upsample_linear1d),
            # datalab-to/marker#42 (aten::roll) and insanely-fast-whisper#225 (aten::isin)
            return 1.5
        if r.id == "error.mps.op_runs_on_cpu":
            # torch's fallback warning: that op ran (on the CPU), a failure pasted beside it is
            # what stopped the run (pytorch/pytorch#87351: the MPSNDArray buffer assertion)
            return 2.5
        return 2 if error else 4

    problems = [r for r in results if r.status in (Status.FAIL, Status.WARN)]
    return min(problems, key=rank) if problems else None


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
