"""scripts/docs/bench.py pieces: process timing, interleaving, figures from a report, markdown."""

from __future__ import annotations

import sys

import pytest

from scripts.docs import bench
from verify.model import Result

PY = sys.executable


def test_interleave_times_whole_processes_in_alternating_rounds(tmp_path):
    log = tmp_path / "order.txt"
    fast = bench.Command("fast", (PY, "-c", f"open({str(log)!r}, 'a').write('f')"))
    slow = bench.Command(
        "slow", (PY, "-c", f"import time; open({str(log)!r}, 'a').write('s'); time.sleep(0.3)")
    )
    fast_t, slow_t = bench.interleave([fast, slow], reps=3)
    assert log.read_text() == "fssffs"  # ABBAAB: neither always goes first
    assert len(fast_t.seconds) == len(slow_t.seconds) == 3
    # the whole process is timed, its 0.3 s sleep included: a floor that load cannot lower
    # (a difference of medians failed on a loaded machine, where start-up times vary by more)
    assert min(slow_t.seconds) >= 0.3
    assert fast_t.label == "fast" and slow_t.label == "slow"
    assert fast_t.command.startswith(PY)


def test_a_crashing_command_is_an_error_not_a_timing():
    with pytest.raises(RuntimeError, match="exited 3"):
        bench.time_process(bench.Command("x", (PY, "-c", "raise SystemExit(3)")))


def test_commands_are_the_documented_ones():
    quick = bench.verify_command("python", "cuda", "quick")
    assert quick.argv == (
        "python",
        "-m",
        "verify",
        "--level",
        "quick",
        "--device",
        "cuda",
        "--quiet",
    )
    base = bench.baseline_command("python", "mps")
    assert base.argv[2] == "import torch; torch.ones(1, device='mps').sum().item()"


def test_probe_figures_come_from_the_perf_checks_of_a_report():
    torch = pytest.importorskip("torch")
    from verify.checks import Context, perf

    outcome = perf.copy(Context(torch, "cpu"))
    report = {
        "checks": [
            {"id": "device.alloc", "data": {}},
            Result.from_outcome("perf.copy", "copy", outcome, required=False).to_dict(),
        ]
    }
    figures = bench.probe_figures(report)
    assert list(figures) == ["copy"]
    assert figures["copy"] == outcome.data["results"][0]["figure"]["value"] > 0


def test_hand_written_measurements_pick_the_best_size():
    torch = pytest.importorskip("torch")
    mm = bench.hand_matmul(torch, "cpu", torch.float32, (64, 128), min_run_time=0.05)
    assert set(mm["per_size"]) == {"n=64", "n=128"}
    assert mm["best"] == pytest.approx(max(mm["per_size"].values()), abs=1e-4)  # rounded
    cp = bench.hand_copy(torch, "cpu", (1,), min_run_time=0.05)
    assert cp["best_size"] == "1 MiB" and cp["best"] > 0


def _result() -> bench.BenchResult:
    return bench.BenchResult(
        device="cuda",
        device_name="NVIDIA H100 80GB HBM3",
        torch_version="2.11.0+cu130",
        python="3.12.3",
        platform="Linux",
        created="2026-11-25 10:00 UTC",
        reps=2,
        quick=[
            bench.Timing("verify quick", "python -m verify --level quick", [3.0, 3.2]),
            bench.Timing("bare torch", "python -c ...", [2.5, 2.5]),
        ],
        tiers=[
            bench.Timing("verify standard", "python -m verify --level standard", [5.0]),
            bench.Timing("verify full", "python -m verify --level full", [9.0]),
        ],
        probe={"matmul float32": 48.0, "copy": 2800.0},
        hand={
            "matmul float32": {"best": 50.0, "best_size": "n=8192", "per_size": {}},
            "matmul bfloat16": {"best": 700.0, "best_size": "n=8192", "per_size": {}},
            "copy": {"best": 3000.0, "best_size": "1024 MiB", "per_size": {}},
        },
        hand_command="python -m scripts.docs.bench --device cuda",
        load_avg=(0.25, 1.5),
    )


def test_ratios_and_section_record_device_torch_and_commands():
    r = _result()
    assert r.quick_ratio == pytest.approx(3.1 / 2.5)
    assert r.probe_ratios() == pytest.approx({"matmul float32": 0.96, "copy": 2800 / 3000})
    text = bench.render_section(r)
    assert "NVIDIA H100 80GB HBM3" in text and "torch 2.11.0+cu130" in text
    assert "`python -m verify --level quick`" in text and "Ratio 1.24x" in text
    assert "| matmul float32 | 48 TFLOP/s | 50 TFLOP/s | n=8192 | 0.96 | met |" in text
    assert "| copy | 2800 GB/s | 3000 GB/s | 1024 MiB | 0.93 | missed |" in text
    assert "| matmul bfloat16 | n/a |" in text  # no probe figure: no ratio, no verdict
    assert "load average 0.25 at the start, 1.50 at the end" in text


def test_markdown_sections_are_replaced_per_device_and_others_kept(tmp_path):
    md = tmp_path / "benchmarks.md"
    bench.write_markdown(md, "cpu", "## cpu\nfirst")
    bench.write_markdown(md, "cuda", "## cuda\nfigures")
    bench.write_markdown(md, "cpu", "## cpu\nsecond")
    text = md.read_text()
    assert text.startswith("# Benchmarks")
    assert "second" in text and "first" not in text and "figures" in text
    assert text.count("<!-- bench:cpu -->") == 1 and text.index("bench:cpu") < text.index(
        "bench:cuda"
    )


def test_the_op_coverage_sweep_has_its_own_section_before_the_notes(tmp_path):
    ops = bench.OpsSweep(
        command="python -m verify ops --device cuda --quiet --json REPORT.json",
        wall_s=58.2,
        sweep_s=55.0,
        ops=697,
        items=2091,
        counts={"native": 1678, "mismatch": 1, "raises": 0, "crashed": 0},
        counts_by_dtype={"float32": {"native": 637, "mismatch": 1, "raises": 0, "crashed": 0}},
        worker_starts=8,
        device="cuda",
        torch_version="2.11.0+cu130",
        load_avg=(0.1, 2.5),
        cpu_s=263.0,
    )
    section = bench.render_ops_section(ops, "NVIDIA H200", "2026-11-29 23:59 UTC")
    assert "58.2 s wall (goal < 60 s: met)" in section and "1 unexpected failures" in section
    assert "| float32 | 637 | 1 | 0 | 0 |" in section
    md = tmp_path / "b.md"
    md.write_text(
        "# B\n\n<!-- bench:cuda -->\nold\n<!-- /bench:cuda -->\n\n## Notes on these runs\nx\n"
    )
    bench.write_markdown(md, "ops-cuda", section)
    text = md.read_text()
    assert text.index("<!-- bench:cuda -->") < text.index("<!-- bench:ops-cuda -->")
    assert text.index("<!-- /bench:ops-cuda -->") < text.index("## Notes on these runs")
    assert bench.ops_command("py", "cpu", "r.json").argv[2:5] == ("verify", "ops", "--device")
