"""A compiled extension's operator refusing an MPS tensor: it has CPU / CUDA kernels only
(issue 12).

Libraries that ship their own C++ / CUDA operators (detectron2's ROIAlign, maskrcnn-benchmark,
pointnet2 / knn / causal-conv1d CUDA ops, older mmcv) pick the kernel themselves from the
tensor's device instead of going through torch's dispatcher, and check it with torch's macros:

- AT_ASSERTM / TORCH_INTERNAL_ASSERT: "input.device().is_cpu() INTERNAL ASSERT FAILED at
  ".../ROIAlign/ROIAlign_cpu.cpp":408, please report a bug to PyTorch. input must be a CPU
  tensor" (facebookresearch/detectron2#4686 with the input on "mps");
- TORCH_CHECK(x.is_cuda()): "Expected x.is_cuda() to be true, but got false." (c10's
  TORCH_CHECK without a message, c10/util/Exception.h);
- TORCH_CHECK(x.is_cuda(), "x must be a CUDA tensor") and the CHECK_CUDA / CHECK_CPU macros
  of many extensions: "points must be a CUDA tensor", "input must be a CPU tensor".

An MPS tensor handed to such an operator means the operator has no MPS kernel; torch's
PYTORCH_ENABLE_MPS_FALLBACK does not reach it (the extension never dispatches on 'MPS'). Read
only where the paste is about MPS (the device named in it): the same assert on a CUDA machine
is another story. -> sign.ext_op_no_mps, value (operator or file, the device it wants).

Pure: text in, clues out.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import WEAK, Clue, clue, finditer

_I = re.IGNORECASE
# the device check of an extension's kernel, as torch's macros print it
DEVICE_CHECK = re.compile(
    # AT_ASSERTM / TORCH_INTERNAL_ASSERT(x.is_cpu()) / (x.device().is_cuda())
    r"\b[\w.]*?\b(?:device\(\)\.|type\(\)\.)?is_(?P<assert_on>cpu|cuda)\(\) INTERNAL ASSERT FAILED"
    r"(?: at \"?(?P<file>[^\"\n]+?)\"?:\d+)?[^\n]*|"
    # TORCH_CHECK(x.is_cuda()) with no message of its own
    r"\bExpected [\w.]*?(?:device\(\)\.)?is_(?P<check_on>cpu|cuda)\(\) to be true, "
    r"but got false[^\n]*|"
    # CHECK_CUDA / CHECK_CPU and their like: "<name> must be a CUDA tensor"
    r"\b\w+ must be an? (?P<macro_on>CPU|CUDA) tensor\b[^\n]*",
    _I,
)
# the paste is about MPS: the device named (a tensor on it, the device string, the backend)
_MPS = re.compile(
    r"\bmps(?::\d+)?\b|torch\.backends\.mps|device\(type='mps'|\bMetal Performance Shaders\b",
    _I,
)
# a CUDA machine: its GPU or a CUDA torch in the same paste (then the assert is CUDA's story)
_CUDA_MACHINE = re.compile(
    r"\bIs CUDA available: True\b|\bcuda\.is_available\(\)\s*(?:->|=+|:)?\s*True\b|"
    r"\bNVIDIA (?:GeForce|RTX|A\d{2,3}|H\d{3}|Tesla)\b|\+cu\d{2,3}\b",
    _I,
)
# the kernel's source file named in the assert ("ROIAlign/ROIAlign_cpu.cpp" -> ROIAlign)
_OP_FROM_FILE = re.compile(r"([A-Za-z]\w*?)(?:_(?:cpu|cuda|kernel|forward))*\.(?:cpp|cu|cc)$")


def _operator(m: re.Match[str]) -> str:
    path = (m.group("file") or "").replace("\\", "/")
    found = _OP_FROM_FILE.search(path.rsplit("/", 1)[-1]) if path else None
    return found.group(1) if found else ""


def read(text: str) -> list[Clue]:
    for m in finditer(DEVICE_CHECK, text, "INTERNAL ASSERT", "to be true", " tensor"):
        if not _MPS.search(text) or _CUDA_MACHINE.search(text):
            return []
        wants = (m.group("assert_on") or m.group("check_on") or m.group("macro_on") or "").upper()
        # the message as pasted, up to the kernel's path (which names the user's own folders)
        said = m.group(0).split(' at "', 1)[0].strip()
        return [clue("sign.ext_op_no_mps", (_operator(m), wants, said), text, m, WEAK)]
    return []
