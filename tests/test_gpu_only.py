"""Packages with no macOS build (issue 12): scripts/recipes/refresh_gpu_only.py against a local
PyPI (pytest-httpserver, recorded responses in tests/data/pypi), verify/data/gpu_only_packages.json,
the reader (verify.diagnosis.paste.gpuonly) and the torch.installed row it gives
(verify.diagnosis.resolver), on real reports only; and its precision over every real report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import corpus
import pytest

from scripts.recipes import refresh_gpu_only
from verify.diagnosis import diagnose, envdump
from verify.diagnosis.paste import gpuonly
from verify.errors import InputError
from verify.model import Status

PYPI = Path(__file__).parent / "data" / "pypi"
DATA = Path(__file__).parent / "data"
GENERATED = Path(__file__).parent.parent / "verify" / "data" / "gpu_only_packages.json"


def _serve(httpserver, *names):
    for name in names:
        body = json.loads((PYPI / f"{name}.json").read_text())
        httpserver.expect_request(f"/pypi/{name}/json").respond_with_json(body)
    # any other project: not on this index (PyPI answers 404)
    httpserver.expect_request(re.compile(r"/pypi/[^/]+/json")).respond_with_data("", status=404)


def _run(httpserver, output, candidates, monkeypatch):
    monkeypatch.setattr(refresh_gpu_only, "CANDIDATES", candidates)
    monkeypatch.setattr(refresh_gpu_only, "TORCH_PULLED", frozenset({"nvidia-cublas-cu11"}))
    return refresh_gpu_only.main(
        ["--index-url", httpserver.url_for("/pypi"), "--output", str(output), "--retries", "0"],
        backoff=0,
    )


def test_the_script_lists_packages_by_what_pypi_holds(httpserver, tmp_path, monkeypatch):
    _serve(
        httpserver, "onnxruntime-gpu", "onnxruntime", "flash-attn", "nvidia-cublas-cu11", "torch"
    )
    output = tmp_path / "gpu_only_packages.json"
    candidates = {"onnxruntime-gpu": "onnxruntime", "flash-attn": None, "nvidia-cublas-cu11": None}
    # torch's recorded Requires-Dist names packages this server does not hold (404): left out
    assert _run(httpserver, output, candidates, monkeypatch) == 0
    doc = json.loads(output.read_text())
    gpu = doc["packages"]["onnxruntime-gpu"]
    assert gpu["checked"] == ["1.31.1", "1.31.0", "1.30.0"]
    assert gpu["platforms"] == ["Linux aarch64", "Linux x86_64", "Windows x86_64"]
    assert gpu["twin"] == "onnxruntime"  # its newest release has a macosx_14_0_arm64 wheel
    assert gpu["last_macos_build"] is None
    # an sdist installs (or fails to build) anywhere: not a package with no macOS build
    assert "flash-attn" not in doc["packages"]
    assert doc["with_macos_build"]["flash-attn"].endswith("sdist flash_attn-2.8.3.post2.tar.gz")
    # the 0.0.1 placeholder sdist predates the two wheel-only releases after it
    cublas = doc["packages"]["nvidia-cublas-cu11"]
    assert cublas["last_macos_build"] == "0.0.1"
    assert cublas["checked"] == ["11.11.3.6", "11.10.3.66"]
    assert cublas["required_by_torch"] is True
    assert "triton" in doc["not_on_pypi"]  # named by torch's Requires-Dist, absent here
    assert doc["read"] == doc["generated"][:10]


def test_the_script_fails_in_one_line_and_keeps_the_file(httpserver, tmp_path, monkeypatch, capsys):
    httpserver.expect_request("/pypi/torch/json").respond_with_data("oops", status=500)
    output = tmp_path / "gpu_only_packages.json"
    output.write_text("{}\n")
    assert _run(httpserver, output, {"onnxruntime-gpu": None}, monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("refresh_gpu_only: ") and err.count("\n") == 1
    assert output.read_text() == "{}\n"


def test_platform_families():
    family = refresh_gpu_only.platform_family
    assert family("manylinux1_x86_64") == "Linux x86_64"
    assert family("manylinux_2_28_aarch64") == "Linux aarch64"
    assert family("manylinux2014_x86_64") == "Linux x86_64"
    assert family("win_amd64") == "Windows x86_64"
    assert family("macosx_14_0_arm64") == "macOS arm64"


def test_the_data_file_holds_the_facts_the_reader_needs():
    doc = json.loads(GENERATED.read_text())
    assert doc["read"] and doc["packages"]
    for name, entry in doc["packages"].items():
        assert entry["checked"] and entry["platforms"], name
        assert not any(p.startswith("macOS") or p == "any" for p in entry["platforms"]), name
    known = gpuonly.known()
    assert known["onnxruntime-gpu"].twin == "onnxruntime"
    assert known["onnxruntime-gpu"].leaves_only_macos()
    assert not known["triton"].leaves_only_macos()  # Linux wheels only
    assert known["nvidia-cublas-cu12"].required_by_torch


def _case(name: str) -> corpus.Case:
    found = sorted(DATA.glob(f"*/{name}.txt"))
    assert len(found) == 1, name
    return corpus.load(found[0])


def _row(text: str):
    _, results = diagnose.diagnose(text)
    return next(r for r in results if r.id == "torch.installed"), diagnose.first_cause(results)


@pytest.mark.parametrize(
    ("name", "package", "says"),
    [
        # pip, pulled in by a dependency; no OS in the paste: onnxruntime-gpu has Linux and
        # Windows wheels, so the refusal leaves macOS
        (
            "whisperx-540-pyannote-301-onnxruntime-gpu-breaks-macos",
            "onnxruntime-gpu",
            "pyannote-audio requires onnxruntime-gpu>=1.16.0",
        ),
        # uv's install-time error and hint
        (
            "ina-speech-segmenter-110-uv-onnxruntime-gpu-m4-pro",
            "onnxruntime-gpu",
            "onnxruntime-gpu==1.23.2",
        ),
        # uv's resolver derivation, beside a Python ABI complaint about an older release
        ("comfyui-songgeneration-17-uv-triton-macosx-15-arm64", "triton", "triton>=2.2.0"),
        # a requirements file frozen on Linux (torch's CUDA libraries)
        (
            "pokemon-red-experiments-195-pip-nvidia-cublas-cu12-m2",
            "nvidia-cublas-cu12",
            "nvidia-cublas-cu12==12.4.5.8",
        ),
        ("waldo-15-pip-onnxruntime-gpu-apple-m2-pro", "onnxruntime-gpu", "onnxruntime_gpu==1.15.1"),
        # PyTorch's FBGEMM kernels, Linux wheels only; the Mac named only in the title
        ("ogx-164-fbgemm-gpu-no-mac-wheel", "fbgemm-gpu", "fbgemm-gpu==0.8.0"),
        # NVIDIA's stub sdist finding no wheel for the Mac (NVIDIA/physicsnemo#781's one line)
        ("physicsnemo-781-dali-wheel-macos", "nvidia-dali-cuda120", "nvidia-dali-cuda120==1.46.0"),
        # no installer output at all: the install command on an M3 Max, said to fail
        # (Zejun-Yang/AniPortrait#33, "pip install onnxruntime-gpu 失败")
        (
            "Zejun-Yang-AniPortrait-33-onnxruntime-gpu-m3",
            "onnxruntime-gpu",
            "The install asks for onnxruntime-gpu",
        ),
    ],
)
def test_the_row_names_the_package_and_the_mac_twin(name, package, says):
    row, first = _row(_case(name).text)
    assert row.status is Status.FAIL and first.id == "torch.installed"
    assert row.data["package"] == package
    assert says in row.cause and "no macOS build" in row.cause
    assert any(package.split("-")[0] in line.lower().replace("_", "-") for line in row.evidence)
    if package == "onnxruntime-gpu":
        assert "onnxruntime" in row.fix.commands[0] and "sys_platform" in row.fix.text
    if package.startswith("nvidia-cu"):  # torch's CUDA libraries, not NVIDIA's other packages
        assert "torch's Linux wheels" in row.fix.text


def test_uv_macos_tag_gives_the_machine():
    f = envdump.parse(_case("ina-speech-segmenter-110-uv-onnxruntime-gpu-m4-pro").text).facts
    assert (f.os, f.machine, f.macos_version) == ("Darwin", "arm64", "15.0")


def test_a_linux_or_windows_paste_gets_no_mac_reading():
    text = _case("mangio-rvc-fork-9-onnxruntime-gpu-no-mac-wheel").text
    body = text.split("\n\n", 1)[1].replace("on M1 Mac", "on Ubuntu 22.04")
    assert "Ubuntu 22.04" in body
    try:
        row, _ = _row(body)
    except InputError:
        return
    assert row.status is not Status.FAIL or "no macOS build" not in row.cause


def test_a_linux_only_package_with_no_os_shown_is_not_read_as_a_mac():
    # triton has Linux wheels only: without an OS, Windows is refused as well (the refusal in
    # triton-lang/triton#2371, without the reporter's later "MacOS Ventura 13.5")
    text = _case("triton-2371-pip-no-triton-macos-ventura").text
    body = text.split("MacOS Ventura")[0]
    pasted = envdump.parse(body) if "Python" in body else None
    assert pasted is None or pasted.facts.os is None
    try:
        row, _ = _row(body + "Python 3.11\n")
    except InputError:
        return
    assert row.status is not Status.FAIL


def _install_fails_saying(text: str, *says: str) -> bool:
    """Does torch.installed fail saying one of `says`? False where the paste is refused."""
    try:
        row, _ = _row(text)
    except InputError:
        return False
    return row.status is Status.FAIL and any(said in row.cause for said in says)


def _fired(signs: set[str], *says: str) -> dict[str, str]:
    """Every real report in tests/data whose reading gives one of `signs` and whose
    torch.installed row fails saying one of `says`: report -> its label."""
    fired: dict[str, str] = {}
    for path in sorted(DATA.glob("*/*.txt")):
        case = corpus.load(path)
        if not signs & {c.field for c in gpuonly.read(case.text)}:
            continue
        if _install_fails_saying(case.text, *says):
            fired[f"{path.parent.name}/{path.stem}"] = case.label
    return fired


def test_across_every_real_report_the_reading_fires_only_on_install_failures():
    """Every real report in tests/data: the row fires only where the thread found the install
    picked, or could not find, a build for the Mac; and it does fire."""
    fired = _fired({"sign.gpu_only_package"}, "no macOS build")
    assert len(fired) >= 9
    wrong = {name for name, label in fired.items() if label != "install-wrong-arch"}
    assert wrong == STALE_LOCK_LABELLED_OTHER, fired


# the row is right and the collector labelled the thread's cause "other": a stale Pipfile.lock
# pinning NVIDIA's CUDA packages on a Mac, fixed by deleting the lock (OpenHands/OpenHands#638,
# session 38's round 18)
STALE_LOCK_LABELLED_OTHER = {"holdout360/OpenHands-638-nvjitlink-pipfile-lock"}


@pytest.mark.parametrize(
    ("name", "release", "platforms", "first_id"),
    [
        # a lock file's bitsandbytes 0.45.0: Linux and Windows wheels only, no sdist
        (
            "smol-course-286-bitsandbytes-no-macos-arm64-wheel-uv",
            "bitsandbytes 0.45.0",
            "manylinux_2_24_x86_64, win_amd64",
            "torch.installed",
        ),
        # coreai-core 1.0.0b1 had macOS wheels, not for this Python (3.13): uv lists the
        # platforms for this interpreter's tags, and the row says it can be either; PyPI says
        # which (cp311-cp312 only: verify.diagnosis.package_wheels puts host.python first)
        (
            "coreai-torch-4-no-cp313-macos-wheel",
            "coreai-core 1.0.0b1",
            "manylinux_2_34_x86_64",
            "host.python",
        ),
    ],
)
def test_uv_naming_a_release_without_a_mac_wheel_fails_the_install(
    name, release, platforms, first_id
):
    text = _case(name).text
    (clue,) = [c for c in gpuonly.read(text) if c.field == "sign.release_no_mac_wheel"]
    assert clue.value.tag == "macosx_26_0_arm64"
    row, first = _row(text)
    assert row.status is Status.FAIL and first.id == first_id
    assert f"asks for {release}, which has no wheel for this Mac (macosx_26_0_arm64" in row.cause
    assert f"wheels only for {platforms}," in row.cause and "this Python version" in row.cause
    assert row.evidence[0] == clue.line  # then the line that gives the Python, if any
    assert "sys_platform != 'darwin'" in row.fix.text and row.fix.commands[1] == "uv sync"


def test_a_release_with_a_mac_wheel_or_torch_is_not_this_reading():
    line = (
        "hint: You're on macOS (`macosx_15_0_x86_64`), but `{name}` (v1.2.0) only has wheels for "
        "the following platforms: `manylinux_2_28_x86_64`, `{other}`\n"
    )
    # the release has an arm64 macOS wheel: an x86_64 interpreter's matter, not the release's
    assert not gpuonly.read(line.format(name="tokenizers", other="macosx_11_0_arm64"))
    # torch's own hint is verify.diagnosis.paste.packages'
    assert not gpuonly.read(line.format(name="torch", other="win_amd64"))
    (clue, *_tag) = gpuonly.read(line.format(name="tokenizers", other="win_amd64"))
    assert clue.value.platforms == ("manylinux_2_28_x86_64", "win_amd64")


def test_pip_finding_no_release_of_a_package_on_a_mac_fails_the_install():
    # pyg-team/pytorch_geometric#6362: pyg-lib from PyG's own index on an M1 Max
    text = _case("pyg-team-pytorch_geometric-6362-pyg-lib-m1-max").text
    (clue,) = [c for c in gpuonly.read(text) if c.field == "sign.no_release_here"]
    assert clue.value.requirement == "pyg-lib" and "(from versions: none)" in clue.line
    row, first = _row(text)
    assert row.status is Status.FAIL and first.id == "torch.installed"
    assert "pip found no release of pyg-lib at all that installs on this Mac" in row.cause
    assert row.evidence[0] == clue.line and row.fix.commands == (
        "python -m pip index versions pyg-lib",
    )


def test_cuda_itself_asked_of_pip_on_a_mac_is_a_warning_not_a_missing_dependency():
    # MouseLand/Kilosort#674's description, verbatim lines (an M-series Mac; the thread found the
    # fault in the wrapper that called it): CUDA is nothing a Mac's environment lacks
    text = (
        "I would like support for the MacOS system. I am using the M series chip to develop for "
        "our lab and test new tools locally before deploying to our server.\n"
        "(dj3.9) ➜  Official_Tutorial_SI_0.99_Nov23 git:(master) ✗ pip install cuda\n"
        "ERROR: Could not find a version that satisfies the requirement cuda (from versions: "
        "none)\n"
        "ERROR: No matching distribution found for cuda\n"
    )
    row, first = _row(text)
    assert row.status is Status.WARN and first is row
    assert "cuda is NVIDIA's CUDA" in row.cause and "(from versions: none)" in row.evidence[0]
    # a package that is not CUDA itself keeps the failing install row
    row, _ = _row(text.replace("requirement cuda", "requirement cudatext"))
    assert row.status is Status.FAIL


NONE = (
    "ERROR: Could not find a version that satisfies the requirement decord (from versions: none)\n"
    "ERROR: No matching distribution found for decord\n"
)


def test_a_package_with_intel_wheels_only_says_so_from_pypi():
    # decord's macOS wheels on PyPI are x86_64 ones (verify/data/mac_wheels.json): the row says
    # a native arm64 Python finds none; pyg-lib, with no macOS wheel on PyPI, gets no such line
    row, _ = _row("I'm on an M4 MacBook Pro, macOS 15.1.\n" + NONE)
    assert "PyPI has decord's macOS wheels for Intel (x86_64) only, the newest 0.6.0" in row.cause
    row, _ = _row("I'm on an M4 MacBook Pro, macOS 15.1.\n" + NONE.replace("decord", "pyg-lib"))
    assert "Intel (x86_64) only" not in row.cause
    # on an Intel Mac those wheels would install: they are no reason for "none" there
    row, _ = _row("MacBook Pro 2019, Intel Core i7, macOS 13.6\n" + NONE)
    assert row.status is Status.FAIL and "Intel (x86_64) only" not in row.cause


@pytest.mark.parametrize(
    ("before", "fires"),
    [
        ("I'm on an M4 MacBook Pro, macOS 15.1.\n", True),
        # the same words from Linux, or from no system named: nothing about this Mac
        ("Ubuntu 22.04, Python 3.10\n", False),
        ("", False),
        # pip reaching no index says "none" for everything
        (
            "I'm on an M4 MacBook Pro.\nWARNING: Retrying (Retry(total=4, connect=None, "
            "read=None, redirect=None, status=None)) after connection broken\n",
            False,
        ),
    ],
)
def test_no_release_here_only_on_a_mac_that_reached_its_index(before, fires):
    assert _install_fails_saying(before + NONE, "no release of decord") is fires


def test_torchs_own_none_is_not_this_reading():
    # torch's, torchvision's and torchaudio's refusals are verify.diagnosis.paste.packages'
    for name in ("torch", "torchvision", "torchaudio"):
        assert not gpuonly.read(NONE.replace("decord", name))


# real reports where the reading is right about the install and the thread found another cause
# first: the Python (a release with macOS wheels for older Pythons only)
OTHER_CAUSE = {
    "holdout35/coreai-torch-4-no-cp313-macos-wheel": "python-unsupported",
    "holdout57/pytorch-executorch-22314-arm-tosa-python314": "python-unsupported",
    # open3d 0.17 had no Python 3.11 wheels (isl-org/Open3D#6346, session 11's blind round 2)
    "holdout64/isl-org-Open3D-6346-cant-install-the-library": "python-unsupported",
    # session 12's blind round 2 (holdout74), each a wrong first answer there: mlc-ai-nightly's
    # wheels needed a newer macOS (simonw/llm-mlc#11), onnxruntime-silicon none for Python 3.12
    # (cansik/onnxruntime-silicon#21): pip's "from versions: none" cannot tell these apart (mlx's
    # on an Apple chip, mflux#23 there and ml-explore/mlx#105 in holdout103, is the x86_64
    # Python's since session 15: verify.diagnosis.paste.armonly)
    "holdout74/llm-mlc-11-mlc-ai-nightly-no-version": "macos-too-old",
    "holdout74/onnxruntime-silicon-21-m3-max-py312": "python-unsupported",
    # session 14's blind round 2 (holdout103), a wrong first answer there: uv's kaldialign 0.9.1
    # with no wheel for this Mac that is a Python 3.13 one's: its cp310-cp312 wheels are
    # universal2 (ShayneP/local-voice-ai#21, told so by the report itself)
    "holdout103/local-voice-ai-21-kaldialign-no-cp313-macos-wheel": "python-unsupported",
    # session 15's blind rounds (holdout113, holdout119), wrong first answers there: ray's
    # "from versions: none" on Python 3.12, its cp311 arm64 wheel fetched after `pyenv local
    # 3.11` in the same paste (ray-project/ray#44014), and uv's coreai-core 1.0.0b1 with only a
    # manylinux wheel for cp313, whose macOS wheels were cp311 / cp312 (apple/coreai-torch#20,
    # the reporter's own follow-up)
    "holdout113/ray-44014-apple-silicon-python312": "python-unsupported",
    "holdout119/coreai-torch-20-coreai-core-no-wheel-py313": "python-unsupported",
    # session 16's blind rounds (holdout123, holdout129): pyrealsense2 under pip's Python 2.7
    # (realsenseai/librealsense#6246), mediapipe-silicon (arm64 wheels only) under an x86_64
    # Anaconda (cansik/mediapipe-silicon#11) and on Big Sur below its wheels' macOS 12 (#15,
    # which verify.diagnosis.package_wheels now puts first), ray 2.2.0 on a Python 3.11 the
    # paste never names (jupyterlab/jupyter-ai#73)
    "holdout123/librealsense-6246-pyrealsense2-python27": "python-unsupported",
    "holdout123/mediapipe-silicon-11-x86-python-rosetta": "rosetta",
    "holdout123/mediapipe-silicon-15-bigsur-blender": "macos-too-old",
    # session 17's first round (holdout134): mlc-chat-nightly's wheels on mlc.ai's own index
    # were built for macOS 13 and later, pip on Monterey found none (mlc-ai/mlc-llm#1403); no
    # PyPI data says so, and "Monterey" alone gives no version
    "holdout134/mlc-llm-1403-no-wheel-macos-12": "macos-too-old",
    # session 17's sealed rounds (holdout138): mlx's "from versions: none" under Python 3.12.0
    # in December 2023 (ml-explore/mlx-examples#29); mlx is arm64-only, and with the
    # interpreter's architecture unknown an x86_64 Python finding none says the same
    "holdout138/mlx-examples-29-no-wheels-py312": "python-unsupported",
    "holdout129/jupyter-ai-73-ray-no-py311-wheel": "python-unsupported",
    # session 18's first round (holdout145): onnxruntime for Python 3.14 on Windows on Arm in a
    # VM on an Apple-silicon Mac, before its 3.14 wheels (microsoft/onnxruntime#26473); the
    # paste names the Mac, and pip's "from versions: none" cannot tell the VM's Windows apart
    "holdout145/onnxruntime-26473-win11-arm64-vm-mac-py314": "python-unsupported",
    # session 29's rounds (holdout300): onnxruntime-coreml on an Intel MacBook Pro ("Have
    # MacbookPro Intel X64"), a package with no x86_64 build; host.arch names the Intel Mac
    # too, and the same case is labelled install-wrong-arch in holdout154 (Deep-Live-Cam#13)
    "holdout300/onnxruntime-18572-intel-mac-onnxruntime-coreml": "intel-mac",
    # session 30's rounds (holdout330): ray on macOS under Python 3.11 in 2023, when ray's 3.11
    # wheels were Linux-only (ray-project/ray#34792), as jupyter-ai#73 above; host.python's row
    # names the Python first
    "holdout330/ray-34792-py311-macos-no-wheel": "python-unsupported",
    # and onnxruntime-silicon==1.20.1 under a Python newer than its wheels, the same pip run
    # skipping numpy 1.21.x for "Requires-Python >=3.7,<3.11" (C0untFloyd/roop-unleashed#1046);
    # the Python the paste names (3.10) is one the reporter tried, not the one that ran
    "holdout330/roop-unleashed-1046-no-module-torch-python-too-new": "python-unsupported",
    # session 31's rounds (holdout360): pip's "from versions: none" for torch-mlir on an M1,
    # whose threads found the Python (llvm/torch-mlir#1818: "We only have binaries for 3.10",
    # the Python not shown) and an Intel Anaconda Python (#848, "[Clang 10.0.0 ] :: Anaconda,
    # Inc." under Rosetta); the rows name the missing release for this Mac, misses in the
    # blind figure
    "holdout360/torch-mlir-1818-m1-no-matching-distribution-python-version": "python-unsupported",
    "holdout360/torch-mlir-848-no-matching-distribution-m1-anaconda": "rosetta",
}


def test_across_every_real_report_a_package_with_no_release_here_is_the_install():
    """Every real report in tests/data where uv names a release without a Mac wheel or pip
    finds no release of a package at all: the row fires on install failures only."""
    signs = {"sign.release_no_mac_wheel", "sign.no_release_here"}
    fired = _fired(signs, "no wheel for this Mac", "no release of")
    assert len(fired) >= 6, fired
    wrong = {name: label for name, label in fired.items() if label != "install-wrong-arch"}
    assert wrong == OTHER_CAUSE


def test_pips_list_ending_below_the_pin_on_a_mac_fails_the_install():
    # axolotl-ai-cloud/axolotl#1436: bitsandbytes==0.43.0 had no macOS wheel, the list ends at
    # 0.42.0; the title is all that says macOS
    text = _case("axolotl-1436-bitsandbytes-0-43-no-macos-wheel").text
    (clue,) = [c for c in gpuonly.read(text) if c.field == "sign.pin_past_list"]
    assert clue.value.requirement == "bitsandbytes==0.43.0"
    assert clue.value.newest_listed == "0.42.0"
    row, first = _row(text)
    assert row.status is Status.FAIL and first.id == "torch.installed"
    assert "its list of bitsandbytes releases for this interpreter ends at 0.42.0" in row.cause
    assert row.evidence[0] == clue.line
    assert "pin bitsandbytes==0.42.0" in row.fix.text


LISTED = (
    "ERROR: Could not find a version that satisfies the requirement chython==1.75 "
    "(from versions: 1.64.1, 1.68, 1.70)\n"
    "ERROR: No matching distribution found for chython==1.75\n"
)


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("I'm on an M2 Mac.\n" + LISTED, True),
        # the same words from Linux, or with no system named
        ("Ubuntu 22.04\n" + LISTED, False),
        (LISTED, False),
        # a pin below the list: an old release, for this Python or this platform, pip can't tell
        ("I'm on an M2 Mac.\n" + LISTED.replace("1.75", "1.2"), False),
        # a range the list meets is no refusal of this kind
        ("I'm on an M2 Mac.\n" + LISTED.replace("chython==1.75 ", "chython>=1.68,<1.0 "), False),
        # pip said the Python is why: host.python's (verify.diagnosis.paste.pytags)
        (
            "I'm on an M2 Mac.\nINFO: Ignored the following versions that require a different "
            "python version: 1.75 Requires-Python >=3.11\n" + LISTED,
            False,
        ),
        # an x86_64 interpreter's list ending early is host.arch's
        ("macOS 14.2 x86_64, Intel Mac\n" + LISTED, False),
    ],
)
def test_a_list_below_the_pin_only_on_an_arm64_mac(text, fires):
    assert _install_fails_saying(text, "ends at 1.70") is fires


def test_across_every_real_report_a_list_below_the_pin_is_the_install():
    fired = _fired({"sign.pin_past_list"}, "releases for this interpreter ends at")
    assert len(fired) >= 3, fired
    # "other": C0untFloyd/roop-unleashed#1063 pinned onnxruntime-silicon==1.20.1, a release never
    # published (the list ends at 1.16.3); the row's fix, the newest listed, was the maintainer's.
    # "macos-too-old": google-ai-edge/mediapipe#4336, mediapipe 0.9.3.0's macosx_12_0_universal2
    # wheel refused on macOS 12.5.1, fixed by a macOS update (PyPI no longer lists those files)
    # "python-unsupported": facebookresearch/BenchMARL#29, torchrl>=0.2.0 on Python 3.7.16, which
    # torchrl 0.2.0 dropped; pip's "Ignored the following versions that require a different
    # python version" line, which tells it, is not in the paste
    allowed = {"install-wrong-arch", "other", "macos-too-old"}
    python = {name for name, label in fired.items() if label == "python-unsupported"}
    assert python <= {"holdout214/BenchMARL-29-torchrl-no-wheel-python37"}, python
    assert set(fired.values()) - {"python-unsupported"} <= allowed, fired
    assert "install-wrong-arch" in fired.values()


def test_an_install_that_fails_goes_before_macos_below_the_mps_floor():
    # ninjaaron/aimrocks#11's kind, as gluonts#1992 printed it: an M1 on macOS 12.2.1 (below
    # MPS's 12.3) whose install stops at a package with no build for it
    text = "macOS 12.2.1, Apple M1\n" + LISTED
    _, results = diagnose.diagnose(text)
    rows = {r.id: r for r in results}
    assert rows["host.macos"].status is Status.FAIL
    assert rows["torch.installed"].status is Status.FAIL
    assert diagnose.first_cause(results).id == "torch.installed"
    # with MPS tried and no install failing, the floor is the cause
    _, results = diagnose.diagnose(
        "macOS 12.2.1, Apple M1\nRuntimeError: MPS backend is supported on MacOS 12.3+.\n"
    )
    assert diagnose.first_cause(results).id == "host.macos"


def test_the_release_a_refused_requirement_pins():
    # read once for verify.diagnosis.package_wheels and .paste.armonly
    assert gpuonly.pinned_release("decord==0.6.0") == "0.6.0"
    assert gpuonly.pinned_release("onnxruntime-silicon==1.13.1") == "1.13.1"
    assert gpuonly.pinned_release("pyg-lib==0.*") is None  # a wildcard names no release
    assert gpuonly.pinned_release("decord") is None
    assert gpuonly.pinned_release("decord>=0.6") is None
