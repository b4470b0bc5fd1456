"""The installers `nox -s install` can drive: which exist here, which one to use, and what their
failures mean (one line with the fix).

Backend chain (shared/DESIGN.md): an existing conda / mamba / micromamba, else py-rattler
(in-process, no conda needed), else uv, else virtualenv / venv + pip.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scripts import envfile
    from scripts.install_env import Plan

CONDA_LIKE = ("conda", "mamba", "micromamba")
PIP_LIKE = ("uv", "virtualenv", "venv")
BACKENDS = (*CONDA_LIKE, "rattler", *PIP_LIKE)


class InstallError(Exception):
    """The install cannot go on. `one_line()` is what the user sees; exit code 1."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def one_line(self) -> str:
        return f"{self.message}. Fix: {self.fix}"


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


def choose_backend(requested: str | None, available: Mapping[str, str]) -> str:
    if requested:
        if requested not in available:
            raise InstallError(
                f"backend {requested!r} was asked for but is not available here",
                _install_hint(requested),
            )
        return requested
    for name in BACKENDS:
        if name in available:
            return name
    raise InstallError(
        "no installer found (no conda, mamba, micromamba, py-rattler, uv or virtualenv)",
        'pip install "nox[rattler]"  (or "nox[uv]"), or install Miniforge: '
        "https://github.com/conda-forge/miniforge",
    )


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


# --- errors from installers -------------------------------------------------------------------

# Phrases the installers print, mapped to a kind of failure. Sources: py-rattler 0.28's
# SolverError / GatewayError texts and uv 0.13 / pip 24's resolver texts (all seen on this
# project's build box);
# conda's PackagesNotFoundError (github.com/conda/conda/issues/13659) and CondaHTTPError
# (github.com/conda/conda/issues/13866); libmamba's "nothing provides requested" and
# "does not exist (perhaps a typo or a missing channel)".
_UNKNOWN_PACKAGE = (
    "No candidates were found for ",
    "PackagesNotFoundError",
    "nothing provides requested ",
    "does not exist (perhaps a typo or a missing channel)",
    " was not found in the ",  # uv: "Because X was not found in the package registry / cache"
    "No matching distribution found for ",
)
_UNREACHABLE = (
    "GatewayError",
    "error sending request for url",
    "could not find subdir",
    "CondaHTTPError",
    "Could not resolve host",
    "Failed to fetch",
    "ConnectTimeout",
    "Connection refused",
    "Network is unreachable",
    "Temporary failure in name resolution",
)


def explain_failure(text: str, plan: Plan, spec: envfile.EnvSpec) -> InstallError:
    """Turn an installer's error output into one line with the fix."""
    for marker in _UNKNOWN_PACKAGE:
        if marker in text:
            name = _package_after(text, marker)
            line = spec.line_of(name) if name else None
            where = f"{spec.path.name}:{line}" if line else spec.path.name
            what = f"package {name!r}" if name else "a package"
            if plan.backend in PIP_LIKE:
                return InstallError(
                    f"{what} ({where}) was not found in pip's indexes / find-links",
                    "check the name in environment.yml; a conda-forge name that differs on PyPI "
                    "needs an entry in PYPI_NAMES (scripts/envfile.py); check pip's index-url",
                )
            return InstallError(
                f"{what} ({where}) was not found in {', '.join(plan.channels)}",
                "check the name in environment.yml (conda-forge names, e.g. pytorch not torch), "
                "or add the channel that has it with -- --channel URL",
            )
    if "no usable repodata cache" in text:
        url = re.search(r"(https?|file)://[^\s)'\"`<>]+", text)
        return InstallError(
            f"--offline, and nothing is cached for {url.group(0) if url else 'a channel'}",
            "run once without --offline, or add a local channel with -- --channel file:///PATH",
        )
    for marker in _UNREACHABLE:
        if marker in text:
            url = re.search(r"(https?|file)://[^\s)'\"`<>]+", text)
            where = url.group(0) if url else (", ".join(plan.channels) or "the package index")
            return InstallError(
                f"cannot reach {where}",
                "check the network / proxy, or use a local channel with -- --channel file:///PATH, "
                "or -- --offline to use what is cached",
            )
    last = next((ln.strip() for ln in reversed(text.splitlines()) if ln.strip()), "no output")
    return InstallError(
        f"{plan.backend} failed: {last}",
        "read the output above; run again with -- --force to rebuild from scratch",
    )


def _package_after(text: str, marker: str) -> str | None:
    if marker in ("PackagesNotFoundError",):
        found = re.search(r"^\s*-\s*([A-Za-z0-9_.\-]+)", text.split(marker, 1)[1], re.MULTILINE)
    elif marker.startswith("does not exist"):
        found = re.search(r"([A-Za-z0-9_.\-]+)\s+does not exist \(perhaps", text)
    elif marker.startswith(" was not found"):
        found = re.search(r"Because ([A-Za-z0-9_.\-]+) was not found in the", text)
    else:
        found = re.match(r"\s*([A-Za-z0-9_.\-]+)", text.split(marker, 1)[1])
    return found.group(1).lower() if found else None
