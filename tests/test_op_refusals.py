"""Op refusals read per torch version and macOS (issue 12): the convolution refusal above 65536
in its 2.5 and 2.6+ wordings, and a compiled extension's CPU / CUDA-only kernel meeting an MPS
tensor. The real reports are tests/data/collect_env files (asserted by their own headers in
test_diagnose's corpus run); here the reading is varied around them."""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest

from verify.diagnosis import diagnose
from verify.diagnosis.paste import extops
from verify.errors import InputError
from verify.model import Status

DATA = Path(__file__).parent / "data" / "collect_env"
# torch 2.5's wording, as index-tts/index-tts#193 pasted it (pytorch/pytorch#129484)
CONV_25 = (
    "NotImplementedError: Output channels > 65536 not supported at the MPS device. As a "
    "temporary fix, you can set the environment variable `PYTORCH_ENABLE_MPS_FALLBACK=1` to use "
    "the CPU as a fallback for this op. WARNING: this will be slower than running natively on MPS."
)
# torch 2.6+'s wording (pytorch/pytorch#134770 dropped the advice), as index-tts/index-tts#81
CONV_26 = "NotImplementedError: Output channels > 65536 not supported at the MPS device. "


def _case(name: str) -> str:
    return corpus.load(DATA / name).text


def _problems(text: str) -> dict[str, Status]:
    _, results = diagnose.diagnose(text)
    return {r.id: r.status for r in results if r.status in (Status.FAIL, Status.WARN)}


def _first(text: str):
    _, results = diagnose.diagnose(text)
    return diagnose.first_cause(results)


def test_torch_25_wording_is_the_torch_on_every_macos():
    first = _first(_case("index-tts-193-conv-channels-torch-2.5-fixed-by-torch-2.7.txt"))
    assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.FAIL
    assert "2.6" in first.cause and "15.1" in first.cause


def test_torch_25_wording_without_a_macos_warns_that_15_1_is_needed_too():
    rows = _problems(f"Apple M2\n{CONV_25}\n")
    assert rows["error.mps.op_needs_newer_torch"] is Status.FAIL
    assert rows["error.mps.op_needs_newer_macos"] is Status.WARN


def test_torch_25_wording_on_macos_15_2_is_the_torch_alone():
    rows = _problems(f"macOS 15.2 (arm64) on an Apple M2\n{CONV_25}\n")
    assert rows.get("error.mps.op_needs_newer_torch") is Status.FAIL
    assert "error.mps.op_needs_newer_macos" not in rows


def test_torch_25_wording_below_macos_15_1_names_the_macos_first():
    first = _first(f"macOS 14.5 (arm64) on an Apple M2\n{CONV_25}\n")
    assert first.id == "error.mps.op_needs_newer_macos" and first.status is Status.FAIL
    assert "14.5" in first.cause and "15.1" in first.cause


def test_torch_26_wording_is_the_macos():
    first = _first(_case("index-tts-81-conv-channels-m2-upgrade-macos-15.1.txt"))
    assert first.id == "error.mps.op_needs_newer_macos"


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        # a 2.5.x torch shown: it refuses on every macOS, whatever the wording was cut to
        ("PyTorch version: 2.5.1\nOS: macOS 14.6 (arm64)", "error.mps.op_needs_newer_macos"),
        ("PyTorch version: 2.5.1\nOS: macOS 15.3 (arm64)", "error.mps.op_needs_newer_torch"),
        # macOS 15.1+ with no torch shown: only 2.5 refuses it there
        ("OS: macOS 15.3 (arm64)", "error.mps.op_needs_newer_torch"),
        # a 2.6+ torch below macOS 15.1: the macOS
        ("PyTorch version: 2.7.0\nOS: macOS 14.6 (arm64)", "error.mps.op_needs_newer_macos"),
    ],
)
def test_short_wording_is_read_with_the_versions(context: str, expected: str):
    first = _first(f"{context}\n\n{CONV_26}\n")
    assert first.id == expected


@pytest.mark.parametrize(
    "name",
    [
        "pytorch-sparse-355-ind2ptr-cpu-only-kernel-on-mps.txt",
        "pytorch-103868-torch-sparse-diag-cpu-kernel-on-m1-mps.txt",
    ],
)
def test_an_extension_cpu_kernel_on_mps_is_an_op_without_mps_kernel(name: str):
    first = _first(_case(name))
    assert first.id == "error.mps.op_not_implemented" and first.status is Status.WARN
    assert "PYTORCH_ENABLE_MPS_FALLBACK does not reroute" in first.cause
    assert "/Users/apullin" not in first.detail and "/Users/apullin" not in " ".join(first.evidence)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ('Expected x.is_cuda() to be true, but got false.\nx = x.to("mps")', ("", "CUDA")),
        ("points must be a CUDA tensor\ndevice = torch.device('mps')", ("", "CUDA")),
        (
            'input.device().is_cpu() INTERNAL ASSERT FAILED at "csrc/ROIAlign/ROIAlign_cpu.cpp":9'
            ", please report a bug to PyTorch. input must be a CPU tensor\ninput on mps:0",
            ("ROIAlign", "CPU"),
        ),
    ],
)
def test_extension_device_checks_are_read(text: str, read: tuple[str, str]):
    (found,) = extops.read(text)
    assert found.field == "sign.ext_op_no_mps" and found.value[:2] == read


@pytest.mark.parametrize(
    "text",
    [
        # no MPS in the paste: a CUDA user's extension error
        "RuntimeError: points must be a CUDA tensor\n",
        # MPS named, but on a CUDA machine
        "points must be a CUDA tensor\nIs CUDA available: True\nnot mps",
    ],
)
def test_extension_device_checks_need_mps_and_no_cuda_machine(text: str):
    assert extops.read(text) == []


# an operator said unsupported in words, read against the wheels' kernel table
# (verify.diagnosis.said_ops); the sentences are the reports' own
SAID = [
    # OpenTalker/SadTalker#526 (M1 Pro): a module name; Conv3D came to MPS with 2.3
    (
        "I am currently testing on M1 Pro and I was able to add the following to inference.py "
        "in order to use the GPU. However, Conv3d is not currently supported on MPS.",
        "Conv3D",
        "2.3",
    ),
    # meta-pytorch/torchtune#1723's title: a private ATen name after the words
    ("Unsupported Ops in MPS: _upsample_bilinear2d_aa", "aten::_upsample_bilinear2d_aa", "2.7"),
]


@pytest.mark.parametrize(("text", "subject", "release"), SAID)
def test_an_operator_said_unsupported_names_the_release_that_added_it(text, subject, release):
    first = _first(text)
    assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.WARN
    assert release in first.cause and (subject in first.cause or "Conv3D" in first.cause)


def test_an_operator_said_unsupported_with_a_torch_that_has_it_stays_the_generic_row():
    # the pasted torch already has the kernel: the words are about a case of it
    text = f"PyTorch version: 2.8.0\nOS: macOS 15.3 (arm64)\n\n{SAID[1][0]}\n"
    assert _problems(text).get("error.mps.op_not_implemented") is Status.WARN
    assert "error.mps.op_needs_newer_torch" not in _problems(text)


@pytest.mark.parametrize(
    "text",
    [
        # a mode of an operator that has a kernel (MPS's "Unsupported Border padding mode")
        '`grid_sample` with padding_mode="border" is not supported by mps',
        # sparse operators: the table reads the dense MPS kernels only (Vaibhavs10/
        # insanely-fast-whisper#258's sentence)
        "The error suggested that the operation `aten::_sparse_coo_tensor_with_dims_and_tensors` "
        "is not implemented for MPS.",
    ],
)
def test_a_case_or_a_sparse_operator_said_unsupported_is_not_dated(text: str):
    rows = _problems(text)
    assert "error.mps.op_needs_newer_torch" not in rows


# a CPU kernel's float16 refusal from an op MPS runs on the CPU below macOS 13
# (verify.diagnosis.cpu_fallback): vladmandic/sdnext#1591 (holdout12, development data)
SDNEXT_1591 = Path(__file__).parent / "data" / "holdout12"


def _sdnext() -> str:
    (path,) = SDNEXT_1591.glob("sdnext-1591-*.txt")
    return corpus.load(path).text


def test_a_cpu_half_refusal_on_macos_12_is_the_macos_fallback():
    first = _first(_sdnext())
    assert first.id == "error.mps.op_falls_back_on_old_macos" and first.status is Status.FAIL
    assert "12.5.1" in first.cause and "13.0" in first.cause
    assert any("12.5.1" in line for line in first.evidence)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("OSX 12.5.1", "OSX 13.4.1"),  # macOS 13 runs it on MPS: another story
        ("MacBook Pro M1", "MacBook Pro Intel Core i7"),  # not Apple silicon
    ],
)
def test_a_cpu_half_refusal_elsewhere_is_not_the_macos_fallback(old: str, new: str):
    text = _sdnext()
    assert old in text
    assert "error.mps.op_falls_back_on_old_macos" not in _problems(text.replace(old, new))


def test_a_cpu_half_refusal_of_an_op_mps_runs_natively_is_not_the_fallback():
    text = _sdnext().replace("upsample_nearest2d_channels_last", "addmm_impl_cpu_")
    assert "error.mps.op_falls_back_on_old_macos" not in _problems(text)


@pytest.mark.parametrize(
    ("text", "kernel"),
    [
        # nateraw/stable-diffusion-videos#125
        (
            "RuntimeError: \"lerp_kernel_scalar\" not implemented for 'Half'\n"
            "Using this on mac m1 machine and getting this error - \n"
            "RuntimeError: \"lerp_kernel_scalar\" not implemented for 'Half'\n",
            "lerp_kernel_scalar",
        ),
        # kijai/ComfyUI-Marigold#9: the Mac named only by the title, no other fact (not refused)
        (
            "macOS half not implemented\n"
            "I got the Marigold node now, but getting this weird error:\n"
            '`Error occurred when executing MarigoldDepthEstimation:  "LayerNormKernelImpl" not '
            "implemented for 'Half'  File \n",
            "LayerNormKernelImpl",
        ),
    ],
)
def test_a_cpu_half_refusal_on_a_mac_is_an_op_run_on_the_cpu(text: str, kernel: str):
    first = _first(text)
    assert first.id == "error.mps.op_runs_on_cpu" and first.status is Status.WARN
    assert kernel in first.cause and "float16" in first.cause
    assert any(kernel in line for line in first.evidence)


def test_a_cpu_half_refusal_off_a_mac_says_nothing_of_mps():
    refusal = "RuntimeError: \"lerp_kernel_scalar\" not implemented for 'Half'\n"
    assert "error.mps.op_runs_on_cpu" not in _problems("Ubuntu 22.04, RTX 3090\n" + refusal)
    with pytest.raises(InputError):
        diagnose.diagnose(refusal)
