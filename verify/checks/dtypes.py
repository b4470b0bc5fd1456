"""dtypes.*: each dtype moves to the device, computes, and comes back with the right values.

Inputs are small integers, so every result (arithmetic, 16-element sums, comparisons) is exact
in every dtype: the device must match the CPU bit for bit.

Where MPS differs:
- float64: the MPS framework has no float64; torch refuses it with a TypeError ("Cannot convert a
  MPS Tensor to float64 dtype as the MPS framework doesn't support float64. Please use float32
  instead.", aten/src/ATen/native/mps/OperationUtils.mm / aten/src/ATen/mps/EmptyTensor.cpp,
  MPS_ERROR_DOUBLE_NOT_SUPPORTED). That refusal is the expected outcome: pass.
- bfloat16: supported on MPS from macOS 14 (https://github.com/pytorch/pytorch/pull/119641);
  older systems refuse it (see compare.BF16_REFUSED): a warning, since float16 works there.
"""

from __future__ import annotations

from typing import Any

from verify import messages
from verify.checks import Context, check
from verify.checks.compare import bf16_refused, mismatch
from verify.known_errors import explain
from verify.model import Outcome, Tier, failed, passed, warned


def sample(torch: Any, dtype: Any) -> Any:
    """A (4, 16) tensor of small integers (or booleans) in `dtype`."""
    if dtype == torch.bool:
        return torch.randint(0, 2, (4, 16)).bool()
    return torch.randint(-3, 4, (4, 16)).to(dtype)


def exercise(torch: Any, x: Any) -> tuple[Any, ...]:
    """A few ops every dtype supports; all results exact for sample()'s values."""
    if x.dtype == torch.bool:
        y = x ^ x.flip(1)
        return y, y.logical_and(x), y.sum(1), y.any(1), x.clone()
    y = x * 2 + 1  # within [-5, 7]
    out = (y, y.sum(1), y.amax(1), y > 0, y.abs(), x.clone())
    if x.dtype == torch.int64:
        # values beyond 32 bits catch int64 silently narrowed to int32 on the device
        out = (*out, x + (1 << 33))
    return out


def dtype_check(ctx: Context, name: str) -> Outcome:
    torch = ctx.torch
    dtype = getattr(torch, name)
    cpu = sample(torch, dtype)
    try:
        on_device = cpu.to(ctx.device)
        got = exercise(torch, on_device)
        ctx.synchronize()
    except TypeError as exc:
        known = explain(str(exc))
        if (
            name == "float64"
            and known is not None
            and known.expected_on_mps
            and (ctx.device_type == "mps")
        ):
            return passed(
                f"torch refused float64 on mps as expected ({known.match})", expected_error=known.id
            )
        if name == "bfloat16" and bf16_refused(exc, ctx):
            return warned(
                messages.BF16_NEEDS_MACOS14_CAUSE,
                messages.BF16_NEEDS_MACOS14_FIX,
                detail=f"TypeError: {exc}",
            )
        raise
    if on_device.device.type != ctx.device_type or on_device.dtype != dtype:
        cause, fix = messages.wrong_result(
            f"Moving a {name} tensor",
            ctx.device,
            f"it landed as {on_device.dtype} on '{on_device.device}'",
        )
        return failed(cause, fix)
    for index, (out, ref) in enumerate(zip(got, exercise(torch, cpu), strict=True)):
        found = mismatch(torch, out, ref, rtol=0.0, atol=0.0)
        if found is not None:
            what = f"{name} arithmetic (output {index})"
            cause, fix = messages.wrong_result(what, ctx.device, found["message"])
            return failed(cause, fix, detail=f"{what}: {found['message']}", **found)
    note = ""
    if name == "float64" and ctx.device_type == "mps":
        note = " (this PyTorch accepted float64 on mps)"
    return passed(f"{name}: moved, computed and read back exactly{note}", outputs=len(got))


DTYPES = ("float32", "float16", "bfloat16", "int32", "int64", "bool", "float64")
# bfloat16 and float64 are not needed to call the device ready (MPS has no float64 at all).
OPTIONAL = ("bfloat16", "float64")


def _register(name: str) -> None:
    def run(ctx: Context) -> Outcome:
        return dtype_check(ctx, name)

    run.__name__ = run.__qualname__ = f"check_{name}"
    check(
        f"dtypes.{name}",
        f"{name} tensors on the device",
        tier=Tier.STANDARD,
        required=name not in OPTIONAL,
    )(run)


for _name in DTYPES:
    _register(_name)
