"""argparse pieces shared by `python -m verify` and the scripts: a usage error is one line and
exit 2, like every other error of these tools (argparse's default prints the whole usage block
first), and argument types that refuse what the code cannot use."""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from verify.errors import UsageError

EXIT_USAGE = 2


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {self.prog}: {message} (see --help)\n")


def positive_float(text: str, maximum: float = math.inf) -> float:
    """A number of seconds above 0 and at most `maximum` (requests refuses 0, negatives and nan;
    the worker's selector overflows on inf)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    if value > maximum:
        raise argparse.ArgumentTypeError(f"must be at most {maximum:g}: {text!r}")
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number: {text!r}")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def pep440_version(text: str) -> str:
    """A release number such as 1.12 (what packaging.version.Version reads)."""
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        raise argparse.ArgumentTypeError(f"not a version number: {text!r}") from None
    return text


def check_paths_writable(pairs: Sequence[tuple[str, str]]) -> None:
    """Fail before a run, not after it: a report path (flag, path) whose folder cannot hold a file
    would otherwise cost the whole run and lose its report. Creates the folder, as the write
    would. UsageError names the flag."""
    for flag, path in pairs:
        target = Path(path)
        try:
            if target.is_dir():
                raise IsADirectoryError(21, os.strerror(21), path)
            if target.exists() and not target.is_file():
                continue  # /dev/stdout, a FIFO: written through at the end
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=target.parent):
                pass
        except OSError as exc:
            raise UsageError(
                f"{flag} {path}: cannot write there ({exc.strerror or exc})",
                "Give a path in a folder you can write to.",
            ) from None
