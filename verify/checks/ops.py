"""ops.sweep: do ~90 common operations run on the device and agree with the CPU? (tier full)

Each case builds its inputs on the CPU from a seeded generator, runs the operation on the CPU
(the reference) and on the device, and compares with torch.testing.assert_close and the
per-dtype default tolerances (float32: rtol 1.3e-6, atol 1e-5; float16: rtol 1e-3, atol 1e-5;
bfloat16: rtol 1.6e-2, atol 1e-5), except where a case states its own with the reason.
Half-precision cases compute their reference in float32 on the CPU and round it to the half
type, so the reference is the correctly rounded answer rather than the CPU's own half kernel.

Random operations are not compared bitwise with the CPU (devices use different generators):
each is checked for same-device determinism under torch.manual_seed and for its statistics.

Per-op outcome: "pass"; "unsupported" (the device has no kernel: NotImplementedError, or on MPS
torch's "not currently implemented for the MPS device" / "... not supported on MPS" errors:
a `warn` naming the ops and PYTORCH_ENABLE_MPS_FALLBACK=1); "fallback" (with
PYTORCH_ENABLE_MPS_FALLBACK=1 torch ran it on the CPU and warned: counted as a pass, listed);
"wrong" (result differs: a `fail` with the largest error); "error" (raised on the device, not on
the CPU: a `fail`); "skip" (the reference itself raised, e.g. the op is newer than this torch).

On CUDA, TF32 is switched off for the sweep (matmul and cuDNN; restored afterwards): TF32 is an
intended 1e-3 relative precision loss, not a wrong result, and cuDNN enables it by default.
"""

from __future__ import annotations

import contextlib
import math
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from verify import messages
from verify.checks import Context, check
from verify.model import Outcome, Tier, failed, passed, warned

# torch's MPS "no kernel" messages: aten/src/ATen/mps/MPSFallback.mm ("The operator '...' is not
# currently implemented for the MPS device"), and per-dtype refusals such as "MPS does not support
# cumsum op with int64 input" (aten/src/ATen/native/mps/operations/UnaryOps.mm, torch < 2.1 on
# macOS < 13.3) or "... is not supported on MPS", and the bfloat16 refusal on macOS < 14,
# "MPS BFloat16 is only supported on MacOS 14 or newer" (https://github.com/pytorch/torchchat/issues/616).
_MPS_UNSUPPORTED = re.compile(
    r"not currently implemented for the MPS device|MPS does not support|"
    r"only supported on mac ?os \d+|"
    r"not supported (?:on|for|by) (?:the )?MPS|unsupported (?:on|for) MPS",
    re.IGNORECASE,
)
# Printed (as a UserWarning) when PYTORCH_ENABLE_MPS_FALLBACK=1 sends an op to the CPU:
# aten/src/ATen/mps/MPSFallback.mm "... will fall back to run on the CPU ...".
_FALLBACK_WARNING = re.compile(r"fall ?back to run on the CPU", re.IGNORECASE)

Tensors = tuple[Any, ...]


@dataclass(frozen=True)
class OpCase:
    """One operation: `make(torch, gen)` builds CPU inputs; `fn(torch, *inputs)` runs the op.

    `ref` (default: `fn`) computes the reference on the CPU; `ref_dtype` upcasts floating inputs
    for the reference and rounds the result back (half-precision cases).
    """

    name: str
    group: str
    make: Callable[[Any, Any], Tensors]
    fn: Callable[..., Any]
    ref: Callable[..., Any] | None = None
    ref_dtype: str | None = None  # "float32"
    rtol: float | None = None
    atol: float | None = None


@dataclass(frozen=True)
class RandomCase:
    """A seeded random op: `fn(torch, device)` -> tensor; `stats(torch, t)` -> error text or ''."""

    name: str
    fn: Callable[[Any, str], Any]
    stats: Callable[[Any, Any], str]
    group: str = "random"


@dataclass
class OpResult:
    op: str
    group: str
    status: str  # pass | fallback | unsupported | wrong | error | skip
    max_abs_err: float | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"op": self.op, "group": self.group, "status": self.status}
        if self.max_abs_err is not None:
            d["max_abs_err"] = self.max_abs_err
        if self.message:
            d["message"] = self.message[:300]
        return d


@dataclass
class Sweep:
    results: list[OpResult] = field(default_factory=list)

    def by_status(self, status: str) -> list[OpResult]:
        return [r for r in self.results if r.status == status]


# --- input builders -------------------------------------------------------------------------------
def _randn(*shape: int, dtype: str = "float32") -> Callable[[Any, Any], Tensors]:
    def make(torch: Any, gen: Any) -> Tensors:
        return (torch.randn(*shape, generator=gen).to(getattr(torch, dtype)),)

    return make


def _two(*shape: int, dtype: str = "float32") -> Callable[[Any, Any], Tensors]:
    def make(torch: Any, gen: Any) -> Tensors:
        dt = getattr(torch, dtype)
        return (
            torch.randn(*shape, generator=gen).to(dt),
            torch.randn(*shape, generator=gen).to(dt),
        )

    return make


def _pos(*shape: int) -> Callable[[Any, Any], Tensors]:
    def make(torch: Any, gen: Any) -> Tensors:
        return (torch.rand(*shape, generator=gen) + 0.1,)

    return make


def _ints(*shape: int, high: int = 100, dtype: str = "int64") -> Callable[[Any, Any], Tensors]:
    def make(torch: Any, gen: Any) -> Tensors:
        dt = getattr(torch, dtype)
        return (
            torch.randint(-high, high, shape, generator=gen).to(dt),
            torch.randint(1, high, shape, generator=gen).to(dt),
        )

    return make


def _distinct(n: int) -> Callable[[Any, Any], Tensors]:
    """Values without ties (sort/topk/argmax give one right answer)."""

    def make(torch: Any, gen: Any) -> Tensors:
        return (torch.randperm(n * 16, generator=gen).float().reshape(16, n) / 7.0,)

    return make


def _img(n: int = 2, c: int = 3, h: int = 16, w: int = 16) -> Callable[[Any, Any], Tensors]:
    return _randn(n, c, h, w)


def _conv2d(dtype: str = "float32") -> Callable[[Any, Any], Tensors]:
    def make(torch: Any, gen: Any) -> Tensors:
        dt = getattr(torch, dtype)
        return (
            torch.randn(2, 4, 12, 12, generator=gen).to(dt),
            torch.randn(6, 4, 3, 3, generator=gen).to(dt) * 0.2,
            torch.randn(6, generator=gen).to(dt),
        )

    return make


def _logits_target(n: int = 16, c: int = 10) -> Callable[[Any, Any], Tensors]:
    def make(torch: Any, gen: Any) -> Tensors:
        return torch.randn(n, c, generator=gen), torch.randint(0, c, (n,), generator=gen)

    return make


def _probs_target(torch: Any, gen: Any) -> Tensors:
    return (
        torch.rand(8, 5, generator=gen).clamp(0.05, 0.95),
        torch.randint(0, 2, (8, 5), generator=gen).float(),
    )


def _index_inputs(torch: Any, gen: Any) -> Tensors:
    return (torch.randn(10, 8, generator=gen), torch.randint(0, 10, (6,), generator=gen))


def _gather_inputs(torch: Any, gen: Any) -> Tensors:
    return (torch.randn(6, 8, generator=gen), torch.randint(0, 8, (6, 5), generator=gen))


def _scatter_inputs(torch: Any, gen: Any) -> Tensors:
    # A permutation per row: scatter has one writer per destination (no order dependence).
    idx = torch.stack([torch.randperm(8, generator=gen)[:5] for _ in range(6)])
    return torch.zeros(6, 8), idx, torch.randn(6, 5, generator=gen)


def _embed_inputs(torch: Any, gen: Any) -> Tensors:
    return torch.randn(20, 6, generator=gen), torch.randint(0, 20, (4, 7), generator=gen)


def _grid_inputs(torch: Any, gen: Any) -> Tensors:
    return torch.randn(2, 3, 8, 8, generator=gen), torch.rand(2, 5, 5, 2, generator=gen) * 1.8 - 0.9


def _ctc_inputs(torch: Any, gen: Any) -> Tensors:
    log_probs = torch.randn(12, 2, 6, generator=gen).log_softmax(2)
    targets = torch.randint(1, 6, (2, 5), generator=gen)
    return log_probs, targets


# --- the cases ------------------------------------------------------------------------------------


def _nnf(torch: Any) -> Any:
    return torch.nn.functional


def _cases() -> list[OpCase]:
    c: list[OpCase] = []

    def add(
        name: str,
        group: str,
        make: Callable[[Any, Any], Tensors],
        fn: Callable[..., Any],
        **kw: Any,
    ) -> None:
        c.append(OpCase(name, group, make, fn, **kw))

    ew, x = "elementwise", _randn(64, 33)
    add("add", ew, _two(64, 33), lambda t, a, b: a + b)
    add("sub", ew, _two(64, 33), lambda t, a, b: a - b)
    add("mul", ew, _two(64, 33), lambda t, a, b: a * b)
    add("div", ew, _two(64, 33), lambda t, a, b: a / (b.abs() + 0.5))
    add("pow", ew, _pos(64, 33), lambda t, a: t.pow(a, 2.5))
    add("exp", ew, x, lambda t, a: t.exp(a))
    add("log", ew, _pos(64, 33), lambda t, a: t.log(a))
    add("sqrt", ew, _pos(64, 33), lambda t, a: t.sqrt(a))
    add("rsqrt", ew, _pos(64, 33), lambda t, a: t.rsqrt(a))
    add("sin", ew, x, lambda t, a: t.sin(a))
    add("cos", ew, x, lambda t, a: t.cos(a))
    add("tanh", ew, x, lambda t, a: t.tanh(a))
    add("sigmoid", ew, x, lambda t, a: t.sigmoid(a))
    add("erf", ew, x, lambda t, a: t.erf(a))
    add("atan2", ew, _two(64, 33), lambda t, a, b: t.atan2(a, b))
    add("abs", ew, x, lambda t, a: t.abs(a))
    add("clamp", ew, x, lambda t, a: t.clamp(a, -0.5, 0.7))
    add("floor", ew, x, lambda t, a: t.floor(a * 3))
    add("round", ew, x, lambda t, a: t.round(a * 3))
    add("sign", ew, x, lambda t, a: t.sign(a))
    add("maximum", ew, _two(64, 33), lambda t, a, b: t.maximum(a, b))
    add("where", ew, _two(64, 33), lambda t, a, b: t.where(a > b, a, b * 2))
    add("lerp", ew, _two(64, 33), lambda t, a, b: t.lerp(a, b, 0.3))
    add("relu", ew, x, lambda t, a: _nnf(t).relu(a))
    add("gelu", ew, x, lambda t, a: _nnf(t).gelu(a))
    add("silu", ew, x, lambda t, a: _nnf(t).silu(a))
    add("softplus", ew, x, lambda t, a: _nnf(t).softplus(a))
    add("leaky_relu", ew, x, lambda t, a: _nnf(t).leaky_relu(a, 0.1))
    add("bitwise_and.int32", ew, _ints(64, 33, dtype="int32"), lambda t, a, b: a & b)
    add("remainder.int64", ew, _ints(64, 33), lambda t, a, b: t.remainder(a, b))
    add(
        "mul.float16", ew, _two(64, 33, dtype="float16"), lambda t, a, b: a * b, ref_dtype="float32"
    )
    add(
        "add.bfloat16",
        ew,
        _two(64, 33, dtype="bfloat16"),
        lambda t, a, b: a + b,
        ref_dtype="float32",
    )

    rd, r = "reduction", _randn(32, 50)
    add("sum", rd, r, lambda t, a: a.sum(dim=1))
    add("mean", rd, r, lambda t, a: a.mean())
    add("prod", rd, _pos(8, 10), lambda t, a: a.prod(dim=1))
    add("max.dim", rd, _distinct(20), lambda t, a: a.max(dim=1))
    add("argmin", rd, _distinct(20), lambda t, a: a.argmin(dim=0))
    add("std", rd, r, lambda t, a: a.std(dim=1))
    add("var_mean", rd, r, lambda t, a: t.var_mean(a, dim=0))
    add("logsumexp", rd, r, lambda t, a: t.logsumexp(a, dim=1))
    add("norm", rd, r, lambda t, a: t.linalg.vector_norm(a, dim=1))
    add("amax", rd, r, lambda t, a: t.amax(a, dim=(0, 1)))
    add("any", rd, r, lambda t, a: (a > 2.0).any(dim=1))
    add("sum.int64", rd, _ints(32, 50), lambda t, a, b: a.sum(dim=0))
    add(
        "sum.float16",
        rd,
        _randn(8, 40, dtype="float16"),
        lambda t, a: a.sum(dim=1),
        ref_dtype="float32",
        rtol=2e-3,
        atol=1e-3,
    )  # 40 terms: a few ulp of accumulation order

    mm = "matmul"
    add(
        "mm",
        mm,
        lambda t, g: (t.randn(33, 17, generator=g), t.randn(17, 29, generator=g)),
        lambda t, a, b: a @ b,
    )
    add(
        "bmm",
        mm,
        lambda t, g: (t.randn(4, 9, 17, generator=g), t.randn(4, 17, 11, generator=g)),
        lambda t, a, b: t.bmm(a, b),
    )
    add(
        "matmul.broadcast",
        mm,
        lambda t, g: (t.randn(3, 1, 5, 8, generator=g), t.randn(4, 8, 6, generator=g)),
        lambda t, a, b: t.matmul(a, b),
    )
    add(
        "einsum",
        mm,
        lambda t, g: (t.randn(3, 5, 7, generator=g), t.randn(7, 5, 4, generator=g)),
        lambda t, a, b: t.einsum("bij,jik->bk", a, b),
    )
    add(
        "addmm",
        mm,
        lambda t, g: (
            t.randn(6, 4, generator=g),
            t.randn(6, 9, generator=g),
            t.randn(9, 4, generator=g),
        ),
        lambda t, c, a, b: t.addmm(c, a, b, beta=0.5, alpha=2.0),
    )
    add(
        "linear",
        mm,
        lambda t, g: (
            t.randn(5, 12, generator=g),
            t.randn(7, 12, generator=g),
            t.randn(7, generator=g),
        ),
        lambda t, x, w, b: _nnf(t).linear(x, w, b),
    )
    add(
        "outer",
        mm,
        lambda t, g: (t.randn(9, generator=g), t.randn(13, generator=g)),
        lambda t, a, b: t.outer(a, b),
    )
    # Half matmul: K=16 keeps accumulation error within 2 ulp of the rounded fp32 result.
    add(
        "mm.float16",
        mm,
        _two(16, 16, dtype="float16"),
        lambda t, a, b: a @ b,
        ref_dtype="float32",
        rtol=2e-3,
        atol=1e-3,
    )
    add(
        "mm.bfloat16",
        mm,
        _two(16, 16, dtype="bfloat16"),
        lambda t, a, b: a @ b,
        ref_dtype="float32",
    )

    cv = "conv/pool"
    add(
        "conv1d",
        cv,
        lambda t, g: (t.randn(2, 3, 20, generator=g), t.randn(5, 3, 4, generator=g)),
        lambda t, x, w: _nnf(t).conv1d(x, w, padding=1),
    )
    add("conv2d", cv, _conv2d(), lambda t, x, w, b: _nnf(t).conv2d(x, w, b, padding=1))
    add(
        "conv2d.stride_dilation",
        cv,
        _conv2d(),
        lambda t, x, w, b: _nnf(t).conv2d(x, w, b, stride=2, dilation=2),
    )
    add(
        "conv2d.groups",
        cv,
        lambda t, g: (t.randn(2, 4, 10, 10, generator=g), t.randn(4, 2, 3, 3, generator=g)),
        lambda t, x, w: _nnf(t).conv2d(x, w, groups=2),
    )
    add(
        "conv2d.float16",
        cv,
        _conv2d("float16"),
        lambda t, x, w, b: _nnf(t).conv2d(x, w, b, padding=1),
        ref_dtype="float32",
        rtol=2e-3,
        atol=2e-3,
    )  # 36-term sums in half
    add(
        "conv_transpose2d",
        cv,
        lambda t, g: (t.randn(2, 4, 7, 7, generator=g), t.randn(4, 3, 3, 3, generator=g)),
        lambda t, x, w: _nnf(t).conv_transpose2d(x, w, stride=2),
    )
    add(
        "conv3d",
        cv,
        lambda t, g: (t.randn(1, 2, 6, 6, 6, generator=g), t.randn(3, 2, 3, 3, 3, generator=g)),
        lambda t, x, w: _nnf(t).conv3d(x, w),
    )
    add("max_pool2d", cv, _img(), lambda t, x: _nnf(t).max_pool2d(x, 2))
    add(
        "max_pool2d.indices",
        cv,
        _img(),
        lambda t, x: _nnf(t).max_pool2d(x, 3, stride=2, return_indices=True),
    )
    add("avg_pool2d", cv, _img(), lambda t, x: _nnf(t).avg_pool2d(x, 3, stride=2, padding=1))
    add("adaptive_avg_pool2d", cv, _img(), lambda t, x: _nnf(t).adaptive_avg_pool2d(x, (5, 3)))
    add("max_pool1d", cv, _randn(2, 3, 17), lambda t, x: _nnf(t).max_pool1d(x, 3))

    nm = "norm"
    add(
        "layer_norm",
        nm,
        _randn(4, 6, 32),
        lambda t, x: _nnf(t).layer_norm(
            x, (32,), t.linspace(0.5, 1.5, 32).to(x.device), t.linspace(-1, 1, 32).to(x.device)
        ),
    )
    add("batch_norm.train", nm, _img(4, 3, 8, 8), _bn_train)
    add(
        "batch_norm.eval",
        nm,
        _img(4, 3, 8, 8),
        lambda t, x: _nnf(t).batch_norm(
            x,
            t.tensor([0.1, -0.2, 0.3], device=x.device),
            t.tensor([1.5, 0.5, 2.0], device=x.device),
        ),
    )
    add("group_norm", nm, _img(2, 6, 5, 5), lambda t, x: _nnf(t).group_norm(x, 3))
    add("instance_norm", nm, _img(2, 3, 6, 6), lambda t, x: _nnf(t).instance_norm(x))
    add("rms_norm", nm, _randn(4, 16), lambda t, x: _nnf(t).rms_norm(x, (16,)))
    add("normalize", nm, _randn(8, 16), lambda t, x: _nnf(t).normalize(x, dim=1))
    add(
        "layer_norm.float16",
        nm,
        _randn(4, 32, dtype="float16"),
        lambda t, x: _nnf(t).layer_norm(x, (32,)),
        ref_dtype="float32",
        rtol=2e-3,
        atol=2e-3,
    )

    sm = "softmax"
    add("softmax", sm, _randn(8, 40), lambda t, x: x.softmax(dim=-1))
    add("log_softmax", sm, _randn(8, 40), lambda t, x: x.log_softmax(dim=-1))
    add("softmax.dim0", sm, _randn(30, 7), lambda t, x: x.softmax(dim=0))
    add(
        "softmax.float16",
        sm,
        _randn(8, 40, dtype="float16"),
        lambda t, x: x.softmax(dim=-1),
        ref_dtype="float32",
    )
    add(
        "scaled_dot_product_attention",
        sm,
        lambda t, g: tuple(t.randn(2, 3, 10, 8, generator=g) for _ in range(3)),
        lambda t, q, k, v: _nnf(t).scaled_dot_product_attention(q, k, v, is_causal=True),
        rtol=1e-5,
        atol=1e-5,
    )  # fused kernels reorder the softmax sums

    ix = "indexing"
    add("index_select", ix, _index_inputs, lambda t, x, i: x.index_select(0, i))
    add("getitem.tensor", ix, _index_inputs, lambda t, x, i: x[i, 1:5])
    add("gather", ix, _gather_inputs, lambda t, x, i: x.gather(1, i))
    add("scatter", ix, _scatter_inputs, lambda t, z, i, s: z.scatter(1, i, s))
    add("scatter_add", ix, _scatter_inputs, lambda t, z, i, s: z.scatter_add(1, i % 3, s))
    add(
        "index_add",
        ix,
        _index_inputs,
        lambda t, x, i: t.zeros(10, 8, device=x.device).index_add(0, i, x[:6]),
    )
    add(
        "index_put",
        ix,
        _index_inputs,
        lambda t, x, i: x.index_put((i[:3],), t.ones(3, 8, device=x.device) * 7),
    )
    add("masked_fill", ix, _randn(9, 9), lambda t, x: x.masked_fill(x > 0.3, -1.0))
    add("masked_select", ix, _randn(9, 9), lambda t, x: x.masked_select(x > 0.3))
    add("nonzero", ix, _randn(9, 9), lambda t, x: (x > 0.5).nonzero())
    add("cat", ix, _two(4, 5), lambda t, a, b: t.cat([a, b, a], dim=1))
    add("stack", ix, _two(4, 5), lambda t, a, b: t.stack([a, b], dim=0))
    add("flip", ix, _randn(5, 6), lambda t, x: x.flip(0, 1))
    add("roll", ix, _randn(5, 6), lambda t, x: x.roll(2, dims=1))
    add("tril", ix, _randn(6, 6), lambda t, x: x.tril(-1))
    add("permute.contiguous", ix, _randn(3, 4, 5), lambda t, x: x.permute(2, 0, 1).contiguous())
    add("repeat_interleave", ix, _randn(4, 3), lambda t, x: x.repeat_interleave(3, dim=0))

    so = "sort/topk/scan"
    add("sort", so, _distinct(24), lambda t, x: x.sort(dim=1, descending=True))
    add("argsort", so, _distinct(24), lambda t, x: x.argsort(dim=0))
    add("topk", so, _distinct(24), lambda t, x: x.topk(5, dim=1))
    add("kthvalue", so, _distinct(24), lambda t, x: x.kthvalue(3, dim=1))
    add(
        "searchsorted",
        so,
        _randn(30),
        lambda t, x: t.searchsorted(t.linspace(-2, 2, 9).to(x.device), x),
    )
    add("unique", so, _ints(40, high=6), lambda t, a, b: t.unique(a, return_counts=True))
    add("cumsum", so, _randn(8, 30), lambda t, x: x.cumsum(dim=1), rtol=1e-5, atol=1e-5)
    add("cumsum.int64", so, _ints(8, 30), lambda t, a, b: a.cumsum(dim=1))
    add("cumprod", so, _pos(4, 10), lambda t, x: x.cumprod(dim=1), rtol=1e-5, atol=1e-5)

    ip = "interpolation"
    add("interpolate.nearest", ip, _img(), lambda t, x: _nnf(t).interpolate(x, scale_factor=2))
    add(
        "interpolate.bilinear",
        ip,
        _img(),
        lambda t, x: _nnf(t).interpolate(x, size=(23, 9), mode="bilinear", align_corners=False),
    )
    add(
        "interpolate.bilinear_ac",
        ip,
        _img(),
        lambda t, x: _nnf(t).interpolate(x, size=(23, 9), mode="bilinear", align_corners=True),
    )
    add(
        "interpolate.bicubic",
        ip,
        _img(),
        lambda t, x: _nnf(t).interpolate(x, scale_factor=1.5, mode="bicubic"),
        rtol=1e-5,
        atol=1e-5,
    )
    add(
        "grid_sample",
        ip,
        _grid_inputs,
        lambda t, x, g: _nnf(t).grid_sample(x, g, align_corners=False),
        rtol=1e-5,
        atol=1e-5,
    )
    add("pixel_shuffle", ip, _randn(1, 8, 3, 3), lambda t, x: _nnf(t).pixel_shuffle(x, 2))

    em = "embedding"
    add("embedding", em, _embed_inputs, lambda t, w, i: _nnf(t).embedding(i, w))
    add(
        "embedding_bag", em, _embed_inputs, lambda t, w, i: _nnf(t).embedding_bag(i, w, mode="mean")
    )
    add("one_hot", em, _embed_inputs, lambda t, w, i: _nnf(t).one_hot(i, 20))

    lo = "loss"
    add("mse_loss", lo, _two(8, 5), lambda t, a, b: _nnf(t).mse_loss(a, b))
    add("l1_loss", lo, _two(8, 5), lambda t, a, b: _nnf(t).l1_loss(a, b))
    add("smooth_l1_loss", lo, _two(8, 5), lambda t, a, b: _nnf(t).smooth_l1_loss(a, b))
    add("huber_loss", lo, _two(8, 5), lambda t, a, b: _nnf(t).huber_loss(a, b, delta=0.5))
    add("cross_entropy", lo, _logits_target(), lambda t, x, y: _nnf(t).cross_entropy(x, y))
    add(
        "cross_entropy.smoothing",
        lo,
        _logits_target(),
        lambda t, x, y: _nnf(t).cross_entropy(x, y, label_smoothing=0.1),
    )
    add(
        "nll_loss",
        lo,
        _logits_target(),
        lambda t, x, y: _nnf(t).nll_loss(x.log_softmax(1), y, reduction="none"),
    )
    add(
        "binary_cross_entropy",
        lo,
        _probs_target,
        lambda t, p, y: _nnf(t).binary_cross_entropy(p, y),
    )
    add(
        "bce_with_logits",
        lo,
        _two(8, 5),
        lambda t, a, b: _nnf(t).binary_cross_entropy_with_logits(a, b.sigmoid()),
    )
    add(
        "kl_div",
        lo,
        _two(8, 5),
        lambda t, a, b: _nnf(t).kl_div(a.log_softmax(1), b.softmax(1), reduction="batchmean"),
    )
    add(
        "ctc_loss",
        lo,
        _ctc_inputs,
        lambda t, lp, y: _nnf(t).ctc_loss(
            lp, y, t.full((2,), 12, dtype=t.long), t.tensor([5, 3], dtype=t.long)
        ),
        rtol=1e-5,
        atol=1e-5,
    )
    return c


def _bn_train(torch: Any, x: Any) -> Any:
    """Training-mode batch norm: the output and the updated running statistics."""
    mean = torch.zeros(3, device=x.device)
    var = torch.ones(3, device=x.device)
    out = torch.nn.functional.batch_norm(x, mean, var, training=True, momentum=0.3)
    return out, mean, var


# --- random ops: determinism and statistics ----------------------------------------------------
def _within(name: str, got: float, want: float, tol: float) -> str:
    return "" if abs(got - want) <= tol else f"{name} {got:.4g}, expected {want:.4g} +- {tol:g}"


def _random_cases() -> list[RandomCase]:
    n = 200_000  # sampling error of a mean ~ 1/sqrt(n) = 0.002 sd: tolerances are > 5 sigma
    return [
        RandomCase(
            "rand",
            lambda t, d: t.rand(n, device=d),
            lambda t, x: (
                _within("mean", x.mean().item(), 0.5, 0.01)
                or _within("min>=0", float(x.min().item() >= 0), 1.0, 0)
                or _within("max<1", float(x.max().item() < 1), 1.0, 0)
            ),
        ),
        RandomCase(
            "randn",
            lambda t, d: t.randn(n, device=d),
            lambda t, x: (
                _within("mean", x.mean().item(), 0.0, 0.02)
                or _within("std", x.std().item(), 1.0, 0.02)
            ),
        ),
        RandomCase(
            "randint",
            lambda t, d: t.randint(3, 9, (n,), device=d),
            lambda t, x: (
                _within("min", x.min().item(), 3, 0)
                or _within("max", x.max().item(), 8, 0)
                or _within("mean", x.float().mean().item(), 5.5, 0.03)
            ),
        ),
        RandomCase(
            "normal_",
            lambda t, d: t.empty(n, device=d).normal_(2.0, 0.5),
            lambda t, x: (
                _within("mean", x.mean().item(), 2.0, 0.01)
                or _within("std", x.std().item(), 0.5, 0.01)
            ),
        ),
        RandomCase(
            "bernoulli",
            lambda t, d: t.bernoulli(t.full((n,), 0.3, device=d)),
            lambda t, x: _within("mean", x.mean().item(), 0.3, 0.01),
        ),
        RandomCase(
            "dropout",
            lambda t, d: t.nn.functional.dropout(t.ones(n, device=d), 0.25),
            lambda t, x: (
                _within("kept", (x != 0).float().mean().item(), 0.75, 0.01)
                or _within("scale", x.max().item(), 1 / 0.75, 1e-5)
            ),
        ),
        RandomCase(
            "multinomial",
            lambda t, d: t.multinomial(
                t.tensor([0.1, 0.2, 0.7], device=d), 20_000, replacement=True
            ),
            lambda t, x: _within("p(2)", (x == 2).float().mean().item(), 0.7, 0.02),
        ),
        RandomCase(
            "randperm",
            lambda t, d: t.randperm(5000, device=d),
            lambda t, x: (
                ""
                if t.equal(x.sort().values.cpu(), t.arange(5000))
                else "not a permutation of 0..4999"
            ),
        ),
    ]


# --- running ------------------------------------------------------------------------------------
def _unsupported(ctx: Context, exc: BaseException) -> bool:
    if isinstance(exc, NotImplementedError):
        return True
    return ctx.device_type == "mps" and bool(_MPS_UNSUPPORTED.search(str(exc)))


def _flat(out: Any) -> list[Any]:
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o)]
    return [out]


def _max_err(torch: Any, got: Any, want: Any) -> float:
    """Largest |got - want| over every output tensor (inf on a shape mismatch or NaN)."""
    worst = 0.0
    for g, w in zip(_flat(got), _flat(want), strict=False):
        if not hasattr(g, "shape"):
            continue
        if g.shape != w.shape:
            return math.inf
        if g.numel() == 0:
            continue
        d = (g.double() - w.double()).abs()
        d = torch.where(torch.isnan(g.double()) & torch.isnan(w.double()), 0.0, d)
        m = d.max().item()
        worst = max(worst, math.inf if math.isnan(m) else m)
    return worst


def _to(torch: Any, out: Any, device: str, dtype: Any = None) -> Any:
    if isinstance(out, (tuple, list)):
        return (
            type(out)(_to(torch, o, device, dtype) for o in out)
            if isinstance(out, list)
            else tuple(_to(torch, o, device, dtype) for o in out)
        )
    if not hasattr(out, "to"):
        return out
    if dtype is not None and out.is_floating_point():
        return out.to(device=device, dtype=dtype)
    return out.to(device)


@contextlib.contextmanager
def _exact_fp32(ctx: Context) -> Iterator[None]:
    """Switch TF32 off on CUDA for the sweep, and restore the user's settings."""
    if ctx.device_type != "cuda":
        yield
        return
    torch = ctx.torch
    saved = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def run_case(ctx: Context, case: OpCase, seed: int = 0) -> OpResult:
    torch = ctx.torch
    inputs = case.make(torch, torch.Generator().manual_seed(seed))
    ref_fn = case.ref or case.fn
    try:
        ref_dtype = getattr(torch, case.ref_dtype) if case.ref_dtype else None
        ref_in = _to(torch, inputs, "cpu", ref_dtype)
        want = ref_fn(torch, *ref_in)
        if ref_dtype is not None:
            want = _to(torch, want, "cpu", inputs[0].dtype)
    except Exception as exc:  # the reference cannot run here: skip
        return OpResult(case.name, case.group, "skip", message=f"CPU reference: {exc}")
    fallback = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = case.fn(torch, *_to(torch, inputs, ctx.device))
            got = _to(torch, got, "cpu")
        fallback = any(_FALLBACK_WARNING.search(str(w.message)) for w in caught)
    except Exception as exc:  # classified: unsupported op vs error
        status = "unsupported" if _unsupported(ctx, exc) else "error"
        first = str(exc).splitlines()[0] if str(exc) else ""
        return OpResult(case.name, case.group, status, message=f"{type(exc).__name__}: {first}")
    err = _max_err(torch, got, want)
    try:
        torch.testing.assert_close(got, want, rtol=case.rtol, atol=case.atol, equal_nan=True)
    except (AssertionError, TypeError, ValueError) as exc:
        return OpResult(case.name, case.group, "wrong", err, str(exc).strip().splitlines()[0])
    return OpResult(case.name, case.group, "fallback" if fallback else "pass", err)


def run_random(ctx: Context, case: RandomCase, seed: int = 1234) -> OpResult:
    torch = ctx.torch
    try:
        draws = []
        for _ in range(2):
            torch.manual_seed(seed)
            draws.append(case.fn(torch, ctx.device).cpu())
        other = case.fn(torch, ctx.device).cpu()  # the generator moved on: a new draw
    except Exception as exc:
        status = "unsupported" if _unsupported(ctx, exc) else "error"
        return OpResult(case.name, case.group, status, message=f"{type(exc).__name__}: {exc}")
    if not torch.equal(draws[0], draws[1]):
        return OpResult(
            case.name,
            case.group,
            "wrong",
            message="the same seed gave different numbers on this device",
        )
    if case.name != "randperm" and torch.equal(draws[0], other):
        return OpResult(
            case.name,
            case.group,
            "wrong",
            message="the generator repeated itself without a new seed",
        )
    problem = case.stats(torch, draws[0])
    if problem:
        return OpResult(case.name, case.group, "wrong", message=f"statistics off: {problem}")
    return OpResult(case.name, case.group, "pass")


def sweep(
    ctx: Context, cases: list[OpCase] | None = None, random_cases: list[RandomCase] | None = None
) -> Sweep:
    """Run every case on ctx.device; one OpResult per op, never raising for an op's failure."""
    result = Sweep()
    with _exact_fp32(ctx):
        for case in _cases() if cases is None else cases:
            result.results.append(run_case(ctx, case))
        for rcase in _random_cases() if random_cases is None else random_cases:
            result.results.append(run_random(ctx, rcase))
    return result


def judge(ctx: Context, s: Sweep) -> Outcome:
    """fail (wrong results or errors) > warn (unsupported ops) > pass, with per-op data."""
    data = {
        "ops": [r.to_dict() for r in s.results],
        "counts": {
            st: len(s.by_status(st))
            for st in ("pass", "fallback", "unsupported", "wrong", "error", "skip")
        },
    }
    wrong, errors, unsup = s.by_status("wrong"), s.by_status("error"), s.by_status("unsupported")
    dev = ctx.device
    if wrong or errors:
        causes = []
        if wrong:
            worst = max(wrong, key=lambda r: r.max_abs_err if r.max_abs_err is not None else -1)
            causes.append(
                messages.OPS_WRONG_CAUSE.format(
                    count=len(wrong),
                    device=dev,
                    ops=", ".join(r.op for r in wrong),
                    err=worst.max_abs_err if worst.max_abs_err is not None else float("nan"),
                    worst=worst.op,
                )
            )
        if errors:
            causes.append(
                messages.OPS_ERROR_CAUSE.format(
                    count=len(errors),
                    device=dev,
                    ops="; ".join(f"{r.op} ({r.message})" for r in errors),
                )
            )
        return failed(" ".join(causes), messages.OPS_WRONG_FIX, **data)
    if unsup:
        return warned(
            messages.OPS_UNSUPPORTED_CAUSE.format(
                device=dev, count=len(unsup), ops=", ".join(r.op for r in unsup)
            ),
            messages.OPS_UNSUPPORTED_FIX,
            **data,
        )
    n_ok = len(s.by_status("pass")) + len(s.by_status("fallback"))
    detail = f"{n_ok} ops agree with the CPU"
    if s.by_status("fallback"):
        detail += f" ({len(s.by_status('fallback'))} ran on the CPU through the MPS fallback)"
    if s.by_status("skip"):
        detail += f"; {len(s.by_status('skip'))} not in this torch"
    return passed(detail, **data)


@check(
    "ops.sweep",
    "Common operations run on the device and agree with the CPU",
    tier=Tier.FULL,
    timeout_s=180,
)
def ops_sweep(ctx: Context) -> Outcome:
    return judge(ctx, sweep(ctx))
