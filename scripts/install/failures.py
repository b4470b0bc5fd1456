"""What an installer's error output means: a Failure (kind + short reason, a pure function of the
text), and the one InstallError line with the fix built from it.

Kinds: "unreachable" (the source cannot be reached: DNS, refused, proxy, TLS, timeout, HTTP 5xx),
"unsolvable" (reached, but a package is missing or the request has no solution), "offline-cache"
(--offline with nothing cached), "other" (anything else: disk full, a crash). The first three mean
"this backend cannot do it from here": the installer falls through to the next backend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scripts.install.backends import PIP_LIKE
from scripts.install.errors import InstallError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scripts.install import envfile

FALLS_THROUGH = frozenset({"unreachable", "unsolvable", "offline-cache"})

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
# A request that reached its source and has no solution. py-rattler: "Cannot solve the request
# because of: ..." (SolverError); uv: "No solution found when resolving dependencies"; pip:
# "ResolutionImpossible"; conda: UnsatisfiableError / LibMambaUnsatisfiableError; conda and
# micromamba with libmamba: "Could not solve for environment specs".
_NO_SOLUTION = (
    "Cannot solve the request because of",
    "No solution found when resolving dependencies",
    "ResolutionImpossible",
    "UnsatisfiableError",
    "Could not solve for environment specs",
)
# Why a source could not be reached, most specific first (a proxy refusal also says "client
# error (Connect)"). Each phrase was printed by a real run against a local server that refuses,
# never answers, answers 503, speaks plain HTTP on https://, or is a proxy refusing CONNECT with
# 403 (py-rattler 0.28, uv 0.13, pip 25 on this project's build box; tests/test_fallthrough.py
# re-runs them), or is quoted from conda / libmamba reports: CondaHTTPError "HTTP 000 CONNECTION
# FAILED" (github.com/conda/conda/issues/11272), "Tunnel connection failed: 503" through a proxy
# (github.com/jade-hpc-gpu/jade-hpc-gpu.github.io/issues/49), "Failed to resolve ... Name or
# service not known" (github.com/conda/conda/issues/13866), libmamba "Download error (28)
# Timeout was reached" (github.com/mamba-org/mamba/issues/3454) and "Download error (6)
# Couldn't resolve host name" (github.com/mamba-org/mamba/issues/3536).
_UNREACHABLE_WHY = (
    ("proxy refused the connection", ("tunnel error", "ProxyError", "Tunnel connection failed")),
    (
        "TLS failed",
        (
            "received corrupt message",
            "invalid peer certificate",
            "CERTIFICATE_VERIFY_FAILED",
            "SSLError",
            "CondaSSLError",
            "certificate verify failed",
        ),
    ),
    (
        "DNS lookup failed",
        (
            "dns error",
            "Name or service not known",
            "Temporary failure in name resolution",
            "nodename nor servname provided",
            "Could not resolve host",
            "Couldn't resolve host",
            "getaddrinfo failed",
            "NameResolutionError",
        ),
    ),
    ("connection refused", ("Connection refused", "os error 111", "Errno 111", "Errno 61")),
    (
        "timed out",
        ("operation timed out", "Timeout was reached", "ReadTimeoutError", "ConnectTimeout"),
    ),
    ("network unreachable", ("Network is unreachable", "No route to host")),
    (
        "no connection",
        (
            "GatewayError",
            "error sending request for url",
            "could not find subdir",
            "CONNECTION FAILED",
            "CondaHTTPError",
            "Failed to fetch",
            "Max retries exceeded",
        ),
    ),
)
# py-rattler / uv (reqwest): "HTTP status server error (503 Service Unavailable) for url (...)";
# pip / conda (requests): "503 Server Error: Service Unavailable for url: ..."; conda: "HTTP 503".
# A download that arrived and does not match its hash is never a reason to try elsewhere.
# uv: "Hash mismatch for `X`"; pip: "THESE PACKAGES DO NOT MATCH THE HASHES"; rattler: "hash
# mismatch" / "sha256 mismatch".
_TAMPERED = ("Hash mismatch", "hash mismatch", "DO NOT MATCH THE HASHES", "sha256 mismatch")
_HTTP_5XX = re.compile(r"(?:HTTP status server error \(|HTTP |\b)(5\d\d)\b[ :]")
_URL = re.compile(r"(?:https?|file)://[^\s)'\"`<>]+")


@dataclass(frozen=True)
class Failure:
    """What an installer's output says went wrong. `reason` is a few words for the one line."""

    kind: str  # "unreachable" | "unsolvable" | "offline-cache" | "other"
    reason: str
    url: str | None = None
    package: str | None = None  # the package the output names as missing, when it names one
    missing_package: bool = False

    @property
    def falls_through(self) -> bool:
        return self.kind in FALLS_THROUGH


def classify(text: str) -> Failure:
    """The kind of failure an installer's output shows; pure (tests feed it real texts).

    Order matters: pip prints "No matching distribution found" after failing to reach its index,
    so "unreachable" is looked for before "unsolvable".
    """
    url_match = _URL.search(text)
    url = url_match.group(0) if url_match else None
    if any(p in text for p in _TAMPERED):
        return Failure("other", "a download does not match its hash", url)
    if "no usable repodata cache" in text:
        return Failure("offline-cache", "nothing cached for --offline", url)
    status = _HTTP_5XX.search(text)
    for reason, phrases in _UNREACHABLE_WHY:
        if any(p in text for p in phrases):
            why = f"HTTP {status.group(1)}" if status and reason == "no connection" else reason
            return Failure("unreachable", why, url)
    if status:
        return Failure("unreachable", f"HTTP {status.group(1)}", url)
    for marker in _UNKNOWN_PACKAGE:
        if marker in text:
            name = _package_after(text, marker)
            reason = f"package {name!r} not found" if name else "a package not found"
            return Failure("unsolvable", reason, url, package=name, missing_package=True)
    for marker in _NO_SOLUTION:
        if marker in text:
            return Failure("unsolvable", "no solution", url)
    return Failure("other", _last_line(text), url)


def explain_failure(
    text: str, backend: str, channels: Sequence[str], spec: envfile.EnvSpec
) -> InstallError:
    """Turn an installer's error output into one line with the fix (and the failure's kind)."""
    failure = classify(text)
    if failure.missing_package:
        name = failure.package
        line = spec.line_of(name) if name else None
        where = f"{spec.path.name}:{line}" if line else spec.path.name
        what = f"package {name!r}" if name else "a package"
        if backend in PIP_LIKE:
            return InstallError(
                f"{what} ({where}) was not found in pip's indexes / find-links",
                "check the name in environment.yml; a conda-forge name that differs on PyPI "
                "needs an entry in PYPI_NAMES (scripts/install/envfile.py); "
                "check pip's index-url",
                kind=failure.kind,
            )
        return InstallError(
            f"{what} ({where}) was not found in {', '.join(channels)}",
            "check the name in environment.yml (conda-forge names, e.g. pytorch not torch), "
            "or add the channel that has it with -- --channel URL",
            kind=failure.kind,
        )
    if failure.kind == "unsolvable":
        return InstallError(
            f"{backend} found no solution for {spec.path.name}: {_last_line(text)}",
            "relax the version bounds in environment.yml, or add a channel / index that has them",
            kind=failure.kind,
        )
    if failure.kind == "offline-cache":
        return InstallError(
            f"--offline, and nothing is cached for {failure.url or 'a channel'}",
            "run once without --offline, or add a local channel with -- --channel file:///PATH",
            kind=failure.kind,
        )
    if failure.kind == "unreachable":
        where = failure.url or ", ".join(channels) or "the package index"
        return InstallError(
            f"cannot reach {where} ({failure.reason})",
            "check the network / proxy, or use a local channel with -- --channel file:///PATH, "
            "or -- --offline to use what is cached",
            kind=failure.kind,
        )
    return InstallError(
        f"{backend} failed: {failure.reason}",
        "read the output above; run again with -- --force to rebuild from scratch",
        kind=failure.kind,
    )


def _last_line(text: str) -> str:
    return next((ln.strip() for ln in reversed(text.splitlines()) if ln.strip()), "no output")


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
