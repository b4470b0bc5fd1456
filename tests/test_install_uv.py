"""The uv path for real, offline: pip's index configuration (here PIP_FIND_LINKS / PIP_NO_INDEX, as
a user's pip.conf or CI would set them) reaches uv, which builds a real venv from a local wheel
directory. Without the hand-over uv would look at PyPI and find nothing of ours."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scripts.install import pipconf
from scripts.install.cli import install
from scripts.install.errors import InstallError
from scripts.install.execute import run_streaming
from scripts.install.target import Target

UV = shutil.which("uv")
pytestmark = pytest.mark.skipif(UV is None, reason="uv not installed")


def write_wheel(folder: Path, name: str, version: str, module: str) -> Path:
    """A minimal pure-Python wheel (PEP 427) holding one module."""
    dist = f"{name.replace('-', '_')}-{version}"
    files = {
        f"{name.replace('-', '_')}.py": module,
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record_lines = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record_lines.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    record_lines.append(f"{dist}.dist-info/RECORD,,")
    files[f"{dist}.dist-info/RECORD"] = "\n".join(record_lines) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, text in files.items():
            zf.writestr(path, text)
    return wheel


def test_uv_path_creates_a_venv_from_pips_find_links_offline(tmp_path):
    wheels = tmp_path / "wheels"
    write_wheel(wheels, "tiny-mps-probe", "1.0", "ANSWER = 42\n")
    (tmp_path / "environment.yml").write_text(
        f"channels: [conda-forge]\ndependencies:\n"
        f"  - python >={sys.version_info.major}.{sys.version_info.minor}\n"
        f"  - tiny-mps-probe >=1\n"
    )
    # what a user's pip configuration says; read the way pip reads it (files + PIP_* variables)
    cfg = pipconf.read(env={"PIP_FIND_LINKS": str(wheels), "PIP_NO_INDEX": "1"}, files=[])
    argv = [
        "--backend",
        "uv",
        "--file",
        str(tmp_path / "environment.yml"),
        "--prefix",
        str(tmp_path / "env"),
        "--offline",
    ]
    env = {"UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_NO_CONFIG": "1"}

    def run(cmd, extra):
        return run_streaming(cmd, {**extra, **env})

    outcome = install(
        argv,
        out=lambda _: None,
        available={"uv": UV},
        target=Target(),
        pip_config=cfg,
        run_command=run,
    )
    assert outcome.plan.action == "create"
    assert outcome.plan.specs == ("tiny-mps-probe>=1",)
    python = tmp_path / "env/bin/python"
    proc = subprocess.run(
        [str(python), "-c", "import tiny_mps_probe; print(tiny_mps_probe.ANSWER)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip() == "42"
    again = install(
        argv,
        out=lambda _: None,
        available={"uv": UV},
        target=Target(),
        pip_config=cfg,
        run_command=run,
    )
    assert again.plan.action == "noop"


def test_uv_path_without_the_config_cannot_find_the_package(tmp_path):
    (tmp_path / "environment.yml").write_text("dependencies:\n  - python\n  - tiny-mps-probe\n")
    argv = [
        "--backend",
        "uv",
        "--file",
        str(tmp_path / "environment.yml"),
        "--prefix",
        str(tmp_path / "env"),
        "--offline",
    ]
    env = {"UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_NO_CONFIG": "1"}
    with pytest.raises(InstallError) as info:
        install(
            argv,
            out=lambda _: None,
            available={"uv": UV},
            target=Target(),
            pip_config=pipconf.PipIndexConfig(no_index=True),
            run_command=lambda cmd, extra: run_streaming(cmd, {**extra, **env}),
        )
    line = info.value.one_line()
    assert "package 'tiny-mps-probe' (environment.yml:3) was not found in pip's indexes" in line
    assert "PYPI_NAMES" in line
    assert not (tmp_path / "env").exists()  # the failed create was removed again


def test_dropping_a_package_from_the_file_rebuilds_without_it(tmp_path):
    wheels = tmp_path / "wheels"
    write_wheel(wheels, "tiny-keep", "1.0", "X = 1\n")
    write_wheel(wheels, "tiny-drop", "1.0", "Y = 2\n")
    cfg = pipconf.read(env={"PIP_FIND_LINKS": str(wheels), "PIP_NO_INDEX": "1"}, files=[])
    env = {"UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_NO_CONFIG": "1"}
    argv = [
        "--backend",
        "uv",
        "--file",
        str(tmp_path / "environment.yml"),
        "--prefix",
        str(tmp_path / "env"),
        "--offline",
    ]

    def install_with(deps):
        (tmp_path / "environment.yml").write_text(
            "dependencies:\n" + "".join(f"  - {d}\n" for d in deps)
        )
        return install(
            argv,
            out=lambda _: None,
            available={"uv": UV},
            target=Target(),
            pip_config=cfg,
            run_command=lambda cmd, extra: run_streaming(cmd, {**extra, **env}),
        ).plan.action

    def importable(module):
        code = f"import {module}"
        return (
            subprocess.run(
                [str(tmp_path / "env/bin/python"), "-c", code], check=False, capture_output=True
            ).returncode
            == 0
        )

    assert install_with(["python", "tiny-keep"]) == "create"
    assert install_with(["python", "tiny-keep", "tiny-drop"]) == "update"  # added: in place
    assert importable("tiny_drop")
    assert install_with(["python", "tiny-keep"]) == "rebuild"  # pip would never remove it
    assert importable("tiny_keep") and not importable("tiny_drop")
