"""What installers' refusals give away (issue 12): verify.diagnosis.paste.packages reads pip's,
uv's and
conda's messages into facts and signs; verify.diagnosis.resolver turns them into the host.arch /
torch.installed rows.

The snippets are the output formats of the tools named in each test (pip's resolver errors,
uv's resolver and install-time hints, conda's PackagesNotFoundError), not reports: real reports
are in tests/data/collect_env and their diagnoses are asserted in test_diagnose.py.
"""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest

from verify import messages as msg
from verify.diagnosis import diagnose, envdump
from verify.model import Status

DATA = Path(__file__).parent / "data"


def pasted(text):
    return envdump.parse(text)


def rows(text):
    _, results = diagnose.diagnose(text)
    return {r.id: r for r in results}, diagnose.first_cause(results)


def pip_no_match(requirement, versions, asked_by=""):
    return (
        f"ERROR: Could not find a version that satisfies the requirement {requirement}{asked_by} "
        f"(from versions: {versions})\nERROR: No matching distribution found for {requirement}\n"
    )


TO_2_2_2 = "1.13.1, 2.0.0, 2.0.1, 2.1.0, 2.1.1, 2.1.2, 2.2.0, 2.2.1, 2.2.2"


@pytest.mark.parametrize(
    "asked_by", ["", " (from invokeai)", " (from -r requirements.txt (line 3))"]
)
def test_pip_list_read_past_who_asked(asked_by):
    # pip names the requirement's origin between it and the list
    p = pasted(pip_no_match("torch==2.4.1", TO_2_2_2, asked_by))
    assert p.has("sign.pip_x86_only")
    assert (p.facts.os, p.facts.machine) == ("Darwin", "x86_64")


@pytest.mark.parametrize("requirement", ["torch==2.4.1", "torch~=2.3", "torch>=2.3.0"])
def test_a_later_release_asked_past_a_list_ending_at_2_2_is_x86_64(requirement):
    assert pasted(pip_no_match(requirement, TO_2_2_2)).has("sign.pip_x86_only")


def test_a_list_ending_at_2_2_proves_nothing_when_the_pin_is_older():
    # early 2024: 2.2.1 was the newest release for everyone; the +cu118 build is the problem
    text = pip_no_match("torch==2.1.2+cu118", "2.1.0, 2.1.1, 2.1.2, 2.2.0, 2.2.1") + "Apple M2\n"
    assert not pasted(text).has("sign.pip_x86_only")
    found, first = rows(text)
    assert first is not None and first.id == "torch.installed"
    assert found["host.arch"].status is Status.SKIP


def test_x86_64_python_of_unknown_chip_gets_the_arch_row():
    found, first = rows(pip_no_match("torch==2.6.0", TO_2_2_2))
    assert first is not None and first.id == "host.arch" and first.status is Status.FAIL
    assert "x86_64" in first.cause and "Rosetta" in first.cause and "Intel Mac" in first.cause
    assert any("2.2.2" in line for line in first.evidence)
    assert found["host.python"].status is not Status.FAIL


@pytest.mark.parametrize(
    ("chip", "says"), [("Chip: Apple M2 Pro\n", "Rosetta"), ("CPU: Intel Core i9\n", "Intel Mac")]
)
def test_the_chip_says_which(chip, says):
    _, first = rows(chip + pip_no_match("torch==2.6.0", TO_2_2_2))
    assert first is not None and first.id == "host.arch" and says in first.cause


# uv's resolver error, wrapped at the terminal's width as uv prints it
UV_RESOLVER = """\
  × No solution found when resolving dependencies:
  ╰─▶ Because torch==2.6.0 has no wheels with a matching platform tag (e.g.,
      `macosx_15_0_x86_64`) and you require torch==2.6.0, we can conclude
      that your requirements are unsatisfiable.

      hint: Wheels are available for `torch` (v2.6.0) on the following
      platforms: `manylinux_2_28_aarch64`, `manylinux1_x86_64`,
      `macosx_11_0_arm64`, `win_amd64`
"""  # noqa: RUF001 - uv prints these characters


def test_uv_tag_wrapped_over_lines_names_the_interpreter():
    p = pasted(UV_RESOLVER)
    assert (p.facts.os, p.facts.machine, p.facts.macos_version) == ("Darwin", "x86_64", "15.0")
    assert p.has("sign.pip_x86_only")
    platforms = p.signs["sign.wheel_platforms"][0].value
    assert "macosx_11_0_arm64" in platforms and len(platforms) == 4
    _, first = rows(UV_RESOLVER + "MacBook Pro M3\n")
    assert first is not None and first.id == "host.arch" and "Rosetta" in first.cause


def test_uv_tag_outweighs_a_wheel_named_in_prose():
    text = (
        UV_RESOLVER + "pip in another venv installs torch-2.6.0-cp312-none-macosx_11_0_arm64.whl\n"
    )
    assert pasted(text).facts.machine == "x86_64"


# uv's install-time hint (astral-sh/uv#10739)
UV_SYNC = (
    "error: Distribution `torch==2.5.1 @ registry+https://pypi.org/simple` can't be installed "
    "because it doesn't have a source distribution or wheel for the current platform\n\n"
    "hint: You're on macOS (`macosx_14_0_arm64`), but `torch` (v2.5.1) only has wheels for the "
    "following platform: `manylinux1_x86_64`\n"
)


def test_uv_wheels_for_other_systems_only_is_the_install_row():
    found, first = rows(UV_SYNC + "Python 3.12.1\n")
    assert first is not None and first.id == "torch.installed"
    assert "manylinux1_x86_64" in first.cause
    assert found["host.arch"].status is Status.PASS  # an arm64 interpreter
    assert found["host.python"].status is not Status.FAIL
    assert any("You're on macOS" in line for line in first.evidence)


def test_uv_naming_linux_wheels_for_a_python_the_release_lacks_fails_the_python_first():
    # uv's hint lists the wheels of this Python's tag: torch 2.5.1's only cp313 wheel is
    # manylinux1_x86_64, so under Python 3.13 the Python is left out as much as the pin
    # (doobidoo/mcp-memory-service#29, where the thread found the Python)
    found, first = rows(UV_SYNC + "Python 3.13.1\n")
    assert first is not None and first.id == "host.python" and "3.9-3.12" in first.cause
    installed = found["torch.installed"]
    assert installed.status is Status.FAIL
    assert "manylinux1_x86_64" in installed.cause and "2.6" in installed.cause  # cp313: 2.6+
    assert any("You're on macOS" in line for line in first.evidence)


def test_uv_without_a_hint_stays_a_python_question():
    # uv < 0.5.22 printed no hint: the pinned release's Python range is what the paste shows
    text = UV_SYNC.split("\n\n", maxsplit=1)[0] + "\nUsing CPython 3.13.1\nmacOS 15.0\n"
    _, first = rows(text)
    assert first is not None and first.id == "host.python"


def test_uv_wheels_for_this_mac_are_no_finding():
    text = UV_SYNC.replace("`manylinux1_x86_64`", "`manylinux1_x86_64`, `macosx_11_0_arm64`")
    found, _ = rows(text + "Python 3.12.4\n")
    assert found["torch.installed"].status is not Status.FAIL


# conda >= 23.10 prints the platform above the solve; conda/exceptions.py PackagesNotFoundError
CONDA_NOT_FOUND = """\
Channels:
 - pytorch
 - defaults
Platform: osx-64
Collecting package metadata (repodata.json): done
Solving environment: failed

PackagesNotFoundError: The following packages are not available from current channels:

  - pytorch==2.4.1

Current channels:

  - https://conda.anaconda.org/pytorch/osx-64
  - https://repo.anaconda.com/pkgs/main/osx-64
"""


def test_conda_on_osx_64_finds_no_pytorch_past_2_2():
    p = pasted(CONDA_NOT_FOUND)
    assert (p.facts.conda_subdir, p.facts.machine) == ("osx-64", "x86_64")
    assert p.has("sign.pip_x86_only") and p.has("sign.conda_no_torch")
    _, first = rows(CONDA_NOT_FOUND)
    assert first is not None and first.id == "host.arch"


def test_conda_forge_may_still_have_it():
    text = CONDA_NOT_FOUND.replace("pytorch/osx-64", "conda-forge/osx-64")
    assert not pasted(text).has("sign.pip_x86_only")


def test_a_cuda_index_on_a_mac_is_the_install_row():
    text = (
        "Looking in indexes: https://download.pytorch.org/whl/cu121\n"
        + pip_no_match("torch==2.4.0", "none")
        + "Apple M1 Pro\n"
    )
    found, first = rows(text)
    assert first is not None and first.id == "torch.installed" and "cu121" in first.cause
    assert found["host.python"].status is not Status.FAIL


def test_a_cuda_index_with_the_mac_named_only_in_words_is_the_install_row():
    # facebookresearch/perception_models#110, verbatim: no OS read, "I'm on OS X" said
    text = (
        "Hi. I try to install your package as per instructions (I'm on OS X), and at the first "
        "step I stumble with\n"
        "\u276f pip install torch==2.5.1 torchvision==0.20.1 torchaudio==2.5.1 --index-url "
        "https://download.pytorch.org/whl/cu124\n"
        "Looking in indexes: https://download.pytorch.org/whl/cu124\n"
        "ERROR: Could not find a version that satisfies the requirement torch==2.5.1 (from "
        "versions: none)\n"
        "ERROR: No matching distribution found for torch==2.5.1\n"
    )
    assert pasted(text).facts.os is None
    found, first = rows(text)
    assert first is not None and first.id == "torch.installed" and "cu124" in first.cause
    assert found["host.python"].status is not Status.FAIL
    # no Mac named: the index alone says nothing of this machine
    unnamed = text.replace(" (I'm on OS X)", "")
    assert rows(unnamed)[0]["torch.installed"].status is not Status.FAIL


def test_pypi_next_to_the_cuda_index_is_not_that():
    text = (
        "Looking in indexes: https://pypi.org/simple, https://download.pytorch.org/whl/cu121\n"
        + pip_no_match("torch==2.4.0", "none")
        + "Apple M1 Pro\n"
    )
    assert not pasted(text).has("sign.gpu_index")


def test_a_cuda_index_on_linux_is_no_finding():
    text = (
        "Looking in indexes: https://download.pytorch.org/whl/cu121\n"
        "Linux-6.8.0-45-generic-x86_64-with-glibc2.39\n" + pip_no_match("torch==2.4.0", "none")
    )
    found, _ = rows(text)
    assert found["torch.installed"].status is not Status.FAIL


# uv 0.4 printed no hint: the interpreter's architecture follows by elimination
UV_NO_HINT = (
    "Using CPython 3.9.12 interpreter at: /Users/me/opt/anaconda3/bin/python\n"
    "Creating virtual environment at: .venv\n"
    "error: Distribution `torch==2.5.0 @ registry+https://pypi.org/simple` can't be installed "
    "because it doesn't have a source distribution or wheel for the current platform\n"
)


def test_uv_names_the_interpreter_and_its_macos_path():
    p = pasted(UV_NO_HINT)
    assert (p.facts.os, p.facts.python_version) == ("Darwin", "3.9.12")


def test_no_wheel_for_a_python_the_release_supports_is_an_x86_64_interpreter():
    # torch 2.5.0 has a cp39 macosx_11_0_arm64 wheel: only an x86_64 Python finds none
    found, first = rows(UV_NO_HINT)
    assert first is not None and first.id == "host.arch" and "x86_64" in first.cause
    assert found["host.python"].status is not Status.FAIL
    _, first = rows(UV_NO_HINT + "MacBook Air M2\n")
    assert first is not None and first.id == "host.arch" and "Rosetta" in first.cause


def test_no_wheel_for_a_python_the_release_lacks_stays_a_python_question():
    text = UV_NO_HINT.replace("3.9.12", "3.13.1").replace("2.5.0", "2.5.1")
    found, first = rows(text)
    assert first is not None and first.id == "host.python"
    assert found["host.arch"].status is Status.SKIP


# Poetry's chooser (poetry/installation/chooser.py)
POETRY_CPU = (
    "  - Updating torch (2.2.0 -> 2.2.0+cpu): Failed\n\n  RuntimeError\n\n"
    "  Unable to find installation candidates for torch (2.2.0+cpu)\n"
)


def test_a_cpu_build_on_a_mac_is_the_install_row():
    _, first = rows(POETRY_CPU + "MacBook Pro M1, macOS 14.5\n")
    assert first is not None and first.id == "torch.installed" and "+cpu" in first.cause


def test_a_cpu_build_in_a_linux_container_on_a_mac_is_the_arm_linux_build():
    # astral-sh/uv#9878, verbatim lines: a Debian devcontainer on an M1 (linux/aarch64)
    text = (
        "PyTorch install fails on M1 using a Debian container ?\n\n"
        "Here trying to set up the pyproject to install torch. Currently I just tried installing "
        "within a Debian Container, on an M1. \n"
        "error: Distribution `torch==2.5.1+cpu @ registry+https://download.pytorch.org/whl/cpu` "
        "can't be installed because it doesn't have a source distribution or wheel for the "
        "current platform\n"
    )
    found, _ = rows(text)
    row = found["torch.installed"]
    assert row.status is Status.FAIL and "aarch64" in row.cause and "a Mac has" not in row.cause
    assert "platform_machine != 'aarch64'" in row.fix.text


def test_the_arm_linux_cpu_build_message_knows_when_plus_cpu_began():
    # the CPU index's aarch64 wheels carried no +cpu before the 2.6 nightlies
    # (pytorch/pytorch#110791) and have since (pytorch/pytorch#141619)
    old, _ = msg.pasted_cpu_build_in_arm_linux("torch==2.5.1+cpu")
    new, _ = msg.pasted_cpu_build_in_arm_linux("torch==2.8.0+cpu")
    assert "before 2.6 were published without the +cpu suffix" in old
    assert "has no build for it" in old and "has no build for it" not in new
    assert "since the 2.6 nightlies" in new and "leave aarch64 out" in new


def test_a_cpu_build_elsewhere_is_no_finding():
    found, _ = rows(POETRY_CPU + "Linux-6.8.0-45-generic-x86_64-with-glibc2.39\n")
    assert found["torch.installed"].status is not Status.FAIL


def test_a_cpu_build_pip_finds_nothing_for_on_a_mac_names_no_architecture():
    # no macOS wheel carries a local version, on either architecture: astral-sh/uv#5182 (uv's
    # own managed CPython for macos-aarch64) was read as an x86_64 interpreter, and so was
    # NBA-Betting/NBA_AI#31's sentence, as its rendered page reads (the backquotes gone)
    uv = corpus.load(DATA / "holdout4" / "uv-5182-cpu-index-plus-cpu-wheel-on-mac.txt")
    nba = (
        "Installing on macOS/Python 3.12 fails with No matching distribution found for "
        "torch==2.8.0+cpu. Pip cannot match the literal +cpu local-version string to the wheels "
        "on PyTorch\u2019s index\n"
    )
    for text in (uv.text, nba):
        found, first = rows(text)
        assert found["host.arch"].status is not Status.FAIL
        assert first is not None and first.id == "torch.installed"
    assert pasted(nba).signs["sign.pip_no_torch"][0].value == "torch==2.8.0+cpu"


def test_a_version_list_cut_or_broken_over_lines_is_still_read():
    cut = (
        "ERROR: Could not find a version that satisfies the requirement torch==2.4.1 "
        "(from versions: 1.13.1, 2.0.0, 2.2.2\n"
    )
    wrapped = (
        "ERROR: Could not find a version that satisfies the requirement torch==2.4.1 "
        "(from versions: 1.13.1, 2.0.0,\n2.1.0, 2.2.0, 2.2.1, 2.2.2)\n"
    )
    for text in (cut, wrapped):
        p = pasted(text)
        assert p.has("sign.pip_x86_only") and max(p.signs["sign.pip_versions"][0].value).public == (
            "2.2.2"
        )


# libmamba's solver messages (conda >= 23.10, mamba, micromamba)
LIBMAMBA = """\
Channels:
 - pytorch
 - defaults
Platform: osx-64
Collecting package metadata (repodata.json): done
Solving environment: failed

LibMambaUnsatisfiableError: Encountered problems while solving:
  - nothing provides requested pytorch 2.4.1**

Could not solve for environment specs
The following package could not be installed
└─ pytorch 2.4.1**  does not exist (perhaps a typo or a missing channel).
"""


def test_libmamba_on_osx_64_finds_no_pytorch_past_2_2():
    p = pasted(LIBMAMBA)
    assert p.has("sign.conda_no_torch") and p.has("sign.pip_x86_only")
    _, first = rows(LIBMAMBA + "Chip: Apple M1 Pro\n")
    assert first is not None and first.id == "host.arch" and "Rosetta" in first.cause
    assert not pasted(LIBMAMBA.replace("- defaults", "- conda-forge")).has("sign.pip_x86_only")


# PacktPublishing/Modern-Time-Series-Forecasting-with-Python#42 (verbatim, an M1 Pro): specs
# pinned to the pytorch channel, "channel::name"
CHANNEL_SPECS = """Platform: osx-arm64
Collecting package metadata (repodata.json): done
Solving environment: failed

LibMambaUnsatisfiableError: Encountered problems while solving:
  - nothing provides requested pytorch::torchvision
  - nothing provides requested pytorch::torchaudio
  - nothing provides requested pytorch::pytorch
  - nothing provides kaleido-core 0.1.0.* needed by python-kaleido-0.1.0-pyhd8ed1ab_0
"""


def test_a_spec_pinned_to_its_channel_is_read_by_its_package_name():
    by_id, first = rows(CHANNEL_SPECS)
    row = by_id["torch.installed"]
    assert row.status is Status.FAIL and first is row
    assert "no torchvision in its channels for osx-arm64" in row.cause
    assert "::" not in row.cause.partition(":")[0]


UV_LOCK = (
    "error: The current Python platform is not compatible with the lockfile's supported "
    "environments: `sys_platform == 'linux'`\n"
)


def test_a_lock_file_for_linux_only_is_the_install_row():
    _, first = rows(UV_LOCK)
    assert first is not None and first.id == "torch.installed" and "linux" in first.cause
    assert first.evidence and "lockfile" in first.evidence[0]


def test_a_lock_file_that_includes_darwin_is_not_that():
    text = UV_LOCK.replace("`sys_platform == 'linux'`", "`sys_platform == 'darwin'`")
    assert not pasted(text + "macOS 14.5, Apple M2\n").has("sign.lock_other_platform")


def test_uv_output_pasted_as_plain_text_with_a_version_range():
    # backticks lost, "e.g." with or without its comma, a range with a local version after <=
    text = (
        "  ╰─▶ ... torch>=2.6.0,<=2.10.0+cpu has no wheels with a matching\n"
        "      platform tag (e.g. macosx_26_0_x86_64) ...\n"
        "hint: Wheels are available for torch (v2.10.0+cpu) on the following platforms:\n"
        "manylinux_2_28_aarch64, manylinux_2_28_x86_64, ..., win_amd64, ...\n"
    )
    p = pasted(text)
    assert (p.facts.machine, p.facts.macos_version) == ("x86_64", "26.0")
    assert p.has("sign.pip_x86_only") and p.has("sign.wheel_platforms")
    _, first = rows(text)
    assert first is not None and first.id == "host.arch"


def test_a_torch_pin_older_than_any_arm64_wheel_is_the_install_on_apple_silicon():
    # marl-book/codebase#19: torch==1.8.* on an M2 with Python 3.7
    refusal = (
        "ERROR: Could not find a version that satisfies the requirement torch==1.8.* (from "
        "versions: 1.12.0, 1.12.1, 1.13.0, 1.13.1)\nERROR: No matching distribution found for "
        "torch==1.8.*\n"
    )
    text = "I am running into installation issues on my M2 (macOS 13.2.1)\n" + refusal
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "torch.installed" and first.status is Status.FAIL
    assert "older than any macOS arm64 wheel" in first.cause and first.data["pinned"] == "1.8"
    # a pin that has arm64 wheels, or an Intel Mac, is another matter
    for other in (text.replace("1.8.*", "1.13.*"), text.replace("my M2", "my Intel MacBook")):
        row = next(r for r in diagnose.diagnose(other)[1] if r.id == "torch.installed")
        assert "pinned" not in row.data


def test_a_cuda_index_in_a_programs_failed_pip_call_on_a_mac_is_the_install_row():
    # tin2tin/Pallaidium#3 (tests/data/holdout160): a Blender add-on's pip on a Mac, pip's own
    # output not shown, Python's CalledProcessError for the command
    path = next((Path(__file__).parent / "data" / "holdout160").glob("Pallaidium-3*.txt"))
    text = corpus.load(path).text
    _, first = rows(text)
    assert first is not None and first.id == "torch.installed" and "cu118" in first.cause
    # the same command not said to fail is no failure of it
    ran = text.replace("subprocess.CalledProcessError: Command", "Running")
    assert ran != text
    assert rows(ran)[0]["torch.installed"].status is not Status.FAIL
