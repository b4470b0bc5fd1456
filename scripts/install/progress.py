"""Progress of long installer work (issue 11, item 4).

On a terminal: rich progress bars for py-rattler's install (packages linked, bytes downloaded),
shown once the work has taken a second. In CI (`CI` set) or without a terminal: one line per phase
("solved ...", "installed ..."), nothing that redraws.

py-rattler reports its install through the `InstallerReporter` protocol that `rattler.install(...,
reporter=...)` takes (py-rattler >= 0.26, rattler/install/installer.py: on_transaction_start,
on_download_start / _progress(bytes, total) / _completed, on_link_start / _complete,
on_transaction_operation_complete, on_transaction_complete; "When provided, `show_progress` is
ignored"), so the bars below are fed by rattler's own events; nothing is measured twice.
uv draws its own bars when it runs on a terminal (execute.run_streaming gives it one).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

SHOW_AFTER_S = 1.0


def quiet_mode(env: Mapping[str, str] | None = None, stream: TextIO | None = None) -> bool:
    """True in CI (`CI` set to anything but false / 0 / empty) or when output is not a terminal."""
    env = os.environ if env is None else env
    if env.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return True
    stream = sys.stdout if stream is None else stream
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class PhaseLines:
    """The quiet reporter: one line when the transaction ends (and none while it runs)."""

    def __init__(self, say: Callable[[str], None], clock: Callable[[], float] = time.monotonic):
        self.say = say
        self.clock = clock
        self.operations = 0
        self.linked = 0
        self.downloaded: dict[int, int] = {}
        self.downloads = 0
        self.started = clock()

    def on_transaction_start(self, total_operations: int) -> None:
        self.operations = total_operations
        self.started = self.clock()

    def on_download_start(self, cache_entry: int) -> int:
        self.downloads += 1
        return self.downloads

    def on_download_progress(self, download_idx: int, progress: int, total: int | None) -> None:
        self.downloaded[download_idx] = progress

    def on_link_complete(self, index: int) -> None:
        self.linked += 1

    def on_transaction_complete(self) -> None:
        fetched = sum(self.downloaded.values())
        self.say(
            f"rattler: {self.operations} changes made ({self.linked} packages linked,"
            f" {self.downloads} downloaded, {megabytes(fetched)}) in"
            f" {self.clock() - self.started:.1f} s"
        )

    # the rest of InstallerReporter: nothing to say
    def __getattr__(self, name: str):
        if name.startswith("on_"):
            return lambda *args, **kwargs: 0
        raise AttributeError(name)


class RichBars(PhaseLines):
    """Two rich bars, packages and bytes, started once the transaction has run SHOW_AFTER_S;
    the phase line is printed at the end as in quiet mode."""

    def __init__(
        self,
        say: Callable[[str], None],
        console=None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(say, clock)
        self.console = console
        self.progress = None
        self.totals: dict[int, int] = {}

    def _show(self) -> None:
        if self.progress is None:
            if self.clock() - self.started < SHOW_AFTER_S:
                return
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self.progress = Progress(
                TextColumn("{task.description:>10}"),
                BarColumn(),
                TextColumn("{task.fields[count]}"),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.packages_task = self.progress.add_task(
                "packages", total=self.operations or None, count=""
            )
            self.bytes_task = self.progress.add_task("download", total=None, count="")
            self.progress.start()
        total = sum(self.totals.values()) or None
        done = sum(self.downloaded.values())
        self.progress.update(
            self.packages_task,
            completed=self.linked,
            count=f"{self.linked}/{self.operations}",
        )
        self.progress.update(
            self.bytes_task,
            completed=done,
            total=total,
            count=f"{megabytes(done)}" + (f"/{megabytes(total)}" if total else ""),
        )

    def on_download_progress(self, download_idx: int, progress: int, total: int | None) -> None:
        super().on_download_progress(download_idx, progress, total)
        if total:
            self.totals[download_idx] = total
        self._show()

    def on_link_complete(self, index: int) -> None:
        super().on_link_complete(index)
        self._show()

    def on_transaction_complete(self) -> None:
        if self.progress is not None:
            self.progress.stop()
        super().on_transaction_complete()


def solving_status(quiet: bool, text: str):
    """A spinner while py-rattler fetches repodata and solves (a terminal only)."""
    if quiet:
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(text)


def reporter(say: Callable[[str], None], quiet: bool) -> PhaseLines:
    return PhaseLines(say) if quiet else RichBars(say)
