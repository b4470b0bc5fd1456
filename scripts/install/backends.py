"""The installers `nox -s install` can drive: which exist here and which one to use.

Backend chain (shared/DESIGN.md): an existing conda / mamba / micromamba, else py-rattler
(in-process, no conda needed), else uv, else virtualenv / venv + pip.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable, Mapping

from scripts.install.errors import InstallError

CONDA_LIKE = ("conda", "mamba", "micromamba")
PIP_LIKE = ("uv", "virtualenv", "venv")
BACKENDS = (*CONDA_LIKE, "rattler", *PIP_LIKE)


# --- backends ---------------------------------------------------------------------------------


def _uv_from_package() -> str | None:
    if importlib.util.find_spec("uv") is None:
        return None
    try:
        import uv  # the `uv` wheel that `pip install "nox[uv]"` brings

        return uv.find_uv_bin()
    except (ImportError, FileNotFoundError):
        return None


def available_backends(
    which: Callable[[str], str | None] = shutil.which,
    has_module: Callable[[str], bool] = lambda name: importlib.util.find_spec(name) is not None,
    env: Mapping[str, str] | None = None,
    uv_bin: Callable[[], str | None] = _uv_from_package,
) -> dict[str, str]:
    """Backends usable here, in preference order, with the executable each one runs."""
    env = os.environ if env is None else env
    found: dict[str, str] = {}
    conda = which("conda") or (env.get("CONDA_EXE") if env.get("CONDA_EXE") else None)
    if conda:
        found["conda"] = conda
    if mamba := which("mamba"):
        found["mamba"] = mamba
    micromamba = which("micromamba") or (env.get("MAMBA_EXE") if env.get("MAMBA_EXE") else None)
    if micromamba:
        found["micromamba"] = micromamba
    if has_module("rattler"):
        found["rattler"] = "py-rattler"
    if uv := (which("uv") or uv_bin()):
        found["uv"] = uv
    if has_module("virtualenv"):
        found["virtualenv"] = sys.executable
    if has_module("venv") and has_module("ensurepip"):
        found["venv"] = sys.executable
    return found


# The fall-through chain, one step per kind of source: a conda-like tool (conda-forge), py-rattler
# (conda-forge, no conda needed), uv (PyPI), pip in a virtualenv / venv (PyPI, pip's own config).
# Two conda-like tools read the same channels, so only the first one found is a step.
CHAIN_STEPS = (CONDA_LIKE, ("rattler",), ("uv",), ("virtualenv", "venv"))


def backend_chain(
    requested: str | None, available: Mapping[str, str], kept: str | None = None
) -> tuple[str, ...]:
    """The backends to try, in order. `requested` (--backend) pins one: no fall-through.
    `kept` (the backend an existing environment was made with) starts the chain, so a fall-through
    recorded in its stamp is not tried again; the steps after it follow."""
    if requested:
        if requested not in available:
            raise InstallError(
                f"backend {requested!r} was asked for but is not available here",
                _install_hint(requested),
            )
        return (requested,)
    chain = [
        next(n for n in step if n in available)
        for step in CHAIN_STEPS
        if set(step) & set(available)
    ]
    if kept in available:
        after = next(i for i, step in enumerate(CHAIN_STEPS) if kept in step)
        chain = [kept, *(n for n in chain if not any(n in s for s in CHAIN_STEPS[: after + 1]))]
    if not chain:
        raise InstallError(
            "no installer found (no conda, mamba, micromamba, py-rattler, uv or virtualenv)",
            'pip install "nox[rattler]"  (or "nox[uv]"), or install Miniforge: '
            "https://github.com/conda-forge/miniforge",
        )
    return tuple(chain)


def choose_backend(requested: str | None, available: Mapping[str, str]) -> str:
    """The first backend of the chain."""
    return backend_chain(requested, available)[0]


def _install_hint(backend: str) -> str:
    return {
        "conda": "install Miniforge (https://github.com/conda-forge/miniforge), open a new shell",
        "mamba": "install Miniforge (https://github.com/conda-forge/miniforge), which ships mamba",
        "micromamba": "install micromamba: "
        "https://mamba.readthedocs.io/en/latest/installation/micromamba-installation.html",
        "rattler": 'pip install "nox[rattler]"  (installs py-rattler next to nox)',
        "uv": 'pip install "nox[uv]"  (installs uv next to nox)',
        "virtualenv": "pip install virtualenv",
        "venv": "use a Python with venv and ensurepip (Debian/Ubuntu: apt install python3-venv)",
    }[backend]
