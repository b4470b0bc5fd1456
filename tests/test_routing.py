"""Options reach the right session (issue 11, item 2): `nox -s install verify -- ARGS` splits ARGS
between the installer and `python -m verify` using the two real parsers' option tables; a word
neither knows is one error naming both lists. Ends with the real thing: a `nox` subprocess."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.install import options
from scripts.install.cli import argv_for_verify
from scripts.install.errors import InstallError
from scripts.install.routing import (
    GREEDY,
    Routed,
    combined_help,
    option_table,
    route,
    route_posargs,
    verify_parser,
)
from scripts.install.state import STAMP_NAME
from verify import cli as verify_cli

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = options.build_parser()
VERIFIER = verify_cli.build_parser()


def _sample(action: argparse.Action) -> list[str]:
    """The option with a value its own parser accepts."""
    if action.nargs == 0:
        return []
    if action.choices:
        return [str(next(iter(action.choices)))]
    return ["5"]  # a valid path, URL, name, module, id and number of seconds alike


def _cases(parser: argparse.ArgumentParser) -> list[tuple[str, list[str]]]:
    return [
        (name, [name, *_sample(action)])
        for action in parser._actions
        if not isinstance(action, (argparse._HelpAction, argparse._VersionAction))
        for name in action.option_strings
    ]


INSTALLER_CASES = _cases(INSTALLER)
VERIFY_CASES = _cases(VERIFIER)


def test_the_cases_cover_every_option_of_both_parsers():
    assert {n for n, _ in INSTALLER_CASES} == set(option_table(INSTALLER))
    assert {n for n, _ in VERIFY_CASES} | {"--version"} == set(option_table(VERIFIER))
    # the options the issue names are there (a parser change that drops one fails here)
    for name in ("--backend", "--prefix", "--channel", "--offline", "--force", "--no-lock"):
        assert name in option_table(INSTALLER)
    for name in ("--device", "--level", "--json", "--junit-xml", "--timeout", "--expect-mps"):
        assert name in option_table(VERIFIER)


def test_no_option_belongs_to_both():
    assert set(option_table(INSTALLER)) & set(option_table(VERIFIER)) == set()


@pytest.mark.parametrize(("name", "words"), INSTALLER_CASES, ids=[n for n, _ in INSTALLER_CASES])
def test_every_installer_option_goes_to_the_installer(name, words):
    routed = route_posargs(["--level", "standard", *words, "--quiet"])
    assert routed.install == tuple(words)
    assert routed.verify == ("--level", "standard", "--quiet")
    options.parse_options(routed.install)  # and the installer's own parser takes it


@pytest.mark.parametrize(("name", "words"), VERIFY_CASES, ids=[n for n, _ in VERIFY_CASES])
def test_every_verify_option_goes_to_verify(name, words):
    routed = route_posargs(["--backend", "uv", *words, "--offline"])
    assert routed.install == ("--backend", "uv", "--offline")
    assert routed.verify == tuple(words)
    VERIFIER.parse_args(list(routed.verify))  # and verify's own parser takes it


def test_equals_form_and_repeated_options():
    routed = route_posargs(
        ["--channel=file:///a", "--json=-", "--channel", "file:///b", "--only", "device.alloc"]
    )
    assert routed.install == ("--channel=file:///a", "--channel", "file:///b")
    assert routed.verify == ("--json=-", "--only", "device.alloc")


def test_an_unknown_word_is_one_error_naming_both_lists():
    with pytest.raises(InstallError) as info:
        route_posargs(["--backend", "uv", "--levle", "standard"])
    line = info.value.one_line()
    assert "\n" not in line
    assert line.startswith("'--levle' is neither an installer option (")
    for name in option_table(INSTALLER):
        assert name in line
    for name in option_table(VERIFIER):
        assert name in line


def test_a_stray_value_is_an_unknown_word():
    with pytest.raises(InstallError, match="'standard' is neither"):
        route_posargs(["--offline", "standard"])


def test_a_missing_value_and_a_value_on_a_flag_are_errors():
    with pytest.raises(InstallError, match="--prefix \\(an installer option\\) needs a value"):
        route_posargs(["--level", "quick", "--prefix"])
    with pytest.raises(InstallError, match="--force \\(an installer option\\) takes no value"):
        route_posargs(["--force=yes"])


def test_a_verify_subcommand_takes_the_rest():
    routed = route_posargs(["--prefix", "/p", "diagnose", "pasted.txt", "--json", "-"])
    assert routed == Routed(
        install=("--prefix", "/p"), verify=("diagnose", "pasted.txt", "--json", "-")
    )


def test_help_is_asked_for_and_names_both_parsers():
    assert route_posargs(["--backend", "uv", "--help"]).help
    assert route_posargs(["-h"]) == Routed(help=True)
    text = combined_help()
    assert "nox -s install --" in text and "python -m verify" in text
    for name in (*option_table(INSTALLER), *option_table(VERIFIER)):
        assert name in text


def test_route_is_pure_on_given_tables():
    routed = route(
        ["-x", "1", "--many", "a", "b", "--flag", "--y=2"],
        installer={"-x": 1, "--flag": 0},
        verifier={"--many": GREEDY, "--y": 1},
    )
    assert routed == Routed(("-x", "1", "--flag"), ("--many", "a", "b", "--y=2"))


def test_subcommands_are_verifys_own():
    _, subcommands = verify_parser()
    assert subcommands == tuple(verify_cli.SUBCOMMANDS)


def test_verify_installs_with_the_given_options_plus_the_environments_channels(tmp_path):
    prefix = tmp_path / "env"
    prefix.mkdir()
    (prefix / STAMP_NAME).write_text('{"key": "k", "extra_channels": ["file:///ch"]}')
    given = ["--prefix", str(prefix), "--offline"]
    assert argv_for_verify(given) == [*given, "--channel", "file:///ch"]
    chosen = [*given, "--channel", "file:///other"]
    assert argv_for_verify(chosen) == chosen


# --- the real thing ---------------------------------------------------------------------------


@pytest.mark.parametrize("session", ["install", "verify"])
def test_nox_help_after_the_double_dash_explains_both(session, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "nox", "-f", str(ROOT / "noxfile.py"), "-s", session, "--", "-h"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "== installer options (nox -s install) ==" in proc.stdout
    assert "== verify options (nox -s verify, python -m verify) ==" in proc.stdout
    assert "--backend" in proc.stdout and "--level" in proc.stdout
    assert "backend:" not in proc.stdout + proc.stderr  # help only: nothing was installed


LOCAL_TORCH = sorted(Path("/opt/wheels").glob("torch-2.13.0+cpu-cp311-*.whl"))
UV = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))


@pytest.mark.slow
@pytest.mark.skipif(
    not (LOCAL_TORCH and Path("/opt/pypi/simple").is_dir() and sys.version_info[:2] == (3, 11)),
    reason="needs this build box's local wheels (torch 2.13.0+cpu for cp311, /opt/pypi)",
)
@pytest.mark.skipif(UV is None, reason="uv not installed")
def test_nox_install_verify_routes_backend_and_level(tmp_path):
    """`nox -s install verify -- --backend uv --level standard` for real: nox, the installer, uv
    (from local wheels only, through pip's configuration), then verify's standard tier."""
    env_file = tmp_path / "environment.yml"
    shutil.copy(ROOT / "environment.yml", env_file)  # a copy: no lock file next to it
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("torch==2.13.0\n")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(UV).parent), os.environ.get("PATH", "")]),
        # pip's configuration, as a user would have it: nothing from the network
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_INDEX_URL": "file:///opt/pypi/simple",
        # + expecttest (environment.yml), which the box's own sources lack: tests/data/wheels
        "PIP_FIND_LINKS": f"/opt/wheels {ROOT / 'tests' / 'data' / 'wheels'}",
        "PIP_CONSTRAINT": str(constraints),
        "UV_CACHE_DIR": str(tmp_path / "uv-cache"),
        "UV_NO_CONFIG": "1",
        "UV_OFFLINE": "1",
    }
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "nox",
            "-f",
            str(ROOT / "noxfile.py"),
            "-s",
            "install",
            "verify",
            "--",
            "--backend",
            "uv",
            "--level",
            "standard",
            "--prefix",
            str(tmp_path / "env"),
            "--file",
            str(env_file),
            "--json",
            str(report),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert "unrecognized arguments" not in out
    assert "backend: uv" in out
    data = json.loads(report.read_text())
    assert data["level"] == "standard" and data["device"] == "cpu"
    assert data["verdict"] == "ready", [c for c in data["checks"] if c["status"] == "fail"]
    torch_version = subprocess.run(
        [str(tmp_path / "env/bin/python"), "-c", "import torch; print(torch.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert torch_version == "2.13.0+cpu"
