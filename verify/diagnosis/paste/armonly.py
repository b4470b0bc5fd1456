"""pip finding nothing for a package whose macOS builds are all arm64 ones (issue 12).

MLX publishes its macOS wheels for Apple silicon only: every macOS file of every mlx and
mlx-metal release on PyPI is a `macosx_*_arm64` wheel (tags 13_0 to 26_0), with no source
distribution and no x86_64 or universal2 wheel (https://pypi.org/pypi/mlx/json and
https://pypi.org/pypi/mlx-metal/json, read 2026-12-01: 755 macOS wheels of mlx); which packages
are so is read from PyPI with the rest of verify/data/mac_wheels.json (verify.mac_wheels
.arm64_only: mlx, mlx-metal, mediapipe-silicon, coreai-core, onnxruntime-silicon on
2026-12-01). On an Apple chip whose macOS is 13 or newer, a native arm64 Python finds them; pip
finding none at all is an x86_64 Python under Rosetta, whose tags are macosx_*_x86_64
(mflux-community/mflux#23 and #44, ml-explore/mlx#105: each an M-series Mac, each thread found
an x86_64 Python). What the paste shows of it:

- pip: "Could not find a version that satisfies the requirement mlx (from versions: none)",
  read by verify.diagnosis.paste.gpuonly for any package (sign.no_release_here; not where pip
  reached no index);
- pip's resolver: "The conflict is caused by:" / "mflux 0.2.0 depends on mlx>=0.16.0" ending in
  ResolutionImpossible, no mlx requested by the user: no mlx release fits this interpreter
  -> sign.arm64_only_missed (a NoRelease, as .gpuonly's), read here.

verify.diagnosis.paste reads either, for a package of arm64_only (`missed`), as an x86_64
interpreter where an Apple chip is named and no macOS below that floor is shown
(linyiLYi/bilibot#21, the same words with no Mac named, was a macOS too old for MLX).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from packaging.utils import canonicalize_name
from packaging.version import Version

from verify import mac_wheels
from verify.diagnosis.paste.clues import LISTED, Clue, clue, finditer
from verify.diagnosis.paste.gpuonly import NoRelease, pinned_release

# "mflux 0.2.0 depends on mlx>=0.16.0": a requirement of the resolver's conflict
DEPENDS = re.compile(
    r"^[ \t]*[\w.-]+ [\w.!+-]+ depends on ([A-Za-z0-9][\w.-]*?)((?:[<>=!~]=?[\w.*+]+,?)*)"
    r"(?:;[^\n]*)?[ \t]*$",
    re.MULTILINE,
)
_GAVE_UP = re.compile(r"ResolutionImpossible|conflicting dependencies")


def read(text: str) -> list[Clue]:
    if not _GAVE_UP.search(text):
        return []
    only = mac_wheels.arm64_only()
    for m in finditer(DEPENDS, text, " depends on "):
        name = canonicalize_name(m.group(1))
        if name in only and f"The user requested {m.group(1)}" not in text:
            value = NoRelease(m.group(1), m.group(1) + m.group(2))
            return [clue("sign.arm64_only_missed", value, text, m, LISTED)]
    return []


# what says pip found nothing of a package: its resolver giving up (read here), its "from
# versions: none" (.gpuonly)
REFUSALS = ("sign.arm64_only_missed", "sign.no_release_here")


def python_explains(refusal: NoRelease, python: str | None) -> bool:
    """Does the Python shown explain pip's "none" as well: the release pinned has arm64 wheels,
    none for this Python? Then no x86_64 interpreter is needed to explain it
    (hacksider/Deep-Live-Cam#305: onnxruntime-silicon==1.13.1, whose wheels are cp38-cp310,
    under Python 3.11). Nothing pinned says nothing: which releases pip saw depends on the day
    (mflux-community/mflux#23: mlx under Python 3.12.5, which mlx's wheels served by then)."""
    pinned = pinned_release(refusal.requirement)
    if not python or pinned is None:
        return False
    return mac_wheels.release_left_out(refusal.name, pinned, python, "arm64") is not None


def missed(signs: Mapping[str, Sequence[Clue]]) -> tuple[Clue, Version] | None:
    """The first refusal of a package whose Mac wheels are all arm64 ones, with the lowest
    macOS they are tagged for; None where no refusal names one."""
    only = mac_wheels.arm64_only()
    for sign in REFUSALS:
        for c in signs.get(sign) or []:
            name = canonicalize_name(c.value.name)
            if name in only:
                return c, only[name]
    return None
