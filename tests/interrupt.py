"""SIGINT for the children that tests interrupt, as a terminal's Ctrl-C finds it."""

from __future__ import annotations

import signal


def sigint_as_typed() -> None:
    """subprocess.Popen's preexec_fn for a child a test sends SIGINT: a job that a
    non-interactive shell starts in the background (`cmd &` in a CI script) inherits SIGINT
    ignored, and a Python started so raises no KeyboardInterrupt; the default restored, it
    does, as under a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
