"""The installer's plain functions: options, Apple-silicon target, backend chain, stamp decisions,
plans (commands as data) and installer error texts -> one line with a fix. Nothing is installed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from scripts.install import envfile, pipconf
from scripts.install.backends import available_backends, choose_backend
from scripts.install.cli import install, remembered_argv
from scripts.install.errors import InstallError
from scripts.install.failures import explain_failure
from scripts.install.options import DEFAULT_PREFIX, Options, channel_url, parse_options
from scripts.install.plan import make_plan
from scripts.install.state import (
    BUILDING_NAME,
    STAMP_NAME,
    PrefixState,
    dropped_packages,
    observe,
    stamp_key,
)
from scripts.install.state import (
    decide as decide_action,
)
from scripts.install.target import ROSETTA_WARNING, Target, detect_target

ROOT = Path(__file__).resolve().parent.parent

ENV_YML = b"""name: t
channels: [conda-forge, nodefaults]
dependencies:
  - python >=3.10,<3.14
  - pytorch >=2.6
  - numpy
"""


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "environment.yml"
    path.write_bytes(ENV_YML)
    return envfile.load(path)


def opts(tmp_path, **kw) -> Options:
    return Options(file=tmp_path / "environment.yml", prefix=tmp_path / "env", **kw)


# --- options ----------------------------------------------------------------------------------


def test_options_defaults_and_repeatable_channel(tmp_path):
    o = parse_options([])
    assert o.prefix == ROOT / ".env-mps" and o.file == ROOT / "environment.yml"
    o = parse_options(
        [
            "--prefix",
            str(tmp_path / "e"),
            "--channel",
            "file:///a",
            "--channel",
            "b",
            "--offline",
            "--force",
            "--backend",
            "uv",
        ]
    )
    assert o == Options(
        ROOT / "environment.yml", tmp_path / "e", ("file:///a", "b"), True, True, "uv"
    )


def test_bad_option_is_one_line_error():
    with pytest.raises(InstallError) as info:
        parse_options(["--backend", "pixi"])
    assert "\n" not in info.value.one_line() and "--help" in info.value.fix


# --- Apple silicon target ---------------------------------------------------------------------


class Sysctl:
    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def __call__(self, cmd):
        self.calls.append(list(cmd))
        return self.answer


def test_rosetta_shell_on_apple_silicon_forces_osx_arm64_with_a_warning():
    run = Sysctl("1")
    target = detect_target("Darwin", "x86_64", run)
    assert target.subdir == "osx-arm64" and target.rosetta
    assert "Rosetta" in target.warning and "arm64" in target.warning
    assert run.calls == [["sysctl", "-n", "hw.optional.arm64"]]


def test_native_arm64_targets_osx_arm64_quietly():
    assert detect_target("Darwin", "arm64", Sysctl("1")) == Target("osx-arm64", False, None)


@pytest.mark.parametrize("answer", ["0", None])
def test_intel_mac_and_unknown_keep_the_backend_default(answer):
    assert detect_target("Darwin", "x86_64", Sysctl(answer)) == Target()


def test_linux_never_probes_sysctl():
    run = Sysctl("1")
    target = detect_target("Linux", "x86_64", run)
    assert (target.subdir, target.rosetta, target.machine) == (None, False, "x86_64")
    assert run.calls == []


# --- backend chain ----------------------------------------------------------------------------


def test_backend_chain_order_and_discovery():
    which = {"mamba": "/m/mamba", "uv": "/u/uv"}.get
    found = available_backends(
        which=which,
        has_module=lambda n: n in {"rattler", "virtualenv"},
        env={"CONDA_EXE": "/c/conda"},
        uv_bin=lambda: None,
    )
    assert list(found) == ["conda", "mamba", "rattler", "uv", "virtualenv"]
    assert found["conda"] == "/c/conda"  # conda as a shell function: found through $CONDA_EXE
    assert choose_backend(None, found) == "conda"
    assert choose_backend("uv", found) == "uv"


def test_uv_from_the_nox_uv_extra_when_not_on_path():
    found = available_backends(
        which=lambda _: None, has_module=lambda _: False, env={}, uv_bin=lambda: "/site/uv/bin/uv"
    )
    assert found == {"uv": "/site/uv/bin/uv"}


def test_no_backend_at_all_says_how_to_get_one():
    with pytest.raises(InstallError) as info:
        choose_backend(None, {})
    assert 'pip install "nox[rattler]"' in info.value.one_line() and "miniforge" in info.value.fix


def test_requested_backend_missing_names_its_install():
    with pytest.raises(InstallError, match="micromamba") as info:
        choose_backend("micromamba", {"uv": "/u"})
    assert "micromamba-installation" in info.value.fix


# --- stamp and decisions ----------------------------------------------------------------------


def test_stamp_key_changes_with_each_input():
    base = stamp_key("f", "rattler", ["conda-forge"], None)
    assert base == stamp_key("f", "rattler", ["conda-forge"], None)
    others = {
        stamp_key("g", "rattler", ["conda-forge"], None),
        stamp_key("f", "conda", ["conda-forge"], None),
        stamp_key("f", "rattler", ["file:///x", "conda-forge"], None),
        stamp_key("f", "rattler", ["conda-forge"], "osx-arm64"),
    }
    assert base not in others and len(others) == 4


def state(**kw) -> PrefixState:
    values = {
        "exists": True,
        "empty": False,
        "stamp": None,
        "updating": False,
        "looks_like_env": True,
    }
    return PrefixState(**{**values, **kw})


def decide(st, tmp_path, *, key="k", force=False, owned=False, python_ok=True):
    (tmp_path / "env").mkdir(exist_ok=True)
    return decide_action(
        st,
        key=key,
        backend="rattler",
        subdir=None,
        force=force,
        owned=owned,
        python_ok=lambda: python_ok,
        prefix=tmp_path / "env",
    )


STAMP = {"key": "k", "backend": "rattler", "subdir": None}


@pytest.mark.parametrize(
    ("st", "kw", "action"),
    [
        (state(exists=False, empty=True, looks_like_env=False), {}, "create"),
        (state(empty=True, looks_like_env=False), {}, "create"),
        (state(stamp=STAMP), {}, "noop"),
        (state(stamp=STAMP), {"force": True}, "rebuild"),
        (state(stamp=STAMP), {"key": "changed"}, "update"),
        (state(stamp={**STAMP, "backend": "uv"}), {"key": "changed"}, "rebuild"),
        (state(stamp={**STAMP, "subdir": "osx-64"}), {"key": "changed"}, "rebuild"),
        (state(stamp=STAMP), {"python_ok": False}, "rebuild"),
        (state(stamp=STAMP, updating=True), {}, "rebuild"),
        (state(), {"owned": True}, "rebuild"),  # the project's own .env-mps without a stamp
        (state(), {"force": True}, "rebuild"),  # someone's env, replaced only because --force
    ],
)
def test_decide(st, kw, action, tmp_path):
    assert decide(st, tmp_path, **kw) == action


def test_foreign_prefix_is_never_touched_without_force(tmp_path):
    with pytest.raises(InstallError, match="not made by `nox -s install`") as info:
        decide(state(), tmp_path)
    assert "--force" in info.value.fix
    with pytest.raises(InstallError, match="refusing to delete"):
        decide(state(looks_like_env=False), tmp_path, force=True)


def test_observe_reads_stamp_and_markers(tmp_path):
    prefix = tmp_path / "env"
    assert observe(prefix) == PrefixState(False, True, None, False, False)
    (prefix / "conda-meta").mkdir(parents=True)
    (prefix / STAMP_NAME).write_text('{"key": "abc"}')
    (prefix / BUILDING_NAME).write_text("")
    assert observe(prefix) == PrefixState(True, False, {"key": "abc"}, True, True)
    (prefix / STAMP_NAME).write_text("{not json")
    assert observe(prefix).stamp is None


# --- plans ------------------------------------------------------------------------------------


def test_conda_plan_channels_first_then_conda_forge_and_forced_subdir(spec, tmp_path):
    o = opts(tmp_path, channels=("file:///local",), offline=True)
    target = Target("osx-arm64", True, ROSETTA_WARNING)
    plan = make_plan(
        o, spec, backend="mamba", executable="/m/mamba", target=target, action="create"
    )
    assert plan.channels == ("file:///local", "conda-forge")  # nodefaults is conda's keyword only
    assert plan.commands == (
        (
            "/m/mamba",
            "create",
            "--yes",
            "--prefix",
            str(tmp_path / "env"),
            "--override-channels",
            "--channel",
            "file:///local",
            "--channel",
            "conda-forge",
            "--offline",
            "python >=3.10,<3.14",
            "pytorch >=2.6",
            "numpy",
        ),
    )
    assert plan.env == {"CONDA_SUBDIR": "osx-arm64"}
    assert plan.warnings == (ROSETTA_WARNING,)
    assert plan.activate == (f"conda activate {tmp_path / 'env'}",)
    update = make_plan(
        o, spec, backend="micromamba", executable="mm", target=Target(), action="update"
    )
    assert update.commands[0][:2] == ("mm", "install") and update.env == {}
    assert update.activate[0].startswith("micromamba activate")


def test_rattler_plan_runs_in_process_and_noop_plans_run_nothing(spec, tmp_path):
    plan = make_plan(
        opts(tmp_path),
        spec,
        backend="rattler",
        executable="py-rattler",
        target=Target(),
        action="create",
    )
    assert plan.commands == () and plan.specs == ("python >=3.10,<3.14", "pytorch >=2.6", "numpy")
    assert 'export PATH="' in plan.activate[0]
    noop = make_plan(
        opts(tmp_path), spec, backend="conda", executable="conda", target=Target(), action="noop"
    )
    assert noop.commands == () and noop.stamp["key"] == stamp_key(
        spec.sha256, "conda", ("conda-forge",), None
    )


def test_uv_plan_maps_names_and_hands_on_pip_index_config(spec, tmp_path):
    cfg = pipconf.PipIndexConfig(
        find_links=("/opt/wheels",), constraints=("/c.txt",), cert="/ca.pem"
    )
    plan = make_plan(
        opts(tmp_path, channels=("file:///x",)),
        spec,
        backend="uv",
        executable="/u/uv",
        target=Target(),
        action="create",
        interpreter="/py/python3",
        interpreter_version="3.11.7",
        pip_config=cfg,
    )
    prefix = tmp_path / "env"
    assert plan.specs == ("torch>=2.6", "numpy")
    assert plan.commands == (
        ("/u/uv", "venv", str(prefix), "--python", "/py/python3"),
        (
            "/u/uv",
            "pip",
            "install",
            "--python",
            str(prefix / "bin/python"),
            "--compile-bytecode",
            "--find-links",
            "/opt/wheels",
            "--constraints",
            "/c.txt",
            "--index-strategy",
            "unsafe-best-match",
            "torch>=2.6",
            "numpy",
        ),
    )
    assert plan.env == {"SSL_CERT_FILE": "/ca.pem"} and plan.channels == ()
    assert any("--channel" in w for w in plan.warnings)


def test_pip_plan_lets_pip_read_its_own_config(spec, tmp_path):
    plan = make_plan(
        opts(tmp_path, offline=True),
        spec,
        backend="virtualenv",
        executable=sys.executable,
        target=Target(),
        action="create",
        interpreter="/py",
        interpreter_version="3.12.1",
    )
    assert plan.commands == (
        ("/py", "-m", "virtualenv", str(tmp_path / "env")),
        (
            str(tmp_path / "env/bin/python"),
            "-m",
            "pip",
            "install",
            "--no-index",
            "torch>=2.6",
            "numpy",
        ),
    )


def test_interpreter_outside_the_python_spec(spec, tmp_path):
    uv = make_plan(
        opts(tmp_path),
        spec,
        backend="uv",
        executable="uv",
        target=Target(),
        action="create",
        interpreter="/py",
        interpreter_version="3.9.18",
    )
    assert uv.commands[0][-1] == ">=3.10,<3.14"  # uv finds a matching interpreter itself
    with pytest.raises(InstallError, match=r"Python 3.9.18 does not satisfy `python >=3.10,<3.14`"):
        make_plan(
            opts(tmp_path),
            spec,
            backend="venv",
            executable="py",
            target=Target(),
            action="create",
            interpreter="/py",
            interpreter_version="3.9.18",
        )


def test_rosetta_on_the_pip_path(spec, tmp_path):
    rosetta = Target("osx-arm64", True, ROSETTA_WARNING)
    uv = make_plan(
        opts(tmp_path),
        spec,
        backend="uv",
        executable="uv",
        target=rosetta,
        action="create",
        interpreter="/py",
        interpreter_version="3.12.4",
    )
    assert uv.commands[0][-1] == "cpython-3.12-macos-aarch64-none"
    with pytest.raises(InstallError, match="x86_64") as info:
        make_plan(
            opts(tmp_path),
            spec,
            backend="virtualenv",
            executable="py",
            target=rosetta,
            action="create",
            interpreter="/py",
            interpreter_version="3.12.4",
        )
    assert "arm64 Python" in info.value.fix


# --- installer failures -> one line -----------------------------------------------------------


@pytest.fixture
def rattler_plan(spec, tmp_path):
    return make_plan(
        opts(tmp_path),
        spec,
        backend="rattler",
        executable="py-rattler",
        target=Target(),
        action="create",
    )


# Texts as the tools print them (py-rattler 0.28, uv 0.13 and pip 24 captured on this build box;
# conda's from github.com/conda/conda/issues/13866 and the PackagesNotFoundError layout of
# github.com/conda/conda/issues/13659).
UNKNOWN = [
    (
        "SolverError: Cannot solve the request because of: No candidates were found for numpy *.",
        "numpy",
    ),
    (
        "PackagesNotFoundError: The following packages are not available from current channels:\n\n"
        "  - pytorch==9.9=py36_0\n\nCurrent channels:\n\n  - https://conda.anaconda.org/conda-forge\n",
        "pytorch",
    ),
    (
        "error: No solution found when resolving dependencies\n  cause: Because torch was not "
        "found in the package registry and you require torch, we can conclude that your "
        "requirements are unsatisfiable.",
        "torch",
    ),
    (
        "ERROR: Could not find a version that satisfies the requirement numpy "
        "(from versions: none)\n"
        "ERROR: No matching distribution found for numpy",
        "numpy",
    ),
]


@pytest.mark.parametrize(("text", "package"), UNKNOWN)
def test_unknown_package_names_it_and_its_line(text, package, rattler_plan, spec):
    err = explain_failure(text, "rattler", rattler_plan.channels, spec)
    line = {"python": 4, "pytorch": 5, "torch": 5, "numpy": 6}[package]
    assert f"package {package!r} (environment.yml:{line}) was not found" in err.one_line()
    assert "Fix:" in err.one_line() and "\n" not in err.one_line()


UNREACHABLE = [
    (
        "GatewayError: error sending request for url (http://127.0.0.1:9/nochan/noarch/repodata_shards."
        "msgpack.zst)\nCaused by: client error (Connect)",
        "http://127.0.0.1:9/nochan/noarch/",
    ),
    (
        "CondaHTTPError: HTTP 000 CONNECTION FAILED for url <https://conda.anaconda.org/conda-forge/"
        "linux-64/repodata.json>\nElapsed: -",
        "https://conda.anaconda.org/conda-forge/linux-64/repodata.json",
    ),
    (
        "error: Request failed after 3 retries in 10.0s\n  cause: Failed to fetch: http://127.0.0.1:9/"
        "simple/numpy/",
        "http://127.0.0.1:9/simple/numpy/",
    ),
]


@pytest.mark.parametrize(("text", "url"), UNREACHABLE)
def test_unreachable_channel_names_the_url(text, url, rattler_plan, spec):
    line = explain_failure(text, "rattler", rattler_plan.channels, spec).one_line()
    assert line.startswith(f"cannot reach {url}") and "--offline" in line and "--channel" in line


def test_other_failures_quote_the_last_line(rattler_plan, spec):
    err = explain_failure(
        "lots\nof output\nTransactionError: disk full\n\n", "rattler", rattler_plan.channels, spec
    )
    assert err.one_line().startswith("rattler failed: TransactionError: disk full.")


# --- an existing environment keeps its backend -------------------------------------------------


def test_rerun_without_backend_keeps_the_environments_backend(spec, tmp_path):
    prefix = tmp_path / "env"
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin/python").symlink_to(sys.executable)  # an interpreter that runs
    key = stamp_key(spec.sha256, "uv", (), None)
    stamp = {"key": key, "backend": "uv", "subdir": None, "extra_channels": []}
    (prefix / STAMP_NAME).write_text(json.dumps(stamp))
    log: list[str] = []

    def no_commands(cmd, env):
        raise AssertionError(f"a no-op ran {cmd}")

    outcome = install(
        ["--file", str(spec.path), "--prefix", str(prefix)],
        out=log.append,
        available={"conda": "/c/conda", "uv": "/u/uv"},  # conda would win the chain on a new env
        target=Target(),
        pip_config=pipconf.PipIndexConfig(),
        run_command=no_commands,
    )
    assert outcome.plan.backend == "uv" and outcome.plan.action == "noop"
    assert any("kept from the existing environment" in line for line in log)


def test_remembered_argv_replays_prefix_and_extra_channels(tmp_path):
    prefix = tmp_path / "env"
    assert remembered_argv(prefix) == ["--prefix", str(prefix)]
    assert remembered_argv(DEFAULT_PREFIX) == []
    prefix.mkdir()
    stamp = {"key": "k", "backend": "micromamba", "extra_channels": ["file:///ch"]}
    (prefix / STAMP_NAME).write_text(json.dumps(stamp))
    assert remembered_argv(prefix) == [
        "--prefix",
        str(prefix),
        "--channel",
        "file:///ch",
    ]


# --- dropped packages and local channel folders ------------------------------------------------


def test_dropped_packages_per_backend():
    old_conda = ["python >=3.10", "conda-forge::pytorch >=2.6", "numpy"]
    assert dropped_packages("conda", old_conda, ["python", "pytorch"]) == {"numpy"}
    assert dropped_packages("conda", old_conda, [*old_conda, "rich"]) == set()
    assert dropped_packages("rattler", old_conda, ["python"]) == set()  # it prunes
    old_pip = ["torch>=2.6", "Typing_Extensions", "numpy"]
    assert dropped_packages("uv", old_pip, ["torch", "typing-extensions"]) == {"numpy"}


def test_update_that_drops_a_package_rebuilds(tmp_path):
    st = state(stamp=STAMP)
    assert decide(st, tmp_path, key="changed") == "update"
    (tmp_path / "env").mkdir(exist_ok=True)
    action = decide_action(
        st,
        key="changed",
        backend="rattler",
        subdir=None,
        force=False,
        owned=False,
        python_ok=lambda: True,
        prefix=tmp_path / "env",
        dropped=True,
    )
    assert action == "rebuild"


def test_local_channel_folder_becomes_a_file_url(tmp_path, monkeypatch):
    (tmp_path / "channel").mkdir()
    monkeypatch.chdir(tmp_path)
    assert channel_url("./channel") == (tmp_path / "channel").as_uri()
    assert channel_url("bioconda") == "bioconda"
    assert channel_url("https://x/ch") == "https://x/ch"
    opts_ = parse_options(["--channel", "channel"])
    assert opts_.channels == ((tmp_path / "channel").as_uri(),)
