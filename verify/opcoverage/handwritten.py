"""The hand-written op cases: only what torch's OpInfo database (op_db) cannot give the sweep.

- random operations (rand, randn, dropout, multinomial, ...): op_db's samples cannot be compared
  with the CPU (devices draw different numbers), so each is checked here for same-seed determinism
  on the device and for its statistics;
- integer dtypes (the op_db sweep runs float32, float16 and bfloat16), e.g. cumsum on int64, which
  MPS refuses before macOS 13.3 ("MPS does not support cumsum op with int64 input. Support has been
  added in macOS 13.3", aten/src/ATen/native/mps/operations/UnaryOps.mm, still in torch 2.8.0);
- results op_db's forward comparison does not look at: batch norm's in-place running statistics,
  and deterministic causal attention (op_db's attention samples include dropout).

When torch's testing internals cannot be imported (a torch without them, expecttest missing), the
op-coverage sweep runs these cases instead and says so.

Each case builds its inputs on the CPU from a seeded generator, runs the operation on the CPU (the
reference) and on the device, and compares with torch.testing.assert_close and the dtype's default
tolerances unless a case states its own with the reason. Per-op outcome: "pass"; "unsupported"
(no device kernel: NotImplementedError, or torch's MPS refusals); "fallback" (PYTORCH_ENABLE_MPS_
FALLBACK=1 ran it on the CPU and torch warned); "wrong" (a `fail` with the largest error); "error"
(raised on the device, not on the CPU); "skip" (the reference itself raised).
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from verify.checks import Context
from verify.opcoverage.engine import FALLBACK_WARNING, MPS_UNSUPPORTED
from verify.opcoverage.model import Raw

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


def _ints(*shape: int, high: int = 100, dtype: str = "int64") -> Callable[[Any, Any], Tensors]:
    def make(torch: Any, gen: Any) -> Tensors:
        dt = getattr(torch, dtype)
        return (
            torch.randint(-high, high, shape, generator=gen).to(dt),
            torch.randint(1, high, shape, generator=gen).to(dt),
        )

    return make


def _img(n: int = 2, c: int = 3, h: int = 16, w: int = 16) -> Callable[[Any, Any], Tensors]:
    return _randn(n, c, h, w)


# --- the cases ------------------------------------------------------------------------------------


def _nnf(torch: Any) -> Any:
    return torch.nn.functional


def op_cases() -> list[OpCase]:
    ints = "integer"  # the op_db sweep runs float dtypes only
    return [
        OpCase("bitwise_and.int32", ints, _ints(64, 33, dtype="int32"), lambda t, a, b: a & b),
        OpCase("remainder.int64", ints, _ints(64, 33), lambda t, a, b: t.remainder(a, b)),
        OpCase("sum.int64", ints, _ints(32, 50), lambda t, a, b: a.sum(dim=0)),
        OpCase("cumsum.int64", ints, _ints(8, 30), lambda t, a, b: a.cumsum(dim=1)),
        OpCase(
            "unique.int64",
            ints,
            _ints(40, high=6),
            lambda t, a, b: t.unique(a, return_counts=True),
        ),
        # op_db compares batch_norm's output, not the running statistics it updates in place
        OpCase("batch_norm.train", "norm", _img(4, 3, 8, 8), _bn_train),
        # op_db's attention samples include dropout (random); this one is deterministic
        OpCase(
            "scaled_dot_product_attention.causal",
            "softmax",
            lambda t, g: tuple(t.randn(2, 3, 10, 8, generator=g) for _ in range(3)),
            lambda t, q, k, v: _nnf(t).scaled_dot_product_attention(q, k, v, is_causal=True),
            rtol=1e-5,
            atol=1e-5,
        ),  # fused kernels reorder the softmax sums
    ]


def _bn_train(torch: Any, x: Any) -> Any:
    """Training-mode batch norm: the output and the updated running statistics."""
    mean = torch.zeros(3, device=x.device)
    var = torch.ones(3, device=x.device)
    out = torch.nn.functional.batch_norm(x, mean, var, training=True, momentum=0.3)
    return out, mean, var


# --- random ops: determinism and statistics ----------------------------------------------------
def _within(name: str, got: float, want: float, tol: float) -> str:
    return "" if abs(got - want) <= tol else f"{name} {got:.4g}, expected {want:.4g} +- {tol:g}"


def random_cases() -> list[RandomCase]:
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
def unsupported(ctx: Context, exc: BaseException) -> bool:
    if isinstance(exc, NotImplementedError):
        return True
    return ctx.device_type == "mps" and bool(MPS_UNSUPPORTED.search(str(exc)))


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
def exact_fp32(ctx: Context) -> Iterator[None]:
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
        fallback = any(FALLBACK_WARNING.search(str(w.message)) for w in caught)
    except Exception as exc:  # classified: unsupported op vs error
        status = "unsupported" if unsupported(ctx, exc) else "error"
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
        status = "unsupported" if unsupported(ctx, exc) else "error"
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
    ctx: Context, cases: list[OpCase] | None = None, randoms: list[RandomCase] | None = None
) -> Sweep:
    """Run every case on ctx.device; one OpResult per op, never raising for an op's failure."""
    result = Sweep()
    with exact_fp32(ctx):
        for case in op_cases() if cases is None else cases:
            result.results.append(run_case(ctx, case))
        for rcase in random_cases() if randoms is None else randoms:
            result.results.append(run_random(ctx, rcase))
    return result


# The hand-written statuses as op-coverage outcomes (Raw), for the sweep's fallback source.
_OUTCOMES = {
    "pass": "match",
    "fallback": "match",
    "unsupported": "raises",
    "error": "raises",
    "wrong": "mismatch",
    "skip": "cpu-error",
}


def dtype_of(name: str) -> str:
    """The dtype a case runs in, from its name ("cumsum.int64" -> "int64"); float32 otherwise."""
    suffix = name.rsplit(".", 1)[-1]
    return suffix if suffix.startswith(("int", "float", "bfloat", "uint")) else "float32"


def to_raw(r: OpResult) -> Raw:
    raw = Raw(r.op, r.op, dtype_of(r.op), _OUTCOMES.get(r.status, "raises"))
    raw.max_abs_err = r.max_abs_err
    raw.error = r.message if r.status not in ("pass", "fallback") else ""
    raw.not_implemented = r.status == "unsupported"
    raw.fallback = r.status == "fallback"
    raw.fallback_ops = [r.op] if raw.fallback else []
    raw.samples = 1 if r.status in ("pass", "fallback", "wrong") else 0
    return raw
