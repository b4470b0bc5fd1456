"""What the loader and the build tools say about the process running them.

- dyld refuses a binary built for a newer macOS: "Referenced from: <UUID> /path/lib.so (built
  for macOS 14.0 which is newer than running OS)" (dyld 4, macOS 12+; kaixxx/noScribe#216,
  TaterTotterson/Tater#46), "(which was built for Mac OS X 10.13)" (dyld 2/3, printed only when
  the image's minimum OS is above the running one: ImageLoaderMachOCompressed.cpp in
  apple-oss-distributions/dyld; pytorch/pytorch#126679); and macOS's own refusal to open an app
  whose minimum system version is higher ("You have macOS 11.7. The application requires macOS
  12.5.1 or later.": divamgupta/diffusionbee-stable-diffusion-ui#38; "This app requires macOS
  13.1 or later.": #487 there), a script's own check ("This script requires macOS 14 (Sonoma) or
  later. Your version: 13.7.4": mindverse/Second-Me#6), or a package's own import check of the
  running macOS ("Only macOS 13.5 and newer are supported, not 13.4": mlx, in
  mustafaaljadery/mlxserver#3), or Metal's refusal of a compiled shader library ("Failed to load
  the default metallib. This library is using language version 4.0 which is not supported on this
  OS": jjang-ai/vmlx#1, hlibr's mlxstudio#2; the macOS each Metal Shading Language version needs
  is Metal.framework's MTLLibrary.h: MTLLanguageVersion3_2 API_AVAILABLE(macos(15.0)), 4_0
  macos(26.0)). This macOS is older than
  that binary needs; the sign carries the version it needs. The linker's "was built for newer
  macOS version (14.0) than being linked (13.0)" is a harmless build warning and is not read.
- the same refusal quoted without the version it needs ("You can't use this version of the
  application ... with this version of macOS": ddalcu/mlx-serve#303), and Metal's of a shader
  library's deployment target ("This library is using a deployment target (0x00020008) that is
  not supported on this OS": TheTom/vllm-swift#10) -> sign.app_needs_newer_macos ("app" /
  "metallib").
- Finder's refusal of an app with no slice for this Mac's CPU ("because this application is not
  supported on this Mac": ollama/ollama#84, diffusionbee#70): an Apple-silicon-only app on an
  Intel Mac, read weakly (sign.intel_cpu), as a Mac's model year is.
- a conda solver finding nothing for the `__osx` virtual package a package requires (the running
  macOS, or pixi's declared system-requirements): rattler / pixi's "__osx >=10.15, for which no
  candidates were found" (conda-forge/pytorch-cpu-feedstock#366: conda-forge's pytorch 2.6 for
  osx-64 on macOS 10.14), libmamba's "nothing provides __osx >=10.15 needed by ...", classic
  conda's "pytorch -> __osx[version='>=10.15']". This macOS is older than that package needs ->
  sign.solver_needs_macos (the version it needs).
- the kernel refusing to run an executable built for another CPU: "Bad CPU type in executable"
  (errno 86, EBADARCH: macOS's own text; zsh prints it lower-cased, Python as "[Errno 86]"):
  an x86_64-only binary on Apple silicon without Rosetta 2 (cyberbotics/webots#6805's
  webots-controller on an M4, ContinuumIO/anaconda-issues#12941's conda.exe), or an arm64-only
  one on an Intel Mac (w-okada/voice-changer#496) -> sign.bad_cpu_type.
- a tool's default target triplet names the architecture its process runs as: `bash --version`
  ("GNU bash, version 3.2.57(1)-release (x86_64-apple-darwin21)": Apple's /bin/bash is universal,
  so an x86_64 triplet on an Apple chip is a shell under Rosetta, glonlas/
  Stable-Diffusion-Apple-Silicon-M1-Install#3), `clang --version` / `gcc -v` ("Target:
  arm64-apple-darwin23.4.0"). Like `uname -m` it describes the shell's side, so it weighs WEAK.
  A triplet in compiler flags ("-target x86_64-apple-darwin13.4.0", a cross-compile) is not read.
- dyld's "Symbol not found: _torch_library_impl" (a Mach-O symbol, with C's leading underscore;
  Linux's loader says "undefined symbol: ..."): the process is a Mac's, whatever else the paste
  names (TaterTotterson/microWakeWord-Trainer-AppleSilicon#16, a torchaudio newer than its torch).
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import LISTED, STRONG, WEAK, Clue, clue, finditer

_M = re.MULTILINE

BUILT_FOR_NEWER = re.compile(
    r"\(built for macOS (\d+(?:\.\d+){0,2}) which is newer than running OS\)|"
    r"\(which was built for Mac OS X (\d+(?:\.\d+){0,2})\)|"
    r"\b(?:The application|This app) requires macOS (\d+(?:\.\d+){0,2}) or later\b",
    re.IGNORECASE,
)
# Finder's refusal of an app with no slice for this Mac's CPU: "You can't open the application
# "Ollama" because this application is not supported on this Mac." (an arm64-only app on a 2020
# MacBook Pro: ollama/ollama#84; DiffusionBee's first, Apple-silicon-only build on an Intel Mac:
# divamgupta/diffusionbee-stable-diffusion-ui#70). An app that needs a newer macOS is refused
# with that macOS named instead (BUILT_FOR_NEWER), so this one says an Intel Mac, weakly.
APP_NOT_FOR_THIS_MAC = re.compile(
    r"\bbecause this application is not supported on this Mac\b", re.IGNORECASE
)
# the same refusal with no version in it, as the dialog's first sentence is quoted or retold:
# 'You can't use this version of the application "MLX Core" with this version of macOS.'
# (ddalcu/mlx-serve#303, on Sonoma), "I can't use the version of the application "Mochi
# Diffusion" with this version of macOS" (MochiDiffusion/MochiDiffusion#250, on Monterey): the
# app's minimum system version is above this macOS (LSMinimumSystemVersion), whatever it is
APP_NEEDS_NEWER_MACOS = re.compile(
    r"\bcan(?:'|\u2019|no)?t use (?:this|the) version of the application\b[^\n]{0,80}?\bwith "
    r"this version of (?:macOS|OS X|Mac OS X)\b",
    re.IGNORECASE,
)
# a script's own check of the running macOS, with the version it found: "[ERROR] This script
# requires macOS 14 (Sonoma) or later. Your version: 13.7.4" (mindverse/Second-Me#6)
SCRIPT_NEEDS_MACOS = re.compile(
    r"\bThis (?:script|program|tool|package|project) requires macOS (\d+(?:\.\d+){0,2})"
    r"(?: \([A-Za-z ]+\))? or (?:later|newer)\.?(?:[ \t]+Your version:[ \t]+(\d+(?:\.\d+){0,2}))?"
)
# a Python package's own import-time check of platform.mac_ver(): mlx's _os_warning.py
# ("ImportError: Only macOS 13.5 and newer are supported, not 13.4": mustafaaljadery/
# mlxserver#3), urllib3's securetransport ("Only OS X 10.8 and newer are supported, not 10.7")
ONLY_MACOS_AND_NEWER = re.compile(
    r"\bOnly (?:macOS|OS X) (\d+(?:\.\d+){0,2}) and newer are supported, not (\d+(?:\.\d+){0,2})\b"
)
SYMBOL_NOT_FOUND = re.compile(r"\bSymbol not found: _\w+")
METAL_LANGUAGE = re.compile(
    r"\bThis library is using language version (\d+\.\d+) which is not supported on this OS"
)
# the same refusal for the library's deployment target, its macOS not said ("MLX error: Failed to
# load the default metallib. This library is using a deployment target (0x00020008) that is not
# supported on this OS": TheTom/vllm-swift#10 on macOS 15.3.1, a build for a newer macOS)
METAL_TARGET = re.compile(
    r"\bThis library is using a deployment target \(0x[0-9a-fA-F]+\) that is not supported on "
    r"this OS"
)
# MTLLanguageVersion's API_AVAILABLE(macos(...)) in Metal.framework's MTLLibrary.h
METAL_LANGUAGE_MACOS = {
    "2.3": "11.0",
    "2.4": "12.0",
    "3.0": "13.0",
    "3.1": "14.0",
    "3.2": "15.0",
    "4.0": "26.0",
    "4.1": "27.0",
}
SOLVER_NEEDS_MACOS = re.compile(
    r"__osx[ \t]*>=[ \t]*(\d+(?:\.\d+){0,2}),? for which no candidates were found|"
    r"nothing provides __osx[ \t]*>=[ \t]*(\d+(?:\.\d+){0,2})|"
    r"-> __osx\[version='>=(\d+(?:\.\d+){0,2})'\]"
)
BAD_CPU_TYPE = re.compile(r"\bbad CPU type in executable\b", re.IGNORECASE)
BASH_VERSION = re.compile(
    r"GNU bash, version \d[\w.()-]*[ \t]+\((x86_64|arm64|aarch64)-apple-darwin\d*[\w.]*\)"
)
TOOL_TARGET = re.compile(
    r"^[ \t>]*Target:[ \t]+(x86_64|arm64|aarch64)-apple-darwin[\w.]*[ \t]*$", _M
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(
        BUILT_FOR_NEWER, text, "newer than running OS", "built for Mac OS X", "requires macOS"
    ):
        needed = next(g for g in m.groups() if g)
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(clue("sign.binary_needs_macos", needed, text, m, STRONG))
    for m in finditer(APP_NOT_FOR_THIS_MAC, text, "not supported on this Mac"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(clue("sign.intel_cpu", True, text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
    for m in finditer(SCRIPT_NEEDS_MACOS, text, "requires macOS"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(clue("sign.binary_needs_macos", m.group(1), text, m, STRONG))
        if m.group(2):
            out.append(clue("macos_version", m.group(2), text, m, STRONG))
    for m in finditer(ONLY_MACOS_AND_NEWER, text, "and newer are supported"):
        out.append(clue("os", "Darwin", text, m, STRONG))
        out.append(clue("macos_version", m.group(2), text, m, STRONG))
        out.append(clue("sign.binary_needs_macos", m.group(1), text, m, STRONG))
    for m in finditer(METAL_LANGUAGE, text, "language version"):
        needed = METAL_LANGUAGE_MACOS.get(m.group(1))
        out.append(clue("os", "Darwin", text, m, STRONG))
        if needed:
            out.append(clue("sign.binary_needs_macos", needed, text, m, STRONG))
    # a refusal without the version it needs, where no reader above found one that names it
    if not any(c.field == "sign.binary_needs_macos" for c in out):
        for m in finditer(APP_NEEDS_NEWER_MACOS, text, "version of the application"):
            out.append(clue("os", "Darwin", text, m, STRONG))
            out.append(clue("sign.app_needs_newer_macos", "app", text, m, STRONG))
            break
        for m in finditer(METAL_TARGET, text, "deployment target"):
            out.append(clue("os", "Darwin", text, m, STRONG))
            out.append(clue("sign.app_needs_newer_macos", "metallib", text, m, STRONG))
            break
    for m in finditer(SOLVER_NEEDS_MACOS, text, "__osx"):
        needed = next(g for g in m.groups() if g)
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("sign.solver_needs_macos", needed, text, m, STRONG))
    for m in finditer(BAD_CPU_TYPE, text, "CPU type"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        out.append(clue("sign.bad_cpu_type", True, text, m, STRONG))
        break
    for m in finditer(SYMBOL_NOT_FOUND, text, "Symbol not found"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        break
    for m in finditer(BASH_VERSION, text, "GNU bash"):
        out.append(clue("os", "Darwin", text, m, WEAK))
        out.append(clue("machine", _arch(m.group(1)), text, m, WEAK))
    for m in finditer(TOOL_TARGET, text, "Target:"):
        out.append(clue("os", "Darwin", text, m, WEAK))
        out.append(clue("machine", _arch(m.group(1)), text, m, WEAK))
    return out


def _arch(triplet_arch: str) -> str:
    return "x86_64" if triplet_arch == "x86_64" else "arm64"
