"""Does the paste show PyTorch work on the MPS device? What a paste needs to be diagnosed when it
holds no fact about the machine (issue 12).

Healthy and wrong-results threads often paste only the user's script, a notebook cell, a
training log or a warning: torch running on "mps", with no chip, macOS, Python or PyTorch
version. A helper still answers them (nothing in the text points at the environment), so
verify.diagnosis.envdump diagnoses such a paste instead of refusing it; the rows it cannot settle
are skipped and verify.diagnosis.settle names the command whose output settles them. Text with
nothing about torch on MPS and no Mac named (a question about a slow laptop, lorem ipsum) is
still refused.

`shown(signs)` is true when any reader saw MPS in use or told:
- code or words asking for the MPS device (sign.mps_intent: `device="mps"`, `.to("mps")`,
  `torch.backends.mps`, "on MPS", "MPS backend", "support for MPS":
  verify.diagnosis.paste.places/prose);
- MPS said to fail, to lack an op or float64, or to run out of memory, an application's MPS
  opt-in (verify.diagnosis.paste.said / told / prose), when the words name MPS;
- what this module reads (sign.mps_work):
  - a program's log naming the device it picked: "Using device: mps", "Device: mps",
    "running on mps", "device=mps" (a training log's echo of its config);
  - torch's deprecation warning for torch.has_mps ("'has_mps' is deprecated, please use
    'torch.backends.mps.is_built()'": torch/__init__.py `_deprecated_attrs`, torch 2.1 on;
    jeffheaton/app_deep_learning#2) and code using `has_mps` / `torch.mps.*`;
  - PyTorch's MPS environment variables (`PYTORCH_ENABLE_MPS_FALLBACK`,
    `PYTORCH_MPS_HIGH_WATERMARK_RATIO`, ...: docs/source/mps_environment_variables.rst);
  - Lightning's `accelerator="mps"`, accelerate's `distributed_type: MPS` / `mps` answer;
  - the failure texts of Metal Performance Shaders itself, which only MPS work reaches
    (`[MPSNDArray initWithDevice:descriptor:] Error: total bytes of NDArray > 2**32`,
    pytorch/pytorch#86279; MPSGraph's `failed assertion`).
The MPS device picked, not merely probed (`--device mps`, `device="mps"` outside a conditional,
"Using device: mps", "set the device to mps") is sign.mps_chosen: on Linux or Windows that is
MPS asked of a machine that cannot have it (verify.diagnosis.diagnose). NVIDIA's Multi-Process
Service
(also "MPS") gives no such sign.
Pure: text in, clues out. A negated phrase ("not using mps") gives nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from verify.diagnosis.paste.clues import WEAK, Clue, clue, finditer, stated
from verify.known_errors import MAC_WORDS

_I = re.IGNORECASE
MPS_WORK = re.compile(
    # a log naming the device: "Using device: mps", "Device: mps:0", "running on mps",
    # "device=mps" (nanoGPT's config echo), "Selected device: MPS"; against CJK letters too
    # ("M4 Pro支持Device: mps": numz/ComfyUI-SeedVR2_VideoUpscaler#395, where "\b" fails)
    r"(?<![A-Za-z0-9_])(?:(?:using|selected|chosen|current|torch|default)[ \t]+)?"
    r"device[ \t]*(?:[:=]|is)[ \t]*"
    r"['\"`]?mps(?::\d)?\b|"
    r"\b(?:running|run|runs|training|inference)[ \t]+on[ \t]+['\"`]?mps\b(?![ \t]*\?)|"
    # "tests in my CI that use `mps` backend" (actions/runner-images#14380)
    r"\b(?:use|uses|using|used|with|on|via)[ \t]+(?:the[ \t]+)?['\"`]?mps(?::\d)?['\"`]?[ \t]+"
    r"(?:device|backend)\b|"
    # Apple's MPS named as such (not NVIDIA's Multi-Process Service): "does it work with Apple
    # mps ?" (Azure/MS-AMP#110)
    r"\bApple(?:'s)?[ \t]+(?:Metal[ \t]+)?MPS\b|"
    # torch.has_mps (deprecated in 2.1) and torch.mps.* calls
    r"\btorch\.has_mps\b|'has_mps' is deprecated|\btorch\.mps\.\w+|"
    # PyTorch's MPS environment variables
    r"\bPYTORCH_(?:ENABLE_MPS_FALLBACK|MPS_[A-Z_]+)\b|"
    # Lightning's accelerator, accelerate's config answer
    r"\baccelerator[ \t]*=[ \t]*['\"]mps['\"]|\bdistributed_type:[ \t]*['\"]?MPS\b|"
    # Metal Performance Shaders' own failure texts
    r"\[MPSNDArray[ \t]+\w+|\bMPSGraph\w*\b[^\n]{0,80}?\b(?:failed assertion|error)\b|"
    r"MetalPerformanceShaders(?:Graph)?/[\w/]+\.mm:\d+: failed assertion",
    _I,
)
_MPS = re.compile(r"\bmps\b", _I)
# the MPS device picked by the user or the code, not merely tested for: a `--device mps` flag, an
# assignment or `.to("mps")` outside a conditional, a log's "Using device: mps", Lightning's
# accelerator, accelerate's answer, an app "set to mps". On Linux or Windows it is MPS asked of a
# machine that cannot have it (verify.diagnosis.diagnose.expect_mps): BallonsTranslator#660's
# module "set
# to mps" on Windows, apple/ml-fastvlm#52's predict.py with device="mps" on a Windows PC.
MPS_CHOSEN = re.compile(
    r"--device[= ]['\"]?mps\b|"
    r"^[^\n#]*?\b(?:device|map_location)\s*=\s*(?:torch\.device\(\s*)?['\"]mps(?::\d)?['\"]"
    r"(?![^\n]*\b(?:if|else)\b)|"
    r"^[^\n#]*?\.to\(\s*['\"]mps(?::\d)?['\"]\s*\)(?![^\n]*\b(?:if|else)\b)|"
    r"\b(?:using|selected|chosen|current)[ \t]+device[ \t]*[:=][ \t]*['\"`]?mps\b|"
    r"\baccelerator[ \t]*=[ \t]*['\"]mps['\"]|\bdistributed_type:[ \t]*['\"]?MPS\b|"
    r"\b(?:set|switched|changed)[ \t]+(?:the[ \t]+)?(?:\w+[ \t]+)?device[ \t]+(?:to|as)[ \t]+"
    r"['\"`]?mps\b",
    _I | re.MULTILINE,
)
# NVIDIA's Multi-Process Service is also "MPS" (nvidia-cuda-mps-control, CUDA_MPS_PIPE_DIRECTORY,
# CUDA's "Error 805: MPS client failed to connect to the MPS control daemon or the MPS server":
# NVIDIA/nvidia-container-toolkit#714): a paste about it chooses no Apple device
NVIDIA_MPS = re.compile(
    r"nvidia-cuda-mps|CUDA_MPS_|\bMPS[ \t]+(?:daemon|server|control|client)", _I
)

# the signs other readers give that show torch work on MPS when their words name MPS
WORK_SIGNS = (
    "sign.mps_work",
    "sign.mps_chosen",
    "sign.mps_intent",
    "sign.mps_failure_said",
    "sign.op_said_missing",
    "sign.float64_said",
    "sign.mps_memory_said",
    "sign.app_mps_opt_in",
    # MPS said unavailable or undetected ("MPS is not available on my Mac", "mps not detected"):
    # an MPS failure told in words, like sign.mps_failure_said (verify.diagnosis.paste.places)
    "sign.gpu_missing",
)


# signs that are MPS by their own reading; the others count where their words name MPS
_ALWAYS = ("sign.mps_work", "sign.mps_chosen", "sign.mps_intent")


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(MPS_WORK, text, "mps", "MPS", "Mps"):
        if stated(text, m, strict=False):
            out.append(clue("sign.mps_work", m.group(0), text, m, WEAK))
            break  # one is enough
    if not NVIDIA_MPS.search(text):
        for m in finditer(MPS_CHOSEN, text, "mps", "MPS"):
            if stated(text, m, strict=False):
                out.append(clue("sign.mps_chosen", m.group(0).strip(), text, m, WEAK))
                break
    return out


# the Mac named on a GPU wish's line: the GPU wished for is the Mac's, which torch reaches through
# MPS alone ("Can Mac use gpu acceleration?": CVHub520/X-AnyLabeling#862, answered with the
# model's `device_type: mps`)
_MAC = re.compile(rf"(?<![A-Za-z])(?:{MAC_WORDS})(?![A-Za-z])", _I)


def shown(signs: Mapping[str, Sequence[Clue]]) -> bool:
    """Does the paste show PyTorch work on the MPS device (see the module doc)?"""
    for name in WORK_SIGNS:
        for c in signs.get(name) or ():
            if name in _ALWAYS or _MPS.search(f"{c.value} {c.line}"):
                return True
    return any(_MAC.search(c.line) for c in signs.get("sign.gpu_intent") or ())


# a line that only probes for MPS, or asks about it: not the device picked
_PROBE = re.compile(r"\bis_(?:available|built)\b|\bif\b|\belse\b|\?|\belif\b", _I)


def asked(signs: Mapping[str, Sequence[Clue]]) -> bool:
    """Was MPS asked for, not merely probed: the device picked (sign.mps_chosen), or MPS use
    shown or named on a line that is no check or question ("mps device" as a thread's title,
    "Using device: mps")? With a traceback's own Windows / Linux paths
    (verify.diagnosis.paste.paths) that is MPS asked of a PC (mkara44/liveportrait_talker#4)."""
    if signs.get("sign.mps_chosen"):
        return True
    found = [*(signs.get("sign.mps_work") or ()), *(signs.get("sign.mps_intent") or ())]
    return any(not _PROBE.search(f"{c.value} {c.line}") for c in found)
