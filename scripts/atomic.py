"""Atomic file writes for the scripts: the one implementation lives in verify.atomic."""

from verify.atomic import write_bytes, write_text

__all__ = ["write_bytes", "write_text"]
