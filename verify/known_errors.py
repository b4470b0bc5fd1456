"""The error messages torch prints about MPS, recognised in exceptions and in pasted text.

Used by the worker (an exception a check raised -> cause and fix) and by `diagnose` (an error
message pasted with the environment). Pure: text in, `KnownError` out, no I/O.
Each pattern cites where torch prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verify.model import Fix


@dataclass(frozen=True)
class KnownError:
    id: str  # e.g. "mps.oom"
    cause: str
    fix: Fix
    expected_on_mps: bool = False  # float64 refusal: the expected outcome on MPS
    match: str = ""  # the text that matched


@dataclass(frozen=True)
class _Pattern:
    id: str
    regex: re.Pattern[str]
    cause: str
    fix: Fix
    expected_on_mps: bool = False


PATTERNS: tuple[_Pattern, ...] = (
    # aten/src/ATen/mps/MPSAllocator.mm: "MPS backend out of memory (MPS allocated: ...).
    # ... Use PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit ..."
    _Pattern(
        "mps.oom",
        re.compile(r"MPS backend out of memory[^\n]*", re.IGNORECASE),
        "The MPS allocator hit its memory limit (the high watermark), so the allocation was refused.",
        Fix(
            "Use a smaller batch or model, free tensors you no longer need "
            "(torch.mps.empty_cache()), or raise the limit with PYTORCH_MPS_HIGH_WATERMARK_RATIO "
            "(0.0 removes it, which can make macOS unstable under memory pressure).",
            ("export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0",),
        ),
    ),
    # aten/src/ATen/native/mps/OperationUtils.mm: "Cannot convert a MPS Tensor to float64 dtype
    # as the MPS framework doesn't support float64. Please use float32 instead."
    _Pattern(
        "mps.float64",
        re.compile(r"MPS framework doesn't support float64[^\n]*|"
                   r"Cannot convert a MPS Tensor to float64[^\n]*", re.IGNORECASE),
        "The MPS framework has no float64 (double) support, so torch refuses float64 tensors on mps.",
        Fix("Use float32 on MPS: convert with tensor.to(torch.float32) before moving it to 'mps', "
            "or keep float64 work on the CPU."),
        expected_on_mps=True,
    ),
    # aten/src/ATen/mps/MPSFallback.mm: "The operator 'aten::...' is not currently implemented
    # for the MPS device. ... set the environment variable `PYTORCH_ENABLE_MPS_FALLBACK=1` ..."
    _Pattern(
        "mps.op_not_implemented",
        re.compile(r"The operator '([^']+)' is not currently implemented for the MPS device[^\n]*"),
        "This PyTorch has no MPS kernel for an operator the code uses.",
        Fix(
            "Set PYTORCH_ENABLE_MPS_FALLBACK=1 to run that operator on the CPU (slower), or "
            "upgrade PyTorch: newer releases implement more operators on MPS.",
            ("export PYTORCH_ENABLE_MPS_FALLBACK=1",),
        ),
    ),
    # torch/_C: "PyTorch is not linked with support for mps devices"
    _Pattern(
        "mps.not_linked",
        re.compile(r"PyTorch is not linked with support for mps devices[^\n]*"),
        "This PyTorch was built without MPS (e.g. an x86_64 / osx-64 build or a Linux wheel).",
        Fix("Install an arm64 (osx-arm64) PyTorch from a native arm64 Python: "
            "`nox -s install`, or `pip install torch` from an arm64 interpreter."),
    ),
    # torch/backends/mps/__init__.py & aten/src/ATen/mps/MPSDevice.mm warnings
    _Pattern(
        "mps.not_built",
        re.compile(r"MPS not available because the current PyTorch install was not built with "
                   r"MPS enabled[^\n]*"),
        "This PyTorch was built without MPS.",
        Fix("Install an arm64 (osx-arm64) PyTorch from a native arm64 Python: `nox -s install`."),
    ),
    _Pattern(
        "mps.macos_too_old",
        re.compile(r"The MPS backend is supported on MacOS (\d+(?:\.\d+)?)\+[^\n]*|"
                   r"MPS not available because the current MacOS version is not (\d+(?:\.\d+)?)\+"
                   r"[^\n]*", re.IGNORECASE),
        "macOS is older than this PyTorch's MPS backend needs, or there is no MPS-capable device.",
        Fix("Update macOS (System Settings > General > Software Update), or install an older "
            "PyTorch whose MPS backend supports this macOS."),
    ),
)


def explain(text: str) -> KnownError | None:
    """The first known MPS error in `text`, or None."""
    for p in PATTERNS:
        m = p.regex.search(text)
        if m:
            return KnownError(p.id, p.cause, p.fix, p.expected_on_mps, m.group(0))
    return None


def explain_all(text: str) -> list[KnownError]:
    """Every known MPS error in `text`, once per id, in pattern order."""
    found = []
    for p in PATTERNS:
        m = p.regex.search(text)
        if m:
            found.append(KnownError(p.id, p.cause, p.fix, p.expected_on_mps, m.group(0)))
    return found
