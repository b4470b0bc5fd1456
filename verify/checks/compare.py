"""Helpers shared by the device checks: compare a device result with the CPU's, recognise
torch's bfloat16 refusal on MPS, make exact-arithmetic inputs. Registers no checks, so importing
it does not change the order checks run in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from verify.checks import Context

# torch >= 2.3 on macOS 13: "MPS BFloat16 is only supported on MacOS 14 or newer"
# (https://github.com/pytorch/torchchat/issues/616); torch <= 2.2 / Intel Macs: "BFloat16 is not
# supported on MPS" (https://github.com/pytorch/pytorch/issues/141864).
BF16_REFUSED = re.compile(
    r"MPS BFloat16 is only supported on MacOS 14 or newer|BFloat16 is not supported on MPS",
    re.IGNORECASE,
)


def bf16_refused(exc: BaseException, ctx: Context) -> bool:
    return ctx.device_type == "mps" and bool(BF16_REFUSED.search(str(exc)))


# torch.testing.assert_close's per-dtype default tolerances (rtol, atol), as its documentation
# tables them (https://docs.pytorch.org/docs/stable/testing.html; torch/testing/_comparison.py
# _DTYPE_PRECISIONS); every other dtype (integers, bool) is compared exactly. They are applied
# here with torch.isclose, the same |actual - expected| <= atol + rtol * |expected| rule, because
# the first assert_close call in torch 2.13 imports torch.distributed.tensor: half a second the
# quick tier should not spend.
DEFAULT_TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
}


def default_tolerance(dtype: Any) -> tuple[float, float]:
    """(rtol, atol) for a torch dtype: assert_close's defaults, exact for non-float dtypes."""
    return DEFAULT_TOLERANCES.get(str(dtype).removeprefix("torch."), (0.0, 0.0))


def mismatch(
    torch: Any,
    actual: Any,
    expected: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
) -> dict[str, Any] | None:
    """None when `actual` (any device) is close to `expected` (CPU), else what differs.

    Tolerances default to assert_close's per-dtype defaults (DEFAULT_TOLERANCES); NaN is never
    close to anything. The result names the largest error and where it is.
    """
    actual = actual.detach().cpu()
    expected = expected.detach().cpu()
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        return {
            "message": f"got {actual.dtype}{tuple(actual.shape)}, expected "
            f"{expected.dtype}{tuple(expected.shape)}"
        }
    default_rtol, default_atol = default_tolerance(expected.dtype)
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    if expected.dtype == torch.bool:
        close = actual == expected
    else:
        close = torch.isclose(actual.double(), expected.double(), rtol=rtol, atol=atol)
    if bool(close.all()):
        return None
    diff = (actual.double() - expected.double()).abs()
    diff = torch.nan_to_num(diff, nan=float("inf"))
    where = int(diff.flatten().argmax())
    bad = int((~close).sum())
    found: dict[str, Any] = {
        "max_abs_error": float(diff.max()),
        "at_index": where,
        "got": float(actual.double().flatten()[where]),
        "expected": float(expected.double().flatten()[where]),
        "mismatched": bad,
        "elements": expected.numel(),
        "rtol": rtol,
        "atol": atol,
    }
    found["message"] = (
        f"{bad} of {expected.numel()} elements differ beyond rtol={rtol:g}, atol={atol:g}; the "
        f"largest error is {found['max_abs_error']:g} at index {where} (got {found['got']:g}, "
        f"expected {found['expected']:g})"
    )
    return found


def small_ints(torch: Any, shape: Sequence[int], dtype: Any, low: int = -2, high: int = 3) -> Any:
    """Integer-valued tensor: products and sums stay exact in every float dtype we test."""
    return torch.randint(low, high, tuple(shape)).to(dtype)
