"""Benchmarks of the verifier itself, published in docs/benchmarks.md (`nox -s bench`).

    python -m scripts.docs.bench [--device cpu|cuda|mps] [--reps 5] [--markdown docs/benchmarks.md]
                            [--json PATH]

(a) quick-tier wall time: `python -m verify --level quick --device D` against the least a user
    can run to touch the device, `python -c "import torch; torch.ones(1, device=D).sum().item()"`;
    both whole processes, repetitions interleaved (ABAB.., the order alternating each round) in
    the same run; the figure is the ratio of medians (goal <= 1.3).
(b) standard- and full-tier wall times (medians).
(c) the full tier's perf.matmul / perf.copy figures (from its JSON report) against the best a
    careful hand-written measurement gets on the same device in the same run:
    torch.utils.benchmark.Timer.blocked_autorange over several large square sizes (float32 and
    the probe's half type) and device-to-device copies; ratio = probe / best (goal >= 0.95).
(e) the op-coverage sweep, `python -m verify ops --device D --json REPORT`: one whole process,
    its wall time, op and item counts per class and dtype, worker processes, load average (goal:
    under 60 s on a CUDA GPU, under 120 s on the CPU against itself). `--ops-only` runs (e) alone;
    it has a section of its own (`<!-- bench:ops-KEY -->`), so (a)-(c) keep their figures.

Each figure is recorded with the device, torch version and the exact command. The markdown file
keeps one section per device (between `<!-- bench:KEY -->` markers), so a CPU run and a CUDA run
made on different machines live side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from verify import atomic

ROOT = Path(__file__).resolve().parents[2]
QUICK_GOAL = 1.3
PROBE_GOAL = 0.95
OPS_GOAL_S = {"cuda": 60.0, "cpu": 120.0, "mps": 120.0}

# Hand-written measurement sizes: square matmul n, copy buffer MiB.
HAND_N = {"cuda": (4096, 8192, 16384), "mps": (1024, 2048, 4096), "cpu": (512, 1024, 2048)}
# Copies: from 128 MiB up, beyond every listed chip's last-level cache (perf.COPY_START_BYTES).
HAND_COPY_MIB = {"cuda": (256, 1024, 2048), "mps": (128, 256, 512), "cpu": (128, 256)}


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]

    @property
    def text(self) -> str:
        return shlex.join(self.argv)


@dataclass
class Timing:
    label: str
    command: str
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def verify_command(python: str, device: str, level: str, json_path: str | None = None) -> Command:
    argv = [python, "-m", "verify", "--level", level, "--device", device, "--quiet"]
    if json_path:
        argv += ["--json", json_path]
    return Command(f"verify {level}", tuple(argv))


def baseline_command(python: str, device: str) -> Command:
    code = f"import torch; torch.ones(1, device={device!r}).sum().item()"
    return Command("bare torch", (python, "-c", code))


def ops_command(python: str, device: str, json_path: str) -> Command:
    argv = (python, "-m", "verify", "ops", "--device", device, "--quiet", "--json", json_path)
    return Command("verify ops", argv)


@dataclass
class OpsSweep:
    """(e): one whole `verify ops` process and the figures of its report."""

    command: str
    wall_s: float
    sweep_s: float
    ops: int
    items: int
    counts: dict[str, int]
    counts_by_dtype: dict[str, dict[str, int]]
    worker_starts: int
    device: str
    torch_version: str
    load_avg: tuple[float, float]
    cpu_s: float  # user + system CPU seconds of the process and its workers

    @property
    def unexpected(self) -> int:
        return sum(self.counts.get(k, 0) for k in ("mismatch", "raises", "crashed"))


def run_ops(python: str, device: str) -> OpsSweep:
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        report = str(Path(tmp) / "ops.json")
        cmd = ops_command(python, device, report)
        before = os.times()
        wall = time_process(cmd)
        after = os.times()
        data = json.loads(Path(report).read_text(encoding="utf-8"))
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return OpsSweep(
        command=ops_command(python, device, "REPORT.json").text,
        wall_s=wall,
        sweep_s=float(data["seconds"]),
        ops=int(data["ops"]),
        items=int(data["items"]),
        counts=dict(data["counts"]),
        counts_by_dtype=dict(data["counts_by_dtype"]),
        worker_starts=int(data["worker_starts"]),
        device=str(data["device"]),
        torch_version=str(data["header"].get("torch")),
        load_avg=(load_at_start, os.getloadavg()[0]),
        cpu_s=cpu,
    )


def render_ops_section(o: OpsSweep, device_name: str, created: str) -> str:
    """(e) as its own markdown section."""
    goal = OPS_GOAL_S.get(section_key(o.device))
    met = f" (goal < {goal:g} s: {_goal(o.wall_s < goal)})" if goal else ""
    classes = list(next(iter(o.counts_by_dtype.values()), o.counts))
    lines = [
        f"## {section_key(o.device)}: op-coverage sweep, {device_name}",
        "",
        f"torch {o.torch_version}, Python {platform.python_version()}, {platform.platform()}; "
        f"measured {created}; 1-minute load average {o.load_avg[0]:.2f} at the start, "
        f"{o.load_avg[1]:.2f} at the end ({os.cpu_count()} logical CPUs).",
        "",
        f"### (e) op-coverage sweep: {o.wall_s:.1f} s wall{met}",
        "",
        f"{o.ops} ops, {o.items} op/dtype items in {o.sweep_s:.1f} s of sweep "
        f"({o.worker_starts} worker process{'' if o.worker_starts == 1 else 'es'}, "
        f"{o.cpu_s:.0f} CPU seconds in all); "
        f"{o.unexpected} unexpected failures (mismatch, raises, crashed).",
        "",
        "| dtype | " + " | ".join(classes) + " |",
        "| --- |" + " --- |" * len(classes),
    ]
    for dtype, counts in o.counts_by_dtype.items():
        lines.append(f"| {dtype} | " + " | ".join(str(counts[k]) for k in classes) + " |")
    lines += ["", f"Command: `{o.command}`.", ""]
    return "\n".join(lines)


def time_process(cmd: Command, *, cwd: Path = ROOT, check: bool = True) -> float:
    """Wall seconds of one whole process (start to exit)."""
    t0 = time.perf_counter()
    proc = subprocess.run(list(cmd.argv), cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if check and proc.returncode not in (0, 1):  # 1: verify ran and found a problem
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{cmd.text} exited {proc.returncode}: {' | '.join(tail)}")
    return seconds


def interleave(commands: Sequence[Command], reps: int, *, cwd: Path = ROOT) -> list[Timing]:
    """Run the commands in rounds, alternating their order each round; one Timing each."""
    timings = [Timing(c.label, c.text) for c in commands]
    for r in range(reps):
        order = list(range(len(commands)))
        if r % 2:
            order.reverse()
        for i in order:
            timings[i].seconds.append(time_process(commands[i], cwd=cwd))
    return timings


def probe_figures(report: dict[str, Any]) -> dict[str, float]:
    """{"matmul float32": TFLOP/s, "matmul bfloat16": ..., "copy": GB/s} from a verify report."""
    out: dict[str, float] = {}
    for c in report.get("checks", []):
        if c.get("id") not in ("perf.matmul", "perf.copy"):
            continue
        for row in (c.get("data") or {}).get("results", []):
            fig = row["figure"]
            out[fig["what"]] = float(fig["value"])
    return out


# Timer defaults to num_threads=1; the probe runs with torch's default thread count, so the
# hand-written measurement is given the same (it matters on the CPU only).


def _sync_stmt(device: str) -> str:
    # torch.utils.benchmark synchronises CUDA itself (its timer calls torch.cuda.synchronize);
    # MPS needs an explicit synchronise inside the timed statement.
    return "; torch.mps.synchronize()" if device.startswith("mps") else ""


def hand_matmul(
    torch: Any, device: str, dtype: Any, sizes: Sequence[int], min_run_time: float = 1.0
) -> dict[str, Any]:
    """Best TFLOP/s over `sizes` with torch.utils.benchmark (median of blocked_autorange)."""
    from torch.utils import benchmark

    per_size = {}
    for n in sizes:
        g = torch.Generator().manual_seed(n)
        a = torch.randn(n, n, generator=g).to(device=device, dtype=dtype)
        b = torch.randn(n, n, generator=g).to(device=device, dtype=dtype)
        c = torch.empty(n, n, device=device, dtype=dtype)
        stmt = "torch.mm(a, b, out=c)" + _sync_stmt(device)
        t = benchmark.Timer(
            stmt=stmt,
            globals={"torch": torch, "a": a, "b": b, "c": c},
            num_threads=torch.get_num_threads(),
        )
        t.timeit(3)  # warm-up
        m = t.blocked_autorange(min_run_time=min_run_time)
        per_size[n] = 2.0 * n**3 / m.median / 1e12
        del a, b, c
    best = max(per_size, key=lambda k: per_size[k])
    return {
        "best": per_size[best],
        "best_size": f"n={best}",
        "per_size": {f"n={k}": round(v, 4) for k, v in per_size.items()},
    }


def hand_copy(
    torch: Any, device: str, sizes_mib: Sequence[int], min_run_time: float = 1.0
) -> dict[str, Any]:
    """Best GB/s (read + write) over buffer sizes with torch.utils.benchmark."""
    from torch.utils import benchmark

    per_size = {}
    for mib in sizes_mib:
        src = torch.rand((mib << 20) // 4, device=device)
        dst = torch.empty_like(src)
        stmt = "dst.copy_(src)" + _sync_stmt(device)
        t = benchmark.Timer(
            stmt=stmt,
            globals={"torch": torch, "src": src, "dst": dst},
            num_threads=torch.get_num_threads(),
        )
        t.timeit(3)
        m = t.blocked_autorange(min_run_time=min_run_time)
        per_size[mib] = 2.0 * (mib << 20) / m.median / 1e9
        del src, dst
    best = max(per_size, key=lambda k: per_size[k])
    return {
        "best": per_size[best],
        "best_size": f"{best} MiB",
        "per_size": {f"{k} MiB": round(v, 2) for k, v in per_size.items()},
    }


def hand_figures(device: str, *, scale: float = 1.0) -> tuple[dict[str, dict[str, Any]], str]:
    """The hand-written measurements on `device` ({what: result}), and the torch version."""
    import torch

    from verify.checks import Context
    from verify.checks.perf import half_dtype

    dtype_half = half_dtype(Context(torch, device))
    kind = device.split(":", maxsplit=1)[0]
    sizes = HAND_N.get(kind, HAND_N["cpu"])
    copies = HAND_COPY_MIB.get(kind, HAND_COPY_MIB["cpu"])
    if kind == "cuda":  # fit the copies in memory: two buffers of the largest size, twice over
        free = torch.cuda.mem_get_info()[0]
        copies = tuple(m for m in copies if 4 * (m << 20) < free) or copies[:1]
    half_name = str(dtype_half).replace("torch.", "")
    figures = {
        "matmul float32": hand_matmul(torch, device, torch.float32, sizes, scale),
        f"matmul {half_name}": hand_matmul(torch, device, dtype_half, sizes, scale),
        "copy": hand_copy(torch, device, copies, scale),
    }
    return figures, str(torch.__version__)


def device_description(device: str) -> str:
    """A human name for the device under test (for the record, not for decisions)."""
    import torch

    kind = device.split(":", maxsplit=1)[0]
    if kind == "cuda":
        return str(torch.cuda.get_device_name(device))
    if kind == "mps":
        get_name = getattr(torch.backends.mps, "get_name", None)
        return str(get_name()) if get_name else "Apple GPU (MPS)"
    return f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} logical cores"


@dataclass
class BenchResult:
    device: str
    device_name: str
    torch_version: str
    python: str
    platform: str
    created: str
    reps: int
    quick: list[Timing]
    tiers: list[Timing]
    probe: dict[str, float]
    hand: dict[str, dict[str, Any]]
    hand_command: str
    load_avg: tuple[float, float]  # 1-minute load average at the start and at the end

    @property
    def quick_ratio(self) -> float:
        verify, bare = self.quick
        return verify.median / bare.median

    def probe_ratios(self) -> dict[str, float]:
        return {
            k: self.probe[k] / v["best"]
            for k, v in self.hand.items()
            if k in self.probe and v["best"] > 0
        }

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["quick_ratio"] = self.quick_ratio
        d["probe_ratios"] = self.probe_ratios()
        return d


def run_bench(
    device: str, reps: int, tier_reps: int, python: str = sys.executable, hand_scale: float = 1.0
) -> BenchResult:
    load_at_start = os.getloadavg()[0]
    quick = interleave(
        [verify_command(python, device, "quick"), baseline_command(python, device)], reps
    )
    tiers = [
        Timing("verify standard", verify_command(python, device, "standard").text),
        Timing("verify full", verify_command(python, device, "full", "REPORT.json").text),
    ]
    probes: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        report = str(Path(tmp) / "report.json")
        for _ in range(tier_reps):
            tiers[0].seconds.append(time_process(verify_command(python, device, "standard")))
            tiers[1].seconds.append(time_process(verify_command(python, device, "full", report)))
            probes.append(probe_figures(json.loads(Path(report).read_text(encoding="utf-8"))))
    probe = {
        k: statistics.median(p[k] for p in probes if k in p) for k in {k for p in probes for k in p}
    }
    hand, torch_version = hand_figures(device, scale=hand_scale)
    return BenchResult(
        device=device,
        device_name=device_description(device),
        torch_version=torch_version,
        python=platform.python_version(),
        platform=platform.platform(),
        created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        reps=reps,
        quick=quick,
        tiers=tiers,
        probe=probe,
        hand=hand,
        hand_command=f"{shlex.join([python, '-m', 'scripts.docs.bench', '--device', device])} "
        "(torch.utils.benchmark.Timer.blocked_autorange, in-process)",
        load_avg=(load_at_start, os.getloadavg()[0]),
    )


# --- (d) verify fleet over 200 generated reports (issue 14) ---------------------------------
FLEET_COUNT = 200
FLEET_GOAL_S = 1.0


def fleet_command(python: str, folder: Path) -> Command:
    out = folder.parent
    return Command(
        "verify fleet",
        (
            python,
            "-m",
            "verify",
            "fleet",
            str(folder),
            "--quiet",
            "--markdown",
            str(out / "f.md"),
            "--html",
            str(out / "f.html"),
            "--json",
            str(out / "f.json"),
        ),
    )


def fleet_in_process(folder: Path) -> float:
    """Seconds to read, summarise and render (console, Markdown, HTML, JSON) the folder."""
    import io

    from rich.console import Console

    from verify.fleet import console, html, markdown, reports
    from verify.fleet.summary import summarise

    t0 = time.perf_counter()
    fleet = summarise(reports.load([str(folder)]))
    console.render(fleet, Console(file=io.StringIO(), width=160))
    markdown.render(fleet)
    html.render(fleet)
    json.dumps(fleet.to_dict())
    return time.perf_counter() - t0


def fleet_bench(python: str, reps: int) -> dict[str, Any]:
    """(d): whole `python -m verify fleet` processes and the in-process part, on the sample fleet
    of scripts/docs/fleet_sample.py (the recorded hosts, FLEET_COUNT machines)."""
    from scripts.docs import fleet_sample

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        fleet_sample.write(folder, FLEET_COUNT)
        cmd = fleet_command(python, folder)
        process = Timing("verify fleet", cmd.text.replace(tmp, "TMP"))
        inproc = []
        for _ in range(reps):
            process.seconds.append(time_process(cmd))
            inproc.append(fleet_in_process(folder))
        summary = json.loads((Path(tmp) / "f.json").read_text(encoding="utf-8"))
    return {
        "count": FLEET_COUNT,
        "machines": summary["counts"]["environments"],
        "process": process,
        "in_process": inproc,
        "load_avg": os.getloadavg()[0],
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def render_fleet_section(f: dict[str, Any]) -> str:
    process: Timing = f["process"]
    best = min(f["in_process"])
    runs = ", ".join(f"{s:.2f}" for s in process.seconds)
    return "\n".join(
        [
            f"## (d) verify fleet: {f['count']} reports",
            "",
            f"{f['count']} schema-1 reports generated from the recorded hosts in tests/data/hosts "
            f"(scripts/docs/fleet_sample.py), all {f['machines']} summarised; Python "
            f"{platform.python_version()}, {os.cpu_count()} logical CPUs, 1-minute load average "
            f"{f['load_avg']:.2f}; measured {f['created']}.",
            "",
            "| what | median s | runs (s) | goal |",
            "| --- | --- | --- | --- |",
            "| whole process: read, summarise, write Markdown + HTML + JSON "
            f"| {process.median:.2f} "
            f"| {runs} | < {FLEET_GOAL_S:g} s: {_goal(process.median < FLEET_GOAL_S)} |",
            f"| in process: read, summarise, render console + Markdown + HTML + JSON (best) "
            f"| {best:.3f} | {', '.join(f'{s:.3f}' for s in f['in_process'])} "
            f"| < {FLEET_GOAL_S:g} s: {_goal(best < FLEET_GOAL_S)} |",
            "",
            f"Command: `{process.command}`.",
            "",
        ]
    )


# --- markdown -------------------------------------------------------------------------------------
HEADER = f"""# Benchmarks

Produced by `nox -s bench` (`python -m scripts.docs.bench`); each device has its own section,
rewritten by a run on that device. Method: scripts/docs/bench.py's docstring.

- (a) quick tier vs bare torch: whole processes, interleaved repetitions, ratio of medians
  (goal <= {QUICK_GOAL}).
- (b) standard and full tier wall times (medians).
- (c) the full tier's perf probe vs the best hand-written torch.utils.benchmark measurement in
  the same run, ratio = probe / hand (goal >= {PROBE_GOAL}).
- (d) `verify fleet` over {FLEET_COUNT} generated reports (goal < {FLEET_GOAL_S:g} s); its own
  section, rewritten by every run (`--fleet-only` for it alone).
- (e) the op-coverage sweep `python -m verify ops` (torch's OpInfo, every op in float32, float16
  and bfloat16): wall time and counts per class (goal: under 60 s on a CUDA GPU, under 120 s on
  the CPU against itself).
"""


def _goal(ok: bool) -> str:
    return "met" if ok else "missed"


def render_section(r: BenchResult) -> str:
    """The markdown section for one run (without the markers)."""
    verify, bare = r.quick
    ratio = r.quick_ratio
    lines = [
        f"## {r.device}: {r.device_name}",
        "",
        f"torch {r.torch_version}, Python {r.python}, {r.platform}; measured {r.created}, "
        f"{r.reps} interleaved repetitions for (a), {len(r.tiers[0].seconds)} for (b); "
        f"1-minute load average {r.load_avg[0]:.2f} at the start, {r.load_avg[1]:.2f} at the end "
        f"({os.cpu_count()} logical CPUs).",
        "",
        "### (a) quick tier vs bare torch",
        "",
        "| what | median s | runs (s) | command |",
        "| --- | --- | --- | --- |",
    ]
    for t in (verify, bare):
        runs = ", ".join(f"{s:.2f}" for s in t.seconds)
        lines.append(f"| {t.label} | {t.median:.2f} | {runs} | `{t.command}` |")
    lines += [
        "",
        f"Ratio {ratio:.2f}x (goal <= {QUICK_GOAL}x: {_goal(ratio <= QUICK_GOAL)}).",
        "",
        "### (b) tier wall times",
        "",
        "| tier | median s | runs (s) | command |",
        "| --- | --- | --- | --- |",
    ]
    for t in r.tiers:
        runs = ", ".join(f"{s:.2f}" for s in t.seconds)
        lines.append(f"| {t.label} | {t.median:.2f} | {runs} | `{t.command}` |")
    lines += [
        "",
        "### (c) perf probe vs hand-written measurement",
        "",
        "| figure | probe (full tier) | hand-written best | at | ratio | goal |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    ratios = r.probe_ratios()
    for what, h in r.hand.items():
        unit = "GB/s" if what == "copy" else "TFLOP/s"
        p = r.probe.get(what)
        rr = ratios.get(what)
        lines.append(
            f"| {what} | {p:.4g} {unit} | {h['best']:.4g} {unit} | {h['best_size']} | "
            f"{rr:.2f} | {_goal(rr >= PROBE_GOAL)} |"
            if p is not None and rr is not None
            else f"| {what} | n/a | {h['best']:.4g} {unit} | {h['best_size']} | n/a | n/a |"
        )
    lines += [
        "",
        "Hand-written per size: "
        + "; ".join(
            f"{what}: " + ", ".join(f"{k} {v}" for k, v in h["per_size"].items())
            for what, h in r.hand.items()
        )
        + ".",
        "",
        f"Hand-written command: `{r.hand_command}`.",
        "",
    ]
    return "\n".join(lines)


NOTES = "## Notes on these runs"


def section_key(device: str) -> str:
    return device.split(":", maxsplit=1)[0]


def update_markdown(text: str, key: str, section: str) -> str:
    """Put `section` between this key's markers, replacing an older one; keep everything else."""
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{start}\n{section.rstrip()}\n{end}"
    if not text.strip():
        text = HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _old, after = rest.split(end, 1)
        return before + block + after
    if NOTES in text:  # new sections go before the hand-written notes
        before, after = text.split(NOTES, 1)
        return before.rstrip() + "\n\n" + block + "\n\n" + NOTES + after
    return text.rstrip() + "\n\n" + block + "\n"


def write_markdown(path: Path, key: str, section: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    atomic.write_text(path, update_markdown(old, key, section))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m scripts.docs.bench", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--device", default="cpu", help="cpu, cuda or mps (default: cpu)")
    ap.add_argument("--reps", type=int, default=5, help="interleaved repetitions for (a)")
    ap.add_argument("--tier-reps", type=int, default=3, help="repetitions for (b) and the probe")
    ap.add_argument(
        "--hand-time",
        type=float,
        default=1.0,
        help="min_run_time (s) of each hand-written measurement",
    )
    ap.add_argument("--markdown", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--ops-only", action="store_true", help="run only (e), the op-coverage sweep")
    ap.add_argument("--no-ops", action="store_true", help="skip (e)")
    ap.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    ap.add_argument("--fleet-only", action="store_true", help="only (d), verify fleet")
    args = ap.parse_args(argv)
    printed = []
    figures: dict[str, Any] = {}
    if not args.ops_only:
        fleet_section = render_fleet_section(fleet_bench(sys.executable, args.reps))
        write_markdown(args.markdown, "fleet", fleet_section)
        printed.append(fleet_section)
        if args.fleet_only:
            with contextlib.suppress(BrokenPipeError):
                print(fleet_section)
            return 0
        result = run_bench(args.device, args.reps, args.tier_reps, hand_scale=args.hand_time)
        section = render_section(result)
        write_markdown(args.markdown, section_key(args.device), section)
        figures.update(result.to_dict())
        printed.append(section)
    if not args.no_ops:
        ops = run_ops(sys.executable, args.device)
        created = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        section = render_ops_section(ops, device_description(args.device), created)
        write_markdown(args.markdown, "ops-" + section_key(args.device), section)
        figures["ops"] = asdict(ops)
        printed.append(section)
    if args.json:
        atomic.write_text(args.json, json.dumps(figures, indent=2) + "\n")
    with contextlib.suppress(BrokenPipeError):
        print("\n".join(printed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
