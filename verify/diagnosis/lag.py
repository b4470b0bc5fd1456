"""Where a torch release stood among PyTorch's releases on a day, and stands today (issue 12):
the releases out when a paste was written (verify.diagnosis.timeline's lower bound on that day)
that came
after the paste's torch, and those out now. Release days are PyPI's first macOS arm64 wheel of
each release (verify/data/torch_releases.json, scripts/recipes/refresh_compat.py). Pure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from packaging.version import Version

from verify import compat
from verify.diagnosis.timeline import Written


@dataclass(frozen=True)
class Lag:
    """The paste's torch against the releases out when it was written and out now."""

    shown: str | None  # the torch version the paste shows (None: not shown)
    release: Version | None  # the release it is or leads to (a nightly: the release to come)
    written: Written | None
    newest_then: Version | None  # the newest release on PyPI on written.after
    behind_then: int | None  # releases of it or later on written.after (None: not known)
    newest_now: Version
    behind_now: int | None


def finals(day: datetime.date | None = None) -> list[Version]:
    """The final releases read (verify/data/torch_releases.json), those on PyPI by `day`."""
    return sorted(
        r.version
        for r in compat.load_releases().releases.values()
        if not r.version.is_prerelease
        and (day is None or (r.uploaded is not None and r.uploaded <= day))
    )


def lag(torch_version: str | None, written: Written | None) -> Lag:
    """Where the paste's torch stood among the releases out when it was written, and now."""
    release = compat.release_of(torch_version)
    then = finals(written.after) if written is not None else []
    now = finals() or [compat.latest_release()]

    def count(out: list[Version]) -> int | None:
        return None if release is None or not out else sum(v > release for v in out)

    return Lag(
        shown=torch_version,
        release=release,
        written=written,
        newest_then=then[-1] if then else None,
        behind_then=count(then),
        newest_now=now[-1],
        behind_now=count(now),
    )
