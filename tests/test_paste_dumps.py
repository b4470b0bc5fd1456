"""Tool dumps and start-up logs as users paste them: time-stamped, log-levelled, Markdown-quoted,
run together by a desktop app's logger (issue 12). Each snippet is from a real public report,
cited above it; whole reports are in tests/data/collect_env and test_diagnose.py asserts them.
"""

from __future__ import annotations

from pathlib import Path

import corpus

from verify.diagnosis import diagnose, envdump, paste
from verify.diagnosis.paste.logprefix import unprefix
from verify.model import Status


def facts(text):
    return envdump.parse(text).facts


# --- log prefixes ---------------------------------------------------------------------------------


def test_comfyui_desktop_stamps_run_together_are_cut():
    # xmarre/ComfyUI-Spectrum-MiniMax-H3#8: ComfyUI desktop's log, several stamps in one line
    line = (
        "2026-08-05T00:31:08.201094 - ** Platform:2026-08-05T00:31:08.201106 -  "
        "2026-08-05T00:31:08.201115 - Darwin2026-08-05T00:31:08.201123 - "
    )
    assert unprefix(line).strip() == "** Platform: Darwin"
    assert paste.read(unprefix(line)).facts["os"] == "Darwin"


def test_bracketed_stamps_and_levels_are_cut():
    # Comfy-Org/ComfyUI#6168 (ComfyUI-Manager's prestartup log), #15053 ("[INFO] ")
    assert unprefix("[2024-12-22 18:10:31.982] ** Platform: Windows") == "** Platform: Windows"
    assert unprefix("[INFO] Device: mps") == "Device: mps"
    assert unprefix("[09/29 18:36:14 d2.engine.hooks]: Total training time") == (
        "Total training time"
    )


def test_markdown_quotes_are_cut_but_not_a_repl_prompt():
    assert unprefix("> > Set vram state to: SHARED") == "Set vram state to: SHARED"
    assert unprefix(">>> torch.backends.mps.is_available()") == (
        ">>> torch.backends.mps.is_available()"
    )


def test_a_line_without_prefix_is_unchanged():
    text = "PyTorch version: 2.1.0\nIs debug build: False\n- Platform: macOS-14.5-arm64-arm-64bit"
    assert unprefix(text) == text


def test_stamped_comfyui_start_up_log_shows_mps_working():
    # Comfy-Org/ComfyUI#6452: the log's start, ComfyUI's own time stamps before each line
    text = (
        "2025-01-13T10:34:27.663134 - Total VRAM 65536 MB, total RAM 65536 MB\n"
        "2025-01-13T10:34:27.663179 - pytorch version: 2.5.1\n"
        "2025-01-13T10:34:27.663260 - Set vram state to: SHARED\n"
        "2025-01-13T10:34:27.663280 - Device: mps\n"
    )
    f = facts(text)
    assert (f.os, f.torch_version, f.mps_available) == ("Darwin", "2.5.1", True)


# --- ComfyUI -------------------------------------------------------------------------------------


def test_set_vram_state_shared_is_mps():
    # ComfyUI prints SHARED only when cpu_state is MPS (comfy/model_management.py)
    assert paste.read("Set vram state to: SHARED").facts["mps_available"] is True
    assert "mps_available" not in paste.read("Set vram state to: NORMAL_VRAM").facts


def test_comfyui_error_report_system_information():
    # kijai/ComfyUI-SUPIR#151: the error report's "## System Information" and "## Devices"
    text = (
        "## System Information\n- **OS:** posix\n"
        "- **Python Version:** 3.12.9 (main, Feb 12 2025, 15:09:19) [Clang 19.1.6 ]\n"
        "- **PyTorch Version:** 2.8.0.dev20250404\n## Devices\n\n- **Name:** mps\n"
        "  - **Type:** mps\n  - **VRAM Total:** 34359738368\n"
    )
    f = facts(text)
    assert (f.torch_version, f.python_version, f.mps_available) == (
        "2.8.0.dev20250404",
        "3.12.9",
        True,
    )


def test_mps_shown_working_makes_mps_rows_pass_with_the_chip_unknown():
    # Comfy-Org/ComfyUI#2420: a start-up log with no chip named
    text = (
        "Total VRAM 32768 MB, total RAM 32768 MB\nForcing FP16.\nSet vram state to: SHARED\n"
        "Device: mps\nVAE dtype: torch.float32\nTorch version: 2.3.0.dev20231231\n"
    )
    _, results = diagnose.diagnose(text)
    rows = {r.id: r.status for r in results}
    assert rows["mps.available"] is Status.PASS
    assert all(r.status is not Status.FAIL for r in results)


# --- accelerate env -------------------------------------------------------------------------------


def _accelerate_env(version: str, accelerator: str, mps_type: str = "") -> str:
    """accelerate env's lines as accelerate/commands/env.py prints them ("- {prop}: {val}"), with
    its own keys and accelerator values; no real 1.15 dump is public yet."""
    info = {"`Accelerate` version": version, "PyTorch accelerator": accelerator}
    if mps_type:
        info["MPS type"] = mps_type
    return "\n".join(f"- {prop}: {val}" for prop, val in info.items())


def test_accelerate_names_mps_as_its_accelerator_from_1_15():
    # 1.15's env: accelerator "MPS" and "MPS type" (sysctl's brand string) where
    # torch.backends.mps is built and available (accelerate.utils.is_mps_available)
    got = paste.read(_accelerate_env("1.15.0", "MPS", "Apple M2 Pro")).facts
    assert got["mps_available"] is True
    assert got["chip"] == "Apple M2 Pro"
    assert got["os"] == "Darwin"
    # an Intel Mac whose AMD GPU runs MPS: the brand string is the Intel CPU's
    intel = paste.read(
        _accelerate_env("1.15.0", "MPS", "Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz")
    ).facts
    assert intel["mps_available"] is True and intel["hardware_arm64"] is False
    # "N/A" from 1.15 on says MPS is unavailable; 1.7-1.14 print it on every Mac
    assert paste.read(_accelerate_env("1.15.0", "N/A")).facts["mps_available"] is False
    assert "mps_available" not in paste.read(_accelerate_env("1.14.0", "N/A")).facts


# --- hand-made lists ------------------------------------------------------------------------------


def test_hyphenated_version_keys():
    # huggingface/accelerate#998: "accelerate-version: 0.15.0", "pytorch-version: 1.13.1"
    assert paste.read("pytorch-version: 1.13.1").facts["torch_version"] == "1.13.1"
    assert "torch_version" not in paste.read("accelerate-version: 0.15.0").facts


# --- docker compose -------------------------------------------------------------------------------


def test_docker_compose_output_is_a_linux_workload():
    # s-kostyaev/reranker#4: docker compose's progress and attach lines on an M2 Mac
    signs = paste.read(" ✔ Container reranker  Created     0.0s \nAttaching to reranker\n").signs
    assert len(signs["sign.linux_workload"]) == 2
    # prose about containers is not compose's output
    assert "sign.linux_workload" not in paste.read("Container is Created by a script").signs


# --- uv's hints, retold ---------------------------------------------------------------------------


def test_uv_hint_retold_without_backticks_or_the_platforms_words():
    # debpalash/VoiceStudio#889: uv's hint as the issue retold it
    line = (
        "hint: You're on macOS (macosx_15_0_x86_64), but torch (v2.8.0) only has wheels for "
        "macosx_11_0_arm64"
    )
    reading = paste.read(line)
    assert reading.facts["machine"] == "x86_64"
    assert "torch_version" not in reading.facts  # the release asked for, not one installed
    # a version that is installed stays one
    assert paste.read("torch (v2.8.0) is installed").facts["torch_version"] == "2.8.0"


def test_lightning_mps_available_but_not_used():
    # ourownstory/neural_prophet#1572: Lightning's warning (trainer/setup.py _log_device_info)
    line = (
        "MPS available but not used. Set `accelerator` and `devices` using "
        "`Trainer(accelerator='mps', devices=1)`."
    )
    assert paste.read(line).facts["mps_available"] is True
    assert "mps_available" not in paste.read("MPS available but not used by this app").facts


# --- macOS crash reports ------------------------------------------------------------------------


def test_crash_report_code_type():
    # Homebrew/homebrew-core#67713: a crash report of a Python under Rosetta 2
    translated = paste.read("Code Type:             X86-64 (Translated)\n").facts
    assert (translated["machine"], translated["translated"], translated["hardware_arm64"]) == (
        "x86_64",
        True,
        True,
    )
    # invoke-ai/InvokeAI#2336: a native arm64 Python's crash report
    native = paste.read("Code Type:             ARM-64 (Native)\n").facts
    assert (native["machine"], native["translated"]) == ("arm64", False)
    # an x86_64 process runs natively only on an Intel Mac
    assert paste.read("Code Type: X86-64 (Native)").facts["hardware_arm64"] is False


def test_crash_report_hardware_model():
    # a crash report's "Hardware Model:" is system_profiler's Model Identifier
    assert paste.read("Hardware Model:      MacBookPro18,3\n").facts["hardware_arm64"] is True


def test_invokeai_log_prefix_is_cut():
    # invoke-ai/InvokeAI#7667
    line = "[2025-02-21 12:48:55,582]::[InvokeAI]::INFO --> Using torch device: MPS"
    assert unprefix(line) == "Using torch device: MPS"


def test_comfyui_mac_version_tuple():
    # jags111/efficiency-nodes-comfyui#350: ComfyUI logs platform.mac_ver() as a tuple
    f = facts(
        "2025-09-02T15:04:45.418537 - pytorch version: 2.7.0.dev20250219\n"
        "2025-09-02T15:04:45.419280 - Mac Version (15, 1, 1)\n"
        "2025-09-02T15:04:45.419450 - Device: mps\n"
    )
    assert (f.macos_version, f.torch_version, f.mps_available) == (
        "15.1.1",
        "2.7.0.dev20250219",
        True,
    )
    # an old-SDK Python's stand-in "10.16" says nothing about the macOS
    assert "macos_version" not in paste.read("Mac Version (10, 16)").facts


# --- web UI launchers ---------------------------------------------------------------------------


def _signs(text, name):
    return [str(c.value) for c in envdump.parse(text).signs.get(name) or []]


def test_launcher_cuda_pin_is_the_refused_requirement():
    # AUTOMATIC1111/stable-diffusion-webui#3779: launch.py's failed install, cut before pip's stderr
    text = (
        "Python 3.10.6 (main, Oct 24 2022, 11:04:07) [Clang 12.0.0 ]\n"
        "RuntimeError: Couldn't install torch.\n"
        'Command: "/Users/me/stable-diffusion-webui/venv/bin/python3" -m pip install '
        "torch==1.12.1+cu113 torchvision==0.13.1+cu113 --extra-index-url "
        "https://download.pytorch.org/whl/cu113\n"
        "Error code: 1\n"
    )
    assert _signs(text, "sign.pip_no_torch") == ["torch==1.12.1+cu113"]
    rows = {r.id: r for r in diagnose.diagnose(text)[1]}
    assert rows["torch.installed"].status is Status.FAIL
    assert "+cu113" in rows["torch.installed"].cause
    # pip's list is not in the text: nothing is said of the Python
    assert rows["host.python"].status is not Status.FAIL
    # a plain pin can fail for any reason: the launcher's line alone names no refused torch
    plain = text.replace("+cu113", "").replace("/cu113", "")
    assert _signs(plain, "sign.pip_no_torch") == []


# --- a script's labelled prints and its output ---------------------------------------------------


def test_labelled_print_and_its_output_line():
    # conda-forge/pytorch-cpu-feedstock#403: the script, then its output in the next block
    text = (
        'print(f"Python architecture: {platform.machine()}")\n'
        'print(f"MPS available: {torch.backends.mps.is_available()}")\n'
        "```\n\n```\n"
        "Python architecture: arm64\n"
        "MPS available: True\n"
    )
    reading = paste.read(text)
    assert (reading.facts["machine"], reading.facts["mps_available"]) == ("arm64", True)
    assert reading.evidence["machine"] == ["Python architecture: arm64"]
    # print("label", expr) prints a space between; platform.processor() says "i386" when x86_64
    said = paste.read('print("cpu:", platform.processor())\ncpu: i386\n').facts
    assert said["machine"] == "x86_64"
    # no output line with the label: nothing; a label of no words: nothing
    assert "machine" not in paste.read('print(f"arch: {platform.machine()}")\n').facts
    assert "machine" not in paste.read('print(f"- {platform.machine()}")\n- arm64\n').facts


def test_docker_build_step_failure_is_a_linux_workload():
    # open-webui/open-webui#1165: BuildKit's failure display of a RUN step
    text = (
        "139.3 RuntimeError: PyTorch is not linked with support for mps devices\n"
        "------\n"
        "Dockerfile:80\n"
        "--------------------\n"
        "  79 |\n"
        '  80 | >>> RUN if [ "$USE_CUDA" = "true" ]; then \\\n'
    )
    assert paste.read(text).has("sign.linux_workload")
    failed = 'ERROR: failed to solve: process "/bin/sh -c pip install torch" did not complete'
    assert paste.read(failed).has("sign.linux_workload")
    # a Dockerfile named in prose is not a build's output
    assert not paste.read("I wrote a Dockerfile:80 lines long").has("sign.linux_workload")


def test_transformers_example_log_device():
    # huggingface/transformers#18598: run_glue.py's start-up line, under its logging prefix
    line = (
        "08/12/2022 15:30:13 - WARNING - __main__ - Process rank: -1, device: mps, n_gpu: -1"
        "distributed training: False, 16-bits training: False"
    )
    assert facts(line).mps_available is True
    assert "mps_available" not in paste.read(line.replace("device: mps", "device: cpu")).facts


def test_use_mps_on_only_in_build_settings():
    # torch.__config__.show(): the build's own settings
    config = (
        "PyTorch built with:\n  - Build settings: BLAS_INFO=accelerate, USE_MPS=ON, USE_NCCL=OFF"
    )
    assert paste.read(config).facts["mps_built"] is True
    # pytorch/pytorch#96881: USE_MPS=1 asked for on Ubuntu is no MPS build
    asked = "USE_MPS=1 or USE_CUDA_MPS=1 or USE_NVIDIA_MPS=1 do not work in forcing PyTorch"
    assert "mps_built" not in paste.read(asked).facts
    # a build asked not to have MPS has none
    assert paste.read("USE_MPS=0 python setup.py develop").facts["mps_built"] is False


def test_the_line_after_a_run_of_prints_is_not_the_last_prints_value():
    # the first value printed follows the last print: is_built() is not "False" here
    code = (
        "import torch\n"
        "print(torch.backends.mps.is_available())\n"
        "print(torch.backends.mps.is_built())\n"
    )
    assert "mps_built" not in paste.read(code + "False\nTrue\n").facts
    # a single print and the line it printed is still read
    assert paste.read("print(torch.backends.mps.is_built())\nFalse\n").facts["mps_built"] is False
    assert paste.read(">>> print(torch.backends.mps.is_available())\nTrue").facts["mps_available"]


def test_web_ui_sysinfo_json_is_read_as_a_paste():
    # AUTOMATIC1111/stable-diffusion-webui#13621: the "Sysinfo" file, cut inside "Torch env info"
    text = (
        "{\n"
        '    "Platform": "Linux-4.15.0-180-generic-x86_64-with-glibc2.27",\n'
        '    "Python": "3.10.6",\n'
        '    "Torch env info": {\n'
        '        "torch_version": "2.1.0",\n'
        '        "os": "Ubuntu 18.04.4 LTS (x86_64)",\n'
        '        "is_cuda_available": "True",\n'
    )
    f = facts(text)
    assert (f.os, f.torch_version, f.python_version, f.cuda_available) == (
        "Linux",
        "2.1.0",
        "3.10.6",
        True,
    )
    # collect_env's get_os() on a Mac: "macOS <version> (<platform.machine()>)"
    mac = facts('{\n  "Torch env info": {\n    "os": "macOS 14.2.1 (arm64)",\n')
    assert (mac.os, mac.macos_version, mac.machine) == ("Darwin", "14.2.1", "arm64")


def test_uv_hint_retold_names_the_release_asked_for():
    # PrimeIntellect-ai/verifiers#553's title: uv's hint, the +cu128 release it could not install
    title = (
        "You're on macOS (`macosx_15_0_arm64`), but `torch` (v2.8.0+cu128) only has wheels for "
        "the following platforms: `manylinux_2_28_x86_64`, `win_amd64`"
    )
    assert "torch_version" not in paste.read(title).facts
    assert paste.read("I have `torch` (v2.8.0) installed").facts["torch_version"] == "2.8.0"


def test_markdown_around_a_key_is_taken_off():
    # an issue form's bold keys (kijai/ComfyUI-SUPIR#151's "- **PyTorch Version:** 2.8.0..."),
    # a hand-written "**OS**: ..." and a two-column version table read as collect_env's lines
    text = (
        "- **PyTorch Version:** 2.8.0.dev20250404\n**OS**: macOS 13.2 (arm64)\n"
        "| Python version | 3.11.1 |\n|---|---|\n| torch | 2.1 | 3.11 |\n"
    )
    assert unprefix(text) == (
        "- PyTorch Version: 2.8.0.dev20250404\nOS: macOS 13.2 (arm64)\n"
        "Python version: 3.11.1\n|---|---|\n| torch | 2.1 | 3.11 |\n"
    )


def test_a_collect_env_with_bold_keys_is_read_as_collect_env():
    # pytorch/pytorch#93148's collect_env lines, their keys bolded as a hand-made list does
    text = (
        "**PyTorch version**: N/A\n**OS**: macOS 13.2 (arm64)\n"
        "**Python version**: 3.11.1 (main, Jan 24 2023, 17:36:15) [Clang 14.0.0 "
        "(clang-1400.0.29.202)] (64-bit runtime)\n**Python platform**: macOS-13.2-arm64-arm-64bit\n"
    )
    pasted = envdump.parse(text)
    assert pasted.kind == "collect_env" and pasted.facts.torch_import_error


def test_ggmls_metal_device_line_names_an_intel_macs_gpu():
    # ggml-org/whisper.cpp#1393, verbatim lines: Metal's device on an Intel Mac
    text = (
        "ggml_metal_init: allocating\n"
        "ggml_metal_init: found device: Intel Iris Graphics\n"
        "ggml_metal_init: picking default device: Intel Iris Graphics\n"
        "ggml_metal_init: loading '(null)'\n"
    )
    reading = paste.read(text)
    assert reading.facts["os"] == "Darwin" and reading.facts["hardware_arm64"] is False
    assert reading.signs.get("sign.intel_cpu")


def test_an_intel_mac_told_by_metal_is_diagnosed_not_refused():
    # the whole report (tests/data/holdout154): host.arch states the Intel Mac
    path = next((Path(__file__).parent / "data" / "holdout154").glob("whisper.cpp-1393*.txt"))
    _, results = diagnose.diagnose(corpus.load(path).text)
    assert diagnose.first_cause(results).id == "host.arch"


# --- pip debug ------------------------------------------------------------------------------------

# tensorflow/tensorflow#33604 (2019), the reporter's `pip debug --verbose` to its third tag
PIP_DEBUG_X86_64 = (
    "`pip debug --verbose`:\n"
    "sys.version: 3.6.9 (default, Sep  1 2019, 16:05:17) \n"
    "[GCC 4.2.1 Compatible Apple LLVM 10.0.1 (clang-1001.0.46.4)]\n"
    "sys.executable: /Users/g/.pyenv/versions/3.6.9/bin/python3.6\n"
    "sys.getdefaultencoding: utf-8\n"
    "sys.getfilesystemencoding: utf-8\n"
    "locale.getpreferredencoding: UTF-8\n"
    "sys.platform: darwin\n"
    "sys.implementation:\n"
    "  name: cpython\n"
    "Compatible tags: 498\n"
    "  cp36-cp36m-macosx_10_14_x86_64\n"
    "  cp36-cp36m-macosx_10_14_intel\n"
    "  cp36-cp36m-macosx_10_14_fat64\n"
)


def test_pip_debugs_first_compatible_tag_is_the_interpreters_platform():
    f = facts(PIP_DEBUG_X86_64)
    assert (f.os, f.machine, f.macos_version) == ("Darwin", "x86_64", "10.14")
    assert f.python_version.startswith("3.6")
    pasted = envdump.parse(PIP_DEBUG_X86_64)
    assert pasted.evidence["machine"] == ["cp36-cp36m-macosx_10_14_x86_64"]
    # a "(target: ...)" count lists another platform's tags, asked for with --platform: not read
    asked = PIP_DEBUG_X86_64.replace("Compatible tags: 498", "Compatible tags: 498 (target: x)")
    assert facts(asked).machine is None


def test_pip_debugs_sys_platform_line_names_the_os():
    # duckdb/duckdb#4637 ("Setup on Mac M1 ARM does not succeed"): the reporter's `pip debug -v`
    # ran in a Linux Python; metatensor/metatensor#626: an Anaconda Python on a Mac
    linux = (
        "pip version: pip 22.2.2 from /home/www/venv/lib/python3.9/site-packages/pip (python 3.9)\n"
        "sys.platform: linux\n"
    )
    assert facts(linux).os == "Linux"
    assert facts("sys.getdefaultencoding: utf-8\nsys.platform: darwin\n").os == "Darwin"
