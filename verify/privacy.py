"""No personal data in what we write: the user's home folder becomes "~".

Paths gathered on the host (the interpreter, conda prefix, VIRTUAL_ENV, torch's folder, an import
error naming a library) usually sit under the home folder, whose name is the login name
(/Users/<name>/miniforge3/bin/python). Facts keep the real paths (rules may read them); every
renderer writes them through `scrub`, so reports, facts JSON, JUnit and console show
~/miniforge3/bin/python instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

HOME_MARK = "~"


def home_folders(home: str | None = None) -> tuple[str, ...]:
    """The home folder as given ($HOME) and as resolved (macOS: /var -> /private/var), longest
    first; none when there is no usable home (unset, or the root folder)."""
    home = os.path.expanduser("~") if home is None else home
    found = {p.rstrip("/\\") for p in (home, os.path.realpath(home)) if p}
    return tuple(sorted((p for p in found if len(p) > 1), key=len, reverse=True))


@lru_cache(maxsize=8)
def _pattern(homes: tuple[str, ...]) -> re.Pattern[str] | None:
    if not homes:
        return None
    # the home folder itself, not a longer name starting with it (/Users/al vs /Users/alice)
    alternatives = "|".join(re.escape(h) for h in homes)
    return re.compile(rf"(?:{alternatives})(?![\w.-])")


def scrub(value: Any, home: str | None = None) -> Any:
    """`value` (a string, or dicts / lists / tuples of them) with the home folder written "~".
    Other values come back unchanged."""
    pattern = _pattern(home_folders(home))
    if pattern is None:
        return value
    return _scrub(value, pattern)


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(HOME_MARK, value)
    if isinstance(value, Mapping):
        return {_scrub(k, pattern): _scrub(v, pattern) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_scrub(v, pattern) for v in value)
    return value
