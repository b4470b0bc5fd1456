"""Extract the MPS messages from a macOS torch wheel's native libraries: evidence for the catalogue.

verify/known_errors.py and verify/compat.py state which torch releases print which MPS message and
which macOS each release declares or enforces. The evidence is the compiled libraries themselves:
this script reads every torch/lib/*.dylib in a wheel (no download: give it wheels fetched with
`pip download --no-deps --only-binary=:all: --platform macosx_11_0_arm64 torch==X`), finds the
printable ASCII runs the way `strings -a -n 6` does, keeps the user-facing ones that name MPS,
macOS or a device string (and the Objective-C selectors the MPS device check calls), and writes
them with the wheel's sha256 and each library's Mach-O minimum macOS to
tests/data/torch_wheels/WHEEL.txt. Compare the sha256 with the digest PyPI's JSON API lists
(https://pypi.org/pypi/torch/json, releases -> files -> digests.sha256) before trusting it;
`--pypi-json FILE` does that check and refuses a mismatch.

    python -m scripts.recipes.wheel_strings --pypi-json torch.json /tmp/wheels/torch-*.whl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import struct
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from verify.atomic import write_text

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "torch_wheels"

MIN_RUN = 6  # strings -n 6
_RUN = re.compile(rb"[\x20-\x7e]{%d,}" % MIN_RUN)
# user-facing: has a space, names MPS (or mps) / macOS / a device string / the "not linked" family
_KEEP = re.compile(
    # "mps" in lower case as a word too ("Currently topk on mps works only for k<=16 ")
    r"MPS|(?i:\bmps\b)|[Mm]ac ?OS|device string|not linked with support|issues/(?:77764|141287)\b|"
    r"^' is not current(?:ly)? implemented|"
    # the MPS fused optimizers' dtype check, which names no device
    # (aten/src/ATen/native/mps/operations/MultiTensorApply.h)
    r"^Only float(?:, bfloat)? and half are supported$"
)
_DROP = re.compile(r"INTERNAL ASSERT|^_|__Z|#include|kernel void|template ?<|[{};]\s*$|^\s{2,}")
# selectors MPSDevice::MPSDevice calls to accept a Metal device (aten/src/ATen/mps/MPSDevice.mm)
SELECTORS = ("isLowPower", "supportsFamily:", "HermiteanToRealFFTWithTensor:axes:descriptor:name:")
MAX_LEN = 400

LC_VERSION_MIN_MACOSX = 0x24
LC_BUILD_VERSION = 0x32
CPU = {0x01000007: "x86_64", 0x0100000C: "arm64"}


def runs(data: bytes) -> Iterable[str]:
    """Printable ASCII runs of at least MIN_RUN bytes, like `strings -a -n 6`."""
    for m in _RUN.finditer(data):
        yield m.group(0).decode("ascii")


def keep(text: str) -> bool:
    if text in SELECTORS:
        return True
    return (
        " " in text
        and len(text) < MAX_LEN
        and _KEEP.search(text) is not None
        and _DROP.search(text) is None
    )


def _nibbles(v: int) -> str:
    return f"{v >> 16}.{(v >> 8) & 0xFF}"


def macho_info(data: bytes) -> str:
    """'arm64, minos 14.0, sdk 15.5' from a thin 64-bit Mach-O's load commands."""
    if len(data) < 32 or struct.unpack_from("<I", data)[0] != 0xFEEDFACF:
        return "not a thin 64-bit Mach-O"
    _magic, cputype, _sub, _ftype, ncmds, _size, _flags, _res = struct.unpack_from("<8I", data)
    arch = CPU.get(cputype, hex(cputype))
    off = 32
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from("<2I", data, off)
        if cmd == LC_BUILD_VERSION:
            _p, minos, sdk = struct.unpack_from("<3I", data, off + 8)
            return f"{arch}, minos {_nibbles(minos)}, sdk {_nibbles(sdk)}"
        if cmd == LC_VERSION_MIN_MACOSX:
            version, sdk = struct.unpack_from("<2I", data, off + 8)
            return f"{arch}, minos {_nibbles(version)}, sdk {_nibbles(sdk)}"
        off += cmdsize
    return f"{arch}, no minimum-OS load command"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pypi_digest(pypi_json: dict, filename: str) -> str | None:
    version = filename.split("-")[1]
    for entry in pypi_json.get("releases", {}).get(version, []):
        if entry.get("filename") == filename:
            return entry.get("digests", {}).get("sha256")
    return None


def extract(wheel: Path, *, checked: str) -> str:
    sha = sha256_of(wheel)
    header = [
        "# Messages compiled into a torch wheel's native libraries (evidence for",
        "# verify/known_errors.py and verify/compat.py; written by "
        "scripts/recipes/wheel_strings.py).",
        f"# wheel: {wheel.name}",
        f"# sha256: {sha}",
        f"# sha256 check: {checked}",
        "# extracted: every torch/lib/*.dylib, printable ASCII runs of >= 6 bytes "
        "(strings -a -n 6);",
        "#   kept: runs with a space that name MPS (or the word mps), macOS, a device string "
        "or the",
        "#   MPS op-coverage issues (not INTERNAL ASSERT texts, symbols or Metal source), and the",
        "#   selectors the MPS device check calls.",
        "#   Format: LIBRARY<TAB>STRING, sorted, unique.",
    ]
    body: set[str] = set()
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(zf.namelist()):
            if not (name.startswith("torch/lib/") and name.endswith(".dylib")):
                continue
            data = zf.read(name)
            lib = name.rsplit("/", 1)[1]
            header.append(f"# macho {lib}: {macho_info(data)}")
            body.update(f"{lib}\t{s}" for s in runs(data) if keep(s))
    return "\n".join([*header, *sorted(body)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.recipes.wheel_strings", description=__doc__
    )
    parser.add_argument("wheels", nargs="+", type=Path)
    parser.add_argument("--pypi-json", type=Path, help="https://pypi.org/pypi/torch/json, saved")
    parser.add_argument("--read-on", default="", help="the date the PyPI JSON was read")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    index = json.loads(args.pypi_json.read_text()) if args.pypi_json else None
    for wheel in args.wheels:
        checked = "not checked"
        if index is not None:
            published = pypi_digest(index, wheel.name)
            if published != sha256_of(wheel):
                print(f"{wheel.name}: sha256 differs from PyPI's ({published})", file=sys.stderr)
                return 1
            checked = f"equal to PyPI's JSON API digest (pypi.org/pypi/torch/json, {args.read_on})"
        text = extract(wheel, checked=checked)
        write_text(args.out / (wheel.name.removesuffix(".whl") + ".txt"), text)
        print(f"{wheel.name}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
