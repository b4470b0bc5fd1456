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


def test_build_script_is_valid_bash_and_runs_guards_fixes_and_post_install_in_order():
    script = RECIPES / "pytorch-mps" / "build.sh"
    assert script.stat().st_mode & stat.S_IXUSR
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    for line in ("export USE_MPS=1", "export USE_DISTRIBUTED=1", "export BLAS=OpenBLAS"):
        assert line in text
    steps = [
        '"${RECIPE_DIR}/mps_guard.py" preflight',
        '"${RECIPE_DIR}/fix_source.py" .',
        '"${RECIPE_DIR}/max_jobs.py"',
        "setup.py build --cmake-only",
        '"${RECIPE_DIR}/mps_guard.py" cache build/CMakeCache.txt',
        "-m pip install . --no-deps --no-build-isolation",
        '"${RECIPE_DIR}/post_install.py" --prefix "${PREFIX}" --site-packages "${SP_DIR}"',
    ]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions), "the build steps are out of order"
    assert "export MAX_JOBS" in text and 'MAX_JOBS="${CPU_COUNT' not in text


@pytest.mark.parametrize("name", ["pytorch-mps", "pytorch-mps-wheel"])
def test_pytorch_recipes_test_mps_build_import_order_and_quick_verify(name):
    tests = safe_load(RECIPES / name / "recipe.yaml")["tests"]
    imports = tests[0]["python"]["imports"]
    assert imports == ["torch", "torch._C"]
    (verify_test,) = [t for t in tests if "torch-mps-verify" in str(t.get("requirements"))]
    script = verify_test["script"]
    assert any("assert torch.backends.mps.is_built()" in line for line in script)
    assert 'python -c "import torch; import numpy"' in script
    assert 'python -c "import numpy; import torch"' in script
    assert any("mps.is_available()" in line and "print(" in line for line in script)
    (verify_line,) = [line for line in script if "python -m verify" in line]
    assert "--level quick --device auto --expect-mps" in verify_line
    assert "--level quick --device auto --no-expect-mps" in verify_line
    assert "torch-mps-verify" in verify_test["requirements"]["run"]


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
    api = lambda: True  # noqa: E731  py-rattler-build importable
    assert find_builder(both, python_api=api) == Builder("rattler-build", "/x/rattler-build")
    assert find_builder(both, prefer="conda-build") == Builder("conda-build", "/x/conda-build")
    cb = which_from({"conda-build": "/y/conda-build"})
    assert find_builder(cb, python_api=api).name == "conda-build"  # a CLI beats the API
    assert find_builder(which_from({}), python_api=lambda: False) is None


def test_find_builder_falls_back_to_py_rattler_build_in_this_python():
    assert find_builder(which_from({}), python_api=lambda: True) == Builder(
        "py-rattler-build", sys.executable
    )
    both = which_from({"rattler-build": "/x/rattler-build"})
    chosen = find_builder(both, prefer="py-rattler-build", python_api=lambda: True)
    assert chosen.name == "py-rattler-build"
    assert find_builder(both, prefer="py-rattler-build", python_api=lambda: False) is None
    # the real check: py-rattler-build is installed in the test environment
    assert build.has_py_rattler_build()


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
    code = build.main(
        ["--channel", str(tmp_path / "ch")],
        which=which_from({}),
        host="linux-64",
        python_api=lambda: False,
    )
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("\n") == 1
    assert "pip install py-rattler-build" in captured.err and "conda install" in captured.err
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


# ------------------------------------------------------------------ issue 15: what conda-forge
# documents for osx-arm64 builds of this torch (pytorch-cpu-feedstock at 74dd3d46), checked on
# the recipes as py-rattler-build renders them for osx-arm64, and on the recipes' own scripts
# run for real here on inputs made for each test.

PYPI_DATA = Path(__file__).parent / "data" / "pypi"
SOURCE_DIR = RECIPES / "pytorch-mps"
WHEEL_DIR = RECIPES / "pytorch-mps-wheel"
GIB = 1 << 30


def first_osx_variant(name: str):
    return render(name, "osx-arm64")[0].recipe.to_dict()


def recorded_metadata(version: str) -> str:
    (path, *_) = sorted(PYPI_DATA.glob(f"torch-{version}-*-macosx_*_arm64.whl.metadata"))
    return path.read_text()


def metadata_header(text: str, name: str) -> list[str]:
    from email.parser import HeaderParser

    return HeaderParser().parsestr(text).get_all(name) or []


def script_test(recipe: dict, script_name: str) -> dict:
    (test,) = [
        t for t in recipe["tests"] if script_name in (t.get("files") or {}).get("recipe", [])
    ]
    return test


def run_script(path: Path, *args: str, env: dict | None = None, cwd: Path | None = None):
    import os

    return subprocess.run(
        [sys.executable, str(path), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
    )


@pytest.mark.parametrize("name", ["pytorch-mps", "pytorch-mps-wheel"])
def test_pytorch_recipes_share_one_openmp_runtime_and_pin_openblas_to_it(name):
    recipe = first_osx_variant(name)
    reqs = recipe["requirements"]
    assert "llvm-openmp" in reqs["host"] and "llvm-openmp" in reqs["run"]
    assert "libopenblas * openmp_*" in reqs["run_constraints"]
    script = recipe["build"]["script"]
    text = (SOURCE_DIR / "build.sh").read_text() if isinstance(script, dict) else " ".join(script)
    assert "post_install.py" in text and "--prefix" in text and "--site-packages" in text
    # numpy first, then a torch parallel region, in the package tests
    test = script_test(recipe, "check_runtime.py")
    lines = [test["script"]] if isinstance(test["script"], str) else test["script"]
    assert lines[0] == "python check_runtime.py"
    assert "numpy" in test["requirements"]["run"]


@pytest.mark.parametrize("name", ["pytorch-mps", "pytorch-mps-wheel"])
def test_pytorch_recipes_export_a_minor_version_pin(name):
    (export,) = first_osx_variant(name)["requirements"]["run_exports"]["weak"]
    assert export["pin_subpackage"]["name"] == "pytorch"
    assert export["pin_subpackage"]["upper_bound"] == "x.x"


def test_source_recipe_pins_setuptools_below_82_and_picks_blas_explicitly():
    reqs = first_osx_variant("pytorch-mps")["requirements"]
    assert "setuptools >=77,<82" in reqs["host"]
    assert "setuptools <82" in reqs["run"]
    for name in ("libblas", "libcblas", "liblapack"):
        assert name in reqs["host"]
    text = (SOURCE_DIR / "build.sh").read_text()
    assert 'export OpenBLAS_HOME="${PREFIX}"' in text


@pytest.mark.parametrize("name", ["pytorch-mps", "pytorch-mps-wheel"])
def test_pytorch_recipes_take_license_expression_and_files_from_torch_metadata(name):
    recipe = first_osx_variant(name)
    version = recipe["package"]["version"]
    (expression,) = metadata_header(recorded_metadata(version), "License-Expression")
    assert recipe["about"]["license"] == expression
    files = recipe["about"]["license_file"]
    assert "torch-licenses/" in files
    if name == "pytorch-mps":
        assert files[:2] == ["LICENSE", "NOTICE"]


def test_verify_recipe_builds_with_a_pep639_setuptools_and_ships_the_license():
    recipe = first_osx_variant("torch-mps-verify")
    assert "setuptools >=77" in recipe["requirements"]["host"]
    assert recipe["about"]["license_file"] == ["LICENSE"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == recipe["about"]["license"] == "BSD-3-Clause"
    assert project["build-system"]["requires"] == ["setuptools>=77"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("BSD 3-Clause License") and "Neither the name of" in text


@pytest.mark.parametrize("script", ["post_install.py", "check_runtime.py"])
def test_shared_recipe_scripts_are_identical_copies(script):
    assert (SOURCE_DIR / script).read_bytes() == (WHEEL_DIR / script).read_bytes()


# ---------------------------------------------------------------- mps_guard.py

GUARD = SOURCE_DIR / "mps_guard.py"


def cmake_cache(tmp_path: Path, **values: str) -> Path:
    lines = ["# This is the CMakeCache file.", "", "//Use MPS", "CMAKE_BUILD_TYPE:STRING=Release"]
    lines += [f"{key}:BOOL={value}" for key, value in values.items()]
    path = tmp_path / "CMakeCache.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_guard_stops_when_cmake_turned_use_mps_off(tmp_path):
    done = run_script(GUARD, "cache", str(cmake_cache(tmp_path, USE_MPS="OFF")))
    assert done.returncode == 1
    assert "USE_MPS=OFF although the build asked for USE_MPS=1" in done.stderr
    assert "MetalPerformanceShadersGraph" in done.stderr and "Fix:" in done.stderr


def test_guard_stops_without_a_metal_compiler_and_says_xcode_or_the_runtime_cost(tmp_path):
    cache = cmake_cache(tmp_path, USE_MPS="ON", CAN_COMPILE_METAL="NO")
    done = run_script(GUARD, "cache", str(cache), env={"TMK_ALLOW_RUNTIME_METAL": ""})
    assert done.returncode == 1
    assert "no working `metal` shader compiler" in done.stderr
    assert "Command Line Tools have no `metal` compiler" in done.stderr
    assert "first time a process uses it" in done.stderr
    allowed = run_script(GUARD, "cache", str(cache), env={"TMK_ALLOW_RUNTIME_METAL": "1"})
    assert allowed.returncode == 0
    assert "mps_guard warning" in allowed.stderr and "(with warnings)" in allowed.stdout


def test_guard_passes_a_cache_with_mps_and_compiled_shaders(tmp_path):
    done = run_script(
        GUARD, "cache", str(cmake_cache(tmp_path, USE_MPS="ON", CAN_COMPILE_METAL="YES"))
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "ok" in done.stdout


def test_guard_stops_on_an_unreadable_cache_and_a_host_without_xcrun(tmp_path):
    import shutil

    missing = run_script(GUARD, "cache", str(tmp_path / "nope" / "CMakeCache.txt"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert run_script(GUARD, "bogus").returncode == 2
    if shutil.which("xcrun") is None:  # every Linux host: the preflight refuses at once
        done = run_script(GUARD, "preflight")
        assert done.returncode == 1 and "no `xcrun` on PATH" in done.stderr


# ---------------------------------------------------------------- fix_source.py

FIXER = SOURCE_DIR / "fix_source.py"
HANDLERS_BEFORE = """#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <c10/macros/Export.h>

namespace c10d::control_plane {
// uses std::unordered_map without including it
}
"""
FIND_OPENBLAS_BEFORE = """SET(Open_BLAS_LIB_NAME openblas)
FIND_PATH(OpenBLAS_INCLUDE_DIR NAMES cblas.h PATHS ${Open_BLAS_INCLUDE_SEARCH_PATHS})
FIND_LIBRARY(OpenBLAS_LIB NAMES ${Open_BLAS_LIB_NAME} PATHS ${Open_BLAS_LIB_SEARCH_PATHS})

SET(OpenBLAS_FOUND ON)
IF(NOT OpenBLAS_LIB)
    SET(OpenBLAS_FOUND OFF)
ENDIF()
"""


def make_source(tmp_path: Path) -> Path:
    root = tmp_path / "pytorch-v2.13.0"
    handlers = root / "torch/csrc/distributed/c10d/control_plane/Handlers.hpp"
    find_openblas = root / "cmake/Modules/FindOpenBLAS.cmake"
    handlers.parent.mkdir(parents=True)
    find_openblas.parent.mkdir(parents=True)
    handlers.write_text(HANDLERS_BEFORE)
    find_openblas.write_text(FIND_OPENBLAS_BEFORE)
    return root


def test_fix_source_adds_the_missing_include_and_conda_blas_once(tmp_path):
    root = make_source(tmp_path)
    done = run_script(FIXER, str(root))
    assert done.returncode == 0, done.stderr
    handlers = (root / "torch/csrc/distributed/c10d/control_plane/Handlers.hpp").read_text()
    assert handlers.count("#include <unordered_map>") == 1
    assert handlers.count("#include <vector>") == 1  # already there: not added twice
    assert handlers.index("#include <unordered_map>") < handlers.index("#include <c10/")
    cmake = (root / "cmake/Modules/FindOpenBLAS.cmake").read_text()
    assert "FOREACH(_tmk_blas lapack cblas blas)" in cmake
    assert "NAMES ${Open_BLAS_LIB_NAME}" not in cmake
    again = run_script(FIXER, str(root))
    assert again.returncode == 0 and again.stdout.count("already fixed") == 2
    assert (root / "cmake/Modules/FindOpenBLAS.cmake").read_text() == cmake


def test_fix_source_stops_when_the_source_moved_on(tmp_path):
    root = make_source(tmp_path)
    (root / "cmake/Modules/FindOpenBLAS.cmake").write_text("FIND_PACKAGE(BLAS)\n")
    done = run_script(FIXER, str(root))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "FindOpenBLAS.cmake" in done.stderr
    assert "review this fix" in done.stderr
    (root / "torch/csrc/distributed/c10d/control_plane/Handlers.hpp").unlink()
    gone = run_script(FIXER, str(root))
    assert gone.returncode == 1 and "Handlers.hpp: cannot read" in gone.stderr


@pytest.mark.skipif(not __import__("shutil").which("cmake"), reason="cmake not installed")
def test_fixed_find_openblas_links_lapack_cblas_blas_and_fails_loudly_without_them(tmp_path):
    """The CMake our fix writes, run by a real CMake against a folder of libraries."""
    root = make_source(tmp_path)
    assert run_script(FIXER, str(root)).returncode == 0
    libs = tmp_path / "prefix" / "lib"
    libs.mkdir(parents=True)
    for name in ("lapack", "cblas", "blas", "openblas"):
        (libs / f"lib{name}.so").write_bytes(b"")
    project = tmp_path / "project"
    project.mkdir()
    (project / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.18)\nproject(probe NONE)\n"
        f'set(Open_BLAS_LIB_SEARCH_PATHS "{libs}")\n'
        f'include("{root / "cmake/Modules/FindOpenBLAS.cmake"}")\n'
        'message(STATUS "LIBS=${OpenBLAS_LIB} FOUND=${OpenBLAS_FOUND}")\n'
    )

    def configure(build: str):
        return subprocess.run(
            ["cmake", "-S", str(project), "-B", str(tmp_path / build)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = configure("build")
    assert done.returncode == 0, done.stderr
    expected = ";".join(str(libs / f"lib{n}.so") for n in ("lapack", "cblas", "blas"))
    assert f"LIBS={expected} FOUND=ON" in done.stdout
    (libs / "libcblas.so").unlink()
    failed = configure("build2")
    assert failed.returncode != 0
    assert "libcblas not found" in failed.stderr


# ---------------------------------------------------------------- max_jobs.py


def test_max_jobs_caps_compilers_by_memory(monkeypatch):
    monkeypatch.syspath_prepend(str(SOURCE_DIR))
    import max_jobs

    assert max_jobs.max_jobs(10, 16 * GIB) == 4  # a 16 GB Mac with 10 cores
    assert max_jobs.max_jobs(12, 48 * GIB) == 12
    assert max_jobs.max_jobs(8, 3 * GIB) == 1
    assert max_jobs.max_jobs(8, None) == 8
    done = run_script(
        SOURCE_DIR / "max_jobs.py",
        "--cpus",
        "10",
        "--memory-bytes",
        str(16 * GIB),
        env={"MAX_JOBS": ""},
    )
    assert done.returncode == 0 and done.stdout.strip() == "4"
    preset = run_script(SOURCE_DIR / "max_jobs.py", env={"MAX_JOBS": "3"})
    assert preset.stdout.strip() == "3" and "from the environment wins" in preset.stderr


# ---------------------------------------------------------------- post_install.py


def installed_torch(tmp_path: Path, metadata: str) -> tuple[Path, Path]:
    prefix = tmp_path / "env"
    site = prefix / "lib" / "python3.12" / "site-packages"
    (site / "torch" / "lib").mkdir(parents=True)
    (site / "torch" / "lib" / "libomp.dylib").write_bytes(b"the wheel's own copy")
    (prefix / "lib" / "libomp.dylib").write_bytes(b"llvm-openmp")
    dist = site / "torch-2.13.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(metadata)
    for entry in metadata_header(metadata, "License-File"):
        target = dist / "licenses" / entry
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"license text of {entry}\n")
    return prefix, site


@pytest.mark.parametrize("recipe_dir", [SOURCE_DIR, WHEEL_DIR])
def test_post_install_links_llvm_openmp_and_collects_metadata_licenses(tmp_path, recipe_dir):
    metadata = recorded_metadata("2.13.0")
    prefix, site = installed_torch(tmp_path, metadata)
    out = tmp_path / "work" / "torch-licenses"
    args = ("--prefix", str(prefix), "--site-packages", str(site), "--licenses-to", str(out))
    done = run_script(recipe_dir / "post_install.py", *args)
    assert done.returncode == 0, done.stderr
    bundled = site / "torch" / "lib" / "libomp.dylib"
    assert bundled.is_symlink() and not Path(bundled.readlink()).is_absolute()
    assert bundled.resolve() == (prefix / "lib" / "libomp.dylib").resolve()
    assert bundled.read_bytes() == b"llvm-openmp"
    entries = metadata_header(metadata, "License-File")
    assert len(entries) > 100  # torch's LICENSE and the third-party notices
    copied = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert copied == sorted(entries)
    assert run_script(recipe_dir / "post_install.py", *args).returncode == 0  # idempotent


def test_post_install_stops_without_llvm_openmp_or_a_listed_license(tmp_path):
    metadata = recorded_metadata("2.13.0")
    prefix, site = installed_torch(tmp_path, metadata)
    args = (
        "--prefix",
        str(prefix),
        "--site-packages",
        str(site),
        "--licenses-to",
        str(tmp_path / "l"),
    )
    (site / "torch-2.13.0.dist-info" / "licenses" / "third_party" / "fmt" / "LICENSE").unlink()
    done = run_script(SOURCE_DIR / "post_install.py", *args)
    assert done.returncode == 1 and "third_party/fmt/LICENSE is listed but not in" in done.stderr
    (prefix / "lib" / "libomp.dylib").unlink()
    (site / "torch" / "lib" / "libomp.dylib").unlink()
    done = run_script(SOURCE_DIR / "post_install.py", *args)
    assert (
        done.returncode == 1 and "add llvm-openmp to the host and run requirements" in done.stderr
    )


# ---------------------------------------------------------------- check_runtime.py

CHECK = SOURCE_DIR / "check_runtime.py"


def test_openmp_runtimes_counts_files_not_names(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(SOURCE_DIR))
    import check_runtime

    env_omp = tmp_path / "env" / "lib" / "libomp.dylib"
    env_omp.parent.mkdir(parents=True)
    env_omp.write_bytes(b"llvm-openmp")
    linked = tmp_path / "torch" / "lib" / "libomp.dylib"
    linked.parent.mkdir(parents=True)
    linked.symlink_to(env_omp)
    private = tmp_path / "other" / "libomp.dylib"
    private.parent.mkdir()
    private.write_bytes(b"a second runtime")
    assert check_runtime.openmp_runtimes([str(env_omp), str(linked), "/x/libc.so.6"]) == [
        str(env_omp)
    ]
    assert len(check_runtime.openmp_runtimes([str(env_omp), str(private)])) == 2
    assert check_runtime.openmp_runtimes(["/usr/lib/libgomp.so.1.0.0"], realpath=str) == [
        "/usr/lib/libgomp.so.1.0.0"
    ]


def test_check_runtime_passes_with_this_torch_and_numpy():
    pytest.importorskip("numpy")
    done = run_script(CHECK, env={"OMP_NUM_THREADS": "2"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("check_runtime ok: torch ")


def second_libgomp() -> str | None:
    """A libgomp file other than torch's own, to load a second OpenMP runtime for real."""
    import torch

    own = (Path(torch.__file__).parent / "lib" / "libgomp.so.1").resolve()
    for candidate in (
        "/lib/x86_64-linux-gnu/libgomp.so.1",
        "/usr/lib/x86_64-linux-gnu/libgomp.so.1",
        "/lib/aarch64-linux-gnu/libgomp.so.1",
        "/usr/lib64/libgomp.so.1",
    ):
        if Path(candidate).exists() and Path(candidate).resolve() != own:
            return candidate
    return None


@pytest.mark.skipif(sys.platform != "linux", reason="loads a second libgomp by path")
def test_check_runtime_fails_when_a_second_openmp_runtime_is_loaded():
    pytest.importorskip("numpy")
    other = second_libgomp()
    if other is None:
        pytest.skip("no second libgomp on this host")
    code = (
        f"import ctypes, runpy, torch; ctypes.CDLL({other!r}); "
        f"runpy.run_path({str(CHECK)!r}, run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 1
    assert "2 OpenMP runtimes are loaded in one process" in done.stderr


# ---------------------------------------------------------------- py-rattler-build (point 13)


def test_plan_with_py_rattler_build_runs_pybuild_with_the_local_channel_first(tmp_path):
    builder = Builder("py-rattler-build", sys.executable)
    plan = make_plan(
        ["torch-mps-verify"],
        discover(RECIPES),
        builder,
        "linux-64",
        tmp_path / "ch",
        deps_channels=("file:///deps",),
    )
    (step,) = plan.runnable
    assert step.command[:2] == (sys.executable, str(build.PYBUILD))
    assert step.command[2:6] == (
        "--recipe",
        str(RECIPES / "torch-mps-verify" / "recipe.yaml"),
        "--output-dir",
        str(tmp_path / "ch"),
    )
    channels = [step.command[i + 1] for i, arg in enumerate(step.command) if arg == "-c"]
    assert channels == [(tmp_path / "ch").resolve().as_uri(), "file:///deps"]


def test_py_rattler_build_still_refuses_the_pytorch_recipes_off_macos(tmp_path, capsys):
    code = build.main(
        ["--channel", str(tmp_path / "ch"), "pytorch-mps-wheel"],
        which=which_from({}),
        host="linux-64",
        python_api=lambda: True,
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "osx-arm64" in err and "this host is linux-64" in err
    assert not (tmp_path / "ch").exists()


def test_pybuild_without_a_recipe_file_fails_in_one_line(tmp_path):
    argv = ["--recipe", str(tmp_path / "nope.yaml"), "--output-dir", str(tmp_path / "out")]
    done = subprocess.run(
        [sys.executable, str(build.PYBUILD), *argv, "-c", (tmp_path / "ch").as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("pybuild: ") and done.stderr.count("\n") == 1


# An offline channel for the real build: conda packages made here from what this machine has.
# python: a venv-shaped package (pyvenv.cfg + bin/python3.X linked to a real CPython of the
# recipe's python_min), so the build's `pip install .` lands in the environment, never in the
# interpreter's own site-packages; pip, setuptools, rich (+ its dependencies) and packaging:
# noarch python packages repacked from the distributions installed in this test's Python.

REPACKED = ("pip", "setuptools", "rich", "markdown-it-py", "mdurl", "pygments", "packaging")


def find_cpython(version: str) -> Path | None:
    """A base (not venv) CPython ``version`` on this machine, resolved to its binary."""
    import glob
    import shutil

    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(f"/root/.pyenv/versions/{version}.*/bin/python{version}"))
    candidates += [f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    probe = "import sys; print(sys.version_info[:2] == ({}), sys.prefix == sys.base_prefix)"
    for candidate in filter(None, candidates):
        try:
            done = subprocess.run(
                [candidate, "-c", probe.format(version.replace(".", ", "))],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except OSError:
            continue
        if done.returncode == 0 and done.stdout.split() == ["True", "True"]:
            return Path(candidate).resolve()
    return None


def make_conda_package(out: Path, stage: Path, index: dict, link: dict | None = None) -> None:
    import hashlib

    from conda_package_handling import api

    paths, members = [], []
    for item in sorted(stage.rglob("*")):
        rel = item.relative_to(stage).as_posix()
        if item.is_symlink():
            paths.append({"_path": rel, "path_type": "softlink"})
        elif item.is_file():
            data = item.read_bytes()
            paths.append(
                {
                    "_path": rel,
                    "path_type": "hardlink",
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size_in_bytes": len(data),
                }
            )
        else:
            continue
        members.append(rel)
    info = stage / "info"
    info.mkdir()
    (info / "index.json").write_text(json.dumps(index))
    (info / "paths.json").write_text(json.dumps({"paths": paths, "paths_version": 1}))
    (info / "files").write_text("\n".join(members) + "\n")
    extra = ["info/index.json", "info/paths.json", "info/files"]
    if link is not None:
        (info / "link.json").write_text(json.dumps(link))
        extra.append("info/link.json")
    out.mkdir(parents=True, exist_ok=True)
    filename = f"{index['name']}-{index['version']}-{index['build']}.conda"
    api.create(str(stage), extra + members, filename, out_folder=str(out))


def repack_distribution(channel: Path, work: Path, name: str) -> None:
    """An installed pure-Python distribution as a noarch python conda package."""
    import importlib.metadata
    import shutil

    dist = importlib.metadata.distribution(name)
    stage = work / f"stage-{name}"
    for file in dist.files or []:
        if file.parts[0] == ".." or "__pycache__" in file.parts or file.suffix == ".pyc":
            continue
        source = Path(dist.locate_file(file))
        if source.is_file():
            target = stage / "site-packages" / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    depends = ["python >=3.8"]
    for requirement in dist.requires or []:
        from packaging.requirements import Requirement

        parsed = Requirement(requirement)
        if parsed.marker is None or parsed.marker.evaluate({"extra": ""}):
            depends.append(f"{parsed.name.lower()} {parsed.specifier}".strip())
    index = {
        "name": dist.metadata["Name"].lower(),
        "version": dist.version,
        "build": "pyh0_0",
        "build_number": 0,
        "depends": depends,
        "noarch": "python",
        "subdir": "noarch",
        "license": dist.metadata.get("License-Expression") or "unknown",
    }
    link = {"noarch": {"type": "python"}, "package_metadata_version": 1}
    make_conda_package(channel / "noarch", stage, index, link)


def python_package(channel: Path, work: Path, binary: Path, version: str) -> None:
    import rattler

    out = subprocess.run(
        [str(binary), "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stage = work / "stage-python"
    (stage / "bin").mkdir(parents=True)
    (stage / "bin" / f"python{version}").symlink_to(binary)
    (stage / "bin" / "python").symlink_to(f"python{version}")
    (stage / "bin" / "python3").symlink_to(f"python{version}")
    (stage / "pyvenv.cfg").write_text(
        f"home = {binary.parent}\ninclude-system-site-packages = false\nversion = {out}\n"
    )
    subdir = str(rattler.Subdir.current())
    index = {
        "name": "python",
        "version": out,
        "build": "venv_0",
        "build_number": 0,
        "depends": [],
        "subdir": subdir,
        "license": "PSF-2.0",
    }
    make_conda_package(channel / subdir, stage, index)


@pytest.fixture(scope="module")
def offline_channel(tmp_path_factory) -> Path:
    import asyncio

    pytest.importorskip("conda_package_handling")
    python_min = safe_load(RECIPES / "torch-mps-verify" / "recipe.yaml")["context"]["python_min"]
    binary = find_cpython(python_min)
    if binary is None:
        pytest.skip(f"no CPython {python_min} on this machine for the offline python package")
    work = tmp_path_factory.mktemp("offline")
    channel = work / "channel"
    python_package(channel, work, binary, python_min)
    for name in REPACKED:
        repack_distribution(channel, work, name)
    (channel / "noarch").mkdir(exist_ok=True)
    asyncio.run(rattler.index.index_fs(channel, write_shards=False, force=True))
    return channel


def test_nox_build_path_builds_torch_mps_verify_with_py_rattler_build_offline(
    offline_channel, tmp_path, capfd
):
    """No CLI on PATH: build.py picks py-rattler-build, which builds the real noarch recipe,
    runs its tests (imports, pip check, the entry point, `python -m verify facts`) and indexes
    the output channel, with every dependency from the offline channel."""
    from conda_package_handling import api

    channel = tmp_path / "channel"
    argv = ["torch-mps-verify", "--channel", str(channel)]
    code = build.main(
        [*argv, "--conda-channel", offline_channel.as_uri()],
        which=which_from({}),
        host="linux-64",
    )
    out = capfd.readouterr().out  # the builder is a subprocess: read the file descriptors
    assert code == 0, out[-3000:]
    assert "building torch-mps-verify with py-rattler-build" in out
    (package,) = sorted((channel / "noarch").glob("torch-mps-verify-0.1.0-*.conda"))
    repodata = json.loads((channel / "noarch" / "repodata.json").read_text())
    record = repodata["packages.conda"][package.name]
    assert record["noarch"] == "python" and record["license"] == "BSD-3-Clause"
    assert "python >=3.10" in record["depends"] and "rich >=13" in record["depends"]
    unpacked = tmp_path / "unpacked"
    api.extract(str(package), dest_dir=str(unpacked))
    assert (unpacked / "info" / "licenses" / "LICENSE").read_text().startswith("BSD 3-Clause")
    assert (unpacked / "site-packages" / "verify" / "cli.py").is_file()
    link = json.loads((unpacked / "info" / "link.json").read_text())
    assert link["noarch"]["entry_points"] == ["torch-mps-verify = verify.cli:main"]
    # the recipe's tests ran in an environment solved from the offline channel
    assert "all tests passed" in out and '"python_version": "3.10.' in out


def test_post_install_link_survives_rattler_build_packaging_and_a_real_install(tmp_path):
    """The wheel recipe's mechanics, on Linux with stand-ins: a host package provides
    lib/libomp.dylib (as llvm-openmp does), the build lays out an installed torch with its own
    copy and runs the real post_install.py; rattler-build packages the link as a relative
    softlink and the license folder under info/licenses; py-rattler installs both packages and
    the link resolves to the host package's file."""
    import asyncio

    from conda_package_handling import api

    channel = tmp_path / "channel"
    omp = tmp_path / "omp" / "recipe.yaml"
    omp.parent.mkdir()
    omp.write_text(
        'schema_version: 1\npackage:\n  name: fake-openmp\n  version: "1.0"\n'
        "build:\n  script:\n"
        "    - mkdir -p $PREFIX/lib && echo llvm-openmp > $PREFIX/lib/libomp.dylib\n"
    )
    metadata = "Metadata-Version: 2.4\\nName: torch\\nVersion: 1.0\\nLicense-File: LICENSE\\n"
    sp = "$PREFIX/lib/python3.12/site-packages"
    torch = tmp_path / "torch" / "recipe.yaml"
    torch.parent.mkdir()
    torch.write_text(
        'schema_version: 1\npackage:\n  name: fake-torch\n  version: "1.0"\nbuild:\n'
        "  dynamic_linking:\n    binary_relocation: false\n  script:\n"
        f"    - mkdir -p {sp}/torch/lib {sp}/torch-1.0.dist-info/licenses\n"
        f"    - echo the wheels own copy > {sp}/torch/lib/libomp.dylib\n"
        f"    - echo torch license > {sp}/torch-1.0.dist-info/licenses/LICENSE\n"
        f"    - |\n      printf '{metadata}' > {sp}/torch-1.0.dist-info/METADATA\n"
        f"    - {sys.executable} {WHEEL_DIR / 'post_install.py'} --prefix $PREFIX"
        f" --site-packages {sp} --licenses-to $SRC_DIR/torch-licenses\n"
        "requirements:\n  host:\n    - fake-openmp\n  run:\n    - fake-openmp\n"
        "about:\n  license_file:\n    - torch-licenses/\n"
    )
    uri = channel.resolve().as_uri()
    rattler_build.Stage0Recipe.from_file(omp).run_build(output_dir=channel, channels=[uri])
    (result,) = rattler_build.Stage0Recipe.from_file(torch).run_build(
        output_dir=channel, channels=[uri]
    )
    unpacked = tmp_path / "unpacked"
    api.extract(str(result.packages[0]), dest_dir=str(unpacked))
    paths = json.loads((unpacked / "info" / "paths.json").read_text())["paths"]
    (entry,) = [p for p in paths if p["_path"].endswith("torch/lib/libomp.dylib")]
    assert entry["path_type"] == "softlink"
    assert (unpacked / "info/licenses/torch-licenses/LICENSE").read_text() == "torch license\n"

    records = asyncio.run(
        rattler.solve(
            sources=[uri],
            specs=["fake-torch"],
            platforms=[rattler.Subdir.current(), rattler.Subdir("noarch")],
        )
    )
    env = tmp_path / "env"
    asyncio.run(
        rattler.install(
            records, target_prefix=env, cache_dir=tmp_path / "cache", show_progress=False
        )
    )
    link = env / "lib/python3.12/site-packages/torch/lib/libomp.dylib"
    assert link.is_symlink() and not Path(link.readlink()).is_absolute()
    assert link.resolve() == (env / "lib" / "libomp.dylib").resolve()
    assert link.read_text() == "llvm-openmp\n"
