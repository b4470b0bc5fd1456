"""macOS's SDK-compat answers ("10.16" for 11+, "16.0" for 26) read as the real version, through
verify.compat.real_macos, by facts (host) and envdump (pasted text). Issue 15, point 6."""

from __future__ import annotations

import re
from pathlib import Path

from verify.diagnosis import envdump
from verify.facts import Interpreter, gather_host

TAHOE = Path(__file__).parent / "data" / "macos_versions" / "cpython-135675-tahoe-16.0.txt"
SW_VERS = ("sw_vers", "-productVersion")
SW_VERS_COMPAT0 = ("env", "SYSTEM_VERSION_COMPAT=0", "sw_vers", "-productVersion")


def tahoe_report() -> tuple[str, str, str]:
    """(mac_ver()[0], platform.platform(), the real version) from python/cpython#135675."""
    text = TAHOE.read_text(encoding="utf-8")
    mac_ver = re.search(r"^\('(\d+\.\d+)'", text, re.MULTILINE)
    plat = re.search(r"^(macOS-\S+)$", text, re.MULTILINE)
    real = re.search(r"^# real macOS: (\S+)$", text, re.MULTILINE)
    assert mac_ver and plat and real
    return mac_ver.group(1), plat.group(1), real.group(1)


def mac(mac_ver: str) -> Interpreter:
    return Interpreter(
        system="Darwin",
        release="25.0.0",
        machine="arm64",
        mac_ver=mac_ver,
        python_version="3.12.11",
        python_implementation="CPython",
        python_build="main",
        executable="/Users/me/miniforge3/bin/python",
        prefix="/nonexistent/prefix",
    )


def replay(outputs: dict[tuple[str, ...], tuple[int, str]]):
    return lambda argv: outputs.get(tuple(argv), (127, ""))


def test_host_fallback_mac_ver_16_reads_as_26() -> None:
    mac_ver, _plat, real = tahoe_report()
    # no sw_vers answer at all: only the interpreter's platform.mac_ver() is left
    assert gather_host(replay({}), {}, interpreter=mac(mac_ver)).macos_version == real


def test_host_sw_vers_under_compat_16_reads_as_26() -> None:
    mac_ver, _plat, real = tahoe_report()
    # SYSTEM_VERSION_COMPAT=1 in the environment: sw_vers itself gives the compat answer
    outputs = {SW_VERS: (0, f"{mac_ver}\n"), SW_VERS_COMPAT0: (0, f"{mac_ver}\n")}
    assert gather_host(replay(outputs), {}, interpreter=mac(mac_ver)).macos_version == real


def test_pasted_platform_string_16_reads_as_26() -> None:
    _mac_ver, plat, real = tahoe_report()
    # the verbatim platform.platform() line of the report, in the field collect_env prints it in
    pasted = envdump.parse(f"PyTorch version: 2.9.0\nPython platform: {plat}\n")
    assert pasted.facts.macos_version == real
    # and 10.16 still gives no version at all (macOS 11 or later, unknown which)
    old = envdump.parse("PyTorch version: 2.9.0\nPython platform: macOS-10.16-x86_64-i386-64bit\n")
    assert old.facts.macos_version is None
