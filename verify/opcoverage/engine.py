"""Runs one (op, dtype) of torch's OpInfo database on the device and on the CPU (in the worker).

The comparison follows PyTorch's own device-vs-CPU tests:
- MPS: test/test_mps.py TestConsistency.test_output_match (pytorch/pytorch): the op's
  `sample_inputs(device, dtype)` made on the device, each copied to the CPU
  (`SampleInput.transform`), the op run on both, compared with the dtype's default tolerances
  (`_compute_tolerances` returns (None, None) unless an op needs more); where the CPU has no kernel
  for a half type it upcasts the CPU sample to float32 (`_run_op`).
- CUDA: test/test_ops.py TestCommon.test_compare_cpu (pytorch/pytorch, v2.8.0 L373-L396): the
  same loop with `output_process_fn_grad` applied to both results and atol = rtol = 1e-3.
Tolerance overrides (`toleranceOverride` / `precisionOverride`) and expected failures
(`unittest.expectedFailure`, `unittest.skip`) that op_db itself attaches to those tests for this
device and dtype are honoured: overrides widen the tolerance, expected failures are reported so the
classifier can call them known.

For float16 and bfloat16 the device may match either reference: the CPU's own half kernel, or the
CPU computing in float32 rounded to the half type (the correctly rounded answer; TestConsistency
does this for grid_sampler, "MPS uses float32 intermediates"). Output dtypes are not compared,
values are (a half op's float32 statistics, complex32 vs complex64 FFTs). Two results are not
called a mismatch when torch itself cannot tell which is right: random ops (op_db seeds them with
`wrapper_set_seed`, or the CPU disagrees with itself) and integer outputs (indices) of an input
with equal values (sort, argsort, topk on ties).

Samples are capped per item (`max_samples`) so the whole sweep is bounded; only forward outputs are
compared (no gradients). Nothing here imports torch at module level: the worker passes it in.
"""

from __future__ import annotations

import contextlib
import fnmatch
import getpass
import itertools
import math
import re
import tempfile
import time
import unittest
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from verify.known_errors import explain
from verify.opcoverage.model import Raw

# torch's MPS "no kernel" messages: aten/src/ATen/mps/MPSFallback.mm ("The operator '...' is not
# currently implemented for the MPS device"), and per-dtype refusals such as "MPS does not support
# cumsum op with int64 input. Support has been added in macOS 13.3"
# (aten/src/ATen/native/mps/operations/UnaryOps.mm, still there in torch 2.8.0), "... is not
# supported on MPS", and the bfloat16 refusal on macOS < 14, "MPS BFloat16 is only supported on
# MacOS 14 or newer" (https://github.com/pytorch/torchchat/issues/616).
MPS_UNSUPPORTED = re.compile(
    r"not currently implemented for the MPS device|MPS does not support|"
    r"only supported on mac ?os \d+|"
    r"not supported (?:on|for|by) (?:the )?MPS|unsupported (?:on|for) MPS",
    re.IGNORECASE,
)
# Printed (a UserWarning) when PYTORCH_ENABLE_MPS_FALLBACK=1 sends an op to the CPU:
# aten/src/ATen/mps/MPSFallback.mm "The operator '...' is not currently supported on the MPS
# backend and will fall back to run on the CPU." It is a TORCH_WARN_ONCE: the worker calls
# torch.set_warn_always(True) so every op that falls back says so.
FALLBACK_WARNING = re.compile(r"fall ?back to run on the CPU", re.IGNORECASE)
FALLBACK_OP = re.compile(r"operator '([^']+)'")

# (test class, test name) whose op_db decorators describe a device-vs-CPU comparison
COMPARE_CPU = ("TestCommon", "test_compare_cpu")
DEVICE_TESTS = {
    "mps": (("TestConsistency", "test_output_match"), COMPARE_CPU),
    "cuda": (COMPARE_CPU,),
}
CUDA_TOLERANCE = 1e-3  # test_compare_cpu's atol = rtol


# --- the database ------------------------------------------------------------------------------
def load_op_db() -> list[Any]:
    """torch's OpInfo list; ImportError (e.g. expecttest missing) is the caller's to report."""
    # Importing it makes torch._inductor's default cache folder, empty, in TMPDIR
    # (torch/_inductor/runtime/cache_dir_utils.py: <tmp>/torchinductor_<user>); verify writes
    # nothing but its reports, so a folder the import made and left empty is removed again.
    cache = Path(tempfile.gettempdir()) / ("torchinductor_" + re.sub(r'[\\/:*?"<>|]', "_", _user()))
    existed = cache.exists()
    from torch.testing._internal.common_methods_invocations import op_db

    if not existed:
        with contextlib.suppress(OSError):
            cache.rmdir()  # only if empty: never anything torch put there
    return list(op_db)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def full_name(op: Any) -> str:
    return f"{op.name}.{op.variant_test_name}" if op.variant_test_name else op.name


def key_of(op: Any) -> str:
    """The key torch's MPS lists use: name + variant_test_name (common_mps mps_ops_modifier)."""
    return op.name + op.variant_test_name


def matches(op: Any, patterns: Sequence[str]) -> bool:
    """--only: an exact name ("add", "nn.functional.conv2d"), a full name with the variant, or a
    glob ("nn.functional.*pool*"); any of several patterns."""
    if not patterns:
        return True
    names = (op.name, full_name(op), key_of(op))
    return any(n == p or fnmatch.fnmatchcase(n, p) for p in patterns for n in names)


def select(ops: Iterable[Any], patterns: Sequence[str]) -> list[Any]:
    seen: set[str] = set()
    chosen = []
    for op in ops:
        if matches(op, patterns) and full_name(op) not in seen:
            seen.add(full_name(op))
            chosen.append(op)
    return chosen


def dtype_supported(op: Any, torch: Any, device_type: str, dtype: str) -> bool:
    try:
        return getattr(torch, dtype) in op.supported_dtypes(device_type)
    except Exception:  # an OpInfo that cannot answer: try it
        return True


# --- op_db's own knowledge for this device test -------------------------------------------------
def decorations(op: Any, torch: Any, device_type: str, dtype: str) -> tuple[str, float, float]:
    """(expected: "xfail" | "skip" | "", atol, rtol) from op_db's DecorateInfo entries active for
    this device's CPU-comparison test and dtype (0.0 where no override)."""
    from torch.testing._internal.common_device_type import precisionOverride, toleranceOverride

    tests = DEVICE_TESTS.get(device_type, (COMPARE_CPU,))
    dt = getattr(torch, dtype)
    expected, atol, rtol = "", 0.0, 0.0
    for info in getattr(op, "decorators", None) or ():
        if not _active(info, tests, device_type, dt):
            continue
        for dec in info.decorators:
            if dec is unittest.expectedFailure:
                expected = "xfail"
            elif isinstance(dec, toleranceOverride) and dt in dec.d:
                atol, rtol = max(atol, dec.d[dt].atol), max(rtol, dec.d[dt].rtol)
            elif isinstance(dec, precisionOverride) and dt in dec.d:
                atol = max(atol, float(dec.d[dt]))
            elif getattr(dec, "__qualname__", "").startswith("skip.") and not expected:
                expected = "skip"
    return expected, atol, rtol


def _active(info: Any, tests: Sequence[tuple[str, str]], device_type: str, dt: Any) -> bool:
    try:
        return any(info.is_active(c, t, device_type, dt, {}) for c, t in tests)
    except Exception:  # not a DecorateInfo, or an active_if that needs more than we have
        return False


# torch.testing.assert_close's defaults per dtype: (atol, rtol)
DEFAULT_TOLERANCE = {"float32": (1e-5, 1.3e-6), "float16": (1e-5, 1e-3), "bfloat16": (1e-5, 1.6e-2)}


def tolerances(
    device_type: str, dtype: str, atol: float, rtol: float
) -> tuple[float | None, float | None]:
    """The test's base tolerance widened by op_db's overrides; (None, None) = assert_close's
    per-dtype defaults. On CUDA test_compare_cpu's 1e-3, never below the dtype's default
    (test_compare_cpu runs one dtype per op, float32 in practice)."""
    d_atol, d_rtol = DEFAULT_TOLERANCE.get(dtype, (1e-5, 1.3e-6))
    if device_type == "cuda":
        return max(CUDA_TOLERANCE, d_atol, atol), max(CUDA_TOLERANCE, d_rtol, rtol)
    if atol or rtol:
        return max(atol, d_atol), max(rtol, d_rtol)
    return None, None


# --- comparing ---------------------------------------------------------------------------------
def _tree_map(torch: Any, fn: Any, value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return fn(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # torch.return_types, namedtuples
        return tuple(_tree_map(torch, fn, v) for v in value)
    if isinstance(value, (list, tuple)):
        return type(value)(_tree_map(torch, fn, v) for v in value)
    if isinstance(value, dict):
        return {k: _tree_map(torch, fn, v) for k, v in value.items()}
    return value


def to_cpu(torch: Any, value: Any, copy: bool = False) -> Any:
    def move(t: Any) -> Any:
        t = t.detach()
        if t.layout != torch.strided:
            t = t.to_dense()
        return t.to("cpu", copy=copy) if copy or t.device.type != "cpu" else t

    return _tree_map(torch, move, value)


def _flat(torch: Any, value: Any) -> list[Any]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _flat(torch, v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _flat(torch, v)]
    return []


def max_abs_err(torch: Any, got: Any, want: Any) -> float:
    """Largest |got - want| over every output tensor (inf on a shape mismatch or one-sided NaN)."""
    worst = 0.0
    for g, w in zip(_flat(torch, got), _flat(torch, want), strict=False):
        if g.shape != w.shape:
            return math.inf
        if g.numel() == 0 or g.is_complex() or w.is_complex():
            continue
        gd, wd = g.double(), w.double()
        d = (gd - wd).abs()
        d = torch.where(torch.isnan(gd) & torch.isnan(wd), 0.0, d)
        d = torch.where((gd == wd), 0.0, d)  # equal infinities
        m = d.max().item()
        worst = max(worst, math.inf if math.isnan(m) else m)
    return worst


def compare(torch: Any, got: Any, want: Any, atol: float | None, rtol: float | None) -> str:
    """'' when equal within tolerance, else assert_close's first line."""
    try:
        torch.testing.assert_close(
            got,
            want,
            atol=atol,
            rtol=rtol,
            equal_nan=True,
            check_device=False,
            check_dtype=False,
            check_stride=False,
            check_layout=False,
        )
    except AssertionError as exc:
        lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
        return "; ".join(lines[:3]) or "differs"
    except (TypeError, ValueError, RuntimeError) as exc:  # outputs assert_close cannot pair
        if got == want if not isinstance(got, torch.Tensor) else False:
            return ""
        return f"outputs cannot be compared ({type(exc).__name__}: {_first(exc)})"
    return ""


HALF_ULPS = 4  # half types: the absolute tolerance covers this many ulps of the output's scale


def compare_outputs(torch: Any, got: Any, want: Any, raw: Raw, dtype: Any) -> str:
    """compare() with the tolerance of `raw`; for float16 / bfloat16 each output's absolute
    tolerance is at least HALF_ULPS ulps of its largest magnitude: a reduction carried out in a
    half type (cumsum, FFT, convolution) has an absolute error of the order of its largest partial
    sum, and devices sum in different orders."""
    if dtype not in (torch.float16, torch.bfloat16):
        return compare(torch, got, want, raw.atol, raw.rtol)
    gots, wants = _flat(torch, got), _flat(torch, want)
    if not gots or len(gots) != len(wants):
        return compare(torch, got, want, raw.atol, raw.rtol)
    d_atol, d_rtol = DEFAULT_TOLERANCE[str(dtype).rsplit(".", 1)[-1]]
    eps = torch.finfo(dtype).eps
    for g, w in zip(gots, wants, strict=True):
        atol, rtol = raw.atol or d_atol, raw.rtol or d_rtol
        if (w.is_floating_point() or w.is_complex()) and w.numel():
            finite = w[torch.isfinite(w)].abs()
            if finite.numel():
                atol = max(atol, HALF_ULPS * eps * float(finite.max()))
        problem = compare(torch, g, w, atol, rtol)
        if problem:
            return problem
    return ""


def _first(exc: BaseException) -> str:
    return next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")[:300]


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {_first(exc)}".rstrip(": ")


def not_implemented(device_type: str, exc: BaseException) -> bool:
    """A missing kernel rather than a fault: NotImplementedError; on MPS also torch's refusals of
    an op or dtype (MPS_UNSUPPORTED) and of float64, which MPS does not have (known_errors)."""
    if isinstance(exc, NotImplementedError):
        return True
    if device_type != "mps":
        return False
    known = explain(str(exc))
    return bool(MPS_UNSUPPORTED.search(str(exc))) or (known is not None and known.expected_on_mps)


def _summary(sample: Any) -> str:
    try:
        text = sample.summary()
    except Exception:
        text = repr(sample)
    return " ".join(text.split())[:300]


def _synchronize(torch: Any, device_type: str) -> None:
    if device_type == "cuda":
        torch.cuda.synchronize()
    elif device_type == "mps":
        torch.mps.synchronize()


def _run_cpu(torch: Any, op: Any, sample: Any, dtype: Any) -> tuple[Any, Any]:
    """(cpu output, the CPU sample used); where the CPU has no kernel for a half type, the float32
    reference instead, as TestConsistency._run_op does."""
    cpu_sample = sample.transform(lambda t: _cpu_copy(torch, t))
    try:
        return op(cpu_sample.input, *cpu_sample.args, **cpu_sample.kwargs), cpu_sample
    except (NotImplementedError, RuntimeError):
        if dtype not in (torch.float16, torch.bfloat16):
            raise
    return _run_float32(torch, op, sample, dtype), cpu_sample


def _run_float32(torch: Any, op: Any, sample: Any, dtype: Any) -> Any:
    """The CPU computing a half-type sample in float32, the result rounded to the half type."""
    up = sample.transform(lambda t: _cpu_copy(torch, t, torch.float32))
    out = op(up.input, *up.args, **up.kwargs)
    return _tree_map(torch, lambda t: t.to(dtype) if t.dtype == torch.float32 else t, out)


def _cpu_copy(torch: Any, t: Any, upcast: Any = None) -> Any:
    if isinstance(t, torch.dtype):
        return upcast if upcast is not None and t in (torch.float16, torch.bfloat16) else t
    t = t.detach().to("cpu", copy=True)
    if upcast is not None and t.dtype in (torch.float16, torch.bfloat16):
        t = t.to(upcast)
    return t


def seeded_random(op: Any) -> bool:
    """op_db's random ops call their function through `wrapper_set_seed` (common_methods_
    invocations), so each device is reproducible but draws its own numbers."""
    code = getattr(getattr(op, "op", None), "__code__", None)
    return code is not None and "wrapper_set_seed" in code.co_names


def _ties_only(torch: Any, sample: Any, got: Any, want: Any, raw: Raw) -> bool:
    """True when every differing output is an integer tensor (indices), every floating output
    agrees, and the sample's input holds equal values: sort, argsort or topk may order ties
    either way, and both answers are right."""
    x = sample.input
    if not isinstance(x, torch.Tensor) or x.numel() < 2:
        return False
    try:
        if torch.unique(x.detach().cpu()).numel() == x.numel():
            return False
    except Exception:  # an input unique() cannot handle: no tie excuse
        return False
    gots, wants = _flat(torch, got), _flat(torch, want)
    if len(gots) != len(wants) or not gots:
        return False
    differs_int = False
    for g, w in zip(gots, wants, strict=True):
        same = not compare_outputs(torch, g, w, raw, g.dtype)
        if g.is_floating_point() or g.is_complex():
            if not same:
                return False
        elif not same:
            differs_int = True
    return differs_int


def _random(torch: Any, op: Any, cpu_sample: Any) -> bool:
    """True when the op gives different answers on the CPU for the same input (a random op:
    dropout, bernoulli, multinomial...), which no device can be expected to match."""
    if seeded_random(op):
        return True
    outs = []
    for seed in (1, 2):
        torch.manual_seed(seed)
        s = cpu_sample.transform(lambda t: t.clone() if isinstance(t, torch.Tensor) else t)
        outs.append(to_cpu(torch, op(s.input, *s.args, **s.kwargs)))
    try:
        torch.testing.assert_close(outs[0], outs[1], atol=0, rtol=0, equal_nan=True)
    except Exception:
        return True
    return False


def run_item(
    torch: Any,
    op: Any,
    dtype_name: str,
    device: str,
    *,
    max_samples: int = 8,
    seed: int = 0,
) -> Raw:
    """Run one (op, dtype) on `device` against the CPU; never raises for the op's own failures."""
    device_type = device.split(":", 1)[0]
    started = time.perf_counter()
    raw = Raw(full_name(op), key_of(op), dtype_name, "match")
    if not dtype_supported(op, torch, device_type, dtype_name):
        raw.outcome = "unsupported-dtype"
        return raw
    dtype = getattr(torch, dtype_name)
    raw.opdb_expected, o_atol, o_rtol = decorations(op, torch, device_type, dtype_name)
    raw.atol, raw.rtol = tolerances(device_type, dtype_name, o_atol, o_rtol)
    if getattr(op, "has_nondeterministic_output", False):
        raw.outcome = "random"
        raw.error = "the op's output is not determined by its input (OpInfo)"
        return raw
    torch.manual_seed(seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _sweep_samples(torch, op, dtype, device, raw=raw, max_samples=max_samples)
        finally:
            raw.seconds = time.perf_counter() - started
        fallback_ops = []
        for w in caught:
            text = str(w.message)
            if FALLBACK_WARNING.search(text):
                m = FALLBACK_OP.search(text)
                fallback_ops.append(m.group(1) if m else text[:120])
    raw.fallback_ops = list(dict.fromkeys(fallback_ops))
    raw.fallback = bool(raw.fallback_ops)
    return raw


def _sweep_samples(
    torch: Any, op: Any, dtype: Any, device: str, *, raw: Raw, max_samples: int
) -> None:
    """Fill `raw` from the op's samples: stops at the first sample that raises or differs."""
    device_type = device.split(":", 1)[0]
    try:
        samples = op.sample_inputs(device, dtype, requires_grad=False)
        iterator = iter(itertools.islice(samples, max_samples))
    except Exception as exc:  # making samples on the device failed
        raw.outcome, raw.error = "raises", f"making sample inputs: {describe(exc)}"
        raw.not_implemented = not_implemented(device_type, exc)
        return
    index = -1
    cpu_errors = 0
    while True:
        index += 1
        try:
            sample = next(iterator)
        except StopIteration:
            break
        except Exception as exc:
            raw.outcome, raw.error = "raises", f"making sample {index}: {describe(exc)}"
            raw.not_implemented = not_implemented(device_type, exc)
            raw.sample = index
            return
        try:
            want, cpu_sample = _run_cpu(torch, op, sample, dtype)
            want = to_cpu(torch, sample.output_process_fn_grad(want))
        except Exception:  # the reference itself cannot run this sample: not comparable
            cpu_errors += 1
            continue
        try:
            got = op(sample.input, *sample.args, **sample.kwargs)
            got = to_cpu(torch, sample.output_process_fn_grad(got))
            _synchronize(torch, device_type)
        except Exception as exc:
            raw.outcome, raw.error = "raises", describe(exc)
            raw.not_implemented = not_implemented(device_type, exc)
            raw.sample, raw.sample_summary = index, _summary(sample)
            return
        raw.samples += 1
        problem = compare_outputs(torch, got, want, raw, dtype)
        if problem and dtype in (torch.float16, torch.bfloat16):
            try:
                want32 = to_cpu(
                    torch, sample.output_process_fn_grad(_run_float32(torch, op, sample, dtype))
                )
            except Exception:  # no float32 reference either: the first verdict stands
                want32 = None
            if want32 is not None and not compare_outputs(torch, got, want32, raw, dtype):
                want, problem = want32, ""
        if problem and _ties_only(torch, sample, got, want, raw):
            raw.outcome = "ambiguous"
            raw.error = "only integer outputs (indices) differ, and the input has equal values"
            return
        if problem:
            err = max_abs_err(torch, got, want)
            try:
                random = _random(torch, op, cpu_sample)
            except Exception:
                random = False
            if random:
                raw.outcome = "random"
                raw.error = "the CPU itself gives different outputs for the same input"
                return
            raw.outcome, raw.error, raw.max_abs_err = "mismatch", problem, err
            raw.sample, raw.sample_summary = index, _summary(sample)
            return
        err = max_abs_err(torch, got, want)
        raw.max_abs_err = err if raw.max_abs_err is None else max(raw.max_abs_err, err)
    if raw.samples == 0:
        raw.outcome = "cpu-error" if cpu_errors else "no-samples"
