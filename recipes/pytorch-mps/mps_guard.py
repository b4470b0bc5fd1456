"""Stop the pytorch-mps build, loudly, when its torch would lack MPS or ship it degraded.

    python mps_guard.py preflight                     # before compiling (seconds)
    python mps_guard.py cache build/CMakeCache.txt    # after CMake configured the build

Why: upstream's CMake never fails for these; it turns the feature down and carries on, and
hours later the package has a torch without MPS, or one whose Metal kernels are compiled on
the user's Mac at run time.

- USE_MPS: CMake sets it OFF when the macOS SDK lacks MetalPerformanceShadersGraph (SDK older
  than 12.3) even though the build asked for USE_MPS=1.
- CAN_COMPILE_METAL: pytorch's cmake/Metal.cmake probes `xcrun metal`; when that fails it warns
  "Machine can not compile metal shaders" and builds on. The Command Line Tools have no `metal`
  compiler (full Xcode has; Xcode 26 and later download it as a separate component).

TMK_ALLOW_RUNTIME_METAL=1 accepts the runtime-compiled shaders (a warning instead of a stop).
Exit codes: 0 fine, 1 stopped (each problem on one line: what, cause, fix), 2 usage.
Plain standard library: it runs with the build's Python before anything else is there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ALLOW_RUNTIME_METAL = "TMK_ALLOW_RUNTIME_METAL"
MIN_SDK = (12, 3)  # MetalPerformanceShadersGraph arrived with the macOS 12.3 SDK
_TRUE = {"1", "ON", "YES", "TRUE", "Y"}
_CACHE_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_.\-]+):(?P<type>[A-Z_]+)=(?P<value>.*)$")

XCODE_FIX = (
    "install full Xcode (the Command Line Tools have no `metal` compiler) and select it with "
    "`sudo xcode-select -s /Applications/Xcode.app`; with Xcode 26 or later also run "
    "`xcodebuild -downloadComponent MetalToolchain`"
)
RUNTIME_COST = (
    "torch would then carry its Metal kernels as source and compile each shader library on the "
    "user's Mac the first time a process uses it: a delay at the first use of those MPS ops in "
    "every new process (macOS's shader cache shortens it on later runs), and a shader that does "
    "not compile fails only then, at run time"
)


@dataclass(frozen=True)
class Finding:
    fatal: bool
    what: str
    cause: str
    fix: str

    def line(self) -> str:
        label = "error" if self.fatal else "warning"
        return f"mps_guard {label}: {self.what}. Cause: {self.cause}. Fix: {self.fix}."


def read_cache(text: str) -> dict[str, str]:
    """KEY -> VALUE of a CMakeCache.txt (comments and blank lines skipped)."""
    values = {}
    for raw in text.splitlines():
        match = _CACHE_LINE.match(raw.strip())
        if match:
            values[match["key"]] = match["value"].strip()
    return values


def is_true(value: str | None) -> bool:
    return value is not None and value.strip().upper() in _TRUE


def check_cache(cache: Mapping[str, str], allow_runtime_metal: bool = False) -> list[Finding]:
    """What the configured build says about MPS."""
    findings = []
    if not is_true(cache.get("USE_MPS")):
        findings.append(
            Finding(
                True,
                f"CMake configured USE_MPS={cache.get('USE_MPS', '<unset>')} although the "
                "build asked for USE_MPS=1: this torch would have no MPS backend",
                "the macOS SDK CMake found has no MetalPerformanceShadersGraph (an SDK older "
                "than 12.3), or CMake did not run against a macOS SDK at all",
                "check `xcrun --sdk macosx --show-sdk-version` (12.3 or newer; this recipe's "
                "variants pin the SDK of the official wheels' build) and rebuild",
            )
        )
    metal = cache.get("CAN_COMPILE_METAL")
    if metal is not None and not is_true(metal):
        findings.append(
            Finding(
                not allow_runtime_metal,
                "CMake found no working `metal` shader compiler (CAN_COMPILE_METAL="
                f"{metal}): the Metal kernels would not be compiled at build time",
                RUNTIME_COST,
                XCODE_FIX + f", or set {ALLOW_RUNTIME_METAL}=1 to accept that cost",
            )
        )
    return findings


Runner = Callable[[Sequence[str]], tuple[int, str]]


def _run(command: Sequence[str]) -> tuple[int, str]:
    try:
        done = subprocess.run(
            list(command), capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    return done.returncode, (done.stdout + done.stderr).strip()


def _version(text: str) -> tuple[int, ...] | None:
    match = re.match(r"^\s*(\d+)(?:\.(\d+))?", text)
    if not match:
        return None
    return (int(match[1]), int(match[2] or 0))


def check_toolchain(
    run: Runner = _run,
    which: Callable[[str], str | None] = shutil.which,
    allow_runtime_metal: bool = False,
) -> list[Finding]:
    """Before compiling: a macOS SDK with MPSGraph and a `metal` compiler."""
    if which("xcrun") is None:
        return [
            Finding(
                True,
                "no `xcrun` on PATH: this is not a macOS build host with Apple's developer tools",
                "pytorch-mps links the macOS SDK's Metal frameworks",
                "build on a Mac with Apple silicon and Xcode installed",
            )
        ]
    findings = []
    code, out = run(["xcrun", "--sdk", "macosx", "--show-sdk-version"])
    sdk = _version(out) if code == 0 else None
    if sdk is None or sdk < MIN_SDK:
        findings.append(
            Finding(
                True,
                f"macOS SDK {out or 'not found'}: MPS needs MetalPerformanceShadersGraph from "
                "the macOS 12.3 SDK or newer",
                "xcrun found no macOS SDK, or an old one",
                "install Xcode (or the Command Line Tools) for macOS 14 or newer",
            )
        )
    code, out = run(["xcrun", "--sdk", "macosx", "--find", "metal"])
    if code != 0:
        findings.append(
            Finding(
                not allow_runtime_metal,
                f"`xcrun --find metal` failed ({out.splitlines()[0] if out else code})",
                RUNTIME_COST,
                XCODE_FIX + f", or set {ALLOW_RUNTIME_METAL}=1 to accept that cost",
            )
        )
    return findings


def report(findings: Sequence[Finding], what: str) -> int:
    for finding in findings:
        print(finding.line(), file=sys.stderr)
    if any(f.fatal for f in findings):
        print(f"mps_guard: stopping the build ({what})", file=sys.stderr)
        return 1
    print(f"mps_guard: {what} ok" + (" (with warnings)" if findings else ""))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    allow = is_true(os.environ.get(ALLOW_RUNTIME_METAL))
    if args == ["preflight"]:
        return report(check_toolchain(allow_runtime_metal=allow), "toolchain preflight")
    if len(args) == 2 and args[0] == "cache":
        path = Path(args[1])
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"mps_guard error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        return report(check_cache(read_cache(text), allow), f"CMake cache {path}")
    print("usage: mps_guard.py preflight | mps_guard.py cache PATH/CMakeCache.txt", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
