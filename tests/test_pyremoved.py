"""verify.diagnosis.paste.pyremoved: code meeting a Python that removed what it imports, or
refusing the Python by its own guard, is the host.python row (issue 12). Inputs are lines of real
public reports, each cited, and the whole corpus."""

from __future__ import annotations

import corpus
import pytest

from verify.diagnosis import diagnose, envdump
from verify.diagnosis.paste import pyremoved
from verify.errors import InputError
from verify.model import Status

# apple/coremltools#2129: coremltools 7.1 had no wheel for Python 3.12; pip built its sdist,
# whose setup.py imports imp
COREMLTOOLS = "\n".join(
    (
        "Python 3.12 Support",
        "(coremltools-env) $  pip install -U coremltools",
        "Collecting coremltools",
        "  Downloading coremltools-7.1.tar.gz (1.2 MB)",
        "  Preparing metadata (setup.py) ... error",
        '        File "/private/var/folders/7d/hl3k4nxj5_72y9dcxt0brwwm0000gp/T/pip-install-'
        'te23914i/coremltools_7669cbec5c1f436d949cfe9db26f0157/setup.py", line 8, in <module>',
        "          import imp",
        "      ModuleNotFoundError: No module named 'imp'",
    )
)
# bibliophileaditya/Drone-navigation-DDPG#1: numpy==1.21.0's build under Python 3.12.3, on a Mac
DRONE = "\n".join(
    (
        "When trying to get setup and install numpy==1.21.0 I get this error on mac:",
        '  File "/private/var/folders/nh/z6mzsj957lq0fwbgwrwh0btc0000gn/T/pip-build-env-'
        'f_nd5trp/overlay/lib/python3.12/site-packages/setuptools/__init__.py", line 9, in '
        "<module>",
        "    import distutils.core",
        "ModuleNotFoundError: No module named 'distutils'",
        "Any reason why we need such an old version of numpy? Or additionally is an older "
        "version of python necessary here? I am using 3.12.3",
    )
)
# Aider-AI/aider#2513: aider pins numpy==1.24.3, whose build fails under Python 3.13.0
AIDER = "\n".join(
    (
        "Trying to `pip install aider-chat` in a new venv with python 3.13.0 (mac) fails",
        "    AttributeError: module 'pkgutil' has no attribute 'ImpImporter'. Did you mean: "
        "'zipimporter'?",
    )
)
# HeliXonProtein/OmegaFold#77: setup.py maps known Pythons to torch wheel URLs, on an M1 Mac
OMEGAFOLD = "\n".join(
    (
        "Unable to run setup.py on M1 Mac",
        '    raise Exception(f"Python {sys.version} is not supported.")',
        "Exception: Python 3.13.0 (main, Oct  7 2024, 05:02:14) [Clang 16.0.0 (clang-1600.0.26.3)] "
        "is not supported.",
    )
)
# vladmandic/sdnext#3113: SD.Next's launcher log on an M3, verbatim
SDNEXT = "\n".join(
    (
        "10:36:04-177095 INFO     Python 3.12.2 on Darwin",
        "10:36:04-178038 ERROR    Incompatible Python version: 3.12.2 required 3.[9, 10, 11]",
    )
)

# RVC-Project/Retrieval-based-Voice-Conversion-WebUI#1767, verbatim (fairseq's configs on 3.11)
RVC = "\n".join(
    [
        "Based on the document, I run `run.sh` and got the following error message:",
        "> raise ValueError(f'mutable default {type(f.default)} for field '",
        "ValueError: mutable default <class 'fairseq.dataclass.configs.CommonConfig'> for field "
        "common is not allowed: use default_factory",
    ]
)


def _python_row(text: str):
    _, results = diagnose.diagnose(text)
    return next(r for r in results if r.id == "host.python"), diagnose.first_cause(results)


@pytest.mark.parametrize(
    ("text", "what", "since", "package"),
    [
        (COREMLTOOLS, "imp", "3.12", "coremltools"),
        (DRONE, "distutils", "3.12", ""),
        (AIDER, "pkgutil.ImpImporter", "3.12", ""),
        (OMEGAFOLD, "", "3.13", ""),
        (SDNEXT, "", "3.12", ""),
        (RVC, pyremoved.DATACLASS_CHECK, "3.11", ""),
    ],
)
def test_the_reading(text, what, since, package):
    (clue,) = [c for c in pyremoved.read(text) if c.field == "sign.python_removed"]
    assert clue.value == pyremoved.PythonRemoved(what, since, package)


def test_a_removed_module_is_the_python_first():
    row, first = _python_row(COREMLTOOLS)
    assert row.status is Status.FAIL and first.id == "host.python"
    assert "no longer has imp, removed in Python 3.12" in row.cause
    assert "coremltools, which pip builds from source here" in row.cause
    assert row.evidence[0].strip() == "ModuleNotFoundError: No module named 'imp'"
    assert "uv venv --python 3.11" in row.fix.text and "newer coremltools" in row.fix.text


def test_the_python_shown_is_named():
    row, _ = _python_row(AIDER)
    assert row.status is Status.FAIL and "(Python 3.13.0)" in row.cause
    assert "pkgutil.ImpImporter" in row.cause


def test_the_codes_own_guard_names_the_python_it_refused():
    row, first = _python_row(OMEGAFOLD)
    assert row.status is Status.FAIL and first.id == "host.python"
    assert "refuses Python 3.13.0 by its own check" in row.cause
    assert "uv venv --python 3.12" in row.fix.text


def test_a_launchers_python_check_is_the_python_first():
    row, first = _python_row(SDNEXT)
    assert row.status is Status.FAIL and first.id == "host.python"
    assert "refuses Python 3.12" in row.cause and "uv venv --python 3.11" in row.fix.text


def test_an_unhashable_dataclass_default_is_python_3_11s_check():
    row, first = _python_row(RVC + "\nMy Mac M2\n")
    assert row.status is Status.FAIL and first.id == "host.python"
    assert "a check Python 3.11 added" in row.cause
    assert "uv venv --python 3.10" in row.fix.text
    # a list, dict or set default is refused by every Python: not the Python's age
    assert not pyremoved.read(RVC.replace("fairseq.dataclass.configs.CommonConfig", "list"))


def test_a_python_older_than_the_removal_is_another_story():
    # Debian's Python 3.11 ships distutils apart (python3-distutils): not the Python's age
    text = DRONE.replace("I am using 3.12.3", "Python 3.11.2").replace("python3.12", "python3.11")
    pasted = envdump.parse(text)
    assert pasted.has("sign.python_removed")
    row, _ = _python_row(text)
    assert "no longer has" not in row.cause


@pytest.mark.parametrize(
    "line",
    [
        "ModuleNotFoundError: No module named 'distutils_extra'",  # another module
        "ModuleNotFoundError: No module named 'imputils'",
        "RuntimeError: MPS is not supported on this machine",  # not a Python refusal
        "print('Python 3.13 is not supported')",  # no exception raised
        # a Python older than (or among) those the launcher asks for is not one too new
        "ERROR    Incompatible Python version: 3.8.10 required 3.[9, 10, 11]",
        "ERROR    Incompatible Python version: 3.10.1 required 3.[9, 10, 11]",
    ],
)
def test_other_lines_are_not_read(line):
    assert not pyremoved.read(line)


def test_across_every_real_report_the_reading_fires_only_on_a_python_too_new():
    fired: dict[str, str] = {}
    for name, case in corpus.reports():
        if not any(c.field == "sign.python_removed" for c in pyremoved.read(case.text)):
            continue
        try:
            row, _ = _python_row(case.text)
        except InputError:
            continue
        if row.status is Status.FAIL:
            fired[name] = case.label
    assert fired
    assert set(fired.values()) == {"python-unsupported"}, fired


def test_the_package_pip_was_collecting_keeps_its_pin():
    text = "Collecting numpy==1.21.0\n  Downloading numpy-1.21.0.zip\n" + DRONE
    (clue,) = [c for c in pyremoved.read(text) if c.field == "sign.python_removed"]
    assert clue.value.package == "numpy==1.21.0"
    row, _ = _python_row(text)
    assert "numpy==1.21.0, which pip builds from source here" in row.cause
    assert "a newer numpy release" in row.fix.text
