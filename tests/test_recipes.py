"""The conda recipes (recipes/) and scripts/recipes/build.py.

Recipes are rendered by rattler-build itself (py-rattler-build, pip-installable) for osx-arm64
and linux-64, every requirement must parse as a rattler MatchSpec, and build.py's small selector
evaluator must agree with rattler-build's Jinja on every skip expression. The build plan is
tested with injected hosts and builders; `execute` runs real subprocesses and a real channel
index (py-rattler)."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import parse_wheel_filename
from ruamel.yaml import YAML

from scripts.recipes import build
from scripts.recipes.build import (
    Builder,
    discover,
    eval_selector,
    find_builder,
    host_platform,
    make_plan,
    selector_names,
    skipped_on,
)

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

rattler_build = pytest.importorskip("rattler_build", reason="py-rattler-build renders v1 recipes")
rattler = pytest.importorskip("rattler")

ROOT = Path(__file__).resolve().parent.parent
RECIPES = ROOT / "recipes"
NAMES = ("torch-mps-verify", "pytorch-mps-wheel", "pytorch-mps")
PLATFORMS = ("osx-arm64", "linux-64")
RELEASES = json.loads((ROOT / "verify" / "data" / "torch_releases.json").read_text())["releases"]
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def safe_load(path: Path):
    return YAML(typ="safe").load(path.read_text())


def render(name: str, target_platform: str):
    folder = RECIPES / name
    variants_file = folder / "variants.yaml"
    variants = (
        rattler_build.VariantConfig.from_file(variants_file)
        if variants_file.exists()
        else rattler_build.VariantConfig()
    )
    recipe = rattler_build.Stage0Recipe.from_file(folder / "recipe.yaml")
    config = rattler_build.RenderConfig(
        platform=rattler_build.PlatformConfig(target_platform=target_platform)
    )
    return recipe.render(variants, config)


def rattler_truth(expression: str, target_platform: str, tmp_path: Path) -> bool:
    """rattler-build's own Jinja evaluation of ``expression`` for ``target_platform``."""
    probe = (
        "schema_version: 1\n"
        f"context:\n  probe: ${{{{ {expression} }}}}\n"
        'package:\n  name: probe\n  version: "0"\n'
    )
    recipe = rattler_build.Stage0Recipe.from_yaml(probe)
    config = rattler_build.RenderConfig(
        platform=rattler_build.PlatformConfig(target_platform=target_platform)
    )
    (variant,) = recipe.render(rattler_build.VariantConfig(), config)
    return bool(variant.recipe.context["probe"])


def all_specs(variant) -> list[str]:
    reqs = variant.recipe.requirements.to_dict()
    specs = [s for key in ("build", "host", "run", "run_constraints") for s in reqs.get(key, [])]
    for test in variant.recipe.to_dict().get("tests", []):
        specs += (test.get("requirements") or {}).get("run", [])
        specs += (test.get("requirements") or {}).get("build", [])
    return specs


# ------------------------------------------------------------------ rendering


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("name", NAMES)
def test_recipe_renders_and_every_requirement_is_a_matchspec(name, platform):
    variants = render(name, platform)
    assert variants, f"{name} rendered no variant for {platform}"
    for variant in variants:
        recipe = variant.recipe
        assert recipe.package.version == str(
            safe_load(RECIPES / name / "recipe.yaml")["context"]["version"]
        )
        specs = all_specs(variant)
        assert specs
        for spec in specs:
            assert "${{" not in spec, f"{name}: unrendered Jinja in {spec!r}"
            rattler.MatchSpec(spec)  # raises on an invalid spec
        for source in recipe.sources:
            data = source.to_dict()
            if "url" in data:
                assert data["url"].startswith("https://") and "${{" not in data["url"]
                assert SHA256.match(data["sha256"]), data


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("platform", ["osx-arm64", "linux-64", "linux-aarch64", "osx-64", "win-64"])
def test_skip_evaluation_agrees_with_rattler_build(name, platform, tmp_path):
    recipe = discover(RECIPES)[name]
    for expression in recipe.skip:
        assert eval_selector(expression, selector_names(platform)) == rattler_truth(
            expression, platform, tmp_path
        )
    expected_skip = name != "torch-mps-verify" and platform != "osx-arm64"
    assert skipped_on(recipe, platform) == expected_skip


def test_selector_evaluator_refuses_what_it_does_not_know():
    with pytest.raises(ValueError, match="unknown selector name 'cuda'"):
        eval_selector("cuda and linux", selector_names("linux-64"))
    with pytest.raises(ValueError, match="unsupported selector syntax"):
        eval_selector('match(python, "3.12")', selector_names("linux-64"))
    assert eval_selector("not (osx and arm64)", selector_names("osx-arm64")) is False
    assert eval_selector(True, {}) is True


def test_wheel_recipe_picks_the_wheel_of_each_python():
    for variant in render("pytorch-mps-wheel", "osx-arm64"):
        python = variant.recipe.used_variant["python"]
        (source,) = [s.to_dict() for s in variant.recipe.sources]
        assert f"-cp{python.replace('.', '')}-" in source["file_name"]
        assert source["url"].endswith("/" + source["file_name"])
        assert variant.recipe.build.string.startswith(f"mps_wheel_py{python.replace('.', '')}_h")


# ------------------------------------------------------------------ recipe facts


def test_wheel_recipe_pins_are_consistent_with_the_wheel_tags_and_pypi_data():
    recipe = safe_load(RECIPES / "pytorch-mps-wheel" / "recipe.yaml")
    version, macos_min = recipe["context"]["version"], recipe["context"]["macos_min"]
    pythons = safe_load(RECIPES / "pytorch-mps-wheel" / "variants.yaml")["python"]
    minimums = []
    for item in recipe["source"]:
        then = item["then"]
        name, wheel_version, _build, tags = parse_wheel_filename(then["file_name"])
        assert (name, str(wheel_version)) == ("torch", version)
        (tag,) = tags
        python = f"{tag.interpreter[2]}.{tag.interpreter[3:]}"
        assert item["if"] == f'match(python, "{python}.*")'
        assert tag.platform.endswith("_arm64") and tag.platform.startswith("macosx_")
        major, minor = tag.platform.split("_")[1:3]
        minimums.append((int(major), int(minor)))
        assert then["url"].startswith("https://files.pythonhosted.org/packages/")
        assert then["url"].endswith("/" + then["file_name"])
        assert SHA256.match(then["sha256"])
    assert sorted(pythons) == sorted(
        f"3.{i['then']['file_name'].split('-')[2][3:]}" for i in recipe["source"]
    )
    assert macos_min == "{}.{}".format(*max(minimums))
    # the generated PyPI data agrees for every packaged Python
    by_python = RELEASES[version]["macos_arm64_min_by_python"]
    assert {by_python[f"cp{p.replace('.', '')}"] for p in pythons} == {macos_min}
    assert "__osx >=${{ macos_min }}" in recipe["requirements"]["run"]


def test_source_recipe_sets_mps_and_the_deployment_target_of_its_version():
    recipe = safe_load(RECIPES / "pytorch-mps" / "recipe.yaml")
    variants = safe_load(RECIPES / "pytorch-mps" / "variants.yaml")
    version, macos_min = recipe["context"]["version"], recipe["context"]["macos_min"]
    env = recipe["build"]["script"]["env"]
    assert env == {"MACOSX_DEPLOYMENT_TARGET": "${{ macos_min }}", "USE_MPS": "1"}
    assert variants["c_stdlib_version"] == [macos_min]
    # the same rule bump_recipe applies: the newest minimum among the official wheels of the
    # Pythons built here
    by_python = RELEASES[version]["macos_arm64_min_by_python"]
    wanted = max(
        (by_python[f"cp{p.replace('.', '')}"] for p in variants["python"]),
        key=lambda v: tuple(map(int, v.split("."))),
    )
    assert macos_min == wanted
    assert SHA256.match(recipe["source"]["sha256"])
    (variant, *_) = render("pytorch-mps", "osx-arm64")
    script = variant.recipe.build.to_dict()["script"]
    assert script["env"] == {"MACOSX_DEPLOYMENT_TARGET": macos_min, "USE_MPS": "1"}
    assert f"macosx_deployment_target_osx-arm64 {macos_min}.*" in variant.recipe.requirements.build


def test_build_script_is_valid_bash_and_refuses_a_missing_sdk():
    script = RECIPES / "pytorch-mps" / "build.sh"
    assert script.stat().st_mode & stat.S_IXUSR
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    assert "export USE_MPS=1" in text
    assert "xcrun --sdk macosx --show-sdk-version" in text


@pytest.mark.parametrize("name", ["pytorch-mps", "pytorch-mps-wheel"])
def test_pytorch_recipes_test_mps_build_import_order_and_quick_verify(name):
    tests = safe_load(RECIPES / name / "recipe.yaml")["tests"]
    imports = tests[0]["python"]["imports"]
    assert imports == ["torch", "torch._C"]
    script = tests[1]["script"]
    assert any("assert torch.backends.mps.is_built()" in line for line in script)
    assert 'python -c "import torch; import numpy"' in script
    assert 'python -c "import numpy; import torch"' in script
    assert any("mps.is_available()" in line and "print(" in line for line in script)
    (verify_line,) = [line for line in script if "python -m verify" in line]
    assert "--level quick --device auto --expect-mps" in verify_line
    assert "--level quick --device auto --no-expect-mps" in verify_line
    assert "torch-mps-verify" in tests[1]["requirements"]["run"]


def test_verify_recipe_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    recipe = safe_load(RECIPES / "torch-mps-verify" / "recipe.yaml")
    assert recipe["context"]["version"] == project["version"]
    assert project["requires-python"] == ">=" + recipe["context"]["python_min"]
    assert recipe["build"]["noarch"] == "python"
    (variant,) = render("torch-mps-verify", "linux-64")
    run_names = {rattler.MatchSpec(s).name.normalized for s in variant.recipe.requirements.run}
    for dependency in project["dependencies"]:
        name = re.split(r"[<>=!~ ;\[]", dependency, maxsplit=1)[0].lower()
        assert name in run_names, f"{dependency} from pyproject.toml is missing in the recipe"
    scripts = project["scripts"]
    entry_points = recipe["build"]["python"]["entry_points"]
    assert [f"{k} = {v}" for k, v in scripts.items()] == entry_points


# ------------------------------------------------------------------ build plan


def which_from(available: dict[str, str]):
    return lambda name: available.get(name)


@pytest.mark.parametrize(
    ("system", "machine", "arm_hw", "expected"),
    [
        ("Darwin", "arm64", False, "osx-arm64"),
        ("Darwin", "x86_64", True, "osx-arm64"),  # x86_64 Python under Rosetta on Apple silicon
        ("Darwin", "x86_64", False, "osx-64"),
        ("Linux", "x86_64", False, "linux-64"),
        ("Linux", "aarch64", False, "linux-aarch64"),
        ("Windows", "AMD64", False, "win-64"),
    ],
)
def test_host_platform(system, machine, arm_hw, expected):
    assert host_platform(system, machine, lambda: arm_hw) == expected


def test_find_builder_prefers_rattler_build_and_honours_a_choice():
    both = which_from({"rattler-build": "/x/rattler-build", "conda-build": "/x/conda-build"})
    assert find_builder(both) == Builder("rattler-build", "/x/rattler-build")
    assert find_builder(both, prefer="conda-build") == Builder("conda-build", "/x/conda-build")
    assert find_builder(which_from({"conda-build": "/y/conda-build"})).name == "conda-build"
    assert find_builder(which_from({})) is None


def test_plan_on_linux_builds_only_the_noarch_recipe(tmp_path):
    plan = make_plan(
        [], discover(RECIPES), Builder("rattler-build", "rb"), "linux-64", tmp_path / "ch"
    )
    assert plan.error is None
    assert [s.recipe for s in plan.runnable] == ["torch-mps-verify"]
    (verify_step,) = plan.runnable
    assert verify_step.command[:4] == (
        "rb",
        "build",
        "--recipe",
        str(RECIPES / "torch-mps-verify" / "recipe.yaml"),
    )
    assert "--target-platform" not in verify_step.command  # noarch
    (refused,) = plan.refused
    assert refused.recipe == "pytorch-mps-wheel" and "linux-64" in refused.refused
    assert any("pytorch-mps" in note and "only when named" in note for note in plan.notes)


def test_plan_refuses_a_named_pytorch_recipe_off_macos(tmp_path):
    plan = make_plan(
        ["pytorch-mps"], discover(RECIPES), Builder("rattler-build", "rb"), "linux-64", tmp_path
    )
    assert plan.error is not None
    assert "osx-arm64" in plan.error and "this host is linux-64" in plan.error
    assert build.execute(plan, echo=lambda line: None, warn=lambda line: None) == 2


def test_plan_on_apple_silicon_targets_osx_arm64(tmp_path):
    channel = tmp_path / "ch"
    plan = make_plan(
        ["pytorch-mps", "torch-mps-verify"],
        discover(RECIPES),
        Builder("rattler-build", "rb"),
        "osx-arm64",
        channel,
    )
    assert plan.error is None
    assert [s.recipe for s in plan.runnable] == ["torch-mps-verify", "pytorch-mps"]  # verify first
    command = plan.runnable[1].command
    assert command[command.index("--target-platform") + 1] == "osx-arm64"
    assert command[command.index("--variant-config") + 1] == str(
        RECIPES / "pytorch-mps" / "variants.yaml"
    )
    assert command[command.index("-c") + 1] == channel.resolve().as_uri()  # local channel first


def test_plan_with_conda_build(tmp_path):
    plan = make_plan(
        ["torch-mps-verify"], discover(RECIPES), Builder("conda-build", "cb"), "linux-64", tmp_path
    )
    (step,) = plan.runnable
    assert step.command[:4] == (
        "cb",
        str(RECIPES / "torch-mps-verify"),
        "--output-folder",
        str(tmp_path),
    )
    assert "--override-channels" in step.command


def test_unknown_recipe_is_a_usage_error(tmp_path):
    plan = make_plan(["nope"], discover(RECIPES), None, "linux-64", tmp_path)
    assert plan.error.startswith("unknown recipe 'nope'")


def test_main_without_builder_exits_2_with_one_line(capsys, tmp_path):
    code = build.main(["--channel", str(tmp_path / "ch")], which=which_from({}), host="linux-64")
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("\n") == 1
    assert "rattler-build" in captured.err and "conda install" in captured.err
    assert not (tmp_path / "ch").exists()


def fake_builder(tmp_path: Path, exit_code: int) -> Path:
    """A real executable standing in for rattler-build: logs its argv, exits as told."""
    log = tmp_path / "calls.log"
    script = tmp_path / "rattler-build"
    script.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"open({str(log)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"sys.exit({exit_code})\n"
    )
    script.chmod(0o755)
    return script


def test_main_runs_the_builder_indexes_the_channel_and_says_how_to_install(tmp_path, capsys):
    script = fake_builder(tmp_path, 0)
    channel = tmp_path / "channel"
    code = build.main(
        ["--channel", str(channel)],
        which=which_from({"rattler-build": str(script)}),
        host="linux-64",
    )
    out = capsys.readouterr().out
    assert code == 0
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert (
        len(calls) == 1
        and calls[0].startswith("build --recipe ")
        and "torch-mps-verify" in calls[0]
    )
    assert (channel / "noarch" / "repodata.json").exists()  # indexed by py-rattler
    assert f"nox -s install -- --channel {channel.resolve().as_uri()}" in out
    assert "skipped pytorch-mps-wheel" in out


def test_a_failing_build_stops_with_exit_1(tmp_path, capsys):
    script = fake_builder(tmp_path, 3)
    code = build.main(
        ["--channel", str(tmp_path / "ch"), "torch-mps-verify", "pytorch-mps-wheel", "pytorch-mps"],
        which=which_from({"rattler-build": str(script)}),
        host="osx-arm64",
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "torch-mps-verify failed (rattler-build exit 3)" in err
    assert len((tmp_path / "calls.log").read_text().splitlines()) == 1  # stopped at the first


def test_index_channel_lists_a_real_package(tmp_path):
    """A real (tiny) noarch .conda package, indexed with py-rattler: repodata lists it."""
    from conda_package_handling import api

    prefix = tmp_path / "pkg"
    (prefix / "info").mkdir(parents=True)
    (prefix / "site-packages").mkdir()
    (prefix / "site-packages" / "demo.py").write_text("X = 1\n")
    index = {
        "name": "demo",
        "version": "1.0",
        "build": "0",
        "build_number": 0,
        "depends": [],
        "noarch": "generic",
        "subdir": "noarch",
        "license": "BSD-3-Clause",
    }
    (prefix / "info" / "index.json").write_text(json.dumps(index))
    (prefix / "info" / "paths.json").write_text(json.dumps({"paths": [], "paths_version": 1}))
    channel = tmp_path / "channel"
    (channel / "noarch").mkdir(parents=True)
    api.create(
        str(prefix),
        ["info/index.json", "info/paths.json", "site-packages/demo.py"],
        "demo-1.0-0.conda",
        out_folder=str(channel / "noarch"),
    )
    assert build.index_channel(channel)
    repodata = json.loads((channel / "noarch" / "repodata.json").read_text())
    assert list(repodata["packages.conda"]) == ["demo-1.0-0.conda"]
    assert repodata["packages.conda"]["demo-1.0-0.conda"]["name"] == "demo"
