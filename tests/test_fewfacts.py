"""Pastes with few facts (issue 12, third session): torch work on the MPS device shown with no
machine fact is diagnosed, not refused (verify.diagnosis.paste.mpswork, verify.diagnosis.settle),
and since the twenty-fourth session so is a paste that names the Mac or MPS at all; the rows it
cannot settle are skipped and one row names the command that settles them; text with nothing
about torch on MPS and no Mac named is still refused with one line (exit 2). Exit codes through
the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import corpus
import pytest

from verify.diagnosis import diagnose, envdump, resemble_rows, settle
from verify.diagnosis.paste import mpswork
from verify.errors import InputError
from verify.model import Status

ROOT = Path(__file__).resolve().parents[1]
BY_NAME = {c.name: c for c in corpus.cases()}


def _cli(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "verify", "diagnose", str(pasted)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


# --- what counts as torch work on MPS ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Using device: mps\nEpoch 1/10 loss 0.53\n",  # a training log's device line
        "Device: mps:0\n",
        # torch/__init__.py _deprecated_attrs (torch 2.1 on)
        "UserWarning: 'has_mps' is deprecated, please use 'torch.backends.mps.is_built()'\n",
        "export PYTORCH_ENABLE_MPS_FALLBACK=1\npython train.py\n",
        'trainer = L.Trainer(accelerator="mps", devices=1)\n',
        "distributed_type: MPS\nmixed_precision: 'no'\n",
        "Tests in my CI that use `mps` backend pass on one runner but not another.\n",
        "Question : does it work with Apple mps ?\n",  # Azure/MS-AMP#110
        # MetalPerformanceShaders' own assertion (pytorch/pytorch#86279)
        "failed assertion `[MPSNDArray initWithDevice:descriptor:] Error: total bytes of NDArray"
        " > 2**32'\n",
    ],
)
def test_torch_work_on_mps_is_read(text):
    reading_signs = {c.field: [c] for c in mpswork.read(text)}
    assert mpswork.shown(reading_signs), text
    assert envdump.parse(text).kind == "freeform"


def test_a_negated_device_line_is_not_read():
    assert mpswork.read("I am not running on mps, only on CUDA.\n") == []


@pytest.mark.parametrize(
    "text",
    [
        "Device: cuda:0\n",
        "x = torch.ones(3).to('cuda')\n",
        "My laptop is slow when I train, what should I do?\n",
    ],
)
def test_no_mps_work_and_no_fact_is_still_refused(text):
    assert mpswork.read(text) == []
    with pytest.raises(InputError):
        envdump.parse(text)


def test_a_paste_with_only_the_os_is_diagnosed_naming_the_command_that_settles_the_rest():
    # issue 12 refuses only a paste that "holds no facts at all": the OS is one (AcTePuKc/
    # Chatterbox-TTS-UI#3: "I had the same error on Mac Os 26.2", a missing package)
    facts, results = diagnose.diagnose(
        "My Mac is slow when I train, what should I do?\nOS: macOS 14\n"
    )
    assert (facts.os, facts.macos_version) == ("Darwin", "14.0")
    by_id = {r.id: r for r in results}
    assert [r.id for r in results if r.status in (Status.FAIL, Status.WARN)] == []
    assert by_id["host.macos"].status is Status.PASS
    assert by_id["host.python"].status is Status.SKIP
    settle = by_id["paste.facts"]
    assert settle.status is Status.SKIP and "python -m torch.utils.collect_env" in settle.detail


@pytest.mark.parametrize(
    "text",
    [
        # modelscope/DiffSynth-Studio#331 (title, body)
        "Feature request: support MPS (Apple Silicon)\n\n"
        "It would be great if Apple Silicon chips are supported.\n",
        "可以在MAC上跑吗?\n\n可以在MAC上跑吗?\n",  # jingyaogong/minimind#6
        # deforum/deforum-stable-diffusion#189: Macs in the plural name them too
        "Doesn't work with CPUs\n\nHi y'all -- I've been doing a deep dive into this awesome "
        "capability and AFAICT it's fairly clear that the CPU path, particularly on Macs, has "
        "never worked.\n",
    ],
    ids=["mps-apple-silicon", "mac-zh", "macs"],
)
def test_a_paste_that_only_names_the_mac_or_mps_is_diagnosed_not_refused(text):
    # a feature request or a question about running on a Mac is about torch on a Mac: nothing in
    # it points at the environment, and the settle row names the command (45 of the 98 pastes
    # refused before were healthy or wrong-results threads, 39 of them naming the Mac or MPS:
    # docs/diagnose.md, "Pastes with few facts")
    _, results = diagnose.diagnose(text)
    assert [r.id for r in results if r.status in (Status.FAIL, Status.WARN)] == []
    assert next(r for r in results if r.id == settle.ROW_ID).status is Status.SKIP


def test_a_reader_finding_in_a_paste_refused_before_comes_first():
    # w-okada/voice-changer#858 (title, body), refused before as holding no fact: the Intel Mac
    # asked about is the asker's own (verify.diagnosis.paste.prose)
    text = (
        "Mac intel supported ???\n\n### Description\nI think Mac Intel not supported right ????\n"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and first.status is Status.WARN
    assert not resemble_rows.likeness(first)  # a reader's finding, not the text model's


# --- the diagnosis of a paste with few facts -----------------------------------------------------


def test_a_script_on_mps_is_diagnosed_with_the_command_that_settles_the_rest():
    facts, results = diagnose.diagnose("model = Net().to('mps')\nout = model(x)\n")
    rows = {r.id: r for r in results}
    assert not [r for r in results if r.status in (Status.FAIL, Status.WARN)]
    row = rows[settle.ROW_ID]
    assert row.status is Status.SKIP and not row.required
    assert "`python -m torch.utils.collect_env`" in row.detail
    assert "`python -m verify facts`" in row.detail and "\n" not in row.detail
    # every rule row the paste cannot settle is named, and none is "not applicable"
    for rule in ("host.os", "host.arch", "host.macos", "host.python", "mps.available"):
        assert rows[rule].status is Status.SKIP and rows[rule].detail.endswith("pasted text")
        assert rule in row.detail
    assert facts.os is None


def test_no_settle_row_where_the_paste_shows_the_machine():
    _, results = diagnose.diagnose(BY_NAME["pytorch-146236-rosetta-m2-pro"].text)
    assert settle.ROW_ID not in {r.id for r in results}


def test_a_corpus_thread_refused_before_is_diagnosed_without_a_failing_row():
    # actions/runner-images#14380: wrong outputs on macos-26 runners, MPS available; was exit 2
    case = BY_NAME["runner-images-14380-macos-26-mpsgraph-wrong-outputs"]
    facts, results = diagnose.diagnose(case.text)
    assert not [r for r in results if r.status is Status.FAIL]
    # its runner labels (macos-15, macos-26) name arm64 Macs (verify.diagnosis.paste.downloads): a
    # machine
    # fact, so the host rows speak and the settle row (no machine fact at all) stays out
    assert facts.hardware_arm64 is True
    assert settle.ROW_ID not in {r.id for r in results}


def test_cli_diagnoses_torch_work_on_mps_exit_0_with_the_honest_verdict(tmp_path):
    proc = _cli(tmp_path, "```python\ndevice = torch.device('mps')\nmodel.to(device)\n```\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "READY nothing in the pasted text points at the environment" in out
    assert "machine" not in out.split("READY", 1)[1].split(":")[0]  # no "the machine is fine"
    settle_lines = [line for line in out.splitlines() if settle.ROW_ID in line]
    assert len(settle_lines) == 1 and "`python -m torch.utils.collect_env`" in settle_lines[0]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "just some words\n",
        "lorem ipsum dolor sit amet 3x faster float64 torch\n",
        "import torch\nx = torch.ones(3).cuda()\n",
    ],
    ids=["empty", "words", "torch-word", "cuda-code"],
)
def test_cli_still_refuses_text_with_nothing_about_torch_on_mps(tmp_path, text):
    proc = _cli(tmp_path, text)
    assert proc.returncode == 2, proc.stdout
    err = proc.stderr.strip()
    assert err.startswith("error:") and "\n" not in err and "Traceback" not in err


# --- places told in words: Docker on the Mac itself ----------------------------------------------


def _signs(text: str) -> dict:
    return envdump.parse(text).signs


@pytest.mark.parametrize(
    "text",
    [
        # nomadkaraoke/python-audio-separator#192's shape (its title)
        "Compatibility for Docker image running locally on mac OS.\nIt uses mps on my mac.\n",
        # RVC-Boss/GPT-SoVITS#1405's shape
        "我在mac中用docker部署\uff0c能用mps吗\n",
        "Is there a docker image for the M2 Mac? I want to train with device='mps'.\n",
    ],
)
def test_docker_said_to_run_on_the_mac_is_linux_in_the_mac(text):
    pasted = envdump.parse(text)
    assert pasted.has("sign.docker_on_mac") and pasted.facts.os == "Linux"
    _, results = diagnose.diagnose(text)
    host_os = next(r for r in results if r.id == "host.os")
    assert host_os.status is Status.FAIL and "Metal" in host_os.cause
    assert host_os.evidence


@pytest.mark.parametrize(
    "text",
    [
        # Docker elsewhere, or negated in the sentence: the Mac runs torch itself
        "I run it on my M2 Mac with device='mps', and in a docker container on a remote server.\n",
        "On my Mac I use device='mps' directly, not in docker.\n",
        "My Mac runs it with device='mps'. Docker is only for our Linux servers.\n",
    ],
)
def test_docker_elsewhere_is_not_the_mac(text):
    assert not _signs(text).get("sign.docker_on_mac")
    _, results = diagnose.diagnose(text)
    assert not [r for r in results if r.status is Status.FAIL]


# --- places told in words: a macOS VM, a PC choosing MPS -----------------------------------------


def test_gpu_work_said_unsupported_in_a_macos_vm_fails_mps_available():
    # cirruslabs/tart#501's shape: torch's MPS example run in a Tart VM, "not supported"
    text = (
        "I ran the PyTorch MPS example inside a Tart VM and it seems not supported by the "
        "underlying `Virtualization.framework`.\n"
    )
    pasted = envdump.parse(text)
    assert pasted.has("sign.vm") and pasted.has("sign.gpu_missing")
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "mps.available")
    assert row.status is Status.FAIL and "virtual machine" in row.cause
    assert diagnose.first_cause(results) is row


@pytest.mark.parametrize(
    "text",
    [
        # a VM named with nothing said to fail, or the failure negated
        "I ran the PyTorch MPS example inside a Tart VM and it works.\n",
        "MPS works fine for me, it is not a VM issue: the VM is not involved.\n",
        # a VM failing with no GPU / torch in the paste says nothing about MPS
        "The build fails inside the VM with a linker error.\n",
    ],
)
def test_a_vm_without_a_gpu_failure_is_no_finding(text):
    try:
        _, results = diagnose.diagnose(text)
    except InputError:
        return
    assert not [r for r in results if r.status is Status.FAIL]


@pytest.mark.parametrize(
    ("text", "os_name"),
    [
        ("OS: Windows 11\npython predict.py --device mps --image cat.jpg\n", "Windows"),
        ("Ubuntu 22.04\n```\nmodel = model.to('mps')\n```\nit does not run\n", "Linux"),
        ("Windows 10 here, I set the OCR device to mps in the settings.\n", "Windows"),
    ],
)
def test_mps_chosen_on_a_pc_fails_host_os(text, os_name):
    pasted = envdump.parse(text)
    assert pasted.has("sign.mps_chosen") and pasted.facts.os == os_name
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "host.os")
    assert row.status is Status.FAIL and os_name in row.cause


@pytest.mark.parametrize(
    "text",
    [
        # probed, not chosen: a device pick that falls back, on a Linux CUDA box
        "Ubuntu 22.04\ndevice = 'cuda' if torch.cuda.is_available() else 'mps'\n",
        "Ubuntu 22.04\n"
        "device = torch.device('mps') if torch.backends.mps.is_available() else 'cpu'\n",
        # NVIDIA's Multi-Process Service is "MPS" too
        "Ubuntu 22.04\nexport CUDA_MPS_PIPE_DIRECTORY=/tmp/mps\nnvidia-cuda-mps-control -d\n"
        "python train.py --device mps\n",
    ],
)
def test_mps_probed_or_nvidia_mps_on_linux_is_no_finding(text):
    assert not envdump.parse(text).has("sign.mps_chosen")
    _, results = diagnose.diagnose(text)
    assert not [r for r in results if r.status is Status.FAIL]


# --- a PC told by its NVIDIA RTX GPU -------------------------------------------------------------


def test_a_pc_told_by_its_rtx_gpu_asking_about_mps_fails_host_os():
    # huggingface/diffusers#1847's shape: accelerate's machine menu, a PC's parts in words
    text = (
        "Which type of machine are you using?\n  No distributed training\n  multi-GPU\n  MPS\n"
        "I have a normal computer, an rtx 2060 and a core i5 cpu, what is MPS?\n"
    )
    assert envdump.parse(text).has("sign.pc_gpu")
    _, results = diagnose.diagnose(text)
    row = diagnose.first_cause(results)
    assert row is not None and row.id == "host.os" and row.status is Status.FAIL
    assert "rtx 2060" in row.cause and "CUDA" in row.fix.text
    assert any("rtx 2060" in line for line in row.evidence)


@pytest.mark.parametrize(
    "text",
    [
        # compared with, not owned
        "On my M2 Max, MPS is about as fast as an RTX 3060 for this model.\n",
        "MPS training speed vs RTX 4090: my M3 is 4x slower.\n",
        # another machine next to the Mac
        "My old PC had an RTX 3080; now on my MacBook Pro M1 MPS is slow.\n",
        # NVIDIA's Multi-Process Service
        "I have an RTX 4090 and enabled the MPS daemon with nvidia-cuda-mps-control -d.\n",
    ],
)
def test_an_rtx_gpu_compared_elsewhere_or_with_nvidia_mps_is_no_finding(text):
    try:
        _, results = diagnose.diagnose(text)
    except InputError:
        return
    assert not [r for r in results if r.status is Status.FAIL]
