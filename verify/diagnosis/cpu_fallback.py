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
(or unstated): elsewhere the same CPU error is a CPU run in half precision. The row is
`error.mps.op_falls_back_on_old_macos`, a failure (the run stopped). Pure: Pasted in, rows out.
"""

from __future__ import annotations

import re

from packaging.version import Version

from verify import compat
from verify.diagnosis import opsupport_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste.clues import quote
from verify.model import Result, failed
from verify.rules import apple_silicon

ROW_ID = "error.mps.op_falls_back_on_old_macos"
NATIVE_MACOS = Version("13.0")
# the releases that carry the macOS-13 fallbacks (2.5 needs macOS 13 for MPS at all)
FIRST, AFTER = Version("2.0"), Version("2.5")
# ATen's CPU dispatch error (AT_DISPATCH_*): "<kernel name>" not implemented for '<dtype>'
CPU_DTYPE = re.compile(r"\"(?P<kernel>\w+)\" not implemented for '(?P<dtype>Half|BFloat16)'")
# the CPU kernels of the operators torch 2.0-2.4 send to the CPU below macOS 13
FALLBACK_KERNELS = re.compile(
    r"^_?(?:upsample_\w+|nonzero\w*|median\w*|unique\w*|grid_sampler\w*|pixel_(?:un)?shuffle\w*|"
    r"randperm\w*)$"
)


def rows(pasted: Pasted) -> list[Result]:
    f = pasted.facts
    mac = compat.parse_version(f.macos_version)
    if mac is None or mac >= NATIVE_MACOS or f.translated or f.machine == "x86_64":
        return []
    if apple_silicon(f) is not True:
        return []
    torch = compat.release_of(f.torch_version)
    if torch is not None and not FIRST <= torch < AFTER:
        return []
    for m in CPU_DTYPE.finditer(pasted.text):
        if not FALLBACK_KERNELS.match(m.group("kernel")):
            continue
        said = m.group(0)
        cause, fix = msg.cpu_fallback_dtype(
            m.group("kernel"), m.group("dtype"), str(f.macos_version), f.torch_version
        )
        row = Result.from_outcome(
            ROW_ID,
            "Pasted error: an op macOS 12 runs on the CPU",
            failed(cause, fix, detail=said, message=said, environment=False, said=True),
            required=False,
        )
        start = pasted.text.rfind("\n", 0, m.start()) + 1
        end = pasted.text.find("\n", m.end())
        lines = [quote(pasted.text[start : end if end >= 0 else len(pasted.text)])]
        for name in ("macos_version", "torch_version", "chip"):
            lines.extend(pasted.evidence.get(name, [])[:1])
        return [row.with_evidence(lines)]
    return []
