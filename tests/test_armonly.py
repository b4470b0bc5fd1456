"""verify.diagnosis.paste.armonly: pip finding nothing for a package whose Mac wheels are all
arm64 ones (MLX), on an Apple chip: an x86_64 Python under Rosetta."""

from __future__ import annotations

import corpus
import pytest

from verify.diagnosis import diagnose, envdump
from verify.diagnosis.paste import armonly, gpuonly
from verify.model import Status

# ml-explore/mlx#105, verbatim (an M2 Pro; "Probably you are using a non-native python")
MLX_105 = "\n".join(
    [
        "Pip install does not recognize mlx",
        "MacBook-Pro:mistral danshiebler$ python3 --version",
        "Python 3.11.6",
        "MacBook-Pro:mistral danshiebler$ pip3 install mlx",
        "ERROR: Could not find a version that satisfies the requirement mlx (from versions: none)",
        "ERROR: No matching distribution found for mlx",
        "Environment: virtualenv, Apple M2 Pro",
    ]
)
# mflux-community/mflux#44, verbatim lines: the resolver's conflict on an M3
MFLUX_44 = "\n".join(
    [
        "I'm using a Macbook Pro M3 and here's my experience:",
        "ERROR: Cannot install mflux==0.1.9 and mflux==0.2.0 because these package versions have "
        "conflicting dependencies.",
        "The conflict is caused by:",
        "    mflux 0.2.0 depends on mlx>=0.16.0",
        "    mflux 0.1.9 depends on mlx>=0.16.0",
        "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/"
        "dependency-resolution/#dealing-with-dependency-conflict",
    ]
)


@pytest.mark.parametrize("text", [MLX_105, MFLUX_44])
def test_no_mlx_for_an_apple_chip_is_an_x86_64_python(text):
    pasted = envdump.parse(text)
    assert (pasted.facts.machine, pasted.facts.translated) == ("x86_64", True)
    results = diagnose.diagnose(text)[1]
    first = diagnose.first_cause(results)
    assert first.id == "host.arch" and first.status is Status.FAIL and "Rosetta" in first.cause
    assert any("mlx" in line for line in first.evidence)
    # the install row does not say mlx has no wheel for this chip: it has, for a native Python
    installed = next(r for r in results if r.id == "torch.installed")
    assert installed.status is not Status.FAIL


def test_what_is_not_read_so():
    # no Apple chip named (linyiLYi/bilibot#21: a macOS too old for MLX), a macOS older than
    # MLX's wheels, an arm64 Python shown, the user's own mlx pin in the conflict
    assert envdump.parse(MLX_105.replace("Apple M2 Pro", "a laptop")).facts.machine is None
    assert envdump.parse(MLX_105 + "\nmacOS 12.6\n").facts.machine is None
    assert envdump.parse(MLX_105 + "\nplatform.machine(): arm64\n").facts.translated is not True
    assert not armonly.read(MFLUX_44 + "\nThe user requested mlx==0.15.0\n")
    # another package's "none" (verify.diagnosis.paste.gpuonly's), or pip reaching no index
    assert (
        envdump.parse(MLX_105.replace("requirement mlx", "requirement decord")).facts.machine
        is None
    )
    offline = "WARNING: Retrying (Retry(total=4)) after connection broken by 'NewConnectionError'\n"
    assert envdump.parse(offline + MLX_105).facts.machine is None


# read as an x86_64 Python where the thread found another cause: onnxruntime-silicon's "none" on
# an M2 with no Python shown; the thread found Python 3.11, which no onnxruntime-silicon wheel
# served then (cansik/onnxruntime-silicon#3): the reading cannot tell without the Python
ELSEWHERE = {"holdout154/onnxruntime-silicon-3-no-version-python311"}


def test_across_every_real_report_it_fires_only_on_x86_64_pythons():
    fired = {}
    for name, case, pasted in corpus.pasted_reports():
        missed = armonly.missed(pasted.signs)
        if missed is None or missed[0].line not in pasted.evidence.get("machine", []):
            continue  # the x86_64 interpreter read from something else, or not at all
        if pasted.facts.machine == "x86_64" and pasted.facts.translated and name not in ELSEWHERE:
            fired[name] = case.label
    assert len(fired) >= 3, fired
    assert set(fired.values()) == {"rosetta"}, fired


def test_no_mlx_on_an_intel_mac_is_the_intel_mac():
    # ml-explore/mlx#105's pip lines on a Mac its text names as Intel: MLX's wheels are arm64
    # only (verify.mac_wheels.arm64_only, from PyPI), so no release installs there at all
    text = MLX_105.replace("Apple M2 Pro", "MacBook Pro 2019, Intel Core i7")
    assert envdump.parse(text).facts.hardware_arm64 is False
    results = diagnose.diagnose(text)[1]
    first = diagnose.first_cause(results)
    assert first.id == "host.arch" and first.status is Status.FAIL
    assert "mlx publishes macOS wheels for Apple silicon only" in first.cause
    assert first.data["package"] == "mlx"


def test_a_pinned_release_without_a_wheel_for_the_python_shown_explains_none():
    # hacksider/Deep-Live-Cam#305: onnxruntime-silicon==1.13.1 (cp38-cp310 wheels, from
    # verify/data/mac_wheels.json) under the venv's Python 3.11: the Python explains "none"
    refusal = gpuonly.NoRelease("onnxruntime-silicon", "onnxruntime-silicon==1.13.1")
    assert armonly.python_explains(refusal, "3.11")
    assert not armonly.python_explains(refusal, "3.10")  # it has a wheel: not the Python
    assert not armonly.python_explains(refusal, None)
    # nothing pinned: which releases pip saw depends on the day (mflux-community/mflux#23)
    assert not armonly.python_explains(gpuonly.NoRelease("mlx", "mlx"), "3.12")


def test_a_pip_run_that_skipped_releases_for_the_python_is_no_rosetta_sign():
    # C0untFloyd/roop-unleashed#1046 (an M3): pip skipped numpy 1.21.x for "Requires-Python
    # >=3.7,<3.11", then found no onnxruntime-silicon==1.20.1 - a Python newer than the wheels,
    # which the maintainer named; no x86_64 interpreter is needed to explain the "none"
    case = corpus.load(
        corpus.CORPUS_DIR.parent
        / "holdout330"
        / "roop-unleashed-1046-no-module-torch-python-too-new.txt"
    )
    facts = envdump.parse(case.text).facts
    assert facts.chip == "Apple M3" and facts.machine is None and not facts.translated
    # the same refusal without pip's Requires-Python line is still read as an x86_64 Python
    cut = "\n".join(
        line[line.index("ERROR: Could not find") :] if "Requires-Python" in line else line
        for line in case.text.splitlines()
    )
    assert "Requires-Python" not in cut
    assert envdump.parse(cut).facts.machine == "x86_64"
