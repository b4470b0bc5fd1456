"""Which torch release brought each top-level `torch.X` module or name (issue 12).

"AttributeError: module 'torch' has no attribute 'amp'" or "ModuleNotFoundError: No module named
'torch.compiler'" from code written for a newer PyTorch: the torch that ran it predates torch.X.
The release that brought each name is read from the macOS arm64 wheels on PyPI
(verify/data/torch_names.json, written by scripts/recipes/torch_names.py: a module is
torch/X/__init__.py or torch/X.py in the wheel, a name one that torch/__init__.py or
torch/_C/_VariableFunctions.pyi binds). Only names some release read lacks are readable: one
that every arm64 wheel has (torch.nn, torch.cuda) says nothing about the torch's age, and a
name the newest release no longer has (torch.eig, torch.lstsq) is missing from NEWER torch, so
it is left out of the data.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

RESOURCE = "torch_names.json"
# "module 'torch' has no attribute 'mps'" and "module 'torch.backends' has no attribute 'mps'"
# have readings of their own (verify.known_errors' mps.torch_too_old,
# verify.diagnosis.platform_messages.torch_mps_module_missing); "No module named 'torch.mps'" is
# read here
_OWN_READING = frozenset({"mps", "backends.mps"})


# A final release as its numbers, (2, 0, 0): the data holds final releases only, and this module
# is imported by the check worker (verify.known_errors), which runs in the user's environment
# where `packaging` may be missing; predates() parses the pasted version with packaging.
Release = tuple[int, ...]


def _release(text: str) -> Release:
    return tuple(int(part) for part in text.split("."))


@dataclass(frozen=True)
class Table:
    oldest: Release
    modules: dict[str, Release]  # dotted below torch: "amp", "backends.mps", "nn.attention"
    names: dict[str, Release]  # what `import torch` binds: "compile", "autocast", "amp"
    # what torch.X / torch.X.Y binds, dotted: "nn.functional.scaled_dot_product_attention"
    members: dict[str, Release]


@functools.cache
def table() -> Table:
    text = resources.files("verify").joinpath("data", RESOURCE).read_text("utf-8")
    data = json.loads(text)
    oldest = min(_release(w["release"]) for w in data["wheels"])
    return Table(
        oldest,
        {k: _release(v) for k, v in data["modules"].items()},
        {k: _release(v) for k, v in data["names"].items()},
        {k: _release(v) for k, v in data.get("members", {}).items()},
    )


def first_release(name: str, *, module: bool) -> Release | None:
    """The first release read that has torch.`name` (dotted below torch; as a module when
    `module`), when some release read lacks it; else None."""
    t = table()
    if module:
        first = t.modules.get(name)
    elif "." in name:
        first = t.modules.get(name) or t.members.get(name)
    else:
        first = t.modules.get(name) or t.names.get(name)
    if first is None or first <= t.oldest:
        return None
    return first


# The interpreter's words about a missing torch.X (or torch.X.Y): the AttributeError of `torch.X`
# / `torch.X.Y` and the ModuleNotFoundError of `import torch.X`, with the rest of the line. Any
# name matches here; missing() keeps those the data knows a first release for (a regex of the
# ~2,400 names themselves cost 0.08 s to build at import, for every CLI run and check worker).
# The AttributeError is also pasted translated, in the words of Python's Chinese documentation:
# "模块 'torch.mps' 没有属性 'is_available'" (lihaoyun6/ComfyUI-FlashVSR_Ultra_Fast#25, where the
# torch predated torch.mps.is_available, 2.5).
SAID = re.compile(
    r"(?:(?:module|模块) 'torch(?:\.(?P<parent>[\w.]+))?' (?:has no attribute|没有属性) "
    r"'(?P<attr>\w+)'|"
    r"No module named '?torch\.(?P<mod>[\w.]+?)'?(?![\w.]))[^\n]*"
)


@dataclass(frozen=True)
class Missing:
    """torch.`name` missing (dotted below torch), and the first release that has it."""

    name: str
    module: bool
    first: Release

    @property
    def first_text(self) -> str:
        return ".".join(map(str, self.first))


def missing(message: str) -> Missing | None:
    """What a pasted AttributeError / ModuleNotFoundError says is missing, when readable."""
    m = SAID.search(message)
    if m is None:
        return None
    if m.group("mod"):
        name, module = m.group("mod"), True
    else:
        parent = m.group("parent")
        name = f"{parent}.{m.group('attr')}" if parent else m.group("attr")
        module = False
        if name in _OWN_READING:
            return None
    first = first_release(name, module=module)
    return None if first is None else Missing(name, module, first)


def predates(found: Missing, torch_version: str | None) -> bool | None:
    """Does the pasted torch predate `found`'s first release? None: the torch is not known."""
    if not torch_version:
        return None
    from packaging.version import InvalidVersion, Version  # not needed by the worker

    try:
        version = Version(torch_version.split("+")[0])
    except InvalidVersion:
        return None
    return version.release < found.first
