"""pip's resolver giving up because no torch fits at all (issue 12).

    ERROR: Cannot install llm-embed-jina==0.1 ... because these package versions have
    conflicting dependencies.
    The conflict is caused by:
        llm-embed-jina 0.1.2 depends on torch
        sentence-transformers 3.3.0 depends on torch>=1.11.0

(src/pip/_internal/resolution/resolvelib/factory.py, `_report_single_requirement_conflict` /
`get_installation_error`: "The conflict is caused by:" then "<name> <version> depends on
<requirement>" per parent; simonw/llm-embed-jina#5, simonw/llm#636.) When every line asks for
torch with no upper bound and at most an old floor (<= 2.2.2, which every Mac Python PyPI ever
served can meet) and the user requested no torch of their own, pip found no torch release for
this interpreter at all: the same finding as "(from versions: none)". A conflict between two
torch pins (a "The user requested torch==1.13.1" line, a `torch==2.1.1` from torchvision) is a
version conflict, not this.
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from verify import compat
from verify.diagnosis.paste.clues import LISTED, Clue, finditer, line_at

_CAUSED = re.compile(r"The conflict is caused by:\s*\n((?:[ \t]*\S[^\n]*\n?)+)")
_DEPENDS = re.compile(r"^\s*[\w.-]+ [\w.!+-]+ depends on torch(?![\w-])([^\n]*)$", re.MULTILINE)
_REQUESTED = re.compile(r"The user requested torch\b")


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for block in finditer(_CAUSED, text, "The conflict is caused by"):
        lines = block.group(1)
        if _REQUESTED.search(lines):
            continue
        depends = list(_DEPENDS.finditer(lines))
        if len(depends) != sum(1 for line in lines.splitlines() if line.strip()):
            continue  # some parent conflicts over another package: not about torch alone
        if not depends or not all(_any_old_torch(d.group(1)) for d in depends):
            continue
        at = block.start(1) + depends[0].end() - 1  # the first "... depends on torch" line
        out.append(Clue("sign.pip_no_torch", "torch", line_at(text, at), LISTED))
    return out


def _any_old_torch(spec_text: str) -> bool:
    """Would any torch release up to 2.2.2 satisfy this requirement? ("" or ">=1.11.0": yes;
    "==2.0.1", "<2", ">=2.4": no)."""
    spec_text = spec_text.strip().split(";")[0].strip()
    if not spec_text:
        return True
    try:
        spec = SpecifierSet(spec_text)
    except InvalidSpecifier:
        return False
    if any(s.operator not in (">=", ">") for s in spec):
        return False
    return compat.LAST_MACOS_X86_64_WHEEL in spec
