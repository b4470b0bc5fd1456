"""The environment on disk: where its Python is, the stamp `nox -s install` writes last, what
state a prefix is in, and what to do with it ("noop", "create", "update" or "rebuild").

The stamp is keyed on sha256(environment.yml) + backend + channels + subdir: a re-run with the
same key and a working interpreter does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.install import envfile
from scripts.install.backends import PIP_LIKE
from scripts.install.errors import InstallError

STAMP_NAME = "torch-mps-kit-install.json"
BUILDING_NAME = ".torch-mps-kit-updating"


# --- the environment on disk ------------------------------------------------------------------


def env_python(prefix: Path, backend: str) -> Path:
    if os.name == "nt":
        return prefix / ("Scripts/python.exe" if backend in PIP_LIKE else "python.exe")
    return prefix / "bin" / "python"


def python_runs(python: Path) -> bool:
    try:
        proc = subprocess.run(
            [str(python), "-c", "import sys"], capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def stamp_key(file_sha256: str, backend: str, channels: Sequence[str], subdir: str | None) -> str:
    material = json.dumps(
        {"file": file_sha256, "backend": backend, "channels": list(channels), "subdir": subdir},
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


@dataclass(frozen=True)
class PrefixState:
    exists: bool
    empty: bool
    stamp: dict | None
    updating: bool  # an update was started and did not finish
    looks_like_env: bool


def read_stamp(prefix: Path) -> dict | None:
    try:
        data = json.loads((prefix / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "key" in data else None


def observe(prefix: Path) -> PrefixState:
    if not prefix.is_dir():
        return PrefixState(
            exists=prefix.exists(),
            empty=not prefix.exists(),
            stamp=None,
            updating=False,
            looks_like_env=False,
        )
    entries = {p.name for p in prefix.iterdir()}
    return PrefixState(
        exists=True,
        empty=not entries,
        stamp=read_stamp(prefix),
        updating=BUILDING_NAME in entries,
        looks_like_env=bool({"conda-meta", "pyvenv.cfg"} & entries),
    )


def decide(
    state: PrefixState,
    *,
    key: str,
    backend: str,
    subdir: str | None,
    force: bool,
    owned: bool,
    python_ok: Callable[[], bool],
    prefix: Path,
    dropped: bool = False,
) -> str:
    """What to do with the prefix: "noop", "create", "update" or "rebuild".

    A prefix we did not make (no stamp, not the project's own .env-mps) is never deleted unless
    it looks like an environment and --force says so.
    """
    if state.exists and not prefix.is_dir():
        raise InstallError(f"{prefix} exists and is not a directory", "pass another --prefix")
    if not state.exists or state.empty:
        return "create"
    ours = owned or state.stamp is not None or state.updating
    if force:
        if ours or state.looks_like_env:
            return "rebuild"
        raise InstallError(
            f"{prefix} is not an environment; refusing to delete it",
            "pass a --prefix that is empty, new, or an environment",
        )
    if not ours:
        raise InstallError(
            f"{prefix} exists and was not made by `nox -s install`",
            "pass --force to replace it, or another --prefix",
        )
    stamp = state.stamp
    if stamp is None or state.updating or not python_ok():
        return "rebuild"
    if stamp.get("key") == key:
        return "noop"
    if stamp.get("backend") == backend and stamp.get("subdir") == subdir and not dropped:
        return "update"
    return "rebuild"


def dropped_packages(backend: str, old_specs: Sequence[str], new_specs: Sequence[str]) -> set[str]:
    """Packages the previous install requested that the file no longer lists. conda/mamba
    `install` and `pip install` never remove them, so such an update is a rebuild instead
    (py-rattler installs exactly the solved set and removes them itself)."""
    if backend == "rattler":
        return set()
    if backend in PIP_LIKE:
        from packaging.requirements import InvalidRequirement, Requirement
        from packaging.utils import canonicalize_name

        def names(specs: Sequence[str]) -> set[str]:
            out = set()
            for spec in specs:
                try:
                    out.add(canonicalize_name(Requirement(spec).name))
                except InvalidRequirement:
                    continue
            return out
    else:

        def names(specs: Sequence[str]) -> set[str]:
            out = set()
            for spec in specs:
                try:
                    out.add(envfile.match_spec(spec).name.normalized)
                except Exception:  # noqa: S112 - an unreadable old spec cannot be compared
                    continue
            return out

    return names(old_specs) - names(new_specs)
