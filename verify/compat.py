"""What PyTorch releases need and offer on macOS: data and lookups, each fact with its source.

Pure: no host probing. Version logic goes through packaging.version / packaging.specifiers /
packaging.utils. Two layers of data:

* the release table verify/data/torch_releases.json, generated from PyPI's JSON API by
  scripts/ (requires_python, minimum macOS in the arm64 wheels' platform tags, whether an x86_64
  macOS wheel exists, the CPython tags); loaded through importlib.resources and cached;
* this module's own cited tables, used for what PyPI metadata cannot say (the MPS floors) and
  as the fallback for releases missing from the generated file.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

# --- MPS and macOS ----------------------------------------------------------------------------

# The MPS backend first shipped in torch 1.12 and needs macOS 12.3+ (docs/source/notes/mps.rst:
# "MPS not available because the current MacOS version is not 12.3+ and/or you do not have an
# MPS-enabled device on this machine"; https://pytorch.org/docs/stable/notes/mps.html).
MPS_FIRST_RELEASE = Version("1.12")
MPS_MIN_MACOS = Version("12.3")


@dataclass(frozen=True)
class MpsFloor:
    """The macOS a range of torch releases needs for MPS, two ways.

    `enforced`: the oldest macOS on which this torch creates an MPS device (the check in
    aten/src/ATen/mps/MPSDevice.mm's MPSDevice::MPSDevice, or a wheel that pip will not install
    below its macosx_X_Y platform tag). `declared`: the macOS its own message names, "The MPS
    backend is supported on macOS X+" (aten/src/ATen/mps/EmptyTensor.cpp,
    MPS_ERROR_RUNTIME_TOO_LOW), read from the wheels' libtorch_cpu.dylib
    (tests/data/torch_wheels/). The two drift apart: 2.5 enforced 13.0 while still saying
    12.3+, 2.15 says 15.0+ while its device check and wheel accept 14.0.
    """

    first: Version  # the first torch release of the range (it holds until the next row)
    enforced: Version
    declared: Version
    source: str


MPS_FLOORS: tuple[MpsFloor, ...] = (
    MpsFloor(
        Version("1.12"),
        Version("12.3"),
        Version("12.3"),
        "https://pytorch.org/docs/1.12/notes/mps.html; torch 1.12.0-2.4.1 wheels: "
        "'The MPS backend is supported on MacOS 12.3+.'",
    ),
    # pytorch/pytorch#133141 "[MPS][BE] Delete MacOS-12.3 specific checks ... make MPS device
    # unavailable on [pre-Ventura] releases" (first in 2.5); pytorch/pytorch#139425 (2.5.1 on
    # macOS 12.7.6: no MPS device; malfet: "it should have say that you need MacOS 13.0"). The
    # 2.5.1 wheel still prints "12.3+"; 2.6.0 prints "13.0+".
    MpsFloor(
        Version("2.5"),
        Version("13.0"),
        Version("12.3"),
        "https://github.com/pytorch/pytorch/pull/133141",
    ),
    MpsFloor(
        Version("2.6"),
        Version("13.0"),
        Version("13.0"),
        "https://github.com/pytorch/pytorch/pull/133141; torch 2.6.0-2.8.0 wheels: "
        "'The MPS backend is supported on MacOS 13.0+.'",
    ),
    # pytorch/pytorch#162921 (2025-09): "in 2.9+ MPS is only supported on MacOS Sonoma+";
    # pytorch/pytorch#164943 (2.10 nightly on macOS 13.7.4: no MPS device). MPSDevice.mm checks a
    # macOS 14.0 MPSGraph method (HermiteanToRealFFTWithTensor) before accepting a device; from
    # 2.12 the wheels are tagged macosx_14_0_arm64 as well.
    MpsFloor(
        Version("2.9"),
        Version("14.0"),
        Version("14.0"),
        "https://github.com/pytorch/pytorch/pull/162921",
    ),
    # torch 2.15.0 (cp311-cp311-macosx_14_0_arm64, libtorch_cpu.dylib minos 14.0) prints "The MPS
    # backend is supported on macOS 15.0+." but its device check no longer calls isLowPower or
    # probes an OS-version selector (the strings are gone from the dylib): on macOS 14.x it
    # installs and finds a device, outside what PyTorch declares supported.
    MpsFloor(
        Version("2.15"),
        Version("14.0"),
        Version("15.0"),
        "tests/data/torch_wheels/torch-2.15.0-cp311-cp311-macosx_14_0_arm64.txt",
    ),
)


@dataclass(frozen=True)
class MacosFloors:
    """The macOS floors of MPS_FLOORS as a user is told them: the first macOS with MPS ("12.3"),
    the newest floor a torch enforces ("14") and the first torch with it ("2.9")."""

    first: str
    newest: str
    newest_since: str


def _macos_name(version: Version) -> str:
    """A macOS release as Apple names it: 12.3, 14 (not 14.0)."""
    return str(version.major) if version.minor == 0 else f"{version.major}.{version.minor}"


def macos_floors() -> MacosFloors:
    newest = MPS_FLOORS[-1].enforced
    since = min(f.first for f in MPS_FLOORS if f.enforced == newest)
    return MacosFloors(
        _macos_name(MPS_MIN_MACOS), _macos_name(newest), f"{since.major}.{since.minor}"
    )


# (first torch release with this floor, enforced minimum macOS for MPS, source): MPS_FLOORS as
# the plain triples older callers use.
MPS_MACOS_FLOORS: tuple[tuple[Version, Version, str], ...] = tuple(
    (f.first, f.enforced, f.source) for f in MPS_FLOORS
)

# bfloat16 on MPS: "MPS BFloat16 is only supported on MacOS 14 or newer" (torch's MPS dtype
# check, quoted in pytorch/pytorch#146236).
MPS_BFLOAT16_MIN_MACOS = Version("14.0")
# float64 does not exist on MPS: "Cannot convert a MPS Tensor to float64 dtype as the MPS
# framework doesn't support float64. Please use float32 instead."
# (aten/src/ATen/mps/EmptyTensor.cpp, MPS_ERROR_DOUBLE_NOT_SUPPORTED).
MPS_SUPPORTS_FLOAT64 = False

# --- wheels and channels ----------------------------------------------------------------------

# The last macOS x86_64 wheel on PyPI is torch 2.2.2 (torch-2.2.2-cp3XX-none-macosx_10_9_x86_64;
# 2.3.0 ships macosx_11_0_arm64 only). Announcement: https://dev-discuss.pytorch.org/t/
# pytorch-macos-x86-builds-deprecation-starting-january-2024/1690; malfet in
# pytorch/pytorch#161614: "last torch release for Intel Mac was 2.2.2". So an x86_64 Python on
# Apple silicon (Rosetta) can get no newer torch from PyPI.
LAST_MACOS_X86_64_WHEEL = Version("2.2.2")

# The first macOS arm64 wheels on PyPI are torch 1.9.0's, for Python 3.8 and 3.9 (1.11.0 added
# 3.10, 1.12.0 3.7): `pip index versions torch --platform macosx_11_0_arm64 --python-version 38
# --only-binary=:all:` lists nothing older (read 2026-12-01). A pin below it finds no wheel on
# Apple silicon at all (a native arm64 Python; an x86_64 one under Rosetta gets the Intel build).
FIRST_MACOS_ARM64_WHEEL = Version("1.9.0")

# The `pytorch` conda channel stopped publishing with 2.5 ("2.5 will be the last release of
# PyTorch that will be published to the pytorch channel on Anaconda", pytorch/pytorch#138506);
# conda-forge's `pytorch`
# (conda-forge/pytorch-cpu-feedstock) is the conda source for osx-arm64 with MPS.
PYTORCH_CHANNEL_LAST = Version("2.5")
CONDA_CHANNEL = "conda-forge"
CONDA_SUBDIR_APPLE_SILICON = "osx-arm64"

# --- Python per release -----------------------------------------------------------------------

# (first torch release, lowest CPython, highest CPython with wheels), per platform: macOS
# (arm64 wheels; the x86_64 ones had the same tags up to 2.2.2) and Linux, which got a new
# CPython earlier twice (1.13: cp311, 2.5: cp313). From the cp3XX tags (free-threaded cp3XXt left
# out) of each release's files on PyPI (https://pypi.org/pypi/torch/json, read 2026-11-29); used
# when the generated release table lacks a release. Each row holds until the next one.
PYTHON_RANGES_BY_PLATFORM: dict[str, tuple[tuple[Version, Version, Version], ...]] = {
    "macos": (
        (Version("1.12"), Version("3.7"), Version("3.10")),
        (Version("2.0"), Version("3.8"), Version("3.11")),
        (Version("2.2"), Version("3.8"), Version("3.12")),
        (Version("2.5"), Version("3.9"), Version("3.12")),
        (Version("2.6"), Version("3.9"), Version("3.13")),
        (Version("2.9"), Version("3.10"), Version("3.14")),
        (Version("2.15"), Version("3.11"), Version("3.15")),
    ),
    "linux": (
        (Version("1.12"), Version("3.7"), Version("3.10")),
        (Version("1.13"), Version("3.7"), Version("3.11")),
        (Version("2.0"), Version("3.8"), Version("3.11")),
        (Version("2.2"), Version("3.8"), Version("3.12")),
        (Version("2.5"), Version("3.9"), Version("3.13")),
        (Version("2.9"), Version("3.10"), Version("3.14")),
        (Version("2.15"), Version("3.11"), Version("3.15")),
    ),
}
PLATFORMS = tuple(PYTHON_RANGES_BY_PLATFORM)
# macOS: this project's platform, and the one the generated release table describes.
PYTHON_RANGES = PYTHON_RANGES_BY_PLATFORM["macos"]
# The newest release this module's own tables know of (PyPI, 2026-11-25).
LATEST_KNOWN_RELEASE = Version("2.15.0")

RELEASES_RESOURCE = "torch_releases.json"


# --- the generated release table --------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """One torch release as PyPI describes it (verify/data/torch_releases.json)."""

    version: Version
    requires_python: SpecifierSet | None = None
    macos_arm64_min: Version | None = None  # lowest minimum macOS among its arm64 wheels
    macos_x86_64: bool | None = None
    python_tags: tuple[str, ...] = ()
    # the UTC day its first macOS arm64 wheel reached PyPI, overall and per Python tag
    uploaded: datetime.date | None = None
    uploaded_by_python: Mapping[str, datetime.date] = field(default_factory=dict, hash=False)

    @classmethod
    def from_dict(cls, version: str, data: Mapping[str, Any]) -> Release:
        spec = None
        if data.get("requires_python"):
            try:
                spec = SpecifierSet(str(data["requires_python"]))
            except InvalidSpecifier:
                spec = None
        macos = parse_version(data.get("macos_arm64_min"))
        x86 = data.get("macos_x86_64")
        tags = tuple(str(t) for t in data.get("python_tags") or ())
        by_python = data.get("macos_arm64_uploaded_by_python")
        days = {
            str(tag): day
            for tag, text in (by_python.items() if isinstance(by_python, Mapping) else ())
            if (day := parse_day(text)) is not None
        }
        return cls(
            Version(version),
            spec,
            macos,
            x86 if isinstance(x86, bool) else None,
            tags,
            parse_day(data.get("macos_arm64_uploaded")),
            days,
        )

    def cpython_minors(self) -> tuple[int, ...]:
        """Minor versions of CPython 3 with a regular (not free-threaded) wheel: cp312 -> 12."""
        minors = set()
        for tag in self.python_tags:
            if tag.startswith("cp3") and tag[3:].isdigit():
                minors.add(int(tag[3:]))
        return tuple(sorted(minors))


@dataclass(frozen=True)
class ReleaseTable:
    generated: str | None
    source: str | None
    releases: Mapping[Version, Release]

    def get(self, torch_version: str | Version) -> Release | None:
        v = release_of(torch_version)
        return self.releases.get(v) if v is not None else None

    def latest(self) -> Release | None:
        finals = [r for v, r in self.releases.items() if not v.is_prerelease]
        return max(finals, key=lambda r: r.version) if finals else None


def parse_version(text: Any) -> Version | None:
    """A packaging Version, or None for a missing or malformed version (never raises)."""
    if text is None:
        return None
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


def releases_accepted(spec: SpecifierSet, table: ReleaseTable | None = None) -> list[Version]:
    """The final releases of the table that `spec` accepts, oldest first."""
    releases = (table or load_releases()).releases
    return sorted(r for r in releases if not r.is_prerelease and spec.contains(r))


def parse_day(text: Any) -> datetime.date | None:
    """A date from "2023-03-15" (an ISO day), or None for anything else (never raises)."""
    try:
        return datetime.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def parse_release_table(data: Mapping[str, Any]) -> ReleaseTable:
    """Build a table from the generated JSON; malformed entries are left out."""
    releases: dict[Version, Release] = {}
    raw = data.get("releases")
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            if not isinstance(value, Mapping):
                continue
            try:
                rel = Release.from_dict(str(key), value)
            except InvalidVersion:
                continue
            releases[rel.version] = rel
    return ReleaseTable(data.get("generated"), data.get("source"), releases)


@functools.cache
def load_releases(path: str | None = None) -> ReleaseTable:
    """The release table: the packaged verify/data file, or `path`. Missing or unreadable
    data gives an empty table (lookups then use this module's own tables)."""
    try:
        if path is None:
            text = (
                resources.files("verify")
                .joinpath("data", RELEASES_RESOURCE)
                .read_text(encoding="utf-8")
            )
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError):
        return ReleaseTable(None, None, {})
    if not isinstance(data, Mapping):
        return ReleaseTable(None, None, {})
    return parse_release_table(data)


# --- lookups ----------------------------------------------------------------------------------


def release_of(torch_version: str | Version | None) -> Version | None:
    """The release a torch version belongs to: "2.5.1+cpu" -> 2.5.1, "2.10.0.dev20251008" ->
    2.10.0 (a nightly is judged as the release it leads to). None when unparsable."""
    if torch_version is None:
        return None
    try:
        v = torch_version if isinstance(torch_version, Version) else Version(str(torch_version))
    except InvalidVersion:
        return None
    return Version(v.base_version)


def mps_floor(torch_version: str | Version | None) -> MpsFloor | None:
    """The MPS_FLOORS row for this torch; None before MPS (1.12) or for an unparsable version."""
    v = release_of(torch_version)
    if v is None or v < MPS_FIRST_RELEASE:
        return None
    found = None
    for row in MPS_FLOORS:
        if v >= row.first:
            found = row
    return found


def mps_min_macos(torch_version: str | Version) -> Version | None:
    """The oldest macOS on which this torch's MPS backend finds a device (the enforced floor);
    None for a torch older than MPS (before 1.12) or an unparsable version."""
    row = mps_floor(torch_version)
    return row.enforced if row is not None else None


def mps_declared_macos(torch_version: str | Version) -> Version | None:
    """The macOS this torch's own message says MPS is supported on ("... supported on macOS
    15.0+"); None before MPS or for an unparsable version."""
    row = mps_floor(torch_version)
    return row.declared if row is not None else None


def newest_torch_for_macos(macos: str | Version) -> Version | None:
    """The first torch release whose MPS no longer supports this macOS (install below it);
    None when every known release supports it, or the macOS is too old for MPS at all."""
    m = release_of(macos)
    if m is None or m < MPS_MIN_MACOS:
        return None
    for first, floor, _source in MPS_MACOS_FLOORS:
        if m < floor:
            return first
    return None


def first_torch_not_declaring(macos: str | Version) -> Version | None:
    """The first torch release whose own message names a macOS newer than this one (it may
    still run there: see MpsFloor); None when every known release declares it."""
    m = release_of(macos)
    if m is None:
        return None
    for row in MPS_FLOORS:
        if m < row.declared:
            return row.first
    return None


def macos_supports_mps(macos: str | Version, torch_version: str | Version | None = None) -> bool:
    """Is this macOS new enough for MPS at all, or for the given torch's MPS?"""
    m = release_of(macos)
    if m is None:
        return False
    floor = mps_min_macos(torch_version) if torch_version is not None else MPS_MIN_MACOS
    return floor is not None and m >= floor


def has_macos_x86_64_wheel(torch_version: str | Version, table: ReleaseTable | None = None) -> bool:
    """Did PyPI ship a macOS x86_64 wheel for this release?"""
    rel = (table or load_releases()).get(torch_version)
    if rel is not None and rel.macos_x86_64 is not None:
        return rel.macos_x86_64
    v = release_of(torch_version)
    return v is not None and v <= LAST_MACOS_X86_64_WHEEL


def wheel_min_macos(filename: str) -> Version | None:
    """The minimum macOS in a wheel's platform tag: torch-2.5.1-cp312-none-macosx_11_0_arm64.whl
    -> 11.0 (the lowest over its tags); None for a non-macOS or invalid wheel name."""
    try:
        _name, _ver, _build, tags = parse_wheel_filename(filename)
    except (InvalidWheelFilename, InvalidVersion):
        return None
    found = []
    for tag in tags:
        parts = tag.platform.split("_")
        if len(parts) >= 4 and parts[0] == "macosx" and parts[1].isdigit() and parts[2].isdigit():
            found.append(Version(f"{parts[1]}.{parts[2]}"))
    return min(found) if found else None


def python_ranges(platform: str = "macos") -> tuple[tuple[Version, Version, Version], ...]:
    """This module's cited (first release, lowest, highest CPython) rows for a platform
    ("macos" or "linux"; anything else reads as Linux, whose wheels cover the most)."""
    return PYTHON_RANGES_BY_PLATFORM.get(platform, PYTHON_RANGES_BY_PLATFORM["linux"])


def python_range(
    torch_version: str | Version, table: ReleaseTable | None = None, platform: str = "macos"
) -> tuple[Version, Version] | None:
    """(lowest, highest) CPython X.Y with wheels for this torch release on a platform ("macos":
    the generated table, which holds the macOS arm64 wheels' tags, then this module's macOS
    rows; "linux": the Linux rows), or None if unknown."""
    if platform == "macos":
        rel = (table or load_releases()).get(torch_version)
        if rel is not None:
            minors = rel.cpython_minors()
            if minors:
                return Version(f"3.{minors[0]}"), Version(f"3.{minors[-1]}")
    v = release_of(torch_version)
    if v is None:
        return None
    found = None
    for first, lo, hi in python_ranges(platform):
        if v >= first:
            found = (lo, hi)
    return found


def supports_python(
    torch_version: str | Version,
    python_version: str,
    table: ReleaseTable | None = None,
    platform: str = "macos",
) -> bool | None:
    """Does this torch release ship wheels for this Python (X.Y) on this platform? None when
    unknown."""
    py = release_of(python_version)
    rng = python_range(torch_version, table, platform)
    if py is None or rng is None:
        return None
    minor = Version(f"{py.major}.{py.minor}")
    rel = (table or load_releases()).get(torch_version)
    if rel is not None and rel.requires_python is not None and py not in rel.requires_python:
        return False
    return rng[0] <= minor <= rng[1]


def latest_release(table: ReleaseTable | None = None) -> Version:
    """The newest final torch release known (generated table or this module's own table)."""
    rel = (table or load_releases()).latest()
    return LATEST_KNOWN_RELEASE if rel is None else max(rel.version, LATEST_KNOWN_RELEASE)


def newest_release_for_python(
    python_version: str, table: ReleaseTable | None = None, platform: str = "macos"
) -> Version | None:
    """The newest known torch release with wheels for this Python on this platform, or None."""
    tbl = table or load_releases()
    candidates = {r for r in tbl.releases if not r.is_prerelease}
    candidates |= {first for first, _lo, _hi in python_ranges(platform)}
    candidates.add(LATEST_KNOWN_RELEASE)
    best = None
    for v in candidates:
        if supports_python(v, python_version, tbl, platform) and (best is None or v > best):
            best = v
    return best
