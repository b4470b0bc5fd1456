"""verify.diagnosis.paste: the free-form readers, one kind of text at a time, and the reasoning
across facts.

The snippets are the output formats of the tools named in each test (the lines those tools print,
with the values they print), not reports: real reports are in tests/data/collect_env and their
diagnoses are asserted in test_diagnose.py.
"""

from __future__ import annotations

import re

import pytest

from verify.diagnosis import diagnose, envdump, paste
from verify.diagnosis.paste import clues
from verify.errors import InputError
from verify.model import Status

# `uname -a` from a Rosetta Terminal on Apple silicon: an arm64 kernel, an x86_64 shell
UNAME_ROSETTA = (
    "Darwin mbp.local 23.5.0 Darwin Kernel Version 23.5.0: Wed May  1 20:12:58 PDT 2024; "
    "root:xnu-10063.121.3~5/RELEASE_ARM64_T6000 x86_64"
)
SW_VERS = "ProductName:\t\tmacOS\nProductVersion:\t\t14.5\nBuildVersion:\t\t23F79\n"
# `accelerate env` (accelerate/commands/env.py)
ACCELERATE_ENV = """\
- `Accelerate` version: 0.21.0
- Platform: macOS-13.4.1-arm64-arm-64bit
- Python version: 3.10.12
- Numpy version: 1.25.1
- PyTorch version (GPU?): 2.0.1 (False)
- System RAM: 16.00 GB
"""
# `conda info` (conda/cli/main_info.py)
CONDA_INFO = """\
     active environment : base
            conda version : 23.7.4
      virtual packages : __archspec=1=x86_64
                         __osx=14.5=0
                         __unix=0=0
               platform : osx-64
"""
PIP_X86 = (
    "ERROR: Could not find a version that satisfies the requirement torch==2.4.0 (from versions: "
    "2.0.0, 2.0.1, 2.1.0, 2.1.1, 2.1.2, 2.2.0, 2.2.1, 2.2.2)\n"
    "ERROR: No matching distribution found for torch==2.4.0\n"
)
UV_X86 = (
    "  × No solution found when resolving dependencies:\n"  # noqa: RUF001 - uv prints it
    "  ╰─▶ Because torch==2.5.1 has no wheels with a matching platform tag (e.g., "
    "`macosx_14_0_x86_64`) and you require torch==2.5.1, we can conclude that your "
    "requirements are unsatisfiable.\n"
)


def facts(text):
    return envdump.parse(text).facts


def test_uname_under_rosetta():
    f = facts(UNAME_ROSETTA + "\nApple M1 Pro\n")
    assert (f.os, f.macos_version, f.hardware_arm64) == ("Darwin", "14.5", True)
    assert (f.machine, f.translated) == ("x86_64", True)


def test_sw_vers_system_profiler_and_sysctl():
    assert facts(SW_VERS + "torch 2.5.1\n").macos_version == "14.5"
    f = facts(
        "      Chip: Apple M1 Pro\n      Total Number of Cores: 10\nsysctl.proc_translated: 1\n"
    )
    assert (f.chip, f.hardware_arm64, f.translated) == ("Apple M1 Pro", True, True)
    intel = facts("      Processor Name: 6-Core Intel Core i7\n" + SW_VERS)
    assert (intel.hardware_arm64, intel.machine, intel.translated) == (False, "x86_64", False)


def test_version_lists_and_marketing_names():
    f = facts("- macOS 14.5\n- Apple M3 Pro\n- PyTorch 2.9.1\n- Python 3.13.2\n")
    assert (f.os, f.macos_version, f.chip) == ("Darwin", "14.5", "Apple M3 Pro")
    assert (f.torch_version, f.python_version, f.hardware_arm64) == ("2.9.1", "3.13.2", True)
    assert facts("OS: Sonoma 14.4\nChip: Apple M1 Max\n").macos_version == "14.4"
    assert facts("macOS Ventura on my M2 Pro Mac, torch 2.1.0\n").macos_version == "13.0"


def test_versions_a_message_requires_are_not_the_users():
    text = (
        "RuntimeError: The MPS backend is supported on MacOS 14.0+. Current OS version can be "
        "queried using `sw_vers`\nThis needs macOS 13.3 or newer and Python 3.9+\n"
        "pip install torch==2.6.0\n"
    )
    f = facts(text)
    assert f.macos_version is None and f.python_version is None and f.torch_version is None


def test_tool_dumps():
    f = facts(ACCELERATE_ENV)
    assert (f.macos_version, f.machine, f.python_version) == ("13.4.1", "arm64", "3.10.12")
    assert f.torch_version == "2.0.1"
    lightning = facts("GPU available: True (mps), used: True\nTPU available: False\n")
    assert (lightning.mps_available, lightning.mps_built) == (True, True)
    assert facts("Total VRAM 16384 MB, total RAM 16384 MB\nDevice: mps\n").mps_available is True
    config = "PyTorch built with:\n  - Build settings: BLAS_INFO=accelerate, USE_MPS=OFF, "
    assert facts(config + "TORCH_VERSION=2.2.2\n").mps_built is False


def test_conda_info_gives_an_osx_64_interpreter():
    f = facts(CONDA_INFO + "Chip: Apple M2\n")
    assert (f.conda_subdir, f.machine, f.macos_version) == ("osx-64", "x86_64", "14.5")
    assert f.translated is True  # x86_64 packages on an Apple chip


# opendatalab/MinerU#1358, verbatim lines (some of conda info's left out): `uname -m` in the shell
# says arm64, and `conda info` (cut above its "platform :" line) lists osx-64 channels
MINERU_CONDA_INFO = """(MinerU-test) qizhezhi@qizhezhideMBP 01_DEV % uname -m
arm64

(MinerU-test) qizhezhi@qizhezhideMBP 01_DEV % conda info

     active environment : MinerU-test
         python version : 3.12.7.final.0
       virtual packages : __archspec=1=m1
                          __conda=24.9.2=0
                          __osx=10.16=0
                          __unix=0=0
           channel URLs : https://repo.anaconda.com/pkgs/main/osx-64
                          https://repo.anaconda.com/pkgs/main/noarch
                          https://repo.anaconda.com/pkgs/r/osx-64
"""


def test_conda_infos_channels_are_condas_platform_over_the_shells_uname():
    f = facts(MINERU_CONDA_INFO)
    assert (f.conda_subdir, f.machine, f.hardware_arm64) == ("osx-64", "x86_64", True)
    row = next(r for r in diagnose.diagnose(MINERU_CONDA_INFO)[1] if r.id == "host.arch")
    assert row.status is Status.FAIL and "Rosetta" in row.cause
    assert "channel URLs : https://repo.anaconda.com/pkgs/main/osx-64" in row.evidence
    # the same conda on osx-arm64 channels: native, uname agrees
    native = MINERU_CONDA_INFO.replace("osx-64", "osx-arm64")
    assert facts(native).machine == "arm64"
    # its virtual packages alone: "__osx=10.16" is what macOS tells an x86_64 build
    virtual = MINERU_CONDA_INFO[
        MINERU_CONDA_INFO.index("       virtual") : MINERU_CONDA_INFO.index("  channel")
    ]
    assert (facts(virtual).machine, facts(virtual).macos_version) == ("x86_64", None)


# AutoGPTQ/AutoGPTQ#562 (on Windows 11), verbatim: pip -v passing over torch's macOS wheels
PIP_SKIPPED_LINK = (
    "  Skipping link: none of the wheel's tags (cp35-none-macosx_10_6_x86_64) are compatible "
    "(run pip debug --verbose to show compatible tags): https://pypi.tuna.tsinghua.edu.cn/packages"
    "/80/f6/4908d4e62e4ff5d68727bc687a550acfaae7821a0e945930762e210a3b54/torch-1.1.0.post2-cp35-"
    "none-macosx_10_6_x86_64.whl#sha256=9f4182043f8ac72d6fd52c5189f1600c94e827b698748c355097077874e"
    "8c810 (from https://pypi.tuna.tsinghua.edu.cn/simple/torch/)\n"
)


def test_wheels_pips_finder_skips_are_not_the_interpreters():
    assert not {"os", "machine", "python_version"} & set(paste.read(PIP_SKIPPED_LINK).facts)
    with pytest.raises(InputError):  # nothing else in it: no facts of the machine at all
        envdump.parse(PIP_SKIPPED_LINK)


def test_wheels_poetry_skips_are_not_the_interpreters():
    # python-poetry/poetry#9442, verbatim: Poetry's chooser passes over every wheel of torch
    # 2.3.0 it cannot use, a macOS arm64 one for each CPython among them
    skipped = "".join(
        f"Skipping wheel torch-2.3.0-{tag}.whl as this is not supported by the current "
        "environment\n"
        for tag in (
            "cp310-cp310-manylinux1_x86_64",
            "cp310-none-macosx_11_0_arm64",
            "cp311-none-macosx_11_0_arm64",
        )
    )
    f = facts("Cannot install torch on MacOS\n" + skipped)
    assert (f.python_version, f.machine) == (None, None)
    # the same wheel fetched is the interpreter's
    fetched = facts("Downloading torch-2.3.0-cp311-none-macosx_11_0_arm64.whl\n")
    assert fetched.machine == "arm64"


# `conda list` rows of Anaconda's defaults channel: MouseLand/cellpose#1468 (an Intel iMac),
# pytorch/pytorch#122602 (an M-series Mac), verbatim
@pytest.mark.parametrize(
    "row, subdir, machine",
    [
        ("ca-certificates            2025.7.15        hecd8cb5_0", "osx-64", "x86_64"),
        ("ca-certificates           2024.3.11            hca03da5_0  ", "osx-arm64", "arm64"),
    ],
)
def test_conda_lists_defaults_build_hash_gives_the_subdir(row, subdir, machine):
    f = facts(f"macOS\n```\nbzip2                      1.0.8            h6c40b1e_6\n{row}\n```\n")
    assert (f.conda_subdir, f.machine) == (subdir, machine)
    # the hash inside another build string, or as a version, is no build of defaults
    assert facts("macOS\nfoo  1.0  py39h0ecd8cb5_0\nbar  hecd8cb5_0  1.0\n").conda_subdir is None


@pytest.mark.parametrize("text", [PIP_X86, UV_X86], ids=["pip", "uv"])
def test_resolver_errors_give_away_an_x86_64_interpreter(text):
    f = facts(text + "MacBook Pro M1, macOS 14.5\n")
    assert (f.os, f.machine, f.translated) == ("Darwin", "x86_64", True)
    _, results = diagnose.diagnose(text + "MacBook Pro M1, macOS 14.5\n")
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and "Rosetta" in first.cause
    assert any("x86_64" in line or "2.2.2" in line for line in first.evidence)


def test_dyld_wrong_architecture():
    text = (
        "ImportError: dlopen(/opt/lib/python3.11/site-packages/torch/_C.cpython-311-darwin.so, "
        "0x0002): tried: '...' (mach-o file, but is an incompatible architecture (have 'x86_64', "
        "need 'arm64'))\n"
    )
    f = facts(text)
    assert (f.os, f.machine, f.python_version) == ("Darwin", "arm64", "3.11")


def test_old_dyld_wrong_architecture_of_torchs_library_is_its_import_error():
    # pytorch/vision#3696 (the issue's text, verbatim): macOS 11's dyld names neither side
    text = (
        "OSError: dlopen(/Users/distiller/project/env/lib/python3.9/site-packages/torch/lib/"
        "libtorch_global_deps.dylib, 10): no suitable image found.  Did find:\n"
        "\t/Users/distiller/project/env/lib/python3.9/site-packages/torch/lib/"
        "libtorch_global_deps.dylib: mach-o, but wrong architecture\n"
    )
    f = facts(text)
    assert (f.os, f.torch_import_error) == ("Darwin", "mach-o, but wrong architecture")
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first is not None and first.id == "torch.installed"
    assert "different CPU architecture" in first.cause
    assert any("wrong architecture" in line for line in first.evidence)
    # another package's library: a Mac, but not torch's import error (KomputeProject/kompute#223)
    other = "\t.../kp.cpython-39-darwin.so: mach-o, but wrong architecture\n"
    assert (facts(other).os, facts(other).torch_import_error) == ("Darwin", None)


def test_old_dyld_wrong_architecture_of_a_tagged_egg_names_both_sides():
    # rusty1s/pytorch_scatter#183 (the text, verbatim): the refused file's egg tag says
    # x86_64, so the conda-forge Python that refused it runs arm64 - an extension built for the
    # other architecture, rebuilt natively to fix it
    text = (
        "(pytorch) fengshi:Downloads% python\n"
        "Python 3.8.6 | packaged by conda-forge | (default, Dec 22 2020, 09:53:24) \n"
        "[Clang 11.0.0 ] on darwin\n"
        ">>> import torch_scatter\n"
        "OSError: dlopen(/Users/fengshi/miniforge3/envs/pytorch/lib/python3.8/site-packages/"
        "torch_scatter-2.0.5-py3.8-macosx-10.9-x86_64.egg/torch_scatter/_version.so, 6): no "
        "suitable image found.  Did find:\n"
        "\t/Users/fengshi/miniforge3/envs/pytorch/lib/python3.8/site-packages/torch_scatter-2.0.5"
        "-py3.8-macosx-10.9-x86_64.egg/torch_scatter/_version.so: mach-o, but wrong architecture\n"
    )
    f = facts(text)
    assert (f.os, f.machine, f.torch_import_error) == ("Darwin", "arm64", None)
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first is not None and (first.id, first.status) == ("host.arch", Status.FAIL)
    assert any("x86_64.egg" in line for line in first.evidence)
    # an untagged path names neither side (KomputeProject/kompute#223)
    other = "\t.../kp.cpython-39-darwin.so: mach-o, but wrong architecture\n"
    assert facts(other).machine is None


def test_unticked_template_boxes_are_not_the_users():
    assert facts("- [ ] macOS 11\n- [x] macOS 14\nApple M1\n").macos_version == "14.0"


def test_pythons_tried_instead_are_not_the_users():
    # pytorch/pytorch#70394 and C0untFloyd/roop-unleashed#1046, verbatim sentences: the versions
    # tried in place of the Python in use say nothing of which one ran
    tried = (
        "I tried several different  python versions, such as python 3.9/3.8/3.7 using "
        "Conda/pyenv environment, but it always got the Intel MKL FATAL ERROR:",
        "I also tried installing older versions of Python (3.10 and 3.11) and re-installing "
        "torch several times.",
    )
    for sentence in tried:
        assert facts("Apple M3\n" + sentence).python_version is None, sentence
    # a Python said after an attempt at something else is still the user's
    said = "Apple M3\nI tried reinstalling torch with Python 3.12.4"
    assert facts(said).python_version == "3.12.4"


def test_clues_name_their_line():
    found = paste.all_clues(ACCELERATE_ENV)
    torch = next(c for c in found if c.field == "torch_version")
    assert torch.line == "- PyTorch version (GPU?): 2.0.1 (False)"


# --- reasoning across facts ---------------------------------------------------------------------


def test_linux_inside_a_mac_is_told_metal_does_not_reach_it():
    text = (
        "Python platform: Linux-6.10.14-linuxkit-aarch64-with-glibc2.36\nPyTorch version: 2.5.1\n"
        "Is debug build: False\nOS: Debian GNU/Linux 12 (bookworm) (aarch64)\n"
    )
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "host.os")
    assert row.status is Status.FAIL and "container or virtual machine on a Mac" in row.cause
    assert any("linuxkit" in line for line in row.evidence)
    assert diagnose.first_cause(results) is row
    # the same Linux without any sign of a Mac is a Linux host: nothing to fix
    plain = text.replace("linuxkit", "generic")
    assert not [r for r in diagnose.diagnose(plain)[1] if r.status is Status.FAIL]


def test_macos_floor_message_on_a_newer_macos_is_no_metal_device():
    text = (
        "RuntimeError: The MPS backend is supported on MacOS 14.0+. Current OS version can be "
        "queried using `sw_vers`\n" + SW_VERS.replace("14.5", "15.2") + "torch 2.9.1\n"
    )
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "error.mps.macos_too_old")
    assert "Metal device" in row.cause and "15.2" in row.cause
    assert any("ProductVersion" in line for line in row.evidence)


def test_intel_mac_wanting_its_gpu_is_told_so():
    text = "Mac Pro with an AMD Radeon Pro 580X, macOS 12.6, want to use the GPU with torch 2.2.2\n"
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and "Intel Mac" in first.cause


def test_code_is_not_output():
    # `if ... == False:` in a script is code; "False" on the line after a REPL call is output
    code = "Apple M2, macOS 14.5\nif torch.backends.mps.is_available() == False:\n    print(1)\n"
    assert facts(code).mps_available is None
    repl = "Apple M2, macOS 14.5\n>>> torch.backends.mps.is_available()\nFalse\n"
    assert facts(repl).mps_available is False


def test_a_linuxkit_kernel_is_linux_on_a_mac():
    # `uname -a` in a Docker Desktop container (its VM runs a "linuxkit" kernel)
    text = (
        "uname -a: Linux 3f2c 6.6.12-linuxkit #1 SMP Fri Jan 19 08:53:17 UTC 2024 x86_64 "
        "GNU/Linux\n>>> torch.backends.mps.is_available()\nFalse\n"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.os" and "on a Mac" in first.cause


def test_sysctl_translated_means_an_x86_64_process():
    text = "$ sysctl sysctl.proc_translated\nsysctl.proc_translated: 1\nmacOS 14.4, M1 Pro\n"
    f = facts(text)
    assert (f.machine, f.translated, f.hardware_arm64) == ("x86_64", True, True)


@pytest.mark.parametrize(
    "shell",
    [
        "$ sysctl sysctl.proc_translated\nsysctl.proc_translated: 1\n",
        # `-n` prints the value alone, on the next line
        "% sysctl -in sysctl.proc_translated\n1\n",
    ],
)
def test_sysctl_translated_alone_is_rosetta_on_a_mac(shell):
    # the key is macOS's own and 1 only for a process Rosetta 2 runs, so it names the OS and
    # the Apple chip even with nothing else in the paste
    text = shell + '$ python -c "import torch; print(torch.backends.mps.is_available())"\nFalse\n'
    f = facts(text)
    assert (f.os, f.machine, f.translated, f.hardware_arm64) == ("Darwin", "x86_64", True, True)
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and "Rosetta" in first.cause


def test_sysctl_of_a_native_shell_says_no_rosetta_and_names_the_os():
    f = facts("$ sysctl -n sysctl.proc_translated\n0\n$ sysctl -n hw.optional.arm64\n1\n")
    assert (f.os, f.translated, f.hardware_arm64) == ("Darwin", False, True)
    # a bare 0 / 1 with no sysctl command before it is nobody's flag
    assert facts("macOS 14.4\nsysctl.proc_translated\n1\n").translated is None


def test_torch_stuck_at_2_2_on_an_apple_chip_is_rosetta():
    # issue 12: torch 2.2.x (the last x86_64 macOS release) on an Apple chip that cannot get an
    # MPS device on a new macOS is an x86_64 build under Rosetta, which reads macOS as 10.16
    error = (
        "RuntimeError: The MPS backend is supported on MacOS 12.3+.Current OS version can be "
        "queried using `sw_vers`"
    )
    text = f"M1 MacBook Pro, macOS 14.4, torch 2.2.2\n{error}\n"
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and "Rosetta" in first.cause
    assert "M1 MacBook Pro, macOS 14.4, torch 2.2.2" in first.evidence
    # a newer torch with the same message on the same Mac is no Metal device in this process
    _, results = diagnose.diagnose(text.replace("2.2.2", "2.5.1"))
    row = next(r for r in results if r.id == "error.mps.macos_too_old")
    assert "Metal device" in row.cause


def test_other_systems_named_in_words():
    text = (
        "Windows 11, python 3.10\nRuntimeError: PyTorch is not linked with support for mps devices"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.os" and "Windows" in first.cause


def test_torch_built_for_the_other_architecture():
    text = (
        "import torch\nImportError: dlopen(/opt/miniforge3/lib/python3.10/site-packages/torch/"
        "_C.cpython-310-darwin.so, 0x0002): tried: '...' (mach-o file, but is an incompatible "
        "architecture (have 'x86_64', need 'arm64'))\n"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "torch.installed"
    assert "different CPU architecture" in first.cause
    # pip refusing an arm64 wheel: the interpreter is x86_64 (Rosetta on an M1)
    refused = "ERROR: torch-2.1.0-cp310-none-macosx_11_0_arm64.whl is not a supported wheel on "
    _, results = diagnose.diagnose(refused + "this platform.\nMacBook Pro M1\n")
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch"


def test_compat_macos_versions_are_read_as_the_real_ones():
    # python/cpython#135675: an old-SDK Python on macOS 26 is told "16.0"; "10.16" says nothing
    assert facts("- macOS 16.0\n- Apple M4\n- torch 2.9.0\n").macos_version == "26.0"
    assert facts("Python platform: macOS-16.0-arm64-arm-64bit torch 2.9").macos_version == "26.0"
    assert facts("macOS 10.16, Apple M1, torch 2.1.0\n").macos_version is None


def test_the_intel_only_macos_names_are_read():
    # apple/coremltools#1320: an old Mac's macOS by its name and number, too old for MPS
    said = (
        "The import of coremltools (version 5.0) fails with the following exception on OS X "
        "Mojave 10.14.6, I tried with Python 3.6, 3.7, and 3.8:\n"
    )
    f = facts(said)
    assert (f.os, f.macos_version) == ("Darwin", "10.14.6")
    assert facts("macOS High Sierra, torch 1.4.0\n").macos_version == "10.13"
    assert facts("Sierra Nevada dataset, torch 2.3.0 on an M2\n").macos_version is None


def test_a_library_refusing_the_platform_names_the_os():
    # zai-org/ChatGLM-6B#6: cpm_kernels refuses sys.platform; code that tests it says nothing
    assert facts("RuntimeError: Unknown platform: darwin\nMac support?\n").os == "Darwin"
    assert facts("OSError: Unsupported platform 'linux', torch 2.1.0\n").os == "Linux"
    # (a paste that names the Mac at all is diagnosed, not refused: the OS stays unknown)
    assert facts("if sys.platform == 'darwin':\n    device = 'cpu'\n").os is None


def test_a_version_left_behind_is_not_the_users():
    # "from Big Sur to Monterey 12.4": the user runs 12.4, not 11
    f = facts("I upgraded from Big Sur to Monterey 12.4 on my M1 and torch 2.0.1 broke\n")
    assert f.macos_version == "12.4"
    # a name alone is its first release, except where that would cross MPS's 12.3 floor
    assert facts("macOS Sonoma, Apple M2, torch 2.3.0\n").macos_version == "14.0"
    assert facts("macOS Monterey, Apple M2, torch 2.3.0\n").macos_version is None
    # so is macOS 12 alone (Comfy-Org/ComfyUI#4127, MPS running: 12.3 or later), and Monterey 12
    said = "AMD RX 6900 XT on a Mac 5,1 with macOS 12. We got errors launching\nPython 3.8\n"
    f = facts(said)
    assert (f.os, f.macos_version) == ("Darwin", None)
    assert facts("macOS Monterey 12, Apple M2, torch 2.3.0\n").macos_version is None
    assert facts("macOS 13, Apple M2, torch 2.3.0\n").macos_version == "13.0"


def test_unticked_template_options_are_not_the_users_own():
    # issue templates list every option as a checkbox; only the ticked ones are the user's
    form = (
        "### Environment\n- [ ] Windows\n- [x] macOS 14.5\n- [ ] Intel\n- [x] Apple M2\n"
        "- [ ] AMD Radeon\n- [ ] Python 3.9\n- [x] Python 3.11\n- [ ] torch 2.0.1\n"
    )
    reading = paste.read(form)
    assert reading.facts["os"] == "Darwin" and reading.facts["macos_version"] == "14.5"
    assert reading.facts["chip"] == "Apple M2" and reading.facts["python_version"] == "3.11"
    assert "torch_version" not in reading.facts
    assert not reading.has("sign.intel_cpu") and not reading.has("sign.amd_gpu")


def test_mac_models_made_only_with_apple_silicon_say_so_and_others_do_not():
    for text in ("a Mac Studio (2022)", 'MacBook Pro 14" 32GB', "15-inch MacBook Air", "iMac 24"):
        assert paste.read(text).facts.get("hardware_arm64") is True, text
    for text in ("MacBook Pro 16-inch 2019", "MacBook Pro 13", 'iMac 27" 2020', "Mac mini"):
        # not Apple silicon (a 2019 MacBook Pro and a 2020 iMac are Intel:
        # verify.diagnosis.paste.prose)
        assert paste.read(text).facts.get("hardware_arm64") is not True, text


def test_system_profilers_model_identifier_tells_apple_silicon_from_intel():
    # system_profiler SPHardwareDataType, "Model Identifier:" (support.apple.com model lists)
    expected = {
        "MacBookPro18,3": True,
        "MacBookPro16,1": False,
        "MacBookAir10,1": True,
        "Macmini8,1": False,
        "Mac14,2": True,
        "iMac20,1": False,
        "iMacPro1,1": False,
        "MacPro7,1": False,
        "MacBook10,1": False,
    }
    for model, silicon in expected.items():
        facts = paste.read(f"      Model Identifier: {model}\n").facts
        assert facts["hardware_arm64"] is silicon, model


def test_a_macos_home_folder_in_a_path_says_mac_and_the_user_name_stays_out():
    traceback = '  File "/Users/jane/miniconda3/lib/python3.10/site-packages/torch/nn/init.py"'
    reading = paste.read(traceback)
    assert reading.facts["os"] == "Darwin" and reading.has("sign.mac_hint")
    assert "jane" not in " ".join(reading.evidence["os"])
    for path in ("C:/Users/jane/AppData/x.py", "/c/Users/jane/x.py", "/home/jane/x.py"):
        assert not paste.read(path).has("sign.mac_hint"), path


def test_what_a_homebrew_pythons_own_traceback_frame_and_pips_fetched_wheels_say():
    intel_frame = (
        '  File "/usr/local/Cellar/python@3.10/3.10.18/Frameworks/Python.framework/Versions/3.10/'
        'lib/python3.10/subprocess.py", line 526, in run'
    )
    arm_frame = (
        '  File "/opt/homebrew/Cellar/python@3.12/3.12.4/Frameworks/Python.framework/Versions/3.12/'
        'lib/python3.12/runpy.py", line 198, in _run_module_as_main'
    )
    assert paste.read(intel_frame).facts["machine"] == "x86_64"
    assert paste.read(arm_frame).facts["machine"] == "arm64"
    # pip fetches only wheels the interpreter runs (packaging.tags.mac_platforms)
    fetched = "Downloading numpy-1.26.4-cp311-cp311-macosx_10_9_x86_64.whl.metadata (61 kB)"
    assert paste.read(fetched).facts["machine"] == "x86_64"
    refused = "ERROR: numpy-1.26.4-cp311-cp311-macosx_10_9_x86_64.whl is not a supported wheel"
    assert "machine" not in paste.read("Processing ./" + refused[7:]).facts


def test_an_x86_64_python_on_an_m_chip_named_without_its_number_is_rosetta():
    text = (
        "but still cannot use the M chip\n"
        "$ python3 -c 'import platform; print(platform.machine())'\nx86_64\n"
    )
    _, results = diagnose.diagnose(text)
    arch = next(r for r in results if r.id == "host.arch")
    assert arch.status is Status.FAIL and "Rosetta" in arch.cause


def test_pips_refusal_of_any_torch_quoted_without_its_list_is_no_wheel_for_this_python():
    text = '- OS: macOS\n"Could not find a version that satisfies the requirement torch"\n'
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "host.python")
    assert row.status is Status.FAIL and "no PyTorch wheel at all" in row.cause


def test_a_release_named_beside_collect_env_finding_no_torch_is_checked_against_the_python():
    # collect_env's lines (torch/utils/collect_env.py) with no torch importable, and prose naming
    # the release the user tried: no wheel of it for this Python is the cause
    text = (
        "I cannot install pytorch 2.4.1 with python 3.13 on my Mac\n\n"
        "PyTorch version: N/A\nOS: macOS 15.0.1 (arm64)\n"
        "Python version: 3.13.0 (main, Oct  7 2024, 05:02:14) [Clang 16.0.0] (64-bit runtime)\n"
        "Python platform: macOS-15.0.1-arm64-arm-64bit-Mach-O\n"
    )
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "host.python")
    assert row.status is Status.FAIL and "torch 2.4.1" in row.cause and "3.8-3.12" in row.cause
    assert diagnose.first_cause(results).id == "host.python"
    # a release that has wheels for this Python leaves the row alone
    _, results = diagnose.diagnose(text.replace("2.4.1", "2.6.0"))
    assert next(r for r in results if r.id == "host.python").status is not Status.FAIL


def test_needles_of_a_case_blind_pattern_are_looked_for_case_blind():
    # verify.diagnosis.paste.clues.finditer: the needles are a shortcut, never a filter
    blind = re.compile(r"\bgithub ci\b", re.IGNORECASE)
    assert [m.group(0) for m in clues.finditer(blind, "in GitHub CI", "ithub")] == ["GitHub CI"]
    exact = re.compile(r"\bgithub ci\b")
    assert list(clues.finditer(exact, "in GitHub CI", "ithub")) == []
    assert list(clues.finditer(blind, "nothing here", "ithub")) == []


def test_mps_is_named_beside_cjk_letters_as_it_is_beside_spaces():
    # "float16不能用mps推理吗" (hiyouga/LlamaFactory#2434's title): Python's \b sees no edge
    # between CJK letters and "mps", which is a word of its own there
    for named in ("float16不能用mps推理吗", "device='mps'", "MPSGraph", "torch.mps", "用 MPS 跑"):
        assert clues.MPS_NAMED.search(named), named
    for other in ("mps_available", "gmps", "GPMPSs", "mpsx"):
        assert not clues.MPS_NAMED.search(other), other


def test_mkl_finding_no_avx_on_a_mac_is_rosetta():
    # agentmorris/MegaDetector#64: MKL's start-up refusal of the processor with "M1 chips" said
    # only in general; Rosetta 2 translated no AVX before macOS 15, every Intel Mac since 2011
    # has it
    mkl = (
        "Intel MKL FATAL ERROR: This system does not meet the minimum requirements for use of "
        "the Intel(R) Math Kernel Library.\n"
        "The processor must support the Intel(R) Advanced Vector Extensions (Intel(R) AVX) "
        "instructions.\n"
    )
    said = "M1 chips are becoming more common and that Mac instructions are given in the README.\n"
    _, results = diagnose.diagnose(said + mkl)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and first.status is Status.FAIL
    assert "Rosetta" in first.cause and mkl.splitlines()[0] in first.evidence
    # no Mac in the paste (an old PC, a VM hiding AVX): no fact about the machine at all
    with pytest.raises(InputError, match="no facts about the machine"):
        envdump.parse(mkl)
    # a Linux paste stays Linux's
    f = facts("OS: Ubuntu 22.04 on my Mac's VM\n" + mkl)
    assert f.translated is None


@pytest.mark.parametrize(
    "refusal",
    [
        # jianchang512/vocal-separate#15 (its title: "apple M 芯片 安装运行问题")
        "RuntimeError: This version of jaxlib was built using AVX instructions, which your CPU "
        "and/or operating system do not support. This error is frequently encountered on macOS "
        "when running an x86 Python installation on ARM hardware.",
        # TensorFlow's cpu_feature_guard.cc, the same start-up check
        "The TensorFlow library was compiled to use AVX instructions, but these aren't available "
        "on your machine.",
    ],
)
def test_other_x86_64_libraries_finding_no_avx_on_an_apple_chip_are_rosetta(refusal):
    _, results = diagnose.diagnose("apple M 芯片 安装运行问题\n" + refusal + "\n")
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and first.status is Status.FAIL
    assert "Rosetta" in first.cause
    # on no Mac (a PC without AVX) it says nothing of the machine
    assert facts("Ubuntu 20.04 on a 2009 Xeon\n" + refusal).translated is None


def test_an_illegal_instruction_on_an_apple_chip_is_rosetta():
    # nebuly-ai/optimate#142: zsh's SIGILL "on M1 using conda"
    text = (
        'Fix "zsh: illegal hardware instruction"\n\n'
        "Please fix zsh: illegal hardware instruction error on M1 using conda\n"
    )
    f = facts(text)
    assert (f.machine, f.translated, f.hardware_arm64) == ("x86_64", True, True)
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first is not None and first.id == "host.arch" and "Rosetta" in first.cause
    # on an Intel Mac (AVX-512 code on an older CPU) or an arm64 Python it says nothing more
    assert facts(text.replace("on M1", "on my Intel Mac")).translated is not True
    arm = facts(text + "platform.machine(): arm64\n")
    assert arm.machine == "arm64" and arm.translated is not True


def test_zshs_illegal_instruction_with_no_chip_named_is_rosetta():
    # zwhe99/MAPS-mt#4, verbatim: zsh (macOS's default shell) and no Mac named at all
    text = (
        "illegal hardware instruction ?\n"
        'I have a problem with "interactive.py" and when I run it as instructed, I get the error:'
        ' "zsh: illegal hardware instruction python3 interactive.py "\n'
    )
    f = facts(text)
    assert (f.os, f.machine, f.translated) == ("Darwin", "x86_64", True)
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first is not None and first.id == "host.arch" and "Rosetta" in first.cause
    assert "zsh: illegal hardware instruction" in first.evidence[0]
    # the signal's name alone (no zsh), an Intel Mac, Linux or an arm64 Python: nothing more
    assert "machine" not in paste.read(text.replace("zsh: ", "")).facts
    assert facts(text + "on my Intel Mac\n").translated is not True
    assert "machine" not in paste.read(text + "OS: Ubuntu 22.04\n").facts
    assert facts(text + "platform.machine(): arm64\n").translated is not True


def test_bashs_illegal_instruction_on_an_apple_chip_is_rosetta():
    # impira/docquery#26, verbatim: macOS's bash prints the signal's number
    text = (
        '$ docquery scan "What is the invoice number?" https://templates.invoicehome.com/'
        "invoice-template-us-neat-750px.png\nIllegal instruction: 4\n"
        "Just go this running on Mac M1, is it supported? \n"
    )
    f = facts(text)
    assert (f.machine, f.translated) == ("x86_64", True)
    assert facts(text.replace("Mac M1", "Mac")).translated is not True


def test_macs_in_the_plural_are_no_chip_of_the_users():
    # hukkelas/deep_privacy2#12 (healthy: a wish for MPS support)
    text = (
        "Before I start digging through the code, is there a straightforward way to use MPS for "
        "M1/M2 Macs rather than CUDA for NVIDIA?"
    )
    assert "chip" not in paste.read(text).facts
    # a class of machines, as test_installs' "It does not run on M1 Macs." (dmlc/decord#225's
    # "converting over to M1 Macs at work" is read by its sentence: verify.diagnosis.paste.claims)
    assert "chip" not in paste.read("We're converting over to M1 Macs at work").facts


def test_a_scripts_tested_on_banner_is_not_the_machines_os():
    # kabachuha/sd-webui-text2video#224, verbatim: AUTOMATIC1111's webui.sh prints the system it
    # was tested on, from a Mac's zsh too; the prompt is the Mac's
    text = (
        "(base) user1@MBP ~ % cd ~/stable-diffusion-webui;./webui.sh\n\n"
        "################################################################\n"
        "Install script for stable-diffusion + Web UI\n"
        "Tested on Debian 11 (Bullseye)\n"
    )
    assert envdump.parse(text).facts.os == "Darwin"
    # the same words about the user's own machine still name it ("on ubuntu 22.04")
    assert envdump.parse("I run it on Debian 11 (Bullseye)\n").facts.os == "Linux"
