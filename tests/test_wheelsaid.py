"""Which torch wheels exist, said in words (issue 12): verify.diagnosis.paste.wheelsaid and the
rows verify.diagnosis.install_rows makes of it.

Inputs are sentences of real public reports (each cited); the whole reports are in
tests/data/collect_env and asserted by tests/test_diagnose.py.
"""

from __future__ import annotations

import pytest

from verify.diagnosis import diagnose
from verify.diagnosis.paste import wheelsaid
from verify.model import Status

# EveryVoiceTTS/EveryVoice#329 (the maintainer's description, 2024-03-13)
EVERYVOICE = (
    "https://download.pytorch.org/whl/torch_stable.html does not include pre-compiled wheels "
    "for 2.1.0 with Python 3.12.\nTo support Python 3.12, we'll have to bump torch to >=2.2.0."
)
# FunAudioLLM/CosyVoice#501's title
COSYVOICE_TITLE = "torch2.4.1没有mac intel处理器版本\uff0c有没有替代方案\uff1f"


def _said(text):
    return [c.value for c in wheelsaid.read(text) if c.field == "sign.python_said_no_wheels"]


def _dropped(text):
    return [c.value for c in wheelsaid.read(text) if c.field == "sign.x86_64_said_dropped"]


def _rows(text):
    _, results = diagnose.diagnose(text)
    return {r.id: r for r in results}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (EVERYVOICE, [("2.1.0", "3.12")]),
        # malfet in pytorch/pytorch#112478
        ("Yes, there are no binary builds for Python-3.12 yet", [("", "3.12")]),
        # pytorch/pytorch#113787
        (
            "There is no torch linux version for python 3.12 i suspect you are using.",
            [("", "3.12")],
        ),
        # pytorch/pytorch#71112, a Markdown link around the words
        ("On PyPI, [there is no wheel for Python 3.10](https://pypi.org/x) yet.", [("", "3.10")]),
        # pytorch/pytorch#92826
        ("Wheel binaries are not available for Python 3.11 Windows x86-64", [("", "3.11")]),
        # malfet in pytorch/pytorch#67669
        ("PyTorch builds again python-3.10 are not yet supported for 1.10", [("1.10", "3.10")]),
        # Woolverine94/biniou#62: "3.1.0" is no release (a typo), so only the Python is kept
        ("   - `torch==3.1.0` has a wheel for py3.11, but NOT py3.12", [("", "3.12")]),
        # pytorch/pytorch#110436's title
        ("Pytorch for Python 3.12 not available", [("", "3.12")]),
    ],
)
def test_no_wheels_for_a_python_said_in_words(sentence, expected):
    assert _said(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Are there no wheels for Python 3.13?",  # a question
        "If there are no wheels for your Python 3.13, use 3.12",  # a condition
        # torch 2.5's macOS wheels do cover Python 3.12 (verify/data/torch_releases.json): the
        # release table contradicts the sentence, so it is not the cause
        "torch 2.5 does not support Python 3.12",
        # another package's wheels
        "sentencepiece wheels are not available for Python 3.13",
    ],
)
def test_questions_conditions_contradictions_and_other_packages_say_nothing(sentence):
    assert _said(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # i-dot-ai/redbox#345
        ("PyTorch 2.3.0 doesn't support Intel Macs (see [2.2 release notes](x)).", ["2.3.0"]),
        # climatepolicyradar/knowledge-graph#55
        ("Pytorch has deprecated support for intel macs.[^1][^2] Meaning it is not", [""]),
        # langflow-ai/langflow#12469
        ("PyTorch officially dropped macOS x86_64 (Intel) binary support after v2.2.2", [""]),
        # pytorch/pytorch#131766's title
        ("No PyTorch Build Distribution for Intel Macs (OSX64) in Latest Release", [""]),
        # monkeywithacupcake in mindverse/Second-Me#32
        ("My understanding is that version 2.2.2 is last version for Intel Mac", [""]),
        # everycure-org/matrix#932's title
        (
            "PyTorch macOS x86 builds were deprecated. torch==2.2.x is the last supported version.",
            [""],
        ),
        (COSYVOICE_TITLE, ["2.4.1"]),
        # e2b-dev/desktop#5: the Intel Mac the subject, the last release after it
        (
            "I'm unable to run desktop on my local. Macos x86 has been deprecated by since "
            "`torch==2.2.2 `",
            [""],
        ),
        # 2.2 has macOS x86_64 wheels: the sentence is about something else
        ("PyTorch 2.2 doesn't support Intel Macs", []),
        ("Is it true that PyTorch dropped support for Intel Macs?", []),
    ],
)
def test_no_intel_mac_builds_said_in_words(sentence, expected):
    assert _dropped(sentence) == expected


def test_a_release_said_to_lack_wheels_for_the_python_fails_that_row_with_the_first_that_has():
    row = _rows("We're not currently compatible with Python 3.12\n\n" + EVERYVOICE)["host.python"]
    assert row.status is Status.FAIL
    assert "torch 2.1.0 has no wheels for Python 3.12" in row.cause
    assert "3.8-3.11" in row.cause  # what 2.1.0's wheels cover (verify.compat)
    assert "start with 2.2" in row.cause  # the first release with Python 3.12 wheels
    assert any("pre-compiled wheels for 2.1.0" in line for line in row.evidence)


def test_the_interpreters_own_python_outweighs_a_sentence_about_another():
    # the paste shows Python 3.11.5 (a "Key: value" line) while a comment talks about 3.13
    text = "Python: 3.11.5\nOS: macOS 14.5\nThere are no wheels for Python 3.13 yet."
    assert _rows(text)["host.python"].status is not Status.FAIL


def test_an_intel_mac_said_and_a_release_past_2_2_2_fail_the_arch_row():
    body = "mac系统intel架构的\uff0cpip仓库没有torch==2.4.1怎么办\uff1f"
    rows = _rows(COSYVOICE_TITLE + "\n\n" + body)
    assert rows["host.arch"].status is Status.FAIL
    assert "2.4.1" in rows["host.arch"].cause


def test_deprecated_intel_mac_support_fails_the_arch_row_with_the_sentence_as_evidence():
    text = (
        "Pytorch has deprecated support for intel macs. Meaning it is not possible to setup the "
        "environment on these machines with a pytorch version over 2.2.2."
    )
    row = _rows(text)["host.arch"]
    assert row.status is Status.FAIL
    assert "Intel Mac" in row.cause and "2.2.2" in row.cause
    assert any("deprecated support for intel macs" in line for line in row.evidence)


def test_an_apple_silicon_mac_in_the_paste_is_not_made_an_intel_one():
    text = "Chip: Apple M2 Pro\nPyTorch no longer supports Intel Macs, so I moved to this one."
    rows = _rows(text)
    assert rows["host.arch"].status is not Status.FAIL


def test_a_cuda_index_told_to_serve_macos_fails_the_install_row():
    # nikopueringer/CorridorKey#82
    text = (
        "Without the platform marker, `uv sync` on macOS tries to pull wheels from the cu126 "
        "(CUDA-only) PyTorch index. These wheels don't include MPS support."
    )
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL
    assert "cu126" in row.cause


def test_a_release_said_to_have_arm64_only_macos_wheels_is_the_intel_mac_sign():
    # astral-sh/uv#7557, the reporter on an x86 Mac
    said = "I think the problem is `torch==2.4.1` provide supports for macOS, but only for the arm"
    assert _dropped(said + " architecture.") == ["2.4.1"]
    # 2.1.0 has macOS x86_64 wheels: the claim is not about the release's wheels
    assert _dropped("torch==2.1.0 supports macOS, but only for the arm architecture") == []


# grenlayk/deep-text-edit#34 (title and description: a requirements file's Linux CUDA wheel)
LINUX_WHEEL_ON_M1 = (
    "Trying to Install requirements.txt on M1 Mac\n\nERROR: torch-1.11.0+cu113-cp37-cp37m-"
    "linux_x86_64.whl is not a supported wheel on this platform."
)


def test_a_linux_wheel_refused_on_a_mac_fails_the_install_row():
    rows = _rows(LINUX_WHEEL_ON_M1)
    row = rows["torch.installed"]
    assert row.status is Status.FAIL
    assert "built for Linux" in row.cause and "linux_x86_64" in row.cause
    assert rows["host.python"].status is not Status.FAIL  # the Python is not what is wrong


def test_a_linux_wheel_refused_with_no_mac_in_sight_is_not_read_as_a_mac():
    text = "Ubuntu 22.04\n" + LINUX_WHEEL_ON_M1.split("\n\n")[1] + "\nPython 3.10.12"
    rows = _rows(text)
    assert rows["torch.installed"].status is not Status.FAIL


def test_a_macos_wheel_for_another_cpython_is_the_python_not_the_architecture():
    # pytorch/pytorch#4802: a cp35 wheel refused on Python 3.6 (an Intel MacBook Pro); the same
    # refusal of an arm64 cp310 wheel on Python 3.11 says nothing of Rosetta
    text = (
        "Python 3.11.4 on macOS 14.1 (M1)\nERROR: torch-2.1.0-cp310-none-macosx_11_0_arm64.whl "
        "is not a supported wheel on this platform."
    )
    rows = _rows(text)
    assert rows["host.python"].status is Status.FAIL
    assert "CPython 3.10" in rows["host.python"].cause
    assert rows["host.arch"].status is not Status.FAIL
    # the same wheel refused by a Python 3.10: then the interpreter is the x86_64 one
    same = text.replace("3.11.4", "3.10.4")
    assert _rows(same)["host.arch"].status is Status.FAIL


@pytest.mark.parametrize(
    ("sentence", "dropped"),
    [
        # sktime/sktime#8495 (title and body say it)
        (
            "It seems `ChronosForecaster` and `TinyTimeMixerForecaster` are incompatible with "
            "intel based mac architectures",
            [""],
        ),
        ("The install does not work on Intel Macs.", [""]),
        ("Is it incompatible with Intel Macs?", []),  # a question
        ("this app is not compatible with macOS 12", []),  # a macOS, not the Intel Mac
    ],
)
def test_what_a_project_runs_said_not_to_work_on_intel_macs(sentence, dropped):
    assert _dropped(sentence) == dropped


# pytorch/pytorch#67669's description: pip lists only torch 0.1.2's source placeholders
PLACEHOLDERS_ONLY = (
    "Not Being Able to Install PyTorch\n\n"
    "`Looking in links: https://download.pytorch.org/whl/cu113/torch_stable.html\n"
    "ERROR: Could not find a version that satisfies the requirement torch==1.10.0+cu113 (from "
    "versions: 0.1.2, 0.1.2.post1, 0.1.2.post2)\n"
    "ERROR: No matching distribution found for torch==1.10.0+cu113`"
)


def test_a_list_of_only_the_0_1_2_placeholders_is_pips_none():
    row = _rows(PLACEHOLDERS_ONLY)["host.python"]
    assert row.status is Status.FAIL
    assert "no PyTorch wheel at all" in row.cause
    # with real releases listed too (p-christ/Deep-Reinforcement-Learning-Algorithms-with-PyTorch
    # #49, Linux Python 3.6), the placeholders change nothing: that pin is a typo, not the Python
    listed = (
        "Could not find a version that satisfies the requirement torch==0.4.1.post2 (from -r "
        "requirements.txt (line 2)) (from versions: 0.1.2, 0.1.2.post1, 0.1.2.post2, 0.3.1, "
        "0.4.0, 0.4.1, 1.0.0, 1.0.1, 1.0.1.post2, 1.1.0, 1.2.0, 1.3.0, 1.3.1, 1.4.0)"
    )
    assert "no PyTorch wheel at all" not in _rows(listed)["host.python"].cause


def test_another_packages_missing_wheels_are_not_torchs():
    # (constructed guards: the subject of "has no wheels" names another package)
    assert _said("numpy has no wheels for Python 3.13") == []
    assert _said("PyTorch has no wheels for Python 3.13 yet") == [("", "3.13")]


def test_a_project_set_up_on_macos_makes_a_refused_cuda_pin_a_cuda_build_on_a_mac():
    # Celiali/Dessie#2: the title is pip's refusal, the description one sentence
    text = (
        "ERROR: No matching distribution found for torch==1.11.0+cu113\n\n"
        "Unable to setup the project on macOS"
    )
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL
    assert "torch==1.11.0+cu113" in row.cause
