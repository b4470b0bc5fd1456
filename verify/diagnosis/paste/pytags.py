"""An installer saying a release has no wheel for this Python's tag, for any package (issue 12).

uv names the interpreter's Python tag and the tags the release does have wheels for; when its
tag is not among them, no build of that release fits this Python (too new for it, or a
free-threaded-only build), whatever the platform:

- install time (uv's `uv sync` / `uv pip install`, crates/uv-installer): "hint: You're using
  CPython 3.14 (`cp314`), but `torchvision` (v0.25.0) only has wheels with the following Python
  ABI tag: `cp314t`" (pytorch/pytorch#172993; goodfire-ai/spd#34 for torchvision 0.20.0 on
  cp313; jaredpalmer/kev#34 for torch 2.8.0 on cp314);
- resolve time (crates/uv-resolver/src/pubgrub/report.rs): "hint: You require CPython 3.11
  (`cp311`), but we only found wheels for `torchvision` (v0.14.1) with the following Python ABI
  tags: `cp37m`, `cp38`, `cp39`, `cp310`" (fedbiomed/fedbiomed#1451, meta-pytorch/torchcodec#1022),
  after "torchvision>=0.14.0,<=0.14.1 has no wheels with a matching Python ABI tag (e.g.,
  `cp311`)";
- uv before 0.6 (astral-sh/uv#13262's era): "... has no wheels with a matching Python version
  tag (e.g., `cp313`)" then "hint: Wheels are available for `tensorflow` (v2.19.0) with the
  following Python ABI tags: ...".

Poetry (src/poetry/installation/chooser.py, _no_links_found_error) counts what it skipped:
"Unable to find installation candidates for torch (2.5.1)" ... "- 17 candidate(s) were identified
for the package" / "- 17 wheel(s) were skipped as your project's environment does not support the
identified abi tags" (mindverse/Second-Me#32): every file of the release is a wheel none of whose
tags this environment supports -> sign.every_wheel_skipped ("torch==2.5.1");
verify.diagnosis.resolver
reasons from it which platform that leaves.

uv wraps these at the terminal's width and a paste may lose its backticks, so any whitespace
stands between the words and the backticks are optional. Each gives sign.no_wheel_for_python:
(package, release, the interpreter's tag, the tags the release has); "You're using" also gives
the interpreter's Python X.Y (uv's own words about the running interpreter), "You require" only
the version a resolution asked for (a project's requires-python), which is not a fact of the
interpreter.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import LISTED, Clue, clue, finditer

_TAGS = r"((?:`?[\w.]+`?(?:,\s+)?)+)"
_PKG = r"`?([A-Za-z0-9][\w.-]*)`?\s+\(v([\w.+!-]+)\)"
# "You're using CPython 3.14 (`cp314`), but `torchvision` (v0.25.0) only has wheels with the
# following Python ABI tag: `cp314t`"
USING = re.compile(
    r"You're\s+using\s+(CPython|PyPy|GraalPy)\s+(3\.\d{1,2})\s+\(`?(\w+)`?\),\s+but\s+"
    + _PKG
    + r"\s+only\s+has\s+wheels\s+with\s+the\s+following\s+Python\s+(?:ABI|implementation)\s+"
    r"tags?:\s+" + _TAGS
)
# "You require CPython 3.11 (`cp311`), but we only found wheels for `torchvision` (v0.14.1) with
# the following Python ABI tags: `cp37m`, `cp38`, `cp39`, `cp310`"
REQUIRE = re.compile(
    r"You\s+require\s+(CPython|PyPy|GraalPy)\s+(3\.\d{1,2})\s+\(`?(\w+)`?\),\s+but\s+we\s+only\s+"
    r"found\s+wheels\s+for\s+" + _PKG + r"\s+with\s+the\s+following\s+Python\s+"
    r"(?:ABI|implementation)\s+tags?:\s+" + _TAGS
)
# uv < 0.6: "tensorflow has no wheels with a matching Python version tag (e.g., `cp313`)" ...
# "hint: Wheels are available for `tensorflow` (v2.19.0) with the following Python ABI tags:"
OLD_NO_TAG = re.compile(
    r"\b([A-Za-z0-9][\w.-]*)\S*\s+has\s+no\s+wheels\s+with\s+a\s+matching\s+Python\s+"
    r"(?:ABI|version)\s+tag\s+\(e\.g\.,?\s+`?(cp3\d{1,2}t?)`?\)"
)
OLD_AVAILABLE = re.compile(
    r"Wheels\s+are\s+available\s+for\s+" + _PKG + r"\s+with\s+the\s+following\s+Python\s+"
    r"(?:ABI|implementation)\s+tags?:\s+" + _TAGS
)
POETRY_NONE_FIT = re.compile(
    r"Unable to find installation candidates for ([A-Za-z0-9][\w.-]*) \(([\w.+!-]+)\)"
    r"(?:\n[^\n]*){0,8}?\n[^\n]*?-[ \t]+(\d+) candidate\(s\) were identified for the package"
    r"(?:[ \t]*\n[^\n]*?){1,3}?-[ \t]+(\d+) wheel\(s\) were skipped as your project's\s+"
    # (a window may wrap the long line: any whitespace between its last words)
    r"environment\s+does\s+not\s+support\s+the\s+identified\s+abi\s+tags"
)
_CP = re.compile(r"^cp3(\d{1,2})$")
# pip's resolver (logged just before "Could not find a version that satisfies the
# requirement": "Ignored the following versions that require a different python version: 0.0.13
# Requires-Python <=3.11,>=3.8; ...") lists the releases it skipped for their Requires-Python,
# without their package's name; the exact release then asked for and refused names it
# (Vaibhavs10/insanely-fast-whisper#182: insanely-fast-whisper==0.0.13 under pipx's newer Python)
PIP_IGNORED = re.compile(
    r"Ignored the following versions that require a different python version: ([^\n]+)"
)
_IGNORED_ONE = re.compile(r"([\w.+!-]+) Requires-Python ([^;\n]+)")
PIP_NOT_FOUND = re.compile(
    r"No matching distribution found for ([A-Za-z0-9][\w.-]*)(?:\[[\w,.-]+\])?==([\w.+!-]+)"
)
# pip refusing the one candidate it has, for the interpreter's Python (src/pip/_internal/
# resolution/resolvelib/factory.py: "Package {name!r} requires a different Python: {version} not
# in {specifier!r}"; invoke-ai/InvokeAI#3003: 'invokeai' and 3.11.0 not in '<3.11,>=3.9'), and its
# verbose "Link requires a different Python (3.13.1 not in: '<3.13,>=3.9')" (astral-sh/uv#10916)
PIP_DIFFERENT_PYTHON = re.compile(
    r"Package\s+'([A-Za-z0-9][\w.-]*)'\s+requires\s+a\s+different\s+Python:\s+"
    r"(3\.\d{1,2}(?:\.\d+)?)\S*\s+not\s+in\s+'([^'\n]+)'|"
    r"Link requires a different Python \((3\.\d{1,2}(?:\.\d+)?)\S* not in: '([^'\n]+)'\)"
)
# a source build's own guard, numba's and llvmlite's setup.py _guard_py_ver: "RuntimeError: Cannot
# install on Python version 3.11.3; only versions >=3.7,<3.11 are supported." (ggml-org/
# whisper.cpp#793: numba 0.56.4 built from its sdist for openai-whisper), the package named by
# pip's "Collecting numba" before it
GUARD_PY_VER = re.compile(
    r"Cannot install on Python version (3\.\d{1,2}(?:\.\d+)?)\S*; only versions ([^\s;]+) are "
    r"supported"
)
# pip's "Collecting numba" (or "Collecting numpy==1.21.0"): the package it goes on to build
COLLECTING = re.compile(r"^\s*Collecting ([A-Za-z0-9][\w.-]*)(==[\w.+!-]+)?", re.MULTILINE)
# uv's resolver (crates/uv-resolver/src/pubgrub/report.rs), wrapped at the terminal's width:
# "Because the current Python version (3.8.10) does not satisfy Python>=3.10 and all versions of
# cbdep depend on Python>=3.10" (astral-sh/uv#10282): the interpreter's Python is outside what
# every usable release supports. ("the requested Python version (>=3.8)" is a project's
# requires-python, not the interpreter: astral-sh/uv#12771.)
UV_CURRENT_PYTHON = re.compile(
    r"the\s+current\s+Python\s+version\s+\((3\.\d{1,2}(?:\.\d+)?)\S*\)\s+does\s+not\s+"
    r"satisfy\s+Python\s*([<>=!~][^\s]*?)\s+and\s+(?:all\s+versions\s+of\s+)?"
    r"([A-Za-z0-9][\w.-]*)"
)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(USING, text, "You're"):
        out.extend(_refused((m.group(4), m.group(5), m.group(3)), m.group(6), text, m))
        if m.group(1) == "CPython":
            out.append(clue("python_version", m.group(2), text, m, LISTED))
    for m in finditer(REQUIRE, text, "You require"):
        out.extend(_refused((m.group(4), m.group(5), m.group(3)), m.group(6), text, m))
    for m in finditer(OLD_AVAILABLE, text, "Wheels are available"):
        before = [o for o in OLD_NO_TAG.finditer(text, 0, m.start()) if o.group(1) == m.group(1)]
        if before:
            tag = before[-1].group(2)
            out.extend(_refused((m.group(1), m.group(2), tag), m.group(3), text, m))
    ignored = next(finditer(PIP_IGNORED, text, "require a different python version"), None)
    if ignored is not None:
        # the run filtered releases by the interpreter's Python (whatever it refused in the end)
        out.append(clue("sign.python_filtered", ignored.group(1)[:120], text, ignored, LISTED))
        out.extend(_requires_other_python(text, ignored))
    out.extend(_different_python(text))
    for m in finditer(POETRY_NONE_FIT, text, "installation candidates"):
        if m.group(3) == m.group(4):  # no sdist, no other skip: no file fits at all
            wanted = f"{m.group(1)}=={m.group(2)}"
            out.append(clue("sign.every_wheel_skipped", wanted, text, m, LISTED))
    return out


def _requires_other_python(text: str, ignored: re.Match[str]) -> list[Clue]:
    """Given pip's first list of releases skipped for their Requires-Python, the first exact pin
    refused whose release is in it: the Requires-Python line and the refusal, as two clues."""
    skipped = {v: spec.strip() for v, spec in _IGNORED_ONE.findall(ignored.group(1))}
    for asked in finditer(PIP_NOT_FOUND, text, "No matching distribution"):
        package, release = asked.group(1), asked.group(2)
        if release in skipped:
            wanted = (package, release, skipped[release], None)
            return [
                clue("sign.requires_other_python", wanted, text, ignored, LISTED),
                clue("sign.requires_other_python", wanted, text, asked, LISTED),
            ]
    return []


def _different_python(text: str) -> list[Clue]:
    """pip's or uv's refusal of a package for the interpreter's Python: sign.requires_other_python
    (package, release (None: not named), the Requires-Python, the Python the line names) and the
    interpreter's Python."""
    out = []
    for m in finditer(PIP_DIFFERENT_PYTHON, text, "requires a different Python"):
        python, spec = (m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5))
        package = m.group(1) or "a release pip found"
        wanted = (package, None, spec, python)
        out.append(clue("sign.requires_other_python", wanted, text, m, LISTED))
        out.append(clue("python_version", python, text, m, LISTED))
    for m in finditer(GUARD_PY_VER, text, "Cannot install on Python version"):
        collecting = list(COLLECTING.finditer(text, 0, m.start()))
        package = collecting[-1].group(1) if collecting else "a package pip built from source"
        spec = m.group(2).rstrip(".")
        wanted = (package, None, spec, m.group(1))
        out.append(clue("sign.requires_other_python", wanted, text, m, LISTED))
        out.append(clue("python_version", m.group(1), text, m, LISTED))
    for m in finditer(UV_CURRENT_PYTHON, text, "current Python version"):
        spec = m.group(2).rstrip(",.")
        wanted = (m.group(3), None, spec, m.group(1))
        out.append(clue("sign.requires_other_python", wanted, text, m, LISTED))
        out.append(clue("python_version", m.group(1), text, m, LISTED))
    return out


def _refused(refused: tuple[str, str, str], listed: str, text: str, m: re.Match[str]) -> list[Clue]:
    """(package, release, interpreter's tag) and the tags listed: a clue when the tag is not
    among them."""
    package, release, tag = refused
    tags = tuple(t.strip().strip("`") for t in listed.split(",") if t.strip().strip("`"))
    if not tags or tag in tags or "abi3" in tags:
        return []
    return [clue("sign.no_wheel_for_python", (package, release, tag, tags), text, m, LISTED)]


def python_of(tag: str) -> str | None:
    """cp314 -> "3.14"; None for another implementation's or a free-threaded tag."""
    m = _CP.match(tag)
    return f"3.{m.group(1)}" if m else None
