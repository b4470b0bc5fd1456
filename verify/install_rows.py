"""Rows for what installers' refusals prove beyond verify.resolver's torch wheels (issue 12).

Pure: a rule's row and the Pasted in, the row the paste supports (or None) out; texts in
verify.install_messages. verify.resolver.finding asks these after its own.

- host.python: a release (torch or any package an install needs: torchvision, torchaudio,
  torchcodec) with no wheel for this Python's tag (verify.paste.pytags), whatever the OS:
  the Python is the cause (pytorch/pytorch#172993: torchvision 0.25.0 only cp314t on macOS).
- host.arch: a LibTorch download for macOS x86_64 past 2.2.2 (verify.paste.downloads): the
  toolchain builds for x86_64 (LaurentMazare/tch-rs#897);
- host.arch: an Intel Mac asked to take a torch / LibTorch release past 2.2.2 (ankane/torch.rb#59),
  where the rules pass it as "MPS not applicable";
- host.arch: a native arm64 Python whose environment holds another package's x86_64 extension
  ("mach-o file, but is an incompatible architecture (have 'x86_64', need 'arm64')" for a
  package that is not torch: rsagroup/rsatoolbox#383, built from a Terminal under Rosetta);
  torch's own library is the torch.installed row (verify.paste.packages).
"""

from __future__ import annotations

import dataclasses

from verify import compat
from verify import install_messages as msg
from verify.envdump import Pasted
from verify.messages import INTEL_MAC_CAUSE
from verify.model import Result, Status, failed
from verify.paste.pytags import python_of

MAX_EVIDENCE = 6


def finding(result: Result, pasted: Pasted) -> Result | None:
    if result.id == "host.python" and result.status is not Status.FAIL:
        return _python_tag(result, pasted)
    if result.id == "host.arch" and result.status is Status.FAIL:
        # the rules' generic Intel Mac failure: say which release the project asked for
        return _intel_mac_asks(result, pasted) if result.cause == INTEL_MAC_CAUSE else None
    if result.id == "host.arch" and result.status in (Status.SKIP, Status.PASS):
        return (
            _eliminated(result, pasted)
            or _libtorch_x86_64(result, pasted)
            or _intel_mac_asks(result, pasted)
            or _extension_other_arch(result, pasted)
        )
    return None


def _python_tag(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.no_wheel_for_python") or []
    if not clues:
        return None
    package, release, tag, tags = clues[0].value
    python = python_of(tag) or pasted.facts.python_version
    cause, fix = msg.no_wheel_for_python_tag(package, release, tag, tuple(tags), python)
    lines = [c.line for c in clues] + pasted.evidence.get("python_version", [])[:1]
    return _failed(result, cause, fix, lines, package=package, release=release, tag=tag)


def _eliminated(result: Result, pasted: Pasted) -> Result | None:
    """macOS x86_64 left by elimination (verify.resolver.infer): the paste names no OS, and no
    wheel of a release that has this Python's wheels everywhere else fit."""
    clues = pasted.signs.get("sign.platform_by_elimination") or []
    f = pasted.facts
    if not clues or f.hardware_arm64 is not None or f.machine != "x86_64":
        return None
    wanted = next(
        (
            str(c.value)
            for name in ("sign.every_wheel_skipped", "sign.pip_no_torch")
            for c in pasted.signs.get(name) or []
            if "==" in str(c.value)
        ),
        "torch",
    )
    cause, fix = msg.no_matching_wheel_x86_64(wanted, str(f.python_version))
    lines = pasted.evidence.get("os", []) + pasted.evidence.get("python_version", [])[:1]
    return _failed(result, cause, fix, lines, machine="x86_64", by_elimination=True)


def _libtorch_x86_64(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.libtorch_x86_64") or []
    f = pasted.facts
    if not clues or f.os != "Darwin" or f.machine != "x86_64" or f.translated:
        return None  # under Rosetta the rules' own row says so
    release, url = clues[0].value
    cause, fix = msg.x86_64_libtorch(release, url)
    lines = [c.line for c in clues] + pasted.evidence.get("sign.intel_cpu", [])[:1]
    return _failed(result, cause, fix, lines, machine="x86_64", libtorch=release)


def _intel_mac_asks(result: Result, pasted: Pasted) -> Result | None:
    f = pasted.facts
    if f.os != "Darwin" or f.hardware_arm64 is not False or f.mps_available:
        return None
    asked = [
        c
        for name in ("sign.torch_requested", "sign.torch_at_least")
        for c in pasted.signs.get(name) or []
        if (v := compat.release_of(str(c.value))) is not None and v > compat.LAST_MACOS_X86_64_WHEEL
    ]
    if not asked:
        return None
    cause, fix = msg.intel_mac_asks_past_x86_64(str(asked[0].value))
    lines = [asked[0].line, *pasted.evidence.get("sign.intel_cpu", [])]
    return _failed(result, cause, fix, lines, machine="x86_64", asked=str(asked[0].value))


def _extension_other_arch(result: Result, pasted: Pasted) -> Result | None:
    f = pasted.facts
    if f.os != "Darwin" or f.machine != "arm64" or f.torch_import_error:
        return None
    clues = [c for c in pasted.signs.get("sign.wrong_arch_library") or [] if c.value == "x86_64"]
    if not clues:
        return None
    cause, fix = msg.extension_other_arch("x86_64", "arm64")
    lines = [c.line for c in clues] + pasted.evidence.get("chip", [])[:1]
    return _failed(result, cause, fix, lines, machine="arm64", library="x86_64")


def _failed(result: Result, cause: str, fix, lines: list[str], **data) -> Result:
    row = Result.from_outcome(result.id, result.title, failed(cause, fix, **data), required=True)
    return dataclasses.replace(row, evidence=tuple(dict.fromkeys(lines))[:MAX_EVIDENCE])
