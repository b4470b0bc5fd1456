"""Carry out a Plan: the only part of the installer that changes anything on disk."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from scripts.install import envfile
from scripts.install.backends import CONDA_LIKE
from scripts.install.failures import explain_failure
from scripts.install.plan import Plan
from scripts.install.progress import quiet_mode
from scripts.install.rattler_run import RattlerJob
from scripts.install.state import BUILDING_NAME, STAMP_NAME
from verify import atomic

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def plain_text(text: str) -> str:
    """Terminal output as the lines a person saw: colour / cursor codes dropped, a line redrawn
    with carriage returns reduced to its last state (what failures.classify reads)."""
    lines = []
    for line in _ESCAPES.sub("", text).replace("\r\n", "\n").split("\n"):
        lines.append(line.rsplit("\r", 1)[-1])
    return "\n".join(lines)


def run_streaming(
    cmd: Sequence[str], env: Mapping[str, str], *, terminal: bool | None = None
) -> tuple[int, str]:
    """Run a command, echoing its output live; return its exit code and the output's tail.

    On a terminal (not CI) the command gets a terminal of its own (a pty), so uv, conda and pip
    draw their own progress bars; otherwise a pipe, where they print one line per phase."""
    if terminal is None:
        terminal = not quiet_mode()
    if terminal and os.name == "posix":
        return _run_on_pty(cmd, env)
    tail: deque[str] = deque(maxlen=60)
    try:
        proc = subprocess.Popen(
            list(cmd),
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as err:
        return 127, f"{cmd[0]}: {err.strerror}"
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        tail.append(line)
    return proc.wait(), "".join(tail)


def _run_on_pty(cmd: Sequence[str], env: Mapping[str, str]) -> tuple[int, str]:
    import fcntl
    import pty
    import struct
    import termios

    master, child_end = pty.openpty()
    size = shutil.get_terminal_size()
    fcntl.ioctl(child_end, termios.TIOCSWINSZ, struct.pack("HHHH", size.lines, size.columns, 0, 0))
    try:
        proc = subprocess.Popen(
            list(cmd),
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=child_end,
            stderr=child_end,
        )
    except OSError as err:
        os.close(master)
        os.close(child_end)
        return 127, f"{cmd[0]}: {err.strerror}"
    os.close(child_end)
    tail: deque[bytes] = deque(maxlen=256)
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command and its children closed the terminal
            break
        if not data:
            break
        sys.stdout.write(data.decode(errors="replace"))
        sys.stdout.flush()
        tail.append(data)
    os.close(master)
    return proc.wait(), plain_text(b"".join(tail).decode(errors="replace"))


class RattlerFailed(Exception):
    """py-rattler's error text, as the child process reported it."""


def rattler_sync(plan: Plan) -> None:
    """Solve and install the plan's specs into its prefix with py-rattler, in a child process
    (scripts/install/rattler_run.py says why). Its output goes straight to the terminal."""
    job = RattlerJob(
        prefix=plan.prefix,
        specs=plan.specs,
        channels=plan.channels,
        subdir=plan.subdir,
        offline=plan.offline,
        cache_dir=plan.cache_dir,
        network_timeout_s=plan.network_timeout_s,
        conda_lock=plan.conda_lock,
    )
    root = str(Path(__file__).resolve().parents[2])
    pythonpath = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    with tempfile.TemporaryDirectory(prefix="torch-mps-kit-rattler-") as tmp:
        job_file, result_file = Path(tmp) / "job.json", Path(tmp) / "result.json"
        atomic.write_text(job_file, job.to_json())
        proc = subprocess.run(
            [sys.executable, "-m", "scripts.install.rattler_run", str(job_file), str(result_file)],
            env={**os.environ, "PYTHONPATH": pythonpath},
            check=False,
        )
        try:
            result = json.loads(result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = {"ok": False, "error": f"py-rattler stopped (exit status {proc.returncode})"}
    if result.get("interrupted"):
        raise KeyboardInterrupt
    if not result.get("ok"):
        raise RattlerFailed(str(result.get("error")))


def execute(
    plan: Plan,
    spec: envfile.EnvSpec,
    *,
    run_command: Callable[[Sequence[str], Mapping[str, str]], tuple[int, str]] = run_streaming,
    sync: Callable[[Plan], None] = rattler_sync,
) -> None:
    """Carry out the plan. The stamp is removed first and written last, so an environment that
    failed half-way never claims to be ready; a failed create is removed again."""
    if plan.action == "noop":
        return
    prefix = plan.prefix
    if plan.action == "rebuild" and prefix.exists():
        shutil.rmtree(prefix)
    created = not prefix.exists() or not any(prefix.iterdir())
    (prefix / STAMP_NAME).unlink(missing_ok=True)
    if plan.action == "update":
        (prefix / BUILDING_NAME).write_text(
            "an update started and has not finished\n", encoding="utf-8"
        )
    prefix.parent.mkdir(parents=True, exist_ok=True)
    try:
        if plan.backend == "rattler":
            try:
                sync(plan)
            except Exception as err:
                text = (
                    str(err) if isinstance(err, RattlerFailed) else f"{type(err).__name__}: {err}"
                )
                raise explain_failure(text, plan.backend, plan.channels, spec) from None
        for cmd in plan.commands:
            code, output = run_command(cmd, plan.env)
            if code != 0:
                raise explain_failure(output, plan.backend, plan.channels, spec)
        if plan.subdir and plan.backend in (*CONDA_LIKE, "rattler"):
            # keep later `conda install` into this env on the forced subdir too
            atomic.write_text(prefix / ".condarc", f"subdir: {plan.subdir}\n")
        stamp = {**plan.stamp, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        atomic.write_text(prefix / STAMP_NAME, json.dumps(stamp, indent=2) + "\n")
        (prefix / BUILDING_NAME).unlink(missing_ok=True)
    except BaseException:
        if created and prefix.exists():
            shutil.rmtree(prefix, ignore_errors=True)
        raise
