"""scripts/recipes/refresh_compat.py and scripts/recipes/pypi.py against a local PyPI
(pytest-httpserver) serving a trimmed real response (tests/data/pypi/torch.json, see its README)."""

from __future__ import annotations

import copy
import hashlib
import json
import time
from pathlib import Path

import pytest
from werkzeug import Response

from scripts.recipes import refresh_compat
from scripts.recipes.pypi import PyPIClient, PyPIError
from verify import atomic

DATA = Path(__file__).parent / "data" / "pypi"
INDEX = json.loads((DATA / "torch.json").read_text())
GENERATED = Path(__file__).parent.parent / "verify" / "data" / "torch_releases.json"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def output(tmp_path):
    path = tmp_path / "torch_releases.json"
    path.write_text('{"previous": true}\n')
    return path


def run_main(httpserver, output, *extra):
    return refresh_compat.main(
        [
            "--index-url",
            httpserver.url_for("/pypi"),
            "--output",
            str(output),
            "--retries",
            "1",
            *extra,
        ],
        backoff=0,
    )


def test_refresh_reads_wheel_tags_from_recorded_pypi(httpserver, output, capsys):
    httpserver.expect_request("/pypi/torch/json").respond_with_json(INDEX)
    assert run_main(httpserver, output) == 0
    doc = json.loads(output.read_text())
    assert doc["source"] == httpserver.url_for("/pypi/torch/json")
    assert set(doc["releases"]) == {"2.2.2", "2.10.0", "2.13.0", "2.15.0"}
    old, mixed, latest = (
        doc["releases"]["2.2.2"],
        doc["releases"]["2.10.0"],
        doc["releases"]["2.15.0"],
    )
    # 2.2.2 is the last release with x86_64 macOS wheels; its arm64 wheels are macosx_11_0.
    assert old["macos_x86_64"] is True and old["macos_arm64_min"] == "11.0"
    assert old["python_tags"] == ["cp38", "cp39", "cp310", "cp311", "cp312"]
    assert old["requires_python"] == ">=3.8.0"
    # 2.10.0 mixes macosx_11_0 and macosx_14_0 arm64 wheels: the release minimum is the lowest,
    # the per-Python map keeps the difference.
    assert mixed["macos_x86_64"] is False and mixed["macos_arm64_min"] == "11.0"
    assert mixed["macos_arm64_min_by_python"]["cp310"] == "11.0"
    assert mixed["macos_arm64_min_by_python"]["cp314"] == "14.0"
    assert mixed["macos_arm64_min_by_python"]["cp313t"] == "14.0"
    assert latest == {
        "requires_python": ">=3.11",
        "macos_arm64_min": "14.0",
        "macos_x86_64": False,
        "python_tags": ["cp311", "cp312", "cp313", "cp314", "cp314t", "cp315", "cp315t"],
        "macos_arm64_min_by_python": dict.fromkeys(
            ["cp311", "cp312", "cp313", "cp314", "cp314t", "cp315", "cp315t"], "14.0"
        ),
        # the recorded wheels' upload_time_iso_8601 (UTC days)
        "macos_arm64_uploaded": "2026-10-28",
        "macos_arm64_uploaded_by_python": dict.fromkeys(
            ["cp311", "cp312", "cp313", "cp314", "cp314t", "cp315", "cp315t"], "2026-10-28"
        ),
    }
    # 2.10.0's cp310-cp313 wheels were uploaded again on 2026-02-10 with build tag 2: the day a
    # Python's wheel first reached PyPI is the earliest upload, 2026-01-21
    assert mixed["macos_arm64_uploaded_by_python"]["cp310"] == "2026-01-21"
    assert mixed["macos_arm64_uploaded"] == "2026-01-21"
    assert "wrote 4 torch releases" in capsys.readouterr().out


def test_release_without_files_in_index_falls_back_to_per_release_json(httpserver, output):
    index = copy.deepcopy(INDEX)
    files = index["releases"]["2.13.0"]
    index["releases"]["2.13.0"] = []
    httpserver.expect_request("/pypi/torch/json").respond_with_json(index)
    httpserver.expect_request("/pypi/torch/2.13.0/json").respond_with_json(
        {"info": {"version": "2.13.0", "requires_python": ">=3.10"}, "urls": files}
    )
    assert run_main(httpserver, output) == 0
    release = json.loads(output.read_text())["releases"]["2.13.0"]
    assert release["macos_arm64_min"] == "14.0"
    assert release["python_tags"] == ["cp310", "cp311", "cp312", "cp313", "cp314", "cp314t"]


def test_minimum_filters_old_releases(httpserver, output):
    httpserver.expect_request("/pypi/torch/json").respond_with_json(INDEX)
    assert run_main(httpserver, output, "--minimum", "2.13") == 0
    assert list(json.loads(output.read_text())["releases"]) == ["2.13.0", "2.15.0"]


def test_yanked_and_non_mac_files_are_ignored():
    files = [
        {
            "filename": "torch-9.0.0-cp312-cp312-macosx_15_0_arm64.whl",
            "packagetype": "bdist_wheel",
            "yanked": True,
        },
        {
            "filename": "torch-9.0.0-cp312-cp312-macosx_13_0_arm64.whl",
            "packagetype": "bdist_wheel",
            "yanked": False,
        },
        {
            "filename": "torch-9.0.0-cp312-cp312-manylinux_2_28_x86_64.whl",
            "packagetype": "bdist_wheel",
        },
        {"filename": "torch-9.0.0.tar.gz", "packagetype": "sdist"},
    ]
    summary = refresh_compat.summarize_release(files, ">=3.12")
    assert summary.macos_arm64_min == "13.0"
    assert summary.python_tags == ["cp312"]
    assert summary.macos_x86_64 is False


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("500", "HTTP 500"),
        ("malformed", "malformed JSON"),
        ("not-an-object", "malformed JSON"),
        ("timeout", "timed out"),
    ],
)
def test_errors_give_one_line_exit_2_and_leave_output_unchanged(
    httpserver, output, capsys, setup, message
):
    before = digest(output)
    if setup == "500":
        httpserver.expect_request("/pypi/torch/json").respond_with_data("boom", status=500)
    elif setup == "malformed":
        httpserver.expect_request("/pypi/torch/json").respond_with_data(
            '{"info": {', content_type="application/json"
        )
    elif setup == "not-an-object":
        httpserver.expect_request("/pypi/torch/json").respond_with_json([1, 2])
    else:

        def slow(request):
            time.sleep(1.0)
            return Response("{}", content_type="application/json")

        httpserver.expect_request("/pypi/torch/json").respond_with_handler(slow)
    code = run_main(httpserver, output, "--timeout", "0.2")
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert digest(output) == before
    if setup == "500":  # the first try and one retry (--retries 1)
        assert len(httpserver.log) == 2


def test_client_streams_sha256_and_reports_progress(httpserver):
    body = bytes(range(256)) * 5000
    httpserver.expect_request("/f.bin").respond_with_data(body)
    seen = []
    sha, size = PyPIClient(base=httpserver.url_for("/")).stream_sha256(
        httpserver.url_for("/f.bin"), lambda done, total: seen.append((done, total))
    )
    assert (sha, size) == (hashlib.sha256(body).hexdigest(), len(body))
    assert seen[-1] == (len(body), len(body))


def test_client_connection_refused_is_one_line():
    client = PyPIClient(base="http://127.0.0.1:9", retries=0)
    with pytest.raises(PyPIError, match=r"^cannot fetch http://127\.0\.0\.1:9/torch/json: "):
        client.project("torch")


def test_atomic_write_replaces_whole_file_and_keeps_mode(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    target.chmod(0o640)
    atomic.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # no temp file left


def test_atomic_write_failure_leaves_target(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    target.write_text("old")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_generated_data_file_has_the_agreed_shape():
    doc = json.loads(GENERATED.read_text())
    assert doc["source"].endswith("/torch/json")
    assert {"generated", "source", "releases"} <= set(doc)
    assert "1.12.0" in doc["releases"] and "2.2.2" in doc["releases"]
    for version, release in doc["releases"].items():
        assert {"requires_python", "macos_arm64_min", "macos_x86_64", "python_tags"} <= set(
            release
        ), version
    # the last x86_64 macOS wheel is torch 2.2.2 (DESIGN.md); nothing after it has one
    x86 = [v for v, r in doc["releases"].items() if r["macos_x86_64"]]
    assert x86[-1] == "2.2.2"
