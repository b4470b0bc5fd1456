"""Which top-level `torch.X` modules and names each torch release has, read from the wheels.

`verify diagnose` reads "AttributeError: module 'torch' has no attribute 'amp'" or
"ModuleNotFoundError: No module named 'torch.compiler'" as a PyTorch too old for the code when
the release that brought `torch.X` is known. The evidence is each macOS arm64 wheel on PyPI,
read through HTTP Range requests (no whole download: the zip's central directory and one
member): a module is `torch/X/__init__.py` or `torch/X.py` in the wheel's file list; a name is
a top-level `def`, `class`, assignment or import of the wheel's `torch/__init__.py` (names that
come through `from torch._C... import *` cannot be read this way and are left out). The
sha256 of every wheel read is PyPI's own digest, recorded with it. Writes
verify/data/torch_names.json: name -> the first release read that has it.

    python -m scripts.recipes.torch_names            # all final releases with an arm64 wheel
    python -m scripts.recipes.torch_names --releases 2.0.1 2.1.0
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from packaging.version import InvalidVersion, Version

from scripts.recipes.pypi import (
    PyPIClient,
    PyPIError,
    RangeFile,
    add_client_options,
    client_from,
    write_document,
)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "verify" / "data" / "torch_names.json"
_NOT_TORCH = {"typing", "typing_extensions", "builtins", "__future__"}
# the functions `from torch._C._VariableFunctions import *` binds
STUBS = "torch/_C/_VariableFunctions.pyi"
_STUB_DEF = re.compile(r"^def (\w+)\(", re.MULTILINE)
# a public module torch.X or torch.X.Y (package or file)
_MODULE = re.compile(r"^torch/([A-Za-z]\w*(?:/[A-Za-z]\w*)?)(?:/__init__\.py|\.py)$")


def modules(names: Iterable[str]) -> set[str]:
    """The public modules torch.X and torch.X.Y in a wheel's file list, dotted: "nn.attention"."""
    return {m.group(1).replace("/", ".") for name in names if (m := _MODULE.match(name))}


def top_level_names(source: str) -> set[str]:
    """Public names torch/__init__.py binds at module level (any nesting of if/try blocks)."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                if isinstance(node, ast.ImportFrom) and node.module in _NOT_TORCH:
                    continue  # `from typing import Any`: not a torch feature
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    if alias.asname:
                        found.add(alias.asname)
                    elif isinstance(node, ast.ImportFrom):
                        found.add(alias.name)
                    elif alias.name.startswith("torch."):
                        found.add(alias.name.split(".")[1])  # `import torch.X` binds torch.X
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
                visit(getattr(node, "finalbody", []))

    visit(ast.parse(source).body)
    return {name for name in found if not name.startswith("_")}


def arm64_wheel(files: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """One macOS arm64 wheel of a release (cp310 when there is one, else the first)."""
    wheels = [f for f in files if str(f.get("filename", "")).endswith("_arm64.whl")]
    wheels.sort(key=lambda f: ("-cp310-" not in f["filename"], f["filename"]))
    return wheels[0] if wheels else None


def read_wheel(client: PyPIClient, url: str) -> tuple[set[str], set[str], set[str]]:
    """(modules, names of torch/__init__.py, members) of the remote wheel at `url`; a member
    is a name a module torch.X / torch.X.Y binds at top level, dotted: "nn.functional.gelu"."""
    with zipfile.ZipFile(RangeFile(client, url)) as zf:
        listing = zf.namelist()
        init = zf.read("torch/__init__.py").decode("utf-8")
        stubs = zf.read(STUBS).decode("utf-8") if STUBS in listing else ""
        members: set[str] = set()
        for path in listing:
            m = _MODULE.match(path)
            if m is None:
                continue
            try:
                found = top_level_names(zf.read(path).decode("utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue  # a file this Python cannot parse says nothing
            dotted = m.group(1).replace("/", ".")
            members.update(f"{dotted}.{name}" for name in found)
    names = top_level_names(init) | {n for n in _STUB_DEF.findall(stubs) if not n.startswith("_")}
    return modules(listing), names, members


def first_seen(per_release: list[tuple[str, set[str]]]) -> dict[str, str]:
    """name -> the first release (in the order given) whose set has it, for the names the newest
    release still has (a removed name, torch.eig or torch.lstsq, is missing from newer torch)."""
    first: dict[str, str] = {}
    for release, names in per_release:
        for name in sorted(names):
            first.setdefault(name, release)
    newest = per_release[-1][1] if per_release else set()
    return {name: release for name, release in first.items() if name in newest}


def final_releases(index: Mapping[str, Any]) -> list[str]:
    out = []
    for text, files in index.get("releases", {}).items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if not version.is_prerelease and not version.is_devrelease and arm64_wheel(files):
            out.append(text)
    return sorted(out, key=Version)


def build(client: PyPIClient, releases: list[str] | None) -> dict[str, Any]:
    index = client.project("torch")
    index_url = client.project_url("torch")
    releases = releases or final_releases(index)
    read, mods, names, members = [], [], [], []
    for release in sorted(releases, key=Version):
        wheel = arm64_wheel(index["releases"].get(release, []))
        if wheel is None:
            continue
        found_modules, found_names, found_members = read_wheel(
            client, urljoin(index_url, wheel["url"])
        )
        read.append(
            {
                "release": release,
                "wheel": wheel["filename"],
                "sha256": wheel.get("digests", {}).get("sha256", ""),
            }
        )
        mods.append((release, found_modules))
        names.append((release, found_names | {m for m in found_modules if "." not in m}))
        members.append((release, found_members))
        print(f"{release}: {len(found_modules)} modules, {len(found_names)} names", file=sys.stderr)
    return {
        "about": (
            "The first torch release (of the macOS arm64 wheels read, from PyPI) that has each "
            "public module torch.X / torch.X.Y (torch/X/__init__.py or torch/X.py in the wheel, "
            "one level deeper likewise; written dotted, 'backends.mps') and "
            "each name torch/__init__.py binds at top level; written by "
            "scripts/recipes/torch_names.py. A name whose first release is the oldest one read "
            "was there in every release read; names the newest release lacks (removed) are left "
            "out. Functions star-imported from torch._C are read from "
            "torch/_C/_VariableFunctions.pyi. members: the names each module torch.X / torch.X.Y "
            "binds at top level (dotted, 'nn.functional.scaled_dot_product_attention'), only those "
            "the oldest release read lacks."
        ),
        "source": "https://pypi.org/pypi/torch/json",
        "wheels": read,
        "modules": first_seen(mods),
        "names": first_seen(names),
        # only the members some release read lacks (the others say nothing about a torch's age)
        "members": {
            name: first
            for name, first in first_seen(members).items()
            if read and first != read[0]["release"]
        },
    }


def render(table: Mapping[str, Any]) -> str:
    """JSON with one name a line (diffs between regenerations stay readable)."""
    keys = [k for k in ("modules", "names", "members") if k in table]
    head = {k: v for k, v in table.items() if k not in keys}
    lines = [json.dumps(head, indent=1)[:-2] + ","]
    for key in keys:
        items = sorted(table[key].items())
        lines.append(f' "{key}": {{')
        lines += [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in items]
        if items:
            lines[-1] = lines[-1].rstrip(",")
        lines.append(" },")
    lines[-1] = " }"
    return "\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", nargs="*", help="these releases only (default: all final)")
    parser.add_argument("--out", type=Path, default=OUT)
    add_client_options(parser)
    args = parser.parse_args(argv)
    try:
        table = build(client_from(args), args.releases)
    except (PyPIError, zipfile.BadZipFile, KeyError, SyntaxError) as exc:
        print(f"torch_names: {exc}", file=sys.stderr)
        return 2
    if not write_document("torch_names", args.out, render(table)):
        return 2
    print(f"wrote {args.out}: {len(table['names'])} names from {len(table['wheels'])} wheels")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
