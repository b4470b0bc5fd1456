"""Causes and fixes that rest on when a paste was written (verify.diagnosis.timeline), in
verify/messages.py's
voice: what was wrong at the time, then what to do now, with the exact commands."""

from __future__ import annotations

from verify.diagnosis.timeline import FirstWheel, Written
from verify.model import Fix

UPGRADE = "python -m pip install --upgrade pip torch"


def python_newer_than_wheels_then(first: FirstWheel, written: Written | None) -> tuple[str, Fix]:
    """No torch installed (or found by pip) for a macOS Python X.Y that later releases serve:
    the paste predates the first release with a macOS arm64 wheel for X.Y (it shows nothing
    later; or, with no date in it, pip's finding none says so)."""
    when = (
        f"the newest thing the paste shows is from {written.after.isoformat()} ({written.why})"
        if written is not None
        else "pip finding none for it means the paste predates that (today it finds "
        f"{first.release} and later)"
    )
    cause = (
        f"No PyTorch release had a macOS wheel for Python {first.python} before torch "
        f"{first.release} (on PyPI {first.day.isoformat()}), and {when}: it was written when "
        "pip could find no torch for this Python, so none got installed."
    )
    fix = Fix(
        f"Install it now: torch {first.release} and later have macOS arm64 wheels for Python "
        f"{first.python} (upgrade pip first); or use an older Python, which had wheels then.",
        (UPGRADE,),
    )
    return cause, fix


def kernel_released_before(first_torch: str, day: str, written: Written) -> str:
    """An op refusal from a torch of unstated version, in a paste written after the first
    release with that op's MPS kernel: the torch that printed it was older than that."""
    return (
        f"The paste was written on {written.after.isoformat()} or later ({written.why}), after "
        f"PyTorch {first_torch} (on PyPI {day}) brought this MPS kernel: the torch that printed "
        "the message predates it."
    )


def op_before_first_mps_release(first_mps: str, day: str, written: Written) -> str:
    """An op refusal from a pre-release torch, in a paste that shows nothing later than the day
    of the first release with MPS: the backend was still a prototype in the nightlies."""
    return (
        f"Nothing in the paste is later than {written.after.isoformat()} ({written.why}), before "
        f"PyTorch {first_mps} (on PyPI {day}) first released the MPS backend: the nightlies "
        "carried it as a prototype, and this operator was one it had not implemented yet."
    )


def python_limits_torch_then(
    python: str,
    *,
    newest_then: str,
    range_then: str,
    written: Written,
    newest_now: str,
    range_now: tuple[object, object],
) -> tuple[str, Fix]:
    """The newest release out when the paste was written had no wheel for its Python
    (verify.diagnosis.python_then; verify.messages.python_limits_torch judges today's)."""
    cause = (
        f"PyTorch {newest_then}, the newest release when the paste was written (on "
        f"{written.after.isoformat()} or later: {written.why}), supports Python {range_then}, "
        f"not {python}: this Python was stuck with older PyTorch releases and missed their fixes."
    )
    fix = Fix(
        f"Recreate the environment with a Python in {range_now[0]}-{range_now[1]} (PyTorch "
        f"{newest_now}, the newest release today).",
        ("nox -s install",),
    )
    return cause, fix
