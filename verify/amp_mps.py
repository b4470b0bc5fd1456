"""Which torch release brought each part of automatic mixed precision on MPS (issue 12).

torch.autocast(device_type="mps") raises "User specified an unsupported autocast device_type
'mps'" on a torch without an MPS branch in torch/amp/autocast_mode.py; frameworks that wrap it
(accelerate's Accelerator, transformers' Trainer through it) refuse fp16 / bf16 mixed precision
on MPS where torch lacks the part they need. Read from the macOS arm64 wheels' own Python
source (verify/data/amp_mps.json, written by scripts/recipes/amp_mps.py): autocast (float16),
autocast_bfloat16, and grad_scaler (fp16 training's GradScaler, whose unscale step took a float64
reciprocal, which MPS refuses, until torch special-cased the MPS device). Imported by the check
worker (verify.known_errors): no `packaging` here.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

RESOURCE = "amp_mps.json"
AUTOCAST = "autocast"
FLOAT16 = "autocast_float16"
BFLOAT16 = "autocast_bfloat16"
GRAD_SCALER = "grad_scaler"

Release = tuple[int, ...]


@functools.cache
def _first() -> dict[str, str]:
    text = resources.files("verify").joinpath("data", RESOURCE).read_text("utf-8")
    return {k: v for k, v in json.loads(text)["first"].items() if v}


def first_text(feature: str) -> str:
    """The first release that has `feature` ("2.5.0"), as read from the wheels."""
    return _first()[feature]


def first(feature: str) -> Release:
    return tuple(int(p) for p in first_text(feature).split("."))


def minor(feature: str) -> str:
    """The feature's first release as "2.5" (for prose)."""
    return ".".join(first_text(feature).split(".")[:2])
