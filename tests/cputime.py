"""CPU time for the tests' speed limits, instead of wall time.

On a loaded machine (2 cores, several test runs at once) wall time grows with the other
processes' load; the CPU time a piece of work uses does not. A limit on CPU time still catches
what the speed tests guard (work that became slower: a solve, a re-read, a quadratic loop) without
failing because someone else is busy. Children count once they are waited for (subprocess.run).
"""

from __future__ import annotations

import os


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its waited-for children so far."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
