"""Where the code ran, told by the file paths, shell prompts and loader / shell words of what it
printed (issue 12).

A traceback names the files of the process that raised it, and a prompt the shell it ran in;
their form gives away the OS, whatever the user wrote about it:

- Windows (sign.windows_paths): a frame or a path with a drive letter and backslashes
  (`File "F:\\talker\\venv\\lib\\site-packages\\torch\\nn\\modules\\module.py"`: mkara44/
  liveportrait_talker#4, a Windows PC whose config asked for device mps), cmd's prompt
  `(venv) F:\\talker>`, PowerShell's `PS C:\\Users\\...>`, `\\AppData\\Local\\Programs\\Python\\`,
  a `...-win_amd64.pyd` extension module, Git for Windows' prompt `user@HOST MINGW64 ~/dir`.
  macOS and Linux paths have no drive letter.
- Linux (sign.linux_paths): a home under /home/ (macOS's are /Users/), WSL's /mnt/c/Users/,
  Debian's and Ubuntu's
  `dist-packages` (their system Python's own folder: wiki.debian.org/Python), an extension
  module built for `x86_64-linux-gnu` / `aarch64-linux-gnu` (a Mac's say `darwin`), `/root/`
  (root's home on Linux; macOS's is /var/root), Colab's `/content/` and Kaggle's `/kaggle/`
  in a frame, bash's Debian / Ubuntu prompt `user@host:~/dir$` (macOS's zsh prints
  `user@host dir %`, its old bash `host:dir user$`).
- a container's Linux (sign.linux_workload, verify.diagnosis.paste.places): a frame under a
  top-level /venv/, /app/, /workspace/ or /opt/conda/ (images' install roots; macOS's system
  volume is read-only since 10.15, so no Mac Python lives there: support.apple.com/HT210650),
  or a prompt `root@<container id>:/dir#` (Docker names the host by the 12 hex digits of the
  container's id). jim60105/docker-whisperX#20: `/venv/lib/python3.10/site-packages` frames
  after `docker run` on a Mac.

`settle(...)` makes the paths the OS only where the paste names no Mac at all (no macOS, Apple
chip, Mac hint or Darwin clue): a Linux server's traceback pasted beside a Mac's ("works on my
Linux box, fails on my MacBook") says nothing about the Mac. Pure: text in, clues out.
"""

from __future__ import annotations

import re
from typing import Any

from verify.diagnosis.paste.clues import LISTED, MAC_MODELS, STRONG, WEAK, Clue, clue, finditer

_I = re.IGNORECASE
_M = re.MULTILINE
WINDOWS = re.compile(
    # a traceback frame or a path with a drive letter (either case: `File "d:\Users\..."`,
    # pharmapsychotic/clip-interrogator#50) and backslashes
    r"\bFile \"[A-Za-z]:[\\/][^\"\n]+\"|"
    # Git for Windows' bash prompt: "user@HOST MINGW64 ~/project (main)"
    r"^[ \t]*[\w.-]+@[\w.-]+[ \t]+(?:MINGW(?:32|64)|MSYS|UCRT64|CLANG64)[ \t]+[~/]|"
    r"(?<![\w\\/])[A-Za-z]:\\(?:[^\\\n\"'<>|]+\\)*?(?:Lib|lib)\\site-packages\\|"
    # cmd's prompt (after an activated environment's name) and PowerShell's
    r"^[ \t>]*(?:\([\w.-]+\)[ \t]*)?(?:PS[ \t]+)?[A-Z]:\\[^\n<>|\"]*>[ \t]*\S|"
    r"\\AppData\\(?:Local|Roaming)\\|-win_amd64\.pyd\b|\\Scripts\\(?:python|pip)\w*\.exe\b",
    _M,
)
LINUX = re.compile(
    r"\bFile \"/(?:home/[^/\"\n]+|root|content|kaggle)/|"
    # a home under /home anywhere (a warning's "/home/me/.../torch/nn/modules/module.py:1501:
    # UserWarning"), and WSL's view of a Windows drive: a Linux process (`/mnt/c/Users/...`)
    r"(?<![\w.~:/-])/home/[a-z_][\w.-]*/[^\s\"']*\.py\b|(?<![\w.~:/-])/mnt/[a-z]/Users/|"
    r"/(?:usr/(?:local/)?lib/python3(?:\.\d+)?|[\w.-]+)/dist-packages/|"
    r"\.cpython-3\d+-(?:x86_64|aarch64)-linux-gnu\.so\b|"
    r"^[ \t]*(?:\([\w.-]+\)[ \t]*)?[a-z_][\w.-]*@[\w.-]+:(?:~|/)[^\n$#]*\$[ \t]|"
    # root's prompt on the same Debian / Ubuntu bash ("root@gpu-box:~# python ..."), a container's
    # host name aside (below)
    r"^[ \t]*(?:\([\w.-]+\)[ \t]*)?root@(?![0-9a-f]{12}:)[\w.-]+:(?:~|/)[^\n#]*#[ \t]",
    _M,
)
# the words only one OS's loader, shell or fault handler prints, wherever the process ran:
# - Windows: "[WinError 126] The specified module could not be found. Error loading
#   "...\torch\lib\c10.dll"" (Python's OSError on Windows: docs.python.org/3/library/
#   exceptions.html#OSError.winerror), CPython's faulthandler "Windows fatal exception: access
#   violation" (Python/faulthandler.c, Windows only), cmd's "is not recognized as an internal or
#   external command", PowerShell's "+ CategoryInfo : ..." error record;
# - Linux: glibc's loader "cannot open shared object file" (macOS's dyld says "Library not
#   loaded" / "no such file"), "version `GLIBC_2.29' not found", a shell's "Segmentation fault
#   (core dumped)" / "Aborted (core dumped)" (macOS's bash prints "Segmentation fault: 11");
# - macOS: dyld's "dyld[1234]: Library not loaded: @rpath/..." (Python's dlopen error quotes it
#   without the "dyld[...]": "ImportError: dlopen(.../_C.cpython-313-darwin.so, 0x0002): Library
#   not loaded: @rpath/libtorch_cpu.dylib": pytorch/pytorch#189704), CPython's extension suffix
#   on macOS ("cpython-313-darwin.so"), bash's signal words with their
#   number ("Segmentation fault: 11", "Bus error: 10", "Abort trap: 6", "Illegal instruction:
#   4": Darwin's sys_siglist), the crash dialog's "Python quit unexpectedly".
WINDOWS_WORDS = re.compile(
    r"\[WinError \d+\]|^[ \t]*Windows fatal exception:|"
    r"is not recognized as an internal or external command|"
    # PowerShell's error record: "+ CategoryInfo : ObjectNotFound: ...", "FullyQualifiedErrorId"
    r"^[ \t]*\+[ \t]+(?:CategoryInfo|FullyQualifiedErrorId)[ \t]+:",
    _M,
)
LINUX_WORDS = re.compile(
    r"\bcannot open shared object file\b|\bversion [`']GLIBC_\d+\.\d+' not found\b|"
    r"\b(?:Segmentation fault|Aborted|Illegal instruction|Bus error|Floating point exception)"
    r"[ \t]+\(core dumped\)",
)
MAC_WORDS = re.compile(
    r"\bdyld\[\d+\]: |\bLibrary not loaded: @(?:rpath|loader_path|executable_path)/|"
    r"\.cpython-3\d{1,2}-darwin\.so\b|\b(?:Segmentation fault: 11|Bus error: 10|Abort trap: 6|"
    r"Illegal instruction: 4|Trace/BPT trap: 5)\b|\b[Pp]ython[\d.]* quit unexpectedly\b",
)
# a Mac's shell prompt or host name: zsh's default `user@host dir %` (macOS 10.15+; Linux's zsh
# default is `host%`), bash's old macOS default `host:dir user$` ("Mahzads-MacBook-Pro-2:
# pytorch-m1-gpu mahzad$": rasbt/machine-learning-notes#4), a host named after the Mac
# ("Romans-MacBook-Pro.local": lllyasviel/Fooocus#3236)
MAC_PROMPT = re.compile(
    r"^[ \t]*(?:\([\w.-]+\)[ \t]*)?[\w.-]+@[\w.-]+[ \t]+[^\s%@:]+[ \t]+%[ \t]+\S|"
    r"^[ \t]*(?:\([\w.-]+\)[ \t]*)?[\w.-]+:[^\s:]+[ \t]+[\w.-]+\$[ \t]+\S|"
    r"\b[\w-]*" + MAC_MODELS + r"[\w-]*\.local\b",
    _M,
)
# nvidia-smi's table: an NVIDIA driver, which no Mac has had since macOS 10.13 (NVIDIA's web
# drivers end there), so a PC (sign.pc_gpu, as "my RTX 3090": verify.diagnosis.placement)
NVIDIA_SMI = re.compile(r"NVIDIA-SMI \d+\.\d+")
SMI_GPU = re.compile(
    r"^\|[ \t]+\d+[ \t]+((?:NVIDIA|Tesla|Quadro|GeForce)[^|\n]*?)[ \t]+(?:On|Off)[ \t]+\|", _M
)
# setuptools' build folders name the interpreter's platform (sysconfig.get_platform()) and
# Python: "creating build/lib.macosx-12.4-arm64-cpython-39" (huggingface/tokenizers#1026, pip
# building tokenizers 0.12.1 on an M1), the older "build/temp.macosx-10.9-x86_64-3.8"; a
# universal2 interpreter says nothing of the architecture it runs as
BUILD_DIR = re.compile(
    r"\b(?:lib|temp)\.macosx-\d+\.\d+-(arm64|x86_64|universal2|intel)-"
    r"(?:cpython-3(\d{1,2})|3\.(\d{1,2}))\b"
)
CONTAINER = re.compile(
    r"\bFile \"/(?:venv|app|workspace|opt/conda)/|"
    r"^[ \t]*(?:\([\w.-]+\)[ \t]*)?root@[0-9a-f]{12}:[~/][^\n#]*#[ \t]",
    _M,
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(
        WINDOWS, text, ":\\", ":/", "\\AppData\\", "win_amd64", "\\Scripts\\", "MINGW", "MSYS"
    ):
        out.append(clue("sign.windows_paths", "Windows", text, m, LISTED))
        break
    for m in finditer(LINUX, text, 'File "/', "dist-packages", "linux-gnu", "@", "/home/", "/mnt/"):
        out.append(clue("sign.linux_paths", "Linux", text, m, LISTED))
        break
    for m in finditer(
        WINDOWS_WORDS, text, "WinError", "Windows fatal", "not recognized", "CategoryInfo"
    ):
        out.append(clue("sign.windows_paths", "Windows", text, m, LISTED))
        break
    for m in finditer(LINUX_WORDS, text, "shared object", "GLIBC_", "core dumped"):
        out.append(clue("sign.linux_paths", "Linux", text, m, LISTED))
        break
    for m in finditer(
        MAC_WORDS,
        text,
        "dyld[",
        ": 11",
        ": 10",
        ": 6",
        ": 4",
        ": 5",
        "quit unexp",
        "not loaded: @",
        "-darwin.so",
    ):
        out.append(clue("os", "Darwin", text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        break
    for m in finditer(MAC_PROMPT, text, " % ", "$ ", ".local"):
        out.append(clue("os", "Darwin", text, m, WEAK))
        out.append(clue("sign.mac_hint", True, text, m, WEAK))
        break
    for m in finditer(BUILD_DIR, text, ".macosx-"):
        out.append(clue("os", "Darwin", text, m, LISTED))
        if m.group(1) in ("arm64", "x86_64"):
            out.append(clue("machine", m.group(1), text, m, LISTED))
        out.append(clue("python_version", f"3.{m.group(2) or m.group(3)}", text, m, LISTED))
        break
    for m in finditer(NVIDIA_SMI, text, "NVIDIA-SMI"):
        gpu = SMI_GPU.search(text)
        out.append(clue("sign.pc_gpu", gpu.group(1) if gpu else "nvidia-smi", text, m, WEAK))
        break
    for m in finditer(CONTAINER, text, 'File "/', "root@"):
        out.append(clue("sign.linux_workload", m.group(0).strip(), text, m, STRONG))
        out.append(clue("sign.linux_paths", "Linux", text, m, LISTED))
        break
    return out


_MAC_SIGNS = ("sign.mac_hint", "sign.intel_cpu", "sign.ci_runner", "sign.asahi")


def settle(facts: dict[str, Any], evidence: dict[str, list[str]], signs: dict) -> None:
    """The OS from the paths, where no reader named one and the paste names no Mac (see the
    module doc); both Windows and Linux paths say nothing."""
    if facts.get("os") is not None:
        return
    windows, linux = signs.get("sign.windows_paths"), signs.get("sign.linux_paths")
    if bool(windows) == bool(linux):
        return
    mac = (
        facts.get("macos_version") is not None
        or str(facts.get("chip") or "").startswith("Apple")
        or facts.get("hardware_arm64") is not None
        or any(signs.get(s) for s in _MAC_SIGNS)
    )
    if mac:
        return
    found = windows or linux
    facts["os"] = found[0].value
    evidence["os"] = [c.line for c in found][:3]
