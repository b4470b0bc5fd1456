"""Read fleet inputs: report files, folders of them, or `-` (stdin: one report, a JSON list of
reports, or JSON lines). Every input that is not a usable schema-1 report becomes a `BadInput`
naming it with the reason in one line; the others are still read."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from verify import TOOL_NAME

SCHEMA = 1
MAX_FILE_BYTES = 5 * 1024 * 1024
STATUSES = ("pass", "fail", "warn", "skip")
VERDICTS = ("ready", "not-ready")


@dataclass(frozen=True)
class Entry:
    """One report as read: where it came from (a short label, and the input it was in)."""

    label: str
    source: str
    data: dict[str, Any]


@dataclass(frozen=True)
class BadInput:
    source: str
    reason: str

    def one_line(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Loaded:
    entries: list[Entry] = field(default_factory=list)
    bad: list[BadInput] = field(default_factory=list)


def problem(data: Any) -> str | None:
    """Why `data` is not a schema-1 report of ours, or None when it is one."""
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not a report object"
    if "schema" not in data:
        if "facts_schema" in data:
            return (
                "host facts (`python -m verify facts`), not a report: run `python -m verify --json`"
            )
        return f'not a {TOOL_NAME} report (no "schema" field)'
    if data["schema"] != SCHEMA:
        return f"report schema {data['schema']!r}; this verify reads schema {SCHEMA}"
    tool = data.get("tool")
    name = tool.get("name") if isinstance(tool, dict) else None
    if name != TOOL_NAME:
        return f"written by {name!r}, not {TOOL_NAME}"
    if not isinstance(data.get("host"), dict):
        return 'its "host" is missing or not an object'
    if data.get("verdict") not in VERDICTS:
        return f"its verdict {data.get('verdict')!r} is not one of {', '.join(VERDICTS)}"
    checks = data.get("checks")
    if not isinstance(checks, list):
        return 'its "checks" is missing or not a list'
    for i, check in enumerate(checks):
        if not isinstance(check, dict) or not isinstance(check.get("id"), str):
            return f"checks[{i}] is not a check object"
        if check.get("status") not in STATUSES:
            return f"checks[{i}] ({check['id']}) has status {check.get('status')!r}"
    return None


def json_problem(text: str, exc: json.JSONDecodeError) -> str:
    if not text.strip():
        return "empty"
    # the parser stopped at the end, or in a string that runs to the end (a cut-off file)
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        return f"truncated JSON (it ends at line {exc.lineno} in the middle of a value)"
    return f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"


def documents(text: str) -> Iterator[tuple[str, Any]]:
    """(suffix, document) for a whole-file JSON value, else for each JSON line. A list (the
    diagnose command's several reports) or {"reports": [...]} gives one document per item.
    Raises ValueError with the reason when the text is not JSON at all."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) < 2:
            raise ValueError(json_problem(text, exc)) from None
        parsed = []
        for n, line in lines:  # JSON lines: each line one report
            try:
                parsed.append((f":{n}", json.loads(line)))
            except json.JSONDecodeError as line_exc:
                if n == lines[0][0]:
                    raise ValueError(json_problem(text, exc)) from None
                parsed.append((f":{n}", ValueError(json_problem(line, line_exc))))
        yield from parsed
        return
    if isinstance(value, dict) and isinstance(value.get("reports"), list) and "schema" not in value:
        value = value["reports"]
    if isinstance(value, list):
        if not value:
            raise ValueError("an empty list, no report in it")
        for i, item in enumerate(value):
            yield f"[{i}]", item
    else:
        yield "", value


def read_bounded(handle: BinaryIO) -> bytes:
    raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, not a report")
    return raw


def unwrap(doc: Any) -> tuple[Any, str | None]:
    """A row of `verify diagnose --json` over several inputs ({"file", "verdict",
    "first_cause", "report"}) -> (its report, the pasted file's name); anything else as it is."""
    if isinstance(doc, dict) and "schema" not in doc and isinstance(doc.get("report"), dict):
        name = doc.get("file")
        return doc["report"], Path(name).stem if isinstance(name, str) and name else None
    return doc, None


def load_text(text: str, source: str, label: str, into: Loaded) -> None:
    try:
        for suffix, item in documents(text):
            where = f"{source}{suffix}"
            doc, name = unwrap(item)
            reason = str(doc) if isinstance(doc, ValueError) else problem(doc)
            if reason:
                into.bad.append(BadInput(where, reason))
            else:
                into.entries.append(Entry(name or f"{label}{suffix}", where, doc))
    except ValueError as exc:
        into.bad.append(BadInput(source, str(exc)))


def load_file(path: Path, label: str, into: Loaded) -> None:
    try:
        with open(path, "rb") as handle:
            raw = read_bounded(handle)
    except OSError as exc:
        into.bad.append(BadInput(str(path), f"cannot read it ({exc.strerror or exc})"))
        return
    except ValueError as exc:
        into.bad.append(BadInput(str(path), str(exc)))
        return
    if b"\x00" in raw:
        into.bad.append(BadInput(str(path), "binary data, not a JSON report"))
        return
    load_text(raw.decode("utf-8", errors="replace"), str(path), label, into)


def load(sources: Iterable[str], stdin: BinaryIO | None = None) -> Loaded:
    """Every report in `sources` (files, folders searched for *.json, `-` for stdin)."""
    loaded = Loaded()
    for source in sources:
        if source == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            try:
                raw = read_bounded(stream)
            except ValueError as exc:
                loaded.bad.append(BadInput("-", str(exc)))
                continue
            load_text(raw.decode("utf-8", errors="replace"), "-", "stdin", loaded)
            continue
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not found:
                loaded.bad.append(BadInput(source, "a folder with no *.json report in it"))
            for item in found:
                load_file(item, item.relative_to(path).with_suffix("").as_posix(), loaded)
        elif path.exists():
            load_file(path, path.stem, loaded)
        else:
            loaded.bad.append(BadInput(source, "no such file or folder"))
    return loaded
