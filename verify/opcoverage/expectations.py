"""torch's own MPS expectations (torch/testing/_internal/common_mps.py), read as data.

common_mps.py defines `mps_ops_modifier` only where MPS is available (`if
torch.backends.mps.is_available():`), and keys some lists on the running macOS (`MACOS_VERSION <
14.4`). So it is read here with `ast`, without importing torch: the same file gives the same answer
on a Mac, on Linux, and for a macOS version that is not this host's (recorded facts).

Inside `mps_ops_modifier` every dict literal whose name ends in LIST maps an op key (OpInfo name +
variant_test_name) to the dtypes it concerns (None: all). What a list means comes from its name:
UNIMPLEMENTED... = no MPS kernel, ...SKIPLIST = not run by torch's tests, any other = an expected
failure. A list tested together with `MACOS_VERSION <op> N` in an `if` applies only where that
comparison holds (torch's MACOS_VERSION is float("major.minor"), compared the same way here).
Sparse-only lists (`...SPARSE`) are left out: the sweep runs dense tensors.
"""

from __future__ import annotations

import ast
import operator
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

COMMON_MPS = os.path.join("testing", "_internal", "common_mps.py")
MODIFIER = "mps_ops_modifier"
_COMPARE: dict[type, Callable[[float, float], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


@dataclass(frozen=True)
class Condition:
    """`MACOS_VERSION <op> value` from common_mps; `text`: the source of a condition in another
    form (it then applies, and the reference says so)."""

    op: str = ""  # "<", ">=", ...
    value: float = 0.0
    text: str = ""  # unparsed condition (another form): applies, said so in the reference

    def holds(self, macos: str | None) -> bool | None:
        """True/False for a known macOS version, None when it cannot be told."""
        if self.text:
            return None
        version = macos_float(macos)
        if version is None:
            return None
        symbol = {v: k for k, v in _SYMBOL.items()}[self.op]
        return _COMPARE[symbol](version, self.value)

    def describe(self) -> str:
        return self.text or f"macOS {self.op} {self.value:g}"


@dataclass(frozen=True)
class Entry:
    """One op key in one of torch's lists."""

    list_name: str
    kind: str  # "unimplemented" | "xfail" | "skip"
    dtypes: tuple[str, ...] | None  # None: every dtype
    condition: Condition | None = None

    def covers(self, dtype: str) -> bool:
        return self.dtypes is None or dtype in self.dtypes


@dataclass
class MpsExpectations:
    """The lists of one torch's common_mps.py."""

    source: str  # the file read
    torch_version: str | None = None
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    lists: dict[str, Condition | None] = field(default_factory=dict)  # list name -> condition

    def lookup(self, key: str, dtype: str, macos: str | None) -> Entry | None:
        """The entry saying (key, dtype) is expected to fail on this macOS, or None.

        Unimplemented first, then expected failures, then skips; a macOS-gated entry counts when
        its condition holds, or when the macOS version is unknown (said so in the reference)."""
        found = [e for e in self.entries.get(key, ()) if e.covers(dtype)]
        found = [e for e in found if e.condition is None or e.condition.holds(macos) is not False]
        order = {"unimplemented": 0, "xfail": 1, "skip": 2}
        return min(found, key=lambda e: order[e.kind]) if found else None

    def reference(self, entry: Entry) -> str:
        where = f"torch {self.torch_version} " if self.torch_version else ""
        text = f"{where}common_mps.py {entry.list_name}"
        if entry.condition is not None:
            text += f" (when {entry.condition.describe()})"
        url = source_url(self.torch_version)
        return f"{text}: {url}" if url else text


def macos_float(macos: str | None) -> float | None:
    """torch's MACOS_VERSION: float of "major.minor" ("14.4.1" -> 14.4)."""
    if not macos:
        return None
    parts = macos.strip().split(".")[:2]
    try:
        return float(".".join(parts))
    except ValueError:
        return None


def source_url(torch_version: str | None) -> str:
    """The upstream file for a release ("2.13.0+cpu" -> tag v2.13.0); '' for dev builds."""
    m = re.match(r"^(\d+\.\d+\.\d+)(?:\+\S+)?$", torch_version or "")
    if not m:
        return ""
    return f"https://github.com/pytorch/pytorch/blob/v{m.group(1)}/torch/{COMMON_MPS}"


def common_mps_path(torch_location: str | None) -> str | None:
    if not torch_location:
        return None
    return os.path.join(torch_location, COMMON_MPS)


def _kind(list_name: str) -> str:
    if "UNIMPLEMENTED" in list_name:
        return "unimplemented"
    if "SKIP" in list_name:
        return "skip"
    return "xfail"


def _dtypes(node: ast.expr) -> tuple[str, ...] | None:
    if isinstance(node, ast.Constant) and node.value is None:
        return None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        names = []
        for elt in node.elts:
            if isinstance(elt, ast.Attribute):
                names.append(elt.attr)  # torch.float16 -> "float16"
        return tuple(names)
    return None  # a form we cannot read: every dtype


def _find_modifier(tree: ast.AST) -> ast.FunctionDef | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == MODIFIER:
            return node
    return None


def _conditions(func: ast.FunctionDef) -> dict[str, Condition]:
    """List name -> the macOS condition of the `if` that tests `key in LIST` with it."""
    found: dict[str, Condition] = {}
    for node in ast.walk(func):
        if not isinstance(node, ast.If):
            continue
        tests = [n for n in ast.walk(node.test) if isinstance(n, ast.Compare)]
        lists = [
            c.comparators[0].id
            for c in tests
            if isinstance(c.ops[0], ast.In) and isinstance(c.comparators[0], ast.Name)
        ]
        if not lists:
            continue
        cond = None
        others = [c for c in tests if not isinstance(c.ops[0], (ast.In, ast.NotIn))]
        for c in others:
            if (
                isinstance(c.left, ast.Name)
                and c.left.id == "MACOS_VERSION"
                and type(c.ops[0]) in _SYMBOL
                and isinstance(c.comparators[0], ast.Constant)
                and isinstance(c.comparators[0].value, (int, float))
            ):
                cond = Condition(_SYMBOL[type(c.ops[0])], float(c.comparators[0].value))
        if cond is None and others:
            cond = Condition(text=" and ".join(ast.unparse(c) for c in others))
        if cond is None and any(
            isinstance(n, ast.Call) and "macos" in ast.unparse(n.func).lower()
            for n in ast.walk(node.test)
        ):
            cond = Condition(text=ast.unparse(node.test))
        if cond is not None:
            for name in lists:
                found.setdefault(name, cond)
    return found


def parse(text: str, source: str = "<common_mps>", torch_version: str | None = None):
    """MpsExpectations from the text of a common_mps.py; ValueError if it has no
    mps_ops_modifier with lists (a torch whose file moved or changed shape)."""
    try:
        tree = ast.parse(text, filename=source)
    except SyntaxError as exc:
        raise ValueError(f"{source} cannot be parsed: {exc.msg}") from None
    func = _find_modifier(tree)
    if func is None:
        raise ValueError(f"{source} defines no {MODIFIER}")
    conditions = _conditions(func)
    result = MpsExpectations(source, torch_version)
    for node in ast.walk(func):
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if not (isinstance(target, ast.Name) and isinstance(value, ast.Dict)):
            continue
        name = target.id
        if not name.endswith("LIST") or "SPARSE" in name:
            continue
        cond = conditions.get(name)
        result.lists[name] = cond
        for k, v in zip(value.keys, value.values, strict=False):
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                entry = Entry(name, _kind(name), _dtypes(v), cond)
                result.entries.setdefault(k.value, []).append(entry)
    if not result.lists:
        raise ValueError(f"{source}: {MODIFIER} holds no op lists")
    return result


def load(torch_location: str | None, torch_version: str | None = None) -> MpsExpectations:
    """Read the installed torch's common_mps.py; OSError / ValueError say why not."""
    path = common_mps_path(torch_location)
    if path is None:
        raise ValueError("the torch location is unknown")
    with open(path, encoding="utf-8") as handle:
        return parse(handle.read(), path, torch_version)
