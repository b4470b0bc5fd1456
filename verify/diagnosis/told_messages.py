"""User-facing cause / fix texts for causes told in words (verify.diagnosis.told_rows)."""

from __future__ import annotations

from verify.messages import CHECK_MPS_AVAILABLE
from verify.model import Fix


def torch_older_than_fix(release: str, have: str | None, needed: bool = False) -> tuple[str, Fix]:
    which = f"PyTorch {have}" if have else "the PyTorch in use (its version is not in the text)"
    cause = (
        f"The text says the code requires PyTorch {release} or newer: {which} is older."
        if needed
        else f"The text says PyTorch {release} fixes this (or is needed for it): {which} is "
        "older, and the fault is one that release's MPS backend fixed."
    )
    fix = Fix(
        f"Upgrade PyTorch to {release} or newer in this environment (an app that pins an older "
        "torch needs its pin raised), then run the same code again.",
        (f'python -m pip install --upgrade "torch>={release}"',),
    )
    return cause, fix


def app_mps_opt_in() -> tuple[str, Fix]:
    cause = (
        "The application's MPS path is experimental, so it runs on the CPU unless MPS is switched "
        "on: the device is the application's choice, and nothing in the text says MPS fails on "
        "this machine."
    )
    fix = Fix(
        "Turn the application's MPS switch on (its documented flag, option or environment "
        "variable, e.g. an `experimental=True` or `--device mps` setting); check MPS itself with "
        "the command below.",
        (CHECK_MPS_AVAILABLE,),
    )
    return cause, fix
