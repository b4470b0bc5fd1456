"""An installer refusing a package that publishes no macOS build at all (issue 12).

pip, uv and Poetry find nothing to install on a Mac for a package whose releases ship wheels for
Linux and Windows only and no source distribution: the CUDA builds (onnxruntime-gpu, cupy-cuda12x,
jax-cuda12-plugin), the CUDA libraries torch's Linux wheels pull (nvidia-cublas-cu12, triton),
often required by a project's requirements file or by a dependency ("Could not find a version
that satisfies the requirement onnxruntime-gpu>=1.16.0 (from pyannote-audio) (from versions:
none)": m-bain/whisperX#540; "No matching distribution found for onnxruntime-gpu":
Mangio621/Mangio-RVC-Fork#9). Which packages those are is read from PyPI, not typed in:
verify/data/gpu_only_packages.json (scripts/recipes/refresh_gpu_only.py), with the systems their
wheels are for and the package a Mac installs instead (onnxruntime for onnxruntime-gpu).

The refusals read, for a package in that list (torch's own are verify.diagnosis.paste.packages'):
- pip: "Could not find a version that satisfies the requirement NAME... (from X) (from
  versions: ...)" and "No matching distribution found for NAME..." (pip/_internal/resolution/
  resolvelib/factory.py);
- uv: "NAME==V has no wheels with a matching platform tag (e.g., `macosx_14_0_arm64`)",
  "Distribution `NAME==V @ registry+...` can't be installed because it doesn't have a source
  distribution or wheel for the current platform", "You're on macOS (`macosx_15_0_arm64`), but
  `NAME` (vV) only has wheels for the following platforms: ..." (uv's resolver and install hints,
  astral-sh/uv#10739 for torch's);
- Poetry: "Unable to find installation candidates for NAME (V)" (poetry/installation/
  chooser.py);
- NVIDIA's stub sdists: "Didn't find wheel for NAME V" (wheel_stub/wheel.py);
- where none of these is shown, an install command that names such a package (on a Mac it
  cannot succeed).
-> sign.gpu_only_package: a Refusal (the package as PyPI has it, the requirement, who required
it); uv's macOS tag also gives os, macOS version and architecture. verify.diagnosis.resolver
turns it into the torch.installed row.
uv's hint also names, for any other package, the platforms one release has wheels for: where none
is macOS's, that release cannot install on this Mac (huggingface/smol-course#286: bitsandbytes
0.45.0, manylinux and win_amd64 only) -> sign.release_no_mac_wheel, the same row; and pip's
"(from versions: none)" for any other package (PIP_NONE) -> sign.no_release_here; pip's list for
any other package ending below the release asked for (PIP_LISTED: "bitsandbytes==0.43.0 (from
axolotl) (from versions: 0.31.8, ..., 0.42.0)") -> sign.pin_past_list; a list starting above
every release asked for -> sign.pin_before_list, which only verify.diagnosis.package_wheels reads
(with PyPI's record of that release's wheels: this Python, or the platform).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from verify import compat
from verify.diagnosis.paste.clues import LISTED, STRONG, WEAK, Clue, clue, finditer
from verify.diagnosis.paste.packages import INSTALL_COMMAND
from verify.diagnosis.paste.refused import TORCH_FAMILY

RESOURCE = "gpu_only_packages.json"
_NAME = r"([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])"
_SPEC = r"((?:\[[^\]\s]*\])?(?:[<>=!~]=?[\w.+*]+,?)*)"
PIP_NO_MATCH = re.compile(
    r"Could not find a version that satisfies the requirement "
    + _NAME
    + _SPEC
    + r"((?:[ \t]*\(from (?!versions?:)(?:[^()\n]|\([^()\n]*\))*\))*)"
)
PIP_NO_DIST = re.compile(r"No matching distribution found for " + _NAME + _SPEC)
UV_TAG = re.compile(
    r"\b" + _NAME + r"(?:\{[^}\n]*\})?" + _SPEC + r"\s+(?:has|have)\s+no\s+"
    r"(?:source\s+distribution\s+or\s+)?wheels?\s+with\s+a\s+matching\s+platform\s+tag"
    r"(?:\s+\(e\.g\.,?\s+`?(macosx_(\d+)_(\d+)_(arm64|x86_64))`?\))?"
)
UV_NO_WHEEL = re.compile(
    r"[Dd]istribution\s+`?" + _NAME + r"(==[\w.+]+)(?:\s+@\s+registry\+[^`\s]+)?`?\s+can't\s+be\s+"
    r"installed\s+because\s+it\s+doesn't\s+have\s+a\s+source\s+distribution\s+or\s+wheel\s+for\s+"
    r"the\s+current\s+platform"
)
UV_YOURE_ON = re.compile(
    r"You're\s+on\s+macOS\s+\(`?(macosx_(\d+)_(\d+)_(arm64|x86_64))`?\),\s+but\s+`?"
    + _NAME
    + r"`?\s+\(v([\w.+]+)\)\s+only\s+has\s+wheels"
    + r"(?:\s+for\s+(?:the\s+following\s+platforms?:\s+)?((?:`?[\w.]+`?(?:,\s+)?)+))?"
)
POETRY = re.compile(r"Unable to find installation candidates for " + _NAME + r" \(([\w.+]+)\)")
# NVIDIA's stub source distributions (wheel_stub/wheel.py: 'raise RuntimeError(f"Didn't find
# wheel for {distribution} {version}")'), which fetch the real wheel from NVIDIA's index at build
# time and find none for this platform ("RuntimeError: Didn't find wheel for nvidia-dali-cuda120
# 1.46.0": NVIDIA/physicsnemo#781 on a Mac)
WHEEL_STUB = re.compile(r"Didn't find wheel for " + _NAME + r" ([\w.+]+)")
# pip finding no release of a package at all: "Could not find a version that satisfies the
# requirement pyg-lib (from versions: none)" (pyg-team/pytorch_geometric#6362 on an M1 Max, dmlc/
# dgl#4084, dmlc/decord#335): every release lacks a file this Mac can install (a wheel for macOS
# arm64 and this Python, or a source distribution), whatever the package; 24 of the 26 real
# reports with it for a package other than torch's own were that, on a Mac (tests/data). pip
# says the same when it reaches no index, which its retries and fetch errors show.
PIP_NONE = re.compile(
    r"Could not find a version that satisfies the requirement "
    + _NAME
    + _SPEC
    + r"[^\n]*?\(from versions?:[ \t]*none\)"
)
# pip's list for a package, after the requirement and who asked for it: a list that ends below
# the release the requirement asks for on a Mac is that release publishing no file this Mac's
# interpreter can install, as "none" is for every release (axolotl-ai-cloud/axolotl#1436:
# bitsandbytes==0.43.0, whose list ends at 0.42.0, the last with a macOS wheel; stsouko/
# chython#54: chython==1.75 past 1.70, newer releases built without macOS arm64 wheels; 6 of the 8
# real reports of it in tests/data when it was written, where the 2 others are the Python's, which
# pip's "Ignored the following versions that require a different python version" tells:
# verify.diagnosis.paste.pytags). A release never published reads the same, and the same fix, the
# newest listed, mends it (C0untFloyd/roop-unleashed#1063: onnxruntime-silicon==1.20.1 past 1.16.3)
PIP_LISTED = re.compile(
    r"Could not find a version that satisfies the requirement "
    + _NAME
    + _SPEC
    + r"[^\n]*?\(from versions?:[ \t]*(\d[^)\n]*)\)"
)
# an install command (verify.diagnosis.paste.packages.INSTALL_COMMAND) naming such a package
# ("pip install onnxruntime-gpu 失败": Zejun-Yang/AniPortrait#33 on an M3 Max; "pip3 install
# onnxruntime-gpu": cubiq/ComfyUI_InstantID#41): on a Mac it can only fail, whatever the
# installer then printed, as PyPI has no file for it there; all 9 real reports with one in
# tests/data when this was written were that refusal. Its arguments are requirements and
# options ("onnxruntime-gpu==1.17.1", "-U"); the first other word ends the command ("失败")
_ARGUMENT = re.compile(
    r"-[\w-]+(?:=\S*)?|[A-Za-z0-9][\w.-]*(?:\[[\w,.-]*\])?(?:[<>=!~]=?[\w.*+]+,?)*"
)
_NO_INDEX = re.compile(
    r"Retrying \(Retry\(|Could not fetch URL|NewConnectionError|ProxyError|SSLError|"
    r"Temporary failure in name resolution|No route to host"
)
# uv's derivation names who asked: "Because pyannote-audio==3.0.1 depends on onnxruntime-gpu>=1.16"
_UV_DEPENDS = r"([A-Za-z0-9][\w.-]*(?:==[\w.+]+)?)\s+depends\s+on\s+`?{name}\b"
_FROM = re.compile(r"\(from ((?:[^()\n]|\([^()\n]*\))*)\)")


@dataclass(frozen=True)
class GpuOnly:
    """A package PyPI has no macOS build of (verify/data/gpu_only_packages.json)."""

    name: str
    platforms: tuple[str, ...]
    twin: str | None  # what a Mac installs instead, where there is one
    required_by_torch: bool  # torch's Linux wheels require it (a frozen Linux environment)
    checked: tuple[str, ...]  # the releases looked at, newest first
    last_macos_build: str | None  # the newest release with a macOS build (None: never had one)
    read: str  # the day PyPI was read

    def leaves_only_macos(self) -> bool:
        """Does it have wheels for Linux and Windows both, so that of the desktop systems only
        macOS finds none (triton, Linux-only, is refused on Windows too)?"""
        return any(p.startswith("Linux") for p in self.platforms) and any(
            p.startswith("Windows") for p in self.platforms
        )


@dataclass(frozen=True)
class Refusal:
    """An installer finding nothing for such a package."""

    package: GpuOnly
    requirement: str  # as the installer printed it ("onnxruntime-gpu>=1.16.0")
    by: str  # who required it, as pip or uv names it ("pyannote-audio"), or ""


@dataclass(frozen=True)
class NoRelease:
    """pip found no release at all of a package (not torch's own, not one of the list)."""

    name: str  # as pip printed it ("pyg-lib", "decord")
    requirement: str  # the name and its specifier ("pyg-lib", "decord==0.6.0")


def pinned_release(requirement: str) -> str | None:
    """The release a refused requirement pins ("decord==0.6.0" -> "0.6.0"); None where it pins
    none, or only a wildcard ("pyg-lib==0.*"), or does not parse."""
    try:
        spec = Requirement(requirement).specifier
    except InvalidRequirement:
        return None
    pins = [s.version for s in spec if s.operator == "==" and "*" not in s.version]
    return pins[0] if pins else None


@dataclass(frozen=True)
class PinPastList:
    """pip's list of a package (not torch's own, not one of the list) ends below the release the
    requirement asks for."""

    name: str  # as pip printed it ("bitsandbytes")
    requirement: str  # the name and its specifier ("bitsandbytes==0.43.0")
    newest_listed: str  # the list's newest release ("0.42.0")


@dataclass(frozen=True)
class PinBeforeList:
    """pip's list of a package (not torch's own) starts above every release the requirement
    accepts: the older releases have no file for this interpreter."""

    name: str  # as pip printed it ("mlx")
    requirement: str  # the name and its specifier ("mlx<0.27,>=0.26.0")
    oldest_listed: str  # the list's oldest release ("0.29.4")
    release: str  # the release the requirement starts at ("0.26.0")


@dataclass(frozen=True)
class ReleaseWithoutMacWheel:
    """One release of a package that uv found no wheel of for this Mac's interpreter: the
    platforms it has wheels for (for this Python's tags) hold no macOS one."""

    name: str
    version: str
    platforms: tuple[str, ...]
    tag: str  # the interpreter's own ("macosx_26_0_arm64")


@functools.cache
def known() -> Mapping[str, GpuOnly]:
    """name (canonical) -> GpuOnly; empty when the data file cannot be read."""
    try:
        text = resources.files("verify").joinpath("data", RESOURCE).read_text("utf-8")
        data = json.loads(text)
        day = str(data["read"])
        return {
            canonicalize_name(name): GpuOnly(
                canonicalize_name(name),
                tuple(entry["platforms"]),
                entry.get("twin"),
                bool(entry.get("required_by_torch")),
                tuple(entry["checked"]),
                entry.get("last_macos_build"),
                day,
            )
            for name, entry in data["packages"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def read(text: str) -> list[Clue]:
    table = known()
    if not table:
        return []
    out: list[Clue] = []
    for m in finditer(PIP_NO_MATCH, text, "Could not find a version"):
        by = _FROM.search(m.group(3))
        out.extend(
            _refused(table, m.group(1), m.group(2), by.group(1) if by else "", text=text, m=m)
        )
    for m in finditer(PIP_NO_DIST, text, "No matching distribution"):
        out.extend(_refused(table, m.group(1), m.group(2), "", text=text, m=m))
    for m in finditer(UV_TAG, text, "platform tag"):  # (the line may wrap after "matching")
        found = _refused(table, m.group(1), m.group(2), _uv_by(text, m.group(1)), text=text, m=m)
        if found and m.group(3):
            found.extend(_macos_tag(m.group(4), m.group(5), m.group(6), text, m))
        out.extend(found)
    for m in finditer(UV_NO_WHEEL, text, "can't"):
        out.extend(
            _refused(table, m.group(1), m.group(2), _uv_by(text, m.group(1)), text=text, m=m)
        )
    for m in finditer(UV_YOURE_ON, text, "You're"):
        found = _refused(table, m.group(5), f"=={m.group(6)}", "", text=text, m=m)
        found = found or _release_without(m, text)
        if found:
            found.extend(_macos_tag(m.group(2), m.group(3), m.group(4), text, m))
        out.extend(found)
    if not out and not _NO_INDEX.search(text):
        for m in finditer(PIP_NONE, text, "from versions: none", "from version: none"):
            if canonicalize_name(m.group(1)) not in TORCH_FAMILY:  # .packages reads theirs
                value = NoRelease(m.group(1), m.group(1) + m.group(2).rstrip(","))
                out.append(clue("sign.no_release_here", value, text, m, LISTED))
                break
        if not out and "require a different python" not in text:
            out.extend(_pin_past_list(text) or _pin_before_list(text))
    for m in finditer(POETRY, text, "installation candidates"):
        out.extend(_refused(table, m.group(1), f"=={m.group(2)}", "", text=text, m=m))
    for m in finditer(WHEEL_STUB, text, "find wheel for"):
        out.extend(_refused(table, m.group(1), f"=={m.group(2)}", "", text=text, m=m))
    if not out:
        out.extend(_install_command(table, text))
    return out


def _install_command(table: Mapping[str, GpuOnly], text: str) -> list[Clue]:
    """The first install command that names a package of the list (its options skipped)."""
    for m in finditer(INSTALL_COMMAND, text, "install", " add"):
        for word in m.group(1).split():
            token = word.rstrip("`'\"")  # the command's closing quote, in a sentence
            if not _ARGUMENT.fullmatch(token):
                break
            name = re.split(r"[\[<>=!~,]", token, maxsplit=1)[0]
            package = None if token.startswith("-") else table.get(canonicalize_name(name))
            if package is not None:
                value = Refusal(package, token.rstrip(","), "")
                return [clue("sign.gpu_only_package", value, text, m, WEAK)]
            if token != word:
                break
    return []


def _refused(
    table: Mapping[str, GpuOnly], name: str, spec: str, by: str, *, text: str, m: re.Match[str]
) -> list[Clue]:
    package = table.get(canonicalize_name(name))
    if package is None:
        return []
    value = Refusal(package, name + spec.rstrip(","), " ".join(by.split()))
    return [clue("sign.gpu_only_package", value, text, m, LISTED)]


def _listings(text: str) -> Iterator[tuple[re.Match[str], SpecifierSet, list[Version | None]]]:
    """pip's refusals of another package (not torch's family: .packages reads theirs) with the
    list of releases it found: the match, the requirement's specifier, the releases listed."""
    for m in finditer(PIP_LISTED, text, "from versions:", "from version:"):
        if canonicalize_name(m.group(1)) in TORCH_FAMILY:
            continue
        try:
            spec = Requirement(m.group(1) + m.group(2).rstrip(",")).specifier
        except InvalidRequirement:
            continue
        yield m, spec, [compat.parse_version(v.strip()) for v in m.group(3).split(",")]


def _pin_past_list(text: str) -> list[Clue]:
    """The first refusal of another package whose list ends below every release the requirement
    accepts (an upper bound or an exact pin past the list; a pin below the list's oldest is an
    old release's story, which pip's words do not tell apart from the Python's)."""
    for m, spec, listed in _listings(text):
        offered = [v for v in listed if v is not None]
        floors = [
            compat.parse_version(s.version.rstrip(".*"))
            for s in spec
            if s.operator in ("==", "===", ">=", ">", "~=")
        ]
        known = [f for f in floors if f is not None]
        if not offered or not known or len(known) < len(floors):
            continue
        if any(spec.contains(v) for v in offered):
            continue
        newest = max(offered)
        if all(f > newest for f in known):
            value = PinPastList(m.group(1), m.group(1) + m.group(2).rstrip(","), str(newest))
            return [clue("sign.pin_past_list", value, text, m, LISTED)]
    return []


def _pin_before_list(text: str) -> list[Clue]:
    """The first refusal of another package whose list starts above every release the
    requirement accepts ("mlx<0.27,>=0.26.0 (from moshi-mlx) (from versions: 0.29.4, 0.30.0,
    0.30.1)": kyutai-labs/moshi#394 under Python 3.14). pip's words do not say whether those older
    releases lack this Python's wheels or this platform's: verify.diagnosis.package_wheels asks
    PyPI's record (verify.mac_wheels) which, for the release the requirement starts at."""
    for m, spec, offered in _listings(text):
        if not offered or None in offered or any(spec.contains(v) for v in offered):
            continue
        oldest = min(v for v in offered if v is not None)
        ceilings = [
            compat.parse_version(s.version)
            for s in spec
            if s.operator in ("==", "<", "<=") and "*" not in s.version
        ]
        floors = [
            compat.parse_version(s.version)
            for s in spec
            if s.operator in ("==", ">=") and "*" not in s.version
        ]
        if None in ceilings or None in floors or not ceilings or len(floors) != 1:
            continue
        if all(c is not None and c <= oldest for c in ceilings):
            value = PinBeforeList(
                m.group(1), m.group(1) + m.group(2).rstrip(","), str(oldest), str(floors[0])
            )
            return [clue("sign.pin_before_list", value, text, m, LISTED)]
    return []


def _release_without(m: re.Match[str], text: str) -> list[Clue]:
    """uv's hint that one release of another package (not torch: verify.diagnosis.paste.packages;
    not one of the list) has no wheel for this Mac: the platforms it names for this interpreter
    hold no macOS one ("`bitsandbytes` (v0.45.0) only has wheels for the following platforms:
    `manylinux_2_24_x86_64`, `win_amd64`": huggingface/smol-course#286)."""
    name, platforms = m.group(5), tuple(p.strip("`") for p in re.split(r",\s+", m.group(7) or ""))
    if canonicalize_name(name) == "torch" or not all(platforms):
        return []
    if any(p.startswith("macosx_") for p in platforms):
        return []
    value = ReleaseWithoutMacWheel(name, m.group(6), platforms, m.group(1))
    return [clue("sign.release_no_mac_wheel", value, text, m, LISTED)]


def _uv_by(text: str, name: str) -> str:
    """The package uv says depends on this one, if its derivation names one."""
    pattern = re.compile(_UV_DEPENDS.format(name=re.escape(name)))
    found = pattern.search(text)
    return found.group(1) if found else ""


def _macos_tag(major: str, minor: str, arch: str, text: str, m: re.Match[str]) -> list[Clue]:
    """uv's tag for the running interpreter: macOS, its version, the architecture."""
    return [
        clue("os", "Darwin", text, m, STRONG),
        clue("macos_version", f"{major}.{minor}", text, m, WEAK),
        clue("machine", arch, text, m, STRONG),
    ]
