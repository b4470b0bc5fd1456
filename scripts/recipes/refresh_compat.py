"""Regenerate verify/data/torch_releases.json from PyPI's JSON API.

For each torch release >= 1.12 (the first with MPS): requires_python, the lowest macOS its
arm64 wheels install on (read from the wheels' platform tags with packaging), that minimum per
Python tag, whether an x86_64 macOS wheel exists, the Python tags of the arm64 wheels, and the
day (UTC) its first macOS arm64 wheel was uploaded, overall and per Python tag (PyPI's
`upload_time_iso_8601`: when `pip install torch` could first find it; verify.diagnosis.timeline).

    python -m scripts.recipes.refresh_compat [--index-url URL] [--output PATH] [--minimum 1.12]

Exit codes: 0 written, 2 a download/API error (one line on stderr; the file is left unchanged).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packaging.tags import Tag
from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from scripts.recipes.pypi import (
    PyPIClient,
    PyPIError,
    add_client_options,
    client_from,
    write_document,
)
from verify.cliargs import OneLineParser, pep440_version

PROJECT = "torch"
# MPS landed in 1.12: https://pytorch.org/blog/introducing-accelerated-pytorch-training-on-mac/
FIRST_MPS_RELEASE = "1.12"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "verify" / "data" / "torch_releases.json"

# macosx_11_0_arm64 -> (11, 0, "arm64"); packaging.tags spells macOS platforms this way.
_MACOS_PLATFORM = re.compile(r"^macosx_(\d+)_(\d+)_(\w+)$")


@dataclass(frozen=True)
class MacWheel:
    """One macOS wheel, read from its filename."""

    filename: str
    python_tag: str  # cp312, or cp313t for a free-threaded build
    macos_min: tuple[int, int]
    arch: str  # arm64, x86_64 or universal2


@dataclass
class ReleaseCompat:
    requires_python: str | None
    macos_arm64_min: str | None
    macos_x86_64: bool
    python_tags: list[str] = field(default_factory=list)
    macos_arm64_min_by_python: dict[str, str] = field(default_factory=dict)
    # the UTC day of the first macOS arm64 wheel's upload, overall and per Python tag
    macos_arm64_uploaded: str | None = None
    macos_arm64_uploaded_by_python: dict[str, str] = field(default_factory=dict)


def python_tag(tag: Tag) -> str:
    """cp313 for a cp313-cp313 wheel, cp313t for a free-threaded cp313-cp313t one."""
    if tag.abi.endswith("t") and tag.abi.startswith(tag.interpreter):
        return tag.abi
    return tag.interpreter


def mac_wheels(filename: str) -> list[MacWheel]:
    """The macOS (platform, python) combinations a wheel filename carries; [] if not macOS."""
    try:
        _name, _version, _build, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return []
    found = []
    for tag in sorted(tags, key=str):
        match = _MACOS_PLATFORM.match(tag.platform)
        if match:
            major, minor, arch = int(match[1]), int(match[2]), match[3]
            found.append(MacWheel(filename, python_tag(tag), (major, minor), arch))
    return found


def _tag_sort_key(tag: str) -> tuple[int, int, str]:
    digits = re.match(r"cp(\d)(\d+)", tag)
    return (int(digits[1]), int(digits[2]), tag) if digits else (0, 0, tag)


def _fmt(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def summarize_release(
    files: Iterable[Mapping[str, Any]], requires_python: str | None
) -> ReleaseCompat:
    """Compatibility facts of one release from its PyPI file entries (yanked files ignored)."""
    arm: list[MacWheel] = []
    x86 = False
    uploaded: dict[str, str] = {}
    for entry in files:
        if entry.get("packagetype") != "bdist_wheel" or entry.get("yanked"):
            continue
        day = upload_day(entry)
        for wheel in mac_wheels(entry["filename"]):
            if wheel.arch in ("arm64", "universal2"):
                arm.append(wheel)
                if day is not None:
                    known_day = uploaded.get(wheel.python_tag)
                    uploaded[wheel.python_tag] = min(known_day, day) if known_day else day
            if wheel.arch in ("x86_64", "universal2", "intel"):
                x86 = True
    by_python: dict[str, tuple[int, int]] = {}
    for wheel in arm:
        known = by_python.get(wheel.python_tag)
        by_python[wheel.python_tag] = min(known, wheel.macos_min) if known else wheel.macos_min
    tags = sorted(by_python, key=_tag_sort_key)
    return ReleaseCompat(
        requires_python=requires_python or None,
        macos_arm64_min=_fmt(min(by_python.values())) if by_python else None,
        macos_x86_64=x86,
        python_tags=tags,
        macos_arm64_min_by_python={t: _fmt(by_python[t]) for t in tags},
        macos_arm64_uploaded=min(uploaded.values()) if uploaded else None,
        macos_arm64_uploaded_by_python={t: uploaded[t] for t in tags if t in uploaded},
    )


_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})T")


def upload_day(entry: Mapping[str, Any]) -> str | None:
    """The UTC day a file was uploaded ("2023-03-15"), from `upload_time_iso_8601` (or the older
    `upload_time`, also UTC); None when the entry has neither."""
    for key in ("upload_time_iso_8601", "upload_time"):
        value = entry.get(key)
        if isinstance(value, str) and (m := _DAY.match(value)):
            return m.group(1)
    return None


def release_versions(index: Mapping[str, Any], minimum: str) -> list[str]:
    """Final (non-pre) releases >= minimum from the project JSON, oldest first."""
    floor = Version(minimum)
    versions = []
    for text in index.get("releases", {}):
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version >= floor and not version.is_prerelease and not version.is_devrelease:
            versions.append(version)
    return [str(v) for v in sorted(versions)]


def release_files(
    client: PyPIClient, index: Mapping[str, Any], project: str, version: str
) -> list[Any]:
    """A release's file entries: from the project index's ``releases`` mapping when it is there
    (one consistent snapshot, one request), else from the release's own JSON (``urls``).

    PyPI documents ``releases`` in the project JSON as deprecated; the per-release endpoint is
    the fallback for when it goes away (https://docs.pypi.org/api/json/).
    """
    files = (index.get("releases") or {}).get(version)
    if isinstance(files, list) and files:
        return _checked_files(files, client.project_url(project))
    url = client.project_url(project, version)
    files = client.get_json(url).get("urls")
    if not isinstance(files, list):
        raise PyPIError(f"malformed JSON from {url}: no 'urls' list")
    return _checked_files(files, url)


def _checked_files(files: list[Any], url: str) -> list[Any]:
    """File entries as the rest of this module reads them: objects with a string filename."""
    for entry in files:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("filename"), str):
            raise PyPIError(f"malformed JSON from {url}: a file entry without a filename")
    return files


def collect(
    client: PyPIClient, minimum: str = FIRST_MPS_RELEASE, project: str = PROJECT
) -> dict[str, Any]:
    """The whole document, built from the project JSON (and per-release JSON where needed)."""
    source = client.project_url(project)
    index = client.get_json(source)
    if not isinstance(index.get("releases"), dict):
        raise PyPIError(f"malformed JSON from {source}: no 'releases' mapping")
    releases: dict[str, Any] = {}
    for version in release_versions(index, minimum):
        files = release_files(client, index, project, version)
        requires = next(
            (r for f in files if isinstance(r := f.get("requires_python"), str) and r), None
        )
        releases[version] = asdict(summarize_release(files, requires))
    if not releases:
        raise PyPIError(f"no {project} releases >= {minimum} in {source}")
    return {
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "source": source,
        "releases": releases,
    }


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        prog="python -m scripts.recipes.refresh_compat", description=__doc__.split("\n")[0]
    )
    add_client_options(parser)
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON"
    )
    parser.add_argument(
        "--minimum",
        type=pep440_version,
        default=FIRST_MPS_RELEASE,
        help="oldest release to include",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, *, backoff: float = 0.5) -> int:
    args = parse_args(argv)
    client = client_from(args, backoff=backoff)
    try:
        document = collect(client, args.minimum)
    except PyPIError as exc:
        print(f"refresh_compat: {exc}", file=sys.stderr)
        return exc.exit_code
    if not write_document("refresh_compat", args.output, render(document)):
        return 2
    print(f"wrote {len(document['releases'])} torch releases to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
