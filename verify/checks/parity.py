"""parity.*: the device computes what the CPU computes, op by op and dtype by dtype.

Each case runs the same function on CPU tensors and on device copies of them and compares them
under torch.testing.assert_close's per-dtype default tolerances (compare.mismatch), the ones
PyTorch's own test suite uses when it compares MPS with CPU (test/test_mps.py's assertEqual).
Where summation order would otherwise matter (matmul, convolution, sums), the inputs are small
integers, so every partial sum is exact in float16, bfloat16 and TF32 alike: any difference
there is a wrong result, not rounding. A mismatch fails with the largest error in `data`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from verify import messages
from verify.checks import Context, check
from verify.checks.compare import bf16_refused, mismatch, small_ints
from verify.model import Outcome, Tier, failed, passed, skipped

FLOAT_DTYPES = ("float32", "float16", "bfloat16")


def compare_cases(
    ctx: Context,
    name: str,
    inputs: Callable[[Any, Any], tuple[Any, ...]],
    fn: Callable[..., Any],
    dtypes: Sequence[str],
) -> Outcome:
    """Run fn(*inputs) on CPU and on the device for each dtype; fail on the first mismatch."""
    torch = ctx.torch
    errors: dict[str, float] = {}
    refused: list[str] = []
    for dtype_name in dtypes:
        dtype = getattr(torch, dtype_name)
        cpu_args = inputs(torch, dtype)
        expected = fn(torch, *cpu_args)
        try:
            got = fn(torch, *(a.to(ctx.device) for a in cpu_args))
            ctx.synchronize()
        except TypeError as exc:
            if dtype_name == "bfloat16" and bf16_refused(exc, ctx):
                refused.append(dtype_name)  # reported by dtypes.bfloat16 as a warning
                continue
            raise
        outputs = got if isinstance(got, tuple) else (got,)
        references = expected if isinstance(expected, tuple) else (expected,)
        for index, (out, ref) in enumerate(zip(outputs, references, strict=True)):
            found = mismatch(torch, out, ref)
            if found is not None:
                what = f"{name} in {dtype_name}" + (
                    f" (output {index})" if len(outputs) > 1 else ""
                )
                cause, fix = messages.wrong_result(what, ctx.device, found["message"])
                detail = f"{what}: {found['message']}"
                return failed(cause, fix, detail=detail, dtype=dtype_name, **found)
            errors[f"{dtype_name}[{index}]"] = (
                float((out.detach().cpu().double() - ref.double()).abs().max())
                if ref.numel() and ref.is_floating_point()
                else 0.0
            )
    if not errors:
        return skipped(f"{', '.join(refused)} refused on this device (see dtypes.bfloat16)")
    note = f"; {', '.join(refused)} refused (see dtypes.bfloat16)" if refused else ""
    return passed(
        f"{name}: same as the CPU in {', '.join(d for d in dtypes if d not in refused)}{note}",
        max_abs_error=errors,
        refused=refused,
    )


# --- the cases ---------------------------------------------------------------------------------
@check("parity.matmul", "Matrix multiply matches the CPU", tier=Tier.STANDARD)
def matmul(ctx: Context) -> Outcome:
    # odd sizes reach the edge tiles of the kernels; |sums| <= 4*47 = 188 < 256 stays exact
    return compare_cases(
        ctx,
        "matmul",
        lambda t, d: (
            small_ints(t, (33, 47), d),
            small_ints(t, (47, 29), d),
            small_ints(t, (5, 33, 47), d),
        ),
        lambda t, a, b, batch: (a @ b, batch @ b, t.addmm(a[:, :29], a, b)),
        FLOAT_DTYPES,
    )


@check("parity.conv2d", "2-D convolution matches the CPU", tier=Tier.STANDARD)
def conv2d(ctx: Context) -> Outcome:
    return compare_cases(
        ctx,
        "conv2d",
        lambda t, d: (
            small_ints(t, (2, 3, 11, 13), d),
            small_ints(t, (8, 3, 3, 3), d),
            small_ints(t, (8,), d),
        ),
        lambda t, x, w, b: (
            t.nn.functional.conv2d(x, w, b, padding=1),
            t.nn.functional.conv2d(x, w, None, stride=2),
        ),
        FLOAT_DTYPES,
    )


@check("parity.elementwise", "Elementwise math matches the CPU", tier=Tier.STANDARD)
def elementwise(ctx: Context) -> Outcome:
    def ops(t: Any, x: Any) -> tuple[Any, ...]:
        return (
            x.exp(),
            x.tanh(),
            x.sigmoid(),
            x.abs().sqrt(),
            x.abs().log1p(),
            x.sin(),
            x * 1.5 - 0.25,
            t.where(x > 0, x, -x),
        )

    return compare_cases(
        ctx, "elementwise math", lambda t, d: ((t.rand(257) * 6 - 3).to(d),), ops, FLOAT_DTYPES
    )


@check("parity.softmax", "Softmax and log-softmax match the CPU", tier=Tier.STANDARD)
def softmax(ctx: Context) -> Outcome:
    return compare_cases(
        ctx,
        "softmax",
        lambda t, d: (t.randn(16, 100).to(d),),
        lambda t, x: (x.softmax(-1), x.log_softmax(-1), x.softmax(0)),
        FLOAT_DTYPES,
    )


@check("parity.reduction", "Reductions match the CPU", tier=Tier.STANDARD)
def reduction(ctx: Context) -> Outcome:
    def ops(t: Any, ints: Any, x: Any) -> tuple[Any, ...]:
        # sums over integer values are exact; max/argmax are exact on any input
        return (
            ints.sum(),
            ints.sum(1),
            ints.cumsum(1),
            x.amax(1),
            x.argmax(1),
            x.mean(1),
            x.var(1),
        )

    return compare_cases(
        ctx,
        "reductions",
        lambda t, d: (small_ints(t, (12, 40), d), t.randn(12, 40).to(d)),
        ops,
        ("float32", "float16"),
    )


@check("parity.indexing", "Indexing, gather and scatter match the CPU", tier=Tier.STANDARD)
def indexing(ctx: Context) -> Outcome:
    def ops(t: Any, x: Any, idx: Any) -> tuple[Any, ...]:
        mask = x > 0
        return (
            x[idx],
            x[:, idx % x.shape[1]],
            x.index_select(1, idx % x.shape[1]),
            x.gather(1, (idx % x.shape[1]).expand(x.shape[0], -1)),
            x.masked_fill(mask, -7),
            x[mask],
            t.zeros(x.shape[0], 5, dtype=x.dtype, device=x.device).scatter_add(
                1, (idx % 5).expand(x.shape[0], -1), x[:, : idx.numel()]
            ),
        )

    return compare_cases(
        ctx,
        "indexing",
        lambda t, d: (small_ints(t, (9, 17), d, -5, 6), t.randint(0, 9, (7,))),
        ops,
        ("float32", "int64"),
    )
