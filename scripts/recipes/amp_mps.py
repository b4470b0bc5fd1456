"""Which torch release first runs each part of automatic mixed precision on MPS, read from wheels.

`verify diagnose` reads torch's "User specified an unsupported autocast device_type 'mps'" and a
framework's refusal of mixed precision on MPS (accelerate's "fp16 mixed precision requires a GPU
(not 'mps')") against the pasted torch: which release brought what the code asked for. The
evidence is each macOS arm64 wheel's own Python source:
- autocast: torch/amp/autocast_mode.py has a branch for the device (`self.device == "mps"`);
  before it, torch.autocast raises "User specified an unsupported autocast device_type 'mps'";
- autocast_float16 / autocast_bfloat16: that branch's `supported_dtype` list holds the dtype
  (2.5.0's lists float16 only, although its warning says bfloat16);
- grad_scaler: torch/amp/grad_scaler.py special-cases the MPS device (its unscale step takes
  the reciprocal in float64 elsewhere, which MPS refuses), so fp16 training's GradScaler runs.
Writes verify/data/amp_mps.json: feature -> the first release read that has it, with each
wheel's file name and sha256.

    python -m scripts.recipes.amp_mps                       # the final releases from PyPI
    python -m scripts.recipes.amp_mps --releases 2.4.1 2.5.0
    python -m scripts.recipes.amp_mps --wheels /tmp/wheels/torch-*.whl   # wheels already here
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

from packaging.utils import parse_wheel_filename
from packaging.version import Version

from scripts.recipes.pypi import (
    PyPIClient,
    PyPIError,
    RangeFile,
    add_client_options,
    client_from,
    write_document,
)
from scripts.recipes.torch_names import arm64_wheel, final_releases

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "verify" / "data" / "amp_mps.json"
AUTOCAST = "torch/amp/autocast_mode.py"
SCALER = "torch/amp/grad_scaler.py"
FEATURES = ("autocast", "autocast_float16", "autocast_bfloat16", "grad_scaler")
# torch/amp/autocast_mode.py: `elif self.device == "mps":` and the dtypes its branch accepts
_MPS_BRANCH = re.compile(
    r"self\.device == ['\"]mps['\"]:\s*\n\s*supported_dtype = \[(?P<dtypes>[^\]]*)\]"
)
_MPS_DEVICE = re.compile(r"['\"]mps(?::0)?['\"]")


def features(autocast: str, scaler: str) -> set[str]:
    """The mixed-precision features for MPS that these two source files have."""
    found: set[str] = set()
    m = _MPS_BRANCH.search(autocast)
    if m is not None:
        found.add("autocast")
        dtypes = m.group("dtypes")
        found.update(f"autocast_{d}" for d in ("float16", "bfloat16") if f"torch.{d}" in dtypes)
    if _MPS_DEVICE.search(scaler):
        found.add("grad_scaler")
    return found


def read_zip(file: IO[bytes] | Path) -> set[str]:
    with zipfile.ZipFile(file) as zf:
        listing = set(zf.namelist())
        autocast = zf.read(AUTOCAST).decode("utf-8") if AUTOCAST in listing else ""
        scaler = zf.read(SCALER).decode("utf-8") if SCALER in listing else ""
    return features(autocast, scaler)


def first_seen(per_release: Iterable[tuple[str, set[str]]]) -> dict[str, str | None]:
    """feature -> the first release (in version order) that has it; None: none read has it."""
    first: dict[str, str | None] = dict.fromkeys(FEATURES)
    for release, found in sorted(per_release, key=lambda p: Version(p[0])):
        for name in FEATURES:
            if name in found and first[name] is None:
                first[name] = release
    return first


def from_pypi(client: PyPIClient, releases: list[str] | None) -> list[dict[str, Any]]:
    index = client.project("torch")
    index_url = client.project_url("torch")
    out = []
    for release in sorted(releases or final_releases(index), key=Version):
        wheel = arm64_wheel(index["releases"].get(release, []))
        if wheel is None:
            continue
        found = read_zip(RangeFile(client, urljoin(index_url, wheel["url"])))
        sha = wheel.get("digests", {}).get("sha256", "")
        out.append({"release": release, "wheel": wheel["filename"], "sha256": sha, "has": found})
        print(f"{release}: {sorted(found)}", file=sys.stderr)
    return out


def from_files(paths: Iterable[Path]) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        _name, version, _build, _tags = parse_wheel_filename(path.name)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        found = read_zip(path)
        out.append({"release": str(version), "wheel": path.name, "sha256": sha, "has": found})
    return out


def render(read: list[dict[str, Any]]) -> str:
    read = sorted(read, key=lambda w: Version(w["release"]))
    doc = {
        "about": (
            "The first torch release (of the macOS arm64 wheels read) whose own Python source "
            "runs each part of automatic mixed precision on MPS: autocast (torch/amp/"
            "autocast_mode.py has a branch for device 'mps'; before it torch.autocast raises "
            "\"User specified an unsupported autocast device_type 'mps'\"), autocast_float16 / "
            "autocast_bfloat16 (that branch's supported_dtype holds the dtype), grad_scaler "
            "(torch/amp/grad_scaler.py special-cases the MPS device, whose unscale step took a "
            "float64 reciprocal before). Written by scripts/recipes/amp_mps.py; null: no wheel "
            "read has it."
        ),
        "source": "https://pypi.org/pypi/torch/json",
        "wheels": [{k: w[k] for k in ("release", "wheel", "sha256")} for w in read],
        "first": first_seen((w["release"], w["has"]) for w in read),
    }
    return json.dumps(doc, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", nargs="*", help="these releases only (default: all final)")
    parser.add_argument("--wheels", nargs="*", type=Path, help="read these wheel files instead")
    parser.add_argument("--out", type=Path, default=OUT)
    add_client_options(parser)
    args = parser.parse_args(argv)
    try:
        read = (
            from_files(args.wheels) if args.wheels else from_pypi(client_from(args), args.releases)
        )
    except (PyPIError, zipfile.BadZipFile, OSError, ValueError) as exc:
        print(f"amp_mps: {exc}", file=sys.stderr)
        return 2
    if not write_document("amp_mps", args.out, render(read)):
        return 2
    print(f"wrote {args.out}: {len(read)} wheels")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
