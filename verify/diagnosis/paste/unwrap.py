"""Long lines a terminal, an e-mail client or a text box wrapped at a width, read whole again.

    rejoined(text) -> text   the text with the lines it shows wrapped joined back into one each;
                             "" when nothing looks wrapped

People paste what a window showed them: a pip error whose "(from versions: 1.11.0, ..., 2.2.2)"
list ran past the terminal's width, uv's hint, a path, collect_env's Python line, a traceback's
message - broken into lines ("Error: NotImplementedError: Could not run\n
'aten::_sparse_coo_tensor_with_dims_and_tensors' with arguments from the 'SparseMPS' backend",
MouseLand/cellpose#1063 as a mail client folds it). A reader of one line then sees half a fact.
The joined lines are read besides the text (verify.diagnosis.paste.read, known_errors'
explain_all): the lines as pasted stay what they are (a collect_env key line stays a line), the
joined ones add only what the text as pasted does not say.

A line goes on in the next one when the next is not indented, not blank and does not start a
line of its own (a list item, a fence, a heading, a prompt, a table row, "Key: value", a call,
a markdown image or an HTML tag),
and either
- the text shows a width W (its longest line, with another ending within NEAR of it: a window
  wraps every line that runs past it, so the full lines of a wrapped text end within a word of
  W) and the next line's first word would not have fitted after the line (a word-wrapping mail
  client or text box, Python's textwrap), or the line is W long (a terminal cuts at W, maybe
  mid-word: read glued too, as after a hyphen a text box breaks at); or
- the line is long, ends no sentence, call or tag and is no command at a prompt (whose output
  the next line is), while the next goes on with a small letter, a digit, an acronym or what
  closes a bracket or quote (one line wrapped in a paste of short ones).
Linear in the text.
"""

from __future__ import annotations

import re

MIN_WIDTH = 60  # narrower "wraps" are a list or a poem, not a window's width
NEAR = 15  # a wrapped text's full lines end within about a word of its width
MIN_HEAD = 8  # a line's head before a long word that did not fit (a path cut after a hyphen)
LONG_TOKEN = 24  # two pieces longer than this are one path, URL or file name cut in two
# a text up to WHOLE is read again whole, its wrapped lines joined (every report seen is under
# 16 KB); of a bigger one, the lines around each wrapped one (a conda error's head line, the
# list under it), up to MAX_CHARS: the readers' time on a 5 MB paste's digest stays bounded
WHOLE = 16 * 1024
BEFORE, AFTER = 2, 8
MAX_CHARS = 4 * 1024


def rejoined(text: str) -> str:
    """The text with its wrapped lines joined back in their places; of a text over WHOLE (a big
    paste's digest), only the joined lines among the lines around them (a pip or conda error's
    head line and the list under it), at most MAX_CHARS; "" when nothing looks wrapped. A line
    cut between short words at the width is also read glued, at the end."""
    lines = [line.rstrip() for line in text.split("\n")]
    width = _width([len(line) for line in lines])
    kept: list[str] = []  # the lines, each wrapped one joined back in its place
    joined: list[int] = []  # where in kept
    glued_lines: list[str] = []
    i = 0
    while i < len(lines):
        if i == len(lines) - 1 or not _goes_on(lines[i], lines[i + 1], width):
            kept.append(lines[i])
            i += 1
            continue
        spaced = glued = lines[i]
        while i < len(lines) - 1 and _goes_on(lines[i], lines[i + 1], width):
            cut = _cut(lines[i], width)
            glued += ("" if cut else " ") + lines[i + 1]
            # a long token cut in two (a path, a URL, a wheel's name) is one token again; where
            # the cut fell between short words it may have been a word's end: read both ways
            spaced += ("" if cut and _long_token(lines[i], lines[i + 1]) else " ") + lines[i + 1]
            i += 1
        joined.append(len(kept))
        kept.append(spaced)
        if glued != spaced:
            glued_lines.append(glued)
        i += 1
    if not joined:
        return ""
    if len(text) <= WHOLE:  # a report: read whole, each reader with all its context
        return "\n".join([*kept, "", *glued_lines])
    out: list[str] = []
    size, end = 0, 0
    for k in joined:
        start = max(k - BEFORE, end)
        if out and start > end:
            out.append("")
        end = min(k + AFTER + 1, len(kept))
        out.extend(kept[start:end])
        size += sum(len(line) + 1 for line in kept[start:end])
        if size > MAX_CHARS:
            break
    if glued_lines:
        out.extend(["", *glued_lines])
    return "\n".join(out)[:MAX_CHARS]


def _width(lengths: list[int]) -> int | None:
    """The width the text was wrapped at: its longest line, when another ends within NEAR of it
    (a window wraps every line that runs past it, and the full lines of a wrapped text end within
    about a word of its width)."""
    top = max(lengths, default=0)
    if top < MIN_WIDTH or sum(top - NEAR <= n for n in lengths) < 2:
        return None
    return top


def _cut(line: str, width: int | None) -> bool:
    """Perhaps cut mid-word: a terminal cuts at its width, and a text box or textwrap breaks
    after a hyphen ("torch-2.2.2-cp312-none-\nmacosx_10_9_x86_64.whl"): read glued too."""
    return len(line) == width or (line[-1] == "-" and line[-2:-1].isalnum())


def _long_token(line: str, following: str) -> bool:
    """The last word of `line` and the first of `following` together are longer than a word."""
    return len(line.rsplit(None, 1)[-1]) + len(following.split(None, 1)[0]) > LONG_TOKEN


def _goes_on(line: str, following: str, width: int | None) -> bool:
    if len(line) < MIN_HEAD or not following or following[0] in " \t" or _STARTS.match(following):
        return False
    if width is not None and len(following) <= width and len(line) <= width and line[-1] != ":":
        first_word = following.split(None, 1)[0]
        if len(line) == width or len(line) + 1 + len(first_word) > width:
            return True
    # a long line wrapped mid-sentence, mid-list or mid-path, where no width shows (one line
    # wrapped in a paste of short ones): the next line goes on with a small letter, a digit or
    # what closes a bracket or quote, and the line ends no sentence, call or tag
    return (
        len(line) >= MIN_WIDTH
        and line[-1] not in _ENDS
        and (following[0] in _GOES_ON or _ACRONYM.match(following) is not None)
        and not _COMMAND.search(line)
    )


_ENDS = ".!?:;)]}>"
# a command at a prompt, whose output the next line is ("% python -c '...'" then "2.0.1"):
# "$ ", "% ", ">>> ", "(venv) ", "user@host dir % ", zsh themes' arrows, "[nix-shell:~/x]$ "
_COMMAND = re.compile(r"^\s*(?:[$%#>\u276f\u279c] |>>> |\(\S+\) |\S+@\S+ )|[\]~\w][$#] ")
# or an acronym ("...trying to allocate\nMPS memory.", deepforestr#15), not a log's level
_ACRONYM = re.compile(
    r"(?!(?:DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL|TRACE|FATAL)\b)[A-Z][A-Z0-9]{1,5} [a-z]"
)
_GOES_ON = frozenset("abcdefghijklmnopqrstuvwxyz0123456789)]}'\"`/,._-")
# what starts a line of its own: a list item ("- ", "* ", "1. "), a fence, a heading, a prompt,
# a table row, a "Key: value" line ("Is CUDA available: True", "Author: ..."), a call or an
# assignment in code ("print(...)", "x = ..."), a log's time stamp or bracketed tag
# ("2025-09-02T15:04:45.419280 - ", "[INFO]", collect_env's "[pip3]")
_STARTS = re.compile(
    r"[-*+•] |\d+[.)] |```|#|>|\$ |\||[A-Z][\w .()/-]{0,30}:(?: |$)|[A-Za-z_][\w.]*(?:\(| = )"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}:\d{2}|\["
    # a markdown image or an HTML tag, a line of its own in an issue's text (RameenAbdal/
    # StyleFlow#17: a sentence, then "![image](https://user-images.githubusercontent.com/...)")
    r"|!\[|<[a-zA-Z/]"
)
