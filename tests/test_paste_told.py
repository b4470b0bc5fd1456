"""Causes and runs told in words or shown by a program's output (issue 12):
verify.diagnosis.paste.told,
verify.diagnosis.paste.ran's run / test-suite readings, verify.diagnosis.paste.prose's "ran but
wrong / faster".

Each snippet is a line (or lines) from a real public report, cited above it; the whole reports
are in tests/data (collect_env/ and the studied holdout sets), and their diagnoses are asserted
by test_diagnose.py / test_holdout.py. Counter-examples (a negation, a condition, a question,
code rather than output) are named as such: they must give nothing.
"""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest

from verify.diagnosis import diagnose, paste
from verify.errors import InputError
from verify.model import Status

DATA = Path(__file__).parent / "data"


def facts(text):
    return paste.read(text).facts


def signs(text):
    return paste.read(text).signs


def rows(text):
    _, results = diagnose.diagnose(text)
    return {r.id: r.status for r in results}


def failing(text):
    return [i for i, s in rows(text).items() if s is Status.FAIL]


# --- a run on the device and its progress ---------------------------------------------------------

NANOGPT = """\
`time python train.py --dataset=shakespeare --device=mps --compile=False`
Overriding: dataset = shakespeare
Overriding: device = mps
number of parameters: 3.42M
step 0: train loss 10.8340, val loss 10.8173
iter 0: loss 10.8320, time 2572.14ms
iter 1: loss 10.8206, time 139.65ms
"""


def test_a_run_set_to_mps_that_reports_progress_ran_there():
    # simonw/public-notes#11
    assert facts(NANOGPT)["mps_available"] is True
    assert failing(NANOGPT) == []


def test_a_run_set_to_mps_that_failed_before_progress_proves_nothing():
    # counter-example: the same command, then a traceback before any progress line
    text = NANOGPT.replace(
        "number of parameters", "Traceback (most recent call last):\nRuntimeError: x\n#"
    )
    assert "mps_available" not in facts(text)


def test_one_progress_line_is_not_a_run():
    text = "python train.py --device=mps\niter 0: loss 10.8320, time 2572.14ms\n"
    assert "mps_available" not in facts(text)


def test_device_mps_in_code_is_not_a_run():
    # counter-example: code that asks for the device is an intent (verify.diagnosis.paste.places)
    text = 'device = "mps"\nfor step in range(3):\n    print(f"step {step}: loss {loss:.4f}")\n'
    assert "mps_available" not in facts(text)


# --- torch's MPS test suite failing on values -----------------------------------------------------

LSTM = """\
% python3 test_mps.py -k TestRNNMPS.test_lstm_backward
FAIL: test_lstm_backward (__main__.TestRNNMPS)
  File "/Users/x/git/pytorch/pytorch/test/test_mps.py", line 11398, in _lstm_helper
    self.assertEqual(cpu_weight_grad, mps_weight_grad,
AssertionError: Tensor-likes are not close!
Mismatched elements: 195 / 196 (99.5%)
"""


def test_a_value_mismatch_in_test_mps_ran_on_the_device():
    # pytorch/pytorch#125803
    assert facts(LSTM)["mps_available"] is True
    assert failing(LSTM) == []


def test_a_value_mismatch_in_a_cpu_test_says_nothing_of_mps():
    text = LSTM.replace("test_mps.py", "test_nn.py").replace("TestRNNMPS", "TestRNN")
    assert "mps_available" not in facts(text)


# --- MPS said to run, with wrong output or faster ----------------------------------------------


def test_runs_under_mps_but_the_result_is_noise():
    # huggingface/diffusers#1398
    text = (
        "The diffusers code will run under Apple Silicon/MPS for Stable Diffusion 2.0 but the "
        "result is always noise. No images are generated."
    )
    assert facts(text)["mps_available"] is True
    assert failing(text) == []


def test_faster_on_mps():
    # simonw/public-notes#11's words
    assert facts("Seems to go 3x faster on mps")["mps_available"] is True
    assert "mps_available" not in facts("It would be 3x faster on mps if it worked")


# --- float64 told in words ----------------------------------------------------------------------


def test_float64_said_unsupported_on_mps_is_the_float64_row():
    # TUDelft-CNS-ATM/bluesky-gym#7
    text = (
        "The latter does not officially support MPS as a GPU device, as the tensors are set up "
        "using the float64 data type, while pytorch only supports float32 for MPS. "
    )
    assert signs(text)["sign.float64_said"]
    assert rows(text)["error.mps.float64"] is Status.WARN
    assert failing(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Does MPS support float64?",  # a question
        "If MPS doesn't support float64 we cast to float32",  # a condition
        "MPS now supports float32 and float16.",  # nothing refused
    ],
)
def test_float64_not_said_unsupported(text):
    assert "sign.float64_said" not in signs(text)


# --- a newer torch said to fix it ----------------------------------------------------------------


def test_updating_torch_fixes_it_warns_torch_version():
    # invoke-ai/InvokeAI#8835
    text = (
        "As of today (invoke v6.13.0), this issue still persists, and manually updating torch "
        "to 2.9.1 fixes this issue."
    )
    assert signs(text)["sign.torch_fixed_by"][0].value == "2.9.1"
    assert rows(text)["torch.version"] is Status.WARN


def test_transformers_disabling_an_old_torch_is_that_torch_and_its_floor():
    # XiaoxinHe/G-Retriever#48, the whole post (verbatim): transformers' own warning names both
    text = (
        "Disabling PyTorch because PyTorch >= 2.1 is required but found 2.0.1\nso ,what can i do ?"
    )
    assert paste.read(text).facts["torch_version"] == "2.0.1"
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "torch.version")
    assert row.status is Status.WARN and "requires PyTorch 2.1 or newer" in row.cause
    assert row.evidence[0].startswith("Disabling PyTorch because")


def test_a_release_before_mps_said_to_be_needed_is_another_backends():
    # databrickslabs/dolly#11, transformers' check on 8 V100s (verbatim): no MPS fault was fixed
    # in 1.10, which predates MPS
    text = (
        "ValueError: Your setup doesn't support bf16/gpu. You need torch>=1.10, using Ampere GPU "
        "with cuda>=11.0"
    )
    assert rows(text).get("torch.version") is not Status.WARN


def test_torch_already_newer_than_the_fix_is_left_alone():
    text = "PyTorch 2.10.0\nupdating torch to 2.9.1 fixes this issue"
    assert rows(text)["torch.version"] is not Status.WARN


def test_a_feature_said_to_come_with_a_release_is_that_release_fixing_it():
    # kijai/ComfyUI-CogVideoXWrapper#152, the PR description's first two lines verbatim (an M3):
    # the release the feature comes with, not read as the torch in use ("once ... comes out")
    text = (
        "AMP Autocast is not available on current pytorch, will be added in 2.5+ version and "
        "nightlies but those are buggy, for now just disable AMP if we're on MPS.\n\n"
        "This is not a great fix, it's just a quick patch to get it running, spending more time "
        "fixing it doesn't make sense as technically AMP will work once the pytorch 2.5.0 comes "
        "out (if they ever fix the current bugs on apple silicon with other things)\n"
    )
    assert signs(text)["sign.torch_fixed_by"][0].value == "2.5"
    assert "torch_version" not in paste.read(text).facts
    assert rows(text)["torch.version"] is Status.WARN
    # the torch in use said, then the future one: only the first is the user's
    assert paste.read("I use pytorch 2.4.1 until 2.5 is released").facts["torch_version"] == (
        "2.4.1"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Would updating torch to 2.9.1 fix this?",  # a question
        "updating torch to 2.9.1 did not fix this issue",  # no fix said
        "I have not tried updating torch to 2.9.1",  # no fix said
    ],
)
def test_no_fix_said(text):
    assert "sign.torch_fixed_by" not in signs(text)


# --- a Mac with an AMD GPU ------------------------------------------------------------------------


def test_macos_with_an_amd_gpu_is_an_intel_mac():
    # Lightning-AI/pytorch-lightning#15861's title: an Intel Mac, whose AMD GPU MPS can use up
    # to torch 2.2.2 - a warning (verify.diagnosis.x86_ceiling.amd_gpu_shown)
    text = "MPS support on MacOS Ventura with an AMD Radeon Pro 5700 XT GPU"
    f = facts(text)
    assert f["os"] == "Darwin" and f["hardware_arm64"] is False
    assert rows(text)["host.arch"] is Status.WARN


def test_amd_gpu_without_a_mac_is_no_mac():
    assert facts("Ubuntu 22.04 with an AMD Radeon RX 6800").get("os") != "Darwin"


def test_a_word_that_begins_with_mac_is_no_mac():
    # Ubuntu-R2/RepoST#2, verbatim: an arm64 image on a Linux PC; "machine" had been read as
    # "Mac" after "amd", and Docker's platform warning then as Linux in a VM on a Mac
    text = (
        "This error seemed to be caused by platform mismatch. I ran the command on a ubuntu amd "
        "machine. So is there any plan for publishing the Dockerfile for the repost_train and "
        "repost_eval?"
    )
    assert "sign.mac_hint" not in signs(text)
    assert facts(text).get("os") != "Darwin"


# --- the machine in CJK words, an app's CPU choice ---------------------------------------------


def test_cjk_chip_before_computer_word():
    # 2noise/ChatTTS#60
    text = (
        "苹果 M1电脑运行时 不支持 GPU 运算\n\n"
        "WARNING:ChatTTS.utils.gpu_utils:No GPU found, use CPU instead\n"
    )
    assert facts(text)["chip"] == "Apple M1"
    assert failing(text) == []


def test_garbage_still_refused():
    with pytest.raises(InputError):
        diagnose.diagnose("lorem ipsum dolor sit amet 3x faster float64 torch")


# --- no Metal device in words -------------------------------------------------------------------


def test_vms_cannot_run_mps_on_runners():
    # pytorch/torchchat#667
    text = (
        "[PRE-LAUNCH] Provision a small number of non-VM MacOS-14 runners to test MPS execution "
        "(VMs can't run MPS likely because they're missing virtualized I/O.)"
    )
    assert "mps.available" in failing(text)


# --- the code's own device choice: CUDA asked for, the CPU picked by the app ----------------------


def test_cuda_asked_for_on_a_mac_is_the_codes_choice():
    # kandinskylab/kandinsky-5#36 (an M3): the torch messages of code hard-wired to CUDA
    text = (
        "Is there a way to run any of the models on a CPU or the built-in mps GPU in Mac Pro M3?\n"
        "User provided device_type of 'cuda', but CUDA is not available\n"
        "AssertionError: Torch not compiled with CUDA enabled\n"
    )
    found = rows(text)
    assert found["error.mps.cuda_requested"] is Status.WARN
    assert failing(text) == []


def test_a_function_only_cuda_builds_have_is_cuda_asked_for():
    # pytorch/pytorch#105093 (verbatim; mmcv's data-parallel scatter, device mps on an M2):
    # torch._C._scatter is compiled only into CUDA builds (absent from the CPU wheel: asserted)
    import torch

    text = (
        "When running a pose esimation model based on mmcv, which is built in pythorch, and "
        "running inference on a m2 cip, i set the device to mps and I guess this error:\n\n"
        "\" AttributeError: module 'torch._C' has no attribute '_scatter' \"\n"
    )
    if torch.version.cuda is None:  # the CPU wheel the tests install
        assert not hasattr(torch._C, "_scatter")
    assert rows(text)["error.mps.cuda_requested"] is Status.WARN
    assert failing(text) == []


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("holdout145", "FireRedTTS2-24"),
        ("holdout74", "Easy-Wav2Lip-71"),
        ("holdout19", "chatterbox-85"),
    ],
)
def test_a_cuda_checkpoint_loaded_on_a_mac_is_the_loading_codes_to_mend(folder, name):
    # torch/serialization.py's refusal to restore CUDA tensors without CUDA: FireRedTeam/
    # FireRedTTS2#24 ("We can't run the project on MacOS", no other fact: once refused),
    # anothermartz/Easy-Wav2Lip#71 (an M3), resemble-ai/chatterbox#85; all three healthy threads
    text = corpus.load(next((DATA / folder).glob(f"{name}*.txt"))).text
    assert rows(text)["error.mps.cuda_checkpoint"] is Status.WARN
    assert failing(text) == []


def test_an_app_that_chose_the_cpu_is_a_warning_not_a_failure():
    # 2noise/ChatTTS#60 (an M1): ChatTTS's device check looked for CUDA only
    text = (
        "苹果 M1电脑运行时 不支持 GPU 运算\n\n"
        "WARNING:ChatTTS.utils.gpu_utils:No GPU found, use CPU instead\n"
    )
    assert rows(text)["error.mps.app_chose_cpu"] is Status.WARN
    assert failing(text) == []


def test_an_app_choosing_the_cpu_on_an_intel_mac_is_no_wish_for_its_gpu():
    # 2noise/ChatTTS#32 (an Intel MacBook Pro; the models were never loaded): the app's own
    # log line is no user saying the GPU is missing, so the Intel Mac is no failure
    text = (
        "在Intel芯片的MacBook Pro上运行失败\n"
        "WARNING:ChatTTS.utils.gpu_utils:No GPU found, use CPU instead\n"
        "INFO:ChatTTS.core:use cpu\n"
        "WARNING:ChatTTS.core:gpt not initialized.\n"
        '  File "/Users/Jacky/.venv/default/lib/python3.12/site-packages/ChatTTS/core.py", line '
        "95, in infer\n"
        "    assert self.check_model(use_decoder=use_decoder)\n"
        "AssertionError\n"
    )
    assert facts(text).get("hardware_arm64") is False
    assert failing(text) == []
    # the user's own words that MPS / the GPU is missing still count on an Intel Mac
    said = text.replace("AssertionError\n", "AssertionError\nMPS is not available here\n")
    assert "host.arch" in failing(said)


@pytest.mark.parametrize(
    "line, found",
    [
        ("WARNING:ChatTTS.utils.gpu_utils:No GPU found, use CPU instead", True),
        ("CUDA not available, using CPU", True),
        ("No GPU found", False),  # no choice of the CPU said
        ("using CPU", False),
    ],
)
def test_app_chose_cpu_wording(line, found):
    from verify.known_errors import explain_all

    assert any(e.id == "mps.app_chose_cpu" for e in explain_all(line)) is found


# --- an application's MPS said to be experimental (opt-in) ----------------------------------------


def test_an_experimental_mps_feature_is_the_apps_switch():
    # 2noise/ChatTTS#772 (turned on by Chat.load(experimental=True))
    text = (
        "It seems there is an experimental feature of using MPS, may I know how to turn it on?\n"
        "Thank you for your guidance in advance!\n"
    )
    assert rows(text)["error.mps.app_mps_opt_in"] is Status.WARN
    assert failing(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "MPS is not experimental any more in this release",  # negated
        "an experimental feature of the CPU backend",  # not MPS
    ],
)
def test_no_app_opt_in(text):
    assert "sign.app_mps_opt_in" not in signs(text)


def test_progress_after_a_run_on_another_device_is_not_mps():
    # counter-example: the CPU run's progress printed after the MPS command line
    text = NANOGPT.replace("Overriding: device = mps", "Overriding: device = cpu")
    text = text.replace("--device=mps", "--device=mps (slow, so on the CPU instead:)\n--device=cpu")
    assert "mps_available" not in facts(text)


def test_cuda_asked_for_off_a_mac_is_left_to_host_os():
    text = "OS: Ubuntu 22.04.3 LTS (x86_64)\nAssertionError: Torch not compiled with CUDA enabled\n"
    assert "error.mps.cuda_requested" not in rows(text)


@pytest.mark.parametrize(
    "text",
    [
        "为什么mac mps 加速比cpu 慢",  # 2noise/ChatTTS#742
        "发现对于mac其实是在用cpu推理\uff0c在改成mps后反而速度降了",  # RVC-Boss/GPT-SoVITS#1988
        "MPS比CPU快 150.98 倍",  # Morton-Li/PyTorch-MacOS-Builder#4
    ],
)
def test_mps_slower_or_faster_in_chinese_ran(text):
    assert facts(text)["mps_available"] is True


def test_mps_speed_in_chinese_negated_or_asked():
    assert "mps_available" not in facts("如果mps比cpu慢怎么办")  # a condition
    assert "mps_available" not in facts("mps比cpu快吗\uff1f")  # a question


def test_r_torch_prints_a_tensor_on_mps():
    # mlverse/torch#1074
    text = (
        'b = torch_randn(4, 4)$to(device = "mps")\nb\nOutput:\ntorch_tensor\n'
        "-1.1729  0.5144\n[ MPSFloatType{4,4} ]\n"
    )
    assert facts(text)["mps_available"] is True
    assert "mps_available" not in facts("torch_tensor\n 0.3711  1.9380\n[ CPUFloatType{4,4} ]\n")


def test_wrong_output_for_an_op_on_the_mps_backend_ran():
    # pytorch/pytorch#191976
    text = (
        "`torch.compile` returns numerically incorrect output for `nn.LayerNorm` on the MPS "
        "backend."
    )
    assert facts(text)["mps_available"] is True


def test_im_on_latest_macbook_pro_is_a_mac():
    # pieroit/stable-diffusion-jupyterlab-docker#8
    assert facts("I'm on latest Macbook Pro...")["os"] == "Darwin"
