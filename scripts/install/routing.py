"""Which session an argument after `--` belongs to (issue 11, item 2).

nox hands the same posargs to every session of one run, so `nox -s install verify -- --backend uv
--level standard` gives both words to both sessions. route() splits them with the two parsers'
own option tables: the installer's (options.build_parser()) and verify's
(verify.cli.build_parser(), `python -m verify`). An option added to either parser is routed
without a change here. A word that neither knows is one error naming both option lists.

Rules: whole option names only (no abbreviations), `--opt value` and `--opt=value` both work;
`-h` / `--help` asks for the combined help; a verify sub-command (`diagnose`, `facts`, ...) takes
every word after it, for verify's sub-command parser to read.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scripts.install import options
from scripts.install.errors import InstallError

HELP = ("-h", "--help")
GREEDY = -1  # nargs "*" / "+": every word up to the next option


@dataclass(frozen=True)
class Routed:
    install: tuple[str, ...] = ()
    verify: tuple[str, ...] = ()
    help: bool = False


def option_table(parser: argparse.ArgumentParser) -> dict[str, int]:
    """Option string -> how many words follow it (0, 1, n, or GREEDY); --help left out."""
    table: dict[str, int] = {}
    for action in parser._actions:  # argparse keeps its actions there; no public accessor
        if isinstance(action, argparse._HelpAction):
            continue
        nargs = action.nargs
        count = 1 if nargs in (None, "?") else GREEDY if nargs in ("*", "+") else int(nargs)
        for name in action.option_strings:
            table[name] = count
    return table


def _names(table: Mapping[str, int]) -> str:
    return ", ".join(name for name in table if name.startswith("--"))


def route(
    words: Sequence[str],
    installer: Mapping[str, int],
    verifier: Mapping[str, int],
    subcommands: Sequence[str] = (),
) -> Routed:
    """Split posargs into the installer's and verify's words. Pure; raises InstallError."""
    to_install: list[str] = []
    to_verify: list[str] = []
    wants_help = False
    i = 0
    while i < len(words):
        word = words[i]
        if word in HELP:
            wants_help = True
            i += 1
            continue
        if word in subcommands and not to_verify:
            to_verify.extend(words[i:])
            break
        name, has_value, _ = word.partition("=") if word.startswith("--") else (word, "", "")
        for table, dest, who in (
            (installer, to_install, "an installer"),
            (verifier, to_verify, "a verify"),
        ):
            if name not in table:
                continue
            count = table[name]
            if has_value:
                if count == 0:
                    raise InstallError(
                        f"{name} ({who} option) takes no value: {word!r}",
                        f"write {name} alone",
                    )
                dest.append(word)
                i += 1
            elif count == GREEDY:
                end = i + 1
                while end < len(words) and not words[end].startswith("-"):
                    end += 1
                dest.extend(words[i:end])
                i = end
            else:
                if i + count >= len(words):
                    raise InstallError(
                        f"{name} ({who} option) needs a value",
                        f"write {name} VALUE (see `nox -s install -- --help`)",
                    )
                dest.extend(words[i : i + 1 + count])
                i += 1 + count
            break
        else:
            raise InstallError(
                f"{word!r} is neither an installer option ({_names(installer)}) "
                f"nor a verify option ({_names(verifier)})",
                "see `nox -s install -- --help` for both lists",
            )
    return Routed(tuple(to_install), tuple(to_verify), wants_help)


def verify_parser() -> tuple[argparse.ArgumentParser, tuple[str, ...]]:
    """`python -m verify`'s own parser and sub-commands (imported only when there is something
    to route: the no-op `nox -s install` stays fast)."""
    from verify import cli

    return cli.build_parser(), tuple(cli.SUBCOMMANDS)


def route_posargs(words: Sequence[str]) -> Routed:
    """route() with the real parsers."""
    if not words:
        return Routed()
    parser, subcommands = verify_parser()
    return route(words, option_table(options.build_parser()), option_table(parser), subcommands)


def combined_help() -> str:
    """What `nox -s install -- --help` and `nox -s verify -- --help` print: both parsers' help."""
    parser, subcommands = verify_parser()
    return "\n".join(
        [
            "Arguments after `--` go to the session that knows them; with both sessions in one",
            "run each takes its own: `nox -s install verify -- --backend uv --level standard`",
            "installs with uv, then runs `python -m verify --level standard` in the environment.",
            "`nox -s verify` alone installs first when needed (with the installer options given,",
            "else those the environment was made with). A word neither knows is an error.",
            f"verify's sub-commands ({', '.join(subcommands)}) take every word after them.",
            "",
            "== installer options (nox -s install) ==",
            options.build_parser().format_help(),
            "== verify options (nox -s verify, python -m verify) ==",
            parser.format_help(),
        ]
    )
