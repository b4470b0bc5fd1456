"""When a paste was written, and what PyTorch's release history says about that time (issue 12).

The rules know today's torch releases; a report was written when fewer existed. A paste shows
the earliest day it can have been written by what it names that had to exist already - every
sign here is a lower bound, never a guess at the day itself:

- an interpreter's build date in its banner / sys.version: "3.11.1 (main, Jan 24 2023, 17:36:15)"
  (collect_env's "Python version:", a REPL's first line);
- a torch nightly's date: "2.1.0.dev20230512" (the nightly of that day);
- the torch release the paste runs: the day its first macOS arm64 wheel reached PyPI;
- dates written out: log timestamps and ISO days ("2024-08-20 10:11:12"), "January 2, 2025",
  "Jan 2, 2025", "2 January 2025" (an issue form's "Originally posted ... on January 2, 2025");
- conda-build's work folder in torch's own warnings ("conda-bld/pytorch_1664521725947/": the
  build's start, in epoch milliseconds);
- the Python torch ran under (torch's files under python3.12/site-packages, or the paste's
  Python next to a message torch printed): the first torch release with a wheel for it existed;
- versions of pip, torchvision, torchaudio, transformers, diffusers, accelerate and numpy, and
  pip's upgrade notice ("A new release of pip is available: 23.2.1 -> 23.3.1": the newest pip).

Release days come from verify/data/torch_releases.json (`macos_arm64_uploaded`, PyPI's upload
time of each release's macOS arm64 wheels, per Python tag too: scripts/recipes/refresh_compat.py)
and verify/data/package_days.json (scripts/recipes/refresh_days.py), never typed in by hand.
Pure: text and facts in, data out. What the day decides is verify.diagnosis.diagnose's (the Python
too
new at the time, an op refusal from before or after its kernel's first release).
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

from packaging.version import Version

from verify import compat
from verify.diagnosis.paste.clues import finditer, line_at
from verify.facts import Facts

# dates older than this say nothing about MPS (torch 1.12, the first with MPS, is 2022-06-28);
# a day past the newest release read by more than a year is a typo or a deadline, not a date
_EARLIEST_YEAR = 2015
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# CPython's sys.version: "3.11.1 (main, Jan 24 2023, 17:36:15) [Clang ...]", "3.9.6 (default,
# Oct 18 2022, 12:41:40)", "3.10.13 | packaged by conda-forge | (main, Oct 26 2023, 18:09:17)"
_BUILT = re.compile(
    r"\([^,()\n]{0,60},\s*(?P<mon>[A-Z][a-z]{2})\s+(?P<day>\d{1,2})\s+(?P<year>\d{4}),\s*\d{1,2}:\d{2}"
)
_BUILT_VERSION = re.compile(r"\b3\.\d+\.\d+\S*\s+(?:\|[^|\n]*\|\s*)?$")  # just before the "("
# a nightly's (or a dev build's) date: "2.1.0.dev20230512", "2.3.0.dev20231220+cpu"
_NIGHTLY = re.compile(r"\b\d+\.\d+\.\d+\.dev(?P<year>20\d\d)(?P<month>\d\d)(?P<day>\d\d)\b")
_ISO = re.compile(r"(?<![\d.])(?P<year>20\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?![\d])")
# torch's own files under a Python's site-packages: ".../lib/python3.12/site-packages/torch/..."
_TORCH_UNDER = re.compile(r"python3\.(\d+)/site-packages/torch/")
# conda-build's work folder, named for the package and the build's start in epoch milliseconds:
# "(Triggered internally at /Users/runner/work/_temp/anaconda/conda-bld/pytorch_1664521725947/
# work/aten/src/ATen/mps/MPSFallback.mm:11.)" (pytorch/pytorch#77764, 2022-09-30)
_CONDA_BLD = re.compile(r"conda-bld/[\w.+-]+?_(\d{13})/")
# versions of the packages verify/data/package_days.json records (scripts/recipes/refresh_days.py),
# as pip and the tools print them: pip's upgrade notice names the newest pip of that day
# ("[notice] A new release of pip is available: 23.2.1 -> 23.3.1"; before pip 22.3: "You are
# using pip version 21.1.1; however, version 21.2.4 is available."), `pip 24.0 from ...`, a
# wheel's file name ("transformers-4.34.1-py3-none-any.whl"), a pin or a freeze line
# ("[pip3] numpy==1.26.4"), a tool's env dump ("- `transformers` version: 4.41.2",
# "- Accelerate version: 0.31.0")
PACKAGES_RESOURCE = "package_days.json"
_PKG = (
    r"(pip|torchvision|torchaudio|transformers|diffusers|accelerate|numpy"
    r"|Accelerate|Transformers|Diffusers|Numpy|NumPy)"
)
_VER = r"(\d+(?:\.\d+)+)"
_PIP_NOTICE = re.compile(
    rf"new release of pip(?: is)? available: \S+ -> {_VER}|"
    rf"You are using pip version \S+; however, version {_VER} is available"
)
_NAMED_VERSION = re.compile(
    rf"(?<![\w.-]){_PKG}(?:-{_VER}-(?:py|cp)\d|=={_VER}(?![\w.])|\s+{_VER}\s+from\s"
    rf"|`?\s+version:\s*{_VER}(?![\w.]))"
)
# a year, then what stands before it: "January 2, 2025", "Jan 2, 2025", "2 January 2025" (a
# sentence may end after it; "2025.1" is a version)
_YEAR = re.compile(r"(?<![\d.])20\d\d(?!\d|\.\d)")
_BEFORE_YEAR = re.compile(
    rf"(?:\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,\s*"
    rf"|\b(?P<day2>\d{{1,2}})\s+{_MONTH.replace('mon', 'mon2')}\s+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Written:
    """The paste was written on `after` or later: `line` shows it, `why` says how."""

    after: datetime.date
    line: str
    why: str


@dataclass(frozen=True)
class FirstWheel:
    """The first torch release with a macOS arm64 wheel for a Python X.Y, and its day."""

    python: str  # "3.11"
    release: Version
    day: datetime.date


def _date(year: str | int, month: str | int, day: str | int) -> datetime.date | None:
    try:
        found = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if found.year >= _EARLIEST_YEAR else None


def _signs(text: str) -> Iterator[Written]:
    for m in finditer(_BUILT, text, " 20"):
        if not _BUILT_VERSION.search(text, max(0, m.start() - 80), m.start()):
            continue
        month = _MONTHS.get(m.group("mon").lower())
        day = _date(m.group("year"), month, m.group("day")) if month else None
        if day is not None:
            yield Written(day, line_at(text, m.start()), "the Python interpreter was built then")
    for m in finditer(_NIGHTLY, text, ".dev20"):
        day = _date(m.group("year"), m.group("month"), m.group("day"))
        if day is not None:
            yield Written(day, line_at(text, m.start()), "a nightly build of that day")
    for m in finditer(_ISO, text, "-"):
        day = _date(m.group("year"), m.group("month"), m.group("day"))
        if day is not None:
            yield Written(day, line_at(text, m.start()), "a date written in the paste")
    for m in finditer(_CONDA_BLD, text, "conda-bld/"):
        stamp = datetime.datetime.fromtimestamp(int(m.group(1)) / 1000, tz=datetime.UTC)
        if stamp.year >= _EARLIEST_YEAR:
            yield Written(stamp.date(), line_at(text, m.start()), "a conda build of that day")
    yield from _package_signs(text)
    for m in finditer(_YEAR, text, "20"):
        before = _BEFORE_YEAR.search(text, max(0, m.start() - 20), m.start())
        if before is None:
            continue
        mon = (before.group("mon") or before.group("mon2") or "").lower()
        dd = before.group("day") or before.group("day2")
        day = _date(m.group(0), _MONTHS[mon], dd) if mon in _MONTHS else None
        if day is not None:
            yield Written(day, line_at(text, before.start()), "a date written in the paste")


@functools.cache
def package_days() -> Mapping[str, Mapping[str, datetime.date]]:
    """package -> version -> the day it reached PyPI (verify/data/package_days.json); empty when
    the file cannot be read."""
    try:
        text = resources.files("verify").joinpath("data", PACKAGES_RESOURCE).read_text("utf-8")
        data = json.loads(text)["packages"]
        return {
            name: {v: day for v, d in entry["days"].items() if (day := compat.parse_day(d))}
            for name, entry in data.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _package_signs(text: str) -> Iterator[Written]:
    days = package_days()
    for m in finditer(_PIP_NOTICE, text, "release of pip", "using pip version"):
        version = m.group(1) or m.group(2)
        day = days.get("pip", {}).get(version)
        if day is not None:
            yield Written(day, line_at(text, m.start()), f"pip {version} was the newest pip then")
    for m in finditer(_NAMED_VERSION, text):
        name = m.group(1).lower()
        version = next((g for g in m.groups()[1:] if g), "")
        day = days.get(name, {}).get(version)
        if day is not None:
            yield Written(day, line_at(text, m.start()), f"{name} {version} was released then")


def _from_torch(facts: Facts, lines: Iterable[str]) -> Written | None:
    """The release the paste runs existed: the day its macOS arm64 wheels reached PyPI (a
    nightly's own date is read from its version; a source build's is unknown)."""
    version = compat.parse_version(facts.torch_version)
    if version is None or version.is_prerelease or version.is_devrelease:
        return None
    release = compat.load_releases().get(version)
    if release is None or release.uploaded is None:
        return None
    line = next(iter(lines), f"torch {facts.torch_version}")
    return Written(release.uploaded, line, f"torch {release.version} was released then")


def _from_python(
    text: str, facts: Facts, python_lines: Iterable[str], torch_ran: bool
) -> Written | None:
    """torch imported under a macOS Python X.Y: a wheel for X.Y existed, so the paste is no older
    than the first torch release with a macOS arm64 wheel for it. Shown by a path of torch's own
    under python3.X/site-packages (a traceback frame, a warning), or by the paste's Python next
    to an MPS error that torch printed (`torch_ran`). (A conda-forge or source build can run a
    few weeks earlier than PyPI's first wheel; the day is the PyPI one.)"""
    if facts.os not in ("Darwin", None):
        return None
    found: list[tuple[str, str]] = []
    for m in finditer(_TORCH_UNDER, text, "/site-packages/torch"):
        found.append((f"3.{m.group(1)}", line_at(text, m.start())))
    if torch_ran and facts.python_version:
        found.append((str(facts.python_version), next(iter(python_lines), "")))
    best = None
    for python, line in found:
        first = first_wheel_for_python(python)
        if first is not None and (best is None or first.day > best.after):
            why = f"torch ran under Python {first.python}, first in wheels of {first.release}"
            best = Written(first.day, line or f"Python {python}", why)
    return best


def written_after(
    text: str,
    facts: Facts,
    torch_lines: Iterable[str] = (),
    today: datetime.date | None = None,
    *,
    python_lines: Iterable[str] = (),
    torch_ran: bool = False,
) -> Written | None:
    """The latest day the paste shows it was written on or after; None when it shows none.
    A day after `today` (default: the date now) is not a date the paste was written after.
    `torch_ran`: the paste holds a message torch printed (the Python shown ran it)."""
    limit = today or datetime.date.today()
    found = [w for w in _signs(text) if w.after <= limit]
    for sign in (
        _from_torch(facts, torch_lines),
        _from_python(text, facts, python_lines, torch_ran),
    ):
        if sign is not None:
            found.append(sign)
    return max(found, key=lambda w: w.after, default=None)


def first_wheel_for_python(python: str | None) -> FirstWheel | None:
    """The first release (of those read, 1.12 on) with a macOS arm64 wheel for this Python X.Y,
    and the day it was uploaded; None when the Python is unknown, has no wheel in any release
    read, or already had one in the first release read (when it began is not in the data)."""
    py = compat.release_of(python)
    return None if py is None else _first_wheel(py.major, py.minor)


@functools.cache
def _first_wheel(major: int, minor: int) -> FirstWheel | None:
    py = Version(f"{major}.{minor}")
    tag = f"cp{py.major}{py.minor}"
    table = compat.load_releases()
    ordered = sorted(table.releases.values(), key=lambda r: r.version)
    if not ordered or tag in ordered[0].python_tags:
        return None
    for release in ordered:
        day = release.uploaded_by_python.get(tag)
        if day is not None:
            return FirstWheel(f"{py.major}.{py.minor}", release.version, day)
    return None


def first_release_day(release: Version | str) -> datetime.date | None:
    """The day the first macOS arm64 wheel of a release's minor line reached PyPI: "2.4.1" ->
    2.4.0's day (operators and Python versions come with a minor release; verify.diagnosis.opsupport
    names the line, "2.4", the same way)."""
    v = compat.release_of(release)
    if v is None:
        return None
    line = (v.major, v.minor)
    days = [
        r.uploaded
        for r in compat.load_releases().releases.values()
        if r.uploaded is not None and (r.version.major, r.version.minor) == line
    ]
    return min(days, default=None)
