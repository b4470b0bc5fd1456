"""A wheel pip refuses: what its tags say about the interpreter that refused it (issue 12).

pip's "ERROR: <file>.whl is not a supported wheel on this platform." (pip/_internal/req/
req_install.py) names a wheel none of whose tags the interpreter supports
(packaging.tags.sys_tags). The file name carries the tags (PEP 427: name-version-python-abi-
platform.whl), so the refusal tells what the interpreter is not:

- a wheel for another OS handed to pip on a Mac: "torch-1.11.0+cu113-cp37-cp37m-linux_x86_64.whl
  is not a supported wheel on this platform" (grenlayk/deep-text-edit#34, a requirements file's
  Linux CUDA wheel on an M1 Mac) - a pin for Linux / Windows, which no Mac can install;
- a macOS wheel for another CPython: "torch-0.3.0.post4-cp35-cp35m-macosx_10_6_x86_64.whl is not
  a supported wheel on this platform" on Python 3.6 (pytorch/pytorch#4802, on an Intel MacBook
  Pro) - the wheel's Python is not the interpreter's.

-> sign.wheel_refused: (package, version, CPython X.Y of the wheel or "", the wheel's OS: "linux",
"windows" or "macos", its platform tag). verify.diagnosis.install_rows weighs it against the
paste's OS and Python (verify.diagnosis.paste.packages reads the macOS wheel's architecture).
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import LISTED, Clue, clue, finditer

REFUSED = re.compile(
    r"(?<![\w.+-])(torch|torchvision|torchaudio)-(\d[\w.+!]*)-(cp3\d{1,2}|py3|py2\.py3)-"
    r"[\w]+-([\w.]+?)\.whl[ \t]+is[ \t]+not[ \t]+a[ \t]+supported[ \t]+wheel"
)
_CP = re.compile(r"^cp3(\d{1,2})$")


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(REFUSED, text, "not a supported wheel"):
        package, version, python_tag, platform = m.groups()
        cp = _CP.match(python_tag)
        python = f"3.{cp.group(1)}" if cp else ""
        value = (package, version, python, _os_of(platform), platform)
        out.append(clue("sign.wheel_refused", value, text, m, LISTED))
    return out


def _os_of(platform: str) -> str:
    if platform.startswith(("linux", "manylinux", "musllinux")):
        return "linux"
    if platform.startswith("win"):
        return "windows"
    if platform.startswith("macosx"):
        return "macos"
    return ""
