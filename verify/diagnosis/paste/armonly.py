"""pip finding nothing for a package whose macOS builds are all arm64 ones (issue 12).

MLX publishes its macOS wheels for Apple silicon only: every macOS file of every mlx and
mlx-metal release on PyPI is a `macosx_*_arm64` wheel (tags 13_0 to 26_0), with no source
distribution and no x86_64 or universal2 wheel (https://pypi.org/pypi/mlx/json and
https://pypi.org/pypi/mlx-metal/json, read 2026-12-01: 755 macOS wheels of mlx). On an Apple
chip whose macOS is 13 or newer, a native arm64 Python finds them; pip finding none at all is an
x86_64 Python under Rosetta, whose tags are macosx_*_x86_64 (mflux-community/mflux#23 and #44,
ml-explore/mlx#105: each an M-series Mac, each thread found an x86_64 Python). What the paste
shows of it:

- pip: "Could not find a version that satisfies the requirement mlx (from versions: none)",
  read by verify.diagnosis.paste.gpuonly for any package (sign.no_release_here; not where pip
  reached no index);
- pip's resolver: "The conflict is caused by:" / "mflux 0.2.0 depends on mlx>=0.16.0" ending in
  ResolutionImpossible, no mlx requested by the user: no mlx release fits this interpreter
  -> sign.arm64_only_missed (a NoRelease, as .gpuonly's), read here.

verify.diagnosis.paste reads either, for a package of ARM64_ONLY (`floor`), as an x86_64
interpreter where an Apple chip is named and no macOS below that floor is shown
(linyiLYi/bilibot#21, the same words with no Mac named, was a macOS too old for MLX).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from packaging.utils import canonicalize_name

from verify.diagnosis.paste.clues import LISTED, Clue, clue, finditer
from verify.diagnosis.paste.gpuonly import NoRelease

# package -> the lowest macOS its arm64 wheels are tagged for (PyPI, read 2026-12-01)
ARM64_ONLY = {"mlx": "13.0", "mlx-metal": "13.0"}
_NAMES = "|".join(sorted(ARM64_ONLY, key=len, reverse=True))
DEPENDS = re.compile(
    rf"^[ \t]*[\w.-]+ [\w.!+-]+ depends on ({_NAMES})(?![\w-])([^\s]*)[^\n]*$", re.MULTILINE
)
_GAVE_UP = re.compile(r"ResolutionImpossible|conflicting dependencies")


def read(text: str) -> list[Clue]:
    if _GAVE_UP.search(text) and "The user requested mlx" not in text:
        for m in finditer(DEPENDS, text, "depends on mlx"):
            value = NoRelease(m.group(1), m.group(1) + m.group(2))
            return [clue("sign.arm64_only_missed", value, text, m, LISTED)]
    return []


def floor(names: Iterable[str]) -> str | None:
    """The lowest macOS of the first package named that has arm64-only Mac wheels; None when
    none of them has."""
    return next((ARM64_ONLY[n] for n in map(canonicalize_name, names) if n in ARM64_ONLY), None)
