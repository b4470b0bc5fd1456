"""A wheel pip refuses: what its tags say about the interpreter that refused it (issue 12).

pip's "ERROR: <file>.whl is not a supported wheel on this platform." (pip/_internal/req/
req_install.py) names a wheel none of whose tags the interpreter supports
(packaging.tags.sys_tags). The file name carries the tags (PEP 427: name-version-python-abi-
platform.whl, taken apart by packaging.utils.parse_wheel_filename), so the refusal tells what
the interpreter is not:

- a torch wheel for another OS handed to pip on a Mac: "torch-1.11.0+cu113-cp37-cp37m-
  linux_x86_64.whl is not a supported wheel on this platform" (grenlayk/deep-text-edit#34, a
  requirements file's Linux CUDA wheel on an M1 Mac) - a pin for Linux / Windows, which no Mac
  can install;
- a macOS wheel (of torch or any package) for another CPython: "torch-0.3.0.post4-cp35-cp35m-
  macosx_10_6_x86_64.whl is not a supported wheel on this platform" on Python 3.6
  (pytorch/pytorch#4802, on an Intel MacBook Pro), a cp310 torch_mlir wheel on Python 3.9
  (llvm/torch-mlir#1544) - the wheel's Python is not the interpreter's;
- a macOS arm64 wheel refused by a Mac's interpreter of the wheel's own Python: an x86_64
  interpreter ("ERROR: torch-2.1.0-cp310-none-macosx_11_0_arm64.whl is not a supported wheel on
  this platform.", Rosetta on an M1; verify.diagnosis.resolver drops it where the paste's Python
  is not the wheel's) - where the wheel is tagged for a macOS every arm64 Mac runs (11.0) or the
  paste's macOS is its tag or newer ("mlx-0.12.0-cp312-cp312-macosx_14_0_arm64.whl" on "MacOS
  14.4.1": ml-explore/mlx#1055, an x86_64 conda Python). An arm64 wheel tagged for a newer macOS
  than 11 is refused by an older macOS just as well ("mlc_ai_nightly-0.12.dev1397-cp39-cp39-
  macosx_13_0_arm64.whl is not a supported wheel" on an M1 Pro: mlc-ai/mlc-llm#781, a macOS
  "not updated in ages"): `needs_macos` gives that floor, for install_rows' host.macos row.

-> sign.wheel_refused: (package, version, CPython X.Y of the wheel or "", the wheel's OS: "linux",
"windows" or "macos", its platform tag(s)); a torch macOS wheel refused is also
sign.pip_no_torch. verify.diagnosis.install_rows weighs them against the paste's OS and Python.

The refusal names the wheel's OS, not the interpreter's: a macOS wheel is refused on Linux just
as well (a Mac's lock file or wheel URL in a Linux container). `settle(...)` makes a refused
macOS wheel macOS, and an arm64-only one an x86_64 interpreter, only where the paste names no
OS at all, neither in words nor in a traceback's paths: one hands pip a wheel made for one's
own system.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from verify import compat
from verify.diagnosis.paste.clues import LISTED, Clue, clue, finditer

# any distribution's wheel: its Python tag says the same of the interpreter whatever the package
# ("ERROR: torch_mlir-20221206.71-cp310-cp310-macosx_11_0_universal2.whl is not a supported wheel
# on this platform." on Python 3.9: llvm/torch-mlir#1544, "you need to be in 3.10")
REFUSED = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][\w.]*-[^\s/\\'\"`]+?\.whl)"
    r"[ \t]+is[ \t]+not[ \t]+a[ \t]+supported[ \t]+wheel"
)
# Poetry installs a locked wheel by its URL and says only that it failed (pip's refusal is in the
# CalledProcessError under it): "• Installing torch (1.13.0+cu116 https://download.pytorch.org/
# whl/cu116/torch-1.13.0%2Bcu116-cp310-cp310-linux_x86_64.whl): Failed" (hpprc/bert-
# classification-tutorial#1, a lock resolved on Linux installed on an M2 MacBook Air)
POETRY_FAILED = re.compile(
    r"Installing[ \t]+[A-Za-z0-9][\w.-]*[ \t]+\([^\s()]+[ \t]+[a-z+]+://[^\s()]*/"
    r"([^\s/()]+\.whl)\)[ \t]*:[ \t]*Failed\b"
)
# the wheels that are torch's own: only they say how torch itself was to be installed
TORCH_FAMILY = ("torch", "torchvision", "torchaudio")
_OS_PREFIXES = (
    ("linux", ("linux", "manylinux", "musllinux")),
    ("windows", ("win",)),
    ("macos", ("macosx",)),
)
# signs that the paste shows another OS than the refused wheel's, or names a Mac already
_OTHER_OS = ("sign.linux_paths", "sign.windows_paths", "sign.linux_vm_on_mac", "sign.container")


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    refusals = (
        *finditer(REFUSED, text, "not a supported wheel"),
        *finditer(POETRY_FAILED, text, "Failed"),
    )
    for m in refusals:
        value = wheel(unquote(m.group(1)))
        if value is None:
            continue
        out.append(clue("sign.wheel_refused", value, text, m, LISTED))
        if value[0] == "torch" and value[3] == "macos":  # no torch installed
            out.append(clue("sign.pip_no_torch", "torch", text, m, LISTED))
    return out


def wheel(filename: str) -> tuple[str, str, str, str, str] | None:
    """(package, version, CPython "3.X" of the wheel or "", its OS or "", its platform tags)
    from a wheel's file name, or None if it is no valid one."""
    try:
        name, version, _build, tags = parse_wheel_filename(filename)
    except (InvalidWheelFilename, InvalidVersion):
        return None
    pythons = {t.interpreter for t in tags}
    cpython = {p for p in pythons if re.fullmatch(r"cp3\d{1,2}", p)}
    python = f"3.{next(iter(cpython))[3:]}" if len(cpython) == 1 and pythons == cpython else ""
    platforms = sorted({t.platform for t in tags})
    systems = {_os_of(p) for p in platforms}
    system = systems.pop() if len(systems) == 1 else ""
    return (str(name), str(version), python, system, ".".join(platforms))


# every Mac with an arm64 chip runs macOS 11 or newer: an arm64 wheel tagged 11.0 fits them all
ARM64_MACOS = Version("11.0")
_MACOS_TAG = re.compile(r"macosx_(\d+)_(\d+)_arm64")


def needs_macos(value: tuple, shown: Version | None = None) -> Version | None:
    """The lowest macOS a refused arm64-only macOS wheel (a sign.wheel_refused value) is tagged
    for, where that is newer than 11.0 and the paste's macOS (`shown`, None: unknown) is not
    shown to be at it: a macOS that may be what refused it. None otherwise."""
    lowest = _arm64_macos(value)
    if lowest is None or lowest <= ARM64_MACOS or (shown is not None and shown >= lowest):
        return None
    return lowest


def _arm64_macos(value: tuple) -> Version | None:
    """The lowest macOS of an arm64-only macOS wheel's tags; None for another wheel or a tag
    packaging does not produce ("macosx_13_arm64", without the minor: pypa/packaging#604)."""
    platforms = value[4].split(".")
    if value[3] != "macos" or not all(p.endswith("_arm64") for p in platforms):
        return None
    floors = [m for p in platforms if (m := _MACOS_TAG.fullmatch(p))]
    if len(floors) != len(platforms):
        return None
    return min(Version(f"{m[1]}.{m[2]}") for m in floors)


def _os_of(platform: str) -> str:
    for system, prefixes in _OS_PREFIXES:
        if platform.startswith(prefixes):
            return system
    return ""


def settle(facts: dict[str, Any], evidence: dict[str, list[str]], signs: dict) -> None:
    """A refused macOS wheel as the interpreter's OS (and an arm64-only one as its x86_64
    architecture) where nothing else in the paste names the OS (see the module doc)."""
    refused = [c for c in signs.get("sign.wheel_refused") or [] if c.value[3] == "macos"]
    if not refused or any(signs.get(s) for s in _OTHER_OS):
        return
    if facts.get("os") is None:
        facts["os"] = "Darwin"
        evidence["os"] = [refused[0].line]
    if facts["os"] != "Darwin" or facts.get("machine") is not None:
        return
    shown = compat.parse_version(facts.get("macos_version"))
    # arm64-only wheels that this macOS is shown to take: only the architecture refused them
    arm = [
        c
        for c in refused
        if _arm64_macos(c.value) is not None and needs_macos(c.value, shown) is None
    ]
    if arm:  # the wheel's own Python refused it (resolver drops it where not)
        facts["machine"] = "x86_64"
        evidence["machine"] = [arm[0].line]
