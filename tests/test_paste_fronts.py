"""Readings of issue 12 from other front ends and other words, on real reports in tests/data (the
phrase-level tests of the same readings are in test_paste_told.py): libtorch's C++ tensor footer
("[ MPSFloatType{1} ]", R torch) as proof that MPS ran, and the user's Mac told with an age word
next to Docker's GPU refusal; then session 17's readings, each on the held-out report it came
from: a macOS said exactly over its name, pip's Python 2.7 line, M chips and architectures said
in words, a Mac below MPS's floor, Linux on a Mac known from words alone, an AMD GPU wished for,
Markdown links of words."""

from __future__ import annotations

import re
from pathlib import Path

import corpus

from verify.diagnosis import diagnose, envdump, paste
from verify.diagnosis.paste import prose, ran
from verify.model import Status

DATA = Path(__file__).parent / "data"


def _case(folder: str, name: str) -> corpus.Case:
    return corpus.load(next((DATA / folder).glob(f"{name}*.txt")))


def test_cpp_footer_of_other_dtypes_and_code_alone():
    found = {c.field: c.value for c in ran.read("torch_tensor\n 1\n[ MPSLongType{1} ]")}
    assert found.get("mps_available") is True
    # the device asked for in code, no printed tensor: no proof
    text = 'b = torch_randn(4, 4)$to(device = "mps")\nprint(MPSFloatType)\n'
    assert "mps_available" not in {c.field for c in ran.read(text)}


def test_r_torch_float64_after_an_mps_tensor_printed():
    # mlverse/torch#972: the tensor printed on MPS, then as_array() went through float64
    case = _case("collect_env", "mlverse-torch-972")
    assert envdump.parse(case.text).facts.mps_available is True
    first = diagnose.first_cause(diagnose.diagnose(case.text)[1])
    assert first is not None and first.id == "error.mps.float64"


def test_r_torch_report_with_mps_tensors_is_healthy():
    # mlverse/torch#1074 (holdout7): as.numeric() on an MPS tensor, "MacOSX Ventura 13.4.1"
    facts, results = diagnose.diagnose(_case("holdout7", "mlverse-torch-1074").text)
    assert facts.mps_available is True and facts.macos_version == "13.4.1"
    assert not [r for r in results if r.status is Status.FAIL]


def test_mac_told_with_an_article_or_age_word():
    for said in ("I am using a brand new MacBook Air", "I'm on my Mac", "I use a recent macbook"):
        assert any(c.field == "sign.mac_hint" for c in prose.read(said)), said
    assert not any(c.field == "sign.mac_hint" for c in prose.read("I'm on latest Ubuntu"))


def test_docker_gpu_refusal_next_to_a_latest_macbook_is_linux_in_a_mac():
    # pieroit/stable-diffusion-jupyterlab-docker#8 (holdout7): was refused as holding no facts
    _, results = diagnose.diagnose(_case("holdout7", "sd-jupyterlab-docker-8").text)
    rows = {r.id: r for r in results}
    assert rows["host.os"].status is Status.FAIL
    assert diagnose.first_cause(results).id == "host.os"
    assert any("Macbook Pro" in line for line in rows["host.os"].evidence)


def test_a_release_said_by_name_and_major_gives_way_to_the_exact_version():
    # divamgupta/diffusionbee-stable-diffusion-ui#38: "Cannot run on macOS 11 Big Sur" in the
    # title, the app's "You have macOS 11.7" in the body
    case = _case("holdout123", "diffusionbee-38")
    assert envdump.parse(case.text).facts.macos_version == "11.7"
    # a release said by major alone and nothing more exact: the major
    assert envdump.parse("Cannot run on macOS 11 Big Sur\n").facts.macos_version == "11.0"
    # another release elsewhere is no refinement of it
    assert envdump.parse("macOS 13 Ventura\nmacOS 14.2\n").facts.macos_version == "13.0"


def test_a_mac_below_mps_floor_with_no_mps_attempt_is_warned_last():
    # kaixxx/noScribe#56 (an app that will not open on Big Sur), ml-explore/mlx#2196 (macOS 11):
    # no MPS attempt in the paste, yet no MPS can be had there: a warning, first when alone
    for folder, name in (("holdout123", "noScribe-56"), ("holdout97", "mlx-2196")):
        results = diagnose.diagnose(_case(folder, name).text)[1]
        row = next(r for r in results if r.id == "host.macos")
        assert row.status is Status.WARN and "older than 12.3" in row.cause
        assert row.evidence and all(re.search(r"Big Sur|11", line) for line in row.evidence)
        assert diagnose.first_cause(results) is row
    # pypa/pip#9142: macOS 10.13.6 beside pip finding no wheel for the Python: Python's row first
    results = diagnose.diagnose(_case("holdout123", "pip-9142").text)[1]
    assert next(r for r in results if r.id == "host.macos").status is Status.WARN
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.python"
    # MPS shown failing on that macOS: the rule's own failure, not this warning
    text = "macOS 11.6\nM1\nRuntimeError: PyTorch is not linked with support for mps devices\n"
    row = next(r for r in diagnose.diagnose(text)[1] if r.id == "host.macos")
    assert row.status is Status.FAIL and "below_mps" not in row.data


def test_pips_end_of_life_warning_names_the_python_it_runs_under():
    # IntelRealSense/librealsense#6246: pip under Python 2.7 found no pyrealsense2 for it
    case = _case("holdout123", "librealsense-6246")
    assert envdump.parse(case.text).facts.python_version == "2.7"
    first = diagnose.first_cause(diagnose.diagnose(case.text)[1])
    assert first is not None and first.id == "host.python"
    # pip 19's wording before the day; a sentence about Python 2.7 is not pip's warning
    before = (
        "DEPRECATION: Python 2.7 will reach the end of its life on January 1st, 2020. Please "
        "upgrade your Python as Python 2.7 won't be maintained after that date.\n"
        "ERROR: Could not find a version that satisfies the requirement torch (from versions: "
        "none)\n"
    )
    assert envdump.parse(before).facts.python_version == "2.7"
    sentence = "On my Mac: Python 2.7 reached the end of its life in 2020.\n"
    assert envdump.parse(sentence).facts.python_version is None


def test_an_m_chip_said_of_the_machine_or_before_mac_in_brackets():
    # conda-forge/miniforge#319: "My computer is M1" (a full-width comma after it)
    case = _case("holdout64", "conda-forge-miniforge-319")
    f = envdump.parse(case.text).facts
    assert (f.chip, f.hardware_arm64) == ("Apple M1", True)
    # nateraw/backgroundremover#17's title: "M1 (Mac) PackagesNotFoundError: torchaudio"
    title = _case("holdout57", "backgroundremover-17").text.splitlines()[0]
    assert envdump.parse(title).facts.chip == "Apple M1"
    # a condition, not the user's machine
    assert not [c for c in paste.all_clues("if your computer is M1 then\n") if c.field == "chip"]


def test_the_architecture_said_right_after_macos():
    # e2b-dev/desktop#5: "Macos x86 has been deprecated by since `torch==2.2.2 `"
    f = envdump.parse(_case("holdout48", "e2b-desktop-5").text).facts
    assert (f.os, f.machine) == ("Darwin", "x86_64")
    # PsyNeuLink#3232's title "Restrict numpy to <2 on macos x86_64": an Intel Mac's story
    results = diagnose.diagnose(_case("holdout68", "PsyNeuLink-3232").text)[1]
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch"
    # a build's platform ("only provide wheels for MacOS arm64": huggingface/peft#2431) and a
    # list of both ("macOS (x86-64, ARM64)": OpenNMT/CTranslate2#1841) say nothing of the machine
    assert envdump.parse(_case("holdout13", "peft-2431").text).facts.machine != "arm64"
    assert not [
        c
        for c in paste.all_clues("- OS: Linux (x86-64, AArch64), macOS (x86-64, ARM64)\n")
        if c.field == "machine"
    ]


def test_linux_on_a_mac_known_from_words_alone_is_a_warning():
    # Zyphra/Zonos-v0.1-hybrid discussion 2 (holdout134): "build the docker image on my Mac",
    # the daemon refusing the nvidia runtime; nothing ran in the container
    results = diagnose.diagnose(_case("holdout134", "hf-zyphra-zonos").text)[1]
    row = next(r for r in results if r.id == "host.os")
    assert row.status is Status.WARN and "container" in row.cause
    assert diagnose.first_cause(results) is row
    # an MPS error from the process in Docker: a failure (as the daemon's own GPU refusal is:
    # pieroit/stable-diffusion-jupyterlab-docker#8, test above)
    words = (
        "I run it in Docker on my M1 Mac\n"
        "RuntimeError: PyTorch is not linked with support for mps devices\n"
    )
    row = next(r for r in diagnose.diagnose(words)[1] if r.id == "host.os")
    assert row.status is Status.FAIL


def test_an_amd_gpu_wished_for_beside_a_mac_is_not_the_macs():
    # lightningpixel/modly#111 ("compatible on mac as well ? Or even AMD gpu") and
    # nagadomi/nunif#346 ("a Mac version or AMD GPU compatible update?"), both healthy
    for name in ("modly-111", "nunif-346"):
        results = diagnose.diagnose(_case("holdout138", name).text)[1]
        assert not [r for r in results if r.status is Status.FAIL], name
    # the Mac's own AMD GPU stays the Intel Mac's sign
    own = "My iMac has an AMD Radeon Pro 5500 XT and torch.backends.mps.is_available() is False\n"
    assert [c for c in paste.all_clues(own) if c.field == "sign.amd_gpu"]


def test_a_markdown_link_of_words_is_read_as_its_words():
    # aiwithbrandon/building-with-llms-made-simple#7: "Newer versions of pytorch have [dropped
    # support](https://dev-discuss.pytorch.org/...) for MacOS x86_64 (Intel Macs)"
    results = diagnose.diagnose(_case("holdout138", "building-with-llms-made-simple-7").text)[1]
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "host.arch" and first.status is Status.FAIL
    # one word linked ("PyTorch [1.12](https://pytorch.org/blog/...)" cites a release) is no
    # version of the user's
    text = "MPS is also available now in PyTorch [1.12](https://pytorch.org/blog/x/) on my M1\n"
    assert envdump.parse(text).facts.torch_version is None


def test_an_x86_macos_said_in_words_is_an_intel_mac_on_macos():
    # llvm/torch-mlir#3191: "Build failed on x86 MacOS", pip failing on a torch nightly pin
    case = _case("holdout138", "torch-mlir-3191")
    f = envdump.parse(case.text).facts
    assert (f.os, f.machine, f.hardware_arm64) == ("Darwin", "x86_64", False)
    first = diagnose.first_cause(diagnose.diagnose(case.text)[1])
    assert first is not None and first.id == "host.arch"
    # an Intel CPU named without a Mac says no OS
    assert "os" not in {c.field for c in paste.all_clues("It runs on an x86 processor\n")}


def test_an_arm_mac_said_in_words_is_apple_silicon():
    # sstadick/perbase#72: "When installing perbase via conda on an Arm Mac ..."
    f = envdump.parse(_case("holdout138", "perbase-72").text).facts
    assert (f.os, f.hardware_arm64) == ("Darwin", True)
    # a class of Macs, or a question, is no user's Mac
    for text in ("wheels for ARM Macs are missing\n", "Does it work on an ARM Mac?\n"):
        assert "hardware_arm64" not in {c.field for c in paste.all_clues(text)}, text
