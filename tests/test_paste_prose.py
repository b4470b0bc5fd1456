"""verify.diagnosis.paste.prose: the machine, the interpreter and the place told in sentences
(issue 12).

Each snippet is a line from a real public report, cited above it; the whole reports are in
tests/data (collect_env/ and the studied holdout sets), and their diagnoses are asserted by
test_diagnose.py / test_holdout.py. Counter-examples (a negation, a hypothetical, a general
statement) are named as such: they must give no fact.
"""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest

from verify.diagnosis import diagnose, paste
from verify.diagnosis.paste import prose
from verify.model import Status

DATA = Path(__file__).parent / "data"


def read(text):
    return paste.read(text)


def facts(text):
    return read(text).facts


def failing(text):
    _, results = diagnose.diagnose(text)
    return [r.id for r in results if r.status is Status.FAIL]


# --- the machine in words ------------------------------------------------------------------------


def test_apple_silicon_mac_in_a_sentence_is_the_hardware():
    # pytorch/pytorch#187280
    f = facts('After updating an Apple Silicon Mac to the macOS 27 ("Golden Gate") developer beta')
    assert f["hardware_arm64"] is True
    assert (f["os"], f["macos_version"]) == ("Darwin", "27.0")


def test_apple_silicon_in_a_title_after_a_negated_verb_is_still_the_machine():
    # open-webui/open-webui#8324 title: the negation is of "use", not of the Mac
    text = "mac: Sentence Transformers and OpenWebUI does not use the MPS/GPU on Apple Silicon"
    assert facts(text)["hardware_arm64"] is True


@pytest.mark.parametrize(
    "text",
    [
        "If you are not on Apple Silicon, use the CPU.",  # a hypothetical
        "Please add support for Apple Silicon MLX & MPS",  # a feature request
        "Apple Silicon Macs are supported from 1.12 on.",  # a general statement
    ],
)
def test_apple_silicon_not_stated_of_this_machine_gives_nothing(text):
    assert "hardware_arm64" not in facts(text)


def test_intel_mac_with_an_article_is_this_machine():
    # everycure-org/matrix#932 ("make install on a Intel Mac")
    r = read("1. make install on a Intel Mac")
    assert r.has("sign.intel_cpu") and r.facts["os"] == "Darwin"
    assert r.facts["hardware_arm64"] is False


def test_an_intel_model_in_brackets_after_the_mac_is_this_machine():
    # SevaSk/ecoute#27, verbatim
    r = read("I just did some dirty hard-code and make it work on my Macbook Air (Intel model).")
    assert r.has("sign.intel_cpu") and r.facts["os"] == "Darwin"


@pytest.mark.parametrize(
    "text",
    [
        # lllyasviel/stable-diffusion-webui-forge#2399's title, verbatim
        "macOS Sequoia 15.1.1 (intel, AMD) - with MPS and PyTorch (BFloat16 Unsupported)",
        "OS: macOS 13.4 (Intel)",
    ],
)
def test_intel_after_the_macos_name_and_version_is_this_machine(text):
    r = read(text)
    assert r.has("sign.intel_cpu") and r.facts["hardware_arm64"] is False


@pytest.mark.parametrize(
    "text",
    [
        "If you are on an Intel Mac, install torch 2.2.2.",  # a hypothetical
        "It worked on my Intel Mac.",  # another, past machine
        "The current requirements.txt file requires torch=2.5.1 but Intel Macs will not be able",
    ],
)
def test_intel_mac_not_stated_of_this_machine_gives_nothing(text):
    assert not read(text).has("sign.intel_cpu")


@pytest.mark.parametrize(
    "text",
    [
        "Support for intel Mac?",  # netease-youdao/EmotiVoice#91's title
        "Mac intel supported ???",  # w-okada/voice-changer#858's title, the other word order
    ],
)
def test_asking_whether_the_intel_mac_is_supported_asks_for_ones_own(text):
    r = read(text)
    assert r.has("sign.intel_cpu") and r.facts["os"] == "Darwin"


@pytest.mark.parametrize(
    "text",
    [
        "Are you on an Intel Mac?",  # a helper's question
        "Is it supported? Are you on an Intel Mac?",  # the support asked in another sentence
        "Support for Intel Macs?",  # the plural: Macs in general
    ],
)
def test_other_questions_about_an_intel_mac_give_nothing(text):
    assert not read(text).has("sign.intel_cpu")


def test_an_intel_gpu_is_an_intel_mac():
    # carson-katri/dream-textures#346: Apple silicon Macs have no Intel GPU
    r = read(
        '- [x] macOS (Monterey 12.6) running on a 2020 13" Macbook Pro\n- GPU\n'
        "  Intel Iris Plus graphics 1536Mb"
    )
    assert r.has("sign.intel_cpu") and r.facts["hardware_arm64"] is False


def test_dyld_asking_for_the_haswell_slice_is_an_intel_cpu():
    # carson-katri/dream-textures#346 (dyld's older, parenthesised form)
    line = (
        "tried: '/x/torch/lib/libtorch_global_deps.dylib' (mach-o file, but is an incompatible "
        "architecture (have (arm64), need (x86_64h)))"
    )
    r = read(line)
    assert r.facts["machine"] == "x86_64" and r.has("sign.intel_cpu")
    assert r.has("sign.wrong_arch_library")


# --- the interpreter in words --------------------------------------------------------------------


def test_x86_conda_on_an_m1_is_rosetta():
    # conda-forge/pytorch-cpu-feedstock#101
    f = facts("To reproduce, in an M1 mac machine and an x86_64 conda installation, run:")
    assert (f["machine"], f["hardware_arm64"], f["translated"]) == ("x86_64", True, True)


def test_an_x64_emulated_env_on_an_m1_is_rosetta():
    # unit8co/darts#1240
    f = facts(
        "I am trying to use your library on my M1 powered Mac. I installed it by creating an x64 "
        "emulated env and then through conda-forge as detailed in instructions"
    )
    assert (f["machine"], f["hardware_arm64"], f["translated"]) == ("x86_64", True, True)
    # Docker's emulation of an amd64 image is no Python of the Mac (pytorch/pytorch#81224)
    assert "machine" not in facts(
        "now that my pytorch docker images are running in AMD64 emulation mode, it's so slow"
    )


def test_a_rosetta_environment_is_a_translated_process():
    # conda-forge/pytorch-cpu-feedstock#101
    f = facts("Pytorch cannot be installed in a macOS rosetta environment emulating x64")
    assert f["translated"] is True and f["machine"] == "x86_64"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not running under Rosetta.",  # a negation
        "Noscribe edit does open, so I suspect something isn't right with rosetta",  # noScribe#315
        "michel@Michels-Mac-Studio ~ % softwareupdate --install-rosetta",  # installing it
    ],
)
def test_rosetta_words_that_do_not_say_the_process_is_translated(text):
    assert "translated" not in facts(text)


# --- places in words -----------------------------------------------------------------------------


def test_no_metal_device_in_a_sandbox_fails_mps_available():
    # anthropics/claude-code#37044
    text = (
        "MTLCreateSystemDefaultDevice() Fails in a sandboxed session, succeeds as soon as I "
        "deactivate the sandbox in Claude Code on MacOS."
    )
    assert read(text).has("sign.no_metal_device")
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "mps.available")
    assert row.status is Status.FAIL and "sandbox" in row.cause and row.evidence


def test_a_runner_name_with_a_dot_and_mps_said_missing_fail_mps_available():
    # pytorch/pytorch#125197
    text = "Pytorch running on macosx-14.xlarge reports MPS is available when it is not."
    r = read(text)
    assert r.has("sign.ci_runner") and r.has("sign.gpu_missing")
    assert failing(text) == ["mps.available"]


def test_docker_next_to_a_mac_in_chinese_is_a_mac_host():
    # RVC-Boss/GPT-SoVITS#1405
    text = (
        "我在mac中用docker部署，无法启动\n\nError response from daemon: could not select device "  # noqa: RUF001
        'driver "nvidia" with capabilities: [[gpu]]'
    )
    assert read(text).has("sign.mac_hint")
    assert failing(text) == ["host.os"]


def test_mac_model_then_os_version_is_the_macos():
    # kaixxx/noScribe#315
    f = facts("I'm on a 2022 M1 mac studio OS 13.7.6, I've used rosseta before succesfully.")
    assert f["macos_version"] == "13.7.6" and f["hardware_arm64"] is True


def test_asahi_linux_is_linux_on_the_mac_itself_not_a_vm():
    # the wording of the host.os row: Asahi runs on bare metal (asahilinux.org), no VM; the
    # phrases are the distro's own names (asahilinux.org; a public report: the next test)
    assert prose.ASAHI.search("Fedora Asahi Remix 40 on my M2 MacBook Air")
    assert not read('File "/Users/asahi/proj/train.py", line 3').has("sign.asahi")
    _, results = diagnose.diagnose("I run Fedora Asahi Remix on my M1 and use device='mps'")
    row = next(r for r in results if r.id == "host.os")
    assert row.status is Status.FAIL
    assert "Asahi" in row.cause and "container" not in row.cause


def test_asahi_named_outweighs_the_chip_that_would_say_macos():
    # Stability-AI/stablediffusion#266, verbatim: the title and the first line
    text = (
        "Slow Performance with Linux on Apple Silicon M1\n\n"
        "Running Asahi Linux - 16GB Shared SoC GDDR5X \u2014 FOUR.four core CPU. CPU ranges "
        "from 28-42 seconds/it. \n"
    )
    f, results = diagnose.diagnose(text)
    assert f.os == "Linux" and f.chip == "Apple M1"
    row = next(r for r in results if r.id == "host.os")
    assert row.status is Status.FAIL and "Asahi" in row.cause


# --- the threshold: macOS and Apple silicon in words are enough ----------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "holdout2/pytorch-187280-healthy-macos-27-beta-sdxl-corrupted-output.txt",
        "holdout3/open-webui-8324-healthy-sequoia-15.2-sentence-transformers-app-ignores-mps.txt",
    ],
)
def test_macos_and_apple_silicon_in_prose_diagnose_ready(name):
    body = corpus.load(DATA / name).text  # the title and the body, as a helper pastes them
    f, results = diagnose.diagnose(body)
    assert f.hardware_arm64 is True and f.macos_version
    assert not [r.id for r in results if r.status is Status.FAIL]


def test_a_past_macos_is_not_the_current_one():
    # pytorch/pytorch#187280: "It worked correctly on macOS 26." beside the 27 beta
    f = facts(
        "After updating to the macOS 27 developer beta it broke. It worked correctly on macOS 26."
    )
    assert f["macos_version"] == "27.0"
    assert "macos_version" not in facts("It worked correctly on macOS 26.")


# --- MPS said to give wrong output: it ran -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # ultralytics/ultralytics#25485
        "Same model, same weights, but MPS produced unreliable inference results, causing "
        "degraded detections.",
        # pytorch/pytorch#95188
        "Recently I've noticed that inference with Stable Diffusion using MPS (in AUTOMATIC1111's "
        "web UI) is producing bad output for certain image sizes.",
        # pytorch/pytorch#126862 (title)
        "worse results by using the MPS backend, compared to the CPU",
    ],
)
def test_mps_said_to_give_wrong_output_ran(text):
    assert facts(text)["mps_available"] is True


def test_mps_wrong_output_in_a_hypothetical_says_nothing():
    # counter-example: a condition, not an observation
    assert "mps_available" not in facts("If MPS gives wrong results, try the CPU.")


# --- the rest of the sentences' shapes -----------------------------------------------------------


def test_an_environment_list_entry_apple_silicon_is_the_hardware():
    # nolabs-ai/nono#347
    assert facts("## Environment\n\n- Apple Silicon (M-series) — Metal GPU")["hardware_arm64"]


def test_m1_silicon_is_apple_silicon():
    # NVIDIA/trt-samples-for-hackathon-cn#78
    assert facts("I installed on M1 silicon and got:")["hardware_arm64"] is True


def test_the_chip_a_build_ran_on_is_the_users():
    # microsoft/onnxruntime-extensions#276: "it's possible to build this wheel from source on
    # the M1"; a wheel "for the M1" is a build's target, not the machine
    assert facts("possible to build this wheel from source on the M1, but")["chip"] == "Apple M1"
    assert "chip" not in facts("There is no official wheel for the M1 on PyPI")


def test_metal_failing_in_a_sandbox_is_a_finding_by_itself():
    # nolabs-ai/nono#347: a seatbelt sandbox, ggml's Metal init failing, no torch named
    text = (
        "When `qmd` is invoked inside a nono macOS sandbox, all commands that require the Metal "
        "GPU backend fail.\n```\nggml_metal_init: error: failed to create command queue\n```"
    )
    assert failing(text) == ["mps.available"]


def test_a_requirement_lower_bound_is_a_requested_release():
    # TerraLabAI/QGIS_AI-Segmentation#160, on a native Intel Mac
    r = read("When the plugin tries to install `torch>=2.5.1` on a native Intel Mac, pip fails")
    assert [c.value for c in r.signs["sign.torch_at_least"]] == ["2.5.1"]


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        # counter-examples: places negated a few words before them
        ("I'm not using Docker, just a venv on my M2 MacBook Air", "sign.container"),
        ("I am not running this in a sandbox.", "sign.sandbox"),
        ("Not in a VM: this is a Mac mini on my desk, no Parallels.", "sign.vm"),
    ],
)
def test_a_negated_place_is_no_place(text, sign):
    assert not read(text).has(sign)


def test_a_place_stated_after_a_negated_clause_is_still_the_place():
    # anthropics/claude-code#37044 shape: the place in its own clause
    text = "MTLCreateSystemDefaultDevice() Fails in a sandboxed session, succeeds as soon as I"
    assert read(text).has("sign.sandbox")


def test_mps_slower_than_the_cpu_ran():
    # pytorch/pytorch#78210 (title): an Intel Mac's AMD GPU ran MPS, slowly - a warning there,
    # no failure (tests/data/collect_env/pytorch-78210-...)
    assert facts("Performance with MPS on AMD GPUs are worse than CPU")["mps_available"] is True


def test_the_mac_named_by_its_chip_alone():
    # Lightning-AI/pytorch-lightning#14634's shape ("the intel version of the conda installation"
    # on an M-chip Mac): the chip after "my" is the Mac, the interpreter x86_64 -> Rosetta
    f = facts("I installed the Intel version of Anaconda on my M2")
    assert (f["chip"], f["machine"], f["translated"]) == ("Apple M2", "x86_64", True)
    assert "chip" not in facts("I put it on my M2 SSD")  # counter-example: a drive


@pytest.mark.parametrize(
    "text",
    [
        "if you have an M1 Max, use mps",  # counter-example: a condition
        "I don't have a Mac",  # counter-example: a negation
    ],
)
def test_a_chip_or_mac_not_stated_gives_nothing(text):
    f = facts(text)
    assert "chip" not in f and "os" not in f


def test_the_interpreter_arch_said_in_words():
    # Lightning-AI/pytorch-lightning#14634's kind: an x86_64 Python's processor() is "i386"
    assert facts("my Python reports i386 instead of arm")["machine"] == "x86_64"
    assert "machine" not in facts("Python is not x86_64 here")  # counter-example: negated


@pytest.mark.parametrize(
    ("text", "intel"),
    [
        # Apple's own model names (support.apple.com/HT201300, HT201634, HT201894)
        ("Machine: MacBook Pro (16-inch, 2019)", True),
        ("on an iMac (Retina 5K, 27-inch, 2020)", True),  # the 2020 iMac is Intel only
        ("my Mac mini 2018", True),
        ("MacBook Air (M2, 2022)", False),
        ("MacBook Air 2023", False),
    ],
)
def test_a_mac_model_year_tells_intel_from_apple_silicon(text, intel):
    f = facts(text)
    assert f["hardware_arm64"] is (not intel)


def test_a_2020_macbook_says_nothing():
    # carson-katri/dream-textures#346: "running on a 2020 13\" Macbook Pro" - 2020 13-inch
    # MacBook Pros came with Intel (MacBookPro16,2) and with the M1 (MacBookPro17,1)
    assert "hardware_arm64" not in facts('running on a 2020 13" Macbook Pro')


def test_an_intel_mac_saying_no_mps_expects_mps():
    # Morton-Li/PyTorch-MacOS-Builder#4 (title): the user wanted MPS on it
    assert failing("Nice Project and saving my old intel Mac, but no MPS") == ["host.arch"]


def test_an_install_said_to_fail_beside_a_cuda_index_is_the_index():
    # rohitg00/ai-engineering-from-scratch#316 (tests/data/holdout3): the failure told in prose
    text = (
        "On macOS (Apple Silicon), installing PyTorch from the CUDA wheel index fails.\n"
        "uv pip install torch torchvision torchaudio --index-url "
        "https://download.pytorch.org/whl/cu124\n"
        "The resolver fails — the `cu124` index contains no macOS wheels, so no matching "
        "distribution is found."
    )
    assert read(text).has("sign.pip_no_torch")
    assert failing(text) == ["torch.installed"]
    # counter-example: the same words with no CUDA index in the paste give no refusal
    assert not read("The resolver fails, so no matching distribution is found.").has(
        "sign.pip_no_torch"
    )


def test_i_have_mac_is_a_mac():
    # LuciAkirami/liva#4: "I have mac." above a cu118 pip command (pip's refusal is read as such)
    assert facts("In step 2: \nI have mac.")["os"] == "Darwin"
    assert "os" not in facts("I don't have a mac")  # counter-example


def test_the_machine_in_chinese_words():
    # SparkAudio/Spark-TTS#157's thread: a question about the chip is no fact about this machine
    assert not read("你是intel芯片吗，我关了梯子，一样的报错。").has("sign.intel_cpu")  # noqa: RUF001
    r = read("我的是intel芯片的mac")  # "mine is an Intel-chip Mac"
    assert r.has("sign.intel_cpu") and r.facts["hardware_arm64"] is False
    assert facts("用Rosetta打开终端后安装的torch")["translated"] is True  # opened with Rosetta
    assert "hardware_arm64" not in facts("我不是苹果芯片")  # counter-example: "not Apple silicon"
    # "M chip" with no number: Apple silicon (jianchang512/vocal-separate#15: "apple M 芯片")
    assert facts("apple M 芯片 安装运行问题")["hardware_arm64"] is True
    assert facts("我的是m芯片的电脑")["hardware_arm64"] is True
    # "M系芯片" (hiyouga/LlamaFactory#3815's title: "在Mac M系芯片的电脑上是否只支持FP32精度的微调")
    assert facts("在Mac M系芯片的电脑上是否只支持FP32精度的微调")["hardware_arm64"] is True
    assert "hardware_arm64" not in facts("不是m芯片")  # counter-example: "not an M chip"


def test_mps_said_unavailable_in_an_agents_sandbox_fails_mps_available():
    # openai/codex#10199: the negation is of "available", not of the session's place
    text = (
        "In a Codex session on macOS 26.2 (Apple M3), PyTorch MPS reports unavailable and MPS "
        "tensor creation fails, even though the system supports Metal"
    )
    assert read(text).has("sign.sandbox")
    assert failing(text) == ["mps.available"]


def test_a_printed_mps_state_after_a_negated_sentence_is_still_read():
    # the "not" of one sentence does not make the next one's "MPS available: False" code
    text = (
        "I am not running this in a sandbox. macOS 15.1, Apple M3, torch 2.5.1; "
        "MPS available: False"
    )
    assert facts(text)["mps_available"] is False
    assert not read(text).has("sign.sandbox")


def test_mps_not_used_in_a_sandbox_is_no_failure():
    # counter-example: "not used" is an app's choice (open-webui/open-webui#8324's kind), not a
    # GPU the sandbox denied
    text = "I ran it from a Codex session on my M2; the app's MPS is not used, it runs on the CPU."
    assert "mps.available" not in failing(text)


def test_an_earlier_intel_mac_is_not_this_machine():
    # counter-example: the machine switched away from
    assert not read("I switched from an Intel Mac to this one last year.").has("sign.intel_cpu")


def test_docker_on_a_mac_that_only_uses_the_cpu_is_linux_in_the_mac():
    # the kind of AbdBarho/stable-diffusion-webui-docker#35 / ComfyDock-Pinokio#36: a container
    # on a Mac whose work runs on the CPU
    text = "I run ComfyUI in Docker on my M2 Mac and it only uses the CPU, not the GPU"
    assert failing(text) == ["host.os"]
    # counter-example (remsky/Kokoro-FastAPI#233): an op falling back is a working MPS device
    line = "Only the `aten::angle` operation falls back to CPU, all other operations utilize MPS"
    assert not read(line).has("sign.gpu_missing")


@pytest.mark.parametrize(
    "text",
    [
        # pytorch/pytorch#161614's maintainer question (its answer is not in the question)
        "Are you on Intel Mac?",
        "Is your Python running under Rosetta?",  # counter-example: a question
        # kaixxx/noScribe#315: a guess, and Rosetta was not the cause there
        "so I suspect my terminal is running under Rosetta",
    ],
)
def test_questions_and_guesses_are_not_facts(text):
    r = read(text)
    assert not r.has("sign.intel_cpu") and "translated" not in r.facts


def test_a_mac_running_a_bare_os_x_version_is_the_macos():
    # divamgupta/diffusionbee-stable-diffusion-ui#330, verbatim
    text = (
        "I have an Intel Mac -- a 2009/2010 Mac Pro running 10.14.6 -- 2 x 3.46GHz 6-Core Intel "
        "Xeon; 64GB 1333MHz DDR3 ram; Radeon RX 580 8GB, etc..."
    )
    assert facts(text)["macos_version"] == "10.14.6"
    # a bare version that is not OS X's (10.9-10.15) says nothing: "running 12.1" may be CUDA
    assert "macos_version" not in facts("My MacBook Pro is running 12.1 with the driver")


@pytest.mark.parametrize(
    "text",
    [
        "我使用 MacBook，没有 N 卡。",  # noqa: RUF001  (Yuliang-Liu/MonkeyOCR#84, verbatim)
        # ModelTC/ComfyUI-Lightx2vWrapper#11, verbatim
        "macos 上torch 没有cuda，代码使用 cuda\nmacos a 芯片上没有\nsgl-kernel\ndecord",  # noqa: RUF001
    ],
)
def test_a_mac_used_or_named_as_the_place_in_chinese_is_a_mac(text):
    assert facts(text)["os"] == "Darwin"
    assert failing(text) == []  # a Mac without CUDA is no fault of MPS


def test_a_mac_asked_about_in_chinese_is_not_the_machine():
    assert "os" not in facts("mac上能用吗？")  # noqa: RUF001


def test_pip_failing_on_another_package_beside_a_cuda_index_is_no_torch_refusal():
    # hacksider/Deep-Live-Cam#436, verbatim (Windows 11, Python 3.6.3): numpy was refused
    text = (
        "(.venv) PS D:\\GIT\\Deep-Live-Cam> pip install -r requirements.txt\n"
        "Looking in indexes: https://pypi.org/simple, https://download.pytorch.org/whl/cu118\n"
        "Ignoring torch: markers 'sys_platform == \"darwin\"' don't match your environment\n"
        "ERROR: Could not find a version that satisfies the requirement numpy==1.23.5 (from "
        "versions: none)\n"
        "ERROR: No matching distribution found for numpy==1.23.5\n"
    )
    assert "sign.pip_no_torch" not in {c.field for c in prose.read(text)}
    said = text.replace("numpy==1.23.5", "torch==2.0.1+cu118")
    assert "sign.pip_no_torch" in {c.field for c in prose.read(said)}
