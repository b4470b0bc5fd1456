"""Limits told in words, installer indexes, memory wordings and int64 refusals (issue 12).

Each reading is backed by real reports in tests/data/collect_env/ (see their headers); these
tests pin the edges: negations, lists, contexts without MPS, other programs' messages.
"""

from __future__ import annotations

import pytest

from verify import known_errors, messages
from verify.diagnosis import diagnose, envdump, opsupport, paste
from verify.diagnosis.paste import packages, said
from verify.facts import Facts
from verify.model import Status


def _signs(reader, text: str) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for c in reader(text):
        out.setdefault(c.field, []).append(c.value)
    return out


@pytest.mark.parametrize(
    "text",
    [
        "as MPS doesn't support float64 and isn't likely too any time soon.",
        "The MPS (Apple Silicon) backend for PyTorch does not support float64.",
        "because MPS has no float64 type implemented.",
        "float64 is not supported on MPS, so cast first",
        "pytorch only supports float32 for MPS.",
        "Float64s are not supported by MPS and many NPU's",
        "It seems that MPS can only accept float32 tensors.",
        "On new versions of MacBook this means that device mps. However, training on mps must "
        "occur with float32.",
        # beyarkay/latent-space-explorer#2's title
        "Fix MPS issue with lack of f64 support",
        "the MPS backend does not support fp64",
        # Tiger14n/RVC-GUI#4's PR description
        "* Fix float64 error on apple silicons.",
        # huggingface/diffusers#14367's title
        "Helios schedulers raise `TypeError` on MPS: `float64` without the device guard",
        # grapeot/context-infrastructure#29's PR description
        "- Document using `docling --device cpu` on macOS/Apple Silicon to avoid MPS float64 "
        "failures.",
    ],
)
def test_float64_said_unsupported_on_mps(text):
    assert "sign.float64_said" in _signs(said.read, text)


@pytest.mark.parametrize(
    "text",
    [
        "If MPS doesn't support float64 we could fall back.",  # a condition
        "Does MPS not support float64?",  # a question
        "CUDA supports float64 and so does the CPU.",
        "MPS does not support bfloat16 on macOS 13.",
        "Fix float64 error on Windows.",  # no Mac, no MPS
        "a TypeError on MPS: expected a float32 tensor",  # no float64 named
    ],
)
def test_float64_not_said(text):
    assert "sign.float64_said" not in _signs(said.read, text)


def test_jetsam_and_shell_kills_need_mps_in_the_paste():
    jetsam = "kernel: memorystatus: killing largest compressed process python3.11 [5844] 43350 MB"
    assert "sign.mps_memory_said" not in _signs(said.read, jetsam)
    assert "sign.mps_memory_said" in _signs(said.read, f"On macOS (MPS):\n{jetsam}")
    killed = "line 142: 33551 Killed: 9               python -m train"
    assert "sign.mps_memory_said" not in _signs(said.read, killed)
    with_ratio = f"Tried PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0.\n{killed}"
    assert "sign.mps_memory_said" in _signs(said.read, with_ratio)
    assert "sign.mps_memory_said" not in _signs(said.read, "MPS is fine.\nzsh: bus error  yolo")


def test_jetsam_named_in_words_is_a_kill_for_memory():
    # OpenDigitalProductFactory/opendigitalproductfactory#1322's PR description (verbatim, an M5
    # Max): the process on MPS killed by jetsam, told in a sentence
    text = (
        "**Root cause found:** macOS Jetsam (memory-pressure killer) was terminating the "
        "MPS-based Chatterbox sidecar after each synthesis, causing ~12s reload windows."
    )
    assert "sign.mps_memory_said" in _signs(said.read, text)
    assert "sign.mps_memory_said" not in _signs(said.read, "Jetsam is macOS's memory killer.")
    _, results = diagnose.diagnose(text)
    assert diagnose.first_cause(results).id == "error.mps.oom"


def test_killed_for_memory_is_the_oom_row_with_its_own_cause():
    text = "M4 Pro / macOS 26.5 / torch 2.6.0, device mps\nzsh: killed     python3 run.py\n"
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "error.mps.oom")
    assert row.status is Status.WARN and row.data["said"] is True
    assert "macOS killed the process" in row.cause and "empty_cache" in row.fix.text
    assert diagnose.first_cause(results) is row


def test_float64_said_makes_a_paste_diagnosable_and_names_float64():
    _, results = diagnose.diagnose("Fix MPS support\n\nMPS does not support float64\n")
    assert diagnose.first_cause(results).id == "error.mps.float64"
    assert not [r for r in results if r.status is Status.FAIL]


def test_uv_distribution_wrapped_after_the_backquote_names_the_cuda_index():
    text = (
        "error: Distribution `torch==2.13.0+cu132 @ registry+https://download.pytorch.org/whl/"
        "cu132`\ncan't be installed because it doesn't have a source distribution or wheel for "
        "the current platform\n"
    )
    signs = _signs(packages.read, text)
    assert signs["sign.pip_no_torch"] == ["torch==2.13.0+cu132"]
    assert signs["sign.gpu_index"] == ["https://download.pytorch.org/whl/cu132"]
    cpu = text.replace("cu132", "cpu")  # PyTorch's CPU index is no GPU index
    assert "sign.gpu_index" not in _signs(packages.read, cpu)


def test_cuda_pin_refused_where_only_the_words_name_a_mac():
    # dubr1k/GigaAMGUI#3 (Russian), the title and the sentence verbatim: "на macos" is the only
    # system named; the backquote after the pin is Markdown's, not the requirement's
    text = (
        "Проблема версий при установке на macos\n"
        "Следуя инструкции, команда `pip install -r requirements.txt` выдает ошибку установки "
        "`ERROR: No matching distribution found for torch==2.6.0+cu124`\n"
    )
    pasted = envdump.parse(text)
    assert [c.value for c in pasted.signs["sign.pip_no_torch"]] == ["torch==2.6.0+cu124"]
    _, results = diagnose.diagnose(text)
    row = diagnose.first_cause(results)
    assert row.id == "torch.installed" and "torch==2.6.0+cu124" in row.cause
    # with Linux read, the same refusal says nothing of a Mac
    linux = text + "OS: Ubuntu 22.04\n"
    assert diagnose.first_cause(diagnose.diagnose(linux)[1]) is None


def test_uv_cuda_pin_on_a_mac_is_the_install_row():
    text = (
        "`uv sync` fails on darwin-arm64 on my Apple Silicon Mac:\n```\nerror: Distribution "
        "`torch==2.13.0+cu132 @ registry+https://download.pytorch.org/whl/cu132`\ncan't be "
        "installed because it doesn't have a source distribution or wheel for the current "
        "platform\n```\n"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first.id == "torch.installed" and first.status is Status.FAIL


@pytest.mark.parametrize(
    ("text", "mac"),
    [
        ("After installing poetry (version 1.8.3) on macOS and running make, it fails", True),
        ("[Mac] Unable to find installation candidates for torch", True),
        ("I have never run it on macOS", False),  # a negation
        ("If you are on macOS, use the default index", False),  # a condition
        ("It works on macOS and Linux", False),  # a list of systems
        ("Does it fail on macOS?", False),
    ],
)
def test_on_macos_said_of_this_failure(text, mac):
    assert paste.read(text).has("sign.mac_hint") is mac


def test_poetry_cpu_build_on_macos_is_the_install_row_not_the_python():
    text = (
        "After installing poetry (version 1.8.3) on macOS and running `make environment`, you "
        "get the following error.\n  - Installing torch (1.13.1+cpu): Failed\n  RuntimeError\n"
        "  Unable to find installation candidates for torch (1.13.1+cpu)\n"
        "  at ~/.local/pipx/venvs/poetry/lib/python3.12/site-packages/poetry/chooser.py:74\n"
    )
    _, results = diagnose.diagnose(text)
    assert diagnose.first_cause(results).id == "torch.installed"
    assert next(r for r in results if r.id == "host.python").status is not Status.FAIL


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("RuntimeError: Invalid buffer size: 9.00 GB", True),
        ("RuntimeError: Invalid buffer size: 19.38 GiB", True),
        ("Log.e(TAG, Invalid buffer size: 4096)", False),  # another program's, no unit
        (
            "MPS backend out of\nmemory ... Use PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable "
            "upper limit for memory allocations (may cause system failure).",
            True,
        ),
    ],
)
def test_allocator_wordings_are_the_oom_pattern(text, found):
    hit = known_errors.explain(text)
    assert (hit is not None and hit.id == "mps.oom") is found


def test_invalid_buffer_size_says_one_buffer_is_too_large():
    _, results = diagnose.diagnose(
        "macOS 15.1, torch 2.3.1\nRuntimeError: Invalid buffer size: 9.00 GB"
    )
    row = next(r for r in results if r.id == "error.mps.oom")
    assert "maxBufferLength" in row.cause and "batch" in row.fix.text
    assert "WATERMARK" not in " ".join(row.fix.commands)


@pytest.mark.parametrize(
    "message",
    [
        "TypeError: Operation 'abs_out_mps()' does not support input type 'int64' in MPS backend.",
        "RuntimeError: Operation 'abs_out_mps()' doesn not support input type 'int64' in MPS "
        "backend",  # the 1.13 nightlies' typo
    ],
)
def test_unary_int64_refusal_is_a_torch_older_than_2_0(message):
    known = known_errors.explain(message)
    assert known is not None and known.id == "mps.dtype_unsupported"
    j = opsupport.judge(known, Facts(source="pasted"))
    assert j.kind == "torch-too-old" and j.first_torch == "2.0" and j.certain
    # a torch at 2.0 or past it printed none of it: the code ran in another environment
    later = opsupport.judge(known, Facts(source="pasted", torch_version="2.1.0"))
    assert later.mismatch


def test_unary_int64_refusal_row_comes_first():
    text = (
        'tango = Tango("declare-lab/tango", "mps")\n'
        "TypeError: Operation 'abs_out_mps()' does not support input type 'int64' in MPS backend."
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.op_needs_newer_torch" and "2.0" in first.cause
    assert envdump.parse(text).errors[0].id == "mps.dtype_unsupported"


def test_mmcv_op_without_mps_says_the_fallback_does_not_reach_it():
    text = "RuntimeError: nms_impl: implementation for device mps:0 not found."
    _, results = diagnose.diagnose(f"On my M2 MacBook Pro:\n{text}")
    row = diagnose.first_cause(results)
    assert row.id == "error.mps.op_not_implemented"
    assert "nms_impl" in row.cause and "does not reach it" in row.cause
    assert "PYTORCH_ENABLE_MPS_FALLBACK" not in " ".join(row.fix.commands)
    assert "cpu" in row.fix.text


@pytest.mark.parametrize(("op", "kernel"), [("nms", True), ("deform_conv2d", False)])
def test_torchvision_op_refused_on_mps(op, kernel):
    text = (
        f"NotImplementedError: The operator 'torchvision::{op}' is not currently implemented "
        "for the MPS device. If you want this op to be added in priority during the prototype "
        "phase of this feature, please comment on https://github.com/pytorch/pytorch/issues/77764."
    )
    _, results = diagnose.diagnose(text)
    row = diagnose.first_cause(results)
    assert row.id == "error.mps.op_not_implemented" and f"torchvision::{op}" in row.cause
    assert ("0.16" in row.fix.text) is kernel
    assert row.fix.commands == ("export PYTORCH_ENABLE_MPS_FALLBACK=1",)


def test_a_nightly_on_which_mps_crashes_is_fixed_in_a_newer_torch():
    text = (
        "- YOLO: Ultralytics YOLOv8.0.128 Python-3.11.4 torch-2.1.0.dev20230705 MPS\n"
        "Running on M2 Max 64 GB, training on MPS:\n"
        "  0%|          | 0/144 [00:00<?, ?it/s]zsh: bus error  yolo task=detect mode=train\n"
    )
    _, results = diagnose.diagnose(text)
    row = diagnose.first_cause(results)
    assert row.id == "error.mps.fixed_in_newer_torch" and row.status is Status.WARN
    assert "2.1.0.dev20230705 is a nightly" in row.cause and "2.1" in row.fix.text
    # a release: the crash on MPS is read against the releases after it (verify.diagnosis.behind)
    _, released = diagnose.diagnose(text.replace("2.1.0.dev20230705", "2.1.0"))
    row = diagnose.first_cause(released)
    assert row.id == "error.mps.fixed_in_newer_torch" and "is a nightly" not in row.cause
    assert "torch 2.1.0, the newest release when the paste was written" in row.cause


def test_a_nightly_of_a_release_not_out_yet_is_fixed_by_a_newer_nightly_only():
    # 2.16.0 is past the newest release recorded (2.15.0): its release cannot be offered
    text = (
        "- YOLO: Ultralytics YOLOv8.0.128 Python-3.11.4 torch-2.16.0.dev20260501 MPS\n"
        "Running on M2 Max 64 GB, training on MPS:\n"
        "  0%|          | 0/144 [00:00<?, ?it/s]zsh: bus error  yolo task=detect mode=train\n"
    )
    _, results = diagnose.diagnose(text)
    row = diagnose.first_cause(results)
    assert row.id == "error.mps.fixed_in_newer_torch"
    assert "2.16.0 is not released yet" in row.cause
    assert "Install the release" not in row.fix.text and "newer nightly" in row.fix.text
    assert row.fix.commands == (messages.NIGHTLY,)


def test_a_nightly_whose_mps_is_unavailable_is_the_environment_not_a_regression():
    text = (
        "torch 2.11.0.dev20260129 on an Apple M3, macOS 26.2\n"
        "torch.backends.mps.is_available(): False\n"
        "MPS tensor creation fails in the sandbox\n"
    )
    _, results = diagnose.diagnose(text)
    assert not any(r.id == "error.mps.fixed_in_newer_torch" for r in results)


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        (["- **Torch 2.5.1**: inference crashes (SIGABRT)", "- **Torch 2.7.0**: works"], True),
        (["- Torch 2.7.0: crashes", "- Torch 2.5.1: works fine"], False),  # the older one works
        (["torch 2.5.1 crashes", "torch 2.7.0 crashes too"], False),
    ],
)
def test_a_later_torch_said_to_work(lines, found):
    text = "On my M4 Max with MPS:\n" + "\n".join(lines) + "\n"
    _, results = diagnose.diagnose(text)
    row = next((r for r in results if r.id == "error.mps.fixed_in_newer_torch"), None)
    assert (row is not None) is found
    if found:
        assert "2.5.1" in row.cause and "2.7.0" in row.fix.text


@pytest.mark.parametrize(
    ("message", "word"),
    [
        ("RuntimeError: invalid low watermark ratio 1.4", "LOW_WATERMARK"),
        ("RuntimeError: invalid high watermark ratio 1.7", "2.0"),
    ],
)
def test_watermark_ratios_refused_say_which_variable(message, word):
    _, results = diagnose.diagnose(f"On my M1 Mac Studio:\n{message}\n")
    row = diagnose.first_cause(results)
    assert row.id == "error.mps.oom" and word in row.cause
    assert "LOW_WATERMARK_RATIO" in row.fix.commands[0]


def test_xformers_on_mps_says_to_drop_xformers():
    text = (
        "No operator found for `memory_efficient_attention_forward` with inputs:\n"
        "`cutlassF` is not supported because:\n    device=mps (supported: {'cuda'})\n"
        "`smallkF` is not supported because:\n    device=mps (supported: {'cuda', 'cpu'})\n"
    )
    _, results = diagnose.diagnose(text)
    rows = [r for r in results if r.id == "error.mps.op_not_implemented"]
    assert len(rows) == 1 and "xformers" in rows[0].cause
    assert rows[0].fix.commands == ("pip uninstall -y xformers",)
    # the same refusal on the CPU or DirectML is no MPS error
    assert known_errors.explain(text.replace("device=mps", "device=cpu")) is None


def test_a_killed_binary_that_is_not_python_is_no_memory_kill():
    text = "Running on MPS.\nzsh: killed     ./ffmpeg -i in.mp4 out.wav\n"
    assert "sign.mps_memory_said" not in _signs(said.read, text)
    text = "Running on MPS.\nzsh: killed     python3 train.py --device mps\n"
    assert "sign.mps_memory_said" in _signs(said.read, text)


def test_an_mmcv_op_said_missing_gets_mmcvs_fix():
    text = (
        "[Feature] Implement nms_impl on macOS MPS device\n\n"
        "When running detection models on my MacBook, if I use MPS inference, it throws an error "
        "stating that nms has not been implemented.\n"
        '  File "/Users/u/miniconda3/lib/python3.8/site-packages/mmcv/ops/nms.py", line 27\n'
    )
    _, results = diagnose.diagnose(text)
    row = diagnose.first_cause(results)
    assert row.id == "error.mps.op_not_implemented" and "mmcv" in row.cause
    assert "nms_impl" in row.cause and "PYTORCH_ENABLE_MPS_FALLBACK" not in row.fix.text
    # the same words without mmcv keep torch's own op advice
    _, plain = diagnose.diagnose(text.replace("/mmcv/ops/", "/detector/"))
    assert "mmcv" not in diagnose.first_cause(plain).cause


# pytorch/pytorch#122602's code (the error only a screenshot): a float64 tensor moved to 'mps'
PYTORCH_122602 = (
    "def nii_to_tensor(filename):\n"
    "    # Load NIfTI file\n"
    "    img = nibabel.load(filename)\n"
    "    # Get the data array from the NIfTI image\n"
    "    img_data = img.get_fdata()\n"
    "    # Convert the data array to a PyTorch tensor\n"
    "    tensor = torch.tensor(img_data).type(torch.float64)\n"
    "    return tensor.to('mps')\n"
)


def test_code_moving_a_float64_tensor_to_mps_is_the_float64_refusal() -> None:
    clues = _signs(said.read, PYTORCH_122602).get("sign.float64_said")
    assert clues and "torch.float64" in str(clues[0])
    _, results = diagnose.diagnose(PYTORCH_122602)
    assert any(r.id == "error.mps.float64" for r in results)


@pytest.mark.parametrize(
    "text",
    [
        # cast back to float32 before the move
        "    x = torch.tensor(a).type(torch.float64).float()\n    return x.to('mps')\n",
        # the float64 variable assigned again before the move
        "    x = torch.tensor(a, dtype=torch.float64)\n    x = x.float()\n    x.to('mps')\n",
        # a float64 reference kept on the CPU, another tensor moved
        "    ref = x.double()\n    y = x.to('mps')\n",
    ],
)
def test_float64_code_that_never_reaches_mps_is_not_read(text: str) -> None:
    assert "sign.float64_said" not in _signs(said.read, text)


# pytorch/pytorch#87351 (the description, verbatim): a nightly named as "torch-<version>", the MPS
# framework's buffer assertion told in words, and torch's fallback warning for another op
PYTORCH_87351 = (
    "As #78496 fix I thought I can use mps using nightly version of torch so when using "
    "`torch-1.14.0.dev20221019` I ran\n"
    "```bash\n"
    "whisper sample2.flac --language=en --device=mps\n"
    "```\n"
    "I got, `Error: buffer is not large enough. Must be 29000 bytes`,\n"
    "```bash\n"
    "/opt/homebrew/lib/python3.10/site-packages/whisper/decoding.py:629: UserWarning: The "
    "operator 'aten::repeat_interleave.self_int' is not currently supported on the MPS backend "
    "and will fall back to run on the CPU. This may have performance implications. (Triggered "
    "internally at /Users/runner/work/pytorch/pytorch/pytorch/aten/src/ATen/mps/"
    "MPSFallback.mm:11.)\n"
)


def test_a_nightly_failing_beside_the_fallback_warning_is_the_nightly() -> None:
    signs = _signs(said.read, PYTORCH_87351)
    assert any("buffer is not large enough" in str(v) for v in signs["sign.mps_failure_said"])
    facts, results = diagnose.diagnose(PYTORCH_87351)
    assert facts.torch_version == "1.14.0.dev20221019"
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "error.mps.fixed_in_newer_torch"
    assert any(r.id == "error.mps.op_runs_on_cpu" for r in results)  # still shown, after it


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("Successfully installed torch-2.1.0 torchvision-0.16.0", "2.1.0"),
        # a wheel's file name and a conda plan's package are not this reading's
        ("Downloading torch-2.1.0-cp310-none-macosx_11_0_arm64.whl (59.6 MB)", None),
        ("PyTorch-1.12 can not be installed on M1 from official channel", None),
    ],
)
def test_torch_named_as_a_distribution(text: str, version: str | None) -> None:
    m = paste.versions.TORCH_DIST.search(text)
    assert (m.group(1) if m else None) == version
    if version:
        found = [c.value for c in paste.versions.read(text) if c.field == "torch_version"]
        assert version in found


# ultralytics/yolov5#11320 (the description, verbatim but for the two image links): the words
# about each release under its line, "didn't work" a failure although it says "work"
YOLOV5_11320 = (
    "Inference with torch 2.0.0, torchvision 0.15.1\n\n"
    "It just didn't work with a custom yolov5m detector\n\n"
    "Inference with torch 2.1.0.dev20230408, torchvision 0.16.0.dev20230408\n\n"
    "But now yes. At first glance, the detection fields seem to be all correct for me as well.\n"
)


def test_words_under_each_release_tell_which_one_works() -> None:
    said_ = _signs(said.read, YOLOV5_11320).get("sign.newer_torch_works")
    assert said_ and said_[0][:2] == ("2.0.0", "2.1.0")


@pytest.mark.parametrize(
    "text",
    [
        # the other way round: the newer one fails
        YOLOV5_11320.replace("didn't work", "works fine").replace("all correct", "an error"),
        # no words about either release
        "Inference with torch 2.0.0\n\nInference with torch 2.1.0.dev20230408\n",
    ],
)
def test_no_newer_torch_told_to_work(text: str) -> None:
    assert "sign.newer_torch_works" not in _signs(said.read, text)
