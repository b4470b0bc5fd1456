"""A print of several expressions and the line it printed, paired one to one.

People check a setup with one line, as PyTorch's MPS notes suggest:
    python -c "import torch; print(torch.__version__, torch.backends.mps.is_available())"
    2.2.1 True
print() writes its arguments separated by single spaces, so when the next line has exactly as
many words as the print has arguments, each word is that argument's value. Only expressions
that name a fact are read (EXPRESSIONS); a value with spaces (sys.version) makes the counts
differ and nothing is read.

A labelled print is read with the line it printed wherever that line comes later in the paste (a
script, then its output): print(f"Python architecture: {platform.machine()}") and the line
"Python architecture: arm64" (conda-forge/pytorch-cpu-feedstock#403), print("arch:",
platform.machine()) and "arch: arm64" (pytorch/pytorch#167679).
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import STRONG, Clue, finditer, quote

# print( ... ) on one line (a `python -c` one-liner, a REPL line or a script line)
PRINT_CALL = re.compile(r"\bprint\(([^\n]*)\)[\"'`]*[ \t]*$", re.MULTILINE)
_VERSION = re.compile(r"^\d+\.\d+(?:\.\d+)?[\w.+]*$")
_BOOL = {"True": True, "False": False}
_MACHINE = {"arm64": "arm64", "x86_64": "x86_64", "i386": "x86_64", "aarch64": "aarch64"}
# platform.processor() on macOS: "arm" for an arm64 process, "i386" for an x86_64 one (also under
# Rosetta: Lightning-AI/pytorch-lightning#14634)
_PROCESSOR = {"arm": "arm64", "i386": "x86_64"}
# a print of one labelled expression: an f-string ending in it, or a string then it
LABELLED = re.compile(
    r"""\bprint\(\s*(?:f(["'])([^"'{}\n]*)\{([\w.()\[\]]+)\}\1"""
    r"""|(["'])([^"'{}\n]*)\4\s*,\s*([\w.()\[\]]+))\s*\)"""
)
WINDOW = 20_000  # characters after a labelled print where its output line is looked for

# expression -> (Facts field, how its printed word reads)
EXPRESSIONS = {
    "torch.__version__": ("torch_version", "version"),
    "torch.backends.mps.is_available()": ("mps_available", "bool"),
    "torch.backends.mps.is_built()": ("mps_built", "bool"),
    "platform.machine()": ("machine", "machine"),
    "platform.processor()": ("machine", "processor"),
    "platform.python_version()": ("python_version", "version"),
    "platform.mac_ver()[0]": ("macos_version", "version"),
}


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(PRINT_CALL, text, "print("):
        args = _arguments(m.group(1))
        if len(args) < 2 or not any(a in EXPRESSIONS for a in args):
            continue
        printed = _next_line(text, m.end())
        if printed is None:
            continue
        words = printed.split()
        if len(words) != len(args):
            continue
        for arg, word in zip(args, words, strict=True):
            fact = _value(arg, word)
            if fact is not None:
                # the interpreter's own answer (platform.machine() is the process's own)
                out.append(Clue(fact[0], fact[1], quote(printed), STRONG))
    out.extend(_labelled(text))
    return out


def _labelled(text: str) -> list[Clue]:
    """print(f"<label>{expr}") / print("<label>", expr) and the later line "<label> <value>"."""
    out: list[Clue] = []
    for m in finditer(LABELLED, text, "print("):
        label, arg = (m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(6))
        label = label.strip()
        if arg not in EXPRESSIONS or len(label) < 3 or not re.search(r"[A-Za-z]", label):
            continue
        shown = re.compile(r"^[ \t>]*" + re.escape(label) + r"[ \t]*(\S+)", re.MULTILINE)
        printed = shown.search(text, m.end(), m.end() + WINDOW)
        if printed is None:
            continue
        fact = _value(arg, printed.group(1))
        if fact is not None:
            end = text.find("\n", printed.start())
            line = text[printed.start() : end if end != -1 else len(text)].strip()
            out.append(Clue(fact[0], fact[1], quote(line), STRONG))
    return out


def _arguments(inner: str) -> list[str]:
    """print's top-level arguments, without spaces; [] when keywords or strings make it unsure."""
    args, depth, current = [], 0, ""
    for ch in inner:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                return []
        if ch == "," and depth == 0:
            args.append(current.strip())
            current = ""
        else:
            current += ch
    args.append(current.strip())
    if any(not a or "=" in a or a[0] in "'\"f" for a in args):
        return []  # sep=..., a string literal or an f-string: the words do not line up
    return [re.sub(r"\s+", "", a) for a in args]


def _next_line(text: str, end: int) -> str | None:
    """The first non-empty line after the print, when it is output (not another prompt/code)."""
    for raw in text[end:].split("\n", 4)[1:4]:
        line = raw.strip().strip("`").strip()
        if not line:
            continue
        if line.startswith((">>>", "$", "%", "#", "In [")) or "(" in line or "=" in line:
            return None
        return re.sub(r"^Out\[\d+\]:\s*", "", line)
    return None


def _value(arg: str, word: str) -> tuple[str, object] | None:
    spec = EXPRESSIONS.get(arg)
    if spec is None:
        return None
    name, kind = spec
    word = word.strip("'\",")
    if kind == "bool":
        return (name, _BOOL[word]) if word in _BOOL else None
    if kind == "machine":
        return (name, _MACHINE[word]) if word in _MACHINE else None
    if kind == "processor":
        return (name, _PROCESSOR[word]) if word in _PROCESSOR else None
    return (name, word) if _VERSION.match(word) else None
