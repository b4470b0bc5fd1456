"""host.id: a stable, one-way id of the machine for fleets (verify.facts.host_id).

Stable across runs, different across machines, and never the serial number, the user name or the
raw UUID / machine-id. The ioreg text below has the shape `ioreg -rd1 -c IOPlatformExpertDevice`
prints (keys and quoting as Apple's ioreg writes them); its UUID and serial are made up here,
because every public paste of this output redacts exactly those two values.
"""

from __future__ import annotations

import getpass
import json

from verify.facts import (
    IOREG_PLATFORM,
    MISSING_COMMAND_RC,
    Facts,
    Interpreter,
    gather_host,
    hash_host_id,
    host_id,
    machine_id,
)
from verify.report import Report

UUID = "6A1F3C2E-9B4D-4E8A-B7C1-2D3E4F5A6B7C"
SERIAL = "C02XK1ABJGH5"
IOREG = f"""+-o J316sAP  <class IOPlatformExpertDevice, id 0x100000209, registered, matched, active>
    {{
      "IOPolledInterface" = "AppleARMWatchdogTimerHibernateHandler is not serializable"
      "IOPlatformUUID" = "{UUID}"
      "serial-number" = <43303258 4b314142 4a474835 00000000>
      "manufacturer" = <"Apple Inc.">
      "IOPlatformSerialNumber" = "{SERIAL}"
      "model" = <"MacBookPro18,1">
    }}
"""
MACHINE_ID_A = "3d1219c7c4c5404aaa1f6d2a48adfda4"
MACHINE_ID_B = "0f5e2b7ad1c94b38a0e6c4d2b1f3a597"


def ioreg_runner(text: str = IOREG, rc: int = 0):
    calls = []

    def run(argv):
        calls.append(list(argv))
        return (rc, text) if argv == IOREG_PLATFORM else (MISSING_COMMAND_RC, "")

    run.calls = calls
    return run


def reader(files: dict[str, str]):
    return lambda path: files.get(path)


def mac() -> Interpreter:
    return Interpreter(
        system="Darwin",
        release="24.6.0",
        machine="arm64",
        mac_ver="15.6.1",
        python_version="3.12.11",
        python_implementation="CPython",
        python_build="main",
        executable="/Users/someone/miniforge3/bin/python",
        prefix="/nonexistent/prefix",
    )


def test_macos_id_comes_from_the_platform_uuid_and_is_stable():
    run = ioreg_runner()
    first = host_id("Darwin", run, reader({}))
    again = host_id("Darwin", ioreg_runner(), reader({}))
    assert first == again == hash_host_id(UUID)
    assert len(first) == 32 and int(first, 16) >= 0
    assert run.calls == [IOREG_PLATFORM]


def test_macos_id_differs_across_machines_and_hides_uuid_and_serial():
    other = IOREG.replace(UUID, "11111111-2222-4333-8444-555555555555")
    a = host_id("Darwin", ioreg_runner(), reader({}))
    b = host_id("Darwin", ioreg_runner(other), reader({}))
    assert a != b
    for secret in (UUID, UUID.lower(), UUID.replace("-", "").lower(), SERIAL, SERIAL.lower()):
        assert secret not in a
    # the serial alone (UUID missing) never becomes an id
    no_uuid = "\n".join(line for line in IOREG.splitlines() if "IOPlatformUUID" not in line)
    assert host_id("Darwin", ioreg_runner(no_uuid), reader({})) is None


def test_linux_id_comes_from_machine_id_and_differs_across_machines():
    a = host_id("Linux", ioreg_runner(), reader({"/etc/machine-id": MACHINE_ID_A + "\n"}))
    a2 = host_id("Linux", ioreg_runner(), reader({"/etc/machine-id": MACHINE_ID_A}))
    b = host_id("Linux", ioreg_runner(), reader({"/etc/machine-id": MACHINE_ID_B + "\n"}))
    assert a == a2 and a != b
    assert MACHINE_ID_A not in a and MACHINE_ID_A[:16] not in a
    # the D-Bus copy is the fallback; an empty or all-zero id is no id
    dbus = reader({"/etc/machine-id": "", "/var/lib/dbus/machine-id": MACHINE_ID_B})
    assert host_id("Linux", ioreg_runner(), dbus) == b
    assert machine_id(reader({"/etc/machine-id": "0" * 32})) is None
    assert machine_id(reader({"/etc/machine-id": "uninitialized\n"})) is None


def test_failures_give_no_id_not_a_crash():
    assert host_id("Darwin", ioreg_runner(rc=1), reader({})) is None

    def broken(argv):
        raise OSError("boom")

    assert host_id("Darwin", broken, reader({})) is None
    assert host_id("Windows", ioreg_runner(), reader({"/etc/machine-id": MACHINE_ID_A})) is None
    assert host_id("Linux", ioreg_runner(), reader({})) is None


def test_this_host_has_a_stable_id_in_its_report_without_serial_or_user_name():
    first = gather_host()
    second = gather_host()
    assert first.id == second.id
    data = json.loads(Report(first, "cpu", "quick").to_json())
    assert data["host"]["id"] == first.id
    if first.os == "Linux" and machine_id(lambda p: open(p).read()):
        assert first.id and len(first.id) == 32
    text = json.dumps(data["host"]["id"])
    for secret in (getpass.getuser(), machine_id(lambda p: open(p).read()) or "-"):
        assert secret not in text


def test_gather_host_on_a_mac_asks_ioreg_through_the_runner():
    run = ioreg_runner()
    facts = gather_host(run, {}, interpreter=mac(), read_file=reader({}))
    assert facts.id == hash_host_id(UUID)
    assert IOREG_PLATFORM in run.calls
    assert SERIAL not in facts.to_json() and UUID not in facts.to_json()
    assert "someone" not in facts.id


def test_the_id_survives_a_round_trip_and_old_reports_have_none():
    facts = Facts(id=hash_host_id(UUID), os="Darwin")
    assert Facts.from_dict(json.loads(facts.to_json())).id == facts.id
    assert Facts.from_dict({"os": "Darwin"}).id is None
