"""Chip peaks for the perf.* checks: FP32 and half-precision TFLOP/s and memory bandwidth, sourced.

Data and a lookup, no I/O. DESIGN.md puts chip peaks in verify/compat.py; that file has another
owner, so the table lives here, in its own module with one job (verify.compat may re-export it).

Conventions
- `fp32_tflops`: the chip's peak for plain FP32 FMA arithmetic. torch does not use TF32 for
  float32 matmul by default (torch.backends.cuda.matmul.allow_tf32 is False since torch 1.12), so
  this is the figure a float32 `torch.mm` is measured against on NVIDIA too.
- `half_tflops`: the dense (no structured sparsity) fp16/bf16 peak of the unit torch uses for a
  half-precision matmul: tensor cores on NVIDIA (datasheets print the sparse figure, twice the
  dense one, marked with an asterisk); on Apple GPUs fp16 runs at the FP32 rate (the shader ALUs
  do both; TechPowerUp-derived tables such as hmc-tech.com list FP16 == FP32 for every M-series
  GPU), so half_tflops == fp32_tflops there.
- `bandwidth_gbs`: peak DRAM bandwidth in GB/s (10^9 bytes/s). A device-to-device copy is
  measured counting bytes read plus bytes written, which is what this figure bounds.
- Apple gives one name ("Apple M2 Pro", sysctl machdep.cpu.brand_string) to chips with different
  GPU core counts; the table holds the largest configuration, so a binned chip (e.g. M1 Max with
  24 of 32 GPU cores, M3 Max with 30 cores and 300 GB/s) reaches at most about 3/4 of the peak.
  The perf checks' warn threshold (verify.checks.perf.WARN_FRACTION) leaves room for that.
- `derived`: no readable vendor page gives a TFLOPS figure for that chip; the figure is GPU cores
  x 128 FP32 ALUs x 2 FLOP (FMA) x `clock_ghz`, as tabulated by TechPowerUp's GPU database and
  hmc-tech.com (which print e.g. 40-core M3 Max 14.32 TFLOPS at 1398 MHz, 20-core M4 Pro 7.53 at
  1470 MHz, 32-core M4 Max 13.74 at 1678 MHz). The M2 family's 3.6 / 6.8 / 13.6 / 27.2 are such
  figures too (cores x 1.398 GHz), as is the M1 Ultra's 21.2 (cpu-monkey; the table said 21.0).
- `source` names where each figure was read; "unconfirmed" marks the NVIDIA figures no readable
  copy of a datasheet confirmed (the NVL parts, the A100 80GB PCIe bandwidth).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

# --- sources --------------------------------------------------------------------------------------
# Issue 15 point 8: every figure was checked against a page that could be read (Apple's newsroom and
# NVIDIA's own pages could not: the reports below quote them, or copy NVIDIA's tables). `derived`
# marks a TFLOPS figure no vendor page gives: GPU cores x 128 FP32 ALUs x 2 (FMA) x GPU clock;
# `clock_ghz` holds that clock, and tests/test_peaks.py recomputes each derived figure from it.
M1_TFLOPS = "https://www.macrumors.com/2020/11/10/apple-announces-m1-chip-for-the-mac/"
# 68.25 GB/s: LPDDR4X-4266 on a 128-bit bus (4266 MT/s x 16 bytes); Apple gave no figure for M1.
M1_BANDWIDTH = "derived: LPDDR4X-4266 x 128-bit bus"
M1_PRO_MAX = (
    "https://mybroadband.co.za/news/hardware/"
    "418862-apple-m1-pro-and-m1-max-new-chips-powering-the-macbook-pro.html"
)
M1_PRO_TFLOPS = (
    "https://9breakingnews.com/m1-pro-and-m1-max-apples-new-processors-are-beasts-with-up-to-32-"
    "gpu-cores-and-finally-supporting-64-gb-of-ram/"
)
M1_MAX_TFLOPS = (
    "https://calendar-uk.co.uk/frequently-asked-questions/how-many-cores-does-apple-gpu-have"
)
M1_ULTRA = (
    "https://www.notebookcheck.net/Apple-M1-Ultra-revealed-with-UltraFusion-architecture-a-20-"
    "core-CPU-and-up-to-a-64-core-GPU.607117.0.html"
)
M1_ULTRA_TFLOPS = "https://www.cpu-monkey.com/en/cpu-apple_m1_ultra_64_gpu"
M2_PRO_MAX = (
    "https://neowin.net/amp/"
    "apple-unveils-next-generation-m2-pro-and-m2-max-chips-boosting-cpu-and-gpu-performance"
)
M2_ULTRA = "https://fudzilla.net/news/57026-apple-announces-the-m2-ultra-soc-at-wwdc23"
M2_M3_M4 = (
    "https://goodnewsapodcast.com/"
    "apples-m4-m4-pro-and-m4-max-compared-to-past-generations-and-to-each-other"
)
M3_PRO_MAX = "https://www.macrumors.com/2023/10/31/apple-m3-pro-less-memory-bandwidth/"
M4_MAX = (
    "https://macmegasite.com/2024/10/30/"
    "m4-max-chip-has-16-core-cpu-40-core-gpu-and-35-increase-in-memory-bandwidth"
)
# 819 GB/s: LPDDR5-6400 on a 1024-bit bus, as cpu-monkey computes for the same Ultra memory
# system (M1_ULTRA_TFLOPS); not read from an Apple page.
M3_ULTRA_BANDWIDTH = "derived: LPDDR5-6400 x 1024-bit bus"
DERIVED_APPLE = "derived: GPU cores x 128 ALUs x 2 x clock (TechPowerUp / hmc-tech.com clocks)"
# NVIDIA's tables, as copied from its datasheets by readers (NVIDIA's pages were not readable):
NVIDIA_H100 = "https://archive-lib.hpctech.co.jp/gpuproduct/nvidia-h100.html (NVIDIA's H100 table)"
NVIDIA_H100_DENSE = "https://glennklockwood.com/garden/processors/h100"
NVIDIA_H200 = "https://lzwjava.github.io/nvidia-h200-gpu-specs-en (4.8 TB/s, BF16 1,979*)"
NVIDIA_A100 = "https://glennklockwood.com/garden/processors/A100 (from NVIDIA's A100 datasheet)"
# Not found in any readable copy: the NVL parts and the A100 80GB PCIe bandwidth keep NVIDIA's
# datasheet figures as first written, unconfirmed here.
UNCONFIRMED = "NVIDIA datasheet figure, no readable copy found (unconfirmed)"


@dataclass(frozen=True)
class Peak:
    chip: str  # the table's name for it: "Apple M2 Pro", "NVIDIA H100 SXM5"
    config: str  # which configuration the figures are for
    fp32_tflops: float
    half_tflops: float  # dense fp16/bf16 matmul peak (see the module docstring)
    bandwidth_gbs: float
    source: str
    derived: bool = False  # TFLOPS computed from cores x clock, not published by the vendor
    clock_ghz: float | None = None  # the GPU clock a derived Apple figure is computed at

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _apple(
    chip: str,
    cores: int,
    tflops: float,
    gbs: float,
    source: str,
    *,
    tflops_source: str,
    clock_ghz: float | None = None,
) -> Peak:
    """An Apple GPU; `clock_ghz` given means the TFLOPS figure is derived from it."""
    src = f"bandwidth: {source} ; TFLOPS: {tflops_source}"
    derived = clock_ghz is not None
    return Peak(f"Apple {chip}", f"{cores}-core GPU", tflops, tflops, gbs, src, derived, clock_ghz)


# (pattern matched against the device name, peak). First match wins: most specific first.
# Apple names come from sysctl machdep.cpu.brand_string ("Apple M2 Pro"); NVIDIA names from
# torch.cuda.get_device_name(): "NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe",
# "NVIDIA A100-SXM4-80GB".
TABLE: tuple[tuple[re.Pattern[str], Peak], ...] = tuple(
    (re.compile(p, re.IGNORECASE), peak)
    for p, peak in (
        # Apple M1 family: Apple's TFLOPS for M1 / M1 Pro / M1 Max as reported from its events;
        # M1 Ultra derived at 1.296 GHz (cpu-monkey: 21.2).
        (
            r"\bM1 Ultra\b",
            _apple(
                "M1 Ultra", 64, 21.2, 800, M1_ULTRA, tflops_source=M1_ULTRA_TFLOPS, clock_ghz=1.296
            ),
        ),
        (r"\bM1 Max\b", _apple("M1 Max", 32, 10.4, 400, M1_PRO_MAX, tflops_source=M1_MAX_TFLOPS)),
        (r"\bM1 Pro\b", _apple("M1 Pro", 16, 5.2, 200, M1_PRO_MAX, tflops_source=M1_PRO_TFLOPS)),
        (r"\bM1\b", _apple("M1", 8, 2.6, 68.25, M1_BANDWIDTH, tflops_source=M1_TFLOPS)),
        # Apple M2 family: bandwidth as Apple gave it; TFLOPS derived at 1.398 GHz.
        (
            r"\bM2 Ultra\b",
            _apple(
                "M2 Ultra", 76, 27.2, 800, M2_ULTRA, tflops_source=DERIVED_APPLE, clock_ghz=1.398
            ),
        ),
        (
            r"\bM2 Max\b",
            _apple(
                "M2 Max", 38, 13.6, 400, M2_PRO_MAX, tflops_source=DERIVED_APPLE, clock_ghz=1.398
            ),
        ),
        (
            r"\bM2 Pro\b",
            _apple(
                "M2 Pro", 19, 6.8, 200, M2_PRO_MAX, tflops_source=DERIVED_APPLE, clock_ghz=1.398
            ),
        ),
        (
            r"\bM2\b",
            _apple("M2", 10, 3.6, 100, M2_M3_M4, tflops_source=DERIVED_APPLE, clock_ghz=1.398),
        ),
        # Apple M3 family: TFLOPS derived at 1.398 GHz.
        (
            r"\bM3 Ultra\b",
            _apple(
                "M3 Ultra",
                80,
                28.6,
                819,
                M3_ULTRA_BANDWIDTH,
                tflops_source=DERIVED_APPLE,
                clock_ghz=1.398,
            ),
        ),
        (
            r"\bM3 Max\b",
            _apple(
                "M3 Max", 40, 14.3, 400, M3_PRO_MAX, tflops_source=DERIVED_APPLE, clock_ghz=1.398
            ),
        ),
        (
            r"\bM3 Pro\b",
            _apple(
                "M3 Pro", 18, 6.4, 150, M3_PRO_MAX, tflops_source=DERIVED_APPLE, clock_ghz=1.398
            ),
        ),
        (
            r"\bM3\b",
            _apple("M3", 10, 3.6, 100, M2_M3_M4, tflops_source=DERIVED_APPLE, clock_ghz=1.398),
        ),
        # Apple M4 family: TFLOPS derived (1.47 GHz for M4 and M4 Pro, 1.678 GHz for M4 Max).
        (
            r"\bM4 Max\b",
            _apple("M4 Max", 40, 17.2, 546, M4_MAX, tflops_source=DERIVED_APPLE, clock_ghz=1.678),
        ),
        (
            r"\bM4 Pro\b",
            _apple("M4 Pro", 20, 7.5, 273, M2_M3_M4, tflops_source=DERIVED_APPLE, clock_ghz=1.47),
        ),
        (
            r"\bM4\b",
            _apple("M4", 10, 3.8, 120, M2_M3_M4, tflops_source=DERIVED_APPLE, clock_ghz=1.47),
        ),
        # NVIDIA H200: the H100 SXM's compute (same GH100 die) with 141 GB HBM3e at 4.8 TB/s;
        # BF16 1,979* (* with sparsity: dense is half). The NVL part is unconfirmed here.
        (
            r"\bH200 NVL\b",
            Peak("NVIDIA H200 NVL", "PCIe, 141 GB HBM3e", 60.0, 835.5, 4800, UNCONFIRMED),
        ),
        (r"\bH200\b", Peak("NVIDIA H200", "SXM, 141 GB HBM3e", 67.0, 989.5, 4800, NVIDIA_H200)),
        # NVIDIA H100: SXM FP32 67, BF16 1,979* (dense 989.4, glennklockwood), 3,350 GB/s; PCIe
        # FP32 51, BF16 1,513* (dense 756.5), 2,000 GB/s; NVL (FP32 60, BF16 1,671*, 3.9 TB/s)
        # unconfirmed here. The SXM part reports itself as "NVIDIA H100 80GB HBM3".
        (
            r"\bH100 NVL\b",
            Peak("NVIDIA H100 NVL", "PCIe, 94 GB HBM3", 60.0, 835.5, 3900, UNCONFIRMED),
        ),
        (
            r"\bH100 PCIe\b",
            Peak("NVIDIA H100 PCIe", "PCIe, 80 GB HBM2e", 51.0, 756.5, 2000, NVIDIA_H100),
        ),
        (
            r"\bH100\b",
            Peak(
                "NVIDIA H100 SXM5",
                "SXM5, 80 GB HBM3",
                67.0,
                989.5,
                3350,
                f"{NVIDIA_H100} ; dense: {NVIDIA_H100_DENSE}",
            ),
        ),
        # NVIDIA A100: FP32 19.5, BF16 312 dense (624*); 1,555 GB/s (40 GB HBM2), 2,039 GB/s
        # (80 GB SXM); the 80 GB PCIe's 1,935 GB/s is unconfirmed here.
        (
            r"\bA100\b.*80\s*GB.*PCIe",
            Peak("NVIDIA A100 80GB PCIe", "PCIe, 80 GB HBM2e", 19.5, 312.0, 1935, UNCONFIRMED),
        ),
        (
            r"\bA100\b.*80\s*GB",
            Peak("NVIDIA A100 80GB SXM", "SXM4, 80 GB HBM2e", 19.5, 312.0, 2039, NVIDIA_A100),
        ),
        (r"\bA100\b", Peak("NVIDIA A100 40GB", "40 GB HBM2", 19.5, 312.0, 1555, NVIDIA_A100)),
    )
)


def lookup(device_name: str | None) -> Peak | None:
    """The peak entry for a device name (brand string or CUDA device name), or None."""
    if not device_name:
        return None
    for pattern, peak in TABLE:
        if pattern.search(device_name):
            return peak
    return None
