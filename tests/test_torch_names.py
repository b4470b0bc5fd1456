"""verify.torch_names: the first torch release of each torch.X, read from the recorded wheel data
(verify/data/torch_names.json, never the network), and its reading in `verify diagnose`."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from packaging.version import Version
from werkzeug import Request, Response

from scripts.recipes import torch_names as recipe
from scripts.recipes.torch_names import STUBS
from verify import torch_names
from verify.diagnosis import diagnose
from verify.known_errors import explain, explain_all


def test_recorded_data_names_its_wheels_and_source():
    data = json.loads(recipe.OUT.read_text())
    assert data["source"] == "https://pypi.org/pypi/torch/json"
    assert all(len(w["sha256"]) == 64 and w["wheel"].endswith("_arm64.whl") for w in data["wheels"])
    releases = [Version(w["release"]) for w in data["wheels"]]
    assert releases == sorted(releases)


def test_first_releases_read_from_the_wheels():
    assert torch_names.first_release("amp", module=True) == (1, 12, 0)
    assert torch_names.first_release("compile", module=False) == (2, 0, 0)
    assert torch_names.first_release("compiler", module=True) == (2, 1, 0)
    # in every wheel read: says nothing about the torch's age
    assert torch_names.first_release("nn", module=True) is None
    # a function, not a module
    assert torch_names.first_release("compile", module=True) is None
    # torch.mps as an attribute has a reading of its own (known_errors' mps.torch_too_old)
    assert torch_names.missing("module 'torch' has no attribute 'mps'") is None


def test_removed_names_are_not_read_as_too_old():
    # torch.eig / torch.lstsq were removed: missing from a NEWER torch
    assert torch_names.first_release("eig", module=False) is None
    assert torch_names.first_release("lstsq", module=False) is None


def test_missing_and_predates():
    found = torch_names.missing("AttributeError: module 'torch' has no attribute 'compile'")
    assert found is not None and found.first == (2, 0, 0) and not found.module
    assert torch_names.predates(found, "1.13.1") is True
    assert torch_names.predates(found, "2.1.0+cpu") is False
    assert torch_names.predates(found, None) is None
    mod = torch_names.missing("ModuleNotFoundError: No module named 'torch.func'")
    assert mod is not None and mod.module and mod.first == (2, 0, 0)
    assert torch_names.missing("module 'torch' has no attribute 'nn'") is None
    assert torch_names.missing("module 'torch' has no attribute 'not_a_torch_name'") is None


def test_pattern_matches_only_names_some_release_lacks():
    ids = [e.id for e in explain_all("AttributeError: module 'torch' has no attribute 'amp'")]
    assert ids == ["mps.torch_predates_name"]
    assert explain_all("AttributeError: module 'torch' has no attribute 'nn'") == []
    assert explain_all("AttributeError: module 'torch' has no attribute 'ampere'") == []
    # torch.mps keeps its own reading
    ids = [e.id for e in explain_all("module 'torch' has no attribute 'mps'")]
    assert ids == ["mps.torch_too_old"]


def test_a_name_no_release_lacks_does_not_hide_a_later_one():
    # the pattern reads the shape and keeps the names the data dates: an unknown name on an
    # earlier line is passed over, not taken as the match
    text = (
        "AttributeError: module 'torch' has no attribute 'ampere'\n"
        "ModuleNotFoundError: No module named 'torch.compiler'\n"
    )
    (found,) = explain_all(text)
    assert found.id == "mps.torch_predates_name"
    assert found.match == "No module named 'torch.compiler'"
    assert explain(text).match == found.match


def test_the_attribute_error_pasted_in_chinese_is_read():
    # lihaoyun6/ComfyUI-FlashVSR_Ultra_Fast#25 (holdout8), verbatim: a torch before 2.5
    found = torch_names.missing("模块 'torch.mps' 没有属性 'is_available'\uff0c模型下载后无法运行")
    assert found is not None and (found.name, found.first_text) == ("mps.is_available", "2.5.0")
    assert torch_names.missing("模块 'torch' 没有属性 'nn'") is None  # every release has it


def _rows(text):
    _facts, results = diagnose.diagnose(text)
    return {r.id: r for r in results}


def test_diagnose_torch_too_old_for_the_code():
    rows = _rows("torch 1.13.1\nAttributeError: module 'torch' has no attribute 'compile'\n")
    row = rows["error.mps.torch_predates_name"]
    assert row.status == "fail"
    assert "torch >= 2.0.0" in row.cause and "torch 1.13.1" in row.cause
    assert "torch>=2.0.0" in " ".join(row.fix.commands)


def test_diagnose_drops_the_row_when_the_pasted_torch_has_the_name():
    rows = _rows("torch 2.1.0\nAttributeError: module 'torch' has no attribute 'compile'\n")
    assert "error.mps.torch_predates_name" not in rows


def test_recipe_reads_modules_and_top_level_names():
    listing = [
        "torch/amp/__init__.py",
        "torch/amp/autocast_mode.py",
        "torch/func.py",
        "torch/_C.so",
    ]
    assert recipe.modules(listing) == {"amp", "amp.autocast_mode", "func"}
    source = (
        "from typing import Any\nimport torch.mps\nfrom torch import func as func\n"
        "if True:\n    def compile(x):\n        pass\nelse:\n    _hidden = 1\n"
        "try:\n    pi = 3\nexcept ImportError:\n    class GradScaler: ...\n"
    )
    assert recipe.top_level_names(source) == {"mps", "func", "compile", "pi", "GradScaler"}


def test_recipe_first_seen_leaves_removed_names_out():
    seen = recipe.first_seen(
        [("1.8.0", {"a", "eig"}), ("1.9.0", {"a", "b"}), ("2.0.0", {"a", "b"})]
    )
    assert seen == {"a": "1.8.0", "b": "1.9.0"}


def test_recipe_render_round_trips():
    table = {"about": "x", "source": "s", "wheels": [], "modules": {"amp": "1.12.0"}, "names": {}}
    assert json.loads(recipe.render(table)) == table


def test_submodules_one_level_down():
    assert torch_names.first_release("backends.mps", module=True) == (1, 12, 0)
    assert torch_names.first_release("nn.attention", module=True) == (2, 3, 0)
    found = torch_names.missing("ModuleNotFoundError: No module named 'torch.nn.attention'")
    assert found is not None and found.name == "nn.attention"
    found = torch_names.missing("AttributeError: module 'torch.nn' has no attribute 'attention'")
    assert found is not None and found.first == (2, 3, 0)
    # a module one level further down is not read (torch.nn.attention.flex_attention came later
    # than torch.nn.attention: naming 2.3 would be wrong)
    assert explain_all("No module named 'torch.nn.attention.flex_attention'") == []


def test_torch_mps_as_a_module_is_read_here_as_an_attribute_by_kinds5():
    ids = [e.id for e in explain_all("ModuleNotFoundError: No module named 'torch.mps'")]
    assert ids == ["mps.torch_predates_name"]
    found = torch_names.missing("No module named 'torch.mps'")
    assert found is not None and found.first == (2, 0, 0)
    for text in (
        "module 'torch' has no attribute 'mps'",
        "module 'torch.backends' has no attribute 'mps'",
    ):
        assert [e.id for e in explain_all(text)] == ["mps.torch_too_old"]
        assert torch_names.missing(text) is None


def test_recipe_reads_submodules_dotted():
    listing = ["torch/backends/mps/__init__.py", "torch/nn/attention/__init__.py", "torch/a/b/c.py"]
    assert recipe.modules(listing) == {"backends.mps", "nn.attention"}


def _wheel(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("torch/bulk.bin", "x" * 300_000)  # bulk before the members read
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_recipe_reads_remote_wheels_by_range_requests(httpserver, tmp_path):
    """The refresh script end to end against a local index: two releases' arm64 wheels (real
    zips), read through HTTP Range requests, never downloaded whole."""
    wheels = {
        "1.8.0": _wheel({"torch/__init__.py": "def nn(): pass\n", "torch/nn/__init__.py": ""}),
        "2.0.0": _wheel(
            {
                "torch/__init__.py": "def compile(m):\n    pass\n",
                "torch/nn/__init__.py": "",
                "torch/func/__init__.py": "",
                STUBS: "def frexp(input): ...\n",
            }
        ),
    }
    releases = {}
    for version, body in wheels.items():
        path = f"/files/torch-{version}-cp310-none-macosx_11_0_arm64.whl"

        def ranged(request: Request, body=body) -> Response:
            return Response(body, content_type="application/zip").make_conditional(
                request, accept_ranges=True, complete_length=len(body)
            )

        httpserver.expect_request(path).respond_with_handler(ranged)
        releases[version] = [
            {
                "filename": path.rsplit("/", 1)[1],
                "url": f"../..{path}",  # relative, as some mirrors give it
                "digests": {"sha256": hashlib.sha256(body).hexdigest()},
            },
            {"filename": f"torch-{version}-cp310-none-win_amd64.whl", "url": "/nowhere"},
        ]
    releases["2.1.0rc1"] = releases["2.0.0"]  # pre-releases are not read
    httpserver.expect_request("/pypi/torch/json").respond_with_json({"releases": releases})
    out = tmp_path / "torch_names.json"
    argv = ["--index-url", httpserver.url_for("/pypi"), "--out", str(out)]
    assert recipe.main(argv) == 0
    table = json.loads(out.read_text())
    assert [w["release"] for w in table["wheels"]] == ["1.8.0", "2.0.0"]
    assert table["wheels"][1]["sha256"] == hashlib.sha256(wheels["2.0.0"]).hexdigest()
    assert table["modules"] == {"nn": "1.8.0", "func": "2.0.0"}
    assert table["names"] == {"compile": "2.0.0", "frexp": "2.0.0", "func": "2.0.0"} | {
        "nn": "1.8.0"
    }
    wheel_requests = [resp for r, resp in httpserver.log if r.path.startswith("/files/")]
    assert wheel_requests and all(resp.status_code == 206 for resp in wheel_requests)


def test_members_of_submodules():
    # torch/nn/functional.py binds scaled_dot_product_attention from 2.0.0; torch/mps binds
    # device_count from 2.4.0 (read from the wheels)
    found = torch_names.missing(
        "AttributeError: module 'torch.nn.functional' has no attribute "
        "'scaled_dot_product_attention'"
    )
    assert found is not None and found.first == (2, 0, 0)
    found = torch_names.missing("module 'torch.mps' has no attribute 'device_count'")
    assert found is not None and found.first == (2, 4, 0)
    # in every wheel read: nothing to say
    assert explain_all("module 'torch.nn.functional' has no attribute 'gelu'") == []
