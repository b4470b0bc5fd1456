"""A Python too new for the code it runs: the standard-library module it imports is gone, or the
code's own guard refuses the version (issue 12).

Python removes what it deprecated, and a package release from before the removal breaks on the
new Python, most often while pip builds it from source because that release has no wheel for the
new Python either (an old pin: numpy==1.21.0 under 3.12). What the paste shows, and what it means
(https://docs.python.org/3/whatsnew/3.12.html, .../3.13.html):

- "ModuleNotFoundError: No module named 'distutils'": distutils was removed in Python 3.12
  (PEP 632; https://docs.python.org/3/library/distutils.html) - setuptools before 60 and numpy's
  old builds import it (bibliophileaditya/Drone-navigation-DDPG#1: numpy==1.21.0's build under
  Python 3.12.3 on a Mac);
- "No module named 'imp'": imp, removed in Python 3.12 (apple/coremltools#2129: coremltools 7.1's
  sdist under Python 3.12, no wheel for it);
- "module 'pkgutil' has no attribute 'ImpImporter'": removed in Python 3.12 with imp, used by
  pkg_resources of old setuptools (Aider-AI/aider#2513: numpy==1.24.3's build under 3.13.0;
  numpy/numpy#29345, python/cpython#111822);
- "No module named 'audioop'" (or 'aifc', 'cgi', 'imghdr', 'pipes', 'telnetlib', 'lib2to3', ...):
  removed in Python 3.13 (PEP 594);
- "ValueError: mutable default <class 'fairseq.dataclass.configs.CommonConfig'> for field common
  is not allowed: use default_factory": from Python 3.11 dataclasses refuse any unhashable field
  default, not only a list, dict or set (https://docs.python.org/3/whatsnew/3.11.html#dataclasses);
  fairseq's and other older configs meet it (RVC-Project/Retrieval-based-Voice-Conversion-WebUI
  #1767 on a Mac M2, fixed with a Python 3.10 environment). A list, dict or set default is refused
  by every Python: not this;
- the code's own refusal: "Exception: Python 3.13.0 (main, ...) is not supported."
  (HeliXonProtein/OmegaFold#77: its setup.py maps known Pythons to torch wheel URLs), "Python
  version 3.13 is not supported", "Unsupported Python version 3.13", "Incompatible Python
  version: 3.12.2 required 3.[9, 10, 11]" (SD.Next's launcher).

A Python shown older than the removal is another story (Debian's Python 3.11 ships distutils as a
separate package), so the reading gives way to it; the finding is host.python's
(verify.diagnosis.install_rows).
-> sign.python_removed: PythonRemoved (what is gone or refused, the first Python without it, the
package being built where pip's "Collecting" names it) and, for a refusal, the Python it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verify.diagnosis.paste.clues import LISTED, Clue, clue, finditer
from verify.diagnosis.paste.pytags import COLLECTING

# what each removal took away, and the first Python without it
REMOVED_IN = {
    "distutils": "3.12",
    "imp": "3.12",
    "pkgutil.ImpImporter": "3.12",
    **dict.fromkeys(
        (
            "aifc",
            "audioop",
            "cgi",
            "cgitb",
            "chunk",
            "crypt",
            "imghdr",
            "lib2to3",
            "mailcap",
            "msilib",
            "nis",
            "nntplib",
            "ossaudiodev",
            "pipes",
            "sndhdr",
            "spwd",
            "sunau",
            "telnetlib",
            "uu",
            "xdrlib",
        ),
        "3.13",
    ),
}
_MODULES = "|".join(sorted((m for m in REMOVED_IN if "." not in m), key=len, reverse=True))
NO_MODULE = re.compile(
    rf"(?:ModuleNotFoundError|ImportError):[ \t]*No module named[ \t]+'?({_MODULES})(?:\.\w+)*'?"
    r"(?![\w.])"
)
IMP_IMPORTER = re.compile(r"module 'pkgutil' has no attribute 'ImpImporter'")
# dataclasses' field check (Lib/dataclasses.py, _process_class / _get_field): from 3.11 any
# unhashable default; before, only these three types
DATACLASS_DEFAULT = re.compile(
    r"mutable default <class '(?!(?:list|dict|set)')[\w.]+'> for field \w+ is not allowed: "
    r"use default_factory"
)
# what pyremoved calls the 3.11 check (PythonRemoved.what)
DATACLASS_CHECK = "dataclasses' unhashable-default check"
# a setup script's or a program's own guard on the interpreter's version; a launcher's words
# need no exception before them, as a log's prefix may be cut (verify.diagnosis.paste.logprefix):
# SD.Next's "ERROR    Incompatible Python version: 3.12.2 required 3.[9, 10, 11]"
# (vladmandic/sdnext#3113 on an M3), read only where the Python is past every one it names
REFUSED = re.compile(
    r"\b(?:Exception|\w*Error|SystemExit)\b:?[ \t]*Python[ \t]+(?:version[ \t]+)?"
    r"(3\.\d{1,2}(?:\.\d+)?)\b[^\n]{0,120}?[ \t]is[ \t]+not[ \t]+supported\b|"
    r"\b(?:Unsupported|Incompatible)[ \t]+Python[ \t]+version:?[ \t]+(3\.\d{1,2}(?:\.\d+)?)\b"
    r"(?:[ \t]+required[ \t]+3\.\[([\d, ]+)\])?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PythonRemoved:
    """What the new Python no longer has (or the code's guard refusing it)."""

    what: str  # "distutils", "pkgutil.ImpImporter", DATACLASS_CHECK, or "" for a refusal
    since: str  # the first Python without it ("3.12"), or the Python X.Y refused
    package: str  # the requirement pip was collecting before it ("numpy==1.21.0"), or ""


def read(text: str) -> list[Clue]:
    for m in finditer(NO_MODULE, text, "No module named"):
        return [_clue(m.group(1), REMOVED_IN[m.group(1)], text, m)]
    for m in finditer(IMP_IMPORTER, text, "ImpImporter"):
        return [_clue("pkgutil.ImpImporter", "3.12", text, m)]
    for m in finditer(DATACLASS_DEFAULT, text, "use default_factory"):
        return [_clue(DATACLASS_CHECK, "3.11", text, m)]
    for m in finditer(REFUSED, text, "supported", "ncompatible"):
        python = m.group(1) or m.group(2)
        minor = int(python.split(".")[1])
        if m.group(3) and not all(minor > int(n) for n in m.group(3).split(",") if n.strip()):
            continue  # a Python older than it asks for (or among them): not too new
        since = ".".join(python.split(".")[:2])
        return [_clue("", since, text, m), clue("python_version", python, text, m, LISTED)]
    return []


def _clue(what: str, since: str, text: str, m: re.Match[str]) -> Clue:
    collecting = list(COLLECTING.finditer(text, 0, m.start()))
    last = collecting[-1] if collecting else None
    package = last.group(1) + (last.group(2) or "") if last else ""
    return clue("sign.python_removed", PythonRemoved(what, since, package), text, m, LISTED)
