"""The strings of real torch wheels (tests/data/torch_wheels/, written by
scripts/recipes/wheel_strings.py from wheels whose sha256 matched PyPI's): which release prints
which MPS message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import parse_wheel_filename
from packaging.version import Version

DIR = Path(__file__).parent / "data" / "torch_wheels"


@dataclass(frozen=True)
class WheelStrings:
    wheel: str
    version: Version
    arch: str  # "arm64" or "x86_64"
    sha256: str
    minos: dict[str, Version]  # library -> LC_BUILD_VERSION minos
    strings: tuple[str, ...]  # "LIBRARY\tSTRING" lines

    def has(self, needle: str) -> bool:
        return any(needle in line for line in self.strings)

    def search(self, regex: re.Pattern[str]) -> bool:
        return any(regex.search(line.split("\t", 1)[1]) for line in self.strings)


def load(path: Path) -> WheelStrings:
    header: dict[str, str] = {}
    minos: dict[str, Version] = {}
    body = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# macho "):
            lib, _, info = line[len("# macho ") :].partition(": ")
            m = re.search(r"minos (\d+\.\d+)", info)
            if m:
                minos[lib] = Version(m.group(1))
        elif line.startswith("# ") and ": " in line:
            key, _, value = line[2:].partition(": ")
            header.setdefault(key, value)
        elif line and not line.startswith("#"):
            body.append(line)
    wheel = header["wheel"]
    _name, version, _build, tags = parse_wheel_filename(wheel)
    arch = "x86_64" if any(t.platform.endswith("x86_64") for t in tags) else "arm64"
    return WheelStrings(wheel, version, arch, header["sha256"], minos, tuple(body))


def all_wheels() -> list[WheelStrings]:
    return sorted((load(p) for p in DIR.glob("*.txt")), key=lambda w: (w.version, w.arch))


def arm64() -> list[WheelStrings]:
    return [w for w in all_wheels() if w.arch == "arm64"]
