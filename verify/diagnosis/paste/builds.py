"""How the pasted torch was built, where that decides MPS: nixpkgs, Spack, source builds.

- nixpkgs: `python3Packages.torch` (also `pytorch`, `torchWithoutCuda`) is built from source;
  `torch-bin` repackages PyTorch's own wheel. On macOS the source build was compiled against an
  old Apple SDK without MPS until NixOS/nixpkgs#351778 ("python3Packages.torch: switch to
  apple-sdk_13 ... This enables the use of MPS", merged 2024-10, torch 2.5): before it
  `torch.backends.mps.is_available()` is False under nix while the wheel says True
  (NixOS/nixpkgs#243868; LaurentMazare/tch-rs#777: "it works with `pytorch-bin`"). Both
  packages install as "/nix/store/<hash>-python3.11-torch-2.0.1" (bin.nix: pname = "torch"),
  so only the attribute tells them apart; the store path still names the version.
  A nix system double ("aarch64-darwin") names the platform.
- Spack: the spec's variant says it, "py-torch@1.13.1+mps" or "~mps" (the mps variant came with
  spack/spack#31283 for 1.12; an older spec has no MPS at all).
- conda-forge's osx-arm64 pytorch has MPS from 1.12 on (conda-forge/pytorch-cpu-feedstock#123,
  "Pytorch 1.12 mps single build", made `torch.backends.mps.is_built()` a recipe test), so its
  packages are not blamed here; an osx-64 one is the Rosetta / Intel story
  (verify.diagnosis.paste.packages).
- Source builds: CMake's flag "-DUSE_MPS=OFF", its cache "USE_MPS:BOOL=OFF" and torch's build
  summary line "--   USE_MPS               : OFF" (cmake/Summary.cmake prints every USE_* option).
  `USE_MPS=OFF` / `USE_MPS=0` as such is read by .tools (torch.__config__.show(), an env var).
  The SDK decides over the option: torch's CMakeLists.txt prints "sdk version: 11.0, mps
  supported: OFF" and "MPSGraph framework not found" when the SDK lacks MPSGraph, and then builds
  no MPS whatever USE_MPS says (a nixpkgs build log shows both next to "USE_MPS : ON").
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import LISTED, STRONG, WEAK, Clue, clue, finditer

# `python3Packages.torch`, `ps.pytorch`, "withPackages (ps: with ps; [ numpy torch ])" - never
# torch-bin / pytorch-bin (the wheel)
NIX_SOURCE_TORCH = re.compile(
    r"\b(?:python3\d*Packages|python\d*\.pkgs|pythonPackages|ps|p|pkgs)\."
    r"((?:py)?torch(?:WithoutCuda|WithCuda)?)(?![\w-])|"
    r"withPackages\s*\(\s*\w+\s*:[^)\n]*?\[[^\]\n]*?(?<![\w.-])((?:py)?torch(?:WithoutCuda)?)"
    r"(?![\w-])[^\]\n]*\]"
)
NIX_STORE_TORCH = re.compile(r"/nix/store/[a-z0-9]{32}-python3\.\d+-torch-(\d+\.\d+(?:\.\d+)?)\b")
NIX_SYSTEM = re.compile(r"(?<![\w-])(aarch64|x86_64)-darwin(?![\w-])")
CMAKE_MPS = re.compile(
    r"-DUSE_MPS=(ON|OFF|1|0|TRUE|FALSE)\b|\bUSE_MPS:BOOL=(ON|OFF|1|0|TRUE|FALSE)\b|"
    r"^[ \t]*(?:--[ \t]+)?USE_MPS[ \t]+:[ \t]*(ON|OFF|1|0)\b",
    re.MULTILINE | re.IGNORECASE,
)
CMAKE_SDK = re.compile(
    r"\bsdk version: [\d.]+, mps supported: (ON|OFF)\b|(MPSGraph framework not found)"
)
SPACK_TORCH = re.compile(r"\bpy-torch@(\d+\.\d+(?:\.\d+)?)[^\s]*?([~+])mps\b")


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(NIX_SOURCE_TORCH, text, "torch"):
        out.append(clue("sign.nix_source_torch", m.group(1) or m.group(2), text, m, LISTED))
    for m in finditer(NIX_STORE_TORCH, text, "/nix/store/"):
        out.append(clue("sign.nix_torch", m.group(1), text, m, LISTED))
        out.append(clue("torch_version", m.group(1), text, m, WEAK))
    for m in finditer(NIX_SYSTEM, text, "-darwin"):
        out.append(clue("os", "Darwin", text, m, WEAK))
        if m.group(1) == "aarch64":
            out.append(clue("hardware_arm64", True, text, m, WEAK))
    for m in finditer(CMAKE_MPS, text, "USE_MPS"):
        value = next(g for g in m.groups() if g).upper()
        out.append(clue("mps_built", value in ("ON", "1", "TRUE"), text, m, LISTED))
    for m in finditer(CMAKE_SDK, text, "mps supported", "MPSGraph"):
        out.append(clue("mps_built", m.group(1) == "ON", text, m, STRONG))
        # CMakeLists.txt prints both inside `if(APPLE)`: the build ran on macOS
        # (bytedeco/javacpp-presets#1464: "-- sdk version: 12.1, mps supported: OFF")
        out.append(clue("os", "Darwin", text, m, LISTED))
    for m in finditer(SPACK_TORCH, text, "py-torch@"):
        out.append(clue("mps_built", m.group(2) == "+", text, m, LISTED))
        out.append(clue("torch_version", m.group(1), text, m, WEAK))
    return out
