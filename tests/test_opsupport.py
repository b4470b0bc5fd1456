"""verify.diagnosis.opsupport: torch too old vs macOS too old vs no MPS kernel, and the wheel-read
table it
rests on (verify/data/mps_kernels.json, written by scripts/recipes/wheel_kernels.py).

The table is checked against evidence read apart from it: the same wheels' sha256 as recorded
(PyPI-checked) in tests/data/torch_wheels/, and the message strings those wheels carry."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
import wheel_evidence
from packaging.version import Version

from scripts.recipes import wheel_kernels
from verify.diagnosis import diagnose, opsupport
from verify.facts import Facts
from verify.known_errors import explain
from verify.model import Status

ISIN = (
    "NotImplementedError: The operator 'aten::isin.Tensor_Tensor_out' is not currently "
    "implemented for the MPS device. If you want this op to be added in priority during the "
    "prototype phase of this feature, please comment on "
    "https://github.com/pytorch/pytorch/issues/77764. As a temporary fix, you can set the "
    "environment variable `PYTORCH_ENABLE_MPS_FALLBACK=1` to use the CPU as a fallback for "
    "this op. WARNING: this will be slower than running natively on MPS."
)
BF16_OLD = "TypeError: BFloat16 is not supported on MPS"
BF16_20 = (
    "TypeError: Trying to convert BFloat16 to the MPS backend but it does not have support for "
    "that dtype."
)


def _wheels() -> list[wheel_evidence.WheelStrings]:
    return [wheel_evidence.load(p) for p in sorted(wheel_evidence.DIR.glob("*arm64.txt"))]


def _mac(**kw) -> Facts:
    base = {"os": "Darwin", "machine": "arm64", "chip": "Apple M2"}
    return Facts(**{**base, **kw})


# --- the table ------------------------------------------------------------------------------


def test_table_lists_the_wheels_recorded_with_their_pypi_checked_sha256():
    import json
    from importlib import resources

    data = json.loads(resources.files("verify").joinpath("data", "mps_kernels.json").read_text())
    read = {w["wheel"]: w["sha256"] for w in data["wheels"]}
    recorded = {w.wheel: w.sha256 for w in _wheels()}
    assert read == recorded
    assert opsupport.kernels().newest == max(w.version for w in _wheels())


def test_table_agrees_with_the_message_strings_of_the_same_wheels():
    """Each op whose MPS kernel prints its own message: the kernel appears in the first wheel
    that carries the message (read by another extractor, wheel_strings.py)."""
    table = opsupport.kernels()
    wheels = _wheels()

    def first_with(needle: str) -> Version:
        return min(w.version for w in wheels if w.has(needle))

    isin = "isin_Tensor_Tensor_out only works on floating types on MPS"
    assert table.first_release("aten::isin.Tensor_Tensor_out") == first_with(isin)
    fft = "FFT operations are only supported on MacOS 14+"
    assert table.first_release("aten::_fft_r2c") == first_with(fft)
    # torch 1.11 had no MPS backend at all: no operator has a kernel there
    assert not any(table.has_kernel(op, "1.11.0") for op in table.operators)
    # the basics are there from the first MPS release on
    assert table.first_release("aten::add.out") == Version("1.12.0")
    assert table.has_kernel("aten::add.out", "2.15.0") is True


def test_has_kernel_is_unknown_past_the_newest_release_read():
    table = opsupport.kernels()
    newer = f"{table.newest.major}.{table.newest.minor + 1}.0"
    assert table.has_kernel("aten::add.out", newer) is None
    assert table.has_kernel("aten::add.out", None) is None


# --- the extractor, on a Mach-O made here -----------------------------------------------------


def _macho_with_symbols(names: list[str]) -> bytes:
    """A thin arm64 Mach-O whose LC_SYMTAB lists `names` in this order."""
    strtab = b"\0"
    offsets = []
    for n in names:
        offsets.append(len(strtab))
        strtab += n.encode() + b"\0"
    header_size = 32 + 24
    symoff = header_size
    nlist = b"".join(struct.pack("<IBBHQ", off, 0x0E, 1, 0, 0) for off in offsets)
    stroff = symoff + len(nlist)
    cmd = struct.pack("<6I", wheel_kernels.LC_SYMTAB, 24, symoff, len(names), stroff, len(strtab))
    header = struct.pack("<8I", 0xFEEDFACF, 0x0100000C, 0, 6, 1, len(cmd), 0, 0)
    return header + cmd + nlist + strtab


def _mangled(ident: str) -> str:
    return f"__ZN2at12_GLOBAL__N_1{len(ident)}{ident}ERKNS_6TensorE"


@pytest.mark.parametrize(
    ("symbols", "expected"),
    [
        # torch 2.0+: every wrapper carries MPS_, wherever it is in the table
        (
            ["__GLOBAL__sub_I_RegisterCPU.cpp", _mangled("wrapper_MPS_Tensor_Tensor_out_isin_out")],
            {"Tensor_Tensor_out_isin_out"},
        ),
        # before 2.0: the wrappers between the previous initialiser and RegisterMPS.cpp's
        (
            [
                _mangled("wrapper_CPU_add_out"),
                "__GLOBAL__sub_I_RegisterCPU.cpp",
                _mangled("wrapper_out_add_out"),
                _mangled("wrapper___fft_r2c"),
                "__GLOBAL__sub_I_RegisterMPS.cpp",
                _mangled("wrapper_out_sub_out"),
            ],
            {"out_add_out", "__fft_r2c"},
        ),
        (["__GLOBAL__sub_I_RegisterCPU.cpp", _mangled("wrapper_out_add_out")], set()),
    ],
)
def test_wrappers_are_read_from_the_symbol_table(symbols, expected):
    names = wheel_kernels.symbol_names(_macho_with_symbols(symbols))
    assert names == symbols
    assert wheel_kernels.mps_wrappers(names) == expected


def test_wrapper_names_map_back_to_operator_schemas():
    schemas = [
        ("aten::isin", "Tensor_Tensor_out", True),
        ("aten::isin", "Tensor_Tensor", False),
        ("aten::_fft_r2c", "", False),
        ("aten::add", "out", True),
        ("aten::roll", "", False),
    ]
    index = wheel_kernels.operator_index(schemas)
    assert index["Tensor_Tensor_out_isin_out"] == "aten::isin.Tensor_Tensor_out"
    assert index["isin_out_Tensor_Tensor_out"] == "aten::isin.Tensor_Tensor_out"  # structured
    assert index["isin_Tensor_Tensor"] == "aten::isin.Tensor_Tensor"
    assert index["__fft_r2c"] == "aten::_fft_r2c"
    assert index["out_add_out_out"] == "aten::add.out"  # torch 1.12's form
    assert index["_roll"] == "aten::roll"


def test_build_writes_runs_of_releases(tmp_path: Path):
    def wheel(version: str, idents: list[str]) -> Path:
        path = tmp_path / f"torch-{version}-cp310-none-macosx_11_0_arm64.whl"
        with zipfile.ZipFile(path, "w") as zf:
            names = ["__GLOBAL__sub_I_RegisterCPU.cpp", *map(_mangled, idents)]
            zf.writestr(wheel_kernels.LIBRARY, _macho_with_symbols(names))
        return path

    wheels = [
        wheel("2.0.1", ["wrapper_MPS__roll"]),
        wheel("2.1.0", ["wrapper_MPS__roll", "wrapper_MPS___fft_r2c"]),
        wheel("2.2.2", ["wrapper_MPS___fft_r2c", "wrapper_MPS_no_such_op"]),
    ]
    table = wheel_kernels.build(
        wheels, {}, [("aten::roll", "", False), ("aten::_fft_r2c", "", False)]
    )
    assert table["operators"] == {
        "aten::_fft_r2c": [["2.1.0", None]],
        "aten::roll": [["2.0.1", "2.1.0"]],
    }
    assert table["unmapped_wrappers"]["2.2.2"] == 1


# --- judgements -------------------------------------------------------------------------------


def _judge(text: str, facts: Facts) -> opsupport.Judgement | None:
    known = explain(text)
    assert known is not None
    return opsupport.judge(known, facts)


def test_op_from_a_stated_torch_before_its_kernel_is_torch_too_old():
    j = _judge(ISIN, _mac(torch_version="2.3.1", macos_version="14.5"))
    assert j.kind == "torch-too-old" and j.certain and not j.mismatch
    assert (j.first_torch, j.torch_shown) == ("2.4", "2.3.1")


def test_op_without_versions_is_bounded_by_the_message_itself():
    j = _judge(ISIN, _mac())
    assert j.kind == "torch-too-old" and not j.certain
    assert j.torch_shown == "a release before 2.4"


def test_op_whose_first_kernel_needs_a_newer_macos_is_macos_too_old():
    fft = "The operator 'aten::_fft_r2c' is not currently implemented for the MPS device."
    j = _judge(fft, _mac(torch_version="2.1.2", macos_version="13.6"))
    assert j.kind == "macos-too-old" and (j.first_torch, j.needs_macos) == ("2.3", "14.0")
    assert _judge(fft, _mac(torch_version="2.1.2", macos_version="14.2")).kind == "torch-too-old"


def test_op_no_release_has_is_no_kernel():
    op = "aten::no_such_operator_anywhere"
    assert opsupport.kernels().first_release(op) is None
    j = _judge(f"The operator '{op}' is not currently implemented for the MPS device.", _mac())
    assert j.kind == "no-kernel" and j.newest_read == str(opsupport.kernels().newest)


def test_op_the_stated_torch_already_has_means_another_environment():
    j = _judge(ISIN, _mac(torch_version="2.5.1"))
    assert j.kind == "torch-too-old" and j.mismatch


@pytest.mark.parametrize("text", [BF16_OLD, BF16_20])
def test_bfloat16_refusal_on_sonoma_is_torch_too_old(text):
    j = _judge(text, _mac(torch_version="2.0.1", macos_version="14.0"))
    assert j.kind == "torch-too-old" and (j.first_torch, j.needs_macos) == ("2.3", "14.0")


def test_bfloat16_refusal_below_sonoma_is_macos_too_old():
    j = _judge(BF16_OLD, _mac(torch_version="2.2.2", macos_version="13.6.7"))
    assert j.kind == "macos-too-old" and j.needs_macos == "14.0"


def test_bfloat16_message_range_tells_the_torch_when_the_paste_does_not():
    j = _judge(BF16_OLD, _mac())
    assert j.kind == "torch-too-old" and j.torch_shown == "a release from 2.1 to before 2.3"
    assert j.certain  # an Apple chip: upgrading torch is the fix
    unknown_chip = _judge(BF16_OLD, Facts(os="Darwin"))
    assert unknown_chip.kind == "torch-too-old" and not unknown_chip.certain


@pytest.mark.parametrize(
    "facts",
    [
        Facts(os="Darwin", machine="x86_64", hardware_arm64=False),  # an Intel Mac
        Facts(os="Darwin", machine="x86_64", translated=True, chip="Apple M1"),  # Rosetta
    ],
)
def test_x86_64_interpreters_are_not_told_to_upgrade_torch(facts):
    assert _judge(BF16_OLD, facts) is None
    assert _judge(ISIN, facts) is None


# --- rows in diagnose ---------------------------------------------------------------------------


def _rows(text: str) -> list:
    _, results = diagnose.diagnose(text)
    return [r for r in results if r.status in (Status.FAIL, Status.WARN)]


def test_stated_torch_puts_the_upgrade_first():
    paste = f"PyTorch version: 2.3.1\nOS: macOS 14.5 (arm64)\n\n{ISIN}\n"
    _, results = diagnose.diagnose(paste)
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.FAIL
    assert "2.4" in first.cause and "2.3.1" in first.cause
    assert "PyTorch version: 2.3.1" in first.evidence


def test_message_alone_names_the_release_first_as_a_warning_and_keeps_the_error():
    # no torch version pasted: the message itself comes from a torch before 2.4 (the wheels'
    # kernels); the update is the fix to try first (insanely-fast-whisper#225's thread)
    _, results = diagnose.diagnose(f"Apple M2\n{ISIN}\n")
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_torch"
    assert first.status is Status.WARN and "2.4" in first.cause
    kept = next(r for r in results if r.id == "error.mps.op_not_implemented")
    assert kept.status is Status.WARN


def test_bfloat16_below_sonoma_says_macos_and_no_torch_upgrade_row():
    paste = f"macOS 13.6.7 on an Apple M2\ntorch 2.2.2\n{BF16_OLD}\n"
    ids = [r.id for r in _rows(paste)]
    assert "error.mps.op_needs_newer_torch" not in ids
    row = next(r for r in _rows(paste) if r.id == "error.mps.bfloat16_unsupported")
    assert "macOS 13.6.7" in row.cause and "14.0" in row.cause


def test_torch_2_0s_bfloat16_refusal_tells_bfloat16s_story_first():
    # hiyouga/LlamaFactory#2716 (title, verbatim): a Mac of unknown chip; the reporter's other
    # torch fixed it. The refusal row says what bfloat16 on MPS needs, Intel Macs included,
    # with the torch row beside it
    rows = _rows(f"用mac 微调完qwen1.5-1_8b合并权重时报错{BF16_20}")
    assert [r.id for r in rows][:2] == [
        "error.mps.bfloat16_unsupported",
        "error.mps.op_needs_newer_torch",
    ]
    assert "PyTorch 2.3" in rows[0].cause and "Intel Mac" in rows[0].cause
    assert "float16" in rows[0].fix.text and "complex" not in rows[0].cause


def test_isin_on_integers_below_sonoma_names_the_macos():
    paste = (
        "RuntimeError: isin_Tensor_Tensor_out only works on floating types on MPS for pre "
        "MacOS_14_0. Received dtype: Long\nmacOS 13.6.7 on an Apple M2\n"
    )
    _, results = diagnose.diagnose(paste)
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_macos"
    assert "13.6.7" in first.cause and "14.0" in first.cause


def test_bfloat16_talk_with_an_old_torch_on_sonoma_is_torch_too_old():
    """No refusal pasted, only a paste about bf16 (pytorch/pytorch#104191's kind)."""
    paste = (
        "BF16 support is added to the OS version (macOS Sonoma) I use recently\n"
        "PyTorch version: 2.0.1\nOS: macOS 14.0 (arm64)\n"
        "Python platform: macOS-14.0-arm64-arm-64bit\n"
    )
    _, results = diagnose.diagnose(paste)
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.WARN
    assert "2.0.1" in first.cause and "2.3" in first.cause
    assert first.evidence[0].startswith("BF16 support is added")
    # the same talk on Ventura (bfloat16 needs macOS 14 first), or with torch 2.3: nothing
    for other in (paste.replace("14.0", "13.5"), paste.replace("2.0.1", "2.3.0")):
        _, results = diagnose.diagnose(other)
        assert "error.mps.op_needs_newer_torch" not in {r.id for r in results}


COMPLEX_21 = "TypeError: Complex types are unsupported on MPS"


def test_complex_refusal_is_read_like_bfloat16():
    """torch 2.1-2.2 refuse complex numbers everywhere; 2.3 runs them on macOS 14+."""
    j = _judge(COMPLEX_21, _mac(macos_version="14.4"))
    assert (j.kind, j.subject, j.first_torch, j.certain) == (
        "torch-too-old",
        "complex",
        "2.3",
        True,
    )
    assert j.torch_shown == "a release from 2.1 to before 2.3"
    assert _judge(COMPLEX_21, _mac(macos_version="13.6")).kind == "macos-too-old"
    paste = f"Apple M1 Pro, macOS 14.4\n{COMPLEX_21}\n"
    _, results = diagnose.diagnose(paste)
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_torch" and "complex numbers" in first.cause
    # the refusal's own row stays, with its workaround
    assert "error.mps.dtype_unsupported" in {r.id for r in results}


def test_op_from_a_torch_newer_than_the_releases_read_is_another_environment():
    newest = opsupport.kernels().newest
    j = _judge(ISIN, _mac(torch_version=f"{newest.major}.{newest.minor + 1}.0"))
    assert j.kind == "torch-too-old" and j.mismatch


CONV3D_OLD = "RuntimeError: Conv3D is not supported on MPS"
SLOW_CONV3D = (
    "The operator 'aten::slow_conv3d_forward' is not currently implemented for the MPS device."
)


def test_conv3d_refusal_is_torch_too_old_above_macos_13_2_and_macos_below():
    """1.13.1-2.2.2 refuse Conv3D; 2.3.0 runs it on macOS 13.2+ (the wheels' strings)."""
    _, results = diagnose.diagnose(f"Apple M1, macOS 14.1\n{CONV3D_OLD}\n")
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.FAIL
    assert "2.3" in first.cause and "13.2" in first.cause
    # one row for the one message: the pattern's own id already says "newer PyTorch"
    assert [r.id for r in results if r.id.startswith("error.")] == [first.id]
    _, results = diagnose.diagnose(f"Apple M1, macOS 13.1\n{CONV3D_OLD}\n")
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_macos" and "13.1" in first.cause


def test_slow_conv3d_is_the_missing_conv3d_before_2_3_and_no_kernel_after():
    j = _judge(SLOW_CONV3D, _mac(torch_version="2.1.1"))
    assert (j.kind, j.subject, j.first_torch, j.certain) == ("torch-too-old", "Conv3D", "2.3", True)
    assert j.via == "aten::slow_conv3d_forward"
    assert _judge(SLOW_CONV3D, _mac(torch_version="2.3.0.dev20240121")).kind == "no-kernel"
    assert _judge(SLOW_CONV3D, _mac()).kind == "no-kernel"


def test_convtranspose3d_came_with_2_8_and_half_precision_never():
    """2.0.1-2.7.1 refuse ConvTranspose3d; 2.8.0-2.15.0 refuse it only in BF16/FP16."""
    old = "RuntimeError: ConvTranspose 3D is not supported on MPS"
    j = _judge(old, _mac())
    assert (j.kind, j.first_torch) == ("torch-too-old", "2.8")
    assert j.torch_shown == "a release from 2.0 to before 2.8"
    half = "RuntimeError: ConvTranspose 3D with BF16 or FP16 types is not supported on MPS"
    j = _judge(half, _mac(torch_version="2.9.0"))
    assert j.kind == "no-kernel" and j.newest_read == str(opsupport.kernels().newest)


def test_a_torch_past_2_2_2_is_an_arm64_build_so_the_upgrade_is_certain():
    """No chip named, but torch 2.3.0.dev: no x86_64 wheel exists past 2.2.2."""
    old = "RuntimeError: ConvTranspose 3D is not supported on MPS"
    assert _judge(old, Facts(os="Darwin", torch_version="2.3.0.dev20231220")).certain
    assert not _judge(old, Facts(os="Darwin", torch_version="2.2.2")).certain


# mcmonkeyprojects/sd-dynamic-thresholding#15's title (the web UI's torch 1.12.1 on an M1; fixed
# by switching to torch 1.13.1)
CLAMP_112 = "Mac M1 Error - min and input tensors must be of the same shape"


def test_clamp_bounds_of_another_shape_are_torch_1_12s_refusal():
    """The 1.12.0 / 1.12.1 wheels carry the check, 1.13.1 does not (verify.known_errors)."""
    j = _judge(CLAMP_112, _mac(torch_version="1.12.1"))
    assert (j.kind, j.first_torch, j.certain, j.mismatch) == ("torch-too-old", "1.13", True, False)
    _, results = diagnose.diagnose(CLAMP_112)
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.FAIL
    assert "1.13" in first.cause and "FALLBACK=1` (set" not in first.fix.text
    # a torch that broadcasts the bounds shown beside it: the message came from another one
    assert _judge(CLAMP_112, _mac(torch_version="2.1.0")).mismatch


# huggingface/parler-tts#184's title: the short form, neither torch nor macOS pasted (the nightly
# fixed it; other threads of the same message were fixed by macOS 15.1)
CONV_SHORT = "NotImplementedError: Output channels > 65536 not supported at the MPS device"


def test_conv_channels_with_no_versions_names_the_torch_beside_the_macos():
    _, results = diagnose.diagnose(f"Apple M1\n{CONV_SHORT}\n")
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_macos" and first.status is Status.FAIL
    beside = next(r for r in results if r.id == "error.mps.op_needs_newer_torch")
    assert beside.status is Status.WARN and "2.6" in beside.cause and "15.1" in beside.cause
    # a macOS shown: the macOS row says it all
    _, results = diagnose.diagnose(f"Apple M1, macOS 14.5\n{CONV_SHORT}\n")
    assert "error.mps.op_needs_newer_torch" not in {r.id for r in results}
