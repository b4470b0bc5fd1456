"""Which torch wheel the uv / pip path should take on Linux (issue 11, item 1 / the README's first
command on a machine that reaches PyPI).

PyPI's torch for Linux x86_64 is the CUDA build: several GB of nvidia-* wheels, useless on a
machine without an NVIDIA GPU. When pip's find-links hold a CPU build (`torch-X+cpu-...whl`, what
PyTorch's CPU index serves) that satisfies environment.yml and pip's constraints and installs on
the interpreter, the installer pins torch to it (and says so in one line); where none does, it
says that the CUDA build is coming. It also prefers an interpreter for which such a wheel exists
(a cp311 wheel and nox running on 3.12: the environment is made on python3.11 when it is there).

Pure functions of their inputs (file names, constraint lines, tags); the host probes are
`nvidia_gpu()` and `shutil.which`, both passed in.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.tags import Tag, platform_tags
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import Version

TORCH = "torch"


@dataclass(frozen=True)
class LocalWheel:
    path: Path
    version: Version
    tags: frozenset[Tag]

    @property
    def pin(self) -> str:
        return f"{TORCH}=={self.version}"


def nvidia_gpu(
    exists: Callable[[str], bool] = os.path.exists,
    which: Callable[[str], str | None] = shutil.which,
) -> bool:
    """An NVIDIA driver is loaded here (Linux: /proc/driver/nvidia) or nvidia-smi is installed."""
    return exists("/proc/driver/nvidia/version") or which("nvidia-smi") is not None


def local_cpu_wheels(find_links: Iterable[str]) -> list[LocalWheel]:
    """torch CPU builds (`+cpu` local version) in pip's find-links folders (URLs are skipped)."""
    found = []
    for link in find_links:
        folder = Path(link[len("file://") :] if link.startswith("file://") else link)
        if ("://" in link and not link.startswith("file://")) or not folder.is_dir():
            continue
        for path in sorted(folder.glob("torch-*.whl")):
            try:
                name, version, _, tags = parse_wheel_filename(path.name)
            except InvalidWheelFilename:
                continue
            if canonicalize_name(name) == TORCH and version.local == "cpu":
                found.append(LocalWheel(path, version, frozenset(tags)))
    return found


def requires_torch(requirements: Sequence[str]) -> bool:
    for line in requirements:
        try:
            if canonicalize_name(Requirement(line).name) == TORCH:
                return True
        except InvalidRequirement:
            continue
    return False


def version_in_name(python: str) -> tuple[int, int] | None:
    """(3, 11) from `/usr/bin/python3.11`."""
    match = re.search(r"python(\d+)\.(\d+)$", python)
    return (int(match.group(1)), int(match.group(2))) if match else None


def torch_constraints(requirements: Sequence[str], constraint_files: Sequence[str]) -> list[str]:
    """The specifiers on torch from environment.yml's requirements and pip's constraint files."""
    lines = list(requirements)
    for name in constraint_files:
        try:
            lines += Path(name).read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
    specs = []
    for line in lines:
        text = line.split("#", 1)[0].strip()
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        if canonicalize_name(req.name) == TORCH:
            specs.append(str(req.specifier))
    return specs


@functools.lru_cache(maxsize=1)
def _platforms() -> frozenset[str]:
    return frozenset(platform_tags())


def interpreter_tags(version: tuple[int, int]) -> Callable[[Tag], bool]:
    """Whether a wheel tag installs on a CPython of that version on this platform (the checks of
    packaging.tags.sys_tags, without building its list of ~1700 tags)."""
    interpreters = {f"cp{version[0]}{version[1]}", f"py{version[0]}", f"py{version[0]}{version[1]}"}
    platforms = _platforms()

    def installs(tag: Tag) -> bool:
        return tag.interpreter in interpreters and (
            tag.platform == "any" or tag.platform in platforms
        )

    return installs


def choose(
    wheels: Sequence[LocalWheel], specifiers: Sequence[str], installs: Callable[[Tag], bool]
) -> LocalWheel | None:
    """The newest wheel that every specifier allows and that installs with these tags."""
    from packaging.specifiers import SpecifierSet

    allowed = [
        w
        for w in wheels
        if all(SpecifierSet(s).contains(w.version, prereleases=True) for s in specifiers)
        and any(installs(tag) for tag in w.tags)
    ]
    return max(allowed, key=lambda w: w.version, default=None)


def python_for_wheels(
    wheels: Sequence[LocalWheel],
    specifiers: Sequence[str],
    current: tuple[int, int],
    python_allows: Callable[[str], bool],
    *,
    which: Callable[[str], str | None] = shutil.which,
    tags_for: Callable[[tuple[int, int]], Callable[[Tag], bool]] = interpreter_tags,
) -> str | None:
    """An installed interpreter (python3.X on PATH) for which a local CPU wheel exists, when the
    current one has none; None when the current one is fine or nothing better is there."""
    if not wheels or choose(wheels, specifiers, tags_for(current)):
        return None
    versions = sorted(
        {
            (int(t.interpreter[2]), int(t.interpreter[3:]))
            for w in wheels
            for t in w.tags
            if t.interpreter.startswith("cp3") and t.interpreter[3:].isdigit()
        },
        reverse=True,
    )
    for version in versions:
        dotted = f"{version[0]}.{version[1]}"
        exe = which(f"python{dotted}")
        if exe and python_allows(dotted) and choose(wheels, specifiers, tags_for(version)):
            return exe
    return None
