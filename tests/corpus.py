"""The collect_env corpus (tests/data/collect_env/*.txt): real environments people posted.

Each file starts with a header of "# key: value" lines, then the pasted text verbatim:
  # source: URL               where it was posted
  # cause: ...                what the thread itself established
  # kind: errors-only         what envdump.parse must recognise (default: collect_env)
  # facts: field=value ...    Facts fields envdump.parse must yield (None = must stay unknown)
  # expect: check-id=status   results diagnose.diagnose must give
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).parent / "data" / "collect_env"


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    cause: str
    kind: str
    text: str
    facts: dict[str, Any] = field(default_factory=dict)
    expect: dict[str, str] = field(default_factory=dict)


def _value(raw: str) -> Any:
    low = raw.lower()
    if low == "none":
        return None
    if low in ("true", "false"):
        return low == "true"
    return raw


def _pairs(raw: str) -> dict[str, Any]:
    out = {}
    for token in shlex.split(raw):
        key, sep, value = token.partition("=")
        if not sep:
            raise ValueError(f"expected key=value, got {token!r}")
        out[key] = _value(value)
    return out


def load(path: Path) -> Case:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header: dict[str, str] = {}
    facts: dict[str, Any] = {}
    expect: dict[str, str] = {}
    n = 0
    for n, line in enumerate(lines):  # noqa: B007 - n is the body's first line afterwards
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep and key in ("facts", "expect"):
            (facts if key == "facts" else expect).update(_pairs(value.strip()))
        elif sep and key in ("source", "cause", "kind"):
            header[key] = value.strip()
    else:
        n = len(lines)
    return Case(
        name=path.stem,
        source=header.get("source", ""),
        cause=header.get("cause", ""),
        kind=header.get("kind", "collect_env"),
        text="".join(lines[n:]),
        facts=facts,
        expect={k: str(v) for k, v in expect.items()},
    )


def cases() -> list[Case]:
    return [load(p) for p in sorted(CORPUS_DIR.glob("*.txt"))]
