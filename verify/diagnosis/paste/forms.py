"""Versions given in a form rather than a sentence: GitHub issue forms and Markdown tables.

- Issue forms (.github/ISSUE_TEMPLATE/*.yml) render each field as a heading and the answer under
  it, "### OS\\n\\nmacOS 14.2", "### Python version\\n\\n3.10", "### PyTorch version\\n\\n2.1.0"
  (an empty answer is "_No response_"; GitHub's "Syntax for issue forms" docs).
- Issue forms' checkboxes: "### Operating System" over "- [ ] Linux" / "- [X] Apple MacOS", the
  one ticked option read as the answer.
- Template fields with their example in parentheses, the answer after it: "- Python version
  (e.g. 3.10): 3.12.0".
- Markdown tables of versions: two-column rows "| torch | 2.1.0 |", or a header row of names over
  one row of values ("| OS | Python | torch |" / "|---|---|---|" / "| macOS 14.2 | 3.10 | 2.1.0 |").

Each (name, value) pair is read as the "Name: value" line it stands for, by the readers of typed
versions (.versions, .system), and quoted as the pasted line(s) it came from. A table of several
value rows is a matrix of setups someone tried, not one machine: it is not read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from verify.diagnosis.paste import system, versions
from verify.diagnosis.paste.clues import LISTED, MAX_MATCHES, Clue, finditer, quote

_M = re.MULTILINE
# a heading, blank lines (or none: a copy that dropped them, "### Python version | Python 版本"
# over "3.12": opendatalab/MinerU#940), then the answer's first line (not another heading, not
# a fence)
HEADING = re.compile(
    r"^[ \t]*#{2,4}[ \t]+([^\n#]{2,60}?)[ \t]*\n(?:[ \t]*\n)*[ \t]*(?!#|```|_No response_)"
    r"([^\n]{1,120}?)[ \t]*$",
    _M,
)
# an issue form's checkboxes under a heading: "### Operating System" then "- [ ] Linux",
# "- [X] Apple MacOS" (Josh-XT/AGiXT#566; GitHub renders a `checkboxes` field's options as a task
# list): the one ticked option is the answer
CHECKLIST = re.compile(
    r"^[ \t]*#{2,4}[ \t]+([^\n#]{2,60}?)[ \t]*\n(?:[ \t]*\n)*"
    r"((?:[ \t]*[-*][ \t]+\[[ xX]?\][^\n]*(?:\n|$))+)",
    _M,
)
# a template's field with its example in parentheses, the answer after it: " - Python version
# (e.g. 3.10): 3.12.0", " - Device (e.g. iPhone 12 Pro, PC+RTX 3090, ...) Macbook Air M1"
# (mlc-ai/mlc-llm#1247, the project's bug template): the example is no answer, the rest of the
# line is
EXAMPLE = re.compile(r"\((?:e\.?g\.?|ex\.|for example|such as),?[ \t][^()\n]*\)", re.IGNORECASE)
HINTED = re.compile(
    r"^[ \t]*(?:[-*][ \t]+)?([^\n():]{2,40}?)[ \t]*"
    + EXAMPLE.pattern
    + r"[ \t]*:?[ \t]*([^\s(][^\n]{0,119}?)[ \t]*$",
    _M | re.IGNORECASE,
)
_TICKED = re.compile(r"^[ \t]*[-*][ \t]+\[[xX]\][ \t]*([^\n]+?)[ \t]*$", _M)
ROW = re.compile(r"^[ \t]*\|(.+)\|[ \t]*$", _M)
_SEPARATOR = re.compile(r"^[\s|:-]+$")

# what a field's name asks for -> the "Key: value" line its answer is read as (first match wins:
# "PyTorch version" is torch, not Python)
_FIELDS = (
    (re.compile(r"\b(?:py)?torch\b|\blibtorch\b", re.IGNORECASE), "PyTorch version: {}"),
    (re.compile(r"\bpython\b", re.IGNORECASE), "Python version: {}"),
    (
        re.compile(r"\b(?:OS|operating system|macOS|platform|system)\b", re.IGNORECASE),
        "OS: {}",
    ),
    (
        re.compile(r"\b(?:chip|hardware|processor|CPU|GPU|machine|Mac|computer)\b", re.IGNORECASE),
        "Chip: {}",
    ),
)
_READERS = (versions.read, system.read)
_MACOS_NAME = re.compile(r"\bmac\s?OS(?:\s?X)?\b|\bOS\s?X\b", re.IGNORECASE)


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    if "#" in text:
        for m in finditer(HEADING, text):
            line = quote(m.group(1)) + " / " + quote(m.group(2))
            out.extend(_answer(m.group(1), m.group(2), line))
        for m in finditer(CHECKLIST, text, "[x]", "[X]"):
            ticked = _TICKED.findall(m.group(2))
            if len(ticked) == 1:  # several: a list of what applies, not one answer
                line = quote(m.group(1)) + " / " + quote(f"[x] {ticked[0]}")
                option = re.sub(r"^(?:Apple|Microsoft)[ \t]+", "", ticked[0])  # "Apple MacOS"
                out.extend(_answer(m.group(1), option, line))
    if "(e" in text or "(E" in text or "(for" in text or "(such" in text:
        for m in finditer(HINTED, text):
            out.extend(_answer(m.group(1), m.group(2), quote(m.group(0).strip())))
    if "|" in text:
        for name, value, line in itertools.islice(_table_pairs(text), MAX_MATCHES):
            out.extend(_answer(name, value, line))
    return out


def _answer(name: str, value: str, line: str) -> list[Clue]:
    name = name.strip().strip("*`").strip()
    value = value.strip().strip("*`").strip()
    if not value or len(name) > 40 or re.match(r"[-*][ \t]+\[[ xX]?\]", value):
        return []  # nothing, or a checklist (its ticked item is not on the first line)
    for asks, form in _FIELDS:
        if asks.search(name):
            if form.startswith("OS") and re.match(r"\d", value) and _MACOS_NAME.search(name):
                value = "macOS " + value  # "| macOS | 14.2 |"
            typed = form.format(value)
            found = [c for reader in _READERS for c in reader(typed)]
            return [Clue(c.field, c.value, line, max(c.weight, LISTED)) for c in found]
    return []


def _table_pairs(text: str) -> Iterator[tuple[str, str, str]]:
    """(name, value, quoted line) from each Markdown table in the text: a header of field names
    over one row of values, or rows of (name, value)."""
    for table in _tables(text):
        rows = [[cell.strip() for cell in inner.split("|")] for inner, _ in table]
        if len(rows) >= 2 and _SEPARATOR.match(table[1][0]):
            header, body, lines = rows[0], rows[2:], [raw for _, raw in table[2:]]
            if sum(_asks(name) for name in header) >= 2:
                if len(body) == 1 and len(body[0]) == len(header):
                    line = quote(table[0][1]) + " / " + quote(lines[0])
                    yield from ((n, v, line) for n, v in zip(header, body[0], strict=True))
                continue  # several value rows: setups someone tried, not one machine
            rows = body
        else:
            lines = [raw for _, raw in table]
        for cells, raw in zip(rows, lines, strict=True):
            if len(cells) == 2:
                yield cells[0], cells[1], quote(raw)


def _asks(name: str) -> bool:
    return any(asks.search(name) for asks, _ in _FIELDS)


def _tables(text: str) -> Iterator[list[tuple[str, str]]]:
    """Runs of consecutive table rows: (inner text, whole line) each."""
    run: list[tuple[str, str]] = []
    last_end = -1
    for m in ROW.finditer(text):
        if run and m.start() != last_end + 1:
            yield run
            run = []
        run.append((m.group(1), m.group(0)))
        last_end = m.end()
    if run:
        yield run
