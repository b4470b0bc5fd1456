"""Install benchmarks for docs/benchmarks.md (`nox -s bench -- --install`): on the uv path,

(a) a cold install from the lock (`environment.lock/`, `uv pip sync --require-hashes`) against a
    cold install of the same file without it (`--no-lock`: uv resolves environment.yml), each the
    whole `nox -s install -- --backend uv --prefix NEW` command with an empty uv cache, the two
    interleaved (ABAB.., the order alternating each round) in the same run; ratio of medians;
(b) the no-op re-run from the lock: the whole command, and the installer's own time in-process.

Both installs get the same pip configuration, plus a constraints file `torch==2.13.0` (what
docs/install.md advises on Linux: without it the unlocked solve takes PyPI's CUDA build), so both
install the same packages. Runs in nox's own Python (it drives nox and the installer, not torch).
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from scripts.docs.bench import ROOT, write_markdown
from scripts.install import envfile, lock
from scripts.install.backends import available_backends
from verify import atomic

SECTION = "install"


def nox_install(prefix: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "nox", "--noxfile", str(ROOT / "noxfile.py"), "-s", "install",
            "--", "--backend", "uv", "--prefix", str(prefix), *extra]  # fmt: skip


def shown(argv: Sequence[str]) -> str:
    """The command as a reader would type it: `nox -s install -- ...` (no local paths)."""
    return shlex.join(["nox", *argv[argv.index("-s") :]])


def timed(argv: Sequence[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    proc = subprocess.run(list(argv), env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        raise SystemExit(f"bench: {shlex.join(argv)} failed: {' | '.join(tail)}")
    return elapsed


def run(reps: int, noop_reps: int, work: Path) -> dict:
    constraints = work / "torch.txt"
    atomic.write_text(constraints, "torch==2.13.0\n")
    base = {**os.environ, "PIP_CONSTRAINT": str(constraints)}
    spec = envfile.load(ROOT / "environment.yml")
    state = lock.status(spec.path, spec.sha256)
    if not state.fresh:
        raise SystemExit(f"bench: environment.lock/ is {state.state}: run nox -s lock first")
    times: dict[str, list[float]] = {"lock": [], "no-lock": []}
    for rep in range(reps):
        order = ["lock", "no-lock"] if rep % 2 == 0 else ["no-lock", "lock"]
        for kind in order:
            prefix, cache = work / f"env-{kind}-{rep}", work / f"cache-{kind}-{rep}"
            env = {**base, "UV_CACHE_DIR": str(cache)}
            extra = ("--no-lock",) if kind == "no-lock" else ()
            times[kind].append(timed(nox_install(prefix, *extra), env))
            shutil.rmtree(cache, ignore_errors=True)
            if kind == "no-lock" or rep < reps - 1:
                shutil.rmtree(prefix, ignore_errors=True)
    kept = work / f"env-lock-{reps - 1}"
    noop_cmd = nox_install(kept)
    noop = [timed(noop_cmd, base) for _ in range(noop_reps)]
    from scripts.install.cli import install

    inproc = []
    for _ in range(noop_reps):
        outcome = install(["--backend", "uv", "--prefix", str(kept)], out=lambda _: None)
        assert outcome.plan.action == "noop", outcome.plan.action
        inproc.append(outcome.seconds)
    packages = sum(1 for line in state.pypi_file(lock.host_subdir()).read_text().splitlines()
                   if "==" in line)  # fmt: skip
    return {
        "lock": times["lock"],
        "no-lock": times["no-lock"],
        "noop": noop,
        "noop_inproc": inproc,
        "packages": packages,
        "cmd_lock": shown(nox_install(Path("NEW"))),
        "cmd_nolock": shown(nox_install(Path("NEW"), "--no-lock")),
    }


def render(r: dict, load: tuple[float, float]) -> str:
    med = {k: statistics.median(r[k]) for k in ("lock", "no-lock", "noop", "noop_inproc")}
    fmt = ", ".join
    uv_exe = available_backends().get("uv", "uv")
    uv = subprocess.run([uv_exe, "--version"], capture_output=True, text=True, check=False)
    runs = {k: fmt(f"{t:.2f}" for t in r[k]) for k in ("lock", "no-lock", "noop")}
    return "\n".join(
        [
            "## Install: from the lock vs without it, and the no-op (uv path)",
            "",
            f"Measured {datetime.now(timezone.utc):%Y-%m-%d} on {platform.system()} "
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{uv.stdout.strip()}; load average {load[0]:.2f} at start, {load[1]:.2f} at end. "
            f"environment.yml as shipped ({r['packages']} PyPI packages, torch 2.13.0+cpu); an "
            "empty uv cache for every install; the two kinds interleaved, medians:",
            "",
            "| what | median | runs (s) |",
            "|---|---|---|",
            f"| cold install from the lock | {med['lock']:.2f} s | {runs['lock']} |",
            f"| cold install without it (`--no-lock`) | {med['no-lock']:.2f} s | "
            f"{fmt(f'{t:.2f}' for t in r['no-lock'])} |",
            f"| **ratio lock / no-lock** | **x{med['lock'] / med['no-lock']:.2f}** | |",
            f"| no-op re-run from the lock, whole `nox -s install` | {med['noop']:.2f} s | "
            f"{fmt(f'{t:.2f}' for t in r['noop'])} |",
            f"| no-op re-run, the installer in-process (goal < 1 s) | {med['noop_inproc']:.3f} s | "
            f"{fmt(f'{t:.3f}' for t in r['noop_inproc'])} |",
            f"| ratio no-op / cold install from the lock | x{med['noop'] / med['lock']:.3f} | |",
            "",
            f"Commands: `{r['cmd_lock']}` and `{r['cmd_nolock']}` (`NEW`: a new folder each "
            "time), with `PIP_CONSTRAINT` naming a file `torch==2.13.0` and `UV_CACHE_DIR` an "
            "empty folder; "
            "the no-op runs the first command again on the last environment it made. Reproduce: "
            "`nox -s bench -- --install`.",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="nox -s bench -- --install", description=__doc__)
    ap.add_argument("--reps", type=int, default=3, help="cold installs of each kind")
    ap.add_argument("--noop-reps", type=int, default=5)
    ap.add_argument("--markdown", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args(argv)
    start_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-install-") as work:
        result = run(args.reps, args.noop_reps, Path(work))
    section = render(result, (start_load, os.getloadavg()[0]))
    write_markdown(args.markdown, SECTION, section)
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
