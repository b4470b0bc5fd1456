"""What an installer's error output means: one InstallError line with the fix."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scripts.install.backends import PIP_LIKE
from scripts.install.errors import InstallError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scripts.install import envfile

# --- errors from installers -------------------------------------------------------------------

# Phrases the installers print, mapped to a kind of failure. Sources: py-rattler 0.28's
# SolverError / GatewayError texts and uv 0.13 / pip 24's resolver texts (all seen on this
# project's build box);
# conda's PackagesNotFoundError (github.com/conda/conda/issues/13659) and CondaHTTPError
# (github.com/conda/conda/issues/13866); libmamba's "nothing provides requested" and
# "does not exist (perhaps a typo or a missing channel)".
_UNKNOWN_PACKAGE = (
    "No candidates were found for ",
    "PackagesNotFoundError",
    "nothing provides requested ",
    "does not exist (perhaps a typo or a missing channel)",
    " was not found in the ",  # uv: "Because X was not found in the package registry / cache"
    "No matching distribution found for ",
)
_UNREACHABLE = (
    "GatewayError",
    "error sending request for url",
    "could not find subdir",
    "CondaHTTPError",
    "Could not resolve host",
    "Failed to fetch",
    "ConnectTimeout",
    "Connection refused",
    "Network is unreachable",
    "Temporary failure in name resolution",
)


def explain_failure(
    text: str, backend: str, channels: Sequence[str], spec: envfile.EnvSpec
) -> InstallError:
    """Turn an installer's error output into one line with the fix."""
    for marker in _UNKNOWN_PACKAGE:
        if marker in text:
            name = _package_after(text, marker)
            line = spec.line_of(name) if name else None
            where = f"{spec.path.name}:{line}" if line else spec.path.name
            what = f"package {name!r}" if name else "a package"
            if backend in PIP_LIKE:
                return InstallError(
                    f"{what} ({where}) was not found in pip's indexes / find-links",
                    "check the name in environment.yml; a conda-forge name that differs on PyPI "
                    "needs an entry in PYPI_NAMES (scripts/install/envfile.py); "
                    "check pip's index-url",
                )
            return InstallError(
                f"{what} ({where}) was not found in {', '.join(channels)}",
                "check the name in environment.yml (conda-forge names, e.g. pytorch not torch), "
                "or add the channel that has it with -- --channel URL",
            )
    if "no usable repodata cache" in text:
        url = re.search(r"(https?|file)://[^\s)'\"`<>]+", text)
        return InstallError(
            f"--offline, and nothing is cached for {url.group(0) if url else 'a channel'}",
            "run once without --offline, or add a local channel with -- --channel file:///PATH",
        )
    for marker in _UNREACHABLE:
        if marker in text:
            url = re.search(r"(https?|file)://[^\s)'\"`<>]+", text)
            where = url.group(0) if url else (", ".join(channels) or "the package index")
            return InstallError(
                f"cannot reach {where}",
                "check the network / proxy, or use a local channel with -- --channel file:///PATH, "
                "or -- --offline to use what is cached",
            )
    last = next((ln.strip() for ln in reversed(text.splitlines()) if ln.strip()), "no output")
    return InstallError(
        f"{backend} failed: {last}",
        "read the output above; run again with -- --force to rebuild from scratch",
    )


def _package_after(text: str, marker: str) -> str | None:
    if marker in ("PackagesNotFoundError",):
        found = re.search(r"^\s*-\s*([A-Za-z0-9_.\-]+)", text.split(marker, 1)[1], re.MULTILINE)
    elif marker.startswith("does not exist"):
        found = re.search(r"([A-Za-z0-9_.\-]+)\s+does not exist \(perhaps", text)
    elif marker.startswith(" was not found"):
        found = re.search(r"Because ([A-Za-z0-9_.\-]+) was not found in the", text)
    else:
        found = re.match(r"\s*([A-Za-z0-9_.\-]+)", text.split(marker, 1)[1])
    return found.group(1).lower() if found else None
