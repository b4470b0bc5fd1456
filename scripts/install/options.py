"""The installer's options (`nox -s install -- ...`): parsed into one frozen Options value."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.install.backends import BACKENDS
from scripts.install.errors import InstallError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = PROJECT_ROOT / "environment.yml"
DEFAULT_PREFIX = PROJECT_ROOT / ".env-mps"
DEFAULT_CHANNEL = "conda-forge"


@dataclass(frozen=True)
class Options:
    file: Path = DEFAULT_FILE
    prefix: Path = DEFAULT_PREFIX
    channels: tuple[str, ...] = ()
    offline: bool = False
    force: bool = False
    backend: str | None = None
    no_lock: bool = False  # ignore environment.lock/ next to the environment file


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump, same exit path as other errors
        raise InstallError(f"nox -s install: {message}", "see `nox -s install -- --help`")


def build_parser() -> argparse.ArgumentParser:
    """The installer's options; scripts/install/routing.py reads them from here to route
    `nox -s install verify -- ARGS`."""
    parser = _Parser(
        prog="nox -s install --",
        description="Create or update the PyTorch environment.",
        allow_abbrev=False,  # routing matches whole option names only
    )
    parser.add_argument(
        "--prefix", type=Path, default=DEFAULT_PREFIX, help="where the environment goes"
    )
    parser.add_argument(
        "--file", type=Path, default=DEFAULT_FILE, help="environment file to install"
    )
    parser.add_argument(
        "--channel",
        action="append",
        default=[],
        metavar="URL",
        help="extra conda channel, searched before conda-forge (repeatable)",
    )
    parser.add_argument("--offline", action="store_true", help="use only cached / local packages")
    parser.add_argument("--force", action="store_true", help="rebuild the environment from scratch")
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        help="use only this backend (no fall-through to the next one when it fails)",
    )
    parser.add_argument(
        "--no-lock",
        action="store_true",
        help="ignore environment.lock/ and solve the environment file afresh",
    )
    return parser


def parse_options(argv: Sequence[str]) -> Options:
    args = build_parser().parse_args(list(argv))
    return Options(
        file=args.file.expanduser().resolve(),
        prefix=args.prefix.expanduser().resolve(),
        channels=tuple(channel_url(c) for c in args.channel),
        offline=args.offline,
        force=args.force,
        backend=args.backend,
        no_lock=args.no_lock,
    )


def channel_url(value: str) -> str:
    """A local channel folder (`--channel ./channel`, what `nox -s build` writes) as a file://
    URL, so it means the same whatever the working directory; URLs and names pass unchanged."""
    if "://" not in value:
        path = Path(value).expanduser()
        if path.is_dir():
            return path.resolve().as_uri()
    return value
