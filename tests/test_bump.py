"""scripts/recipes/bump.py against a local PyPI (pytest-httpserver) serving the trimmed real
responses in tests/data/pypi; the recipes are copies in tmp_path. Every failure must be one
line on stderr, exit 2, and leave the recipe files byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from ruamel.yaml import YAML
from werkzeug import Request, Response

from scripts.recipes import bump as bump_recipe
from scripts.recipes.bump import merge_requirements, public_url, requirements_for

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "pypi"
INDEX = json.loads((DATA / "torch.json").read_text())
RECIPES = ("pytorch-mps", "pytorch-mps-wheel")


def tarball(version: str, salt: str = "") -> bytes:
    """A real (tiny) release tarball: pytorch-vX/README inside a .tar.gz."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        payload = f"PyTorch {version} source{salt}\n".encode()
        info = tarfile.TarInfo(f"pytorch-v{version}/README")
        info.size, info.mtime = len(payload), 0
        archive.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def file_path(server_json_url: str, entry: dict) -> str:
    return urlsplit(urljoin(server_json_url, entry["url"])).path


def arm64_wheels(version: str) -> list[dict]:
    return [
        f
        for f in INDEX["releases"][version]
        if f["filename"].endswith("_arm64.whl") and "t-macosx" not in f["filename"]
    ]


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def load(path: Path):
    return YAML(typ="safe").load(path.read_text())


@pytest.fixture
def recipes(tmp_path) -> Path:
    root = tmp_path / "recipes"
    for name in RECIPES:
        shutil.copytree(ROOT / "recipes" / name, root / name)
    return root


@pytest.fixture
def pypi(httpserver):
    """Serve the recorded index, each wheel's METADATA, and source tarballs."""
    json_url = httpserver.url_for("/pypi/torch/json")
    httpserver.expect_request("/pypi/torch/json").respond_with_json(INDEX)
    for version in ("2.13.0", "2.15.0"):
        for entry in arm64_wheels(version):
            metadata = (DATA / f"{entry['filename']}.metadata").read_text()
            httpserver.expect_request(file_path(json_url, entry) + ".metadata").respond_with_data(
                metadata
            )
    return httpserver


def serve_source(httpserver, version: str, body: bytes) -> None:
    httpserver.expect_request(f"/src/pytorch-v{version}.tar.gz").respond_with_data(body)


def bump(httpserver, recipes: Path, *extra: str) -> int:
    argv = [
        "--index-url",
        httpserver.url_for("/pypi"),
        "--source-url",
        httpserver.url_for("/src/pytorch-v{version}.tar.gz"),
        "--recipes-dir",
        str(recipes),
        "--retries",
        "1",
        "--no-progress",
        *extra,
    ]
    return bump_recipe.main(argv, backoff=0)


# ------------------------------------------------------------------ --check


def test_check_reports_behind_and_exits_1(pypi, recipes, capsys):
    before = snapshot(recipes)
    assert bump(pypi, recipes, "--check") == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "pytorch-mps: behind: 2.13.0 -> 2.15.0 available",
        "pytorch-mps-wheel: behind: 2.13.0 -> 2.15.0 available",
    ]
    assert snapshot(recipes) == before


def test_check_up_to_date_exits_0(pypi, recipes, capsys):
    assert bump(pypi, recipes, "--check", "--version", "2.13.0") == 0
    assert "up to date" in capsys.readouterr().out


# ------------------------------------------------------------------ a real bump


def test_bump_to_latest_updates_both_recipes_and_keeps_comments(pypi, recipes, capsys):
    source = tarball("2.15.0")
    serve_source(pypi, "2.15.0", source)
    originals = {name: (recipes / name / "recipe.yaml").read_text() for name in RECIPES}

    assert bump(pypi, recipes) == 0
    out = capsys.readouterr().out
    assert (
        "torch 2.15.0: 5 arm64 wheels (Python 3.11, 3.12, 3.13, 3.14, 3.15), macOS >= 14.0" in out
    )

    src = load(recipes / "pytorch-mps" / "recipe.yaml")
    assert src["context"]["version"] == "2.15.0"
    assert src["context"]["macos_min"] == "14.0"
    assert src["source"]["sha256"] == hashlib.sha256(source).hexdigest()
    # the recipe keeps its public URL template; only the download came from the test server
    assert src["source"]["url"].startswith("https://github.com/pytorch/pytorch/releases/download/")
    assert load(recipes / "pytorch-mps" / "variants.yaml")["c_stdlib_version"] == ["14.0"]

    wheel = load(recipes / "pytorch-mps-wheel" / "recipe.yaml")
    expected = {f["filename"]: f for f in arm64_wheels("2.15.0")}
    assert [s["then"]["file_name"] for s in wheel["source"]] == sorted(
        expected, key=lambda n: int(n.split("-")[2][3:])
    )
    for item in wheel["source"]:
        entry = expected[item["then"]["file_name"]]
        assert item["then"]["sha256"] == entry["digests"]["sha256"]
        assert item["then"]["url"].startswith("https://files.pythonhosted.org/packages/")
        assert item["then"]["url"].endswith(entry["url"].split("/packages/packages/", 1)[1])
        python = "3." + entry["filename"].split("-")[2][3:]
        assert item["if"] == f'match(python, "{python}.*")'
    assert load(recipes / "pytorch-mps-wheel" / "variants.yaml")["python"] == [
        "3.11",
        "3.12",
        "3.13",
        "3.14",
        "3.15",
    ]
    # run requirements come from the 2.15.0 METADATA (typing-extensions>=4.13.0 there)
    run = wheel["requirements"]["run"]
    assert "typing_extensions >=4.13.0" in run and "typing_extensions >=4.10.0" not in run
    # entries before the __osx anchor are the recipe's own and stay
    assert run[:3] == ["python", "llvm-openmp", "__osx >=${{ macos_min }}"]
    # the license expression is the 2.15.0 wheels' own (it added ISC and Zlib)
    expression = (
        "Apache-2.0 AND Apache-2.0 WITH LLVM-exception AND BSD-2-Clause AND BSD-3-Clause AND "
        "BSL-1.0 AND ISC AND MIT AND Zlib"
    )
    assert wheel["context"]["license"] == expression
    assert src["context"]["license"] == expression
    src_run = src["requirements"]["run"]
    assert src_run[: src_run.index("__osx >=${{ macos_min }}")] == [
        "python",
        "llvm-openmp",
        "setuptools <82",
    ]
    assert not any("cuda" in str(r) or "triton" in str(r) or "optree" in str(r) for r in run)

    # round trip: every comment line of the original is still there, in the same order
    for name in RECIPES:
        new = (recipes / name / "recipe.yaml").read_text()
        old_comments = [
            line.strip() for line in originals[name].splitlines() if line.strip().startswith("#")
        ]
        new_comments = [line.strip() for line in new.splitlines() if line.strip().startswith("#")]
        assert new_comments == old_comments, name
        assert "\n\nbuild:\n" in new, f"{name}: the blank line before build: was lost"

    # a second run changes nothing
    before = snapshot(recipes)
    assert bump(pypi, recipes) == 0
    assert "recipes already up to date" in capsys.readouterr().out
    assert snapshot(recipes) == before


def test_bumped_recipes_still_render(pypi, recipes):
    rattler_build = pytest.importorskip(
        "rattler_build", reason="py-rattler-build renders v1 recipes"
    )
    rattler = pytest.importorskip("rattler")
    serve_source(pypi, "2.15.0", tarball("2.15.0"))
    assert bump(pypi, recipes) == 0
    for name in RECIPES:
        folder = recipes / name
        variants = rattler_build.VariantConfig.from_file(folder / "variants.yaml")
        recipe = rattler_build.Stage0Recipe.from_file(folder / "recipe.yaml")
        config = rattler_build.RenderConfig(
            platform=rattler_build.PlatformConfig(target_platform="osx-arm64")
        )
        rendered = recipe.render(variants, config)
        assert [v.recipe.used_variant["python"] for v in rendered] == [
            "3.11",
            "3.12",
            "3.13",
            "3.14",
            "3.15",
        ]
        for variant in rendered:
            assert variant.recipe.package.version == "2.15.0"
            for spec in variant.recipe.requirements.run:
                rattler.MatchSpec(spec)


def test_metadata_read_from_the_wheel_by_http_range_when_index_has_no_metadata_file(
    httpserver, recipes, capsys
):
    """Mirrors without PEP 658 files: METADATA is read out of the remote wheel (a real zip)."""
    json_url = httpserver.url_for("/pypi/torch/json")
    httpserver.expect_request("/pypi/torch/json").respond_with_json(INDEX)
    sizes = {}
    for entry in arm64_wheels("2.15.0"):
        path = file_path(json_url, entry)
        dist_info = "torch-2.15.0.dist-info/METADATA"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("torch/__init__.py", "# " + "x" * 300_000)  # bulk before the member
            archive.writestr(dist_info, (DATA / f"{entry['filename']}.metadata").read_text())
        body = buffer.getvalue()
        sizes[path] = len(body)

        def ranged(request: Request, body=body) -> Response:
            return Response(body, content_type="application/zip").make_conditional(
                request, accept_ranges=True, complete_length=len(body)
            )

        httpserver.expect_request(path + ".metadata").respond_with_data("", status=404)
        httpserver.expect_request(path).respond_with_handler(ranged)
    serve_source(httpserver, "2.15.0", tarball("2.15.0"))
    assert bump(httpserver, recipes) == 0
    run = load(recipes / "pytorch-mps-wheel" / "recipe.yaml")["requirements"]["run"]
    assert "typing_extensions >=4.13.0" in run
    # only parts of each wheel were fetched (Range requests), never the whole file in one GET
    wheel_requests = [(r, resp) for r, resp in httpserver.log if r.path in sizes]
    assert wheel_requests and all(resp.status_code == 206 for _, resp in wheel_requests)


# ------------------------------------------------------------------ failures


def slow(request: Request) -> Response:
    time.sleep(1.0)
    return Response("{}", content_type="application/json")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("index-500", "HTTP 500"),
        ("index-timeout", "timed out"),
        ("index-malformed", "malformed JSON"),
        ("unknown-version", "torch 9.9.9 is not on"),
        ("source-sha-mismatch", "sha256 mismatch for"),
        ("source-404", "HTTP 404"),
        ("metadata-500", "HTTP 500"),
        ("wheel-sha-mismatch", "sha256 mismatch for torch-2.15.0-cp311"),
    ],
)
def test_failures_are_one_line_exit_2_and_change_nothing(
    httpserver, recipes, capsys, case, message
):
    json_url = httpserver.url_for("/pypi/torch/json")
    extra: list[str] = []
    if case == "index-500":
        httpserver.expect_request("/pypi/torch/json").respond_with_data("oops", status=500)
    elif case == "index-timeout":
        httpserver.expect_request("/pypi/torch/json").respond_with_handler(slow)
        extra = ["--timeout", "0.2"]
    elif case == "index-malformed":
        httpserver.expect_request("/pypi/torch/json").respond_with_data(
            "{not json", content_type="application/json"
        )
    else:
        httpserver.expect_request("/pypi/torch/json").respond_with_json(INDEX)
        for version in ("2.13.0", "2.15.0"):
            for entry in arm64_wheels(version):
                path = file_path(json_url, entry)
                if case == "metadata-500":
                    httpserver.expect_request(path + ".metadata").respond_with_data(
                        "oops", status=500
                    )
                else:
                    text = (DATA / f"{entry['filename']}.metadata").read_text()
                    httpserver.expect_request(path + ".metadata").respond_with_data(text)
                # not the real 111 MB wheel: its sha256 cannot match PyPI's digest
                httpserver.expect_request(path).respond_with_data(b"PK\x05\x06" + b"\0" * 18)
        if case == "unknown-version":
            extra = ["--version", "9.9.9"]
        elif case == "source-sha-mismatch":
            # same version as pinned, different bytes than the pinned sha256
            serve_source(httpserver, "2.13.0", tarball("2.13.0", salt=" (tampered)"))
            extra = ["--version", "2.13.0"]
        elif case == "wheel-sha-mismatch":
            serve_source(httpserver, "2.15.0", tarball("2.15.0"))
            extra = ["--verify-wheels"]
        elif case == "source-404":
            httpserver.expect_request("/src/pytorch-v2.15.0.tar.gz").respond_with_data(
                "", status=404
            )
    before = snapshot(recipes)
    code = bump(httpserver, recipes, *extra)
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err
    assert captured.err.startswith("bump_recipe: ")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert snapshot(recipes) == before


def test_broken_recipe_yaml_is_one_line(pypi, recipes, capsys):
    (recipes / "pytorch-mps" / "recipe.yaml").write_text("context: [unclosed\n")
    before = snapshot(recipes)
    assert bump(pypi, recipes, "--check") == 2
    err = capsys.readouterr().err
    assert "is not valid YAML" in err and err.count("\n") == 1
    assert snapshot(recipes) == before


# ------------------------------------------------------------------ pure pieces


def test_requirements_for_evaluates_markers_for_macos_arm64():
    metadata = (DATA / "torch-2.15.0-cp311-cp311-macosx_14_0_arm64.whl.metadata").read_text()
    assert requirements_for(metadata, "3.11") == [
        "filelock",
        "typing_extensions >=4.13.0",
        "setuptools >=77.0.3",
        "sympy >=1.13.3",
        "networkx >=2.5.1",
        "jinja2",
        "fsspec >=0.8.5",
    ]
    marker = 'Requires-Dist: tomli>=2; python_version < "3.12"\n'
    assert requirements_for(marker, "3.11") == ["tomli >=2"]
    assert requirements_for(marker, "3.12") == []


def test_merge_requirements_conditions_what_only_some_pythons_need():
    merged = merge_requirements({"3.11": ["filelock", "tomli >=2"], "3.12": ["filelock"]})
    assert merged[0] == "filelock"
    assert dict(merged[1]) == {"if": 'match(python, "3.11.*")', "then": "tomli >=2"}


def test_public_url_maps_any_host_to_files_pythonhosted():
    path = "7f/e7/19894fdb/torch-2.13.0-cp310-cp310-macosx_14_0_arm64.whl"
    assert (
        public_url(f"https://pypi.org/packages/packages/{path}")
        == f"https://files.pythonhosted.org/packages/{path}"
    )
    assert (
        public_url(f"https://files.pythonhosted.org/packages/{path}")
        == f"https://files.pythonhosted.org/packages/{path}"
    )


def test_check_with_a_server_error_exits_2_not_1(httpserver, recipes, capsys):
    httpserver.expect_request("/pypi/torch/json").respond_with_data("oops", status=503)
    before = snapshot(recipes)
    assert bump(httpserver, recipes, "--check") == 2
    assert "HTTP 503" in capsys.readouterr().err
    assert snapshot(recipes) == before


def test_rich_progress_bar_follows_the_stream_and_stops(httpserver):
    body = b"x" * 300_000
    httpserver.expect_request("/big").respond_with_data(body)
    advance = bump_recipe.rich_progress("big")
    client = bump_recipe.PyPIClient(base=httpserver.url_for("/"))
    digest, size = client.stream_sha256(httpserver.url_for("/big"), advance)
    assert (digest, size) == (hashlib.sha256(body).hexdigest(), len(body))
