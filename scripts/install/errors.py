"""The installer's one error type: what the user sees is one line with the fix (exit code 1)."""

from __future__ import annotations


class InstallError(Exception):
    """The install cannot go on. `one_line()` is what the user sees; exit code 1."""

    def __init__(self, message: str, fix: str, *, kind: str = "other") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        # what went wrong, for the backend chain: "unreachable" / "unsolvable" / "offline-cache"
        # fall through to the next backend (scripts/install/failures.py); "other" stops
        self.kind = kind

    def one_line(self) -> str:
        return f"{self.message}. Fix: {self.fix}"
