"""verify.diagnosis.paste.claims and verify.diagnosis.claim_rows: a cause stated in one sentence
(issue 12). The sentences are copied verbatim from real public reports (each cited); the last
tests run the reader over every real report in tests/data."""

from __future__ import annotations

import corpus
import pytest

from verify import messages as verify_messages
from verify.diagnosis import claim_rows, diagnose, envdump
from verify.diagnosis.paste import ceiling, claims, updated
from verify.errors import InputError
from verify.model import Status

# each topic, a sentence from a real report, and the report
STATED = [
    (
        "float64",
        # meta-pytorch/botorch#2724
        "The current SAASBO implementation does not support MPS as one of the operations uses "
        "float64 instead of float32, whit the former not being supported on MPS.",
    ),
    (
        "dtypes",
        # facebookresearch/demucs#432 (berndverst, 2023-02-11)
        "The problem is that Metal doesn't support certain data types.",
    ),
    (
        "no_arm64_build",
        # pytorch/vision#6050
        "PyTorch has already provided arm64-build on pytorch-nightly channel and support M1 GPU "
        "acceleration, however, M1 users like me still cannot benefit from this, because of the "
        "lack of an arm64 torchvision.",
    ),
    (
        "x86_64_python",
        # sensein/b2aiprep#127
        "`B2aiprep` depends on `senselab`, which depends on `torch>2.4.0`.  `Torch>2.2.2` is "
        "incompatible with the x86-64 version of python on macOS, as discussed here:",
    ),
    (
        "intel_mac",
        # huggingface/peft#2431: the limit is in the sentence that goes on ("This has ...")
        "Right now, the MacOS GitHub runners use `macos-13`, which uses Intel x86. This has the "
        "disadvantage that the latest torch wheels still provided for this architecture are "
        "torch v2.2.2.",
    ),
    (
        "intel_mac",
        # climatepolicyradar/knowledge-graph#55
        "Pytorch has deprecated support for intel macs.",
    ),
    (
        "vm_guest",
        # Anjok07/ultimatevocalremovergui#226
        "Running in Win11 VIRTUAL at Parallels Desktop 17 for MAC M1 takes 5 hours for a 5 "
        "minute song \uff0c It's really hard",
    ),
    (
        "vm_guest",
        # pytorch/pytorch#120557
        "I am working on robotics projects that need Linux OS and a GPU, and my setup is Mac M1 "
        "with Ubuntu 22.04 running via VMWare Fusion.",
    ),
    (
        "container_guest",
        # pytorch/pytorch#96066
        "Running a docker container on a mac running Mac OS 13.0 can't run pytorch operations "
        "on the GPU.",
    ),
    (
        "container_guest",
        # pantelis/eng-ai-agents#9
        "However, MPS usage is limited as docker container is linux-based and MPS reqiure macOS "
        "to run",
    ),
    (
        "python_no_wheels",
        # simonw/llm#315's title
        "Homebrew release can't install plugins that use PyTorch (no PyTorch for Python 3.12 yet)",
    ),
    (
        "python_no_wheels",
        # jaredpalmer/kev#34's title
        "Quickstart fails on Python 3.14: torch pin (<2.9) has no cp314 wheels",
    ),
    (
        "python_no_wheels",
        # StarTrail-org/LEANN#385's title: the platforms that have the wheels, then "only"
        "leann-backend-hnsw 0.3.7: Python 3.14 wheels published for Windows only; macOS/Linux "
        "installs fail with a misleading error",
    ),
    (
        "python_no_wheels",
        # simonw/llm#397: torch said not available for a Python, no device named
        "I stopped recommending Homebrew because it uses Python 3.12 and PyTorch isn't available "
        "for that yet:",
    ),
    (
        "no_arm64_build",
        # rusty1s/pytorch_scatter#422's title
        "missing macos arm wheels for pytorch 2.2",
    ),
    (
        "x86_64_python",
        # lassoan/SlicerNNUnet#22 (a comment in the fix): a ceiling, "Rosetta2" written as one word
        "# Pytorch 2.2 is the last version supporting macOS with Rosetta2, which requires numpy<2.",
    ),
    (
        "python_no_wheels",
        # graphnet-team/graphnet#798's title: the Mac's own arm64 platform named beside the Python
        "PyTorch v2.2.x wheels unavailable for macOS arm64 + Python 3.13",
    ),
    (
        "no_arm64_build",
        # pyg-team/pytorch_geometric#2736: "can't find" and "an ARM64 version of"
        "Hi, I want to install this library in my M1 macbook air, and Now I have install Python "
        "3.8 and Pytorch-cpu 1.8 , But I can't find an ARM64 version of this library that "
        "supports MacOS.",
    ),
    (
        "cuda_only_package",
        # dmlc/decord#225
        "We're converting over to M1 Macs at work and I've noticed there doesn't appear to be a "
        "decord build form ARMv8/M1.",
    ),
    # zheng-chong/CatVTON#13, predibase/lorax#167, pyg-team/pyg-lib#303
    ("cuda_only_package", "xformers is not compatible with MacOS"),
    (
        "cuda_only_package",
        "Since triton is not supported for windows or mac as of now even binaries here confirms "
        "it but is a dependency.",
    ),
    (
        "cuda_only_package",
        "I found that this feature requires pyg-lib, which is not available on Apple Silicon.",
    ),
    # nari-labs/nari-qwen3-tts#3: the install said to fail, the Mac named by its kernel's name
    (
        "cuda_only_package",
        "2. **Dependency Constraints**: Installation fails or requires workarounds due to "
        "`flashinfer-python` and `triton` build requirements on Darwin platforms.",
    ),
    # heshengtao/comfyui_LLM_party#7's parenthesis (its sentence opens with an "If")
    (
        "cuda_only_package",
        "(auto-gptq does not yet support macOS, since it very interestingly depends on specific "
        "versions of Pytorch)",
    ),
    # liugangcode/InfoAlign#4: a CUDA build of torch pinned, said not to work on an M1
    (
        "cuda_torch_build",
        "The file currently specifies pytorch with CUDA, this is not compatible with the MacOSX M1 "
        "architecture.",
    ),
    # faiss-wheels/faiss-wheels#109's title: the platform as PyPI's wheel pages name it
    ("intel_mac", "Missing wheels for macos x86_64 for 1.8.0.post1"),
    # as typed: fla-org/flash-linear-attention#113
    (
        "cuda_only_package",
        "currently, macOS install will fail, Due to triton not avaiable on macOS.",
    ),
    # any package with no Mac build at all: ysharma3501/MiraTTS#3, dmlc/dgl#4344's title
    ("no_mac_build", "It looks like lmdeploy has no wheel for MacOS."),
    # fastai/fastai#3761's title: one op said missing on mps
    ("ops_missing", "IntToFloatTensor failing on Mac mps due to missing op"),
    # DeepGraphLearning/torchdrug#88: the package said not to install on the Mac
    ("no_mac_build", "TorchDrug library can not be installed on the apple silicon platform."),
    ("no_mac_build", "No distribution for M1 Mac"),
]


def _topics(text: str) -> list[str]:
    return [c.value for c in claims.read(text)]


@pytest.mark.parametrize(("topic", "text"), STATED)
def test_a_stated_cause_gives_its_topic_and_quotes_the_sentence(topic, text):
    found = [c for c in claims.read(text) if c.value == topic]
    assert found, text
    assert found[0].field == "sign.cause_said"
    assert found[0].line[:20] in " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        # a question, a condition, a negation: the same words, not stated
        "Is it that Metal doesn't support certain data types?",
        "If float64 is not supported on MPS, what should we use?",
        "It is not that MPS lacks float64 support.",
        "Maybe the x86-64 version of python is incompatible with torch 2.3.",
        "When you run in a Windows VM in Parallels on an M1 Mac, is there a GPU?",
        # one "operation" and "there is no error" (pytorch/pytorch#122045, a wrong-results report)
        "However, when we use `torch.stack([F.linear(...)])` to perform effectively the same "
        "operation in MPS, there is no error, proving that there is side effect when the input "
        "to `F.linear` is large enough.",
        # torch's device said not available beside a Python: the device's story, not wheels
        "With Python 3.12, PyTorch isn't available on the MPS device.",
    ],
)
def test_questions_conditions_and_negations_give_nothing(text):
    assert _topics(text) == []


def test_a_sentence_is_not_cut_inside_a_version_or_a_dotted_name():
    from verify.diagnosis.paste.clues import sentence_at

    text = STATED[3][1]  # b2aiprep#127
    at = text.index("incompatible")
    start, end = sentence_at(text, at)
    assert text[start:end].strip().startswith("`Torch>2.2.2` is incompatible")
    assert sentence_at("a torch.float64 b. c", 3) == (0, 18)


def test_program_output_is_no_sentence():
    # torch's own refusal names float64 but says nothing of "data types" in general, and a
    # warning line with a file path is the program's, not the user's (pytorch/pytorch#103868)
    assert "dtypes" not in _topics(
        "TypeError: Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't "
        "support float64. Please use float32 instead."
    )
    assert (
        _topics(
            "/Users/x/miniforge3/envs/t/lib/python3.9/site-packages/torch_sparse/utils.py:20: "
            "UserWarning: MPS: no support for int64 min/max op"
        )
        == []
    )


def test_a_cuda_build_of_torch_said_not_to_work_on_a_mac_is_the_install_not_a_container():
    text = "The file currently specifies pytorch with CUDA, this is not compatible with the M1."
    results = diagnose.diagnose(text)[1]
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "torch.installed" and first.status is Status.WARN
    assert "CUDA build" in first.cause
    # no Mac named, or a Linux container on the Mac (iris-sast/iris#36): not this topic
    assert "cuda_torch_build" not in _topics("pytorch with CUDA is not compatible with Ubuntu.")
    assert "cuda_torch_build" not in _topics(
        "On Apple Silicon Macs, Docker runs Linux containers using aarch64, for which the "
        "prebuilt CUDA package pytorch-cuda=12.1 is not available in conda."
    )


def test_a_linux_conda_environment_file_said_not_to_work_on_a_mac_is_the_install():
    # RameenAbdal/StyleFlow#17, verbatim: the sentence, then the screenshot on its own
    # line (not a wrapped line of the sentence: verify.diagnosis.paste.unwrap)
    text = (
        "Environment yaml for MacOS\n\nHi \nSame as for windows, `conda env create -f "
        "environment.yml` fails on macOS because of the Linux builds in the enironment.yml file.\n"
        "![image](https://user-images.githubusercontent.com/36081903/103919635-8d7c6b00-5110-11eb-"
        "803f-b6c93b81f89a.png)\n"
    )
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert (
        first is not None and first.id == "torch.installed" and "conda env export" in first.fix.text
    )
    # abhishekkrthakur/approachingalmost#2: "platform-specific (for Linux)", "in OSX"
    assert "linux_conda_env" in _topics(
        "Your environment.yml file is platform-specific (for Linux) and a strict export, which "
        "means that I can't use this file to recreate the conda environment in OSX."
    )
    # no failure said, no Mac, or a question: not this
    assert "linux_conda_env" not in _topics("The environment.yml was exported on Linux for macOS.")
    assert "linux_conda_env" not in _topics("conda env create fails on Linux with environment.yml")
    assert "linux_conda_env" not in _topics("Does environment.yml fail on macOS with Linux builds?")


def test_there_is_no_is_a_limit_whatever_the_other_words():
    # unslothai/unsloth#386's title
    assert "cuda_torch_build" in _topics(
        "There is no 12.1 or 11.6 versions of pytorch-cuda for MacOS. Which should I use?"
    )


def test_a_cuda_only_package_said_not_to_work_needs_a_mac_in_the_sentence():
    # on MPS or on Linux it is another matter (an attention kernel, a server's install)
    assert "cuda_only_package" not in _topics("flash-attn is not supported on MPS.")
    assert "cuda_only_package" not in _topics("xformers is not compatible with Ubuntu 18.04.")
    assert "cuda_only_package" not in _topics("Is xformers not compatible with macOS?")


def test_a_package_for_intel_macs_only_is_no_intel_mac():
    # deepchem/deepchem#2871 (arm Macs that cannot install DGL)
    sentence = "The first problem is that DGL is only available for x86 Macs, not ARM ones."
    assert "intel_mac" not in _topics(sentence)
    # "only" alone says the same (pytorch/tutorials#3104 on an M1: "torchrec depends on
    # fbgemm-gpu, which only supports x86 macs"); an Intel Mac said to lack support stays one
    assert "intel_mac" not in _topics(
        "torchrec depends on fbgemm-gpu, which only supports x86 macs"
    )
    assert "intel_mac" in _topics("PyTorch no longer supports Intel Macs.")


def test_arm64_wheels_listed_as_the_only_ones_are_no_missing_arm64_build():
    # huggingface/peft#2431, an Intel runner: "only provide" lists what there is
    assert "no_arm64_build" not in _topics(
        "Later torch versions only provide wheels for MacOS arm64."
    )


def test_a_cuda_build_missing_for_arm64_is_no_missing_arm64_build():
    # remsky/Kokoro-FastAPI#228 (Docker on a Mac: the CUDA build is the matter)
    assert "no_arm64_build" not in _topics(
        "Since CUDA is not available on Apple Silicon, PyTorch does not publish +cu124 wheels "
        "for arm64."
    )


@pytest.mark.parametrize(
    "text",
    [
        # an Intel Mac's platform beside the Python: the Intel Mac's missing wheels
        # (langflow-ai/langflow#12469)
        "Since Python 3.13 was released in October 2024 — after that cutoff — no official PyTorch "
        "wheel exists for macOS x86_64 + Python 3.13.",
        # a release from before the release table on arm64: no arm64 wheel whatever the Python
        # (Tony-Y/pytorch_warmup#20)
        "PyTorch 1.4.0 is unavailable for Python 3.8 (arm64) on macOS 14.",
    ],
)
def test_a_python_beside_an_intel_platform_or_a_pre_arm64_release_is_no_python_limit(text):
    assert "python_no_wheels" not in _topics(text)


def test_a_release_from_before_the_release_table_on_arm64_is_no_python_limit():
    # Tony-Y/pytorch_warmup#20: torch 1.4.0 predates the release table (1.12); on arm64 its
    # missing wheel is the platform's whatever the Python
    assert claims._wheels_exist_for_it(
        "PyTorch 1.4.0 is unavailable for Python 3.8 (arm64) on macOS 14."
    )


def test_a_python_the_named_release_has_wheels_for_is_no_python_limit():
    # torch 2.5.1 has macOS arm64 wheels for cp39-cp312 (verify/data/torch_releases.json): the
    # words of graphnet#798's title with that release and Python say nothing of the Python
    assert _topics("PyTorch v2.2.x wheels unavailable for macOS arm64 + Python 3.13") == [
        "python_no_wheels"
    ]
    assert _topics("PyTorch v2.5.1 wheels unavailable for macOS arm64 + Python 3.12") == []


@pytest.mark.parametrize(
    "text",
    [
        # a macOS release after "for macOS" is the OS's floor, not a missing Mac build
        # (mlc-ai/mlc-llm#1403's title)
        "[Bug] Prebuilt wheel not available for MacOS 12",
        # a missing arm64 build of another package was as often Rosetta's x86_64 Python
        # (google-deepmind/mujoco#195's title)
        "[Python] Missing arm64 build for macos py3.7",
        # with a Python named it is that Python's (Quicksetup-ai#27)
        "The setup fails on MacOS together with Python 3.11 due to a missing `torch==1.11.0` "
        "distribution for Mac.",
        # a CUDA build is cuda_torch_build's
        "There are no CUDA wheels for macOS.",
    ],
)
def test_no_mac_build_leaves_an_os_floor_arm64_a_python_and_cuda_to_others(text):
    assert "no_mac_build" not in _topics(text)


def test_a_macos_guest_is_not_a_windows_or_linux_guest():
    # cirruslabs/tart#501 (a macOS VM: no Metal device, another cause)
    assert "vm_guest" not in _topics(
        "I ran the following Pytorch example inside a Tart VM and indeed it seems not supported."
    )


@pytest.mark.parametrize(
    "text",
    [
        # huggingface/diffusers#892: NVIDIA's NGC container on a Linux server, no Mac named
        "With diffusers 0.4.0+, I'm unable to import `diffusers` inside of this container "
        "because `torch.backends.mps` doesn't exist.",
        # a CUDA container is a Linux server's, whatever else the sentence says
        "On my Mac the docker container with --gpus all cannot use the GPU.",
        "Does the docker image support MPS on a Mac?",
    ],
)
def test_a_container_without_a_mac_or_with_cuda_or_asked_is_no_linux_guest(text):
    assert "container_guest" not in _topics(text)


# ---- a newer torch said to fix it (verify.diagnosis.paste.updated) ----------------------------

UPDATED = [
    # Comfy-Org/desktop#1492: "it" is the pytorch the sentence before ends on
    "After checking, I found out that my Mac version of Desktop automatically installed pytorch "
    "version 2.5.1 for the first time, but now the latest stable version of pytorch is 2.9.1. "
    "After trying to update it, the error in aten:: nlinalg.solve-ex.result no longer exists",
    # invoke-ai/InvokeAI#8835's title
    "[bug]: Flux (GGUF) broken on MPS, updating PyTorch fixes",
    # TheRealEyeless/MarkovianTraining#9 (an address in the sentence)
    "This is fixed by https://github.com/pytorch/pytorch/issues/96610 which is installing the "
    "latest nightly version of Pytorch.",
    # eloialonso/diamond#6
    "Works after upgrading to torch==2.4.1",
    # AUTOMATIC1111/stable-diffusion-webui#11120 (pandora523, 2023-07-31)
    "Updating to Pytorch to 2.1 fixed the bug and everything seems working fine from the latest "
    "beta update so Im closing this",
    # MIC-DKFZ/nnUNet#1862: the nightly, torch named in the sentence before
    "This is a known [issue](https://github.com/pytorch/pytorch/pull/114183) with PyTorch. A fix "
    "has been merged but it seems the nightly build is required to use the fix.",
    # kevinjohncutler/omnipose#17's title
    "Issue with old pytorch version",
    # PriorLabs/TabPFN#1125: a bump, the tests said to pass
    "Bumping to torch 2.6 makes all tests pass.",
]


@pytest.mark.parametrize("text", UPDATED)
def test_a_newer_torch_said_to_fix_it_is_read(text):
    found = updated.read(text)
    assert [c.value for c in found] == ["torch_too_old"], text
    assert found[0].field == "sign.cause_said" and found[0].weight == claims.WEAK


@pytest.mark.parametrize(
    "text",
    [
        # regressions: an older torch works, a newer one breaks (TransformerLensOrg/
        # TransformerLens#1062; Lightricks/ComfyUI-LTXVideo#43)
        "- model.generate works fine on torch 2.7.1 but in 2.8.0 (on macos at least), it goes "
        "haywire",
        "Apparently people get usable results on mps with torch 2.4.1 so something specific LTX "
        "Video does on mps seems to work only with older versions of torch but is no longer "
        "compatible with torch 2.5.1 or higher",
        # a fix hoped for, denied or put back (pytorch/pytorch#85224, #115287, #122016;
        # ultralytics/ultralytics#3967)
        "I believe it was broken at least as far back as `1.13.0.dev20220826` (from which I "
        "upgraded today to see if this was fixed).",
        "This is the exact same bug as https://github.com/pytorch/pytorch/issues/110820, except "
        "I'm on the latest version of Pytorch that's supposedly fixed it.",
        "I tried building latest main with that commit reverted and it's working again.",
        "PyTorch Preview (Nightly) did not work either",
        # the latest torch for an old macOS is a ceiling, not a fix (pytorch/pytorch#126679)
        "The latest version of `PyTorch` that works on OS X 10.11 with Python 3.10 seems to be "
        "2.0.1",
        # macOS updated, not torch (myshell-ai/MeloTTS#312)
        "- document that updating macOS resolved the issue in local verification",
        # a wish (invoke-ai/InvokeAI#7063)
        "Get Flux working on MPS when torch 2.5.0 test or nightlies are installed",
        # the same words asked, made conditional, negated or reversed
        "Does updating torch fix it?",
        "If you update torch to the nightly it works.",
        "Updating torch did not fix it.",
        "Downgrading torch to 2.1 fixed it.",
        # another package's nightly (mlc-ai/mlc-llm#1247's set-up, verbatim)
        "Working with latest mlc-ai-nightly wheel (0.12.dev1813) and the latest mlc-llm commit "
        "(#1245), in a clean conda env.",
        # a reinstall mends an install (another Python, another build) and a switch may go
        # back: neither says a newer torch unless it names the latest or the nightly
        "I reinstalled torch and it works now.",
        "Switching to torch 2.1 fixed it.",
        # a newer way inside torch (instructlab/instructlab#3533), a check still to run (a PR
        # title, tabicl's "CI: check if torch nightly fixes MPS F.linear #192934")
        "Switching to `use_reentrant=False` (the newer PyTorch implementation) completely "
        "resolves the issue.",
        "CI: check if torch nightly fixes MPS F.linear #192934",
    ],
)
def test_a_regression_a_hope_or_another_update_gives_no_old_torch(text):
    assert updated.read(text) == []


def test_only_an_update_goes_up_by_itself():
    assert updated.read("After upgrading torch, everything runs fine.")
    assert updated.read("I reinstalled the latest torch and it works now.")


def test_a_newer_release_said_to_work_where_an_older_fails_is_read_not_the_reverse():
    # the words of TransformerLens#1062's line with the releases swapped
    assert updated.read("model.generate works fine on torch 2.8.0 but in 2.7.1 it fails.")
    assert not updated.read("model.generate works fine on torch 2.7.1 but in 2.8.0 it fails.")


# ---- torch said to stop at 2.2.2 (verify.diagnosis.paste.ceiling) -----------------------------

CEILINGS = [
    # pytorch/pytorch#169874 (an Intel Mac): "e.g." ends no sentence worth reading, an address
    # inside is no program output
    "Projects (e.g. github.com/orbital-materials/orb-models) make use of features in later "
    "versions of pytorch (they require 2.6.0 and there are errors when I manually bypass this "
    "requirement), but it appears pytorch is capped for macOS at python3.12 and the latest "
    "wheels are 2.2.2.",
    # huggingface/peft#2431 (an Intel runner)
    "Therefore, our GH MacOS runners can only install torch v2.2.2.",
    # resemble-ai/chatterbox#277
    "I need to install PyTorch 2.6.0, but i can only install versions up to 2.2.2.",
    # idiap/coqui-ai-TTS#112
    "torch stopped building for Intel Macs after 2.2.2.",
    # vllm-project/vllm#17212
    "I also tried installing it from the official pytorch website docs but it seems like no "
    "version is supported beyond 2.2.2.",
    # docling-project/docling#2044 (an Intel Mac)
    "Seems like for Intel based Macs I'm limited to use PyTorch 2.2.2 only.",
    # huggingface/sentence-transformers#3661 (an Intel Mac)
    "I recently upgraded to Sentence Transformers 5.2.2 to use sparse encoders and noticed, that "
    "it requires torch>=2.6 but for Mac Intel only torch 2.2.2 is available.",
]


@pytest.mark.parametrize("text", CEILINGS)
def test_torch_said_to_stop_at_2_2_2_is_an_x86_64_python(text):
    assert [c.value for c in ceiling.read(text)] == ["x86_64_ceiling"], text


@pytest.mark.parametrize(
    "text",
    [
        # another package's 2.2.2, a question, another OS, a condition (astral-sh/uv#13512's
        # sentence opens with "When": the facts of that paste say Rosetta instead)
        "I have numpy 2.2.2 and can only install pandas up to 2.2.2.",
        "Can I only install torch 2.2.2?",
        "On Linux I can only install torch 2.2.2 with cu118.",
        "When I tried to run `uv pip install torch` it can only install torch=2.2.2.",
    ],
)
def test_another_package_a_question_or_another_os_is_no_ceiling(text):
    assert ceiling.read(text) == []


def test_the_ceiling_warns_on_host_arch_unless_the_paste_shows_arm64():
    results = _rows(CEILINGS[0])
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and claim_rows.claimed(first)
    assert first.cause.startswith("The report says PyTorch stops at 2.2.2 on this Mac")
    native = _rows("Python platform: macOS-14.5-arm64-arm-64bit\n" + CEILINGS[1])
    assert not [r for r in native if claim_rows.claimed(r)]


# ---- rows ----------------------------------------------------------------------------------


def _rows(text: str):
    _, results = diagnose.diagnose(text)
    return results


def test_a_stated_cause_becomes_a_warning_on_its_check_quoting_the_sentence():
    text = STATED[1][1]  # demucs#432
    results = _rows(text)
    row = next(r for r in results if r.id == "error.mps.dtype_unsupported")
    assert row.status is Status.WARN
    assert row.cause.startswith("The report says MPS / Metal does not support the data types")
    assert row.evidence == (text,)
    assert row.fix is not None and row.fix.text
    assert not [r for r in results if r.status is Status.FAIL]
    assert diagnose.first_cause(results) is row


def test_a_paste_with_only_a_stated_cause_is_not_refused():
    # pytorch/vision#6050: exit 2 before, nothing else in the paste to read
    results = _rows(STATED[2][1])
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "torch.installed" and first.status is Status.WARN


def test_a_stated_cause_ranks_after_every_other_warning():
    # uvr#226's sentence beside torch's own float64 refusal (a warning): the refusal first
    text = (
        STATED[6][1] + "\nTypeError: Cannot convert a MPS Tensor to float64 dtype as the MPS "
        "framework doesn't support float64. Please use float32 instead.\n"
    )
    results = _rows(text)
    said = next(r for r in results if claim_rows.claimed(r))
    assert said.id == "host.os" and said.status is Status.WARN
    assert diagnose.first_cause(results).id == "error.mps.float64"


def test_no_row_where_a_row_names_the_cause_already():
    # the float64 refusal pasted: the sentence adds no second float64 row
    text = (
        STATED[0][1] + "\nTypeError: Cannot convert a MPS Tensor to float64 dtype as the MPS "
        "framework doesn't support float64. Please use float32 instead.\n"
    )
    results = _rows(text)
    assert [r for r in results if r.id == "error.mps.float64"]
    assert not [r for r in results if claim_rows.claimed(r)]


def test_a_check_the_paste_shows_passing_keeps_its_row():
    # pytorch/audio#2620: an Intel Mac's collect_env (host.arch passes on its facts) whose first
    # sentence says torchaudio 0.12.1 has no download "for Mac with an Intel CPU"
    case = corpus.load(next(corpus.CORPUS_DIR.glob("torchaudio-2620-*.txt")))
    assert "intel_mac" in _topics(case.text)
    results = _rows(case.text)
    # the row is the facts' own: with nothing else found, the Intel Mac's limits as a warning
    # (verify.diagnosis.x86_ceiling.intel_mac_alone), never the sentence's
    arch = next(r for r in results if r.id == "host.arch")
    assert arch.status is Status.WARN and arch.cause == verify_messages.INTEL_MAC_CAUSE
    assert not [r for r in results if claim_rows.claimed(r)]


def test_a_missing_arm64_build_outweighs_torch_installed_passing_on_a_version():
    # rusty1s/pytorch_scatter#422: the title names "pytorch 2.2" (torch.installed passes on it);
    # the missing arm64 wheels are the extension's, and the sentence is the cause
    case = corpus.load(next(corpus.CORPUS_DIR.parent.glob("holdout21/pytorch-scatter-422-*.txt")))
    first = diagnose.first_cause(_rows(case.text))
    assert first is not None and first.id == "torch.installed" and claim_rows.claimed(first)
    assert first.status is Status.WARN


def test_the_row_takes_the_place_of_its_check_and_keeps_one_row_per_id():
    results = _rows("Python 3.12.1\nmacOS 14.5\nApple M2\n" + STATED[6][1])  # uvr#226
    ids = [r.id for r in results]
    assert len(ids) == len(set(ids))
    row = next(r for r in results if r.id == "host.os")
    assert row.status is Status.WARN and claim_rows.claimed(row)


# ---- every real report ---------------------------------------------------------------------

# topic -> the label of the reports it may fire on (tests/corpus.py LABELS)
TOPIC_LABEL = {
    "float64": "float64",
    "dtypes": "op-not-implemented",
    "ops_missing": "op-not-implemented",
    "no_arm64_build": "install-wrong-arch",
    "x86_64_python": "rosetta",
    "intel_mac": "intel-mac",
    "vm_guest": "linux-in-mac",
    "container_guest": "linux-in-mac",
    "container_on_mac": "linux-in-mac",
    "python_no_wheels": "python-unsupported",
    "python_install_fails": "python-unsupported",
    "torch_too_old": "torch-too-old",
    # an x86_64 interpreter, the Mac's or Rosetta's: both are host.arch's cause
    "x86_64_ceiling": ("intel-mac", "rosetta"),
    "cuda_only_package": "install-wrong-arch",
    "no_mac_build": "install-wrong-arch",
    "cuda_torch_build": "install-wrong-arch",
    "linux_conda_env": "install-wrong-arch",
}


_reports = corpus.reports


# reports a topic may fire on although their label is another, each with the reason
EXCEPTIONS = {
    # the sentence is true of it (an Intel Mac, and no torchaudio 0.12.1 wheel for it), but the
    # thread's cause is that packaging gap, labelled "other"; its collect_env passes host.arch,
    # so no row is added (test_a_check_the_paste_shows_passing_keeps_its_row)
    ("intel_mac", "collect_env/torchaudio-2620-intel-mac-collect-env-no-0.12.1-wheel"),
    # "PyTorch has shipped no macOS x86_64 wheels since 2.2.2" is the limit an x86_64
    # interpreter meets on any Mac; there it was Rosetta's on an Apple chip, whose paste fails
    # host.arch on its facts (the same row: the stated cause adds nothing)
    ("intel_mac", "collect_env/unsloth-5976-apple-silicon-uv-cached-x86-64-python"),
    # "`torch <= 2.4.1` has no wheels for `cp313`" is true there too (uv's own log says so), but
    # the thread's cause is the Intel Mac, whose host.arch row the paste's facts fail and put
    # first; the sentence's host.python warning ranks after it (K-Dense-AI/claude-skills-mcp#13,
    # session 10's blind set: diagnosed right)
    ("python_no_wheels", "holdout48/claude-skills-mcp-13-intel-mac-no-torch-wheels"),
    # the same on unslothai/unsloth#4621 ("no compatible wheel exists for Python 3.13 on this
    # Mac"): the installer's Python 3.13 on an Intel Mac, whose host.arch warning comes first
    ("python_no_wheels", "holdout48/unsloth-4621-py313-intel-mac-no-torch-wheel"),
    # uv's own resolution note "triton<=2.1.0 has no wheels with a matching Python ABI tag (e.g.,
    # `cp312`)" is true there, but the thread's cause is triton's lack of any macOS build, whose
    # torch.installed failure the paste's uv output gives and puts first (NVIDIA/NeMo-RL#1005,
    # session 14's blind set: diagnosed right)
    ("python_no_wheels", "holdout103/NeMo-RL-1005-triton-no-macos-wheel"),
    # flash-attn is not supported on a Mac, true of both: the project had tied its code to it
    # (AI4Bharat/IndicTrans2#69, labelled healthy: the maintainer made it optional) and an
    # xformers build a guide's requirements asked for (labelled other by its collector, the
    # human reader said install-wrong-arch); a warning, never a failure
    ("cuda_only_package", "holdout29/indictrans2-69-hard-flash-attention-dependency-on-mac"),
    ("cuda_only_package", "holdout57/deepseek-r1-mac-finetuning-guide-1-xformers-build"),
    # "PyTorch installation fails because no compatible wheel exists for Python 3.13 on this
    # Mac", true of an Intel Mac's installer Python, whose host.arch warning comes first
    ("python_install_fails", "holdout48/unsloth-4621-py313-intel-mac-no-torch-wheel"),
    # "operators that are currently unsupported on MPS" is true of the tracking issue
    # (FireANTs#33), whose own cause was a torch before Conv3D on MPS (torch-too-old, which its
    # other rows name first)
    ("ops_missing", "collect_env/fireants-33-conv3d-said-unsupported-latest-torch-supports"),
    # "one of the operations uses float64 ... not being supported on MPS": the float64 topic's
    # sentence, whose row names the cause and keeps this one out (meta-pytorch/botorch#2724)
    ("ops_missing", "holdout13/botorch-2724-saasbo-float64-on-mps"),
    # uv's own derivation, "triton<=2.1.0 has no wheels with a matching Python ABI tag (e.g.,
    # `cp312`)", is true; the thread's cause is triton having no macOS build at all, which the
    # paste's refusal fails on torch.installed first (smthemex/ComfyUI_SongGeneration#17)
    ("python_no_wheels", "collect_env/comfyui-songgeneration-17-uv-triton-macosx-15-arm64"),
    # "I cannot install or use the required Triton package on macOS" is true (facebookresearch/
    # sam3#597); its collector labelled the thread healthy: the project's own hard import of
    # triton, made optional by the maintainers (as IndicTrans2#69 above); a warning only
    ("cuda_only_package", "holdout85/facebookresearch-sam3-597-mac-no-module-triton"),
    # "pip index only lists up to 2.2.2" is true of the standalone Python the plugin's installer
    # ran (a list ending at 2.2.2 is an x86_64 one's); the thread's cause, labelled other, was
    # that stale Python itself
    # (TerraLabAI/QGIS_AI-Segmentation#149)
    ("x86_64_ceiling", "holdout85/TerraLabAI-QGIS_AI-Segmentation-149-torch-not-found-macos-arm64"),
    # "We don't see this issue in CI because the GitHub runner is an old x86_64 Mac and doesn't
    # support MPS" is true of the CI runner, where the problem does not occur; the thread's cause
    # is MPS's missing operators on the developers' own Macs (torchgeo/torchgeo#1188, session 13's
    # third blind round: the Intel warning came first there, a miss)
    ("intel_mac", "holdout91/torchgeo-1188-tests-mps-lightning-auto"),
    # a pull request listing both cases it handles, "**Intel Mac on modern macOS** -
    # fundamentally unsupported now" true of one, the thread's own being an x86_64 Python under
    # Rosetta (zackees/transcribe-anything#77)
    ("intel_mac", "holdout74/transcribe-anything-77-x86_64-python-macos-detect"),
    # session 16's first blind round (holdout123), statements true of each report whose thread
    # found another cause, warnings only: "noise estimation casts to float64 (MPS-incompatible)"
    # beside a device hard-coded to cuda / cpu, the thread's fix (broadinstitute/CellBender#479,
    # labelled healthy); "`flash-attn` ... does not support Apple Silicon", the project's own
    # import made optional (zai-org/GLM-ASR#11, healthy); "torch-1.14.0.dev20221102 works" of a
    # colour-noise report whose thread found MPS's wrong numbers (pytorch/pytorch#89784,
    # wrong-results)
    ("float64", "holdout123/CellBender-479-device-hardcoded-cuda-cpu"),
    ("cuda_only_package", "holdout123/GLM-ASR-11-apple-silicon-flash-attn-whisperflashattention2"),
    ("torch_too_old", "holdout123/pytorch-89784-invokeai-mps-colour-noise-nightly"),
    # the README's words quoted in a question (neonbjb/tortoise-tts#566, healthy: DeepSpeed is
    # not supported on Apple Silicon, and MPS "does not support all the operations"): both
    # true, neither the thread's cause; no failing row comes of them
    ("cuda_only_package", "holdout134/tortoise-tts-566-deepspeed-apple-silicon"),
    ("ops_missing", "holdout134/tortoise-tts-566-deepspeed-apple-silicon"),
    # session 18's first blind round (holdout145): "Cannot install Onnxruntime in VM(Win11
    # arm64) of Mac M Silicon" is true (no Metal reaches a Windows guest); the thread's cause
    # was onnxruntime's missing Python 3.14 wheels (microsoft/onnxruntime#26473)
    ("vm_guest", "holdout145/onnxruntime-26473-win11-arm64-vm-mac-py314"),
    # session 20's first round (holdout166): "`onnxruntime-gpu` cannot be installed on macOS, so
    # I've substituted it with `onnxruntime-silicon`" is true (KlingAIResearch/LivePortrait
    # #143); the pull request's cause is grid_sampler_3d without an MPS kernel, whose row goes
    # first (a warning beside it)
    ("cuda_only_package", "holdout166/LivePortrait-143-macos-support-grid-sampler-3d"),
    # session 20's second round (holdout174): uv's own derivation "decord<=0.2.0 has no wheels
    # with a matching Python ABI tag (e.g., `cp312`)" is true; the thread's cause is triton and
    # decord having no macOS build, whose torch.installed failure goes first
    # (1038lab/ComfyUI-RMBG#139), as NeMo-RL#1005 and ComfyUI_SongGeneration#17 above
    ("python_no_wheels", "holdout174/ComfyUI-RMBG-139-sam3-macos-triton-decord"),
    # session 21's first round (holdout182): "xformers is not compatible for mac procssors" is
    # true, and the thread's own answer (TMElyralab/MuseV#77, labelled healthy: the project
    # needs xformers, the Mac's torch is fine); its row is a warning, no false alarm
    ("cuda_only_package", "holdout182/MuseV-77-xformers-apple-silicon"),
    # session 21's second round (holdout190): "MacOS users where bitsandbytes is not supported"
    # is true, and what the maintainer answered (zai-org/CogVLM#250, a feature request labelled
    # healthy); its row is a warning, no false alarm
    ("cuda_only_package", "holdout190/CogVLM-250-quantised-models-macos"),
    # session 23's first round (holdout222): "PyTorch version is too old on macOS (0.4.1 instead
    # of 1.9.0)" is true (Slicer/light-the-torch#34, labelled "other": the installer picked the
    # old release); its row names the old torch, which is what the thread fixed
    ("torch_too_old", "holdout222/light-the-torch-34-old-torch-macos"),
    # session 31's rounds (holdout360), statements true of each report whose thread found
    # another cause, warnings only: "the official libtorch site does not provide 1.8 `LTS`
    # builds for Mac" where the app's own version check demanded 1.8 and was removed
    # (elixir-nx/nx#468, healthy); "(linux nightlies already work)" in a title asking for
    # free-threaded 3.13 wheels on macOS (pytorch/pytorch#137699, python-unsupported: the
    # warning names a newer torch, Linux's, a miss counted in the blind figure)
    ("no_mac_build", "holdout360/nx-468-torchx-libtorch-18-lts-no-mac-build"),
    ("torch_too_old", "holdout360/pytorch-137699-py313t-nogil-macos-wheels"),
}


def test_every_topic_fires_only_on_reports_of_its_cause():
    """Every real report in tests/data: a topic is read only where the thread established that
    cause (but for EXCEPTIONS), and each topic is read on some report."""
    fired: dict[str, set[str]] = {t: set() for t in TOPIC_LABEL}
    wrong = []
    for name, case, pasted in corpus.pasted_reports():
        for c in pasted.signs.get("sign.cause_said") or []:
            fired[c.value].add(name)
            if claim_rows.TOPICS[c.value].alone:
                continue  # its row stands only where nothing else was found: measured below
            labels = TOPIC_LABEL[c.value]
            if case.label not in (labels if isinstance(labels, tuple) else (labels,)) and (
                (c.value, name) not in EXCEPTIONS
            ):
                wrong.append((c.value, name, case.label, c.line))
    assert wrong == []
    assert all(fired.values()), {t: len(names) for t, names in fired.items()}
    other_readers = {
        "vm_guest",
        "container_guest",
        "container_on_mac",
        "python_install_fails",
        "linux_conda_env",
        updated.TOPIC,
        ceiling.TOPIC,
    }
    assert set(TOPIC_LABEL) == set(claims.TOPICS) | other_readers == set(claim_rows.TOPICS)


def test_no_stated_cause_gives_a_failing_row_or_comes_first_on_a_healthy_report():
    for name, case in _reports():
        if corpus.LABELS[case.label] is not corpus.NO_FAILURE:
            continue
        results = corpus.diagnosed(case.text)
        if results is None:
            continue
        said = [r for r in results if claim_rows.claimed(r)]
        assert all(r.status is Status.WARN for r in said), name


def test_an_update_said_to_fix_it_warns_on_torch_version_as_the_only_finding():
    # Comfy-Org/desktop#1492: no message torch prints, only the sentence
    case = corpus.load(next(corpus.CORPUS_DIR.parent.glob("holdout4/comfy-desktop-1492-*.txt")))
    first = diagnose.first_cause(_rows(case.text))
    assert first is not None and first.id == "torch.version" and first.status is Status.WARN
    assert claim_rows.claimed(first) and first.cause.startswith("The report says a newer PyTorch")
    assert first.evidence and "no longer exists" in first.evidence[0]


def test_a_paste_whose_torch_is_already_the_release_said_gets_no_old_torch_row():
    # AUTOMATIC1111/stable-diffusion-webui#11120's sentence names 2.1; a paste showing 2.2.0
    # needs no update; nor does eloialonso/diamond#6's "torch==2.4.1" beside 2.10.0 (told's
    # reading, sign.torch_fixed_by, compares the release itself)
    sentence = UPDATED[4]
    assert [r for r in _rows(sentence) if claim_rows.claimed(r)]
    assert not [r for r in _rows("PyTorch 2.2.0\n" + sentence) if claim_rows.claimed(r)]
    newer = _rows("PyTorch 2.10.0\n" + UPDATED[3])
    assert not [r for r in newer if r.id == "torch.version" and r.status is Status.WARN]


def test_letters_that_lowercase_longer_do_not_shift_the_sentences():
    # "İ".lower() is two characters: the needles' positions must still be the text's
    text = "İstanbul İİİ\n\n" + STATED[1][1]  # demucs#432
    found = claims.read(text)
    assert [c.value for c in found] == ["dtypes"] and found[0].line == STATED[1][1]


@pytest.mark.parametrize(
    ("text", "warns"),
    [
        # SYSTRAN/faster-whisper#1231's title (av pinned below 13: no Python 3.13 build)
        ("Problem installing on macOS with Python 3.13.1", True),
        # Aider-AI/aider#2513's opening sentence
        (
            "Trying to `pip install aider-chat` in a new venv with python 3.13.0 (mac) fails "
            "twice (at least):",
            True,
        ),
        # isl-org/Open3D#6536 (open3d 0.17's wheels stop at Python 3.10)
        ("I just tried to install from pip on Python 3.11 but wasn't able to.", True),
        # MontrealCorpusTools/Montreal-Forced-Aligner#940's title: the Pythons past one
        ("[BUG] torchaudio fails to install with Python>3.12", True),
        # an older Python is not read (huggingface/datasets#7267: decord, no arm64 build)
        ("Source installation fails on Macintosh with python 3.10", False),
        # no failure said, a question, uv's log line
        ("I installed it on Python 3.13 and it runs.", False),
        ("Does the install work with Python 3.13?", False),
        ("Error during installation: Using Python 3.12.9 environment at: venv", False),
    ],
)
def test_an_install_said_to_fail_with_a_new_python_warns_on_host_python(text, warns):
    try:
        results = _rows(text + "\nmacOS 15.2, Apple M2\n")
    except InputError:
        assert not warns
        return
    row = next(r for r in results if r.id == "host.python")
    said = row.status is Status.WARN and claim_rows.claimed(row)
    assert said is warns, row
    if warns:
        assert "the install fails with the Python it names" in row.cause


def test_a_package_said_not_installable_on_a_mac_in_the_passive():
    # axolotl-ai-cloud/axolotl#1826's title (bitsandbytes 0.43 has no macOS build)
    results = _rows("bitsandbytes==0.43.3 can't be installed on mac")
    row = next(r for r in results if r.id == "torch.installed")
    assert row.status is Status.WARN and claim_rows.claimed(row)
    assert diagnose.first_cause(results).id == "torch.installed"


def test_a_python_left_out_of_any_packages_wheels_warns_on_host_python():
    # dmlc/dgl#1415's title: a package's wheel for the Python missing, torch not named
    said = envdump.parse("PyPI is missing the macOS Python 3.8 wheel for version 0.4.3")
    assert [c.value for c in said.signs["sign.cause_said"]] == ["python_no_wheels"]
    # the row it gives, where no other row names the Python (3.12 passes today)
    results = _rows("PyPI is missing the macOS Python 3.12 wheel for version 0.4.3")
    row = next(r for r in results if r.id == "host.python")
    assert row.status is Status.WARN and claim_rows.claimed(row)
    # without a wheel or torch in the sentence, a Python and a limit say nothing of wheels
    assert not envdump.parse("macOS 14, Apple M2\nPython 3.8 is missing a feature").has(
        "sign.cause_said"
    )


def test_a_container_on_a_mac_stands_only_where_nothing_else_was_found():
    """The weakest reading (a container named where a Mac is named, no limit said): over every
    real report, its sign is right on most (30 of 40 when it was written) and its row, added
    only where no other row fails or warns, is right where it stands: Linux containers on a Mac,
    or a warning on a healthy thread (zylon-ai/private-gpt#1873 and three more; VIBESegmentator#2,
    healthy, runs on the CPU in a container too)."""
    stood: dict[str, str] = {}
    for name, case in _reports():
        results = corpus.diagnosed(case.text)
        if results is None:
            continue
        row = next((r for r in results if r.data.get("claimed") == "container_on_mac"), None)
        if row is None:
            continue
        assert row.status is Status.WARN and row.id == "host.os", name
        others = [r for r in results if r is not row and r.status in (Status.FAIL, Status.WARN)]
        assert others == [], name
        stood[name] = case.label
    assert list(stood.values()).count("linux-in-mac") >= 3, stood
    # pytorch/rl#2430: a devcontainer (aarch64 Linux) on a MacBook, labelled by the wheels it
    # lacked (no aarch64-linux torchrl), the container being where they were missing
    install = {name for name, label in stood.items() if label == "install-wrong-arch"}
    assert install <= {"holdout214/rl-2430-aarch64-linux-wheels-devcontainer-macbook"}, install
    # LibreTranslate/LibreTranslate#524 (session 31, "other"): a container on an M1 crashing with
    # exit code 139, torch 2.1.0's regression on aarch64 Linux; the container's Linux is where it
    # crashed, which the warning says
    other = {name for name, label in stood.items() if label == "other"}
    assert other <= {"holdout360/LibreTranslate-524-m1-docker-translation-crash-139"}, other
    assert set(stood.values()) - {"install-wrong-arch", "other"} <= {
        "linux-in-mac",
        "healthy",
        "wrong-results",
    }, stood


def test_a_container_among_a_forms_choices_is_not_the_reports():
    # NVIDIA/NeMo#8707: the issue form's list left as the template gave it, on a MacBook Pro M2
    form = (
        "I run Speaker_Diarization_Inference.ipynb on my mac book pro(M2)\n"
        " - Environment location: [Bare-metal, Docker, Cloud(specify cloud provider - AWS, "
        "Azure, GCP, Collab)]\n"
    )
    assert "container_on_mac" not in _topics(form)
    assert "container_on_mac" in _topics(form.replace("[Bare-metal, Docker, Cloud", "Docker ["))


def test_a_question_whether_a_container_on_a_mac_keeps_the_gpu_is_the_container():
    # ml-explore/mlx#1945, verbatim: the asker wants Metal inside Docker on Apple silicon, which
    # Docker's Linux VM does not pass through (the thread's answer)
    text = (
        "How to run in a (Docker) container environment?\n\n"
        "How can a project developed on top of the Mlx Python library be run in a container "
        "(preferably docker) environment without losing the metal framework and unified memory "
        "advantage on an Apple silicon chip device?\n"
    )
    assert "container_on_mac" in _topics(text)
    results = _rows(text)
    row = next(r for r in results if r.data.get("claimed") == "container_on_mac")
    assert row.id == "host.os" and row.status is Status.WARN
    assert row.cause.startswith("The report asks about running in a container, on a Mac")
    assert diagnose.first_cause(results) is row
    # a question about containers with no GPU named asks nothing of Metal
    assert "container_on_mac" not in _topics(
        "Can this project be run in a Docker container on an Apple silicon Mac?\n"
    )


def test_a_container_beside_another_finding_adds_no_row():
    # dmlc/decord#225: "We can emulate x86 in our Docker containers locally" beside the stated
    # lack of an arm64 decord build, whose row is the finding
    text = (
        "There doesn't appear to be a decord build for ARMv8/M1.\n"
        "We can emulate x86 in our Docker containers locally but it'd be great if we could run "
        "the project natively.\n"
    )
    results = _rows(text)
    assert not any(r.data.get("claimed") == "container_on_mac" for r in results)
    assert diagnose.first_cause(results).id == "torch.installed"


def test_operators_said_missing_on_mps_warn_on_the_op_row():
    # torchgeo/torchgeo#1188: no operator named, the MPS backend said to lack many
    results = _rows(
        "macOS 14.2, Apple M2\nWhile this works fine with CUDA, the MPS backend is still missing "
        "implementations of many operators, so the tests will fail."
    )
    row = next(r for r in results if r.id == "error.mps.op_not_implemented")
    assert row.status is Status.WARN and claim_rows.claimed(row)
    assert "PYTORCH_ENABLE_MPS_FALLBACK=1" in row.fix.text
    # a package named "...-kernels" is no operator (casper-hansen/AutoAWQ#476's autoawq-kernels)
    pasted = envdump.parse(
        "Apple M2\nUnable to find installation candidates for autoawq-kernels (0.0.6): is it "
        "not supporting the mps chip?"
    )
    assert "ops_missing" not in [c.value for c in pasted.signs.get("sign.cause_said") or []]
