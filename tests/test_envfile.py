"""environment.yml parsing, validation (file:line errors) and the conda -> PyPI mapping."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from scripts.install import envfile

ROOT = Path(__file__).resolve().parent.parent


def parse(text: str) -> envfile.EnvSpec:
    return envfile.parse(text.encode(), "env.yml")


def error_of(text: str) -> envfile.EnvFileError:
    with pytest.raises(envfile.EnvFileError) as info:
        parse(text)
    return info.value


def test_project_environment_file_is_conda_forge_only_and_complete():
    spec = envfile.load(ROOT / "environment.yml")
    assert spec.channels == ("conda-forge", "nodefaults")
    names = {dep.name for dep in spec.dependencies}
    # what verify needs at run time, plus the interpreter and torch itself
    assert {"python", "pytorch", "numpy", "rich", "packaging"} <= names
    assert "osx-arm64" in spec.platforms and "linux-64" in spec.platforms
    assert spec.sha256 == hashlib.sha256((ROOT / "environment.yml").read_bytes()).hexdigest()


def test_project_environment_maps_to_installable_pypi_requirements():
    reqs = envfile.pypi_requirements(envfile.load(ROOT / "environment.yml"))
    names = [Requirement(r).name for r in reqs]
    assert "torch" in names and "pytorch" not in names
    assert "python" not in names  # the interpreter is chosen, not pip-installed
    assert {"numpy", "rich", "packaging"} <= set(names)


def test_dependency_lines_are_recorded():
    spec = parse(
        "channels: [conda-forge]\ndependencies:\n  - python\n  # note\n  - pytorch >=2.6\n"
    )
    assert [(d.name, d.line) for d in spec.dependencies] == [("python", 3), ("pytorch", 5)]
    assert spec.line_of("torch") == 5  # PyPI name finds the conda line too


def test_malformed_yaml_names_file_and_line():
    err = error_of("channels: [conda-forge\ndependencies:\n  - python\n")
    assert err.line == 2
    assert err.one_line().startswith("env.yml:2: invalid YAML")
    assert "Fix:" in err.one_line()


def test_bad_indentation_is_reported_at_its_line():
    err = error_of("dependencies:\n  - python\n - numpy\n")
    assert err.line == 3


def test_invalid_match_spec_names_the_spec_and_line():
    err = error_of("dependencies:\n  - python\n  - numpy >=>1\n")
    assert err.line == 3
    assert "'numpy >=>1'" in err.message


def test_build_string_garbage_is_rejected_strictly():
    err = error_of("dependencies:\n  - py torch>\n")
    assert err.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "- just\n- a list\n",
        "dependencies: []\n",
        "dependencies: pytorch\n",
        "dependencies:\n  - 3\n",
        "channels: conda-forge\ndependencies: [python]\n",
        "dependencies: [python]\nplatforms: [osx-arm64, not_a_platform]\n",
    ],
)
def test_structural_errors_are_one_line_with_a_fix(text):
    err = error_of(text)
    line = err.one_line()
    assert "\n" not in line and "Fix:" in line and line.startswith("env.yml")


def test_missing_file_is_an_env_file_error(tmp_path):
    with pytest.raises(envfile.EnvFileError) as info:
        envfile.load(tmp_path / "nope.yml")
    assert "nope.yml" in info.value.one_line()


def test_pip_subsection_is_kept_and_validated():
    spec = parse("dependencies:\n  - python\n  - pip:\n    - tqdm>=4\n")
    assert spec.pip == ("tqdm>=4",)
    assert envfile.pypi_requirements(spec) == ["tqdm>=4"]
    err = error_of("dependencies:\n  - python\n  - pip:\n    - 'not a req ]'\n")
    assert err.line == 3


@pytest.mark.parametrize(
    ("conda", "pep440"),
    [
        (">=2.6", ">=2.6"),
        (">=3.10,<3.14", ">=3.10,<3.14"),
        ("2.6.*", "==2.6.*"),
        ("==1.26.4", "==1.26.4"),
        ("1.26", "==1.26"),
        ("~=1.2", "~=1.2"),
        ("!=2.0", "!=2.0"),
    ],
)
def test_conda_versions_translate(conda, pep440):
    assert envfile.conda_version_to_pep440(conda) == pep440


def test_conda_or_has_no_pip_form():
    with pytest.raises(ValueError, match=r"uses `\|`"):
        envfile.conda_version_to_pep440(">=1|<0.5")


def test_pypi_mapping_drops_conda_only_packages_and_build_strings():
    spec = parse(
        "dependencies:\n"
        "  - python >=3.10\n"
        "  - conda-forge::pytorch=2.6=*cpu*\n"
        "  - llvm-openmp\n"
        "  - libblas * *mkl\n"
        "  - matplotlib-base >=3.8\n"
        "  - numpy 2.1.*\n"
    )
    assert envfile.pypi_requirements(spec) == ["torch==2.6", "matplotlib>=3.8", "numpy==2.1.*"]
    assert envfile.python_specifier(spec) == ">=3.10"


def test_or_version_in_file_is_an_error_with_its_line():
    spec = parse("dependencies:\n  - python\n  - numpy >=2|<1.20\n")
    with pytest.raises(envfile.EnvFileError) as info:
        envfile.pypi_requirements(spec)
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("conda_name", "pypi"),
    [("pytorch", "torch"), ("numpy", "numpy"), ("python", None), ("pip", None), ("__osx", None)],
)
def test_pypi_name(conda_name, pypi):
    assert envfile.pypi_name(conda_name) == pypi
