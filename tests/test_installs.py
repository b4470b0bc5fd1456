"""What installers' refusals and the lines around them give away (issue 12):
verify.diagnosis.paste.pytags,
verify.diagnosis.paste.downloads, verify.diagnosis.install_rows and verify.diagnosis.resolver's
elimination of platforms.

Inputs are lines of real public reports (each cited); the whole reports are in
tests/data/collect_env and asserted by tests/test_diagnose.py.
"""

from __future__ import annotations

import pytest

from verify.diagnosis import diagnose, envdump
from verify.diagnosis.paste import companions, downloads, pytags
from verify.model import Status

# pytorch/pytorch#172993 (uv sync --no-build on macOS 26.2, CPython 3.14)
USING_HINT = (
    "hint: You're using CPython 3.14 (`cp314`), but `torchvision` (v0.25.0) only has wheels "
    "with the following Python ABI tag: `cp314t`"
)
# meta-pytorch/torchcodec#1022, wrapped at the terminal's width as pasted
REQUIRE_HINT = (
    "      hint: You require CPython 3.14 (`cp314`), but we only found wheels for `torchcodec` "
    "(v0.8.1) with the following Python ABI tags:\n      `cp310`, `cp311`, `cp312`, `cp313`"
)
# mindverse/Second-Me#32 (Poetry on an Intel Mac, the reporter's "python version 3.12")
POETRY_ALL_SKIPPED = "\n".join(
    (
        "Installing torch (2.5.1): Failed",
        "",
        "    | Unable to find installation candidates for torch (2.5.1)",
        "    | ",
        "    | This is likely not a Poetry issue.",
        "    | ",
        "    |   - 17 candidate(s) were identified for the package",
        "    |   - 17 wheel(s) were skipped as your project's environment does not support the "
        "identified abi tags",
        "    | ",
        "",
        "python version 3.12",
        "",
    )
)


def _signs(clues, name):
    return [c.value for c in clues if c.field == name]


def _row(text, check_id):
    _, results = diagnose.diagnose(text)
    return next(r for r in results if r.id == check_id), results


def test_uv_hints_name_the_release_and_the_tags_it_lacks():
    using = pytags.read(USING_HINT)
    assert _signs(using, "sign.no_wheel_for_python") == [
        ("torchvision", "0.25.0", "cp314", ("cp314t",))
    ]
    assert _signs(using, "python_version") == ["3.14"]  # uv's words about the running interpreter
    require = pytags.read(REQUIRE_HINT)
    assert _signs(require, "sign.no_wheel_for_python") == [
        ("torchcodec", "0.8.1", "cp314", ("cp310", "cp311", "cp312", "cp313"))
    ]
    assert _signs(require, "python_version") == []  # a resolution's Python, not the interpreter's
    # uv before 0.6 (the tensorflow report quoted in astral-sh/uv#13262's era)
    old = pytags.read(
        "tensorflow has no wheels with a matching Python version tag (e.g., `cp313`)\n"
        "hint: Wheels are available for `tensorflow` (v2.19.0) with the following Python ABI "
        "tags: `cp39`, `cp310`, `cp311`, `cp312`"
    )
    assert _signs(old, "sign.no_wheel_for_python")[0][:3] == ("tensorflow", "2.19.0", "cp313")


def test_a_tag_that_is_listed_or_an_abi3_wheel_is_no_refusal():
    for tags in ("`cp314`, `cp314t`", "`abi3`"):
        clues = pytags.read(USING_HINT.replace("`cp314t`", tags))
        assert _signs(clues, "sign.no_wheel_for_python") == []


def test_no_wheel_for_the_python_tag_fails_the_python_row_free_threaded_named():
    row, results = _row(USING_HINT, "host.python")
    assert row.status is Status.FAIL
    assert "free-threaded" in row.cause and "torchvision 0.25.0" in row.cause
    assert row.evidence and "cp314t" in row.evidence[0]
    assert diagnose.first_cause(results).id == "host.python"


def test_poetry_skipping_every_wheel_counts_only_when_all_candidates_were_skipped():
    assert _signs(pytags.read(POETRY_ALL_SKIPPED), "sign.every_wheel_skipped") == ["torch==2.5.1"]
    partly = POETRY_ALL_SKIPPED.replace("17 candidate(s)", "19 candidate(s)")
    assert _signs(pytags.read(partly), "sign.every_wheel_skipped") == []


def test_every_wheel_skipped_for_a_supported_python_leaves_macos_x86_64():
    """torch 2.5.1 ships cp312 wheels for macOS arm64, Linux and Windows: none fitting leaves
    macOS x86_64 (the thread: "2.2.2 is last version for Intel Mac")."""
    facts, results = diagnose.diagnose(POETRY_ALL_SKIPPED)
    arch = next(r for r in results if r.id == "host.arch")
    assert (facts.os, facts.machine) == ("Darwin", "x86_64")
    assert arch.status is Status.FAIL and "macOS x86_64" in arch.cause
    assert next(r for r in results if r.id == "host.python").status is not Status.FAIL
    assert diagnose.first_cause(results).id == "host.arch"


def test_elimination_needs_the_os_unknown_and_the_python_supported():
    on_linux = POETRY_ALL_SKIPPED + "OS: Ubuntu 22.04\n"
    facts, _ = diagnose.diagnose(on_linux)
    assert facts.machine is None  # a Linux box with no wheel: not this reasoning
    too_new = POETRY_ALL_SKIPPED.replace("python version 3.12", "python version 3.13")
    facts, results = diagnose.diagnose(too_new)  # torch 2.5.1 has no macOS cp313 wheel
    assert facts.machine is None
    assert next(r for r in results if r.id == "host.arch").status is not Status.FAIL


def test_a_mac_hosts_shell_prompt_says_the_command_ran_on_macos():
    # DeepGraphLearning/ULTRA#8's zsh prompt; PacktPublishing/LLM-Engineers-Handbook#26's
    # "MBP-de-Ronald"; hacksider/Deep-Live-Cam#927's "USERs-Air"; bash before macOS 10.15
    for line in (
        "(custom_env) me@MY-MBP ULTRA % pip install torch==2.1.0",
        "ronaldv@MBP-de-Ronald LLM-Engineers-Handbook % poetry env use 3.11",
        "(venv) user@USERs-Air Deep-Live-Cam % pip install -r requirements.txt",
        "Johns-MacBook-Pro:~ john$ pip install torch",
    ):
        clues = downloads.read(line)
        assert _signs(clues, "os") == ["Darwin"], line
        assert all("me@" not in c.line and "john" not in c.line for c in clues)  # host masked
    for line in (
        "root@4d525f9218ee:/# uv venv",  # astral-sh/uv#3437, Docker
        "user@ubuntu-server ~ % pip install torch",
        "me@macbeth ~ % pip install torch",
    ):
        assert downloads.read(line) == [], line


def test_a_cuda_index_from_a_mac_prompt_is_the_index_not_the_python():
    text = (
        "(custom_env) me@MY-MBP ULTRA % pip install torch==2.1.0 --index-url "
        "https://download.pytorch.org/whl/cu118\n"
        "Looking in indexes: https://download.pytorch.org/whl/cu118\n"
        "ERROR: Could not find a version that satisfies the requirement torch==2.1.0 (from "
        "versions: none)\nERROR: No matching distribution found for torch==2.1.0\n"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first.id == "torch.installed" and "cu118" in first.cause
    assert next(r for r in results if r.id == "host.python").status is not Status.FAIL


def test_a_libtorch_download_for_macos_x86_64_past_2_2_2_is_an_x86_64_toolchain():
    line = (
        "  Error: https://download.pytorch.org/libtorch/cpu/libtorch-macos-x86_64-2.4.0.zip: "
        "status code 403"
    )
    clues = downloads.read(line)  # LaurentMazare/tch-rs#897
    assert _signs(clues, "machine") == ["x86_64"]
    assert _signs(clues, "sign.libtorch_x86_64")[0][0] == "2.4.0"
    old = line.replace("2.4.0", "2.2.2")  # that archive exists: nothing to say
    assert _signs(downloads.read(old), "sign.libtorch_x86_64") == []
    row, _ = _row(line, "host.arch")
    assert row.status is Status.FAIL and "LibTorch 2.4.0" in row.cause


def test_an_intel_mac_asked_for_a_release_past_2_2_2_names_it():
    # ankane/torch.rb#59's title: a package-hyphen-version dependency
    text = "Unable to fulfill pytorch-2.6 dependency on Intel mac\n\nmac x86_64 users should stick"
    assert _signs(downloads.read(text), "sign.torch_requested") == ["2.6"]
    row, _ = _row(text, "host.arch")
    assert row.status is Status.FAIL and "2.6" in row.cause
    assert (
        _signs(
            downloads.read("torch-2.1.0-cp310-none-macosx_11_0_arm64.whl"), "sign.torch_requested"
        )
        == []
    )


def test_another_packages_x86_64_extension_under_an_arm64_python():
    # rsagroup/rsatoolbox#383 (M3, a package built from a Terminal under Rosetta)
    text = (
        "ImportError: dlopen(.../cengine/similarity.cpython-39-darwin.so, 0x0002): tried: "
        "'.../similarity.cpython-39-darwin.so' (mach-o file, but is an incompatible architecture "
        "(have 'x86_64', need 'arm64'))\n\nI have macbook M3 version\n"
    )
    row, _ = _row(text, "host.arch")
    assert row.status is Status.FAIL and "x86_64" in row.cause and row.evidence
    torch_own = text.replace("cengine/similarity", "torch/_C")
    row, results = _row(torch_own, "host.arch")
    assert row.status is not Status.FAIL  # torch's own library: the torch.installed row
    assert next(r for r in results if r.id == "torch.installed").status is Status.FAIL


def test_a_github_runner_label_names_its_hardware():
    # sktime/sktime#8127's title; the labels' hardware per GitHub's runner table
    title = "[MNT] `python 3.13` `macos-13` CI VM fails to install environment due to `torch`"
    clues = downloads.read(title)
    assert _signs(clues, "hardware_arm64") == [False] and _signs(clues, "machine") == ["x86_64"]
    for text, arm in (
        ("    runs-on: macos-14", True),
        ("  runs-on: [macos-15-intel]", False),
        ("tested on macos-13-xlarge runners", True),
        ("a macos-14-large runner", False),
    ):
        assert _signs(downloads.read(text), "hardware_arm64") == [arm], text
    assert downloads.read("macos-13 is old") == []  # no CI word: a version, not a runner
    assert downloads.read("runs-on: macos-latest") == []  # moved from Intel to arm64 in 2024
    compared = "passes on `macos-14` runners, fails on `macos-13` runners"
    assert downloads.read(compared) == []  # two kinds of runner: neither is the machine


def test_no_torch_at_all_for_a_python_newer_than_the_x86_64_wheels_on_an_intel_mac():
    text = (
        "[MNT] `python 3.13` `macos-13` CI VM fails to install environment due to `torch`\n\n"
        "ERROR: Could not find a version that satisfies the requirement torch!=2.0.1,<3.0.0,"
        ">=2.0.0 (from pytorch-forecasting) (from versions: none)\n"
    )
    row, results = _row(text, "host.arch")
    assert row.status is Status.FAIL and "Python 3.13" in row.cause and "3.8-3.12" in row.cause
    assert next(r for r in results if r.id == "host.python").status is not Status.FAIL
    arm = text.replace("`macos-13`", "`macos-14`")  # arm64 has cp313 wheels: not this finding
    row, _ = _row(arm, "host.arch")
    assert row.status is not Status.FAIL


def test_a_title_saying_where_it_fails_names_the_chip():
    # zackees/transcribe-anything#52: "Python errors on M1", an Intel Homebrew Python's frames
    text = (
        "Python errors on M1\n\n"
        '  File "/usr/local/Cellar/python@3.10/3.10.18/Frameworks/Python.framework/Versions/3.10/'
        'lib/python3.10/subprocess.py", line 526, in run\n'
    )
    facts, results = diagnose.diagnose(text)
    assert facts.chip == "Apple M1" and facts.translated is True
    assert diagnose.first_cause(results).id == "host.arch"
    for general in ("It does not run on M1 Macs.", "Tested on M2 chips only."):
        assert diagnose.diagnose(general + "\n" + text.split("\n", 2)[2])[0].chip is None


def test_a_cloud_server_running_mps_code_is_not_a_mac():
    # lowfuel/progrock-stable#37: Ubuntu on an AWS c5d.2xlarge, an old torch's MPS check
    text = (
        '    elif ("mps" in cl_args.device) or (torch.backends.mps.is_available()):\n'
        "AttributeError: module 'torch.backends' has no attribute 'mps'\n\n"
        "Environment:\n- Ubuntu 22.04 LTS\n- AWS c5d.2xlarge image\n"
    )
    row, results = _row(text, "host.os")
    assert row.status is Status.FAIL and "c5d.2xlarge" in row.cause
    assert diagnose.first_cause(results).id == "host.os"
    no_cloud = text.replace("- AWS c5d.2xlarge image\n", "")
    row, _ = _row(no_cloud, "host.os")
    assert row.status is not Status.FAIL  # an old torch on Linux: the torch row's story
    assert downloads.read("EC2 mac2-m2.metal host") == []  # EC2's Mac instances are Macs
    # a Mac's paste comparing with Colab keeps its own OS: the notebook says nothing of it
    facts, results = diagnose.diagnose(
        "Works on Google Colab, but on my M1 MacBook the loss is NaN with device='mps'.\n"
    )
    assert facts.os == "Darwin"
    assert not [r for r in results if r.status is Status.FAIL]


def test_a_solver_refusing_cuda_builds_with_no_os_named():
    # patriciogonzalezvivo/prisma#1: an environment.yml of CUDA 11.3 builds, the Mac named later
    text = (
        "Solving environment: failed\n\nResolvePackageNotFound:\n"
        "  - torchvision==0.11.1=py39_cu113\n  - cudatoolkit==11.3.1=h2bc3f7f_2\n"
        "  - pytorch==1.10.0=py3.9_cuda11.3_cudnn8.2.0_0\n"
    )
    row, _ = _row(text, "torch.installed")
    assert row.status is Status.FAIL and "cudatoolkit" in row.cause
    _, results = diagnose.diagnose(text + "OS: Ubuntu 20.04\n")
    assert all(r.status is not Status.FAIL for r in results if r.id == "torch.installed")


def test_pips_list_for_torchvision_ending_at_0_17_is_an_x86_64_mac():
    # torchvision 0.17.x pairs with torch 2.2.x, the last macOS x86_64 wheels; 0.1.6-0.2.2 are
    # pure Python and listed for any interpreter
    text = (
        "ERROR: Could not find a version that satisfies the requirement torchvision==0.18.0 "
        "(from versions: 0.1.6, 0.2.2.post3, 0.15.2, 0.16.0, 0.17.0, 0.17.1, 0.17.2)\n"
    )
    clues = companions.read(text)
    assert _signs(clues, "os") == ["Darwin"] and _signs(clues, "sign.pip_x86_only")
    facts, results = diagnose.diagnose(text + "Python 3.11.5\n")
    assert facts.machine == "x86_64"
    assert next(r for r in results if r.id == "host.arch").status is Status.FAIL
    older = text.replace("torchvision==0.18.0", "torchvision==0.17.1")  # listed: nothing proven
    assert companions.read(older) == []


def test_pips_list_starting_after_the_pinned_companion_is_the_python():
    # XDynames/SAI-app#15 (shortened): torchaudio 0.8.1 asked, the list starts at 0.11.0
    text = (
        "ERROR: Could not find a version that satisfies the requirement torchaudio==0.8.1 "
        "(from versions: 0.11.0, 0.11.0+cpu, 0.12.0, 0.13.0, 2.0.0, 2.0.1)\n"
    )
    row, _ = _row(text, "host.python")
    assert row.status is Status.FAIL and "torchaudio 0.8.1" in row.cause and "0.11.0" in row.cause
    only_pure = (  # pytorch/vision#1780: the pure-Python releases say nothing of the Python
        "ERROR: Could not find a version that satisfies the requirement torchvision==0.5 "
        "(from versions: 0.1.6, 0.1.7, 0.2.2.post3)\n"
    )
    assert companions.read(only_pure) == []


def test_file_on_the_interpreter_names_its_architecture():
    text = "$ file $(which python3)\n/usr/local/bin/python3: Mach-O 64-bit executable x86_64\n"
    assert _signs(companions.read(text), "machine") == ["x86_64"]
    universal = (
        "/Library/Frameworks/Python.framework/Versions/3.11/bin/python3: Mach-O universal "
        "binary with 2 architectures: [x86_64:Mach-O 64-bit executable x86_64] [arm64]"
    )
    assert _signs(companions.read(universal), "machine") == []


def test_the_linker_ignoring_an_x86_64_libtorch_on_apple_silicon():
    # LaurentMazare/tch-rs#440 (an M1, tch 0.6.1's LibTorch download), ld64's words
    line = (
        "note: ld: warning: ignoring file /Users/me/nntest/target/debug/build/torch-sys-3c7/out/"
        "libtorch/libtorch/lib/libtorch_cpu.dylib, building for macOS-arm64 but attempting to "
        "link with file built for macOS-x86_64\n"
    )
    row, results = _row(line, "host.arch")
    assert row.status is Status.FAIL and "x86_64 build" in row.cause and "arm64" in row.cause
    assert diagnose.first_cause(results).id == "host.arch"
    # Xcode 15's linker says it otherwise; the same reading
    prime = "ld: warning: ignoring file '/opt/libtorch/lib/libc10.dylib': found architecture "
    row, _ = _row(prime + "'x86_64', required architecture 'arm64'\n", "host.arch")
    assert row.status is Status.FAIL and "x86_64 build" in row.cause
    # another library of the other architecture is not LibTorch's: no LibTorch cause
    other = line.replace("libtorch_cpu.dylib", "libfoo.dylib")
    row, _ = _row(other, "host.arch")
    assert "LibTorch" not in row.cause
    # quoted from the file on (LaurentMazare/tch-rs#488, an M1): the same warning
    quoted = (
        "lib/libtorch.dylib, building for macOS-arm64 but attempting to link with file built "
        "for macOS-x86_64\n"
    )
    row, _ = _row(quoted, "host.arch")
    assert row.status is Status.FAIL and "x86_64 build" in row.cause


def test_the_linker_ignoring_the_pythons_own_library_tells_the_pythons_architecture():
    # EricLBuehler/mistral.rs#252, verbatim (an M1): a Rust build for x86_64 (`--features mkl`)
    # against an arm64 Anaconda; the Python is arm64, the build is what is x86_64
    line = (
        "= note: ld: warning: ignoring file /Users/wwz/anaconda3/lib/libpython3.10.dylib, "
        "building for macOS-x86_64 but attempting to link with file built for macOS-arm64\n"
    )
    facts, results = diagnose.diagnose("My mac has an m1 chip\n" + line)
    assert facts.machine == "arm64"
    assert next(r for r in results if r.id == "host.arch").status is not Status.FAIL
    # the other way round (an x86_64 Python under a native build) is an x86_64 Python
    other = line.replace("macOS-x86_64", "macOS-@").replace("macOS-arm64", "macOS-x86_64")
    facts, _ = diagnose.diagnose("My mac has an m1 chip\n" + other.replace("@", "arm64"))
    assert facts.machine == "x86_64"


def test_libtorchs_symbols_undefined_for_arm64_warn_of_an_x86_64_libtorch():
    # pytorch/pytorch#104502 (an M1, the cmake output and the linker's summary in words only)
    text = (
        'However, when I go and execute the "make" command I get errors related to "Undefined '
        'symbols for architecture arm64" for c10.\n'
        "-- Found Torch: /Users/raulcardona/pytorch/libtorch/lib/libtorch.dylib  \n"
    )
    row, results = _row(text, "host.arch")
    assert row.status is Status.WARN and "2.2.0" in row.cause and "x86_64" in row.cause
    assert row.evidence and "Undefined symbols" in row.evidence[0]
    assert diagnose.first_cause(results).id == "host.arch"
    # the same words about a build that does not name LibTorch say nothing of it
    other = "Undefined symbols for architecture arm64:\n  _png_read_info, referenced from\n"
    assert "sign.libtorch_undefined_arm64" not in envdump.parse(other + "on my M1\n").signs


def test_condas_plan_installing_a_pytorch_older_than_mps_on_apple_silicon():
    # pytorch/pytorch#82428: `conda install pytorch -c pytorch` on an M1 in July 2022
    plan = (
        "The following NEW packages will be INSTALLED:\n"
        "  cffi               pkgs/main/osx-arm64::cffi-1.15.0-py38h22df2f2_1\n"
        "  pytorch            pkgs/main/osx-arm64::pytorch-1.10.2-cpu_py38h23cb94c_0\n"
    )
    row, results = _row(plan, "torch.installed")
    assert row.status is Status.FAIL and "1.10.2" in row.cause and "pkgs/main" in row.cause
    assert diagnose.first_cause(results).id == "torch.installed"
    current = plan.replace("pytorch-1.10.2-cpu", "pytorch-2.3.0-gpu")
    _, results = diagnose.diagnose(current)
    assert not [r for r in results if r.status is Status.FAIL]
    linux = plan.replace("osx-arm64", "linux-64")
    _, results = diagnose.diagnose(linux)
    assert not [r for r in results if r.status is Status.FAIL]


def test_a_cuda_pin_installed_on_mac_os_x_in_the_older_name():
    # scil-vital/TrackToLearn#29 ("installing on macosx"), pip's list shortened
    text = (
        "installing on macosx\n\n"
        "ERROR: Could not find a version that satisfies the requirement torch==1.9.1+cu111 "
        "(from versions: 1.4.0, 1.9.1, 2.0.0, 2.0.1)\n"
        "ERROR: No matching distribution found for torch==1.9.1+cu111\n"
    )
    row, _ = _row(text, "torch.installed")
    assert row.status is Status.FAIL and "torch==1.9.1+cu111" in row.cause
    facts, _ = diagnose.diagnose("installing on macosx 12 or later\n" + text[22:])
    assert facts.os is None  # a version range told is no machine


def test_about_this_macs_processor_line_names_an_intel_mac():
    # SWivid/F5-TTS#360: "MacBook Pro (15-inch, 2018)" / "Processor: 2,2 GHz 6-Core Intel Core i7"
    text = "MacBook Pro (15-inch, 2018)\nProcessor: 2,2 GHz 6-Core Intel Core i7\nPython 3.10.4\n"
    facts, results = diagnose.diagnose(text)
    assert facts.hardware_arm64 is False
    assert not [r for r in results if r.status is Status.FAIL]  # no MPS asked: no failure
    facts, _ = diagnose.diagnose(text.replace("Intel Core i7", "Apple M1 Pro"))
    assert facts.hardware_arm64 is not False


def test_a_cuda_build_of_torch_in_use_is_no_mac():
    # Sanster/IOPaint#230: an app's MPS check on a CUDA machine with torch 1.10.1+cu113
    text = (
        "Older versions of PyTorch do not support passing 'mps' as a device. "
        "I am using `torch==1.10.1+cu113`.\n"
        "E       RuntimeError: Expected one of cpu, cuda, xpu, mkldnn, opengl, opencl, ideep, "
        "hip, ve, ort, mlc, xla, lazy, vulkan, meta, hpu device type at start of device "
        "string: mps\n"
    )
    row, results = _row(text, "host.os")
    assert row.status is Status.FAIL and "1.10.1+cu113" in row.cause
    assert diagnose.first_cause(results).id == "host.os"
    # an install of one is an attempt, not the machine; a negation is no fact
    for other in ("pip install torch==1.10.1+cu113", "I am not using torch==1.10.1+cu113"):
        row, _ = _row(text.replace("I am using `torch==1.10.1+cu113`", other), "host.os")
        assert row.status is not Status.FAIL


def test_the_users_own_linux_machine_told_in_words():
    # lihaoyun6/ComfyUI-FlashVSR_Ultra_Fast#41: a node's torch.mps.is_available() on Linux
    text = (
        "Running this on a Linux system only works if I remove these two lines:\n"
        "    if torch.mps.is_available():\n        torch.mps.empty_cache()\n"
        "- **Exception Message:** module 'torch.mps' has no attribute 'is_available'\n"
    )
    facts, results = diagnose.diagnose(text)
    assert facts.os == "Linux"
    row = next(r for r in results if r.id == "host.os")
    assert row.status is Status.WARN and "lacks the MPS name" in row.cause
    negated = text.replace("Running this on a Linux system", "Not running this on a Linux system")
    facts, _ = diagnose.diagnose(negated)
    assert facts.os != "Linux"
    # a Linux machine compared with the user's Mac is not the machine in question
    for compared in (
        "It works fine on a Linux server, but on my MacBook the loss is NaN with device='mps'.\n",
        "I tested on a Linux box and an M2 Mac; with mps the output is garbage on torch 2.3.0.\n",
    ):
        facts, results = diagnose.diagnose(compared)
        assert facts.os != "Linux" and not [r for r in results if r.status is Status.FAIL]


# pytorch/pytorch#82483 (2022-07-29, an M1 Mac): the pytorch channel's osx-arm64 index without
# torchaudio
CONDA_NO_TORCHAUDIO = "\n".join(
    (
        "conda install pytorch torchvision torchaudio -c pytorch",
        "PackagesNotFoundError: The following packages are not available from current channels:",
        "",
        "  - torchaudio",
        "",
        "Current channels:",
        "",
        "  - https://conda.anaconda.org/pytorch/osx-arm64",
        "  - https://conda.anaconda.org/pytorch/noarch",
        "  - https://repo.anaconda.com/pkgs/main/osx-arm64",
    )
)


def test_conda_finding_no_torch_family_package_for_osx_arm64_is_the_install_row():
    row, results = _row(CONDA_NO_TORCHAUDIO, "torch.installed")
    assert row.status is Status.FAIL and "torchaudio" in row.cause and "osx-arm64" in row.cause
    assert any("torchaudio" in line for line in row.evidence)
    assert diagnose.first_cause(results).id == "torch.installed"


def test_the_error_and_one_torch_package_in_a_title_is_the_same_finding():
    # nadermx/backgroundremover#17's title, verbatim (an M1 Mac, the pytorch channel then)
    row, results = _row("M1 (Mac) PackagesNotFoundError: torchaudio", "torch.installed")
    assert row.status is Status.FAIL and "torchaudio" in row.cause
    assert row.evidence[0] == "M1 (Mac) PackagesNotFoundError: torchaudio"
    # the error's name followed by a sentence is no package named
    _, results = _row("M1 (Mac) PackagesNotFoundError: torchaudio is missing here", "host.os")
    assert not [r for r in results if r.id == "torch.installed" and r.status is Status.FAIL]


def test_conda_finding_no_torch_family_package_on_osx_64_is_not_this_row():
    row, _ = _row(CONDA_NO_TORCHAUDIO.replace("osx-arm64", "osx-64"), "torch.installed")
    assert "osx-arm64" not in row.cause


# conda-forge/pytorch-cpu-feedstock#366: pixi on an Intel Mac with macOS 10.14
PIXI_OSX = "\n".join(
    (
        "  × failed to solve the conda requirements of 'default' 'osx-64'",  # noqa: RUF001
        "      ├─ pytorch-cpu 2.6.0 would require",
        "      │     └─ pytorch 2.6.0 would require",
        "      │        └─ __osx >=10.15, for which no candidates were found.",
        "Now I got my hands on an old Intel Mac with macOS 10.14",
    )
)


def test_a_solver_finding_no_osx_virtual_package_is_a_macos_too_old():
    row, results = _row(PIXI_OSX, "host.macos")
    assert row.status is Status.FAIL and "10.15" in row.cause
    assert diagnose.first_cause(results).id == "host.macos"


@pytest.mark.parametrize(
    "said",
    [
        # resemble-ai/chatterbox#277
        "I need to install PyTorch 2.6.0, but i can only install versions up to 2.2.2.\n"
        "Is there a workaround to get PyTorch 2.6 on an Intel based Mac?",
        # alp-data/alp-data#15
        "Just to mention that any mac running on Intel CPU will not be able to install torch 2.6.",
    ],
)
def test_the_x86_64_ceiling_said_of_an_intel_mac_fails_the_arch(said):
    row, _ = _row(said, "host.arch")
    assert row.status is Status.FAIL and "2.2.2" in row.cause


# Vaibhavs10/insanely-fast-whisper#182: pipx's newer Python, the release asked for needs <= 3.11
PIP_OTHER_PYTHON = (
    "    ERROR: Ignored the following versions that require a different python version: 0.0.10 "
    "Requires-Python <=3.11,>=3.8; 0.0.11 Requires-Python <=3.11,>=3.8; 0.0.12 Requires-Python "
    "<=3.11,>=3.8; 0.0.13 Requires-Python <=3.11,>=3.8; 0.0.9 Requires-Python <=3.11,>=3.8\n"
    "    ERROR: Could not find a version that satisfies the requirement "
    "insanely-fast-whisper==0.0.13 (from versions: 0.0.1, 0.0.2, 0.0.3, 0.0.4, 0.0.5b0, 0.0.5b1, "
    "0.0.5b2, 0.0.5b3, 0.0.5, 0.0.6, 0.0.7, 0.0.8)\n"
    "    ERROR: No matching distribution found for insanely-fast-whisper==0.0.13\n"
)


def test_pip_skipping_the_release_asked_for_its_requires_python_fails_host_python():
    signs = [c for c in pytags.read(PIP_OTHER_PYTHON) if c.field == "sign.requires_other_python"]
    assert {c.value for c in signs} == {("insanely-fast-whisper", "0.0.13", "<=3.11,>=3.8", None)}
    results = diagnose.diagnose(PIP_OTHER_PYTHON)[1]
    row = next(r for r in results if r.id == "host.python")
    assert row.status is Status.FAIL and diagnose.first_cause(results) is row
    assert "requires Python <=3.11,>=3.8" in row.cause
    assert any("Ignored the following versions" in line for line in row.evidence)


def test_pip_skipping_other_releases_than_the_one_asked_for_is_no_python_finding():
    # onetrainer-169 (tests/data/collect_env): the skipped releases are another package's, the
    # refused pin is a CUDA build of torch - no Requires-Python of it is in the list
    text = PIP_OTHER_PYTHON.replace("insanely-fast-whisper==0.0.13", "torch==2.1.2+cu118")
    assert not [c for c in pytags.read(text) if c.field == "sign.requires_other_python"]


@pytest.mark.parametrize(
    ("text", "package", "spec", "python"),
    [
        # invoke-ai/InvokeAI#3003 (the title): pip's refusal of its one candidate
        (
            "ERROR: Package 'invokeai' requires a different Python: 3.11.0 not in '<3.11,>=3.9'",
            "invokeai",
            "<3.11,>=3.9",
            "3.11.0",
        ),
        # astral-sh/uv#10282: uv's resolver, wrapped at the terminal's width
        (
            "  ╰─▶ Because the current Python version (3.8.10) does not satisfy\n"
            "       Python>=3.10 and all versions of cbdep depend on Python>=3.10, we can\n"
            "       conclude that all versions of cbdep cannot be used.",
            "cbdep",
            ">=3.10",
            "3.8.10",
        ),
        # ggml-org/whisper.cpp#793: numba's own setup.py guard, in pip's source build
        (
            "Collecting numba\n  Using cached numba-0.56.4.tar.gz (2.4 MB)\n"
            "  Preparing metadata (setup.py) ... error\n"
            "      RuntimeError: Cannot install on Python version 3.11.3; only versions "
            ">=3.7,<3.11 are supported.",
            "numba",
            ">=3.7,<3.11",
            "3.11.3",
        ),
    ],
)
def test_a_package_refused_for_the_interpreters_python_fails_host_python(
    text, package, spec, python
):
    signs = [c for c in pytags.read(text) if c.field == "sign.requires_other_python"]
    assert [c.value for c in signs] == [(package, None, spec, python)]
    facts, results = diagnose.diagnose(text)
    assert facts.python_version == python
    row = next(r for r in results if r.id == "host.python")
    assert row.status is Status.FAIL and diagnose.first_cause(results) is row
    assert f"requires Python {spec}" in row.cause and f"Python {python}" in row.cause


# instructlab/instructlab#554, verbatim: pip refused the system 3.8.9; the user went on in a 3.12
INSTRUCTLAB_TWO_PYTHONS = (
    "Attempting to follow the install recipe. First, system python3\n\n```\n"
    "bash-5.2$ python3 --version\nPython 3.8.9\nbash-5.2$ python3 -m venv venv\n"
    "bash-5.2$ source venv/bin/activate\n"
    "(venv) bash-5.2$ pip install git+ssh://git@github.com/instruct-lab/cli.git@stable\n...\n"
    "ERROR: Package 'cli' requires a different Python: 3.8.9 not in '>=3.9'\n```\n\n"
    "OK. I have python3.12 available too (via Brew). With a new venv \n\n```\n"
    "bash-5.2$ deactivate\nbash-5.2$ rm -rf venv\n```\n\nthen\n\n```\n"
    "bash-5.2$ python3.12 --version\nPython 3.12.1\nbash-5.2$ python3.12 -m venv venv\n"
    "source bash-5.2$ source venv/bin/activate\n"
    "(venv) bash-5.2$ pip install git+ssh://git@github.com/instruct-lab/cli.git@stable\n...\n\n"
    "ERROR: Could not find a version that satisfies the requirement "
    "mlx!=0.3.*,!=0.4.*,!=0.5.0,<0.6.0,>=0.2.0 (from cli) (from versions: none)\n"
    "ERROR: No matching distribution found for mlx!=0.3.*,!=0.4.*,!=0.5.0,<0.6.0,>=0.2.0\n```\n"
)


def test_a_refusal_of_a_python_the_paste_moved_past_is_no_python_finding():
    title = "issues install mlx on macos/aarch64, python3.12, pip 23.3.1/24\n\n"
    facts, results = diagnose.diagnose(title + INSTRUCTLAB_TWO_PYTHONS)
    assert facts.python_version.startswith("3.12")
    row = next(r for r in results if r.id == "host.python")
    assert row.status is not Status.FAIL
    assert diagnose.first_cause(results).id == "torch.installed"
    # the refusal alone is still the Python's, told with the Python pip named
    alone = INSTRUCTLAB_TWO_PYTHONS.split("OK. I have", maxsplit=1)[0]
    row = next(r for r in diagnose.diagnose(alone)[1] if r.id == "host.python")
    assert row.status is Status.FAIL and "which Python 3.8.9 is not" in row.cause


def test_a_projects_requested_python_range_is_not_the_interpreters():
    # astral-sh/uv#12771: "the requested Python version (>=3.8)" is requires-python, no Python
    text = (
        "  ╰─▶ Because the requested Python version (>=3.8) does not satisfy\n"
        "      Python>=3.10 and your project depends on mcp[cli], we can conclude that\n"
    )
    assert not [
        c for c in pytags.read(text) if c.field in ("python_version", "sign.requires_other_python")
    ]


def test_another_package_named_torch_something_is_not_torchs_refusal():
    # llvm/torch-mlir#4275 on an M3: torch-mlir has no macOS wheel; Python 3.11 has torch wheels
    text = (
        "I followed the instructions but failed to install torch-mlir on my MacBook M3\n"
        "python --version\nPython 3.11.13\n"
        "ERROR: Could not find a version that satisfies the requirement torch-mlir (from versions: "
        "none)\nERROR: No matching distribution found for torch-mlir\n"
    )
    results = diagnose.diagnose(text)[1]
    assert next(r for r in results if r.id == "host.python").status is Status.PASS
    first = diagnose.first_cause(results)
    assert first.id == "torch.installed" and "torch-mlir" in first.cause


def test_conda_env_creates_resolve_package_not_found_is_read_as_its_list():
    # invoke-ai/InvokeAI#1354, verbatim: `conda env create`'s older wording for the same list
    text = (
        "### OS\nmacOS\n### What happened?\n"
        "The conda environment specifies a package called getpass_asterisk, which does not "
        "exist.\n"
        "```\n$ PIP_EXISTS_ACTION=w CONDA_SUBDIR=osx-arm64 conda env create -f "
        "environment-mac.yml\n"
        "Collecting package metadata (repodata.json): done\nSolving environment: failed\n"
        "ResolvePackageNotFound: \n  - getpass_asterisk\n```\n"
    )
    pasted = envdump.parse(text)
    assert [c.value for c in pasted.signs["sign.conda_no_package"]] == ["getpass_asterisk"]
    diagnose.diagnose(text)  # diagnosed, not refused (InputError) as before


def test_conda_finding_no_other_package_beside_an_installed_torch_still_fails_the_install():
    # pyg-team/pytorch_geometric#4549: torch was installed; pyg had no osx-arm64 conda build
    text = (
        "Conda installation failing in m1 macbook\n"
        "conda install pyg -c pyg\n"
        "PackagesNotFoundError: The following packages are not available from current channels:\n"
        "  - pyg\n"
        "Current channels:\n"
        "  - https://conda.anaconda.org/pyg/osx-arm64\n"
        "  - https://conda.anaconda.org/pyg/noarch\n"
        "* PyTorch version: 1.11\n"
        "* OS: Mac os\n"
    )
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "torch.installed")
    assert row.status is Status.FAIL and "no Apple-silicon build of pyg" in row.cause
    assert diagnose.first_cause(results).id == "torch.installed"
    # torch itself missing from the channels, with torch installed: no such row
    other = text.replace("  - pyg\n", "  - torchaudio\n")
    row = next(r for r in diagnose.diagnose(other)[1] if r.id == "torch.installed")
    assert row.status is Status.PASS


def test_conda_finding_no_other_package_on_an_arm64_mac_fails_torch_installed():
    # MontrealCorpusTools/Montreal-Forced-Aligner#372: built for osx-64 only then, on an M1
    text = (
        "Hi! I tried to install MFA on macOS 12.0.1 M1 with miniforge.\n"
        "PackagesNotFoundError: The following packages are not available from current channels:\n"
        "\n  - montreal-forced-aligner\n\nCurrent channels:\n\n"
        "  - https://conda.anaconda.org/conda-forge/osx-arm64\n"
        "  - https://conda.anaconda.org/conda-forge/noarch\n"
    )
    pasted = envdump.parse(text)
    assert [c.value for c in pasted.signs["sign.conda_no_package"]] == ["montreal-forced-aligner"]
    row = next(r for r in diagnose.diagnose(text)[1] if r.id == "torch.installed")
    assert (
        row.status is Status.FAIL
        and "no Apple-silicon build of montreal-forced-aligner" in row.cause
    )
    assert "conda search -c conda-forge montreal-forced-aligner" in row.fix.commands


# pytorch/pytorch#102267 (macOS 13.3.1), verbatim lines: torch 2.0.1's cp311 wheel under an alpha
PRERELEASE = (
    "ImportError: dlopen(/Users/victor/.virtualenvs/gfn-11/lib/python3.11/site-packages/torch/_C."
    "cpython-311-darwin.so, 0x0002): symbol not found in flat namespace '_PyFrame_GetLasti'\n"
    "```\n"
    "```\n"
    "python --version\n"
    "Python 3.11.0a6\n"
)


def test_an_alpha_or_beta_interpreter_fails_host_python_first():
    row, results = _row(PRERELEASE, "host.python")
    assert row.status is Status.FAIL and diagnose.first_cause(results).id == "host.python"
    assert "Python 3.11.0a6, a pre-release of Python 3.11" in row.cause
    assert row.evidence == ("Python 3.11.0a6",)
    assert row.fix.commands == ("uv python install 3.11", "uv venv --python 3.11")
    # a release candidate has the final ABI; a pre-release asked for is no interpreter in use
    for other in (
        PRERELEASE.replace("3.11.0a6", "3.11.0rc1"),
        PRERELEASE.replace("Python 3.11.0a6", "requires Python 3.11.0b1 or newer"),
    ):
        assert not envdump.parse(other).signs.get("sign.python_prerelease")
