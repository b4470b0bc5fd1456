"""What macOS reports about its version, and what it is: stdlib only, so the worker and the host
probe (verify.facts, run by any Python) can use it without packaging.

A process built against an SDK older than the running macOS (or run with
SYSTEM_VERSION_COMPAT=1) is told a compatible version instead of the real one: "10.16" on every
macOS 11 or later (pypa/packaging#497, #513), and "16.0" on macOS 26 Tahoe, the same trick when
Apple moved from 15 to the year-based 26 (python/cpython#135675: `platform.mac_ver()` gives
('16.0', ...), `python -m platform` prints macOS-16.0-arm64-arm-64bit). No real macOS is numbered
10.16 or 16.x.
"""

from __future__ import annotations

COMPAT_MACOS_11 = "10.16"
COMPAT_MACOS_26_MAJOR = 16


def real_macos(reported: str | None) -> str | None:
    """The real macOS version behind a reported one. "10.16" -> None: the process was told an
    SDK-compat answer for "macOS 11 or later", so ask again (sw_vers with
    SYSTEM_VERSION_COMPAT=0); "16.x" -> "26.x" (python/cpython#135675); anything else as
    given; None or "" -> None."""
    if not reported:
        return None
    if reported == COMPAT_MACOS_11:
        return None
    major, dot, rest = reported.partition(".")
    if major.isdigit() and int(major) == COMPAT_MACOS_26_MAJOR:
        return f"26{dot}{rest}"
    return reported
