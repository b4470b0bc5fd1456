"""The tool's own fatal errors: each class carries its exit code (cibuildwheel's errors.py).

The CLI turns them into one line on stderr and the exit code, never a traceback.
"""

from __future__ import annotations

EXIT_READY = 0
EXIT_NOT_READY = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class VerifyError(Exception):
    exit_code = EXIT_USAGE

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def one_line(self) -> str:
        return f"{self.message} {self.fix}".strip() if self.fix else self.message


class UsageError(VerifyError):
    """Bad command-line usage."""


class InputError(VerifyError):
    """A file or text the user gave us cannot be used (facts file, diagnose input, ...)."""
