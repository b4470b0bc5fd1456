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
- `derived`: Apple published no TFLOPS figure for that chip; the figure is GPU cores x 128 FP32
  ALUs x 2 FLOP (FMA) x GPU clock, as tabulated by TechPowerUp's GPU database and hmc-tech.com
  (which print e.g. 40-core M3 Max 14.32 TFLOPS at 1398 MHz, 20-core M4 Pro 7.53 at 1470 MHz,
  32-core M4 Max 13.74 at 1678 MHz).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

# --- sources ------------------------------------------------------------------------------------
APPLE_M1 = "https://www.apple.com/newsroom/2020/11/apple-unleashes-m1/"
APPLE_M1_PRO_MAX = (
    "https://www.apple.com/newsroom/2021/10/"
    "introducing-m1-pro-and-m1-max-the-most-powerful-chips-apple-has-ever-built/"
)
APPLE_M1_ULTRA = (
    "https://www.apple.com/newsroom/2022/03/"
    "apple-unveils-m1-ultra-the-worlds-most-powerful-chip-for-a-personal-computer/"
)
APPLE_M2 = (
    "https://www.apple.com/newsroom/2022/06/"
    "apple-unveils-m2-with-breakthrough-performance-and-capabilities/"
)
APPLE_M2_PRO_MAX = (
    "https://www.apple.com/newsroom/2023/01/"
    "apple-unveils-m2-pro-and-m2-max-next-generation-chips-for-next-level-workflows/"
)
APPLE_M2_ULTRA = "https://www.apple.com/newsroom/2023/06/apple-introduces-m2-ultra/"
APPLE_M3 = (
    "https://www.apple.com/newsroom/2023/10/"
    "apple-unveils-m3-m3-pro-and-m3-max-the-most-advanced-chips-for-a-personal-computer/"
)
APPLE_M3_ULTRA = (
    "https://www.apple.com/newsroom/2025/03/"
    "apple-reveals-m3-ultra-taking-apple-silicon-to-a-new-extreme/"
)
APPLE_M4 = "https://www.apple.com/newsroom/2024/05/apple-introduces-m4-chip/"
APPLE_M4_PRO_MAX = "https://www.apple.com/newsroom/2024/10/apple-introduces-m4-pro-and-m4-max/"
# M1's bandwidth is not in Apple's release: LPDDR4X-4266 on a 128-bit bus = 68.25 GB/s
# (AnandTech, "The 2020 Mac Mini Unleashed: Putting Apple Silicon M1 To The Test").
ANANDTECH_M1 = "https://www.anandtech.com/show/16252/mac-mini-apple-m1-tested"
DERIVED_APPLE = "https://www.techpowerup.com/gpu-specs/ (cores x 128 ALUs x 2 x clock)"
NVIDIA_H100 = "https://www.nvidia.com/en-us/data-center/h100/ (H100 datasheet, table)"
NVIDIA_H200 = "https://www.nvidia.com/en-us/data-center/h200/ (H200 datasheet, table)"
NVIDIA_A100 = (
    "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/"
    "nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf"
)


@dataclass(frozen=True)
class Peak:
    chip: str  # the table's name for it: "Apple M2 Pro", "NVIDIA H100 SXM5"
    config: str  # which configuration the figures are for
    fp32_tflops: float
    half_tflops: float  # dense fp16/bf16 matmul peak (see the module docstring)
    bandwidth_gbs: float
    source: str
    derived: bool = False  # TFLOPS computed from cores x clock, not published by the vendor

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _apple(
    chip: str,
    cores: int,
    tflops: float,
    gbs: float,
    source: str,
    *,
    derived: bool = False,
    tflops_source: str | None = None,
) -> Peak:
    src = source if tflops_source is None else f"{source} ; TFLOPS: {tflops_source}"
    return Peak(f"Apple {chip}", f"{cores}-core GPU", tflops, tflops, gbs, src, derived)


# (pattern matched against the device name, peak). First match wins: most specific first.
# Apple names come from sysctl machdep.cpu.brand_string ("Apple M2 Pro"); NVIDIA names from
# torch.cuda.get_device_name(): "NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe",
# "NVIDIA A100-SXM4-80GB".
TABLE: tuple[tuple[re.Pattern[str], Peak], ...] = tuple(
    (re.compile(p, re.IGNORECASE), peak)
    for p, peak in (
        # Apple M1 family: TFLOPS and bandwidth from Apple's newsroom (M1 bandwidth: AnandTech).
        (r"\bM1 Ultra\b", _apple("M1 Ultra", 64, 21.0, 800, APPLE_M1_ULTRA)),
        (r"\bM1 Max\b", _apple("M1 Max", 32, 10.4, 400, APPLE_M1_PRO_MAX)),
        (r"\bM1 Pro\b", _apple("M1 Pro", 16, 5.2, 200, APPLE_M1_PRO_MAX)),
        (r"\bM1\b", _apple("M1", 8, 2.6, 68.25, APPLE_M1, tflops_source=ANANDTECH_M1)),
        # Apple M2 family: bandwidth from Apple's newsroom; TFLOPS from Apple's event figures
        # (3.6 / 6.8 / 13.6 / 27.2), which equal cores x 128 x 2 x 1.398 GHz.
        (r"\bM2 Ultra\b", _apple("M2 Ultra", 76, 27.2, 800, APPLE_M2_ULTRA)),
        (r"\bM2 Max\b", _apple("M2 Max", 38, 13.6, 400, APPLE_M2_PRO_MAX)),
        (r"\bM2 Pro\b", _apple("M2 Pro", 19, 6.8, 200, APPLE_M2_PRO_MAX)),
        (r"\bM2\b", _apple("M2", 10, 3.6, 100, APPLE_M2)),
        # Apple M3 family: bandwidth from Apple's newsroom; TFLOPS derived at 1.398 GHz.
        (
            r"\bM3 Ultra\b",
            _apple(
                "M3 Ultra", 80, 28.6, 819, APPLE_M3_ULTRA, derived=True, tflops_source=DERIVED_APPLE
            ),
        ),
        (
            r"\bM3 Max\b",
            _apple("M3 Max", 40, 14.3, 400, APPLE_M3, derived=True, tflops_source=DERIVED_APPLE),
        ),
        (
            r"\bM3 Pro\b",
            _apple("M3 Pro", 18, 6.4, 150, APPLE_M3, derived=True, tflops_source=DERIVED_APPLE),
        ),
        (
            r"\bM3\b",
            _apple("M3", 10, 3.6, 100, APPLE_M3, derived=True, tflops_source=DERIVED_APPLE),
        ),
        # Apple M4 family: bandwidth from Apple's newsroom; TFLOPS derived (1.47 GHz for M4 and
        # M4 Pro, 1.678 GHz for M4 Max, per TechPowerUp / hmc-tech.com).
        (
            r"\bM4 Max\b",
            _apple(
                "M4 Max", 40, 17.2, 546, APPLE_M4_PRO_MAX, derived=True, tflops_source=DERIVED_APPLE
            ),
        ),
        (
            r"\bM4 Pro\b",
            _apple(
                "M4 Pro", 20, 7.5, 273, APPLE_M4_PRO_MAX, derived=True, tflops_source=DERIVED_APPLE
            ),
        ),
        (
            r"\bM4\b",
            _apple("M4", 10, 3.8, 120, APPLE_M4, derived=True, tflops_source=DERIVED_APPLE),
        ),
        # NVIDIA H200 (SXM and NVL): datasheet FP32 67 / 60 TFLOPS, BF16 1,979* / 1,671*
        # (* with sparsity: dense is half), 4.8 TB/s HBM3e.
        (
            r"\bH200 NVL\b",
            Peak("NVIDIA H200 NVL", "PCIe, 141 GB HBM3e", 60.0, 835.5, 4800, NVIDIA_H200),
        ),
        (r"\bH200\b", Peak("NVIDIA H200", "SXM, 141 GB HBM3e", 67.0, 989.5, 4800, NVIDIA_H200)),
        # NVIDIA H100: SXM FP32 67, BF16 1,979* (dense 989.5), 3.35 TB/s; PCIe FP32 51,
        # BF16 1,513* (dense 756.5), 2 TB/s; NVL FP32 60, BF16 1,671* (dense 835.5), 3.9 TB/s.
        # The SXM part reports itself as "NVIDIA H100 80GB HBM3".
        (
            r"\bH100 NVL\b",
            Peak("NVIDIA H100 NVL", "PCIe, 94 GB HBM3", 60.0, 835.5, 3900, NVIDIA_H100),
        ),
        (
            r"\bH100 PCIe\b",
            Peak("NVIDIA H100 PCIe", "PCIe, 80 GB HBM2e", 51.0, 756.5, 2000, NVIDIA_H100),
        ),
        (r"\bH100\b", Peak("NVIDIA H100 SXM5", "SXM5, 80 GB HBM3", 67.0, 989.5, 3350, NVIDIA_H100)),
        # NVIDIA A100: FP32 19.5, BF16 312 dense (624*); bandwidth 1,555 GB/s (40 GB HBM2),
        # 1,935 GB/s (80 GB PCIe), 2,039 GB/s (80 GB SXM).
        (
            r"\bA100\b.*80\s*GB.*PCIe",
            Peak("NVIDIA A100 80GB PCIe", "PCIe, 80 GB HBM2e", 19.5, 312.0, 1935, NVIDIA_A100),
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
