"""Regenerate verify/data/gpu_only_packages.json from PyPI's JSON API: the Python packages that
publish no macOS build at all (no macosx_* wheel, no platform-independent wheel and no source
distribution in their recent releases), so pip, uv and Poetry find nothing to install for them
on a Mac ("Could not find a version that satisfies the requirement onnxruntime-gpu (from
versions: none)"). verify.diagnosis.paste.gpuonly reads such refusals with this list
(issue 12).

Which packages are checked: the CUDA / GPU builds that pastes name (CANDIDATES, each with the
package a Mac installs in its place where there is one), and every package torch's own Linux
wheels require (the nvidia-*-cu11 / -cu12 libraries and triton, read from the Requires-Dist of
the torch releases in TORCH_RELEASES). Whether each has a macOS build is read from PyPI, not
assumed: a candidate that turns out to ship one (an sdist, a macOS wheel) is recorded under
"with_macos_build" with what was found, and left out of the list. A twin is kept only where its
newest release has a macOS wheel.

    python -m scripts.recipes.refresh_gpu_only [--index-url URL] [--output PATH]

Only JSON documents are read (no file is downloaded). Exit codes: 0 written, 2 a download/API
error (one line on stderr; the file is left unchanged).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidWheelFilename,
    canonicalize_name,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from scripts.recipes.pypi import (
    PyPIClient,
    PyPIError,
    add_client_options,
    client_from,
    write_document,
)
from verify.cliargs import OneLineParser

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "verify" / "data" / "gpu_only_packages.json"
# how many of a package's newest final releases (with files) are looked at
RECENT = 5
# a package is listed once this many of its newest releases have no macOS build (a single
# release without one may be an accident; nvidia-cublas-cu11's 0.0.1 placeholder sdist predates its
# 11.x wheels, nvidia-cusparselt-cu12's 0.7.0 sdist its 0.7.1-0.8.x wheels)
MIN_WITHOUT = 2
# GPU builds that pastes name, with what a Mac installs in their place (None: nothing; the fix is
# a platform marker). The twin is checked on PyPI too.
CANDIDATES: dict[str, str | None] = {
    "onnxruntime-gpu": "onnxruntime",  # whisperX#540, Mangio-RVC-Fork#9
    "onnxruntime-directml": "onnxruntime",
    "tensorflow-gpu": "tensorflow",
    "paddlepaddle-gpu": "paddlepaddle",
    "jax-cuda12-plugin": "jax",
    "jax-cuda12-pjrt": "jax",
    "jax-cuda11-plugin": "jax",
    "jax-cuda11-pjrt": "jax",
    "mxnet-cu112": "mxnet",
    "mxnet-cu110": "mxnet",
    "cupy-cuda11x": None,
    "cupy-cuda12x": None,
    "cupy-cuda13x": None,
    "triton": None,
    "tensorrt": None,
    "tensorrt-cu12": None,
    "tensorrt-cu11": None,
    "torch-tensorrt": None,
    "nvidia-dali-cuda110": None,
    "nvidia-dali-cuda120": None,
    "flash-attn": None,
    "xformers": None,
    "bitsandbytes": None,
    "deepspeed": None,
    "vllm": None,
    "mamba-ssm": None,
    "causal-conv1d": None,
    "auto-gptq": None,
    "cuda-python": None,
    # PyTorch's own recommendation-model kernels: Linux wheels only, the CPU variant too
    # (pytorch/FBGEMM#1985 "from versions: none" on macOS; meta-llama/llama-stack#164)
    "fbgemm-gpu": None,
    "fbgemm-gpu-cpu": None,
}
# the CUDA libraries torch's Linux wheels of the CUDA 11 / 12 years required (torch 1.13-2.8:
# "nvidia-cublas-cu12==12.4.5.8; platform_system == "Linux" and platform_machine == "x86_64"",
# torch 2.5's, quoted in facebookresearch/ssvp_slt#5); the newest torch's own Requires-Dist adds
# today's (read from PyPI: torch_requirements). This index serves the newest project JSON only
# (per-release JSON answers 404 here), so the older ones are named.
_NVIDIA_CU12 = (
    "cublas cuda-cupti cuda-nvrtc cuda-runtime cudnn cufft cufile curand cusolver cusparse "
    "cusparselt nccl nvjitlink nvtx"
).split()
_NVIDIA_CU11 = "cublas cuda-cupti cuda-nvrtc cuda-runtime cudnn cufft curand cusolver cusparse "
_NVIDIA_CU11 += "nccl nvtx"
TORCH_PULLED = frozenset(
    [f"nvidia-{lib}-cu12" for lib in _NVIDIA_CU12]
    + [f"nvidia-{lib}-cu11" for lib in _NVIDIA_CU11.split()]
    + ["triton"]
)
for _name in sorted(TORCH_PULLED):
    CANDIDATES.setdefault(_name, None)


def torch_requirements(client: PyPIClient) -> list[str]:
    """The packages the newest torch's Linux wheels require under a platform marker (nvidia-*,
    triton, cuda-*), read from its Requires-Dist."""
    names: list[str] = []
    info = client.project("torch").get("info") or {}
    for line in info.get("requires_dist") or []:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        marker = str(requirement.marker or "")
        if "platform_system" not in marker and "sys_platform" not in marker:
            continue
        name = canonicalize_name(requirement.name)
        if name not in names:
            names.append(name)
    return names


def _final(text: str) -> Version | None:
    try:
        version = Version(text)
    except InvalidVersion:
        return None
    return None if version.is_prerelease or version.is_devrelease else version


def recent_releases(index: Mapping[str, Any], count: int = RECENT) -> list[tuple[str, list]]:
    """The newest `count` final releases that have files not yanked, newest first."""
    out: list[tuple[Version, str, list]] = []
    for text, files in (index.get("releases") or {}).items():
        version = _final(text)
        if version is None or not isinstance(files, list):
            continue
        kept = [f for f in files if isinstance(f, Mapping) and not f.get("yanked")]
        if kept:
            out.append((version, text, kept))
    out.sort(key=lambda item: item[0], reverse=True)
    return [(text, files) for _, text, files in out[:count]]


# manylinux1_x86_64, manylinux2014_aarch64, manylinux_2_28_x86_64, musllinux_1_2_x86_64,
# linux_x86_64
_LINUX = re.compile(r"^(?:many|musl)?linux(?:1|2010|2014|_\d+_\d+)?_(\w+)$")


def platform_family(tag: str) -> str:
    """A wheel's platform tag as the system it installs on ("manylinux_2_28_x86_64" -> "Linux
    x86_64", "win_amd64" -> "Windows x86_64", "macosx_11_0_arm64" -> "macOS arm64")."""
    if tag == "any":
        return "any"
    if tag.startswith("macosx_"):
        return "macOS " + tag.rsplit("_", 1)[1]
    linux = _LINUX.match(tag)
    if linux:
        return "Linux " + {"amd64": "x86_64"}.get(linux.group(1), linux.group(1))
    if tag.startswith("win"):
        return "Windows " + {"win_amd64": "x86_64", "win32": "x86", "win_arm64": "arm64"}.get(
            tag, tag
        )
    return tag


def macos_builds(files: Iterable[Mapping[str, Any]]) -> list[str]:
    """What in these files installs on a Mac: an sdist, a macOS or platform-independent wheel."""
    found: list[str] = []
    for f in files:
        name = str(f.get("filename") or "")
        if f.get("packagetype") == "sdist" or name.endswith((".tar.gz", ".zip")):
            found.append(f"sdist {name}")
            continue
        for family in _families(name):
            if family == "any" or family.startswith("macOS"):
                found.append(f"wheel {name}")
                break
    return found


def _families(filename: str) -> list[str]:
    if not filename.endswith(".whl"):
        return []
    try:
        _, _, _, tags = parse_wheel_filename(filename)
    except (InvalidWheelFilename, InvalidVersion):
        return []
    return sorted({platform_family(t.platform) for t in tags})


def check(client: PyPIClient, name: str) -> dict[str, Any]:
    """One package's verdict: the newest release with a file that installs on a Mac (None:
    never), the releases after it (up to RECENT, newest first) and the systems their wheels are
    for."""
    url = client.project_url(name)
    index = client.get_json(url)
    if not isinstance(index.get("releases"), dict):
        raise PyPIError(f"malformed JSON from {url}: no 'releases' mapping")
    releases = recent_releases(index, count=len(index["releases"]))
    if not releases:
        raise PyPIError(f"no final release with files of {name} in {url}")
    after: list[tuple[str, list]] = []
    last_macos, found = None, []
    for version, files in releases:
        found = macos_builds(files)
        if found:
            last_macos = version
            break
        after.append((version, files))
    platforms = sorted(
        {
            family
            for _, fs in after[:RECENT]
            for f in fs
            for family in _families(str(f.get("filename") or ""))
        }
    )
    return {
        "source": url,
        "checked": [version for version, _ in after[:RECENT]],
        "platforms": platforms,
        "last_macos_build": last_macos,
        "macos": found if len(after) < MIN_WITHOUT else [],
    }


def twin_has_macos_wheel(client: PyPIClient, name: str) -> bool:
    index = client.project(name)
    recent = recent_releases(index, 1)
    return bool(recent) and any(
        family.startswith("macOS") or family == "any"
        for f in recent[0][1]
        for family in _families(str(f.get("filename") or ""))
    )


def collect(
    client: PyPIClient,
    candidates: Mapping[str, str | None] | None = None,
    *,
    with_torch: bool = True,
) -> dict[str, Any]:
    wanted: dict[str, str | None] = dict(CANDIDATES if candidates is None else candidates)
    pulled = torch_requirements(client) if with_torch else []
    for name in pulled:
        wanted.setdefault(name, None)
    packages: dict[str, Any] = {}
    with_macos: dict[str, str] = {}
    twins: dict[str, bool] = {}
    missing: list[str] = []
    for name in sorted(wanted, key=canonicalize_name):
        try:
            verdict = check(client, name)
        except PyPIError as exc:
            if exc.status != 404:
                raise
            missing.append(name)  # not on PyPI (an index of its own): nothing to say
            continue
        macos = verdict.pop("macos")
        if macos or not verdict["checked"]:
            release = verdict["last_macos_build"]
            with_macos[canonicalize_name(name)] = f"{release}: {macos[0]}" if macos else release
            continue
        twin = wanted[name]
        if twin is not None and twin not in twins:
            twins[twin] = twin_has_macos_wheel(client, twin)
        verdict["twin"] = twin if twin is not None and twins[twin] else None
        verdict["required_by_torch"] = canonicalize_name(name) in pulled or name in TORCH_PULLED
        packages[canonicalize_name(name)] = verdict
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "generated": now.isoformat(),
        "read": now.date().isoformat(),
        "about": f"packages whose {MIN_WITHOUT} or more newest final releases on PyPI have no "
        "macOS wheel, no platform-independent wheel and no sdist (pip: 'from versions: none' on "
        f"a Mac): the releases checked (up to {RECENT} newest), the systems their wheels are for, "
        "the last release with a macOS build (null: none ever) and the package a Mac installs "
        "instead (twin); "
        "written by scripts/recipes/refresh_gpu_only.py",
        "packages": packages,
        "with_macos_build": with_macos,
        "not_on_pypi": missing,
    }


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=1) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        prog="python -m scripts.recipes.refresh_gpu_only", description=__doc__.split("\n")[0]
    )
    add_client_options(parser)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, *, backoff: float = 0.5) -> int:
    args = parse_args(argv)
    client = client_from(args, backoff=backoff)
    try:
        document = collect(client)
    except PyPIError as exc:
        print(f"refresh_gpu_only: {exc}", file=sys.stderr)
        return exc.exit_code
    if not write_document("refresh_gpu_only", args.output, render(document)):
        return 2
    print(
        f"wrote {len(document['packages'])} packages with no macOS build to {args.output} "
        f"({len(document['with_macos_build'])} candidates ship one)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
