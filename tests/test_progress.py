"""Progress on long installer work (issue 11, item 4): rich bars on a terminal once the work has
taken a second, one line per phase in CI / without a terminal; installers run on a terminal of
their own (a pty) so uv draws its own bars, and their output is read back as plain text."""

from __future__ import annotations

import io
import sys

import pytest

from scripts.install.execute import plain_text, run_streaming
from scripts.install.progress import PhaseLines, RichBars, quiet_mode


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("env", "tty", "quiet"),
    [
        ({}, True, False),
        ({}, False, True),  # piped / redirected: no bars
        ({"CI": "true"}, True, True),  # CI with a terminal (GitHub Actions sets CI=true)
        ({"CI": "1"}, True, True),
        ({"CI": "false"}, True, False),
        ({"CI": ""}, True, False),
    ],
)
def test_quiet_mode(env, tty, quiet):
    assert quiet_mode(env, Stream(tty)) is quiet


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _transaction(reporter, clock: Clock, step_s: float) -> None:
    """The callbacks py-rattler makes for two packages, one downloaded in three chunks."""
    reporter.on_transaction_start(2)
    token = reporter.on_download_start(reporter.on_populate_cache_start(0, "pytorch"))
    for done in (1_000_000, 2_000_000, 3_000_000):
        clock.now += step_s
        reporter.on_download_progress(token, done, 3_000_000)
    reporter.on_download_completed(token)
    for index in range(2):
        clock.now += step_s
        reporter.on_link_start(index, "pkg")
        reporter.on_link_complete(index)
        reporter.on_transaction_operation_complete(index)
    reporter.on_transaction_complete()


def test_quiet_mode_says_one_line_for_the_install_phase():
    lines: list[str] = []
    clock = Clock()
    _transaction(PhaseLines(lines.append, clock), clock, step_s=1.0)
    assert lines == ["rattler: 2 changes made (2 packages linked, 1 downloaded, 3.0 MB) in 5.0 s"]


def _rich_console(out: io.StringIO):
    from rich.console import Console

    return Console(file=out, force_terminal=True, width=100)


def test_bars_show_packages_and_bytes_when_it_takes_over_a_second():
    out, lines, clock = io.StringIO(), [], Clock()
    bars = RichBars(lines.append, console=_rich_console(out), clock=clock)
    _transaction(bars, clock, step_s=0.6)
    screen = plain_text(out.getvalue())
    assert "packages" in screen and "download" in screen
    assert "3.0 MB/3.0 MB" in screen or "2.0 MB/3.0 MB" in screen
    assert lines and lines[0].startswith("rattler: 2 changes made")  # the phase line too


def test_no_bars_for_work_under_a_second():
    out, lines, clock = io.StringIO(), [], Clock()
    bars = RichBars(lines.append, console=_rich_console(out), clock=clock)
    _transaction(bars, clock, step_s=0.1)
    assert out.getvalue() == ""
    assert len(lines) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_installers_get_a_terminal_and_their_output_is_read_back_plain():
    code = (
        "import sys\n"
        "print(sys.stdout.isatty(), sys.stderr.isatty())\n"
        "print('\\x1b[1mcannot reach\\x1b[0m the index')\n"
        "sys.stderr.write('Resolving 1/3\\rResolving 3/3\\n')\n"
        "raise SystemExit(3)\n"
    )
    status, tail = run_streaming([sys.executable, "-c", code], {}, terminal=True)
    assert status == 3
    assert tail.splitlines() == ["True True", "cannot reach the index", "Resolving 3/3"]


def test_without_a_terminal_installers_get_a_pipe():
    code = "import sys; print(sys.stdout.isatty())"
    assert run_streaming([sys.executable, "-c", code], {}, terminal=False) == (0, "False\n")


def test_quiet_rattler_install_prints_one_line_per_phase(tmp_path, monkeypatch, capfd):
    """The py-rattler child with CI set: the solve line and the install line, nothing redrawn."""
    pytest.importorskip("rattler")
    pytest.importorskip("conda_package_handling.api")
    from test_install_rattler import build_noarch, index

    from scripts.install.cli import install
    from scripts.install.target import Target

    channel = tmp_path / "channel"
    shim = f'#!/bin/sh\nexec "{sys.executable}" "$@"\n'
    build_noarch(channel, "python", "3.11.99", {"bin/python": (shim, 0o755)})
    index(channel)
    (tmp_path / "environment.yml").write_text(
        f"channels:\n  - {channel.as_uri()}\ndependencies:\n  - python\n"
    )
    monkeypatch.setenv("CI", "true")
    install(
        [
            *("--backend", "rattler", "--file", str(tmp_path / "environment.yml")),
            *("--prefix", str(tmp_path / "env")),
        ],
        out=print,
        available={"rattler": "py-rattler"},
        target=Target(),
        cache_dir=tmp_path / "cache",
    )
    out = capfd.readouterr().out
    phases = [line for line in out.splitlines() if line.startswith("rattler:")]
    assert len(phases) == 2, out
    assert phases[0].startswith("rattler: solved 1 packages in ")
    assert phases[1].startswith("rattler: 1 changes made (1 packages linked")
    assert "\r" not in out and "\x1b[" not in out
