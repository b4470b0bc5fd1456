"""The host as the installer sees it: which conda subdir to force (Apple silicon, Rosetta)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass

ROSETTA_WARNING = (
    "This shell runs x86_64 under Rosetta on Apple silicon: installing osx-arm64 packages anyway, "
    "because x86_64 PyTorch has no MPS (and its macOS wheels stopped at 2.2.2). "
    "To stop seeing this, use an arm64 shell and an arm64 Miniforge or Python."
)

Runner = Callable[[Sequence[str]], "str | None"]


@dataclass(frozen=True)
class Target:
    """Which conda subdir to force (None: the backend's own) and why."""

    subdir: str | None = None
    rosetta: bool = False
    warning: str | None = None
    # Linux without an NVIDIA GPU: PyPI's torch (the CUDA build) is the wrong one (torchwheel.py)
    linux_without_nvidia: bool = False
    machine: str = ""


def run_quiet(cmd: Sequence[str]) -> str | None:
    """Default runner for host probes: stdout stripped, or None when the command fails."""
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def detect_target(system: str, machine: str, run: Runner) -> Target:
    """On Apple silicon always target osx-arm64, even from an x86_64 (Rosetta) shell.

    `sysctl -n hw.optional.arm64` answers 1 on Apple silicon whatever the calling process's
    architecture (platform.machine() says x86_64 under Rosetta).
    """
    if system == "Linux":
        from scripts.install.torchwheel import nvidia_gpu

        return Target(linux_without_nvidia=not nvidia_gpu(), machine=machine)
    if system != "Darwin":
        return Target(machine=machine)
    if run(["sysctl", "-n", "hw.optional.arm64"]) != "1":
        return Target()  # an Intel Mac: the backend's own subdir (osx-64) is right
    rosetta = machine != "arm64"
    return Target(subdir="osx-arm64", rosetta=rosetta, warning=ROSETTA_WARNING if rosetta else None)
