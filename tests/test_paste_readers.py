"""verify.diagnosis.paste readers of free-form versions and of proof that MPS ran (issue 12).

Each snippet is a line (or a few) from a real public report, cited above it; the whole reports are
in tests/data/collect_env and their diagnoses are asserted by test_diagnose.py. Where a shape is
checked against what it must not read, the counter-example is named as such.
"""

from __future__ import annotations

import pytest

from verify.diagnosis import diagnose, envdump, paste
from verify.diagnosis.paste import ran
from verify.errors import InputError
from verify.model import Status


def read(text):
    return paste.read(text).facts


# --- typed versions in more shapes ---------------------------------------------------------------


def test_libtorch_version_is_the_torch_version():
    # LaurentMazare/tch-rs#676 environment list
    assert read("- libtorch version `2.0.0` for M1 (arm64)")["torch_version"] == "2.0.0"


def test_kernel_darwin_release_gives_macos():
    # LaurentMazare/tch-rs#676: "- Kernel: Darwin 22.3.0" (Darwin 22.3 is macOS 13.2)
    f = read("- Kernel: Darwin 22.3.0")
    assert (f["os"], f["macos_version"]) == ("Darwin", "13.2")


def test_arch_key_line_gives_the_machine():
    # LaurentMazare/tch-rs#676 "- Arch: arm64"; pytorch/pytorch#177819 "- Architecture: `arm64`"
    assert read("- Arch: arm64")["machine"] == "arm64"
    assert read("- Architecture: `arm64`")["machine"] == "arm64"
    assert "machine" not in read("Arch: the design of the model")


def test_arch_key_is_weaker_than_the_interpreter():
    # "Arch:" may be the shell's `uname -m`; platform.platform() is the Python process itself
    text = "- Arch: arm64\nPython platform: macOS-14.5-x86_64-i386-64bit\n"
    assert read(text)["machine"] == "x86_64"


def test_macos_with_a_chip_between_name_and_number():
    # "Macosx M1 14.6.1 (23G93)" as typed in an environment line
    f = read("Macosx M1 14.6.1 (23G93)")
    assert (f["macos_version"], f["chip"]) == ("14.6.1", "Apple M1")


def test_macos_written_as_lower_case_osx():
    # "Sous osx 14.5," opens a paste with no other Mac word in it (BittnerPierre/applied-ai-rag-
    # assistant#8, in French); a conda subdir is no version
    f = read("Sous osx 14.5,\n% python -V\nPython 3.11.7\n")
    assert (f["os"], f["macos_version"]) == ("Darwin", "14.5")
    assert "macos_version" not in read("platform : osx-64\n")


# --- forms: issue-form headings and Markdown tables ----------------------------------------------

# invoke-ai/InvokeAI#3901 (issue form, as rendered)
INVOKE_FORM = "### OS\n\nmacOS\n\n### GPU\n\nmps\n\n### VRAM\n\n8GB\n"


def test_issue_form_heading_and_answer():
    reading = paste.read(INVOKE_FORM)
    assert reading.facts["os"] == "Darwin"
    assert reading.evidence["os"] == ["OS / macOS"]
    # "### GPU / mps" is the device the user picked in the form, not proof that it works
    assert "mps_available" not in reading.facts


def test_a_torch_series_in_the_title_gives_way_to_the_exact_release_in_the_body():
    # pytorch/pytorch#93196, its title and first sentence verbatim
    text = (
        "The torch2.0 sample program reports an error when calling g++ on macos\n"
        "My pytorch version is 2.0.0.dev20230127, MacOS version is 13.1, python version is "
        "3.9.12.\n"
    )
    reading = paste.read(text)
    assert reading.facts["torch_version"] == "2.0.0.dev20230127"
    assert all("2.0.0.dev20230127" in line for line in reading.evidence["torch_version"])
    # another series is no finer form of it: the title's 1.1 stays
    assert read("Fails on torch 1.1\nlater tried torch 1.13.1")["torch_version"] == "1.1"


def test_issue_form_versions():
    text = "### Python version\n\n3.10\n\n### PyTorch version\n\n2.1.0\n\n### OS\n\n_No response_\n"
    f = read(text)
    assert (f["python_version"], f["torch_version"]) == ("3.10", "2.1.0")
    assert "os" not in f


def test_issue_form_answer_right_under_its_heading():
    # opendatalab/MinerU#940, its issue form as copied with the blank lines gone
    text = (
        "### Operating system | 操作系统\nMacOS\n### Python version | Python 版本\n3.12\n"
        "### Software version | 软件版本 (magic-pdf --version)\n0.7.x\n"
        "### Device mode | 设备模式\ncpu\n"
    )
    assert read(text) == {"os": "Darwin", "python_version": "3.12"}


def test_issue_form_checklist_answer_is_its_one_ticked_option():
    # issue forms with checkboxes render "- [ ] macOS" / "- [x] Linux" under the heading: the
    # unticked first line is no answer, the one ticked option is (Josh-XT/AGiXT#566's "- [X] Apple
    # MacOS" under "### Operating System")
    assert read("### Which OS?\n\n- [ ] macOS 14\n- [x] Linux\n") == {"os": "Linux"}
    agixt = "### Operating System\n\n- [ ] Linux\n- [ ] Microsoft Windows\n- [X] Apple MacOS\n"
    assert read(agixt) == {"os": "Darwin"}
    # several ticked: what applies (a bug seen on both), not this machine
    assert read("### Which OS?\n\n- [x] Apple MacOS\n- [x] Linux\n") == {}
    assert read("### Which OS?\n\n- [ ] macOS 14\n- [ ] Linux\n") == {}


def test_a_dash_between_a_name_and_its_version():
    # predibase/lorax#167's system info, verbatim lines
    lorax = (
        "lorax-version - N/A\nPlatform - Apple M2 pro\nOS - Ventura 13.2.1\nPython version - 3.10\n"
    )
    f = read(lorax)
    assert (f["macos_version"], f["python_version"], f["chip"]) == (
        "13.2.1",
        "3.10",
        "Apple M2 Pro",
    )
    # a range of Pythons is no version of this one
    assert "python_version" not in read("torch supports Python 3.8 - 3.11 on macOS 14\n")


def test_template_fields_read_their_answer_not_their_example():
    # mlc-ai/mlc-llm#1247's bug template, verbatim lines: the example in parentheses is no answer
    mlc = (
        " - Operating system (e.g. Ubuntu/Windows/MacOS/...): MacOS\n"
        " - Device (e.g. iPhone 12 Pro, PC+RTX 3090, ...) Macbook Air M1\n"
        " - Python version (e.g. 3.10): 3.12.0\n"
        " - CUDA/cuDNN version (if applicable):\n"
    )
    f = read(mlc)
    assert (f["os"], f["python_version"], f["chip"]) == ("Darwin", "3.12.0", "Apple M1")
    # dmlc/dgl#3748: "Linux" is the example, the Mac's macOS the answer
    assert read(" - OS (e.g., Linux): Mac OS 12.1 (Monterey)\n")["macos_version"] == "12.1"
    # the same example with another answer is that answer; no answer reads nothing
    assert read(" - OS (e.g., macOS 14.2): Ubuntu 22.04\n").get("os") == "Linux"
    assert read(" - Python version (e.g. 3.10):\n - Docker version (e.g., 24.0)\n") == {}


def test_a_template_field_left_unanswered_is_no_container():
    # modelscope/FunASR#1802 (an M2 Mac, no Docker in use): the form's Docker field, unanswered
    text = (
        " - OS (e.g., Linux):**MAC**\n"
        " - GPU (e.g., V100M32):**M2**\n"
        " - Docker version (e.g., funasr-runtime-sdk-cpu-0.4.1)\n"
    )
    assert not envdump.parse(text).signs.get("sign.cause_said")
    answered = text.replace("sdk-cpu-0.4.1)", "sdk-cpu-0.4.1): Docker Desktop 4.30 on the M2")
    said = envdump.parse(answered).signs.get("sign.cause_said") or []
    assert [c.value for c in said] == ["container_on_mac"]


def test_markdown_table_rows_and_header_table():
    rows = "| Package | Version |\n|---|---|\n| torch | 2.1.0 |\n| macOS | 14.2 |\n"
    f = read(rows)
    assert (f["torch_version"], f["macos_version"]) == ("2.1.0", "14.2")
    header = "| OS | Python | torch |\n|---|---|---|\n| macOS 14.2 | 3.10 | 2.1.0 |\n"
    f = read(header)
    assert (f["macos_version"], f["python_version"], f["torch_version"]) == (
        "14.2",
        "3.10",
        "2.1.0",
    )


def test_a_table_of_several_setups_is_not_one_machine():
    matrix = (
        "| OS | Python | torch |\n|---|---|---|\n"
        "| macOS 14.2 | 3.10 | 2.1.0 |\n| macOS 13.6 | 3.9 | 2.0.1 |\n"
    )
    f = read(matrix)
    assert "torch_version" not in f and "python_version" not in f


# --- proof that MPS ran ---------------------------------------------------------------------------


def test_printed_tensor_on_mps_is_a_working_device():
    # pytorch/pytorch#100370 output
    reading = paste.read("d1 tensor(1605, device='mps:0')\n")
    assert reading.facts["mps_available"] is True
    assert reading.facts["mps_built"] is True
    assert reading.evidence["mps_available"] == ["d1 tensor(1605, device='mps:0')"]


def test_a_printed_device_after_its_print_is_a_working_device():
    # setiastro/setiastrosuitepro#81 (verbatim REPL, an Intel iMac Pro): the matmul's device
    text = (
        ">>> z = torch.matmul(x, y)\n>>> \n>>> print(z.device)\nmps:0\n>>> \n"
        "Pytorch is running on my mac intel : \n"
    )
    reading = paste.read(text)
    assert reading.facts["mps_available"] is True
    assert reading.evidence["mps_available"] == ["mps:0"]
    _, results = diagnose.diagnose(text)
    arch = next(r for r in results if r.id == "host.arch")
    assert arch.status is Status.WARN  # an Intel Mac whose AMD GPU runs MPS: not a failure
    # the print alone, or a device asked for without its output, is no proof
    assert "mps_available" not in read(">>> print(z.device)\ncpu\n")
    assert "mps_available" not in read("print(z.device)  # should say mps:0\n")


def test_code_asking_for_the_device_is_not_proof():
    # code, not output: torch.tensor(...) and .to(...) ask for the device; nothing printed
    for code in (
        "x = torch.tensor([1.0], device='mps:0')",
        'd = torch.randint(0, 50000, size=(32, ), device=torch.device("mps"))',
    ):
        assert "mps_available" not in read(code), code


def test_multiline_tensor_repr_on_mps():
    # pytorch/pytorch#100370 (first output block, cut)
    text = (
        "tensor([ 6343,  1605, 28616,  2264, 12151, 13417,  1629, 32512,  4441, 43177,\n"
        "         5785, 19335], device='mps:0')\n"
    )
    assert read(text)["mps_available"] is True


REPRO = """\
```
x_mps = x_cpu.to("mps")
linear_mps = linear_cpu.to("mps")

print("=== MPS Linear ===")
y_mps = linear_mps(x_mps)
```

Output:

```
=== MPS Linear ===
linear diff sum: 2246469.5
```
"""


def test_output_printed_after_the_mps_line_is_proof():
    # the "reproducer, then Output:" shape of pytorch/pytorch MPS bug reports
    reading = paste.read(REPRO)
    assert reading.facts["mps_available"] is True
    assert "=== MPS Linear ===" in reading.evidence["mps_available"]


def test_output_needs_the_print_to_follow_an_unconditional_mps_line():
    conditional = REPRO.replace(
        'x_mps = x_cpu.to("mps")',
        'device = "mps" if torch.backends.mps.is_available() else "cpu"',
    ).replace('linear_mps = linear_cpu.to("mps")', "linear_mps = linear_cpu.to(device)")
    assert "mps_available" not in read(conditional)
    # the print's own text must be shown for this rule (an output block after the code is
    # another rule: test_a_fenced_reproducer_then_its_output_block)
    not_shown = REPRO.replace("=== MPS Linear ===\nlinear", "linear")
    assert ran._ran_past_mps(not_shown) == []
    # the print sits in another block (a function body) than the MPS line
    other_block = REPRO.replace(
        'print("=== MPS Linear ===")', 'def f():\n    print("=== MPS Linear ===")'
    )
    assert "mps_available" not in read(other_block)


def test_yolo_banner_says_mps_and_versions():
    # ultralytics/ultralytics#4695 Environment line
    line = "Ultralytics YOLOv8.0.168 🚀 Python-3.11.4 torch-2.1.0.dev20230831 MPS (Apple M1)"
    f = read(line)
    assert (f["python_version"], f["torch_version"]) == ("3.11.4", "2.1.0.dev20230831")
    assert (f["mps_available"], f["chip"]) == (True, "Apple M1")
    # tests/data/collect_env/ultralytics-9933: "CPU (Apple M2)" is the device asked for, not
    # MPS unavailable
    f = read("Ultralytics YOLOv8.1.42 🚀 Python-3.9.19 torch-2.2.2 CPU (Apple M2)")
    assert "mps_available" not in f and f["chip"] == "Apple M2"


def test_mps_state_with_a_question_mark():
    # pytorch/pytorch#167679 output: "MPS available?: False"
    assert read("    MPS built?: True\n    MPS available?: False\n")["mps_available"] is False


# --- diagnosis -----------------------------------------------------------------------------------


def test_mps_ran_is_healthy_not_no_facts():
    _, results = diagnose.diagnose(REPRO)
    assert not [r for r in results if r.status is Status.FAIL]
    assert envdump.parse(REPRO).kind == "freeform"


def test_code_alone_holds_no_facts_and_is_diagnosed_only_on_mps():
    # torch code on MPS is read as torch work on MPS (verify.diagnosis.paste.mpswork): diagnosed,
    # no facts
    pasted = envdump.parse("```\nx = torch.ones(3).to('mps')\n```\n")
    assert pasted.kind == "freeform" and pasted.facts.torch_version is None
    with pytest.raises(InputError):  # torch code with no MPS in it says nothing of a Mac
        envdump.parse("```\nx = torch.ones(3).to('cuda')\n```\n")


# --- REPL sessions -------------------------------------------------------------------------------


def test_printed_torch_version_on_the_next_line():
    assert read(">>> print(torch.__version__)\n2.1.0\n")["torch_version"] == "2.1.0"


def test_python_banner_and_sys_version():
    # CPython's REPL banner (Modules/main.c pymain_header: "Python <sys.version> on <platform>")
    f = read("Python 3.11.4 (main, Jul  5 2023, 08:40:20) [Clang 14.0.6 ] on darwin\n")
    assert (f["python_version"], f["os"]) == ("3.11.4", "Darwin")
    # sys.version printed alone
    assert read("3.11.5 (main, Sep 11 2023, 08:31:25) [Clang 14.0.6 ]\n")["python_version"] == (
        "3.11.5"
    )
    # collect_env's line is read by envdump, not taken for a bare sys.version here
    assert "os" not in read("Python version: 3.10.9 (main, Mar  1 2023, 12:33:47) [Clang 14.0.6 ]")


def test_device_of_a_tensor_is_proof_but_a_device_object_is_not():
    assert read(">>> x.device\ndevice(type='mps', index=0)\n")["mps_available"] is True
    # torch.device("mps") prints without an index and needs no working device
    assert "mps_available" not in read(">>> torch.device('mps')\ndevice(type='mps')\n")


def test_mps_is_available_in_words_and_apple_silicon_chip():
    assert read("MPS is available: True")["mps_available"] is True
    assert read("Platform: Apple Silicon M2")["chip"] == "Apple M2"


def test_a_time_measured_on_mps_is_proof():
    # scverse/scvi-tools#3981 review comment (M4 Max)
    line = "fwd+bwd on a resident batch     cpu 7.49 ms   mps 4.73 ms   ->  1.58x"
    assert read(line)["mps_available"] is True
    # pytorch/pytorch#122973 comment output: a time with no unit, after "time used"
    assert read("mps time used : 7.674119472503662")["mps_available"] is True
    # Morton-Li/PyTorch-MacOS-Builder#4 comment output, in Chinese ("总时间": total time, "秒": s)
    assert read("MPS matmul 100次总时间: 0.0035秒")["mps_available"] is True


def test_a_time_in_code_or_a_wish_is_not_proof():
    for text in (
        "print(f'mps: {elapsed:.2f} s')",
        "I expected mps to take 10s",
        "python benchmark.py --device mps --dtype float32",
        "MPS backend out of memory (MPS allocated: 1.2 GB, other allocations: 0 bytes)",
    ):
        assert "mps_available" not in read(text), text


def test_mps_state_in_chinese():
    # Morton-Li/PyTorch-MacOS-Builder#4 comment output ("可用": available)
    assert read("MPS可用: True")["mps_available"] is True
    assert read("MPS可用\uff1aFalse")["mps_available"] is False


def test_device_lines_that_follow_an_availability_check():
    # PyTorch's quickstart tutorial prints f"Using {device} device" after its accelerator check
    assert read("Using mps device\n")["mps_available"] is True
    # sentence-transformers logs the device util.get_device_name() picked
    line = "2025-07-31 06:38:22,621 - sentence_transformers.SentenceTransformer - INFO - "
    assert read(line + "Use pytorch device_name: mps\n")["mps_available"] is True
    assert "mps_available" not in read(line + "Use pytorch device_name: cpu\n")


# --- what was seen beats what the versions predict ----------------------------------------------


def test_versions_below_the_floor_while_mps_ran_is_a_warning_not_a_failure():
    # a printed tensor on mps:0 (pytorch/pytorch#100370's output line) with versions that would
    # put MPS below torch 2.5's macOS 13.0 floor: one of the versions is not this machine's
    text = "macOS 12.6.1, torch 2.5.1\nd1 tensor(1605, device='mps:0')\n"
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "torch.version")
    assert row.status is Status.WARN
    assert "shows MPS working" in row.cause
    assert not [r for r in results if r.status is Status.FAIL]
    # without the proof the floor still fails
    _, results = diagnose.diagnose("macOS 12.6.1, torch 2.5.1, MacBook Air M1\n")
    assert next(r for r in results if r.id == "torch.version").status is Status.FAIL


def test_an_error_that_proves_no_device_beats_a_line_that_picked_it():
    # "Using device: mps" is printed before the failure; torch's message (pytorch/pytorch#164943)
    # says there is no device
    text = (
        "Using device: mps\n"
        "RuntimeError: The MPS backend is supported on MacOS 13.0+.Current OS version can be "
        "queried using `sw_vers`\n"
    )
    assert envdump.parse(text).facts.mps_available is False


# --- Homebrew ------------------------------------------------------------------------------------


def test_brew_config_on_a_rosetta_terminal():
    # Homebrew/homebrew-core#83244 `brew config` (an ARM Homebrew run from a Rosetta Terminal)
    f = envdump.parse(
        "HOMEBREW_PREFIX: /opt/homebrew\nmacOS: 11.5.2-x86_64\nCLT: 12.5.0.22.9\nRosetta 2: true\n"
    ).facts
    assert (f.os, f.macos_version, f.machine) == ("Darwin", "11.5.2", "x86_64")
    assert (f.hardware_arm64, f.translated) == (True, True)


def test_brew_config_arch_is_the_shell_not_the_interpreter():
    text = (
        "macOS: 14.2.1-x86_64\nRosetta 2: true\n"
        "Python platform: macOS-14.2.1-arm64-arm-64bit\n"  # the Python itself is native
    )
    f = envdump.parse(text).facts
    assert (f.machine, f.translated) == ("arm64", False)


def test_torch_under_a_homebrew_python_prefix():
    arm = (
        '  File "/opt/homebrew/lib/python3.11/site-packages/torch/__init__.py", line 1, in <module>'
    )
    assert read(arm)["machine"] == "arm64"
    intel = (
        '  File "/usr/local/Cellar/python@3.9/3.9.13/Frameworks/Python.framework/Versions/3.9/'
        'lib/python3.9/site-packages/torch/__init__.py", line 1, in <module>'
    )
    assert read(intel)["machine"] == "x86_64"
    # a Homebrew path that is not the interpreter's torch says nothing about it
    assert "machine" not in read("Git: 2.32.0 => /opt/homebrew/bin/git")


# --- other languages ------------------------------------------------------------------------------


def test_version_words_in_chinese_japanese_and_korean():
    # Morton-Li/PyTorch-MacOS-Builder#4 comment output ("版本": version)
    assert read("PyTorch版本: 2.6.0a0+git1eba9b3")["torch_version"] == "2.6.0a0+git1eba9b3"
    assert read("Python版本: 3.10.13")["python_version"] == "3.10.13"
    assert read("macOS版本\uff1a14.2")["macos_version"] == "14.2"
    assert read("PyTorchのバージョン: 2.1.0")["torch_version"] == "2.1.0"
    assert read("torch 버전: 2.0.1")["torch_version"] == "2.0.1"


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # FunAudioLLM/CosyVoice#501's title: no space between the version and the Chinese after it
        ("torch2.4.1没有mac intel处理器版本\uff0c有没有替代方案\uff1f", "torch_version", "2.4.1"),
        ("我安装了torch2.4.1", "torch_version", "2.4.1"),  # nor before the name
        ("PyTorch 2.4.1版本", "torch_version", "2.4.1"),
        ("torch.__version__ → 2.4.1没有", "torch_version", "2.4.1"),
        ("torch-2.4.1没有", "torch_version", "2.4.1"),
        ("python3.10.12没有", "python_version", "3.10.12"),
        ("Python 3.11.4版本", "python_version", "3.11.4"),
        ("macOS 14.5系统", "macos_version", "14.5"),
        ("Sonoma 14.5系统", "macos_version", "14.5"),
        ("PyTorch 2.1.0のバージョン", "torch_version", "2.1.0"),
        ("torch 2.0.1에서", "torch_version", "2.0.1"),
    ],
)
def test_a_version_against_cjk_text_is_read_whole(text, field, value):
    # regex counts CJK letters as word characters: a "\\b" / "(?!\\w)" after the version failed
    # and the reading fell back to a cut one ("2.4"), or to none
    assert read(text).get(field) == value


def test_a_version_run_into_latin_letters_is_not_cut_short():
    assert "torch_version" not in read("torch 2.4.1abc")


def test_an_amount_after_torch_is_no_torch_version():
    # Lightricks/LTX-Desktop#171's heartbeat log, verbatim (an M2 Ultra on macOS 14.8.2): the
    # memory torch holds, once read as "torch 1.02" predating MPS, a failing row
    text = (
        "Heartbeat reports approximately:\n\ntorch = 1.02 GiB\ndriver = 2.99 GiB\nmax = 48.00 GiB"
    )
    assert "torch_version" not in read(text)
    assert read("torch = 2.1.0")["torch_version"] == "2.1.0"


def test_chip_named_in_chinese():
    # taishan1994/BERT-BILSTM-CRF#11 title ("芯片": chip)
    assert read("M2芯片使用mps训练速度极慢")["chip"] == "Apple M2"


def test_a_time_in_minutes_or_hours_on_mps_in_words():
    text = "On MPS it takes 20 minutes per epoch, on the CPU 5 minutes"
    assert read(text)["mps_available"] is True
    assert "mps_available" not in read("it would take 3 hours on mps")


# --- a print of several facts, and pip show ------------------------------------------------------


def test_one_print_of_several_facts_and_its_line():
    text = (
        "$ python -c 'import torch; print(torch.__version__, torch.backends.mps.is_available())'\n"
        "2.2.1 True\n"
    )
    f = read(text)
    assert (f["torch_version"], f["mps_available"]) == ("2.2.1", True)
    # the words must line up with the arguments: a sys.version with spaces reads nothing
    text = ">>> print(sys.version, torch.__version__)\n3.11.4 (main, Jul  5 2023) [Clang] 2.1.0\n"
    assert "torch_version" not in read(text)
    assert "mps_available" not in read("print(torch.backends.mps.is_available(), x)\nFalse\n")


def test_pip_show_torch():
    # `pip show torch` (pip/_internal/commands/show.py field order)
    text = (
        "Name: torch\nVersion: 2.1.0\nSummary: Tensors and Dynamic neural networks in Python\n"
        "Location: /opt/homebrew/lib/python3.11/site-packages\n"
    )
    f = read(text)
    assert (f["torch_version"], f["machine"], f["python_version"]) == ("2.1.0", "arm64", "3.11")


def test_is_mps_available_question_printed():
    # the check people copy: print(f"Is MPS available? {torch.backends.mps.is_available()}")
    assert read("Is MPS available? False\n")["mps_available"] is False


def test_a_python_c_one_liner_on_mps_and_what_it_printed():
    # pytorch/pytorch#91198
    text = (
        '% python -c "import torch;x=torch.arange(10,dtype=torch.float32);'
        "print(x.var().item(),x.to('mps').var().item())\"\n9.166666984558105 8.25\n"
    )
    assert read(text)["mps_available"] is True
    # the same one-liner that failed printed a traceback, not a value
    failed = text.replace("9.166666984558105 8.25", "Traceback (most recent call last):")
    assert "mps_available" not in read(failed)


def test_a_fenced_reproducer_then_its_output_block():
    from pathlib import Path

    import corpus

    # pytorch/pytorch#100370: code that puts a tensor on "mps" and prints, then "the output is"
    # and a fenced block of what it printed
    case = corpus.load(
        Path(corpus.CORPUS_DIR, "pytorch-100370-wrong-results-m2-printed-mps-tensors.txt")
    )
    found = ran._output_block_after(case.text)
    assert found and found[0].value is True
    # an Env block after the code is not its output (pytorch/pytorch#133182's layout)
    env = case.text.replace("the output is ", "Env:")
    assert ran._output_block_after(env) == []
    # nor is an expected output
    assert ran._output_block_after(case.text.replace("the output is", "expected output")) == []


@pytest.mark.parametrize(
    ("line", "os_name"),
    [
        ("环境\uff1amac", "Darwin"),  # deepseek-ai/DeepSeek-OCR-2#21's form, a full-width colon
        ("Environment: Mac", "Darwin"),
        ("系统\uff1aUbuntu 22.04", "Linux"),
        ("Environment: conda", None),  # a key-value that names no OS gives nothing
    ],
)
def test_os_told_under_an_environment_or_cjk_key(line, os_name):
    refusal = (
        "ERROR: Could not find a version that satisfies the requirement torch==2.6.0 "
        "(from versions: none)"
    )
    assert envdump.parse(f"{line}\n{refusal}\n").facts.os == os_name


def test_uv_02_refusing_a_cpu_local_version_on_a_mac_is_the_pin():
    # astral-sh/uv#5182 (uv 0.2: lowercase, no backticks) on "macOS14.4.1 (ARM)"
    text = (
        "I am on macOS14.4.1 (ARM).\n"
        'uv add --extra-index-url="https://download.pytorch.org/whl/cpu" -- torch\n'
        "error: distribution torch==2.3.1+cpu @ registry+https://download.pytorch.org/whl/cpu "
        "can't be installed because it doesn't have a source distribution or wheel for the "
        "current platform\n"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "torch.installed" and first.status is Status.FAIL
    assert "2.3.1+cpu" in first.cause


@pytest.mark.parametrize(
    ("text", "torch"),
    [
        # a comparison sign before the name bounds the version (ModelCloud/GPTQModel#1684)
        ("Skip compile if MPS and < torch 2.8.0", None),
        ("works only with >= torch 2.4", None),
        ("Running torch 2.6.0 on an M2", "2.6.0"),
    ],
)
def test_a_bound_on_torch_is_not_the_torch_in_use(text, torch):
    assert paste.read(text).facts.get("torch_version") == torch


def test_a_verb_denied_of_the_machine_still_names_the_machine():
    # LaurentMazare/tch-rs#629: the Mac is the reporter's; only the binding fails on it
    facts = envdump.parse("`tch-rs` does not run on m1 MacOS.").facts
    assert (facts.chip, facts.os) == ("Apple M1", "Darwin")
    # the machine itself denied: nothing is read (the paste, naming a Mac, is still diagnosed)
    denied = envdump.parse("I am not on an M1 Mac").facts
    assert (denied.chip, denied.os, denied.hardware_arm64) == (None, None, None)


@pytest.mark.parametrize(
    ("typed", "field", "value"),
    [
        # users type these in lower case as often as they copy them
        ("this happens on my apple m2 pro", "chip", "Apple M2 Pro"),
        ("running ubuntu 22.04 with mps", "os", "Linux"),
        ("upgraded to macos sonoma last week", "os", "Darwin"),
    ],
)
def test_machine_facts_typed_in_lower_case_are_read(typed, field, value):
    assert paste.read(typed).facts[field] == value


@pytest.mark.parametrize(
    ("line", "chip"),
    [
        # ultralytics/yolov5#7308: a MacBook Pro as users shorten it
        ("I am working on a MBP M1 in a PyTorch environment", "Apple M1"),
        # BlinkDL/ChatRWKV#93's title: the chip denied is not the Mac's
        ("MBP x86 cpu(not M1/M2) + eGPU[rx6800 16G], can load model", None),
    ],
)
def test_a_shortened_mac_name_with_its_chip(line, chip):
    assert paste.read(line).facts.get("chip") == chip


def test_mac_run_into_chinese_text_is_a_mac():
    # jianchang512/pyvideotrans#353's title: "mac" straight before Chinese words
    facts = paste.read("mac安装提示需要 torch==2.1.2+cu121").facts
    assert facts.get("os") == "Darwin"
