"""What the paste says about where the process runs and how its torch was built, as report rows
(issue 12). Pure: a verify.diagnosis.envdump.Pasted in, a Result (or None) out;
verify.diagnosis.diagnose uses them
in place of a rule's row that the paste alone could not settle.

- `vm_finding`: MPS / Metal failing (or said to be missing, on a hosted CI runner) on a hosted
  CI runner or in a macOS VM -> mps.available
  fails: no usable Metal device there (GitHub's arm64 macOS runners: "Metal Performance Shaders
  (MPS) are not supported", docs.github.com github-hosted-runners#limitations-for-arm64-macos-
  runners; actions/runner-images#9254, #9918, #11899).
- `vm_signature`: an MPS out-of-memory there that refuses almost nothing (nothing allocated, or a
  request of a few bytes: "MPS allocated: 1024.00 MB). Tried to allocate 256 bytes" on a
  macos-15 runner, actions/runner-images#11899) is the VM's GPU, not the workload's size; so is,
  anywhere, one with nothing allocated that refuses less than the limit it names.
- `no_device_finding`: Metal giving the process no device (MTLCreateSystemDefaultDevice() nil:
  a sandbox denying the GPU, anthropics/claude-code#37044) -> mps.available fails.
- `pc_finding`: the user's PC told by its NVIDIA RTX GPU (verify.diagnosis.paste.prose), no OS or
Mac in
  the paste, MPS in question (huggingface/diffusers#1847: "what do I choose?" in accelerate's
  machine menu with an MPS entry) -> host.os fails: MPS is Apple's, the PC has CUDA.
- `container_finding`: an Apple framework (Core ML, MLX) refusing a process off macOS in a
  container, no OS in the paste (tf-coreml/tf-coreml#187) -> host.os fails as the container's
  Linux. `os_finding` asks pc_finding, then container_finding.
- `build_finding`: a torch built without MPS, from what the paste shows of its build: printed
  is_built() False with no version, or nixpkgs' source build from before it had MPS
  (verify.diagnosis.paste.builds) with MPS not available -> mps.built fails.
"""

from __future__ import annotations

import re

from verify import compat, rules
from verify import messages as msg
from verify.diagnosis import platform_messages as platform_msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste import mpswork
from verify.diagnosis.paste.clues import quote
from verify.facts import Facts
from verify.known_errors import MPS_SAID, KnownError
from verify.model import Fix, Result, failed

# nixpkgs' source-built torch has MPS from NixOS/nixpkgs#351778 (late 2024, torch 2.5) on
NIX_MPS_SINCE = compat.parse_version("2.5")
# a request this small refused is no real out-of-memory
TINY_REQUEST_BYTES = 64 * 1024
_REQUEST = re.compile(r"Tried to allocate (\d+(?:\.\d+)?) ?(bytes|KB|KiB|MB|MiB|GB|GiB)\b")
_LIMIT = re.compile(r"max allowed: (\d+(?:\.\d+)?) ?(bytes|KB|KiB|MB|MiB|GB|GiB)\b")
_IN_USE = re.compile(
    r"MPS allocated: (\d+(?:\.\d+)?) ?(bytes|KB|KiB|MB|MiB|GB|GiB), "
    r"other allocations: (\d+(?:\.\d+)?) ?(bytes|KB|KiB|MB|MiB|GB|GiB)\b"
)
# the share of "max allowed" in use under which a refused request of a few bytes cannot have
# crossed the watermark: every real out-of-memory in tests/data has 85 % or more in use
FAR_BELOW_LIMIT = 0.1
_NOTHING = "MPS allocated: 0 bytes, other allocations: 0 bytes"
_UNIT = {"bytes": 1, "KB": 1024, "KiB": 1024, "MB": 1024**2, "MiB": 1024**2, "GB": 1024**3}


def where_virtual(pasted: Pasted) -> str | None:
    """ "a hosted CI runner" / "a macOS virtual machine" when the paste shows one, else None."""
    f = pasted.facts
    if f.os not in (None, "Darwin"):
        return None
    if pasted.has("sign.ci_runner"):
        return "a hosted CI runner (GitHub Actions' macOS runners are virtual machines)"
    if pasted.has("sign.vm") or rules.in_vm(f):
        return "a macOS virtual machine"
    return None


def vm_signature(known: KnownError, pasted: Pasted) -> bool:
    """Is this MPS out-of-memory the GPU refusing everything rather than the workload's size?
    In a VM / on a runner: nothing allocated, a request of a few bytes, or no request size at
    all with almost nothing in use (or no sizes at all). Anywhere: nothing
    allocated at all and a request below the limit it names - MPSAllocator.mm raises the same
    message when the allocation itself fails, and with 0 bytes in use a request under "max
    allowed" cannot have crossed the watermark (TransformerLensOrg/TransformerLens#598: 94 MB
    refused with 0 bytes allocated and 7.93 GB allowed); nor can a request of a few bytes with
    under a tenth of the limit in use (FAR_BELOW_LIMIT)."""
    if known.id != "mps.oom":
        return False
    request = _size(_REQUEST.search(known.match))
    limit = _size(_LIMIT.search(known.match))
    if _NOTHING in known.match and request is not None and limit is not None:
        if request < limit:
            return True
    if request is not None and request <= TINY_REQUEST_BYTES and limit is not None:
        # a few bytes refused with almost nothing in use: Metal refused the buffer itself
        # (docling-project/docling#286: 256 bytes refused with 8 MB allocated and 7.93 GB
        # allowed, on GitHub's arm64 macOS runners)
        in_use = _IN_USE.search(known.match)
        if in_use is not None and _in_use(in_use) + request < limit * FAR_BELOW_LIMIT:
            return True
    if where_virtual(pasted) is None:
        return False
    if "MPS allocated: 0 bytes" in known.match:
        return True
    if request is None:
        # no size to weigh (the message's first words, as a title quotes them: "MPS backend
        # out of memory for Timeseries tests", autogluon/autogluon#4544 on its CI's macOS
        # runners), or the request cut off with almost nothing in use: the runner's GPU, as
        # when a few bytes are refused (.oom_said_on_runner)
        in_use = _IN_USE.search(known.match)
        if in_use is None:
            return limit is None
        return limit is not None and _in_use(in_use) < limit * FAR_BELOW_LIMIT
    return request <= TINY_REQUEST_BYTES


def _in_use(m: re.Match[str]) -> float:
    """MPS allocated plus other allocations, in bytes, from _IN_USE's match."""
    return _size_of(m.group(1), m.group(2)) + _size_of(m.group(3), m.group(4))


def _size(m: re.Match[str] | None) -> float | None:
    return None if m is None else _size_of(m.group(1), m.group(2))


def _size_of(number: str, unit: str) -> float:
    return float(number) * _UNIT.get(unit, 1024**3)


def oom_said_on_runner(pasted: Pasted) -> bool:
    """MPS said in words to run out of memory on a hosted CI runner, with no message to size it:
    the VM's GPU, as in every such thread (kitzeslab/opensoundscape#851: "github runs have been
    failing due an MPS out of memory issue"; actions/runner-images#9918, #11899)."""
    on_mac = pasted.facts.os in (None, "Darwin")
    sized = any(e.id in ("mps.oom", "mps.no_gpu_memory") for e in pasted.errors)
    return on_mac and not sized and pasted.has("sign.mps_oom_said") and pasted.has("sign.ci_runner")


def vm_finding(pasted: Pasted) -> Result | None:
    """mps.available failing for the VM, when Metal or MPS is shown failing there."""
    where = where_virtual(pasted)
    f = pasted.facts
    # MPS said missing on a runner or in a VM ("Inside a UTM macOS VM ..., MPS is not available")
    said = pasted.has("sign.gpu_missing") and pasted.has("sign.ci_runner")
    said = said or (_said_unavailable(pasted) and pasted.has("sign.vm"))
    said = said or oom_said_on_runner(pasted)
    if where is None or not (pasted.has("sign.metal_failure") or f.mps_available is False or said):
        return None
    cause, fix = msg.pasted_metal_fails_in_vm(where)
    lines = _lines(pasted, "sign.ci_runner", "sign.vm", "chip", "sign.metal_failure")
    lines += _lines(pasted, "mps_available", "virtual_machine", "sign.gpu_missing")
    return _row("mps.available", "MPS device available", cause, fix, lines)


_WHERE = (
    ("sign.sandbox", "a sandbox"),
    ("sign.vm", "a virtual machine"),
    ("sign.ci_runner", "a hosted CI runner"),
    ("sign.container", "a container"),
    ("sign.remote", "a remote session"),
)


def device_finding(pasted: Pasted) -> Result | None:
    """mps.available failing for where the process runs: a VM or CI runner (vm_finding), or a
    process Metal gave no device (no_device_finding). Not for a build without MPS: no place
    gives it a device (Lightning-AI/pytorch-lightning#17618: an Ubuntu CI runner's torch)."""
    if pasted.facts.mps_built is False:
        return None
    return vm_finding(pasted) or no_device_finding(pasted)


def no_device_finding(pasted: Pasted) -> Result | None:
    """mps.available fails when Metal itself gave the process no device ("MTLCreateSystemDefault
    Device() fails in a sandboxed session": verify.diagnosis.paste.prose), or Metal failed inside a
    sandbox (ggml's "failed to create command queue" under a seatbelt profile,
    fencesandbox/fence#210) - unless MPS was seen working."""
    f = pasted.facts
    if f.os not in (None, "Darwin") or f.mps_available is True:
        return None
    # a sandbox with Metal failing, MPS unavailable or said to be (not merely "not used", which
    # is an app's choice: open-webui/open-webui#8324): the sandbox denies the GPU
    failing = f.mps_available is False or _said_unavailable(pasted)
    sandboxed = pasted.has("sign.sandbox") and (pasted.has("sign.metal_failure") or failing)
    if not (pasted.has("sign.no_metal_device") or sandboxed):
        return None
    where = " / ".join(what for sign, what in _WHERE if pasted.has(sign)) or None
    cause, fix = msg.pasted_process_gets_no_metal_device(where)
    lines = _lines(pasted, "sign.no_metal_device", "sign.metal_failure", "sign.sandbox")
    lines += _lines(pasted, "mps_available", "sign.gpu_missing")
    lines += _lines(pasted, "sign.vm", "sign.ci_runner", "sign.container", "sign.remote")
    return _row("mps.available", "MPS device available", cause, fix, lines)


_UNAVAILABLE = re.compile(
    r"avail|detect|found|access|\bsee|support|creat|fail|\bno (?:MPS|GPU|Metal)", re.IGNORECASE
)


def _said_unavailable(pasted: Pasted) -> bool:
    """The paste says MPS / the GPU is unavailable ("MPS reports unavailable", "no Metal"), not
    only unused."""
    return any(_UNAVAILABLE.search(c.line) for c in pasted.signs.get("sign.gpu_missing") or [])


def pc_finding(pasted: Pasted) -> Result | None:
    """host.os failing for a PC told by its own NVIDIA RTX GPU (or a +cuXXX torch in use), where
    the paste names MPS but no OS and no Mac (a Mac's chip or macOS, or a Mac named): MPS exists
    only on Macs."""
    f = pasted.facts
    clues = pasted.signs.get("sign.pc_gpu") or pasted.signs.get("sign.cuda_torch") or []
    if not clues or f.os is not None or f.macos_version or pasted.has("sign.mac_hint"):
        return None
    if rules.apple_silicon(f) is not None or f.mps_available is not None:
        return None
    if not MPS_SAID.search(pasted.text) or mpswork.NVIDIA_MPS.search(pasted.text):
        return None
    if clues[0].field == "sign.cuda_torch":  # a +cuXXX torch in use (Sanster/IOPaint#230)
        cause, fix = platform_msg.cuda_torch_not_a_mac(str(clues[0].value))
    else:
        cause, fix = msg.pasted_pc_not_a_mac(str(clues[0].value))
    return _row("host.os", "Operating system", cause, fix, [c.line for c in clues])


# Apple's frameworks refusing a process that is not on macOS (verify.known_errors)
_OFF_MAC_ERRORS = frozenset({"mps.apple_framework_off_mac", "mps.mlx_off_mac"})


def container_finding(pasted: Pasted) -> Result | None:
    """host.os failing where an Apple framework refused because the process is not on macOS
    (coremltools' "Model prediction is only supported on macOS", MLX's missing library) and the
    paste runs it in a container but names no OS: the container's Linux is the OS
    (tf-coreml/tf-coreml#187: Core ML prediction "from within a Docker container")."""
    if pasted.facts.os is not None or not {e.id for e in pasted.errors} & _OFF_MAC_ERRORS:
        return None
    clues = pasted.signs.get("sign.container") or []
    if not clues:
        return None
    cause, fix = platform_msg.apple_framework_in_container(str(clues[0].value))
    return _row("host.os", "Operating system", cause, fix, [c.line for c in clues])


def os_finding(pasted: Pasted) -> Result | None:
    """host.os failing from what the paste shows of the place, where the rules could not."""
    return pc_finding(pasted) or container_finding(pasted)


def build_finding(pasted: Pasted) -> Result | None:
    """mps.built failing from what the paste shows of the build (see the module doc)."""
    f = pasted.facts
    if f.os != "Darwin" or rules.apple_silicon(f) is False:
        return None  # MPS is expected of macOS on Apple silicon only
    if {e.id for e in pasted.errors} & {"mps.not_built", "mps.not_linked"}:
        return None  # torch's own message says it, in its own row
    # the source-built attribute, or a nix-store torch (torch-bin installs there too, but the
    # wheel's MPS is not unavailable on a macOS its floor allows: only then is it blamed)
    nix = pasted.signs.get("sign.nix_source_torch") or []
    if not nix and _macos_allows_mps(f):
        nix = pasted.signs.get("sign.nix_torch") or []
    version = compat.parse_version(f.torch_version)
    if nix and f.mps_built is not True and f.mps_available is not True:
        old = version is None or NIX_MPS_SINCE is None or version < NIX_MPS_SINCE
        failing = f.mps_available is False or f.mps_built is False
        if old and failing:
            cause, fix = msg.pasted_nix_torch_without_mps(str(nix[0].value), f.torch_version)
            lines = [c.line for c in nix] + _lines(pasted, "mps_available", "mps_built")
            return _row("mps.built", "PyTorch built with MPS", cause, fix, lines)
    if f.mps_built is False and f.torch_version is None:
        cause, fix = msg.pasted_mps_not_built_unknown_torch()
        return _row("mps.built", "PyTorch built with MPS", cause, fix, _lines(pasted, "mps_built"))
    return None


def _macos_allows_mps(f: Facts) -> bool:
    """A known macOS at or above this torch's MPS floor (so a wheel would find a device)."""
    macos = compat.parse_version(f.macos_version)
    floor = compat.mps_min_macos(f.torch_version) if f.torch_version else None
    return macos is not None and floor is not None and macos >= floor and not rules.in_vm(f)


def _lines(pasted: Pasted, *names: str) -> list[str]:
    return [line for name in names for line in pasted.evidence.get(name, [])]


def _row(rule_id: str, title: str, cause: str, fix: Fix, lines: list[str]) -> Result:
    row = Result.from_outcome(rule_id, title, failed(cause, fix), required=True)
    return row.with_evidence(quote(line) for line in lines if line)
