"""A CPU kernel refusing a dtype: ATen's dispatch error `"<kernel>" not implemented for '<dtype>'`
(issue 12).

AT_DISPATCH_* raises it for a CPU kernel with no version for the tensor's dtype: on a Mac, float16
or bfloat16 tensors that reached the CPU ("lerp_kernel_scalar" not implemented for 'Half':
nateraw/stable-diffusion-videos#125; "LayerNormKernelImpl": kijai/ComfyUI-Marigold#9;
"upsample_nearest2d_channels_last" on macOS 12's CPU fallback: vladmandic/sdnext#1591).
verify.diagnosis.cpu_fallback weighs it against the Mac the paste shows.

-> sign.cpu_dtype_refused, value (kernel, dtype) for Half and BFloat16 only (a CPU refusing
float16 is the common case; other dtypes are the program's own). Pure: text in, clues out.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import LISTED, Clue, clue, finditer

CPU_DTYPE = re.compile(r"\"(?P<kernel>\w+)\" not implemented for '(?P<dtype>Half|BFloat16)'")


def read(text: str) -> list[Clue]:
    return [
        clue("sign.cpu_dtype_refused", (m.group("kernel"), m.group("dtype")), text, m, LISTED)
        for m in finditer(CPU_DTYPE, text, "not implemented for '")
    ]
