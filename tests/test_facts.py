"""verify.facts.gather_host: real on this host, and on macOS through a fake runner that replays
recorded command outputs."""

from __future__ import annotations

import json
import platform
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from verify import rules
from verify.facts import (
    MISSING_COMMAND_RC,
    Facts,
    Interpreter,
    gather_host,
    relevant_env,
    run_command,
)

# --- a runner that replays recorded outputs ---------------------------------------------------

SW_VERS = ("sw_vers", "-productVersion")
SW_VERS_COMPAT0 = ("env", "SYSTEM_VERSION_COMPAT=0", "sw_vers", "-productVersion")
ARM64 = ("sysctl", "-n", "hw.optional.arm64")
TRANSLATED = ("sysctl", "-n", "sysctl.proc_translated")
BRAND = ("sysctl", "-n", "machdep.cpu.brand_string")
VMM = ("sysctl", "-n", "kern.hv_vmm_present")
UNKNOWN_OID = (1, "")  # `sysctl -n no.such.key` exits 1 ("unknown oid") with nothing on stdout


class Replay:
    """argv -> recorded (rc, stdout); anything not recorded is a missing command (127)."""

    def __init__(self, outputs: dict[tuple[str, ...], tuple[int, str]]) -> None:
        self.outputs = outputs
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, argv: list[str]) -> tuple[int, str]:
        self.calls.append(tuple(argv))
        return self.outputs.get(tuple(argv), (MISSING_COMMAND_RC, ""))


def mac(machine: str = "arm64", mac_ver: str = "15.6.1") -> Interpreter:
    return Interpreter(
        system="Darwin",
        release="24.6.0",
        machine=machine,
        mac_ver=mac_ver,
        python_version="3.12.11",
        python_implementation="CPython",
        python_build="main Jun  3 2025 18:53:25",
        executable="/Users/me/miniforge3/bin/python",
        prefix="/nonexistent/prefix",
    )


# Outputs as macOS prints them (sw_vers -productVersion prints "12.7.6" for the Mac in
# pytorch/pytorch#139425; sysctl -n prints the bare value and a newline).
NATIVE_M4 = {
    SW_VERS: (0, "15.6.1\n"),
    ARM64: (0, "1\n"),
    TRANSLATED: (0, "0\n"),
    BRAND: (0, "Apple M4\n"),
    VMM: (0, "0\n"),
}


# --- this host, for real ----------------------------------------------------------------------


def test_gather_host_on_this_host_sets_the_interpreter_facts() -> None:
    facts = gather_host()
    assert facts.source == "host"
    assert facts.os == platform.system()
    assert facts.os_release == platform.release()
    assert facts.machine == platform.machine()
    assert facts.python_version == platform.python_version()
    assert facts.python_implementation == platform.python_implementation()
    assert facts.python_executable == sys.executable
    assert facts.python_build and platform.python_build()[0] in facts.python_build
    assert not facts.torch_probed  # torch facts come from the worker, never from here


@pytest.mark.skipif(platform.system() != "Linux", reason="Linux-only expectations")
def test_gather_host_on_linux_runs_no_command() -> None:
    runner = Replay({})
    facts = gather_host(runner, environ={})
    assert runner.calls == []
    assert facts.os == "Linux"
    for name in ("macos_version", "hardware_arm64", "translated", "chip", "virtual_machine"):
        assert getattr(facts, name) is None, name
    # and the rules say MPS is not expected here
    assert rules.default_expect_mps(facts) is False


def test_facts_round_trip_through_json() -> None:
    facts = gather_host(environ={"PYTORCH_ENABLE_MPS_FALLBACK": "1"})
    again = Facts.from_dict(json.loads(facts.to_json()))
    assert again == facts


def test_run_command_really_runs_and_never_raises() -> None:
    assert run_command([sys.executable, "-c", "print(42)"]) == (0, "42\n")
    rc, out = run_command([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert (rc, out) == (3, "")
    assert run_command(["no-such-command-for-torch-mps-kit"]) == (MISSING_COMMAND_RC, "")


# --- env and conda ----------------------------------------------------------------------------


def test_relevant_env_keeps_torch_and_conda_variables_only() -> None:
    environ = {
        "PYTORCH_ENABLE_MPS_FALLBACK": "1",
        "PYTORCH_MPS_HIGH_WATERMARK_RATIO": "0.0",
        "CONDA_SUBDIR": "osx-arm64",
        "KMP_DUPLICATE_LIB_OK": "TRUE",
        "HOME": "/Users/me",
        "PATH": "/usr/bin",
        "GITHUB_TOKEN": "secret",
    }
    assert relevant_env(environ) == {
        "CONDA_SUBDIR": "osx-arm64",
        "KMP_DUPLICATE_LIB_OK": "TRUE",
        "PYTORCH_ENABLE_MPS_FALLBACK": "1",
        "PYTORCH_MPS_HIGH_WATERMARK_RATIO": "0.0",
    }


def _conda_prefix(tmp_path: Path, subdir: str | None) -> Path:
    meta = tmp_path / "env" / "conda-meta"
    meta.mkdir(parents=True)
    (meta / "history").write_text("", encoding="utf-8")
    # the shape of a real record (conda-meta/python-3.12.11-hc22306f_0_cpython.json)
    record = {"name": "python", "version": "3.12.11", "build": "hc22306f_0_cpython"}
    if subdir:
        record["subdir"] = subdir
    (meta / "python-3.12.11-hc22306f_0_cpython.json").write_text(json.dumps(record), "utf-8")
    (meta / "python_abi-3.12-8_cp312.json").write_text(
        json.dumps({"name": "python_abi", "subdir": "noarch"}), "utf-8"
    )
    return meta.parent


def test_conda_subdir_comes_from_the_python_record(tmp_path: Path) -> None:
    prefix = _conda_prefix(tmp_path, "osx-64")
    interp = replace(mac(), prefix=str(prefix))
    facts = gather_host(Replay(NATIVE_M4), {"CONDA_SUBDIR": "osx-arm64"}, interpreter=interp)
    assert facts.conda_prefix == str(prefix)
    # the env's python is osx-64 whatever CONDA_SUBDIR says for future installs
    assert facts.conda_subdir == "osx-64"


def test_conda_subdir_falls_back_to_conda_subdir_variable(tmp_path: Path) -> None:
    prefix = _conda_prefix(tmp_path, None)
    interp = replace(mac(), prefix=str(prefix))
    facts = gather_host(Replay(NATIVE_M4), {"CONDA_SUBDIR": "osx-arm64"}, interpreter=interp)
    assert (facts.conda_prefix, facts.conda_subdir) == (str(prefix), "osx-arm64")
    plain = gather_host(Replay(NATIVE_M4), {}, interpreter=mac())
    assert (plain.conda_prefix, plain.conda_subdir) == (None, None)


# --- macOS through recorded outputs -----------------------------------------------------------


def test_native_apple_silicon() -> None:
    runner = Replay(NATIVE_M4)
    facts = gather_host(runner, {}, interpreter=mac())
    assert facts.os == "Darwin"
    assert facts.macos_version == "15.6.1"
    assert (facts.machine, facts.hardware_arm64, facts.translated) == ("arm64", True, False)
    assert facts.chip == "Apple M4"
    assert facts.virtual_machine is False
    assert all(call[0] in ("sw_vers", "sysctl", "ioreg") for call in runner.calls)
    assert rules.default_expect_mps(facts) is True


def test_rosetta_is_caught_even_though_the_hardware_is_arm64() -> None:
    # an x86_64 Python on an M2 Pro (pytorch/pytorch#146236): hw.optional.arm64 stays 1 and
    # sysctl.proc_translated is 1 for the translated process
    outputs = {
        **NATIVE_M4,
        SW_VERS: (0, "15.3\n"),
        TRANSLATED: (0, "1\n"),
        BRAND: (0, "Apple M2 Pro\n"),
    }
    facts = gather_host(Replay(outputs), {}, interpreter=mac("x86_64", "10.16"))
    assert (facts.machine, facts.hardware_arm64, facts.translated) == ("x86_64", True, True)
    assert facts.macos_version == "15.3"
    assert rules.default_expect_mps(facts) is True
    arch = {r.id: r for r in rules.evaluate(facts)}["host.arch"]
    assert arch.status.value == "fail" and arch.required
    assert "CONDA_SUBDIR=osx-arm64" in arch.fix.render()


def test_the_10_16_trap_re_asks_with_system_version_compat_0() -> None:
    # SYSTEM_VERSION_COMPAT=1 in the environment makes sw_vers itself say 10.16
    outputs = {**NATIVE_M4, SW_VERS: (0, "10.16\n"), SW_VERS_COMPAT0: (0, "15.3\n")}
    runner = Replay(outputs)
    facts = gather_host(runner, {"SYSTEM_VERSION_COMPAT": "1"}, interpreter=mac(mac_ver="10.16"))
    assert facts.macos_version == "15.3"
    assert SW_VERS_COMPAT0 in runner.calls
    assert facts.env == {"SYSTEM_VERSION_COMPAT": "1"}


def test_the_10_16_trap_without_sw_vers_asks_python_like_pypa_packaging() -> None:
    interp = mac("x86_64", "10.16")
    python_reask = (
        "env",
        "SYSTEM_VERSION_COMPAT=0",
        interp.executable,
        "-sS",
        "-c",
        "import platform; print(platform.mac_ver()[0])",
    )
    outputs = {k: v for k, v in NATIVE_M4.items() if k != SW_VERS}
    outputs[python_reask] = (0, "15.3\n")
    assert gather_host(Replay(outputs), {}, interpreter=interp).macos_version == "15.3"


def test_macos_version_is_never_10_16() -> None:
    outputs = {**NATIVE_M4, SW_VERS: (0, "10.16\n"), SW_VERS_COMPAT0: (0, "10.16\n")}
    assert gather_host(Replay(outputs), {}, interpreter=mac(mac_ver="10.16")).macos_version is None
    # with no command at all, platform.mac_ver() is used when it is a real version
    assert gather_host(Replay({}), {}, interpreter=mac(mac_ver="14.5")).macos_version == "14.5"


def test_intel_mac_unknown_oids_mean_no() -> None:
    # Intel Macs have neither hw.optional.arm64 nor sysctl.proc_translated (pytorch/pytorch#121067
    # is such a Mac: macOS 14.5, Intel(R) Core(TM) i9-9880H)
    outputs = {
        SW_VERS: (0, "14.5\n"),
        ARM64: UNKNOWN_OID,
        TRANSLATED: UNKNOWN_OID,
        BRAND: (0, "Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz\n"),
        VMM: (0, "0\n"),
    }
    facts = gather_host(Replay(outputs), {}, interpreter=mac("x86_64", "14.5"))
    assert (facts.hardware_arm64, facts.translated) == (False, False)
    assert rules.default_expect_mps(facts) is False


def test_virtual_machine_flag() -> None:
    outputs = {**NATIVE_M4, BRAND: (0, "Apple M1 (Virtual)\n"), VMM: (0, "1\n")}
    facts = gather_host(Replay(outputs), {}, interpreter=mac())
    assert facts.virtual_machine is True
    assert facts.chip == "Apple M1 (Virtual)"


def test_missing_commands_and_broken_runners_give_none_not_a_crash() -> None:
    facts = gather_host(Replay({}), {}, interpreter=mac(mac_ver=""))
    for name in ("macos_version", "hardware_arm64", "translated", "chip", "virtual_machine"):
        assert getattr(facts, name) is None, name

    def broken(argv: list[str]) -> tuple[int, str]:
        raise PermissionError(argv[0])

    facts = gather_host(broken, {}, interpreter=mac(mac_ver="14.5"))
    assert facts.macos_version == "14.5" and facts.hardware_arm64 is None

    garbage = {SW_VERS: (0, "ProductVersion: banana\n"), ARM64: (0, "yes\n")}
    facts = gather_host(Replay(garbage), {}, interpreter=mac(mac_ver=""))
    assert facts.macos_version is None and facts.hardware_arm64 is None


def test_conda_record_takes_the_named_package_only(tmp_path):
    from verify.facts import conda_facts, conda_record

    meta = tmp_path / "conda-meta"
    meta.mkdir()
    (meta / "python-dateutil-2.9.0-pyhd8ed1ab_0.json").write_text(
        json.dumps({"name": "python-dateutil", "subdir": "noarch"})
    )
    assert conda_record(str(tmp_path), "python") is None
    (meta / "python-3.12.8-h9ccd52b_1_cpython.json").write_text(
        json.dumps({"name": "python", "subdir": "osx-arm64"})
    )
    assert conda_record(str(tmp_path), "python")["subdir"] == "osx-arm64"
    assert conda_facts(str(tmp_path), {}) == (str(tmp_path), "osx-arm64")
