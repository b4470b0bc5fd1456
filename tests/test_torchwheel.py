"""The uv / pip path on Linux without an NVIDIA GPU takes a local CPU build of torch from pip's
find-links (never silently PyPI's multi-GB CUDA build), on an interpreter that has such a wheel."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.tags import Tag

from scripts.install import envfile, pipconf, torchwheel
from scripts.install.options import Options
from scripts.install.plan import make_plan
from scripts.install.target import Target

LINUX_X86 = sys.platform == "linux" and torchwheel._platforms() & {"manylinux_2_28_x86_64"}


def _wheels(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"")  # only the file names are read
    return folder


def cp(version: str):
    """Tags as a CPython of that version on manylinux_2_28_x86_64 takes them."""

    def installs(tag: Tag) -> bool:
        return tag.interpreter == f"cp{version}" and tag.platform.endswith("x86_64")

    return installs


FOLDER_NAMES = (
    "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl",
    "torch-2.12.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl",  # the CUDA build: never chosen
    "torch-2.14.1+cu130-cp311-cp311-manylinux_2_28_x86_64.whl",
    "torchvision-0.28.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl",
    "torch-not-a-wheel.whl",
)


def test_only_cpu_builds_of_torch_are_found(tmp_path):
    folder = _wheels(tmp_path / "wheels", *FOLDER_NAMES)
    found = torchwheel.local_cpu_wheels([str(folder), f"file://{folder}", "https://x/simple"])
    # the folder named twice (path and file:// URL): found twice; URLs are not listed
    versions = sorted(str(w.version) for w in found)
    assert versions == ["2.12.0+cpu", "2.12.0+cpu", "2.13.0+cpu", "2.13.0+cpu"]


def test_the_newest_allowed_wheel_for_the_interpreter(tmp_path):
    wheels = torchwheel.local_cpu_wheels([str(_wheels(tmp_path / "w", *FOLDER_NAMES))])
    assert torchwheel.choose(wheels, [">=2.6", "<=2.14.1"], cp("311")).pin == "torch==2.13.0+cpu"
    assert torchwheel.choose(wheels, [">=2.6"], cp("312")).pin == "torch==2.12.0+cpu"
    assert torchwheel.choose(wheels, ["==2.14.1"], cp("311")) is None  # the file pins another
    assert torchwheel.choose(wheels, [">=2.6"], cp("313")) is None


def test_constraints_come_from_the_file_and_pips_constraint_files(tmp_path):
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("# cap\ntorch<=2.14.1  # local\ntorchvision<=0.29.1\n")
    specs = torchwheel.torch_constraints(
        ["torch>=2.6", "numpy"], [str(constraints), str(tmp_path / "missing")]
    )
    assert specs == [">=2.6", "<=2.14.1"]


def test_an_interpreter_with_a_local_wheel_is_preferred(tmp_path):
    wheels = torchwheel.local_cpu_wheels(
        [str(_wheels(tmp_path / "w", "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl"))]
    )

    def which(name: str) -> str | None:
        return {"python3.11": "/usr/bin/python3.11"}.get(name)

    def tags_for(version: tuple[int, int]):
        return cp(f"{version[0]}{version[1]}")

    def pick(current, allows=lambda v: True, found=which):
        return torchwheel.python_for_wheels(
            wheels, [">=2.6"], current, allows, which=found, tags_for=tags_for
        )

    assert pick((3, 12)) == "/usr/bin/python3.11"
    assert pick((3, 11)) is None  # the current one has a wheel: keep it
    assert pick((3, 12), found=lambda name: None) is None  # no python3.11 here
    assert pick((3, 12), allows=lambda v: v != "3.11") is None  # environment.yml says no
    assert torchwheel.version_in_name("/usr/bin/python3.11") == (3, 11)


def test_nvidia_gpu_probe():
    assert torchwheel.nvidia_gpu(exists=lambda p: True, which=lambda n: None)
    assert torchwheel.nvidia_gpu(exists=lambda p: False, which=lambda n: "/usr/bin/nvidia-smi")
    assert not torchwheel.nvidia_gpu(exists=lambda p: False, which=lambda n: None)


# --- in the plan -------------------------------------------------------------------------------


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "environment.yml"
    path.write_text("dependencies:\n  - python >=3.10\n  - pytorch >=2.6\n  - numpy\n")
    return envfile.load(path)


def _plan(spec, tmp_path, target, find_links):
    return make_plan(
        Options(file=spec.path, prefix=tmp_path / "env"),
        spec,
        backend="uv",
        executable="uv",
        target=target,
        action="create",
        interpreter=sys.executable,
        interpreter_version="3.11.7",
        pip_config=pipconf.PipIndexConfig(find_links=tuple(find_links)),
    )


NO_GPU = Target(linux_without_nvidia=True, machine="x86_64")


@pytest.mark.skipif(not LINUX_X86, reason="the wheel tags are manylinux x86_64")
def test_linux_without_gpu_pins_the_local_cpu_build_and_says_so(spec, tmp_path):
    folder = _wheels(tmp_path / "w", *FOLDER_NAMES)
    plan = _plan(spec, tmp_path, NO_GPU, [str(folder)])
    assert plan.specs == ("torch>=2.6", "numpy", "torch==2.13.0+cpu")
    assert plan.commands[-1][-1] == "torch==2.13.0+cpu"
    note = [w for w in plan.warnings if "local CPU build torch==2.13.0+cpu" in w]
    assert note and "not PyPI's CUDA build" in note[0]


def test_without_a_local_cpu_build_it_says_the_cuda_build_is_coming(spec, tmp_path):
    plan = _plan(spec, tmp_path, NO_GPU, [str(_wheels(tmp_path / "empty"))])
    assert plan.specs == ("torch>=2.6", "numpy")
    assert any("PyPI's torch for Linux is the CUDA build" in w for w in plan.warnings)


def test_with_an_nvidia_gpu_or_off_linux_nothing_changes(spec, tmp_path):
    folder = _wheels(tmp_path / "w", *FOLDER_NAMES)
    for target in (Target(), Target(linux_without_nvidia=False, machine="x86_64")):
        plan = _plan(spec, tmp_path, target, [str(folder)])
        assert plan.specs == ("torch>=2.6", "numpy")
        assert not any("torch" in w for w in plan.warnings)
