"""Regenerate verify/data/mac_wheels.json from PyPI's JSON API (issue 12).

For the packages Mac installs around PyTorch name most: which Pythons and which macOS each
release's macOS wheels are for.

pip saying "from versions: none" for a package on a Mac, or uv saying a pinned release has no
wheel "for the current platform", names no reason; the package's files on PyPI give it. ray's
first macOS arm64 wheel for Python 3.12 came with a release months after 3.12 (a paste from
before it on 3.12 is the Python's: ray-project/ray#44014), kaldialign 0.9.1's macOS wheels are
cp38-cp312 only (local-voice-ai#21 on 3.13), an arm64 Mac with no wheel at all is the package's
(dmlc/decord#335). verify.mac_wheels reads this file.

For each package and each Mac architecture (arm64, x86_64; universal2 counts for both), the
releases run in version order and consecutive releases whose macOS wheels serve the same Python
minors (cp312 -> 12; an abi3 or py3 wheel: that minor and every later one) and the same lowest
macOS merge into one run: [first release, last release, first upload day, minors, lowest macOS].
Releases with a source distribution or a pure-Python wheel (which pip installs or builds on any
Mac) are counted apart ("buildable": first and last such release, first day).

    python -m scripts.recipes.refresh_mac_wheels [--index-url URL] [--output PATH] [NAME ...]

Only JSON documents are read (no file is downloaded). Exit codes: 0 written, 2 a download/API
error (one line on stderr; the file is left unchanged).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from scripts.recipes.pypi import (
    PyPIClient,
    PyPIError,
    add_client_options,
    client_from,
    write_document,
)
from verify.cliargs import OneLineParser

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "verify" / "data" / "mac_wheels.json"
ARCHES = ("arm64", "x86_64")
# the packages Mac install failures name, outside torch (torch's own Pythons are
# verify/data/torch_releases.json's): read from the reports in tests/data (the names in pip's
# "No matching distribution found for", uv's "Distribution `...`", "Failed to build") and the
# compiled packages PyTorch projects on Macs pull in most; those with no macOS wheel on PyPI at
# all (dlib, pyaudio, webrtcvad: sdists) have nothing to read and are left out
CANDIDATES = tuple(
    """
    aimrocks aiohttp annoy av bitsandbytes blis bottleneck box2d-py catboost cffi
    chroma-hnswlib chromadb chython contourpy coreai-core coremltools cryptography
    ctranslate2 cymem decord deepsearch-glm dgl dm-tree docling-parse duckdb editdistance
    espeakng-loader eva-decord faiss-cpu fasttext frozenlist gensim greenlet grpcio h5py
    hdbscan httptools imagecodecs jax-metal jaxlib jiter k2 kaldialign kiwisolver kornia-rs
    levenshtein lightgbm llvmlite lxml lz4 markupsafe matplotlib mediapipe mediapipe-silicon
    mlx mlx-metal msgpack mujoco multidict murmurhash mxnet netcdf4 nmslib numba numcodecs
    numexpr numpy onnx onnxruntime onnxruntime-genai onnxruntime-silicon onnxsim open3d
    opencv-contrib-python opencv-python opencv-python-headless openvino orjson paddlepaddle
    pandas pedalboard pillow piper-phonemize polars praat-parselmouth preshed protobuf
    psutil psycopg2-binary pyarrow pybullet pycocotools pydantic-core pygame pymeshlab
    pymupdf pyproj pysptk pywavelets pyyaml pyzmq pyzstd rapidfuzz rasterio ray regex
    rpds-py safetensors scikit-image scikit-learn scikit-learn-intelex scipy sentencepiece
    shapely soundfile soxr spacy sqlalchemy srsly statsmodels tensorflow tensorflow-cpu
    tensorflow-io tensorflow-io-gcs-filesystem tensorflow-macos tensorflow-metal
    tensorflow-text tflite-runtime thinc tiktoken tokenizers torchao torchaudio torchcodec
    torchtext torchvision ujson usearch uvloop watchfiles websockets xgboost xxhash yarl
    zstandard
    """.split()
)
# macosx_11_0_arm64, macosx_10_9_x86_64, macosx_10_9_universal2, macosx_10_6_intel
_MAC_TAG = re.compile(r"^macosx_(\d+)_(\d+)_(\w+)$")
_ARCH_OF = {
    "arm64": ("arm64",),
    "x86_64": ("x86_64",),
    "universal2": ("arm64", "x86_64"),
    "intel": ("x86_64",),
    "fat3": ("x86_64",),
    "fat64": ("x86_64",),
    "universal": ("x86_64",),
}
# cp312 -> 12, py3 -> 0 (every 3.x), cp38-abi3 -> 8 and later
_INTERPRETER = re.compile(r"^(?:cp|py)3(\d*)$")


@dataclass(frozen=True)
class Coverage:
    """One release's macOS wheels for one architecture: the Python minors they serve (`since`:
    that minor and every later one, from an abi3 / py3 wheel) and the lowest macOS tagged."""

    minors: frozenset[int]
    since: int | None
    floor: tuple[int, int]

    def render(self) -> str:
        listed = sorted(self.minors)
        if self.since is not None:
            listed = [m for m in listed if m < self.since]
        parts = [str(m) for m in listed] + ([f"{self.since}+"] if self.since is not None else [])
        return ",".join(parts)


def release_coverage(files: Iterable[Mapping[str, Any]]) -> dict[str, Coverage]:
    """arch -> what one release's macOS wheels serve (no entry: no macOS wheel for it)."""
    minors: dict[str, set[int]] = {}
    since: dict[str, int | None] = {}
    floor: dict[str, tuple[int, int]] = {}
    for f in files:
        name = str(f.get("filename") or "")
        if f.get("yanked") or not name.endswith(".whl"):
            continue
        try:
            _, _, _, tags = parse_wheel_filename(name)
        except (InvalidWheelFilename, InvalidVersion):
            continue
        for tag in tags:
            mac = _MAC_TAG.match(tag.platform)
            interpreter = _INTERPRETER.match(tag.interpreter)
            if mac is None or interpreter is None:
                continue
            minor = int(interpreter.group(1) or 0)
            open_ended = tag.abi == "abi3" or tag.interpreter.startswith("py")
            tagged = (int(mac.group(1)), int(mac.group(2)))
            for arch in _ARCH_OF.get(mac.group(3), ()):
                minors.setdefault(arch, set()).add(minor)
                if open_ended:
                    old = since.get(arch)
                    since[arch] = minor if old is None else min(old, minor)
                else:
                    since.setdefault(arch, None)
                floor[arch] = min(floor.get(arch, tagged), tagged)
    return {
        arch: Coverage(frozenset(minors[arch]), since.get(arch), floor[arch]) for arch in minors
    }


def buildable(files: Iterable[Mapping[str, Any]]) -> bool:
    """Does the release hold a source distribution or a pure-Python wheel (installable, or
    buildable, on any Mac)?"""
    for f in files:
        name = str(f.get("filename") or "")
        if f.get("yanked"):
            continue
        if f.get("packagetype") == "sdist" or name.endswith((".tar.gz", ".zip")):
            return True
        if name.endswith("-none-any.whl"):
            return True
    return False


def _day(files: Iterable[Mapping[str, Any]]) -> str:
    days = [str(f.get("upload_time_iso_8601") or f.get("upload_time") or "")[:10] for f in files]
    days = [d for d in days if d]
    return min(days) if days else ""


def _releases(index: Mapping[str, Any]) -> list[tuple[str, list]]:
    """Every release with files, in version order (pre-releases too: a pin can name one)."""
    out: list[tuple[Version, str, list]] = []
    for text, files in (index.get("releases") or {}).items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        kept = [f for f in files or [] if isinstance(f, Mapping) and not f.get("yanked")]
        if kept:
            out.append((version, text, kept))
    out.sort(key=lambda item: item[0])
    return [(text, files) for _, text, files in out]


def summarise(index: Mapping[str, Any]) -> dict[str, Any]:
    """One package's runs per architecture and its buildable releases."""
    runs: dict[str, list[list[str]]] = {arch: [] for arch in ARCHES}
    built: list[str] = []
    for text, files in _releases(index):
        day = _day(files)
        if buildable(files):
            built = [built[0] if built else text, text, built[2] if built else day]
        covered = release_coverage(files)
        for arch in ARCHES:
            coverage = covered.get(arch)
            if coverage is None:
                continue
            key = [coverage.render(), "{}.{}".format(*coverage.floor)]
            last = runs[arch][-1] if runs[arch] else None
            if last is not None and last[3:] == key:
                last[1] = text
            else:
                runs[arch].append([text, text, day, *key])
    return {**runs, "buildable": built or None}


def collect(client: PyPIClient, names: Sequence[str] = CANDIDATES) -> dict[str, Any]:
    packages: dict[str, Any] = {}
    missing: list[str] = []
    for name in sorted({canonicalize_name(n) for n in names}):
        url = client.project_url(name)
        try:
            index = client.get_json(url)
        except PyPIError as exc:
            if exc.status != 404:
                raise
            missing.append(name)
            continue
        if not isinstance(index.get("releases"), dict):
            raise PyPIError(f"malformed JSON from {url}: no 'releases' mapping")
        packages[name] = {"source": url, **summarise(index)}
        print(f"  {name}: {sum(len(packages[name][a]) for a in ARCHES)} runs", file=sys.stderr)
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "generated": now.isoformat(),
        "read": now.date().isoformat(),
        "about": "per package and Mac architecture, runs of consecutive releases (version "
        "order) whose macOS wheels serve the same Python minors and lowest macOS: [first "
        "release, last release, first upload day (UTC), minors ('12' = cp312, '8+' = an abi3 / "
        "py3 wheel from 3.8 on), lowest macOS tagged]; 'buildable': [first, last, first day] of "
        "the releases with an sdist or a pure-Python wheel (null: none); written by "
        "scripts/recipes/refresh_mac_wheels.py",
        "packages": packages,
        "not_on_pypi": missing,
    }


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=0, separators=(",", ":")) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        prog="python -m scripts.recipes.refresh_mac_wheels", description=__doc__.split("\n")[0]
    )
    add_client_options(parser)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write")
    parser.add_argument(
        "names", nargs="*", help="packages to read (default: the built-in list of candidates)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, *, backoff: float = 0.5) -> int:
    args = parse_args(argv)
    client = client_from(args, backoff=backoff)
    try:
        document = collect(client, args.names or CANDIDATES)
    except PyPIError as exc:
        print(f"refresh_mac_wheels: {exc}", file=sys.stderr)
        return exc.exit_code
    if not write_document("refresh_mac_wheels", args.output, render(document)):
        return 2
    print(f"wrote the macOS wheels of {len(document['packages'])} packages to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
