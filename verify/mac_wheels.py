"""Which Pythons a package's macOS wheels are for, release by release (issue 12).

Read from verify/data/mac_wheels.json (scripts/recipes/refresh_mac_wheels.py, from PyPI's JSON
API): per package and Mac architecture, runs of consecutive releases whose macOS wheels serve
the same Python minors. Pure lookups; what a paste makes of them is
verify.diagnosis.package_wheels's (a Python or a macOS left out) and
verify.diagnosis.paste.armonly's (`arm64_only`: packages a Mac's x86_64 Python never finds).
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

RESOURCE = "mac_wheels.json"
ARCHES = ("arm64", "x86_64")


@dataclass(frozen=True)
class Run:
    """Consecutive releases (first..last) whose macOS wheels for one architecture serve the
    same Pythons: `minors` exactly, and every minor from `since` on (an abi3 / py3 wheel)."""

    first: Version
    last: Version
    day: datetime.date  # the first release's first upload
    minors: frozenset[int]
    since: int | None
    floor: Version  # the lowest macOS its wheels are tagged for

    def serves(self, minor: int) -> bool:
        return minor in self.minors or (self.since is not None and minor >= self.since)

    def holds(self, release: Version) -> bool:
        return self.first <= release <= self.last

    def pythons(self) -> str:
        """ "3.10-3.12", "3.8, 3.10", "3.9 and later"."""
        listed = sorted(m for m in self.minors if self.since is None or m < self.since)
        if self.since is not None:
            low = min([*listed, self.since])
            return f"3.{low} and later" if low else "any Python 3"
        if listed == list(range(listed[0], listed[-1] + 1)) and len(listed) > 1:
            return f"3.{listed[0]}-3.{listed[-1]}"
        return ", ".join(f"3.{m}" for m in listed)


@dataclass(frozen=True)
class Package:
    name: str
    source: str
    runs: Mapping[str, tuple[Run, ...]]  # arch -> runs in version order
    read: str  # the day PyPI was read
    buildable: bool  # a release with an sdist or a pure-Python wheel

    def run_of(self, arch: str, release: Version) -> Run | None:
        return next((r for r in self.runs.get(arch, ()) if r.holds(release)), None)

    def first_for(self, arch: str, minor: int) -> Run | None:
        """The earliest run with a macOS wheel of this architecture for Python 3.minor."""
        return next((r for r in self.runs.get(arch, ()) if r.serves(minor)), None)


@dataclass(frozen=True)
class PythonLeftOut:
    """A package's macOS wheels (of one architecture) that serve other Pythons, not this one:
    `served` the run that shows it (the release named, or the newest before this Python's
    first), `first` the run whose wheels first serve this Python (None: none yet)."""

    package: Package
    arch: str  # "arm64", "x86_64"; "" for either (the paste did not show which)
    python: str  # "3.13"
    served: Run
    first: Run | None


def _parse_minors(text: str) -> tuple[frozenset[int], int | None]:
    minors: set[int] = set()
    since = None
    for part in filter(None, text.split(",")):
        if part.endswith("+"):
            since = int(part[:-1])
            minors.add(since)
        else:
            minors.add(int(part))
    return frozenset(minors), since


@functools.cache
def known() -> Mapping[str, Package]:
    """name (canonical) -> Package; empty when the data file cannot be read."""
    try:
        data = json.loads(resources.files("verify").joinpath("data", RESOURCE).read_text("utf-8"))
        out = {}
        for name, entry in data["packages"].items():
            runs = {}
            for arch in ARCHES:
                parsed = []
                for first, last, day, minors, floor in entry.get(arch) or []:
                    exact, since = _parse_minors(minors)
                    parsed.append(
                        Run(
                            Version(first),
                            Version(last),
                            datetime.date.fromisoformat(day),
                            exact,
                            since,
                            Version(floor),
                        )
                    )
                runs[arch] = tuple(parsed)
            out[canonicalize_name(name)] = Package(
                name, entry["source"], runs, str(data["read"]), bool(entry.get("buildable"))
            )
        return out
    except (OSError, ValueError, KeyError, TypeError, InvalidVersion):
        return {}


@functools.cache
def arm64_only() -> Mapping[str, Version]:
    """name -> the lowest macOS tagged, for the packages whose every macOS file is an arm64
    wheel (no x86_64 or universal2 wheel, no sdist, no pure-Python wheel): an x86_64 Python
    finds none of them (mlx, mlx-metal)."""
    return {
        name: min(r.floor for r in package.runs["arm64"])
        for name, package in known().items()
        if package.runs.get("arm64") and not package.runs.get("x86_64") and not package.buildable
    }


def x86_64_only(name: str) -> Run | None:
    """The newest run of the package's macOS wheels where every one is an x86_64 wheel (no
    arm64 or universal2 wheel, no sdist, no pure-Python wheel): a native arm64 Python finds
    none of them (decord, piper-phonemize); None otherwise."""
    package = known().get(canonicalize_name(name))
    if package is None or package.runs.get("arm64") or package.buildable:
        return None
    runs = package.runs.get("x86_64") or ()
    return runs[-1] if runs else None


def _minor(python: str) -> int | None:
    major, _, rest = python.partition(".")
    minor = rest.partition(".")[0]
    if major != "3" or not minor.isdigit():
        return None
    return int(minor)


def release_left_out(
    name: str, release: str, python: str, arch: str, macos: str | None = None
) -> PythonLeftOut | None:
    """The named release has macOS wheels of this architecture, none for this Python (and
    none of them needs a macOS newer than the one shown, which would be a cause as well)."""
    package = known().get(canonicalize_name(name))
    minor = _minor(python)
    if package is None or minor is None:
        return None
    try:
        version = Version(release)
    except InvalidVersion:
        return None
    run = package.run_of(arch, version)
    if run is None or run.serves(minor) or _below(macos, run.floor):
        return None
    return PythonLeftOut(package, arch, f"3.{minor}", run, _first_after(package, arch, minor, run))


def none_for_python(
    name: str, python: str, arch: str, after: datetime.date | None, macos: str | None = None
) -> PythonLeftOut | None:
    """No release at all fits this Python (pip: "from versions: none") while releases of this
    architecture serve other Pythons: the Python was left out then. Not where this Python's
    first macOS wheel came on or before the day the paste was written after (`after`): pip
    would have found it."""
    package = known().get(canonicalize_name(name))
    minor = _minor(python)
    if package is None or minor is None or not package.runs.get(arch):
        return None
    first = package.first_for(arch, minor)
    if first is not None and after is not None and after >= first.day:
        return None
    before = [r for r in package.runs[arch] if first is None or r.day < first.day]
    if not before:
        return None  # no macOS wheel of this architecture before it: the architecture's story
    if _below(macos, before[-1].floor):
        return None  # the macOS shown is older than those wheels need: not the Python alone
    return PythonLeftOut(package, arch, f"3.{minor}", before[-1], first)


@dataclass(frozen=True)
class MacosLeftOut:
    """A package whose macOS wheels (the release named, or all of them) are tagged for a macOS
    newer than the one shown, on every architecture it has any for."""

    package: Package
    macos: str  # the macOS shown
    floor: Version  # the lowest macOS its wheels are tagged for
    arches: tuple[str, ...]  # the architectures it has macOS wheels of


def macos_left_out(
    name: str, macos: str, release: str | None = None, python: str | None = None
) -> MacosLeftOut | None:
    """Every macOS wheel of the package (of the named release; serving this Python where one
    is given) needs a newer macOS than the one shown: pip finds none here whatever the
    architecture."""
    package = known().get(canonicalize_name(name))
    if package is None:
        return None
    try:
        shown = Version(macos)
        version = Version(release) if release else None
    except InvalidVersion:
        return None
    minor = _minor(python) if python else None
    runs = [
        r
        for arch in ARCHES
        for r in package.runs.get(arch, ())
        if (version is None or r.holds(version)) and (minor is None or r.serves(minor))
    ]
    if not runs:
        return None
    floor = min(r.floor for r in runs)
    if shown >= floor:
        return None
    arches = tuple(a for a in ARCHES if package.runs.get(a))
    return MacosLeftOut(package, macos, floor, arches)


def _below(macos: str | None, floor: Version) -> bool:
    try:
        return macos is not None and Version(macos) < floor
    except InvalidVersion:
        return False


def _first_after(package: Package, arch: str, minor: int, run: Run) -> Run | None:
    return next(
        (r for r in package.runs.get(arch, ()) if r.first > run.last and r.serves(minor)), None
    )
