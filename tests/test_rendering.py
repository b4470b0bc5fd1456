"""The diagnosis of a real report does not depend on how it was copied (issue 12).

The same report reaches `verify diagnose` in many shapes: quoted in a reply, with Windows line
endings, out of a Markdown file with its line-break spaces, with a rendered page's code fences
gone, indented as a Markdown code block, through an HTML page's entities and non-breaking
spaces, or as a raw log that kept the terminal's colours. Each shape is made here from every
20th labelled real report in tests/data (about 160 of them) and must give the same failing and
warning rows, in the same order of "Fix first", as the report as collected.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import corpus
import pytest

from verify.diagnosis import diagnose
from verify.model import Status

SAMPLE = [case for n, (_, case) in enumerate(corpus.reports()) if n % 20 == 0]
_ERROR_LINE = re.compile(r"^(\w*(?:Error|Exception)\b.*)$", re.MULTILINE)

COPIES: dict[str, Callable[[str], str]] = {
    # a reply that quotes the whole report
    "quoted": lambda t: "".join("> " + line for line in t.splitlines(keepends=True)),
    "windows line endings": lambda t: t.replace("\n", "\r\n"),
    # Markdown's hard line break (two spaces ending a line), an editor's padding
    "spaces ending lines": lambda t: t.replace("\n", "  \n"),
    # a rendered page copied from the browser: the fences' marks are not in the copy, nor are
    # inline code's backquotes and bold's asterisks
    "fences gone": lambda t: re.sub(r"(```|~~~)[\w+-]*", "", t),
    "inline marks gone": lambda t: re.sub(r"\*\*(.+?)\*\*|`([^`\n]+)`", r"\1\2", t),
    # a Markdown code block by indentation
    "indented": lambda t: "".join("    " + line for line in t.splitlines(keepends=True)),
    # a page's HTML source: entities for quotes and brackets, non-breaking spaces
    "html entities": lambda t: html.escape(t).replace(" ", "&nbsp;", 3),
    "non-breaking spaces": lambda t: t.replace(" ", "\u00a0"),
    # a raw log that kept the terminal's colours around its error lines
    "terminal colours": lambda t: _ERROR_LINE.sub("\x1b[1;31m\\1\x1b[0m", t),
}


def _outcome(text: str) -> tuple[str | None, list[tuple[str, str]]] | None:
    rows = corpus.diagnosed(text)
    if rows is None:
        return None
    flagged = [(r.id, r.status.name) for r in rows if r.status in (Status.FAIL, Status.WARN)]
    first = diagnose.first_cause(rows)
    return (first.id if first else None, flagged)


def test_the_sample_is_real_reports_of_every_kind():
    assert len(SAMPLE) >= 150
    assert len({case.label for case in SAMPLE}) >= 12


@pytest.mark.parametrize("copy", sorted(COPIES))
def test_a_report_copied_another_way_is_diagnosed_the_same(copy: str):
    changed = [
        case.name for case in SAMPLE if _outcome(COPIES[copy](case.text)) != _outcome(case.text)
    ]
    assert not changed, f"{copy}: {changed}"


# the reports whose reading once changed with the copy (a sweep over all 3,148, session 26)
ONCE_CHANGED = [
    ("holdout48/comfyui-teacache-26-inductor-mps-float64-keyerror", "spaces ending lines"),
    ("holdout2/second-me-32-intel-mac-poetry-no-torch-2.5.1-candidates", "spaces ending lines"),
    ("holdout29/cellseg3d-74-max-pool3d-upsample-trilinear3d-not-on-mps", "quoted"),
    ("holdout6/invokeai-7063-flux-rope-float64-on-mps", "quoted"),
    ("holdout40/pytorch-88820-jit-load-mps-needs-newer-torch", "terminal colours"),
    ("holdout48/pytorch-forecasting-1721-mps-fallback-detaches-graph", "terminal colours"),
    ("holdout57/mmcv-2218-install-arm-macos-callonce", "inline marks gone"),
    ("holdout174/pytorch-176159-index-add-macos14-transposed", "inline marks gone"),
    ("collect_env/runner-images-14380-macos-26-mpsgraph-wrong-outputs", "inline marks gone"),
    ("collect_env/pixelrag-61-uv-lock-linux-only-on-macos", "inline marks gone"),
    ("holdout190/text-generation-webui-3735-cuda-fp16-mac-m2", "inline marks gone"),
    ("holdout40/nba-ai-31-torch-plus-cpu-pin-macos", "inline marks gone"),
]


@pytest.mark.parametrize(("name", "copy"), ONCE_CHANGED)
def test_the_reports_a_copy_once_changed_are_diagnosed_the_same(name: str, copy: str):
    case = corpus.load(corpus.CORPUS_DIR.parent / f"{name}.txt")
    assert _outcome(COPIES[copy](case.text)) == _outcome(case.text)
