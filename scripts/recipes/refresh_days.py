"""Regenerate verify/data/package_days.json from PyPI's JSON API: the UTC day each final release
of the packages that pastes name most (pip, torchvision, torchaudio, transformers, diffusers,
accelerate, numpy) was first uploaded. verify.diagnosis.timeline reads a paste's "[notice] A new
release of
pip is available: 23.2.1 -> 23.3.1", `pip 24.0 from ...`, `transformers-4.34.1-py3-none-any.whl`
or `transformers==4.41.2` as "written on or after that day".

    python -m scripts.recipes.refresh_days [--index-url URL] [--output PATH] [--package NAME ...]

Exit codes: 0 written, 2 a download/API error (one line on stderr; the file is left unchanged).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from scripts.recipes.pypi import (
    PyPIClient,
    PyPIError,
    add_client_options,
    client_from,
    write_document,
)
from scripts.recipes.refresh_compat import upload_day
from verify.cliargs import OneLineParser

PACKAGES = ("pip", "torchvision", "torchaudio", "transformers", "diffusers", "accelerate", "numpy")
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "verify" / "data" / "package_days.json"


def release_days(index: Mapping[str, Any]) -> dict[str, str]:
    """version -> the UTC day of its first upload, for the final releases of a project JSON (a
    yanked release counts: it was there, and a paste may name it; one with no files is left
    out); oldest first."""
    days: dict[Version, str] = {}
    for text, files in (index.get("releases") or {}).items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version.is_prerelease or version.is_devrelease or not isinstance(files, list):
            continue
        uploaded = [day for f in files if isinstance(f, Mapping) and (day := upload_day(f))]
        if uploaded:
            days[version] = min(uploaded)
    return {str(v): days[v] for v in sorted(days)}


def collect(client: PyPIClient, packages: Sequence[str] = PACKAGES) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in packages:
        url = client.project_url(name)
        index = client.get_json(url)
        if not isinstance(index.get("releases"), dict):
            raise PyPIError(f"malformed JSON from {url}: no 'releases' mapping")
        days = release_days(index)
        if not days:
            raise PyPIError(f"no final releases of {name} in {url}")
        out[name] = {"source": url, "days": days}
    return {
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "about": "UTC day of each final release's first upload to PyPI (upload_time_iso_8601), "
        "written by scripts/recipes/refresh_days.py",
        "packages": out,
    }


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=1) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        prog="python -m scripts.recipes.refresh_days", description=__doc__.split("\n")[0]
    )
    add_client_options(parser)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write")
    parser.add_argument(
        "--package", action="append", help=f"a package to record (default: {' '.join(PACKAGES)})"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, *, backoff: float = 0.5) -> int:
    args = parse_args(argv)
    client = client_from(args, backoff=backoff)
    try:
        document = collect(client, tuple(args.package or PACKAGES))
    except PyPIError as exc:
        print(f"refresh_days: {exc}", file=sys.stderr)
        return exc.exit_code
    if not write_document("refresh_days", args.output, render(document)):
        return 2
    print(f"wrote the release days of {len(document['packages'])} packages to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
