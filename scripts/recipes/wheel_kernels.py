"""Which ATen operators have an MPS kernel in which torch release, read from the wheels themselves.

`verify diagnose` must tell "this torch is too old for the operator" (upgrade torch) from "no torch
has it on MPS" (the CPU fallback) when a user pastes "The operator 'aten::X' is not currently
implemented for the MPS device". The evidence is each macOS arm64 wheel's libtorch_cpu.dylib: the
MPS kernels are registered by the generated RegisterMPS.cpp, whose per-operator wrapper functions
(`at::(anonymous)::wrapper_MPS_<overload>_<name>`, without the `MPS_` before torch 2.0) are local
symbols of that object file. The linker writes an object file's local symbols together in the
symbol table, ending with its static initialiser `__GLOBAL__sub_I_RegisterMPS.cpp`; this script
takes the wrapper names between the previous object's initialiser and that one, maps each to the
operator schemas it can stand for (torchgen names a wrapper `<overload>_<cpp name>`, structured
kernels `<cpp name>_<overload>`, torch 1.12 `<overload>_<cpp name>_<overload>`), and writes
verify/data/mps_kernels.json: operator -> the runs of releases read whose wheel registers an MPS
kernel for it, as [first, last] pairs (last null: still in the newest wheel read).

Operator names come from the running torch (`torch._C._jit_get_all_schemas()`), so run it with a
recent torch; wrappers no schema of it explains are counted in the output's `unmapped`. Give it
wheels fetched with `pip download --no-deps --only-binary=:all: --platform macosx_11_0_arm64
torch==X` and their sha256 list (`sha256sum *.whl`), the same wheels as tests/data/torch_wheels/:

    python -m scripts.recipes.wheel_kernels --sha256sums SHA256SUMS /tmp/wheels/*arm64.whl
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from packaging.version import Version

from verify.atomic import write_text

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "verify" / "data" / "mps_kernels.json"
LIBRARY = "torch/lib/libtorch_cpu.dylib"
INITIALISER = "__GLOBAL__sub_I_"
REGISTER_MPS = INITIALISER + "RegisterMPS.cpp"
LC_SYMTAB = 0x2
_NLIST = struct.Struct("<IBBHQ")  # nlist_64: n_strx, n_type, n_sect, n_desc, n_value
# an Itanium-mangled identifier in the anonymous namespace: ..._GLOBAL__N_1<len><identifier>
_WRAPPER = re.compile(r"N_1(\d+)(wrapper_\w+)")


def symbol_names(data: bytes) -> list[str]:
    """The symbol table of a thin 64-bit Mach-O, in table order."""
    if struct.unpack_from("<I", data)[0] != 0xFEEDFACF:
        raise ValueError("not a thin 64-bit Mach-O")
    ncmds = struct.unpack_from("<I", data, 16)[0]
    off = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<2I", data, off)
        if cmd == LC_SYMTAB:
            symoff, nsyms, stroff, _strsize = struct.unpack_from("<4I", data, off + 8)
            names = []
            for i in range(nsyms):
                strx = _NLIST.unpack_from(data, symoff + _NLIST.size * i)[0]
                start = stroff + strx
                names.append(data[start : data.index(b"\0", start)].decode("latin-1"))
            return names
        off += size
    raise ValueError("no LC_SYMTAB load command")


def mps_wrappers(names: list[str]) -> set[str]:
    """The wrapper identifiers of RegisterMPS.cpp ('MPS_' prefix removed). From torch 2.0 every
    wrapper is named `wrapper_MPS_...` (2.7 split the file into RegisterMPS_N.cpp); before, the
    local symbols between the previous object file's initialiser and RegisterMPS.cpp's own."""
    prefixed = _identifiers(names, "wrapper_MPS_")
    if prefixed:
        return prefixed
    try:
        end = names.index("_" + REGISTER_MPS)
    except ValueError:
        try:
            end = names.index(REGISTER_MPS)
        except ValueError:
            return set()  # torch 1.11: no MPS backend
    start = end - 1
    while start > 0 and INITIALISER not in names[start]:
        start -= 1
    return _identifiers(names[start + 1 : end], "wrapper_")


def _identifiers(names: Iterable[str], prefix: str) -> set[str]:
    found = set()
    for name in names:
        for m in _WRAPPER.finditer(name):
            ident = m.group(2)[: int(m.group(1))]
            if len(ident) == int(m.group(1)) and ident.startswith(prefix):
                found.add(ident.removeprefix("wrapper_").removeprefix("MPS_"))
    return found


def candidates(name: str, overload: str, is_out: bool) -> Iterator[str]:
    """The wrapper identifiers torchgen gives the operator `name.overload` in its releases."""
    base = name.removeprefix("aten::")
    for cpp in (base + "_out", base) if is_out else (base,):
        yield f"{overload}_{cpp}"  # 1.13+: wrapper_MPS_<overload>_<cpp name>
        yield f"{overload}_{cpp}_{overload}"  # 1.12
        yield f"{cpp}_{overload}" if overload else cpp  # structured kernels


def operator_index(schemas: Iterable[tuple[str, str, bool]]) -> dict[str, str]:
    """wrapper identifier -> 'aten::name.overload'. A few identifiers fit two schemas (the
    wrapper of `values` and the structured one of `_values`): the most common form wins (the
    first of `candidates`, then the next)."""
    schemas = list(schemas)
    index: dict[str, str] = {}
    for form in range(3):
        for name, overload, is_out in schemas:
            op = f"{name}.{overload}" if overload else name
            for i, ident in enumerate(candidates(name, overload, is_out)):
                if i % 3 == form:
                    index.setdefault(ident, op)
    return index


def torch_schemas() -> list[tuple[str, str, bool]]:
    import torch  # only this maintenance script needs torch

    return [
        (s.name, s.overload_name, any(a.is_out for a in s.arguments))
        for s in torch._C._jit_get_all_schemas()
        if s.name.startswith("aten::")
    ]


def release(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def build(wheels: list[Path], sha256: dict[str, str], schemas: list[tuple[str, str, bool]]) -> dict:
    index = operator_index(schemas)
    per_op: dict[str, list[str]] = {}
    read = []
    unmapped: dict[str, int] = {}
    for wheel in sorted(wheels, key=lambda w: Version(release(w))):
        with zipfile.ZipFile(wheel) as zf:
            wrappers = mps_wrappers(symbol_names(zf.read(LIBRARY)))
        version = release(wheel)
        ops = {index[w] for w in wrappers if w in index}
        unmapped[version] = len([w for w in wrappers if w not in index])
        read.append({"release": version, "wheel": wheel.name, "sha256": sha256.get(wheel.name, "")})
        for op in ops:
            per_op.setdefault(op, []).append(version)
    order = [w["release"] for w in read]
    return {
        "about": (
            "ATen operators with an MPS kernel registered in each macOS arm64 torch wheel read "
            "(RegisterMPS.cpp's wrapper symbols in torch/lib/libtorch_cpu.dylib); written by "
            "scripts/recipes/wheel_kernels.py. An operator absent here has no MPS kernel of its "
            "own in any release read (it may still run on MPS through a composite of others)."
        ),
        "wheels": read,
        "unmapped_wrappers": unmapped,
        "operators": {op: spans(per_op[op], order) for op in sorted(per_op)},
    }


def spans(releases: list[str], order: list[str]) -> list[list[str | None]]:
    """Contiguous runs of `releases` within `order` as [first, last]; last None = the newest."""
    runs: list[list[str | None]] = []
    previous = -2
    for version in releases:
        i = order.index(version)
        if i == previous + 1 and runs:
            runs[-1][1] = version
        else:
            runs.append([version, version])
        previous = i
    if runs and runs[-1][1] == order[-1]:
        runs[-1][1] = None
    return runs


def read_sums(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    sums = {}
    for line in path.read_text().splitlines():
        digest, _, name = line.partition("  ")
        if name:
            sums[name.strip()] = digest.strip()
    return sums


def _dump(table: dict) -> str:
    """JSON with one operator a line (diffs between regenerations stay readable)."""
    head = {k: v for k, v in table.items() if k != "operators"}
    lines = [json.dumps(head, indent=1)[:-2] + ',\n "operators": {']
    ops = table["operators"]
    lines += [f" {json.dumps(op)}: {json.dumps(ops[op])}," for op in ops]
    if ops:
        lines[-1] = lines[-1].rstrip(",")
    return "\n".join([*lines, "}}"]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.recipes.wheel_kernels", description=__doc__
    )
    parser.add_argument("wheels", nargs="+", type=Path)
    parser.add_argument("--sha256sums", type=Path, help="`sha256sum *.whl` of the wheels")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    table = build(args.wheels, read_sums(args.sha256sums), torch_schemas())
    write_text(args.out, _dump(table))
    print(f"{len(table['operators'])} operators, unmapped wrappers: {table['unmapped_wrappers']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
