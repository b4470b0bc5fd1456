"""perf.matmul and perf.copy: is the device as fast as this chip should be? (tier full, optional)

Method (the same on mps, cuda and cpu):
- sizes grow until one call takes long enough to time well (or a size cap is reached), so a
  slow CPU and an H100 both finish in about a second per figure;
- warm-up calls first (kernel selection, allocator, Metal/cuBLAS handle creation stay out);
- every timed repetition runs `inner` calls between two device synchronisations
  (torch.mps.synchronize / torch.cuda.synchronize via Context.synchronize), read on
  time.perf_counter; the figure is the median over the repetitions;
- matmul on random data (zeros can run faster than real data), FLOPs = 2 n^3;
- copy counts bytes read plus bytes written (2 x buffer size), the quantity that DRAM bandwidth
  bounds; buffers start at 128 MiB, larger than any listed chip's last-level cache.

Figures are compared with the chip's peak from verify.peaks. A figure below WARN_FRACTION of the
peak is a `warn`.

Why 25 %: healthy devices reach far more. Measured or widely reported: cuBLAS bf16 on an H100 SXM
about 80 % of the dense peak (798 of 989.5 TFLOP/s, an 8192^3 product on this project's lent H100,
/work/.library/device/KINDS.md), and a device copy about 90 % of HBM bandwidth (3.0 of 3.35 TB/s);
PyTorch's MPS matmul on Apple GPUs typically lands at 50-80 % of the FP32 peak, and copies at
60-90 % of the unified-memory bandwidth. A binned Apple chip shares the full chip's name but has
up to 1/4 fewer GPU cores and less bandwidth (verify.peaks). 25 % is therefore below anything a
healthy device gives even in the worst such combination (0.5 x 0.75 = 37 %), while the problems
worth telling the user about -- Low Power Mode or thermal throttling, another process saturating
the GPU, a power-capped or clock-locked NVIDIA card, a matmul falling back to the CPU or to a
slow kernel -- cost 2x to 10x.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from verify import messages, peaks
from verify.checks import Context, check
from verify.model import Outcome, Tier, passed, warned

WARN_FRACTION = 0.25

# One timed call should last at least this long before its size stops growing (seconds).
MIN_CALL_S = 0.004
# Each figure's timed repetitions, and the wall-time budget for them (after sizing).
REPS = 9
BUDGET_S = 0.8
# Largest sizes tried, per device type: matmul n (square), copy buffer in bytes.
MAX_N = {"cuda": 8192, "mps": 4096, "cpu": 2048}
MAX_COPY_BYTES = {"cuda": 1 << 30, "mps": 1 << 29, "cpu": 1 << 28}
# Copies start beyond the last-level caches (H100 L2 50 MB, A100 40 MB, Apple SLC up to 96 MB
# on an Ultra), so the figure is DRAM bandwidth, not cache bandwidth.
COPY_START_BYTES = 1 << 27


@dataclass
class Figure:
    """One measured rate: `value` (median) in `unit`, with the size and the raw samples."""

    what: str  # "matmul float32", "copy"
    unit: str  # "TFLOP/s", "GB/s"
    value: float
    size: str  # "n=8192", "1024 MiB"
    per_call_s: float  # median seconds per call
    samples: list[float] = field(default_factory=list)  # rate per repetition

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["value"] = round(self.value, 4)
        d["samples"] = [round(s, 4) for s in self.samples]
        return d


def device_name(ctx: Context) -> str | None:
    """The chip name the peak table is keyed on.

    Agreed with the worker: it puts Facts.gpu_name / Facts.chip into ctx.scratch["gpu_name"]
    (checks never probe the host themselves). Without that, torch is asked: the CUDA device
    name, or on MPS the Metal device's name (torch.backends.mps.get_name() where torch has it,
    e.g. "Apple M2 Pro").
    """
    name = ctx.scratch.get("gpu_name")
    if name:
        return str(name)
    if ctx.device_type == "cuda":
        return str(ctx.torch.cuda.get_device_name(ctx.device))
    get_name = getattr(ctx.torch.backends.mps, "get_name", None)
    if ctx.device_type == "mps" and get_name is not None:
        return str(get_name())
    return None


def time_calls(ctx: Context, fn: Callable[[], object], inner: int, reps: int) -> list[float]:
    """Seconds per call for each of `reps` repetitions of `inner` synchronised calls."""
    out = []
    for _ in range(reps):
        ctx.synchronize()
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        ctx.synchronize()
        out.append((time.perf_counter() - t0) / inner)
    return out


def _one_call_s(ctx: Context, fn: Callable[[], object]) -> float:
    fn()  # warm-up: kernel choice, allocation, handle creation
    return min(time_calls(ctx, fn, 1, 2))


def _plan(per_call_s: float, budget_s: float, reps: int) -> int:
    """Calls per repetition so that `reps` repetitions fit in `budget_s` (at least 1)."""
    return max(1, int(budget_s / (reps * max(per_call_s, 1e-9))))


def _cap_bytes(ctx: Context, wanted: int) -> int:
    """Keep big buffers within a quarter of free device memory on CUDA."""
    if ctx.device_type == "cuda":
        free, _total = ctx.torch.cuda.mem_get_info(ctx.device)
        return min(wanted, free // 4)
    return wanted


def measure_matmul(
    ctx: Context,
    dtype: Any,
    *,
    max_n: int | None = None,
    budget_s: float = BUDGET_S,
    reps: int = REPS,
) -> Figure:
    """Median TFLOP/s of a square torch.mm in `dtype` on ctx.device."""
    torch = ctx.torch
    max_n = max_n or MAX_N.get(ctx.device_type, 2048)
    elem = torch.empty((), dtype=dtype).element_size()
    max_n = min(max_n, int((_cap_bytes(ctx, 3 * max_n * max_n * elem) / (3 * elem)) ** 0.5))
    gen = torch.Generator().manual_seed(0)
    n = 256
    while True:
        a = torch.randn(n, n, generator=gen).to(device=ctx.device, dtype=dtype)
        b = torch.randn(n, n, generator=gen).to(device=ctx.device, dtype=dtype)
        c = torch.empty(n, n, device=ctx.device, dtype=dtype)

        def call(a: Any = a, b: Any = b, c: Any = c) -> object:
            return torch.mm(a, b, out=c)

        per_call = _one_call_s(ctx, call)
        if per_call >= MIN_CALL_S or n * 2 > max_n:
            break
        n *= 2
    inner = _plan(per_call, budget_s, reps)
    secs = time_calls(ctx, call, inner, reps)
    flop = 2.0 * n**3
    rates = [flop / s / 1e12 for s in secs]
    med = statistics.median(secs)
    name = str(dtype).replace("torch.", "")
    return Figure(f"matmul {name}", "TFLOP/s", flop / med / 1e12, f"n={n}", med, rates)


def measure_copy(
    ctx: Context, *, max_bytes: int | None = None, budget_s: float = BUDGET_S, reps: int = REPS
) -> Figure:
    """Median GB/s (read + write) of a device-to-device tensor copy on ctx.device."""
    torch = ctx.torch
    max_bytes = _cap_bytes(ctx, max_bytes or MAX_COPY_BYTES.get(ctx.device_type, 1 << 28))
    nbytes = min(COPY_START_BYTES, max_bytes)
    while True:
        src = torch.rand(nbytes // 4, device=ctx.device)
        dst = torch.empty_like(src)

        def call(src: Any = src, dst: Any = dst) -> object:
            return dst.copy_(src)

        per_call = _one_call_s(ctx, call)
        if per_call >= MIN_CALL_S or nbytes * 2 > max_bytes:
            break
        nbytes *= 2
    inner = _plan(per_call, budget_s, reps)
    secs = time_calls(ctx, call, inner, reps)
    moved = 2.0 * nbytes
    rates = [moved / s / 1e9 for s in secs]
    med = statistics.median(secs)
    return Figure("copy", "GB/s", moved / med / 1e9, f"{nbytes >> 20} MiB", med, rates)


def half_dtype(ctx: Context) -> Any:
    """The half type to measure: bf16 on CUDA and CPU, fp16 on MPS.

    Apple GPUs before M3 have no bf16 arithmetic (MPS bf16 also needs macOS 14), while fp16 runs
    at the FP32 rate; NVIDIA tensor cores run bf16 and fp16 at the same rate.
    """
    return ctx.torch.float16 if ctx.device_type == "mps" else ctx.torch.bfloat16


def _judge(
    ctx: Context,
    figures: list[tuple[Figure, float | None]],
    kind: str,
) -> Outcome:
    """pass/warn from figures and their peaks (None: no reference peak for this device)."""
    name = device_name(ctx)
    peak = peaks.lookup(name)
    rows = []
    slow = []
    for fig, ref in figures:
        row = {"figure": fig.to_dict(), "peak": ref}
        if ref:
            frac = fig.value / ref
            row["fraction_of_peak"] = round(frac, 4)
            if frac < WARN_FRACTION:
                slow.append(
                    f"{fig.what} {fig.value:.3g} {fig.unit} is {frac:.0%} of the peak "
                    f"{ref:g} {fig.unit}"
                )
        rows.append(row)
    text = "; ".join(f"{f.what} {f.value:.3g} {f.unit} ({f.size})" for f, _ in figures)
    data: dict[str, Any] = {
        "device_name": name,
        "peak_entry": peak.to_dict() if peak else None,
        "warn_fraction": WARN_FRACTION,
        "results": rows,
    }
    if peak is None:
        return passed(f"{text}; no reference peak for {name or ctx.device_type}", **data)
    if slow:
        return warned(
            messages.PERF_SLOW_CAUSE.format(
                kind=kind, chip=peak.chip, what="; ".join(slow), pct=int(WARN_FRACTION * 100)
            ),
            messages.PERF_SLOW_FIX_CUDA if ctx.device_type == "cuda" else messages.PERF_SLOW_FIX,
            **data,
        )
    fracs = ", ".join(f"{r['fraction_of_peak']:.0%}" for r in rows if "fraction_of_peak" in r)
    return passed(f"{text}; {fracs} of the {peak.chip} peak", **data)


@check(
    "perf.matmul",
    "Matrix multiply speed (fp32 and half) vs the chip's peak",
    tier=Tier.FULL,
    required=False,
    timeout_s=120,
)
def matmul(ctx: Context) -> Outcome:
    peak = peaks.lookup(device_name(ctx))
    half = half_dtype(ctx)
    figs = [
        (measure_matmul(ctx, ctx.torch.float32), peak.fp32_tflops if peak else None),
        (measure_matmul(ctx, half), peak.half_tflops if peak else None),
    ]
    return _judge(ctx, figs, "matrix multiply")


@check(
    "perf.copy",
    "Device memory copy speed vs the chip's bandwidth",
    tier=Tier.FULL,
    required=False,
    timeout_s=120,
)
def copy(ctx: Context) -> Outcome:
    peak = peaks.lookup(device_name(ctx))
    return _judge(ctx, [(measure_copy(ctx), peak.bandwidth_gbs if peak else None)], "memory copy")
