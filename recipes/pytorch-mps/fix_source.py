"""Our fixes to the pytorch release source for osx-arm64 builds, applied before CMake runs.

    python fix_source.py SOURCE_DIR

Each fix names the file, what it changes and why, finds its place by a pattern, and is
idempotent (already applied: left alone). A file or pattern that is not there stops the build
at once with one line, instead of an error hours into the compile: a new torch release that
moved things must be looked at, not guessed at.

The problems are documented by conda-forge's pytorch-cpu-feedstock (commit
74dd3d46ff0c3d05053197961386b5a2018cf3d1, recipe/meta.yaml and recipe/patches/); the fixes
here are written for this recipe.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class FixError(Exception):
    """A fix cannot be applied: one line."""


@dataclass(frozen=True)
class Fix:
    path: str  # relative to the source root
    why: str
    apply: Callable[[str], str]  # old text -> new text (unchanged when already applied)


# -------------------------------------------------------------- c10d control plane headers

HANDLERS = "torch/csrc/distributed/c10d/control_plane/Handlers.hpp"
_STD_INCLUDE = re.compile(r"^#include <[a-z_]+>[ \t]*$", re.MULTILINE)  # <map>, not <c10/...>


def add_std_includes(text: str, headers: tuple[str, ...] = ("unordered_map", "vector")) -> str:
    """Add ``#include <h>`` for each missing standard header after the last standard one."""
    missing = [h for h in headers if not re.search(rf"^#include <{h}>", text, re.MULTILINE)]
    if not missing:
        return text
    matches = list(_STD_INCLUDE.finditer(text))
    if not matches:
        raise FixError("no standard `#include <...>` line to add the missing headers after")
    added = "".join(f"\n#include <{h}>" for h in missing)
    end = matches[-1].end()
    return text[:end] + added + text[end:]


# -------------------------------------------------------------- OpenBLAS through conda's BLAS

FIND_OPENBLAS = "cmake/Modules/FindOpenBLAS.cmake"
_FIND_LIB = re.compile(
    r"^[ \t]*FIND_LIBRARY\(\s*OpenBLAS_LIB\s+NAMES\s+\$\{Open_BLAS_LIB_NAME\}\s+"
    r"PATHS\s+\$\{Open_BLAS_LIB_SEARCH_PATHS\}\s*\)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_MARK = "# torch-mps-kit: BLAS through conda-forge's libblas/libcblas/liblapack"
_CONDA_BLAS = f"""{_MARK}
# (the switchable BLAS packages, not libopenblas itself); missing ones stop CMake.
SET(OpenBLAS_LIB "")
FOREACH(_tmk_blas lapack cblas blas)
  FIND_LIBRARY(_TMK_LIB_${{_tmk_blas}} NAMES ${{_tmk_blas}}
               PATHS ${{Open_BLAS_LIB_SEARCH_PATHS}} NO_DEFAULT_PATH)
  IF(NOT _TMK_LIB_${{_tmk_blas}})
    MESSAGE(FATAL_ERROR "lib${{_tmk_blas}} not found in ${{Open_BLAS_LIB_SEARCH_PATHS}}: add "
                        "libblas, libcblas and liblapack to the host requirements")
  ENDIF()
  LIST(APPEND OpenBLAS_LIB ${{_TMK_LIB_${{_tmk_blas}}}})
ENDFOREACH()"""


def link_conda_blas(text: str) -> str:
    """Make FindOpenBLAS link lapack, cblas and blas instead of one library named openblas."""
    if _MARK in text:
        return text
    new, count = _FIND_LIB.subn(lambda _m: _CONDA_BLAS, text)
    if count != 1:
        raise FixError(
            "the `FIND_LIBRARY(OpenBLAS_LIB NAMES ${Open_BLAS_LIB_NAME} ...)` line is not there "
            f"(found {count})"
        )
    return new


FIXES = (
    Fix(
        HANDLERS,
        "Handlers.hpp uses std::unordered_map and std::vector without including them; other "
        "platforms get them transitively, osx-arm64 with USE_DISTRIBUTED=1 fails to compile "
        "(feedstock patch 0019)",
        add_std_includes,
    ),
    Fix(
        FIND_OPENBLAS,
        "upstream's FindOpenBLAS looks for one library named openblas; conda-forge's BLAS is "
        "libblas + libcblas + liblapack, switchable at install time (feedstock patch 0005)",
        link_conda_blas,
    ),
)


def apply_all(root: Path, fixes: tuple[Fix, ...] = FIXES) -> list[str]:
    """Apply every fix under ``root``; the lines say what each did. Raises FixError."""
    lines = []
    for fix in fixes:
        path = root / fix.path
        try:
            old = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise FixError(f"{fix.path}: cannot read ({exc.strerror or exc})") from None
        try:
            new = fix.apply(old)
        except FixError as exc:
            raise FixError(f"{fix.path}: {exc}; the source changed, review this fix") from None
        if new == old:
            lines.append(f"already fixed: {fix.path}")
            continue
        path.write_text(new, encoding="utf-8")
        lines.append(f"fixed {fix.path}: {fix.why}")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: fix_source.py SOURCE_DIR", file=sys.stderr)
        return 2
    try:
        lines = apply_all(Path(args[0]))
    except FixError as exc:
        print(f"fix_source error: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(f"fix_source: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
