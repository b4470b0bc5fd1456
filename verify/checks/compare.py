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


def mismatch(torch: Any, actual: Any, expected: Any, **tolerance: float) -> dict[str, Any] | None:
    """None when `actual` (any device) is close to `expected` (CPU), else what differs.

    Tolerances default to assert_close's per-dtype defaults; pass rtol/atol to override.
    """
    actual = actual.detach().cpu()
    expected = expected.detach().cpu()
    try:
        torch.testing.assert_close(actual, expected, **tolerance)
    except AssertionError as exc:
        found: dict[str, Any] = {"message": " ".join(str(exc).split())[:400]}
        if actual.shape == expected.shape and actual.dtype == expected.dtype:
            diff = (actual.double() - expected.double()).abs()
            diff = torch.nan_to_num(diff, nan=float("inf"))
            found["max_abs_error"] = float(diff.max()) if diff.numel() else 0.0
            where = int(diff.argmax()) if diff.numel() else 0
            found["at_index"] = where
            found["got"] = float(actual.double().flatten()[where]) if diff.numel() else None
            found["expected"] = float(expected.double().flatten()[where]) if diff.numel() else None
        return found
    return None


def small_ints(torch: Any, shape: Sequence[int], dtype: Any, low: int = -2, high: int = 3) -> Any:
    """Integer-valued tensor: products and sums stay exact in every float dtype we test."""
    return torch.randint(low, high, tuple(shape)).to(dtype)
