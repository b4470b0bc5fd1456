"""torch-mps-kit sessions: `nox -s install`, then `nox -s verify`.

Thin on purpose: each session calls into scripts/ (installer logic, tested there) or verify/.
`nox -l` lists the sessions; options of a session go after `--`, e.g.
`nox -s install -- --prefix ~/envs/torch --channel file:///path/to/channel --offline`.
"""

# Script-mode dependencies: when the Python running nox lacks them, nox builds a small venv with
# them (.nox/_nox_script_mode) and re-runs itself there (nox >= 2025.2.9). py-rattler validates
# environment.yml (conda MatchSpec) and is the conda-free backend; rich is for verify's output;
# uv is the PyPI backend (without it here the fall-through from py-rattler lands on pip).
# /// script
# dependencies = [
#   "nox>=2025.2.9",
#   "ruamel.yaml>=0.18",
#   "packaging>=23",
#   "rich>=13",
#   "py-rattler>=0.28",
#   "uv>=0.5",
# ]
# ///

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.sessions = ["preflight", "lint", "tests"]

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # nox does not put the noxfile's folder on sys.path
    sys.path.insert(0, str(ROOT))


# installs done in this nox run, by installer argv: `nox -s install verify -- --force` rebuilds once
_INSTALLED: dict[tuple[str, ...], object] = {}


def _install(session: nox.Session, argv: Sequence[str]):
    """Run the installer in-process (once per argv and run); its errors end the session."""
    from scripts.install.cli import install
    from scripts.install.envfile import EnvFileError
    from scripts.install.errors import InstallError

    if tuple(argv) not in _INSTALLED:
        try:
            _INSTALLED[tuple(argv)] = install(argv, out=session.log)
        except (InstallError, EnvFileError) as err:
            session.error(err.one_line())
    return _INSTALLED[tuple(argv)]


def _routed(session: nox.Session):
    """posargs split into installer and verify words (scripts/install/routing.py); None after
    printing the help of both."""
    from scripts.install.errors import InstallError
    from scripts.install.routing import combined_help, route_posargs

    try:
        routed = route_posargs(session.posargs)
    except InstallError as err:
        session.error(err.one_line())
    if routed.help:
        print(combined_help())
        return None
    return routed


@nox.session(venv_backend="none")
def install(session: nox.Session) -> None:
    """Create or update the PyTorch environment from environment.yml (`-- --help` for options)."""
    if routed := _routed(session):
        _install(session, routed.install)
        session.log("next: nox -s verify")


def _run_in_env(
    session: nox.Session, module: str, args: Sequence[str], install_args: Sequence[str] = ()
) -> None:
    """Install if needed, then `python -m MODULE ARGS` with the environment's interpreter."""
    from scripts.install.cli import argv_for_verify
    from scripts.install.state import env_python

    outcome = _install(session, argv_for_verify(install_args))
    python = env_python(outcome.plan.prefix, outcome.plan.backend)
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    session.run(str(python), "-m", module, *args, external=True, env={"PYTHONPATH": pythonpath})


@nox.session(venv_backend="none")
def verify(session: nox.Session) -> None:
    """Install if needed, then `python -m verify` in the environment (`-- --help` for options:
    installer options go to the install, the rest to verify)."""
    if routed := _routed(session):
        _run_in_env(session, "verify", routed.verify, routed.install)


@nox.session(venv_backend="none")
def preflight(session: nox.Session) -> None:
    """Host rules only (OS, arch, Rosetta, macOS, Python), no PyTorch needed."""
    session.run(sys.executable, "-m", "verify", "preflight", *session.posargs, external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """pytest; torch pinned by $TORCH_SPEC (default torch==2.13.0), from pip's own sources."""
    session.install("-e", ".[test]", os.environ.get("TORCH_SPEC", "torch==2.13.0"))
    session.run("pytest", *session.posargs)


@nox.session
def triage(session: nox.Session) -> None:
    """Refit diagnose's text model on the labelled reports in tests/data (scripts/triage/)."""
    session.install("-e", ".", "scikit-learn>=1.4")
    session.run("python", "-m", "scripts.triage.train", *session.posargs)


@nox.session
def browser(session: nox.Session) -> None:
    """The fleet HTML page in a real Chromium driven by Selenium (tests/test_fleet_browser.py)."""
    import shutil

    if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which(
        "chromedriver"
    ):
        session.error("no Chromium + chromedriver: apt-get install chromium chromium-driver")
    session.install("-e", ".", "pytest>=8", "selenium>=4.11")
    session.run("pytest", "-m", "browser", "tests/test_fleet_browser.py", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check (pass paths after `--` to narrow them)."""
    session.install("ruff")
    session.run("ruff", "check", *(session.posargs or ["."]))
    session.run("ruff", "format", "--check", *(session.posargs or ["."]))


# --- build and bench sessions follow (their own issues): keep them short, calling scripts/. ---


# What scripts/recipes/build.py needs; py-rattler-build is the builder when no rattler-build or
# conda-build CLI is on PATH, so a Mac with only Python can build.
BUILD_REQUIREMENTS = (
    "py-rattler-build>=0.73",
    "py-rattler>=0.28",
    "ruamel.yaml>=0.18",
    "packaging>=23",
)


@nox.session(reuse_venv=True)
def build(session: nox.Session) -> None:
    """Build recipes/ into ./channel: rattler-build or conda-build, else py-rattler-build."""
    session.install(*BUILD_REQUIREMENTS)
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    session.run(
        "python", "-m", "scripts.recipes.build", *session.posargs, env={"PYTHONPATH": pythonpath}
    )


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Benchmarks into docs/benchmarks.md, run in the installed environment: `-- --device D`;
    `-- --install [--reps N]`: the install benchmarks instead (lock vs no lock, no-op; uv path)."""
    if "--install" in session.posargs:  # drives nox and the installer: runs in nox's own Python
        from scripts.docs import bench_install

        args = [a for a in session.posargs if a != "--install"]
        bench_install.main(args)
        return
    _run_in_env(session, "scripts.docs.bench", session.posargs)


@nox.session(venv_backend="none")
def lock(session: nox.Session) -> None:
    """Solve environment.yml for osx-arm64, linux-64 and this host into environment.lock/."""
    from scripts.install import cli, envfile
    from scripts.install.errors import InstallError

    try:
        cli.lock_environment(session.posargs, out=session.log)
    except (InstallError, envfile.EnvFileError) as err:
        session.error(err.one_line())
