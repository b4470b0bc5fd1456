"""Another package's macOS wheels leaving this Python or this macOS out:
scripts/recipes/refresh_mac_wheels.py (against a local PyPI serving a trimmed real response),
verify.mac_wheels (the shipped data, read from PyPI) and verify.diagnosis.package_wheels
(host.python / host.macos failing first), on lines of real reports copied verbatim."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import corpus
import pytest

from scripts.recipes import refresh_mac_wheels
from verify import mac_wheels
from verify.diagnosis import diagnose, package_wheels
from verify.model import Status

PYPI = Path(__file__).parent / "data" / "pypi"

# astral-sh's uv on local-voice-ai#21 (an Apple-silicon Mac, uv-managed Python 3.13.5), verbatim
KALDIALIGN = "\n".join(
    [
        "error: Distribution `kaldialign==0.9.1 @ registry+https://pypi.org/simple` can't be "
        "installed",
        "because it doesn't have a source distribution or wheel for the current platform",
        "hint: You're on macOS (`macosx_26_0_arm64`), but `kaldialign` (v0.9.1) only has wheels "
        "for the",
        "following platforms: `manylinux_2_17_x86_64`, `manylinux2014_x86_64`, `win_amd64`",
        "- macOS 26.0, Apple Silicon (arm64)",
        "- uv-managed Python 3.13.5",
    ]
)
# ray-project/ray#44014, verbatim lines (Apple silicon, Python 3.12; 3.11 installs ray 2.9.3)
RAY = "\n".join(
    [
        "This is what I get on Apple Silicon:",
        "➜  /tmp pip install ray",
        "ERROR: Could not find a version that satisfies the requirement ray (from versions: none)",
        "ERROR: No matching distribution found for ray",
        "➜  /tmp pyenv local 3.11",
        "➜  /tmp pip install ray",
        "Collecting ray",
        "  Downloading ray-2.9.3-cp311-cp311-macosx_11_0_arm64.whl.metadata (13 kB)",
        "### Versions / Dependencies",
        "Python 3.12",
    ]
)
# isl-org/Open3D#6346, verbatim lines (an Intel Mac on macOS 12, Python 3.11.4, 2023)
OPEN3D = "\n".join(
    [
        "ERROR: Could not find a version that satisfies the requirement open3d (from versions: "
        "none)",
        "ERROR: No matching distribution found for open3d",
        "My computer is MacOS 12, x64. But when I say most similar ones, like:",
        "open3d-0.17.0-cp39-cp39-macosx_12_0_arm64.whl",
        "open3d-0.17.0-cp310-cp310-macosx_11_0_x86_64.whl",
        "(Python 3.11.4)",
    ]
)


# cansik/mediapipe-silicon#15, verbatim lines (Blender's Python 3.10 on an M1 with Big Sur)
MEDIAPIPE_SILICON = "\n".join(
    [
        '"/Applications/Blender.app/Contents/Resources/3.5/python/bin/python3.10 -m pip install '
        "mediapipe-silicon==0.8.11 --target /Applications/Blender.app/Contents/Resources/3.5/"
        'python/lib/python3.10/site-packages", the errors that reported is as follows:',
        "ERROR: Could not find a version that satisfies the requirement mediapipe-silicon==0.8.11 "
        "(from versions: none)",
        "ERROR: No matching distribution found for mediapipe-silicon==0.8.11.",
        "Is it because of my system version\uff1f",
        "My MAC: macOS Big Sur 11.3.1, MacBook Pro (13-inch, M1, 2020), Apple M1",
    ]
)


# docling-project/docling#749, verbatim lines (the user's later comment gives the Mac)
DOCLING = "\n".join(
    [
        "I'm having trouble installing through my terminal. I'm on MacOS and I keep getting the "
        "error:",
        "  ERROR: Failed building wheel for docling-parse",
        "Failed to build deepsearch-glm docling-parse",
        "macOS Monterey Version 12.7.6, Apple Silicon, Python 3.12.4",
    ]
)


def test_refresh_reads_each_release_s_pythons_from_recorded_pypi(httpserver, tmp_path, capsys):
    index = json.loads((PYPI / "kaldialign.json").read_text())
    httpserver.expect_request("/pypi/kaldialign/json").respond_with_json(index)
    output = tmp_path / "mac_wheels.json"
    argv = ["--index-url", httpserver.url_for("/pypi"), "--output", str(output), "kaldialign"]
    assert refresh_mac_wheels.main(argv, backoff=0) == 0
    entry = json.loads(output.read_text())["packages"]["kaldialign"]
    # universal2 wheels serve both architectures; 0.9.2 adds cp313 with a 10.13 floor for it
    runs = [
        ["0.9.1", "0.9.1", "2024-03-17", "8,9,10,11,12", "10.9"],
        ["0.9.2", "0.9.2", "2025-05-14", "8,9,10,11,12,13", "10.9"],
    ]
    assert entry["arm64"] == runs and entry["x86_64"] == runs
    assert entry["buildable"] is None  # no sdist in either release
    assert "wrote the macOS wheels of 1 packages" in capsys.readouterr().out


def test_refresh_error_is_one_line_and_leaves_the_file(httpserver, tmp_path, capsys):
    httpserver.expect_request("/pypi/kaldialign/json").respond_with_data("no", status=500)
    output = tmp_path / "mac_wheels.json"
    output.write_text("previous\n")
    argv = ["--index-url", httpserver.url_for("/pypi"), "--output", str(output), "--retries", "0"]
    assert refresh_mac_wheels.main([*argv, "kaldialign"], backoff=0) == 2
    assert output.read_text() == "previous\n"
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("refresh_mac_wheels: ")


def test_coverage_of_abi3_py3_universal2_and_yanked_files():
    files = [
        {"filename": "x-1.0-cp38-abi3-macosx_11_0_arm64.whl"},
        {"filename": "x-1.0-cp310-cp310-macosx_10_9_universal2.whl"},
        {"filename": "x-1.0-cp311-cp311-macosx_10_9_x86_64.whl", "yanked": True},
        {"filename": "x-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"},
    ]
    covered = refresh_mac_wheels.release_coverage(files)
    assert covered["arm64"].render() == "8+" and covered["arm64"].floor == (10, 9)
    assert covered["x86_64"].render() == "10"
    assert not refresh_mac_wheels.buildable(files)
    assert refresh_mac_wheels.buildable([{"filename": "x-1.0.tar.gz", "packagetype": "sdist"}])
    pure = refresh_mac_wheels.release_coverage(
        [{"filename": "y-2.0-py3-none-macosx_14_0_arm64.whl"}]
    )
    run = mac_wheels.Run(*([None] * 3), pure["arm64"].minors, 0, None)
    assert run.serves(14) and run.pythons() == "any Python 3"


def test_the_shipped_data_dates_each_python_s_first_wheel():
    day = datetime.date
    ray = mac_wheels.none_for_python("ray", "3.12", "arm64", day(2024, 2, 20))
    assert ray is not None and str(ray.first.first) == "2.31.0"
    assert ray.served.pythons() == "3.9-3.11"
    # written after the first cp312 wheel: pip would have found it, the Python is not the cause
    assert mac_wheels.none_for_python("ray", "3.12", "arm64", day(2024, 8, 1)) is None
    # MLX has no x86_64 wheel at all: the architecture's story (verify.diagnosis.paste.armonly)
    assert mac_wheels.none_for_python("mlx", "3.11", "x86_64", None) is None
    # a release that serves the Python; a macOS older than the release's wheels
    assert mac_wheels.release_left_out("kaldialign", "0.9.1", "3.12", "arm64") is None
    assert mac_wheels.release_left_out("coreai-core", "1.0.0b1", "3.13", "arm64", "15.5") is None
    left = mac_wheels.release_left_out("coreai-core", "1.0.0b1", "3.13.7", "arm64", "26.0")
    assert left.served.pythons() == "3.11-3.12" and str(left.first.first) == "1.0.0b2"
    assert mac_wheels.release_left_out("not-a-package-here", "1.0", "3.13", "arm64") is None


def test_arm64_only_packages_are_read_from_the_data():
    # every macOS file an arm64 wheel, no sdist: what armonly reads as an x86_64 Python's miss
    only = mac_wheels.arm64_only()
    assert str(only["mlx"]) == "13.0" and "mlx-metal" in only
    # x86_64 wheels (ray), a placeholder sdist (torchcodec 0.0.0.dev0): not arm64-only
    assert "ray" not in only and "torchcodec" not in only


@pytest.mark.parametrize(
    ("text", "package", "said"),
    [
        (KALDIALIGN, "kaldialign", "Python 3.8-3.12 only"),
        (RAY, "ray", "came with 2.31.0"),
        (OPEN3D, "open3d", "macOS wheels served"),
    ],
)
def test_the_python_left_out_goes_first(text, package, said):
    results = diagnose.diagnose(text)[1]
    first = diagnose.first_cause(results)
    assert first.id == "host.python" and first.status is Status.FAIL
    assert package in first.cause and said in first.cause
    assert first.data["left_out_by"] == package
    assert any(package in line for line in first.evidence)
    assert first.fix.commands and first.fix.commands[0].startswith("uv venv --python 3.")


def test_what_is_not_read_so():
    # a Python the release serves; a paste newer than ray's first cp312 wheel (a date written
    # out: verify.diagnosis.timeline); not a Mac
    served = KALDIALIGN.replace("3.13.5", "3.12.7")
    assert diagnose.first_cause(diagnose.diagnose(served)[1]).id != "host.python"
    later = RAY + "\nTried again on December 3, 2024."
    assert diagnose.first_cause(diagnose.diagnose(later)[1]).id != "host.python"
    linux = RAY.replace("Apple Silicon", "Ubuntu 22.04").replace("macosx_11_0_arm64", "manylinux")
    rows = {r.id: r for r in diagnose.diagnose(linux + "\nOS: Ubuntu 22.04")[1]}
    assert rows["host.python"].status is not Status.FAIL


def _report(name: str) -> str:
    return corpus.load(next(PYPI.parent.glob(f"holdout*/{name}*.txt"))).text


def test_pips_list_starting_above_the_range_asked_for_is_the_python_the_range_left_out():
    # kyutai-labs/moshi#394 (an M4 Pro, Python 3.14.2): "mlx<0.27,>=0.26.0 ... (from versions:
    # 0.29.4, 0.30.0, 0.30.1)"; mlx 0.19.3-0.29.3's macOS wheels are cp39-cp313 (PyPI). mlx has
    # arm64 wheels only and no sdist, so the interpreter that listed them is an arm64 one
    text = _report("moshi-394")
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "host.python" and first.status is Status.FAIL
    assert "mlx 0.26.0 publishes macOS arm64 wheels for Python 3.9-3.13 only" in first.cause
    assert first.evidence[0].startswith("ERROR: Could not find a version that satisfies")
    # the same list under a Python those releases served says nothing of the Python
    served = text.replace("Python version: 3.14.2", "Python version: 3.12.8")
    rows = {r.id: r for r in diagnose.diagnose(served)[1]}
    assert rows["host.python"].status is not Status.FAIL
    # a range that reaches into the list is no refusal of older releases
    reaching = text.replace("mlx<0.27,>=0.26.0", "mlx<0.30,>=0.26.0")
    rows = {r.id: r for r in diagnose.diagnose(reaching)[1]}
    assert rows["host.python"].status is not Status.FAIL


# the same missing wheel, labelled by the platform rather than the Python: grpcio's macOS arm64
# wheels served no Python 3.8 in June 2022, and Lightning-AI/pytorch-lightning#13251's collector
# labelled pip compiling it on the M1 install-wrong-arch (both rows name that wheel); likewise
# dmlc/decord#213 (an Intel MacBook Pro of 2019 on Python 3.9, decord's macOS x86_64 wheels
# ending at Python 3.8), labelled by the thread's "no ARM package"
OTHER_LABEL = {
    "holdout154/pytorch-lightning-13251-m1-grpcio-wheel",
    "holdout230/decord-213-pip-install-fails-macos",
}


def test_across_every_real_report_it_fires_only_where_that_was_the_cause():
    fired = {}
    for name, case, pasted in corpus.pasted_reports():
        if not any(pasted.has(sign) for sign in package_wheels.REFUSALS) or name in OTHER_LABEL:
            continue
        for row in diagnose.diagnose(case.text)[1]:
            if row.data.get("left_out_by"):
                fired[name] = (row.id, case.label)
    assert sum(row_id == "host.python" for row_id, _ in fired.values()) >= 6, fired
    expected = {"host.python": "python-unsupported", "host.macos": "macos-too-old"}
    assert all(expected[row_id] == label for row_id, label in fired.values()), fired


def test_a_source_build_below_every_wheel_s_macos_is_the_macos():
    first = diagnose.first_cause(diagnose.diagnose(DOCLING)[1])
    assert first.id == "host.macos" and first.status is Status.FAIL
    assert "docling-parse" in first.cause and "macOS 13.0 and later" in first.cause
    assert any("Failed building wheel for docling-parse" in line for line in first.evidence)
    # on macOS 14 the same failure is no macOS's
    newer = DOCLING.replace("Monterey Version 12.7.6", "Sonoma Version 14.5")
    rows = {r.id: r for r in diagnose.diagnose(newer)[1]}
    assert rows["host.macos"].status is Status.PASS


def test_a_macos_older_than_every_wheel_of_the_package_goes_first():
    results = diagnose.diagnose(MEDIAPIPE_SILICON)[1]
    first = diagnose.first_cause(results)
    assert first.id == "host.macos" and first.status is Status.FAIL
    assert "mediapipe-silicon 0.8.11" in first.cause and "macOS 12.0 and later" in first.cause
    assert "11.3.1" in first.cause and first.data["left_out_by"] == "mediapipe-silicon"
    # a macOS its wheels serve: the macOS is no cause (MPS's own floor aside)
    served = MEDIAPIPE_SILICON.replace("Big Sur 11.3.1", "Monterey 12.6")
    assert diagnose.first_cause(diagnose.diagnose(served)[1]).id != "host.macos"


def test_macos_left_out_weighs_every_architecture_and_the_release():
    # ray's oldest macOS wheels are x86_64 ones for OS X 10.6: only an older macOS is left out
    # by every release; ray 2.48's are for macOS 12.0 on both architectures
    assert mac_wheels.macos_left_out("ray", "10.5") is not None
    assert mac_wheels.macos_left_out("ray", "10.14") is None
    assert mac_wheels.macos_left_out("ray", "11.7", "2.48.0").arches == ("arm64", "x86_64")
    left = mac_wheels.macos_left_out("mediapipe-silicon", "11.3.1", "0.8.11")
    assert left is not None and left.arches == ("arm64",) and str(left.floor) == "12.0"
    assert mac_wheels.macos_left_out("mediapipe-silicon", "11.3.1", "99.0") is None  # no such


def test_a_pinned_release_past_pips_list_that_dropped_this_python():
    # pip's list for this interpreter ends below the pin (verify.diagnosis.paste.gpuonly's
    # PinPastList): onnxruntime 1.20.0's macOS wheels are cp310-cp313 (PyPI), so on
    # Python 3.9 the Python is what it left out, and the nearest Python it serves is newer
    text = (
        "MacBook Air M2, macOS 14.4, Python 3.9.6\n"
        "ERROR: Could not find a version that satisfies the requirement onnxruntime==1.20.0 "
        "(from versions: 1.17.0, 1.17.1, 1.18.0, 1.18.1, 1.19.0, 1.19.2)\n"
        "ERROR: No matching distribution found for onnxruntime==1.20.0\n"
    )
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "host.python" and first.status is Status.FAIL
    assert "onnxruntime 1.20.0 publishes macOS wheels for Python 3.10-3.13 only" in first.cause
    assert first.fix.commands == ("uv venv --python 3.10",)
    # a release that serves the Python: pip's short list is the platform's story, not this
    served = text.replace("Python 3.9.6", "Python 3.11.9")
    assert diagnose.first_cause(diagnose.diagnose(served)[1]).id != "host.python"


def test_a_source_build_on_a_python_the_wheels_left_out_before_some_release():
    # openinterpreter/openinterpreter#903 (holdout134): "Could not build wheels for tiktoken"
    # under macOS Python 3.12.1; tiktoken's macOS wheels serve 3.12 only from 0.5.2 (PyPI)
    case = corpus.load(next((PYPI.parent / "holdout134").glob("openinterpreter-903-*.txt")))
    first = diagnose.first_cause(diagnose.diagnose(case.text)[1])
    assert first.id == "host.python" and first.status is Status.FAIL
    assert "pip compiled tiktoken from source on Python 3.12" in first.cause
    assert "only from 0.5.2" in first.cause and first.data["left_out_by"] == "tiktoken"
    assert first.fix.commands == ("uv venv --python 3.11",)
    # a Python every release of it serves: the build failed for another reason
    served = case.text.replace("3.12.1", "3.10.13")
    rows = {r.id: r for r in diagnose.diagnose(served)[1]}
    assert "left_out_by" not in rows["host.python"].data


def test_an_install_said_to_fail_for_a_pinned_release_is_weighed_against_its_wheels():
    # SWivid/F5-TTS#95's description, verbatim: numpy 1.23.5's macOS wheels are cp38-cp311
    text = (
        "The current requirements won't install with MacOS 15 Python 3.12 because numpy==1.23.5 "
        "requirement.\nIf there's no specific problem, can we increase to numpy<=1.26?\n"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first.id == "host.python" and first.status is Status.FAIL
    assert "numpy 1.23.5" in first.cause and "3.12" in first.cause
    assert any("numpy==1.23.5" in line for line in first.evidence)
    # a Python the release has wheels for: the sentence is about something else
    served = text.replace("Python 3.12", "Python 3.11")
    rows = {r.id: r for r in diagnose.diagnose(served)[1]}
    assert rows["host.python"].status is not Status.FAIL
