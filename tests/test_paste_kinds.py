"""Issue 12: the kinds of text tests/data/holdout5 showed the diagnosis missing, each read the way
its real reports need (tests/data/collect_env/ holds them with their diagnoses; the holdout5 files
named here are development data since 05:00).

- the dispatcher's "Could not run 'aten::X' with arguments from the 'MPS' backend": only tensor
  creation / copy ops mean a build without MPS (checked against this project's real CPU-only
  torch); another op is one without an MPS kernel; 'SparseMPS' is a sparse tensor on MPS; so is
  mmcv's "implementation for device mps:0 not found";
- torch.load's "don't know how to restore data location ... (tagged with mps:0)": torch < 2.1;
  its "Storage device not recognized: mps": a torch without MPS loading a Mac's checkpoint;
- MPS code on Linux / Windows with a torch that predates MPS: host.os warns, the torch row stays;
- installs that ask for builds this platform has none of: +cuXXX pins, CUDA-only conda packages,
  the newest torch on an Intel Mac;
- the torch version told in prose next to an MPS wish.
"""

from __future__ import annotations

import io
from pathlib import Path

import corpus
import pytest
import torch

from verify import known_errors
from verify.diagnosis import diagnose, opsupport
from verify.diagnosis.paste import all_clues, packages, prose
from verify.model import Status

DATA = Path(__file__).parent / "data"


def _case(folder: str, name: str) -> corpus.Case:
    return corpus.load(next((DATA / folder).glob(f"{name}*.txt")))


def _rows(text: str) -> dict[str, Status]:
    _, results = diagnose.diagnose(text)
    return {r.id: r.status for r in results}


def _first(text: str) -> str | None:
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    return first.id if first else None


def _ids(text: str) -> list[str]:
    return [e.id for e in known_errors.explain_all(text)]


# --- the dispatcher's refusal -----------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: torch.zeros(1, device="mps"),  # aten::empty.memory_format
        lambda: torch.zeros_like(torch.ones(2), device="mps"),  # aten::empty_strided
    ],
)
def test_a_build_without_mps_refusing_to_create_an_mps_tensor_is_not_linked(make):
    with pytest.raises(NotImplementedError) as info:
        make()  # this project's torch is a CPU-only Linux build
    assert "with arguments from the 'MPS' backend" in str(info.value)
    assert _ids(str(info.value)) == ["mps.not_linked"]


def test_the_dispatcher_refusing_another_op_on_mps_is_an_op_without_a_kernel():
    text = _case("collect_env", "pytorch-77794").text
    assert _ids(text) == ["mps.op_not_implemented"]
    rows = _rows(text)
    assert rows["error.mps.op_not_implemented"] is Status.WARN
    assert "error.mps.not_linked" not in rows
    assert rows["mps.built"] is not Status.FAIL
    line = next(x for x in text.splitlines() if "with arguments from" in x)
    assert opsupport.operator_of(line) == "aten::index.Tensor"


def test_a_sparse_tensor_refused_on_mps_is_an_op_without_a_kernel_not_a_build():
    for name in ("pytorch-140941", "insanely-fast-whisper-258"):
        text = _case("collect_env", name).text
        assert _ids(text) == ["mps.op_not_implemented"], name
        assert _first(text) == "error.mps.op_not_implemented", name
    # the sparse op is not looked up in the (dense) kernel table
    assert opsupport.operator_of(_case("collect_env", "pytorch-140941").text) is None


def test_the_cpu_convolution_refused_on_mps_is_an_op_row_that_names_the_cpu_input():
    # the threads of the day called it an op without a kernel (discuss.pytorch.org/t/152189,
    # where only the refusal's second sentence was pasted); malfet's pytorch/pytorch#86303 says
    # it is usually a CPU input with MPS weights: the row says both
    text = _case("holdout6", "discuss-pytorch-152189").text
    assert _first(text) == "error.mps.op_not_implemented"
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "error.mps.op_not_implemented")
    assert "pytorch/pytorch#86303" in row.cause
    assert row.evidence[0].startswith("'aten::_slow_conv2d_forward' is only")  # as read
    # the same sentence about a CUDA build, without "mps" before it, is not read
    cuda = "'aten::foo' is only available for these backends: [CPU, Meta]"
    assert _ids(cuda) == []


def test_mmcvs_own_refusal_for_an_mps_tensor_is_an_op_without_a_kernel():
    # open-mmlab/mmdetection#11437: "nms_impl: implementation for device mps:0 not found."
    text = _case("holdout6", "mmdetection-11437").text
    assert _ids(text) == ["mps.op_not_implemented"]
    assert _first(text) == "error.mps.op_not_implemented"


def test_an_op_refused_by_a_nightly_before_the_first_mps_release_is_a_warning():
    # pytorch/pytorch#77959: aten::index.Tensor on 1.12.0.dev20220518 (1.12.0: 2022-06-28): the
    # release with the kernel is named first, as a warning; the refusal keeps its own row
    text = _case("holdout5", "pytorch-77959").text
    rows = _rows(text)
    assert _first(text) == "error.mps.op_needs_newer_torch"
    assert rows["error.mps.op_needs_newer_torch"] is Status.WARN
    assert rows["error.mps.op_not_implemented"] is Status.WARN
    assert rows["mps.built"] is not Status.FAIL
    # a later nightly older than the first release with the kernel stays "torch too old"
    # (MIC-DKFZ/nnUNet#1862, 2.3.0.dev20231220)
    assert _first(_case("collect_env", "nnunet-1862").text) == "error.mps.op_needs_newer_torch"


# --- checkpoints tagged mps -------------------------------------------------------------------


def test_torchs_own_restore_message_for_an_mps_tag_is_read(monkeypatch):
    """torch's real default_restore_location, with the MPS deserializer taken out of its
    registry as in torch < 1.13 (and for 'mps:0' < 2.1: `location == 'mps'`)."""
    registry = [
        entry
        for entry in torch.serialization._package_registry
        if entry[2] is not torch.serialization._mps_deserialize
    ]
    monkeypatch.setattr(torch.serialization, "_package_registry", registry)
    buf = io.BytesIO()
    torch.save(torch.ones(2), buf)
    for tag in ("mps:0", "mps"):
        buf.seek(0)
        with pytest.raises(RuntimeError) as info:
            torch.load(buf, map_location=tag)
        assert _ids(str(info.value)) == ["mps.checkpoint_needs_newer_torch"], tag


def test_a_plus_set_apart_after_a_version_is_and_not_or_newer():
    # eloialonso/diamond#6's title: "Error when loading checkpoint on torch 2.0.1 + mps"
    facts, _ = diagnose.diagnose(_case("holdout5", "diamond-6").text)
    assert facts.torch_version == "2.0.1"
    wanted = [c for c in all_clues("Requires torch 2.0+ on macOS") if c.field == "torch_version"]
    assert not wanted  # "2.0+" is a floor asked for, not the user's torch


def test_an_mps_checkpoint_refused_by_an_old_torch_is_torch_too_old():
    for folder, name in (
        ("holdout5", "diamond-6"),
        ("collect_env", "pytorch-79384"),
        ("collect_env", "pytorch-78551"),
    ):
        text = _case(folder, name).text
        assert _first(text) == "error.mps.checkpoint_needs_newer_torch", name
    # the message is Python's: a Linux box loading a Mac's checkpoint prints it too, and it
    # does not make MPS expected there
    rows = _rows(
        "OS: Ubuntu 22.04\nRuntimeError: don't know how to restore data location of "
        "torch.storage._UntypedStorage (tagged with mps)"
    )
    assert rows["host.os"] is Status.PASS


def test_a_macs_checkpoint_loaded_by_a_torch_without_mps_is_a_build_without_mps():
    buf = io.BytesIO()
    torch.save(torch.ones(2), buf)
    buf.seek(0)
    with pytest.raises(RuntimeError) as info:  # this project's CPU-only torch, as on Linux
        torch.load(buf, map_location="mps")
    message = str(info.value)
    assert _ids(message) == ["mps.not_linked"]
    _, results = diagnose.diagnose(f"OS: Ubuntu 22.04\n{message}")
    rows = {r.id: r for r in results}
    assert rows["host.os"].status is Status.FAIL and "checkpoint" in rows["host.os"].cause
    assert "map_location='cpu'" in rows["error.mps.not_linked"].fix.text
    # chemprop/chemprop#1251 (Linux), Lightning-AI/pytorch-lightning#17618 (an Ubuntu CI runner,
    # whose Actions URL must not make it a macOS VM without a Metal device)
    for name in ("chemprop-1251", "lightning-17618"):
        text = _case("collect_env", name).text
        assert _first(text) == "error.mps.not_linked", name
        assert _rows(text)["mps.available"] is not Status.FAIL, name


# --- MPS code off a Mac -----------------------------------------------------------------------


def test_an_old_torchs_mps_check_on_linux_or_windows_names_both_causes():
    for folder, name in (
        ("collect_env", "pytorch-examples-1134"),
        ("collect_env", "clip-interrogator-50"),
    ):
        text = _case(folder, name).text
        rows = _rows(text)
        assert rows["host.os"] is Status.WARN, name  # MPS exists only on macOS
        assert rows["error.mps.torch_too_old"] is Status.FAIL, name
        assert _first(text) == "error.mps.torch_too_old", name  # as before: no signal between
    # lowfuel/progrock-stable#37 names its machine, an AWS c5d.2xlarge: a cloud server, where no
    # torch gives MPS (verify.diagnosis.install_rows), so the OS is the cause to fix first
    text = _case("holdout5", "progrock-stable-37").text
    rows = _rows(text)
    assert rows["host.os"] is Status.FAIL and rows["error.mps.torch_too_old"] is Status.FAIL
    assert _first(text) == "host.os"


def test_an_mps_check_off_mac_on_a_python_no_mps_release_supports_is_the_os_first():
    # pytorch/pytorch#105895: CentOS 8, Python 3.6.8 (no torch >= 1.12 for it), EasyOCR's check
    text = _case("holdout5", "pytorch-105895").text
    _, results = diagnose.diagnose(text)
    rows = {r.id: r for r in results}
    assert rows["host.os"].status is Status.FAIL and "3.6.8" in rows["host.os"].cause
    assert _first(text) == "host.os"
    # torch ran in that Python, so it is not one "PyTorch cannot be installed into"
    assert rows["host.python"].status is Status.WARN


# cvxopt/cvxopt#208's traceback (verbatim): "MPS" is the LP file format, on a Python 3.6
CVXOPT_208 = """KeyError                                  Traceback (most recent call last)
<ipython-input-17-204c5c7f2a16> in <module>
      1 op = modeling.op()
----> 2 op.fromfile("problem_classes/mittelmann_lp_test_set/brazil3.mps")

~/.local/lib/python3.6/site-packages/cvxopt/modeling.py in fromfile(self, filename)
   2833                 rowlabel = s[14:22].strip()
   2834                 if rowlabel not in functions:
-> 2835                     raise KeyError("no row label '%s'" %rowlabel)
"""


def test_a_python_before_mps_wheels_in_a_paste_not_about_torch_is_a_warning():
    rows = _rows(CVXOPT_208)
    assert rows["host.python"] is Status.WARN
    assert Status.FAIL not in rows.values()
    # the same Python where the paste is about PyTorch fails it
    assert _rows(CVXOPT_208 + "pip install torch\n")["host.python"] is Status.FAIL


def test_a_missing_torch_mps_module_is_a_torch_before_2_1_not_one_before_mps():
    # torch.mps ships from 2.0.1 (not imported by `import torch` before 2.1): the M2 Ultra of
    # baichuan-inc/Baichuan2#125 runs 2.0.1, which has torch.backends.mps
    text = "torch==2.0.1\nAttributeError: module 'torch' has no attribute 'mps'\n"
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "error.mps.torch_too_old")
    assert "from PyTorch 2.1" in row.cause and "older than 1.12" not in row.cause


def test_the_same_check_with_no_os_shown_keeps_host_os_unwarned():
    # the check's traceback with its Windows paths cut away: nothing says where it ran
    text = _case("holdout5", "rvc-webui-1040").text
    frames = "\n".join(line for line in text.splitlines() if "C:\\" not in line)
    assert _rows(frames).get("host.os") is not Status.WARN
    # with them (C:\RVC-GUI-pkg\...: verify.diagnosis.paste.paths) it is a Windows PC, where
    # MPS does not exist: a warning, while the old torch stays the cause to fix first
    assert _rows(text)["host.os"] is Status.WARN
    assert _first(text) == "error.mps.torch_too_old"


# --- installs that ask for builds this platform has none of -----------------------------------


def test_a_cuda_pin_whose_version_list_is_plain_says_the_platform_has_no_cuda_builds():
    text = _case("holdout5", "videocrafter-10").text  # no OS named at all
    assert _first(text) == "torch.installed"
    # without PyTorch's links the plain list proves nothing (PyPI has no +cuXXX builds)
    plain = (
        "ERROR: Could not find a version that satisfies the requirement torch==1.12.1+cu113 "
        "(from versions: 1.11.0, 1.12.0, 1.12.1)\n"
    )
    assert not any(c.field == "sign.no_gpu_builds" for c in packages.read(plain))
    # a list with +cuXXX builds in it is a platform that has them
    linux = (
        "Looking in links: https://download.pytorch.org/whl/torch_stable.html\n"
        + plain.replace("1.12.1)", "1.12.1, 1.12.1+cu116)")
    )
    assert not any(c.field == "sign.no_gpu_builds" for c in packages.read(linux))


def test_a_cuda_pin_on_a_mac_comes_before_its_python():
    # InternLM/InternLM#21: +cu117 on macOS with Python 3.11 (no plain 1.13.1 for it either)
    text = _case("collect_env", "internlm-21").text
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "torch.installed")
    assert row.status is Status.FAIL and "3.7-3.10, not 3.11" in row.cause
    assert _first(text) == "torch.installed"


@pytest.mark.parametrize(
    "folder, name",
    [
        ("collect_env", "mdlm-20"),
        ("collect_env", "animatediff-293"),
        ("collect_env", "textual-inversion-30"),
        ("holdout5", "prompt-da-2"),
        # libmamba's tree, the failure after the version's "**" (JonathanFly/bark#60)
        ("holdout26", "jonathanfly-bark-60"),
    ],
)
def test_a_cuda_only_conda_package_on_a_mac_fails_torch_installed(folder, name):
    assert _first(_case(folder, name).text) == "torch.installed"


def test_cuda_conda_packages_are_read_only_where_a_solver_refused_them():
    refused = packages.read(
        "PackagesNotFoundError: The following packages are not available from current "
        "channels:\n\n  - pytorch-cuda=11.8\n  - pytorch==2.0\n"
    )
    assert [c.value for c in refused if c.field == "sign.cuda_conda_package"] == [
        "pytorch-cuda=11.8"
    ]
    assert [c.value for c in refused if c.field == "sign.conda_no_torch"] == ["pytorch==2.0"]
    listed = packages.read("dependencies:\n  - pytorch-cuda=11.8\n  - cudatoolkit=11.3\n")
    assert not any(c.field == "sign.cuda_conda_package" for c in listed)
    # libmamba's tree names the failure after the version (JonathanFly/bark#60); a tree line
    # without one is only a step of the explanation
    tree = (
        "├─ cudatoolkit 11.8.0**  does not exist (perhaps a typo or a missing channel);\n"
        "└─ pytorch-cuda 11.8**  is uninstallable because it requires\n"
    )
    assert [c.value for c in packages.read(tree) if c.field == "sign.cuda_conda_package"] == [
        "cudatoolkit 11.8.0",
        "pytorch-cuda 11.8",
    ]
    step = "│  └─ pytorch-cuda 11.8 would require\n"
    assert not any(c.field == "sign.cuda_conda_package" for c in packages.read(step))


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("holdout26", "samapi-29"),  # "MacBook Pro (Intel processor)", pip's log cut short
        ("holdout21", "vllm-7430"),  # collect_env's i9-8950HK, then `pip install vllm`
    ],
)
def test_a_package_installed_on_an_intel_mac_warns_of_the_x86_64_ceiling(folder, name):
    _, results = diagnose.diagnose(_case(folder, name).text)
    row = next(r for r in results if r.id == "host.arch")
    assert row.status is Status.WARN and "2.2.2" in row.cause
    assert any("pip install" in line for line in row.evidence)
    assert diagnose.first_cause(results) is row


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        # an install on an M2 Pro (its onnxruntime-gpu refused: the package's row)
        ("collect_env", "waldo-15"),
        # an Intel Mac whose Python 3.6 torch 2.2.2 never covered: the Python's row says it
        ("collect_env", "pytorch-4802"),
    ],
)
def test_a_package_install_says_nothing_of_the_ceiling_elsewhere(folder, name):
    assert _rows(_case(folder, name).text)["host.arch"] is not Status.WARN


def test_a_failed_install_of_the_newest_torch_on_an_intel_mac_fails_host_arch():
    text = _case("holdout5", "uv-10085").text  # i7-1068NG7, sw_vers, `uv add torch` fails
    assert _first(text) == "host.arch"
    read = packages.read
    assert [c.value for c in read("uv add torch\nfails with")] == ["uv add torch"]
    assert not [c for c in read("pip install torch==2.2.2\nERROR: x") if "install" in c.field]
    assert not [c for c in read("pip install torch\nall good") if "install" in c.field]


# --- the torch version in prose ---------------------------------------------------------------


def test_a_torch_version_told_in_prose_next_to_an_mps_wish_is_torch_too_old():
    text = _case("holdout5", "omnipose-17").text  # "old version of `pytorch` (1.8.2)"
    facts, _ = diagnose.diagnose(text)
    assert facts.torch_version == "1.8.2"
    assert _first(text) == "torch.version"
    clues = prose.read("the `mps` support in your latest version")
    assert [c.field for c in clues] == ["sign.mps_intent"]
    # a version without an MPS wish asks nothing of MPS
    quiet = diagnose.diagnose("issues with old version of `pytorch` (1.8.2)")[1]
    assert not [r for r in quiet if r.status is Status.FAIL]


# --- an operator without an MPS implementation, told in words ---------------------------------


def test_a_title_asking_for_an_op_on_sparse_mps_is_the_op_row():
    # pytorch/pytorch#87886: the traceback's last line is cut, the title names the op
    text = _case("holdout6", "pytorch-87886").text
    assert _first(text) == "error.mps.op_not_implemented"


def test_an_op_said_in_words_not_implemented_on_mps_is_the_op_row():
    # open-mmlab/mmcv#2732: no torch message, the title asks to implement nms_impl on MPS
    text = _case("holdout5", "mmcv-2732").text
    assert _first(text) == "error.mps.op_not_implemented"
    said = prose.read("it throws an error stating that nms has not been implemented on MPS.")
    assert [c.field for c in said] == ["sign.op_said_missing"]
    # a sentence without MPS says nothing of MPS
    assert not prose.read("The export has not been implemented yet. MPS works fine.")


def test_an_mps_operator_said_unavailable_is_the_op_row():
    # MiniMax-AI/MiniMax-H3#56: the error line is cut; the status line says what failed
    text = _case("holdout138", "MiniMax-H3-56").text
    assert _first(text) == "error.mps.op_not_implemented"
    said = prose.read("sampling fails at the first step because an MPS operator is unavailable")
    assert [c.field for c in said] == ["sign.op_said_missing"]
    # an operator missing elsewhere, or a device said unavailable, is no missing MPS kernel
    assert not prose.read("The op is missing from the ONNX export. MPS works fine.")
    assert "sign.op_said_missing" not in [c.field for c in prose.read("MPS is unavailable.")]


def test_a_torch_op_said_unsupported_on_mps_in_japanese_is_the_op_row():
    # ddPn08/rvc-webui#22: "MPS ... torch.tsft (stft) is not supported", the fix ran it on the CPU
    text = _case("holdout138", "rvc-webui-22").text
    assert _first(text) == "error.mps.op_not_implemented"
    said = prose.read("mps 不支持 torch.fft.rfftn 算子")
    assert [c.field for c in said] == ["sign.op_said_missing"]
    # without a torch operator it is about MPS or a library, not a kernel (videolingo#323,
    # mimicmotion#53: healthy threads)
    for healthy in ("底层的ctranslate2库还不支持 mps", "因为不支持MPS\uff0c我只能改为CPU跑"):
        assert "sign.op_said_missing" not in [c.field for c in prose.read(healthy)]
    # the operator in another sentence is not the one said unsupported
    assert not prose.read("torch.compile 好用。MPS 不支持 bf16。")


# --- installers' words, wrapped or told -------------------------------------------------------


def test_an_extension_said_built_for_x86_64_instead_of_arm64_is_the_other_arch_module():
    # huggingface/tokenizers#712: dyld's own lines are cut; the sentence says what it found
    text = _case("holdout134", "tokenizers-712").text
    assert _first(text) == "host.arch"
    said = prose.read("pip bundles the `x.cpython-39-darwin.so` for `x86_64` instead of `arm64`")
    assert ("sign.wrong_arch_library", "x86_64") in [(c.field, c.value) for c in said]
    # a sentence about no built thing says nothing of a library
    assert not prose.read("I ran it for x86_64 instead of arm64 to compare the timings")


def test_uvs_refusal_wrapped_at_the_terminal_width_is_read():
    # Lightricks/LTX-2#298: the cu132 index pinned on darwin-arm64, uv's message wrapped
    text = _case("holdout6", "ltx-2-298").text
    assert _first(text) == "torch.installed"
    assert any(c.field == "sign.pip_no_torch" for c in packages.read(text))


def test_an_install_told_to_run_on_macos_makes_a_cpu_build_pin_the_cause():
    # PennyLaneAI/demos#1125: Poetry picked torch 1.13.1+cpu "on macOS"
    text = _case("holdout6", "pennylane-demos-1125").text
    assert _first(text) == "torch.installed"
    said = prose.read("After installing poetry (version 1.8.3) on macOS and running it")
    assert "sign.mac_hint" in [c.field for c in said]
    assert not prose.read("It runs on macOS 13 or later.")  # a requirement, not this machine


def test_lightnings_backticked_refusal_is_read():
    # Lightning-AI/pytorch-lightning#15861 quotes the class name in backticks
    line = (
        "MisconfigurationException: `MPSAccelerator` can not run on your system since the "
        "accelerator is not available."
    )
    assert _ids(line) == ["mps.lightning_unavailable"]


# --- several torch versions told at once ------------------------------------------------------


def test_a_problem_told_of_two_torch_versions_is_weighed_on_the_newest():
    # pytorch/pytorch#92265 (wrong targets from torch.stack on MPS): "This happens with Pytorch
    # **1.3.1** and **2.0.0.dev20230116**" - 1.3.1 (a slip for 1.13.1) failed torch.version as
    # older than MPS, a false alarm on a wrong-results thread
    text = _case("holdout15", "pytorch-92265").text
    clues = [c.value for c in all_clues(text) if c.field == "torch_version"]
    assert clues == ["1.3.1", "2.0.0.dev20230116"]
    facts, results = diagnose.diagnose(text)
    assert facts.torch_version == "2.0.0.dev20230116"
    assert not [r.id for r in results if r.status is Status.FAIL]
    # a Python after the torch is no second torch; "or" lists are read the same way
    told = [c.value for c in all_clues("PyTorch 2.1 and 3.11") if c.field == "torch_version"]
    assert "3.11" not in told
    both = "torch 2.0.1 or 2.1.0 both fail"
    assert [c.value for c in all_clues(both) if c.field == "torch_version"] == ["2.0.1", "2.1.0"]


def test_an_old_torchs_mps_check_in_a_linux_container_is_the_torch_first():
    # sanghyun-son/EDSR-PyTorch#355: the repo's `torch.backends.mps.is_available()` in an autodl
    # Linux container, on a torch before 1.12 (the thread: upgrade torch); the check named MPS,
    # the user never asked for it: the OS row warns, the torch goes first
    text = _case("holdout214", "EDSR-PyTorch-355").text
    rows = _rows(text)
    assert rows["host.os"] is Status.WARN
    assert rows["error.mps.torch_too_old"] is Status.FAIL
    assert _first(text) == "error.mps.torch_too_old"
