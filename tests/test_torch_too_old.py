"""A torch too old for what the code needs, told in words or by a conda package name (issue 12).

The texts are real reports' lines, each cited."""

from __future__ import annotations

from verify.diagnosis import diagnose, envdump, resolver
from verify.diagnosis.paste import versions
from verify.model import Status

# https://github.com/wasserth/TotalSegmentator/issues/127 (3D Slicer's bundled torch 1.8.1 on a
# Mac; nnunetv2 needs torch>=2)
SLICER = (
    "It seems that TotalSegmentator does not work with pytorch-1.8.1 but requires pytorch>2 (see "
    "detailed log below). Is this expected?\n"
    "'/private/var/folders/n4/_8hf03v543x_q3b0k017wbfm0000gp/T/Slicer-mosc7cj2/__SlicerTemp__"
    "2023-05-23_10+25+00.631/segmentation',\n"
    "/Applications/Slicer.app/Contents/lib/Python/lib/python3.9/site-packages/torch/cuda/amp/"
    "grad_scaler.py:116: UserWarning: torch.cuda.amp.GradScaler is enabled, but CUDA is not "
    "available. Disabling.\n"
)


def _facts(text: str):
    return resolver.infer(envdump.parse(text)).facts


def test_condas_package_name_and_an_app_bundle_path_are_read():
    f = _facts(SLICER)
    assert (f.torch_version, f.os) == ("1.8.1", "Darwin")


def test_a_line_of_condas_download_table_is_no_installed_torch():
    # pytorch/pytorch#82428's conda plan: the package is about to be installed, not installed
    table = "    pytorch-1.10.2             |cpu_py38h23cb94c_0        30.7 MB\n"
    assert not [c for c in versions.read(table) if c.field == "torch_version"]
    assert [c.value for c in versions.read("with pytorch-1.8.1 but") if c.field == "torch_version"]


def test_r_torchs_version_is_no_pytorch_release():
    # mlverse/tabnet#132 (healthy: a usage question): R's {torch} 0.9.0, not a PyTorch before MPS
    text = (
        "I know `{torch}` added some support for Apple silicon GPUs (device = 'mps') in [torch "
        "v0.9.0](https://blogs.rstudio.com/ai/posts/2022-10-25-torch-0-9/#support-for-apple-"
        "silicon). \nCan `{tabnet}` also leverage Apple silicon GPUs?"
    )
    assert not [c for c in versions.read(text) if c.field == "torch_version"]
    old = [c.value for c in versions.read("torch 0.4.1") if c.field == "torch_version"]
    assert old == ["0.4.1"]


def test_a_required_torch_said_in_a_sentence_against_the_torch_shown():
    _, results = diagnose.diagnose(SLICER)
    row = next(r for r in results if r.id == "torch.version")
    assert row.status is Status.WARN
    assert "requires PyTorch 2 or newer" in row.cause and "1.8.1" in row.cause
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "torch.version"


def test_a_required_torch_without_a_torch_shown_says_nothing():
    # coqui-ai/TTS#112's kind: a requirement said, no installed torch in the text
    text = "coqui-tts main branch still installs because it only requires torch>=2.1 on macOS\n"
    _, results = diagnose.diagnose(text + "MacBook Pro, macOS 14.5, Apple M1\n")
    assert not [r for r in results if r.id == "torch.version" and r.status is Status.WARN]
