"""verify.diagnosis.timeline: the day a paste was written on or after, and the release history it
is read
against (verify/data/torch_releases.json, PyPI's upload days), never the network."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import corpus
import pytest

from scripts.recipes import refresh_days
from verify import compat
from verify.diagnosis import diagnose, envdump, opsupport, timeline
from verify.diagnosis.paste import conflicts
from verify.facts import Facts
from verify.known_errors import explain
from verify.model import Status

BY_NAME = {c.name: c for c in corpus.cases()}
RELEASES = json.loads(
    (Path(__file__).parent.parent / "verify" / "data" / "torch_releases.json").read_text()
)["releases"]
DAY = datetime.date


def written(text: str, facts: Facts | None = None, today: DAY | None = None):
    return timeline.written_after(text, facts or Facts(), today=today or DAY(2026, 11, 30))


def test_recorded_release_table_has_an_upload_day_for_every_release_and_python():
    for version, release in RELEASES.items():
        days = release["macos_arm64_uploaded_by_python"]
        assert set(days) == set(release["python_tags"]), version
        assert release["macos_arm64_uploaded"] == min(days.values()), version
    # releases come out in order: a later release's wheels never predate an earlier one's
    ordered = sorted(RELEASES, key=compat.parse_version)
    days = [RELEASES[v]["macos_arm64_uploaded"] for v in ordered]
    assert days == sorted(days)


def test_interpreter_build_date_in_collect_env():
    case = BY_NAME["pytorch-144024-python-3.13-macos-no-wheel"]
    found = written(case.text)
    assert found.after == DAY(2024, 10, 7)
    assert found.line.startswith("Python version: 3.13.0 (main, Oct  7 2024")
    assert "built" in found.why


def test_nightly_date_is_read_from_its_version():
    case = BY_NAME["nnunet-1862-convtranspose3d-torch-2.3-nightly"]
    found = written(case.text)
    assert found is not None and found.after >= DAY(2023, 12, 20)
    assert any("dev20231220" in line for line in case.text.splitlines())


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-08-20 10:11:12,345 - INFO - loading model", DAY(2024, 8, 20)),
        ("_Originally posted by @someone on January 2, 2025_", DAY(2025, 1, 2)),
        ("Posted Jan 2, 2025 at noon", DAY(2025, 1, 2)),
        ("[notice] seen 2 January 2025", DAY(2025, 1, 2)),
        ("It stopped working on March 3, 2025.", DAY(2025, 3, 3)),  # a sentence's end
        ("Python 3.12.1 | packaged by Anaconda, Inc. | (main, Jan 19 2024, 09:45:58)", None),
    ],
)
def test_dates_written_out(text, day):
    found = written(text)
    if day is None:  # a conda banner: the build date, read as such
        assert found is not None and found.after == DAY(2024, 1, 19) and "built" in found.why
    else:
        assert found is not None and found.after == day


@pytest.mark.parametrize(
    "text",
    [
        "nothing dated here",
        "2023-02-30 is not a day",  # no such day
        "torch==2.1.0 build 20231220",  # digits that are not a date
        "deadline 2031-01-01",  # after "today": not a day the paste was written after
        "version 1.2023-01-05",  # part of a longer number
        "calver release Jan 2, 2024.1",  # a version, not a year
    ],
)
def test_no_date_where_none_is_written(text):
    assert written(text) is None


def test_the_latest_sign_wins_and_the_torch_release_counts():
    text = "Python version: 3.11.1 (main, Jan 24 2023, 17:36:15) [Clang 14.0.0]\n"
    found = written(text, Facts(torch_version="2.2.2"))
    assert found.after == compat.parse_day(RELEASES["2.2.2"]["macos_arm64_uploaded"])
    assert "2.2.2" in found.why
    # a source build or a pre-release says nothing by its version
    assert written(text, Facts(torch_version="2.5.0a0+git1234")).after == DAY(2023, 1, 24)


def test_first_wheel_for_python_follows_the_recorded_tags():
    ordered = sorted(RELEASES, key=compat.parse_version)
    first_tags = set(RELEASES[ordered[0]]["python_tags"])
    for minor in range(8, 16):
        tag = f"cp3{minor}"
        got = timeline.first_wheel_for_python(f"3.{minor}.2")
        having = [v for v in ordered if tag in RELEASES[v]["python_tags"]]
        if tag in first_tags or not having:
            assert got is None, tag  # already there when the data begins, or never
            continue
        assert got.release == compat.parse_version(having[0])
        assert got.day == compat.parse_day(
            RELEASES[having[0]]["macos_arm64_uploaded_by_python"][tag]
        )
        assert got.python == f"3.{minor}"
    assert timeline.first_wheel_for_python(None) is None


def test_first_release_day_is_the_minor_lines_first():
    line = [v for v in RELEASES if v.startswith("2.4.")]
    want = min(compat.parse_day(RELEASES[v]["macos_arm64_uploaded"]) for v in line)
    assert timeline.first_release_day("2.4.1") == want == timeline.first_release_day("2.4")
    assert timeline.first_release_day("9.9") is None


def test_python_newer_than_wheels_then_is_the_first_cause():
    # pytorch/pytorch#144024: collect_env finds no torch for Python 3.13.0 (built 2024-10-07)
    # on macOS 15.1.1 arm64; torch's first cp313 macOS wheels came with 2.6.0
    case = BY_NAME["pytorch-144024-python-3.13-macos-no-wheel"]
    _, results = diagnose.diagnose(case.text)
    first = diagnose.first_cause(results)
    assert first.id == "host.python" and first.status is Status.FAIL
    wheel = timeline.first_wheel_for_python("3.13")
    assert str(wheel.release) in first.cause and wheel.day.isoformat() in first.cause
    assert "2024-10-07" in first.cause
    assert any(line.startswith("Python version: 3.13.0") for line in first.evidence)


def test_the_same_paste_written_after_the_wheels_came_is_not_the_python():
    case = BY_NAME["pytorch-144024-python-3.13-macos-no-wheel"]
    wheel = timeline.first_wheel_for_python("3.13")
    later = wheel.day + datetime.timedelta(days=30)
    text = case.text.replace("Oct  7 2024", later.strftime("%b %d %Y"))
    pasted = envdump.parse(text)
    found = timeline.written_after(text, pasted.facts)
    assert found.after == later
    assert diagnose._python_newer_than_wheels_then(pasted, found) is None


# pip's resolver finding no torch at all (verify.diagnosis.paste.conflicts)

JINA = BY_NAME["llm-embed-jina-5-homebrew-python-3.12-pip-finds-no-torch"]
# llmware-ai/llmware#139 (2023-11-28): a conflict between torch pins, not "no torch at all"
PINNED_CONFLICT = """\
75.31 The conflict is caused by:
75.31     The user requested torch==1.13.1
75.31     sentence-transformers 2.2.2 depends on torch>=1.6.0
75.31     torchvision 0.16.1 depends on torch==2.1.1
"""


def test_resolver_finding_no_torch_at_all_is_read_as_pip_finding_none():
    found = [c for c in conflicts.read(JINA.text) if c.field == "sign.pip_no_torch"]
    assert [c.value for c in found] == ["torch"]
    assert found[0].line == "llm-embed-jina 0.1.2 depends on torch"


@pytest.mark.parametrize(
    "lines",
    [
        PINNED_CONFLICT,
        "The conflict is caused by:\n    a 1.0 depends on torch<2\n",  # an upper bound
        "The conflict is caused by:\n    a 1.0 depends on torch>=2.4\n",  # past 2.2.2: x86_64?
        "The conflict is caused by:\n    a 1.0 depends on torchvision\n",  # not torch
        # a conflict over numpy with a torch dependent beside it
        "The conflict is caused by:\n    a 1.0 depends on torch\n    torch 2.2.2 depends on "
        "numpy<2\n    The user requested numpy==2.0\n",
    ],
)
def test_other_conflicts_are_not_no_torch(lines):
    assert conflicts.read(lines) == []


def test_homebrew_python_3_12_before_its_first_wheel_is_the_python():
    # simonw/llm-embed-jina#5 (2023-10-26): no date in the paste; pip finding no torch at all
    # for Python 3.12 on an Apple silicon Mac is the Python too new at the time
    _, results = diagnose.diagnose(JINA.text)
    first = diagnose.first_cause(results)
    wheel = timeline.first_wheel_for_python("3.12")
    assert first.id == "host.python" and first.status is Status.FAIL
    assert f"before torch {wheel.release}" in first.cause and wheel.day.isoformat() in first.cause
    assert "llm-embed-jina 0.1.2 depends on torch" in first.evidence


def test_pip_finding_no_torch_after_the_first_wheel_is_not_blamed_on_the_date():
    wheel = timeline.first_wheel_for_python("3.12")
    later = (wheel.day + datetime.timedelta(days=40)).isoformat()
    text = f"{later} 10:00:00 INFO start\n{JINA.text}"
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "host.python")
    assert not row.cause.startswith("No PyTorch release had a macOS wheel")


# versions of other packages (verify/data/package_days.json, scripts/recipes/refresh_days.py)

PIP_INDEX = json.loads((Path(__file__).parent / "data" / "pypi" / "pip.json").read_text())
PACKAGE_DAYS = json.loads(
    (Path(__file__).parent.parent / "verify" / "data" / "package_days.json").read_text()
)["packages"]


def test_refresh_days_reads_first_upload_days_from_recorded_pypi(httpserver, tmp_path):
    httpserver.expect_request("/pypi/pip/json").respond_with_json(PIP_INDEX)
    out = tmp_path / "days.json"
    argv = ["--index-url", httpserver.url_for("/pypi"), "--output", str(out), "--package", "pip"]
    assert refresh_days.main([*argv, "--retries", "0"], backoff=0) == 0
    days = json.loads(out.read_text())["packages"]["pip"]["days"]
    # 24.0's wheel went up ten seconds before its sdist; a pre-release is no release; 20.0,
    # yanked later, was there all the same
    assert days == {
        "20.0": "2020-01-21",
        "23.3": "2023-10-15",
        "23.3.1": "2023-10-21",
        "24.0": "2024-02-03",
    }
    # the packaged table was written by the same code from the same API
    for version, day in days.items():
        assert PACKAGE_DAYS["pip"]["days"][version] == day


def test_refresh_days_api_error_leaves_the_file_and_exits_2(httpserver, tmp_path, capsys):
    httpserver.expect_request("/pypi/pip/json").respond_with_data("nope", status=500)
    out = tmp_path / "days.json"
    out.write_text("previous\n")
    argv = ["--index-url", httpserver.url_for("/pypi"), "--output", str(out), "--package", "pip"]
    assert refresh_days.main([*argv, "--retries", "0"], backoff=0) == 2
    assert out.read_text() == "previous\n"
    err = capsys.readouterr().err
    assert err.startswith("refresh_days: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("case", "line", "package", "version"),
    [
        # a wheel pip fetched, in a resolver log (simonw/llm-embed-jina#5)
        (JINA.name, "transformers-4.34.1-py3-none-any.whl", "transformers", "4.34.1"),
        # collect_env's "[pip3] name==version" (pytorch/pytorch#100165)
        ("pytorch-100165-healthy-torch-2.0.0-no-torch-mps-attr", "[pip3] numpy==", "numpy", None),
        # `transformers env` (huggingface/transformers#28334)
        (
            "transformers-28334-sam-float64-env-dump",
            "`transformers` version:",
            "transformers",
            None,
        ),
        # `pip --version` (KwaiVGI/LivePortrait#295)
        ("liveportrait-295-intel-mac-torch-2.3.0", "pip 24.2 from", "pip", "24.2"),
    ],
)
def test_package_versions_date_a_paste(case, line, package, version):
    text = BY_NAME[case].text
    found = written(text)
    assert found is not None and line in found.line
    assert found.why.startswith(package)
    if version is not None:
        assert found.after == compat.parse_day(PACKAGE_DAYS[package]["days"][version])


def test_pips_upgrade_notice_names_the_newest_pip_of_that_day():
    days = PACKAGE_DAYS["pip"]["days"]
    new = written("[notice] A new release of pip is available: 23.2.1 -> 23.3.1")
    old = written(
        "WARNING: You are using pip version 21.1.1; however, version 21.2.4 is available."
    )
    assert new.after == compat.parse_day(days["23.3.1"]) and "newest pip" in new.why
    assert old.after == compat.parse_day(days["21.2.4"])
    # pre-releases, unknown versions and other packages' names are not read
    assert written("numpy==1.26.4rc1 mynumpy==1.0 torchvision==99.0") is None


# an op refusal of unstated torch, read against the day its MPS kernel came out

INVOKEAI_232 = BY_NAME["invokeai-232-index-put-not-implemented"]  # 2022-08-31, torch 1.12
# a real log line of the same kind, dated (invoke-ai/InvokeAI#4673, 2023-09-24)
LOG_2023 = "[2023-09-24 14:34:40,460]::[InvokeAI]::ERROR --> Traceback (most recent call last):"


def _op_rows(text):
    _, results = diagnose.diagnose(text)
    return diagnose.first_cause(results), {r.id: r for r in results}


def test_op_refusal_written_after_its_kernels_release_is_torch_too_old_first():
    first_day = timeline.first_release_day("1.13")  # aten::_index_put_impl_: 1.13.1 read
    assert first_day is not None and DAY(2023, 9, 24) >= first_day
    first, rows = _op_rows(f"{LOG_2023}\n{INVOKEAI_232.text}")
    assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.FAIL
    assert "2023-09-24" in first.cause and first_day.isoformat() in first.cause
    assert LOG_2023 in first.evidence
    assert rows["error.mps.op_not_implemented"].status is Status.WARN


def test_op_refusal_without_a_date_or_before_the_release_stays_a_warning():
    # no release had the kernel then (or the day is unknown): the update is still the first
    # thing to try today, but not a certainty about that torch; the refusal keeps its own row
    early = LOG_2023.replace("2023-09-24", "2022-08-31")
    for text in (INVOKEAI_232.text, f"{early}\n{INVOKEAI_232.text}"):
        first, rows = _op_rows(text)
        assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.WARN
        assert "2023-09-24" not in first.cause
        assert rows["error.mps.op_not_implemented"].status is Status.WARN


# a nightly of the line a kernel came with, from before it landed

# the start of the refusal quoted in datalab-to/marker#42 (aten::roll came with 2.1.0)
ROLL = (
    "NotImplementedError: The operator 'aten::roll' is not currently implemented for the MPS "
    "device. If you want this op to be added in priority during the prototype phase of this "
    "feature, please comment on https://github.com/pytorch/pytorch/issues/77764."
)


@pytest.mark.parametrize(
    ("torch_version", "mismatch"),
    [
        ("2.1.0.dev20230512", False),  # a 2.1 nightly that printed it lacked roll: upgrade
        ("2.1.0a0+git1234567", False),  # a source build of the 2.1 line, the same
        ("2.1.0", True),  # the release has roll: the message came from another environment
    ],
)
def test_a_nightly_of_the_kernels_own_line_is_torch_too_old(torch_version, mismatch):
    known = explain(ROLL)
    first = opsupport.kernels().first_release("aten::roll")
    assert first is not None and (first.major, first.minor) == (2, 1)
    facts = Facts(torch_version=torch_version, os="Darwin", machine="arm64", chip="Apple M1")
    j = opsupport.judge(known, facts)
    assert j.kind == "torch-too-old" and j.mismatch is mismatch and j.certain


def test_a_pypy_without_torch_is_not_blamed_on_the_date():
    # pytorch/pytorch#127181's interpreter line (PyPy 7.3.11; no torch wheels for PyPy at all),
    # set into pytorch/pytorch#144024's collect_env with 3.13.0 for 3.8.16, so that the date
    # (built 2022-12-29, before torch's first cp313 wheel) would otherwise apply
    case = BY_NAME["pytorch-144024-python-3.13-macos-no-wheel"]
    pypy = (
        "Python version: 3.13.0 (a9dbdca6fc3286b0addd2240f11d97d8e8de187a, Dec 29 2022, "
        "11:45:30) [PyPy 7.3.11 with GCC Apple LLVM 13.1.6 (clang-1316.0.21.2.5)] (64-bit runtime)"
    )
    text = "\n".join(
        pypy if line.startswith("Python version:") else line for line in case.text.splitlines()
    )
    pasted = envdump.parse(text)
    assert pasted.facts.python_implementation == "PyPy"
    assert diagnose._python_newer_than_wheels_then(pasted, written(text)) is None


def test_op_refusal_dated_before_its_kernels_release_is_the_op_not_implemented():
    # opendatalab/MinerU#347: magic-pdf's own log dates it 2024-08-07; upsample_bicubic2d's
    # kernel came with 2.6.0 (2025-01-29): no release had it then
    case = BY_NAME["mineru-347-m2-venv-upsample-bicubic2d-not-implemented-2024-08"]
    assert written(case.text).after == DAY(2024, 8, 7)
    kernel_day = timeline.first_release_day(
        opsupport.kernels().first_release("aten::upsample_bicubic2d.out")
    )
    assert kernel_day > DAY(2024, 8, 7)
    first, rows = _op_rows(case.text)
    assert first.id == "error.mps.op_needs_newer_torch" and first.status is Status.WARN
    assert rows["error.mps.op_not_implemented"].status is Status.WARN
