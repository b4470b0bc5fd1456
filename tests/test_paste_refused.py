"""A torch wheel pip refuses (verify.diagnosis.paste.refused): its tags taken apart by
packaging.utils.parse_wheel_filename, the line read once, and the interpreter's OS inferred from
a refused macOS wheel only where the paste names no other OS (issue 12)."""

from __future__ import annotations

import pytest

from verify.diagnosis import diagnose, paste
from verify.diagnosis.paste import refused
from verify.messages import CHECK_PYTHON_ARCH
from verify.model import Status

# the pip line as pip prints it (pip/_internal/req/req_install.py); the wheels are real PyPI files
ARM64 = (
    "ERROR: torch-2.1.0-cp310-none-macosx_11_0_arm64.whl is not a supported wheel on this platform."
)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        # pytorch/pytorch#4802
        (
            "torch-0.3.0.post4-cp35-cp35m-macosx_10_6_x86_64.whl",
            ("torch", "0.3.0.post4", "3.5", "macos", "macosx_10_6_x86_64"),
        ),
        # grenlayk/deep-text-edit#34: a local version
        (
            "torch-1.11.0+cu113-cp37-cp37m-linux_x86_64.whl",
            ("torch", "1.11.0+cu113", "3.7", "linux", "linux_x86_64"),
        ),
        # a compressed tag set (PEP 425): two Linux platform tags, one OS
        (
            "torch-2.4.1-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            ("torch", "2.4.1", "3.10", "linux", "manylinux2014_x86_64.manylinux_2_17_x86_64"),
        ),
        (
            "torchaudio-2.0.2-cp311-cp311-win_amd64.whl",
            ("torchaudio", "2.0.2", "3.11", "windows", "win_amd64"),
        ),
        # no one CPython, no one OS
        ("torch-2.4.1-py3-none-any.whl", ("torch", "2.4.1", "", "", "any")),
        ("torch-latest-cp310-none-any.whl", None),  # no version
    ],
)
def test_the_wheel_name_is_taken_apart_by_its_tags(filename, expected):
    assert refused.wheel(filename) == expected


def test_a_refused_macos_wheel_alone_is_a_mac_and_arm64_refused_is_x86_64():
    reading = paste.read(ARM64)
    assert reading.facts["os"] == "Darwin" and reading.facts["machine"] == "x86_64"
    assert reading.evidence["machine"] == [ARM64]
    # read once: one sign per refusal, none from the wheel-name readers
    assert [c.field for c in paste.all_clues(ARM64) if not c.field.startswith("sign.")] == []
    assert len(reading.signs["sign.wheel_refused"]) == 1
    assert reading.has("sign.pip_no_torch")


@pytest.mark.parametrize(
    "other",
    [
        "Ubuntu 22.04",
        'File "/home/me/project/setup.py", line 3, in <module>',
        "OS: Ubuntu 22.04.3 LTS (x86_64)",
        "docker run --rm -it python:3.10 pip install ./wheels/*",
    ],
)
def test_a_macos_wheel_refused_where_another_os_shows_is_not_read_as_a_mac(other):
    # a Mac's wheel handed to pip in Linux is refused just the same: the wheel's OS is not the
    # interpreter's, and its arm64 says nothing of the interpreter's architecture there
    reading = paste.read(other + "\n" + ARM64)
    assert reading.facts.get("os") != "Darwin"
    assert reading.facts.get("machine") != "x86_64" or "x86_64" in other
    assert reading.evidence.get("machine", []) != [ARM64]


def test_a_universal2_wheel_refused_says_nothing_of_the_architecture():
    text = ARM64.replace("arm64", "universal2")
    reading = paste.read(text)
    assert reading.facts["os"] == "Darwin"
    assert "machine" not in reading.facts


def test_a_linux_wheel_refused_is_no_mac():
    text = ARM64.replace(
        "2.1.0-cp310-none-macosx_11_0_arm64", "1.11.0+cu113-cp37-cp37m-linux_x86_64"
    )
    reading = paste.read(text)
    assert "os" not in reading.facts and "machine" not in reading.facts
    assert not reading.has("sign.pip_no_torch")
    assert reading.signs["sign.wheel_refused"][0].value[3] == "linux"


def _rows(text):
    _, results = diagnose.diagnose(text)
    return {r.id: r for r in results}


def test_any_packages_macos_wheel_for_another_cpython_is_the_python():
    # llvm/torch-mlir#1544 (bsergean's comment): a cp310 universal2 wheel on Python 3.9
    text = (
        "ERROR: torch_mlir-20221206.71-cp310-cp310-macosx_11_0_universal2.whl is not a supported "
        "wheel on this platform.\nI'm using python 3.9, maybe that cp310 in the file name means "
        "it needs to be used with python 3.10."
    )
    (value,) = [c.value for c in paste.read(text).signs["sign.wheel_refused"]]
    assert value == ("torch-mlir", "20221206.71", "3.10", "macos", "macosx_11_0_universal2")
    row = _rows(text)["host.python"]
    assert row.status is Status.FAIL
    assert "CPython 3.10" in row.cause and "Python 3.9" in row.cause
    assert "pip install torch-mlir==VERSION" in row.fix.text
    assert not paste.read(text).has("sign.pip_no_torch")  # not torch's own wheel


def test_another_packages_linux_wheel_refused_on_a_mac_is_a_wheel_for_another_system():
    # a requirements file pinning another package's Linux wheel by its URL fails the install on
    # a Mac as a CUDA build does (google-ai-edge/ai-edge-torch#67: torch_xla's linux_x86_64
    # nightly); the row names that package's wheel, not torch's
    text = "MacBook Pro M1\n" + ARM64.replace(
        "torch-2.1.0-cp310-none-macosx_11_0_arm64", "numpy-1.26.4-cp310-cp310-manylinux_2_17_x86_64"
    )
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and row.data["package"] == "numpy"
    assert "a wheel of numpy built for Linux" in row.cause
    torch_one = text.replace("numpy-1.26.4", "torch-2.1.0")
    row = _rows(torch_one)["torch.installed"]
    assert row.status is Status.FAIL and "numpy" not in row.cause


# hpprc/bert-classification-tutorial#1: Poetry installs the locked Linux CUDA wheel by its URL on
# an M2 MacBook Air and says only "Failed" (pip's refusal is in the CalledProcessError under it)
POETRY_FAILED = (
    "  • Installing torch (1.13.0+cu116 https://download.pytorch.org/whl/cu116/"
    "torch-1.13.0%2Bcu116-cp310-cp310-linux_x86_64.whl): Failed"
)


def test_a_wheel_poetry_failed_to_install_is_read_as_refused_not_as_the_torch_in_use():
    reading = paste.read(POETRY_FAILED)
    assert [c.value for c in reading.signs["sign.wheel_refused"]] == [
        ("torch", "1.13.0+cu116", "3.10", "linux", "linux_x86_64")
    ]
    assert "torch_version" not in reading.facts  # the URL's "torch-1.13.0%2B..." is a file name
    _, results = diagnose.diagnose("[環境]\nM2 Macbook Air\n\n" + POETRY_FAILED + "\n")
    row = next(r for r in results if r.id == "torch.installed")
    assert row.status is Status.FAIL and "Linux" in row.cause
    # a wheel Poetry installed is no refusal
    assert not paste.read(POETRY_FAILED.replace("Failed", "Installed")).signs.get(
        "sign.wheel_refused"
    )


# mlc-ai/mlc-llm#781 (verbatim): an M1 Pro whose macOS had not been updated "in ages" refused
# the macosx_13_0_arm64 nightly wheels
MLC_781 = (
    "➜ ~ pip3 install https://mlc.ai/wheels/mlc_ai_nightly-0.12.dev1397-cp39-cp39-macosx_13_0_"
    "arm64.whl\nDefaulting to user installation because normal site-packages is not writeable\n"
    "ERROR: mlc_ai_nightly-0.12.dev1397-cp39-cp39-macosx_13_0_arm64.whl is not a supported wheel "
    "on this platform."
)
# ml-explore/mlx#1055 (verbatim): the same refusal on "MacOS 14.4.1", the wheel's own macOS; the
# user's fix was an osx-arm64 conda environment
MLX_1055 = (
    "[BUG] Unable to install mlx on MacbookPro M3Pro with MacOS 14.4.1\n"
    "pip install ./mlx-0.12.0-cp312-cp312-macosx_14_0_arm64.whl\n"
    "Looking in indexes: http://mirrors.aliyun.com/pypi/simple/\n"
    "ERROR: mlx-0.12.0-cp312-cp312-macosx_14_0_arm64.whl is not a supported wheel on this "
    "platform."
)


@pytest.mark.parametrize(
    ("filename", "floor"),
    [
        ("mlc_ai_nightly-0.12.dev1397-cp39-cp39-macosx_13_0_arm64.whl", "13.0"),
        ("torch-2.12.0-cp312-none-macosx_14_0_arm64.whl", "14.0"),
        ("torch-2.1.0-cp310-none-macosx_11_0_arm64.whl", None),  # every arm64 Mac's macOS
        ("torch_mlir-20221206.71-cp310-cp310-macosx_13_0_universal2.whl", None),  # x86_64 too
        ("torch-1.11.0+cu113-cp37-cp37m-linux_x86_64.whl", None),
    ],
)
def test_an_arm64_wheel_tagged_past_macos_11_names_its_floor(filename, floor):
    needed = refused.needs_macos(refused.wheel(filename))
    assert (str(needed) if needed else None) == floor


def test_an_arm64_wheel_for_a_newer_macos_refused_is_that_macos_or_an_x86_64_python():
    # the macOS and the architecture both unknown: no x86_64 inferred, one row naming both
    reading = paste.read(MLC_781)
    assert reading.facts["os"] == "Darwin" and "machine" not in reading.facts
    rows = _rows(MLC_781)
    row = rows["host.macos"]
    assert row.status is Status.FAIL and rows["host.arch"].status is not Status.FAIL
    assert "macOS 13.0" in row.cause and "x86_64" in row.cause
    assert row.evidence[0].startswith("ERROR: mlc_ai_nightly-0.12.dev1397-cp39-cp39-macosx_13_0")
    assert row.fix.commands == ("sw_vers -productVersion", CHECK_PYTHON_ARCH)
    assert diagnose.first_cause(list(rows.values())).id == "host.macos"


def test_an_arm64_wheel_refused_on_its_own_macos_is_the_x86_64_python():
    reading = paste.read(MLX_1055)
    assert reading.facts["macos_version"] == "14.4.1"
    assert reading.facts["machine"] == "x86_64"
    rows = _rows(MLX_1055)
    assert rows["host.arch"].status is Status.FAIL
    assert rows["host.macos"].status is not Status.FAIL


# harskish/sdui#6 (its title and first post, verbatim): a torch 1.13 nightly's macosx_12_0_arm64
# wheel refused in an Anaconda environment on an M1; the maintainer asked "What MacOS are you
# on? If it's not 12 then that would explain it.", and the reporter answered with a macOS past
# the tag
SDUI_6 = (
    "error on MBP M1\n\nPip subprocess error:\n"
    "ERROR: torch-1.13.0a0+gitc9f7557-cp310-cp310-macosx_12_0_arm64.whl is not a supported wheel "
    "on this platform.\n\nAny idea ? thanks."
)
SDUI_6_REPLY = (
    "actually MacOSX version  is 12.5.1 , maybe I hav't install the  PyTorch nightly version."
)


def test_the_macos_asked_for_settles_which_of_the_two_refused_the_wheel():
    row = _rows(SDUI_6)["host.macos"]
    assert row.status is Status.FAIL and "macOS 12.0" in row.cause and "x86_64" in row.cause
    # the answer: macOS 12.5.1 takes a 12.0 wheel, which leaves the x86_64 Python
    answered = SDUI_6 + "\n" + SDUI_6_REPLY
    assert paste.read(answered).facts["machine"] == "x86_64"
    rows = _rows(answered)
    assert rows["host.arch"].status is Status.FAIL
    assert rows["host.macos"].status is not Status.FAIL


def test_an_arm64_wheel_refused_on_an_older_macos_shown_is_the_macos():
    # #781's refusal beside a macOS below the wheel's tag, the cause its thread settled ("had
    # not updated my OS in ages")
    text = "macOS 12.6\n" + MLC_781
    assert "machine" not in paste.read(text).facts
    row = _rows(text)["host.macos"]
    assert row.status is Status.FAIL
    assert "this Mac runs macOS 12.6" in row.cause and "x86_64" not in row.cause
    assert "macOS 12.6" in row.evidence


def test_a_macos_tag_without_its_minor_infers_no_architecture():
    # pypa/packaging#604: "ERROR: scipy-1.9.3-cp310-cp310-macosx_13_arm64.whl is not a supported
    # wheel on this platform." - a tag packaging never produces, refused for that on any Mac
    text = (
        "ERROR: scipy-1.9.3-cp310-cp310-macosx_13_arm64.whl is not a supported wheel on this "
        "platform."
    )
    assert "machine" not in paste.read(text).facts
