"""Causes and fixes for mixed precision refused on MPS by a torch too old for it (issue 12), in
verify/messages.py's voice (verify.diagnosis.amp_rows)."""

from __future__ import annotations

from verify.model import Fix


def needs_newer_torch(shown: str, what: str, minor: str, first: str) -> tuple[str, Fix]:
    """A framework refused mixed precision on MPS with torch `shown`; `what` (fp16 training's
    GradScaler, bfloat16 autocast) first runs on MPS in torch `minor` (release `first`)."""
    cause = (
        f"The paste refuses mixed precision on MPS with torch {shown}, and {what} first runs "
        f"on MPS in PyTorch {minor} (read from the macOS arm64 wheels): this torch predates "
        "what the mixed-precision training asks of MPS, whatever the library around it allows."
    )
    fix = Fix(
        f"Upgrade PyTorch to {minor} or newer and accelerate to 1.11 or newer (which lets MPS "
        "through), in the environment that runs the training; or train without mixed "
        "precision on MPS (mixed_precision='no', fp16=False, bf16=False).",
        (f'python -m pip install --upgrade "torch>={first}" accelerate',),
        "https://github.com/huggingface/accelerate/issues/3718",
    )
    return cause, fix
