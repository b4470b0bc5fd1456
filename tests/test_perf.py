"""perf.matmul / perf.copy with real torch on the CPU, and the chip peak table."""

from __future__ import annotations

import json
import re
import statistics

import pytest

torch = pytest.importorskip("torch")

from verify import peaks  # noqa: E402
from verify.checks import Context, load, perf  # noqa: E402
from verify.model import Result, Status, Tier  # noqa: E402


@pytest.mark.parametrize(
    ("name", "chip", "fp32", "gbs"),
    [
        ("Apple M1", "Apple M1", 2.6, 68.25),
        ("Apple M1 Pro", "Apple M1 Pro", 5.2, 200),
        ("Apple M1 Max", "Apple M1 Max", 10.4, 400),
        ("Apple M1 Ultra", "Apple M1 Ultra", 21.2, 800),
        ("Apple M2 Pro", "Apple M2 Pro", 6.8, 200),
        ("Apple M3 Max", "Apple M3 Max", 14.3, 400),
        ("Apple M4", "Apple M4", 3.8, 120),
        ("Apple M4 Pro", "Apple M4 Pro", 7.5, 273),
        ("NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM5", 67.0, 3350),
        ("NVIDIA H100 PCIe", "NVIDIA H100 PCIe", 51.0, 2000),
        ("NVIDIA H100 NVL", "NVIDIA H100 NVL", 60.0, 3900),
        ("NVIDIA H200", "NVIDIA H200", 67.0, 4800),
        ("NVIDIA A100-SXM4-80GB", "NVIDIA A100 80GB SXM", 19.5, 2039),
        ("NVIDIA A100 80GB PCIe", "NVIDIA A100 80GB PCIe", 19.5, 1935),
        ("NVIDIA A100-PCIE-40GB", "NVIDIA A100 40GB", 19.5, 1555),
    ],
)
def test_peak_lookup_picks_the_most_specific_entry(name, chip, fp32, gbs):
    p = peaks.lookup(name)
    assert p is not None and p.chip == chip
    assert p.fp32_tflops == fp32 and p.bandwidth_gbs == gbs


@pytest.mark.parametrize("name", [None, "", "Intel(R) Xeon(R) CPU", "NVIDIA GeForce RTX 4090"])
def test_unknown_devices_have_no_peak(name):
    assert peaks.lookup(name) is None


def test_every_peak_is_sourced_and_consistent():
    for _pattern, p in peaks.TABLE:
        assert re.search(r"https://|derived: |unconfirmed", p.source), p.chip
        assert p.fp32_tflops > 0 and p.bandwidth_gbs > 0
        assert p.half_tflops >= p.fp32_tflops
        if p.chip.startswith("NVIDIA H"):  # dense tensor-core bf16 = datasheet sparse / 2
            assert p.half_tflops > 10 * p.fp32_tflops


def test_measure_matmul_and_copy_report_medians_of_synchronised_repetitions():
    ctx = Context(torch, "cpu")
    m = perf.measure_matmul(ctx, torch.float32, max_n=512, budget_s=0.2, reps=5)
    assert m.unit == "TFLOP/s" and m.value > 0 and len(m.samples) == 5
    n = int(m.size.split("=")[1])
    assert 256 <= n <= 512
    assert m.value == pytest.approx(2 * n**3 / m.per_call_s / 1e12)
    assert min(m.samples) <= statistics.median(m.samples) * 1.0001 <= max(m.samples) * 1.0002
    c = perf.measure_copy(ctx, max_bytes=1 << 28, budget_s=0.2, reps=5)
    assert c.unit == "GB/s" and c.value > 0 and len(c.samples) == 5
    assert c.size in ("128 MiB", "256 MiB")
    nbytes = int(c.size.split()[0]) << 20
    assert c.value == pytest.approx(2 * nbytes / c.per_call_s / 1e9)


def test_plan_fits_the_repetitions_in_the_budget():
    assert perf._plan(0.01, 1.0, 10) == 10
    assert perf._plan(2.0, 1.0, 10) == 1
    assert perf._plan(0.0, 1.0, 10) >= 1


def test_cpu_has_no_reference_peak_and_passes():
    ctx = Context(torch, "cpu")
    assert perf.device_name(ctx) is None
    outcome = perf.copy(ctx)
    assert outcome.status is Status.PASS and "no reference peak" in outcome.detail
    fig = outcome.data["results"][0]["figure"]
    assert fig["unit"] == "GB/s" and fig["value"] > 0
    json.dumps(Result.from_outcome("perf.copy", "t", outcome).to_dict())


def test_matmul_measures_fp32_and_a_half_type():
    ctx = Context(torch, "cpu")
    outcome = perf.matmul(ctx)
    whats = [r["figure"]["what"] for r in outcome.data["results"]]
    assert whats == ["matmul float32", "matmul bfloat16"]
    assert perf.half_dtype(Context(torch, "mps")) is torch.float16


def test_a_figure_far_below_the_chip_peak_warns_with_cause_and_fix():
    # A real CPU copy judged as if it were an H100's: far under 25 % of 3.35 TB/s.
    ctx = Context(torch, "cpu", scratch={"gpu_name": "NVIDIA H100 80GB HBM3"})
    outcome = perf.copy(ctx)
    assert outcome.status is Status.WARN
    assert "NVIDIA H100 SXM5" in outcome.cause and "3350" in outcome.cause
    assert outcome.fix is not None
    assert outcome.data["results"][0]["fraction_of_peak"] < perf.WARN_FRACTION
    assert outcome.data["peak_entry"]["source"].startswith("https://")


def test_judge_passes_at_a_healthy_fraction_and_warns_below_the_threshold():
    ctx = Context(torch, "cuda", scratch={"gpu_name": "NVIDIA H100 80GB HBM3"})
    fig = perf.Figure("matmul bfloat16", "TFLOP/s", 700.0, "n=8192", 0.0016)
    ok = perf._judge(ctx, [(fig, 989.5)], "matrix multiply")
    assert ok.status is Status.PASS and "71%" in ok.detail
    slow = perf.Figure("matmul bfloat16", "TFLOP/s", 200.0, "n=8192", 0.0055)
    bad = perf._judge(ctx, [(fig, 989.5), (slow, 989.5)], "matrix multiply")
    assert bad.status is Status.WARN and "200" in bad.cause and "nvidia-smi" in bad.fix.render()


def test_perf_checks_are_optional_and_full_tier():
    reg = load(["verify.checks.perf"])
    for cid in ("perf.matmul", "perf.copy"):
        c = reg.checks[cid]
        assert c.tier is Tier.FULL and not c.required
