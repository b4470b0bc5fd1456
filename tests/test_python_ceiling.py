"""verify.diagnosis.python_ceiling: the Python that pip's "(from versions: ...)" list gives away
(issue 12). Inputs are lines of real public reports (each cited) and the whole dev corpus."""

from __future__ import annotations

import corpus

from verify.diagnosis import diagnose, envdump, python_ceiling
from verify.model import Status

# unslothai/unsloth#7306: `pip install --upgrade unsloth` on an M5 MacBook Air under macOS's own
# Python 3.9.6 (the thread established it); the paste prints no Python version
UNSLOTH = "\n".join(
    (
        "1. Did you update? `pip install --upgrade unsloth unsloth_zoo` - in mac m5 not working",
        "      ERROR: Could not find a version that satisfies the requirement torch>=2.10 (from "
        "versions: 1.9.0, 1.10.0, 1.10.1, 1.10.2, 1.11.0, 1.12.0, 1.12.1, 1.13.0, 1.13.1, 2.0.0, "
        "2.0.1, 2.1.0, 2.1.1, 2.1.2, 2.2.0, 2.2.1, 2.2.2, 2.3.0, 2.3.1, 2.4.0, 2.4.1, 2.5.0, "
        "2.5.1, 2.6.0, 2.7.0, 2.7.1, 2.8.0)",
        "      ERROR: No matching distribution found for torch>=2.10",
    )
)


def _python_row(text: str):
    _, results = diagnose.diagnose(text)
    return next(r for r in results if r.id == "host.python"), results


def test_a_list_ending_at_2_8_0_is_python_3_9_too_old_for_the_requirement():
    row, results = _python_row(UNSLOTH)
    assert row.status is Status.FAIL
    assert "up to 2.8.0" in row.cause and "Python 3.9" in row.cause
    assert "does not print the Python" in row.cause
    assert "3.10-3.14" in row.cause  # torch 2.10.0's macOS arm64 wheels
    assert any("from versions" in line for line in row.evidence)
    assert diagnose.first_cause(results).id == "host.python"


def test_the_python_shown_is_named_as_shown():
    row, _ = _python_row(UNSLOTH + "\nPython 3.9.6\n")
    assert row.status is Status.FAIL
    assert "Python 3.9;" in row.cause and "does not print" not in row.cause


def test_a_shown_python_whose_list_ends_elsewhere_gets_no_ceiling_reading():
    # Python 3.12's list would reach past 2.8.0: the list was cut short by something else
    pasted = envdump.parse(UNSLOTH + "\nPython 3.12.4\n")
    assert python_ceiling.read(pasted) is None


def test_the_reading_is_the_ceiling_not_the_platform_for_linux():
    pasted = envdump.parse(UNSLOTH.replace("in mac m5 not working", "on Ubuntu 22.04"))
    ceiling = python_ceiling.read(pasted)
    # Linux's 2.8.0 list ends there for Python 3.9 as well
    assert ceiling is not None and ceiling.platform == "Linux" and ceiling.pythons == ("3.9",)


def test_across_every_real_report_the_reading_fires_only_on_a_python_too_old():
    """Every real report in tests/data: the reading fires only where the thread found the
    Python to be the cause, and it does fire on some."""
    fired: dict[str, str] = {}
    for name, case, pasted in corpus.pasted_reports():
        if python_ceiling.read(pasted) is not None:
            fired[name] = case.label
    assert fired
    assert set(fired.values()) == {"python-unsupported"}, fired


# lucasvanmol/latex-ocr-server#3: the project pinned torch~=2.1.0, and pip under Python 3.12.4
# lists torch from 2.2.0 on, the first release with wheels for it
LATEX_OCR = "\n".join(
    (
        "Can't install for python 3.12.4",
        "pytorch 2.1.0 cannot be installed against latest python, 3.12.4.",
        "ERROR: Could not find a version that satisfies the requirement torch~=2.1.0 (from "
        "latex-ocr-server) (from versions: 2.2.0, 2.2.1, 2.2.2, 2.3.0, 2.3.1, 2.4.0)",
        "ERROR: No matching distribution found for torch~=2.1.0",
    )
)


def test_a_range_older_than_the_whole_list_is_a_python_too_new_for_it():
    row, results = _python_row(LATEX_OCR)
    assert row.status is Status.FAIL and diagnose.first_cause(results).id == "host.python"
    assert "no torch~=2.1.0 for this interpreter (Python 3.12.4)" in row.cause
    assert "Python 3.8-3.11 only" in row.cause  # torch 2.1.2's macOS wheels
    assert any("from versions" in line for line in row.evidence)
    # with no Python printed, the list alone still says the Python is too new for the range
    row, _ = _python_row(LATEX_OCR.split("\n", 1)[1].replace(", 3.12.4", ""))
    assert row.status is Status.FAIL and "this Python is newer than that release" in row.cause


def test_a_range_the_list_meets_or_passes_is_not_the_python_floor():
    # the list holds a release the range accepts: pip's refusal is something else's
    row, _ = _python_row(LATEX_OCR.replace("torch~=2.1.0", "torch>=2.2,<2.3"))
    assert "for this interpreter (Python 3.12.4)" not in row.cause
    # a range above the list is the ceiling's story (verify.diagnosis.python_ceiling)
    row, _ = _python_row(LATEX_OCR.replace("torch~=2.1.0", "torch>=2.5"))
    assert "ships wheels for Python" not in row.cause
