"""scripts/recipes/wheel_strings.py: the tool that wrote tests/data/torch_wheels/, run on a wheel
made here (a zip with a tiny Mach-O library), and its refusal of a sha256 PyPI does not list."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from pathlib import Path

import wheel_evidence

from scripts.recipes import wheel_strings


def macho(minos: tuple[int, int], *strings: bytes) -> bytes:
    """A thin arm64 Mach-O header with one LC_BUILD_VERSION, then some C strings."""
    version = (minos[0] << 16) | (minos[1] << 8)
    cmd = struct.pack("<6I", wheel_strings.LC_BUILD_VERSION, 24, 1, version, 0x1A0500, 0)
    header = struct.pack("<8I", 0xFEEDFACF, 0x0100000C, 0, 6, 1, len(cmd), 0, 0)
    return header + cmd + b"\0".join((b"", *strings, b""))


def make_wheel(tmp_path: Path) -> Path:
    wheel = tmp_path / "torch-9.9.0-cp312-cp312-macosx_14_0_arm64.whl"
    lib = macho(
        (14, 0),
        b"The MPS backend is supported on macOS 15.0+. ",
        b"isLowPower",
        b"unrelated text without the words",
        b"__ZN2at3mps9MPSDevice",
        b"x INTERNAL ASSERT FAILED at MPSAllocator.mm",
    )
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("torch/lib/libtorch_cpu.dylib", lib)
        zf.writestr("torch/__init__.py", "MPS backend text in Python is not read")
    return wheel


def test_extract_keeps_mps_messages_and_reads_minos(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path)
    out = tmp_path / "out"
    assert wheel_strings.main([str(wheel), "--out", str(out)]) == 0
    written = out / (wheel.name.removesuffix(".whl") + ".txt")
    w = wheel_evidence.load(written)
    assert w.version.public == "9.9.0" and w.arch == "arm64"
    assert w.sha256 == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert str(w.minos["libtorch_cpu.dylib"]) == "14.0"
    assert w.strings == (
        "libtorch_cpu.dylib\tThe MPS backend is supported on macOS 15.0+. ",
        "libtorch_cpu.dylib\tisLowPower",
    )


def test_a_sha256_pypi_does_not_list_is_refused(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path)
    index = {"releases": {"9.9.0": [{"filename": wheel.name, "digests": {"sha256": "0" * 64}}]}}
    (tmp_path / "torch.json").write_text(json.dumps(index), encoding="utf-8")
    out = tmp_path / "out"
    args = [str(wheel), "--pypi-json", str(tmp_path / "torch.json"), "--out", str(out)]
    assert wheel_strings.main(args) == 1
    assert not out.exists()


def test_every_recorded_wheel_was_checked_against_pypi() -> None:
    wheels = wheel_evidence.all_wheels()
    assert {w.arch for w in wheels} == {"arm64", "x86_64"}
    for path in wheel_evidence.DIR.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert "# sha256 check: equal to PyPI's JSON API digest" in text, path.name
