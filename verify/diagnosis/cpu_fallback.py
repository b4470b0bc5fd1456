"""A CPU kernel's dtype refusal from an op that MPS runs on the CPU below macOS 13 (issue 12).

torch 2.0-2.4 run some MPS operators natively only from macOS 13 and, on macOS 12, copy the
tensors to the CPU and run the CPU kernel (TORCH_WARN_ONCE "MPS: '<mode>' mode upsampling is
supported natively starting from macOS 13.0. Falling back on CPU", "MPS: nonzero op is supported
natively starting from macOS 13.0", and the same for median, _unique2, grid_sampler_2d,
pixel_shuffle, randperm, unique_consecutive, passing scale factors to upsample ops: the strings
of the 2.0.1-2.4.1 macOS arm64 wheels, tests/data/torch_wheels). The CPU kernels of that time
had no float16 for several of them, so a float16 model on macOS 12 stops there with the CPU's
dispatch error: `"upsample_nearest2d_channels_last" not implemented for 'Half'`
(vladmandic/sdnext#1591 on an M1 with macOS 12.5.1 and torch 2.0.1: the network ran in float16
on MPS up to the one upsampling step macOS 12 sends to the CPU).

Read only on an Apple silicon Mac whose macOS the paste shows below 13, with a torch 2.0-2.4
(or unstated). The row is `error.mps.op_falls_back_on_old_macos`, a failure (the run stopped).

Elsewhere on a Mac the same CPU error is an op run on the CPU in half precision: the tensors were
on the CPU (an application that moved the model to MPS but left a step on the CPU, or loaded it
in float16 for the CPU) or MPS handed the op to the CPU, and the CPU kernel has no float16
("lerp_kernel_scalar" not implemented for 'Half' "on mac m1": nateraw/stable-diffusion-videos#125;
"LayerNormKernelImpl", "macOS half not implemented": kijai/ComfyUI-Marigold#9). That row is
`error.mps.op_runs_on_cpu`, a warning (the application's own choice of device or dtype may be
the cause: chaiNNer-org/chaiNNer#2216, vladmandic/sdnext#1672 were healthy threads). Pure:
Pasted in, rows out.
"""

from __future__ import annotations

import re

from packaging.version import Version

from verify import compat
from verify.diagnosis import opsupport_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.model import Result, failed, warned
from verify.rules import apple_silicon

ROW_ID = "error.mps.op_falls_back_on_old_macos"
ON_CPU_ID = "error.mps.op_runs_on_cpu"
NATIVE_MACOS = Version("13.0")
# the releases that carry the macOS-13 fallbacks (2.5 needs macOS 13 for MPS at all)
FIRST, AFTER = Version("2.0"), Version("2.5")
# the CPU kernels of the operators torch 2.0-2.4 send to the CPU below macOS 13
FALLBACK_KERNELS = re.compile(
    r"^_?(?:upsample_\w+|nonzero\w*|median\w*|unique\w*|grid_sampler\w*|pixel_(?:un)?shuffle\w*|"
    r"randperm\w*)$"
)


def rows(pasted: Pasted) -> list[Result]:
    return _old_macos(pasted) or _on_the_cpu(pasted)


def _on_the_cpu(pasted: Pasted) -> list[Result]:
    """A CPU kernel's float16 / bfloat16 refusal in a Mac's paste: the op ran on the CPU."""
    if pasted.facts.os not in (None, "Darwin"):
        return []
    if not (pasted.from_a_mac() or pasted.has("sign.mac_named") or apple_silicon(pasted.facts)):
        return []
    refused = pasted.signs.get("sign.cpu_dtype_refused") or []
    if not refused:
        return []
    kernel, dtype = refused[0].value
    said = f"\"{kernel}\" not implemented for '{dtype}'"
    cause, fix = msg.cpu_kernel_dtype(kernel, dtype)
    row = Result.from_outcome(
        ON_CPU_ID,
        "Pasted error: an op run on the CPU in half precision",
        warned(cause, fix, detail=said, message=said, said=True),
        required=False,
    )
    return [row.with_evidence([refused[0].line, *pasted.mac_lines()])]


def _old_macos(pasted: Pasted) -> list[Result]:
    f = pasted.facts
    mac = compat.parse_version(f.macos_version)
    if mac is None or mac >= NATIVE_MACOS or f.translated or f.machine == "x86_64":
        return []
    if apple_silicon(f) is not True:
        return []
    torch = compat.release_of(f.torch_version)
    if torch is not None and not FIRST <= torch < AFTER:
        return []
    for refused in pasted.signs.get("sign.cpu_dtype_refused") or []:
        kernel, dtype = refused.value
        if not FALLBACK_KERNELS.match(kernel):
            continue
        said = f"\"{kernel}\" not implemented for '{dtype}'"
        cause, fix = msg.cpu_fallback_dtype(kernel, dtype, str(f.macos_version), f.torch_version)
        row = Result.from_outcome(
            ROW_ID,
            "Pasted error: an op macOS 12 runs on the CPU",
            failed(cause, fix, detail=said, message=said, environment=False, said=True),
            required=False,
        )
        lines = [refused.line]
        for name in ("macos_version", "torch_version", "chip"):
            lines.extend(pasted.evidence.get(name, [])[:1])
        return [row.with_evidence(lines)]
    return []
