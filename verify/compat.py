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

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
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

# (first torch release with this floor, minimum macOS for MPS, source). The floor is enforced in
# aten/src/ATen/mps/MPSDevice.mm (MPSDevice::MPSDevice probes an MPSGraph selector of that macOS
# release; without it there is no device and is_available() is False) and reported by
# aten/src/ATen/mps/EmptyTensor.cpp's MPS_ERROR_RUNTIME_TOO_LOW, "The MPS backend is supported on
# MacOS 14.0+. Current OS version can be queried using `sw_vers`".
MPS_MACOS_FLOORS: tuple[tuple[Version, Version, str], ...] = (
    (Version("1.12"), Version("12.3"), "https://pytorch.org/docs/1.12/notes/mps.html"),
    # pytorch/pytorch#133141 "[MPS][BE] Delete MacOS-12.3 specific checks ... make MPS device
    # unavailable on [pre-Ventura] releases" (merged 2024-08-14, first in 2.5); confirmed by
    # pytorch/pytorch#139425 (2.5.1 on macOS 12.7.6: no MPS device; malfet: "it should have
    # say that you need MacOS 13.0") and by PR #141182 "MPS support needs Ventura+".
    (
        Version("2.5"),
        Version("13.0"),
        "https://github.com/pytorch/pytorch/pull/133141",
    ),
    # pytorch/pytorch#162921 (2025-09): "in 2.9+ MPS is only supported on MacOS Sonoma+";
    # pytorch/pytorch#163515 "PyTorch needs MacOS-14 or newer to use MPS"; issue #159275
    # "[MPS] Remove MacOS-13 support"; pytorch/pytorch#164943 (2.10 nightly on macOS 13.7.4:
    # no MPS device). MPSDevice.mm now checks a macOS 14.0 MPSGraph method
    # (HermiteanToRealFFTWithTensor) before accepting a device.
    (
        Version("2.9"),
        Version("14.0"),
        "https://github.com/pytorch/pytorch/pull/162921",
    ),
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

# The `pytorch` conda channel stopped publishing with 2.5 ("2.5 will be the last release of
# PyTorch that will be published to the pytorch channel on Anaconda", pytorch/pytorch#138506);
# conda-forge's `pytorch`
# (conda-forge/pytorch-cpu-feedstock) is the conda source for osx-arm64 with MPS.
PYTORCH_CHANNEL_LAST = Version("2.5")
CONDA_CHANNEL = "conda-forge"
CONDA_SUBDIR_APPLE_SILICON = "osx-arm64"

# --- Python per release -----------------------------------------------------------------------

# (first torch release, lowest CPython, highest CPython with wheels). From the cp3XX tags of each
# release's files on PyPI (https://pypi.org/pypi/torch/json, read 2026-11-25); used when the
# generated release table lacks a release. Each row holds until the next one.
PYTHON_RANGES: tuple[tuple[Version, Version, Version], ...] = (
    (Version("1.12"), Version("3.7"), Version("3.10")),
    (Version("1.13"), Version("3.7"), Version("3.11")),
    (Version("2.0"), Version("3.8"), Version("3.11")),
    (Version("2.2"), Version("3.8"), Version("3.12")),
    (Version("2.5"), Version("3.9"), Version("3.13")),
    (Version("2.9"), Version("3.10"), Version("3.14")),
    (Version("2.15"), Version("3.11"), Version("3.15")),
)
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
        return cls(Version(version), spec, macos, x86 if isinstance(x86, bool) else None, tags)

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


def mps_min_macos(torch_version: str | Version) -> Version | None:
    """The oldest macOS on which this torch's MPS backend finds a device; None for a torch
    older than MPS (before 1.12) or an unparsable version."""
    v = release_of(torch_version)
    if v is None or v < MPS_FIRST_RELEASE:
        return None
    floor = None
    for first, macos, _source in MPS_MACOS_FLOORS:
        if v >= first:
            floor = macos
    return floor


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


def python_range(
    torch_version: str | Version, table: ReleaseTable | None = None
) -> tuple[Version, Version] | None:
    """(lowest, highest) CPython X.Y with wheels for this torch release, or None if unknown."""
    rel = (table or load_releases()).get(torch_version)
    if rel is not None:
        minors = rel.cpython_minors()
        if minors:
            return Version(f"3.{minors[0]}"), Version(f"3.{minors[-1]}")
    v = release_of(torch_version)
    if v is None:
        return None
    found = None
    for first, lo, hi in PYTHON_RANGES:
        if v >= first:
            found = (lo, hi)
    return found


def supports_python(
    torch_version: str | Version, python_version: str, table: ReleaseTable | None = None
) -> bool | None:
    """Does this torch release ship wheels for this Python (X.Y)? None when unknown."""
    py = release_of(python_version)
    rng = python_range(torch_version, table)
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
    python_version: str, table: ReleaseTable | None = None
) -> Version | None:
    """The newest known torch release with wheels for this Python, or None if there is none."""
    tbl = table or load_releases()
    candidates = {r for r in tbl.releases if not r.is_prerelease}
    candidates |= {first for first, _lo, _hi in PYTHON_RANGES}
    candidates.add(LATEST_KNOWN_RELEASE)
    best = None
    for v in candidates:
        if supports_python(v, python_version, tbl) and (best is None or v > best):
            best = v
    return best
