"""verify.rules against environments users posted publicly (tests/data/hosts/*.json, each with
its source URL), plus the contract's edge cases and a property test over arbitrary Facts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import rules
from verify.facts import Facts
from verify.model import Result, Status

HOSTS = Path(__file__).parent / "data" / "hosts"
IDS = (
    "host.os",
    "host.arch",
    "host.macos",
    "host.python",
    "torch.installed",
    "torch.version",
    "mps.built",
    "mps.available",
)
MPS_REQUIRED = ("host.arch", "host.macos", "torch.installed", "mps.built", "mps.available")


def load(name: str) -> Facts:
    data = json.loads((HOSTS / f"{name}.json").read_text(encoding="utf-8"))
    return Facts.from_dict(data)


def by_id(results: list[Result]) -> dict[str, Result]:
    return {r.id: r for r in results}


def statuses(results: list[Result]) -> dict[str, str]:
    return {r.id: r.status.value for r in results}


def ready(results: list[Result]) -> bool:
    return not any(r.blocks_ready for r in results)


def test_every_recorded_host_cites_its_source() -> None:
    files = sorted(HOSTS.glob("*.json"))
    assert len(files) >= 9
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["_source"].startswith("https://github.com/"), path.name
        assert len(data["_note"]) > 40, path.name
        Facts.from_dict(data)  # loads: unknown keys such as _source are ignored


# name -> expected status per rule id (P pass, F fail, W warn, S skip), ready?, and for each
# fail/warn, words its cause or fix must contain
CASES = {
    "healthy_m4_torch28": ("PPPPPPPP", True, {}),
    "rosetta_m3_torch222": (
        "PFPWPFSS",
        False,
        {
            "host.arch": ("Rosetta", "osx-arm64"),
            "torch.version": ("2.2.2", "Miniforge3-MacOSX-arm64"),
        },
    ),
    "rosetta_m2pro_macos_10_16": ("PFPPPPPP", False, {"host.arch": ("Rosetta", "arm64")}),
    "macos_12_2_older_than_12_3": (
        "PPFWPPPF",
        False,
        {"host.macos": ("12.3", "Software Update"), "mps.available": ("12.3", "Software Update")},
    ),
    "macos_13_7_torch210": (
        "PPWPPFPF",
        False,
        {
            "host.macos": ("14.0", "2.9"),
            "torch.version": ("macOS 14.0", 'pip install "torch<2.9"'),
            "mps.available": ("macOS 14.0", 'pip install "torch<2.9"'),
        },
    ),
    "macos_12_7_torch251": (
        "PPWSPFPF",
        False,
        {"torch.version": ("macOS 13.0", 'pip install "torch<2.5"')},
    ),
    "github_runner_vm": ("PPPSPPPW", True, {"mps.available": ("virtual machine", "bare-metal")}),
    "sandbox_no_metal_device": (
        "PPPPPPPF",
        False,
        {"mps.available": ("no Metal device", "system_profiler SPDisplaysDataType")},
    ),
    "intel_mac_torch222": ("PPPWPPSS", True, {"host.python": ("3.10.13", "nox -s install")}),
    "linux_cuda": ("PPSWPPSS", True, {"host.python": ("3.10.12", "nox -s install")}),
    "linux_cpu": ("PPSPPPSS", True, {}),
    "import_failed_wrong_arch": (
        "PPWWFSSS",
        False,
        {"torch.installed": ("incompatible architecture", "--force-reinstall")},
    ),
}
LETTER = {"P": "pass", "F": "fail", "W": "warn", "S": "skip"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_recorded_host(name: str) -> None:
    letters, is_ready, remedies = CASES[name]
    results = rules.evaluate(load(name))
    assert [r.id for r in results] == list(IDS)
    assert statuses(results) == {i: LETTER[c] for i, c in zip(IDS, letters, strict=True)}
    assert ready(results) is is_ready
    rows = by_id(results)
    for rid, words in remedies.items():
        text = rows[rid].cause + " " + rows[rid].fix.render()
        for word in words:
            assert word in text, (rid, word, text)
    for r in results:
        if r.status in (Status.FAIL, Status.WARN):
            assert r.cause and r.fix and r.fix.text, r.id


def test_recorded_host_set_is_complete() -> None:
    assert {p.stem for p in HOSTS.glob("*.json")} == set(CASES)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("healthy_m4_torch28", True),
        ("rosetta_m3_torch222", True),  # Apple silicon under Rosetta: exactly the case to catch
        ("rosetta_m2pro_macos_10_16", True),
        ("github_runner_vm", True),
        ("intel_mac_torch222", False),
        ("linux_cuda", False),
        ("linux_cpu", False),
    ],
)
def test_default_expect_mps(name: str, expected: bool) -> None:
    assert rules.default_expect_mps(load(name)) is expected


def test_required_rows_follow_expect_mps() -> None:
    mac = by_id(rules.evaluate(load("healthy_m4_torch28")))
    linux = by_id(rules.evaluate(load("linux_cpu")))
    for rid in MPS_REQUIRED:
        assert mac[rid].required, rid
    for rid in ("host.arch", "host.macos", "mps.built", "mps.available"):
        assert not linux[rid].required, rid
    assert linux["torch.installed"].required  # a broken torch is never "ready"


def test_mps_rows_are_not_applicable_when_mps_is_not_expected() -> None:
    for name in ("linux_cuda", "intel_mac_torch222"):
        rows = by_id(rules.evaluate(load(name)))
        for rid in ("mps.built", "mps.available"):
            assert rows[rid].status is Status.SKIP
            assert rows[rid].detail.startswith("not applicable: ")


def test_expect_mps_on_linux_fails_host_os_with_a_fix() -> None:
    rows = by_id(rules.evaluate(load("linux_cuda"), expect_mps=True))
    assert rows["host.os"].status is Status.FAIL and rows["host.os"].required
    assert "Apple silicon" in rows["host.os"].cause
    assert "python -m verify" in rows["host.os"].fix.render()


def test_expect_mps_on_an_intel_mac_fails_host_arch() -> None:
    rows = by_id(rules.evaluate(load("intel_mac_torch222"), expect_mps=True))
    assert rows["host.arch"].status is Status.FAIL
    assert "Intel Mac" in rows["host.arch"].cause
    assert "2.2.2" in rows["host.arch"].cause


def test_rosetta_without_expecting_mps_is_a_warning() -> None:
    rows = by_id(rules.evaluate(load("rosetta_m3_torch222"), expect_mps=False))
    assert rows["host.arch"].status is Status.WARN
    assert rows["mps.built"].status is Status.SKIP


def test_unknown_facts_skip_with_the_callers_reason() -> None:
    reason = "not in the pasted text"
    results = rules.evaluate(Facts(source="pasted", os="Darwin"), unknown_reason=reason)
    rows = by_id(results)
    for rid in ("host.arch", "host.macos", "host.python", "torch.installed", "torch.version"):
        assert rows[rid].status is Status.SKIP, rid
        assert reason in rows[rid].detail, rid
    assert ready(results)


def test_torch_not_probed_skips_torch_and_mps_rows() -> None:
    facts = load("healthy_m4_torch28").merged(
        torch_version=None, mps_built=None, mps_available=None
    )
    rows = by_id(rules.evaluate(facts, unknown_reason="not checked by preflight"))
    for rid in ("torch.installed", "torch.version", "mps.built", "mps.available"):
        assert rows[rid].status is Status.SKIP
        assert "not checked by preflight" in rows[rid].detail
    assert rows["host.arch"].status is Status.PASS


def test_torch_missing_fails_torch_installed_with_the_installer() -> None:
    facts = load("healthy_m4_torch28").merged(
        torch_version=None, torch_import_error="ModuleNotFoundError: No module named 'torch'"
    )
    rows = by_id(rules.evaluate(facts))
    assert rows["torch.installed"].status is Status.FAIL
    assert rows["torch.installed"].fix.commands == ("nox -s install",)
    for rid in ("torch.version", "mps.built", "mps.available"):
        assert rows[rid].detail == "needs torch.installed"


def test_mps_not_built_under_rosetta_points_at_arm64_python() -> None:
    facts = load("rosetta_m3_torch222").merged(mps_built=False, mps_available=False)
    rows = by_id(rules.evaluate(facts))
    assert rows["mps.built"].status is Status.FAIL
    assert "CONDA_SUBDIR=osx-arm64" in rows["mps.built"].fix.render()
    assert rows["mps.available"].detail == "needs mps.built"


def test_pip_torch_in_conda_env_and_old_pytorch_channel_warn() -> None:
    base = load("healthy_m4_torch28")
    pip_in_conda = by_id(
        rules.evaluate(base.merged(conda_prefix="/Users/me/miniforge3", torch_source="pypi"))
    )
    assert pip_in_conda["torch.version"].status is Status.WARN
    assert "conda install -c conda-forge pytorch" in pip_in_conda["torch.version"].fix.render()
    channel = by_id(rules.evaluate(base.merged(torch_source="pytorch")))
    assert channel["torch.version"].status is Status.WARN
    assert "2.5" in channel["torch.version"].cause


def test_conda_env_gets_a_conda_downgrade_command() -> None:
    facts = load("macos_13_7_torch210").merged(conda_prefix="/Users/me/miniforge3")
    fix = by_id(rules.evaluate(facts))["torch.version"].fix
    assert fix.commands == ('conda install -c conda-forge "pytorch<2.9"',)


def test_macos_reported_as_10_16_warns() -> None:
    facts = load("rosetta_m2pro_macos_10_16").merged(macos_version="10.16")
    row = by_id(rules.evaluate(facts))["host.macos"]
    assert row.status is Status.WARN
    assert "sw_vers -productVersion" in row.fix.render()


def test_python_no_torch_supports_fails_only_without_torch() -> None:
    future = load("healthy_m4_torch28").merged(python_version="3.99.0")
    assert by_id(rules.evaluate(future))["host.python"].status is Status.WARN  # torch imports
    no_torch = future.merged(torch_version=None, torch_import_error="No module named 'torch'")
    row = by_id(rules.evaluate(no_torch))["host.python"]
    assert row.status is Status.FAIL and row.required
    assert "3.99.0" in row.cause


def test_vm_without_mps_fails_with_the_vm_cause() -> None:
    facts = load("github_runner_vm").merged(mps_available=False)
    row = by_id(rules.evaluate(facts))["mps.available"]
    assert row.status is Status.FAIL
    assert "virtual machine" in row.cause
    assert row.fix.url and "github-hosted-runners" in row.fix.url


# --- property: evaluate never raises, and every fail/warn can be acted on --------------------

maybe_text = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["Darwin", "Linux", "Windows", "arm64", "x86_64", "10.16", "12.2.1", "13.7.4"]),
    st.from_regex(r"\A[0-9]{1,2}(\.[0-9]{1,2}){0,2}(\.dev[0-9]{1,8}|\+cpu|a0)?\Z"),
)
maybe_bool = st.one_of(st.none(), st.booleans())
facts_strategy = st.builds(
    Facts,
    source=st.sampled_from(["host", "replayed", "pasted"]),
    os=maybe_text,
    os_release=maybe_text,
    macos_version=maybe_text,
    machine=maybe_text,
    hardware_arm64=maybe_bool,
    translated=maybe_bool,
    chip=st.one_of(maybe_text, st.sampled_from(["Apple M1 (Virtual)", "VirtualApple @ 2.50GHz"])),
    virtual_machine=maybe_bool,
    python_version=maybe_text,
    python_implementation=maybe_text,
    torch_version=maybe_text,
    torch_source=st.one_of(st.none(), st.sampled_from(["pypi", "pytorch", "conda-forge"])),
    torch_import_error=maybe_text,
    conda_prefix=maybe_text,
    mps_built=maybe_bool,
    mps_available=maybe_bool,
    mps_unavailable_reason=maybe_text,
)


@settings(max_examples=300, deadline=None)
@given(facts=facts_strategy, expect=st.sampled_from([None, True, False]))
def test_evaluate_never_raises_and_every_problem_has_cause_and_fix(
    facts: Facts, expect: bool | None
) -> None:
    results = rules.evaluate(facts, expect_mps=expect, unknown_reason="unknown here")
    assert [r.id for r in results] == list(IDS)
    for r in results:
        assert isinstance(r.required, bool)
        if r.status in (Status.FAIL, Status.WARN):
            assert r.cause.strip() and r.fix is not None and r.fix.text.strip(), r
        if r.status is Status.SKIP:
            assert r.detail, r
        r.to_dict()  # serialisable for the JSON report


# --- issue 15: what we tell Intel, Rosetta and macOS 14 users must be true ---------------------


def test_intel_mac_with_an_mps_device_is_a_warning_not_a_failure() -> None:
    """An Intel Mac whose torch found an MPS device has a discrete AMD GPU: MPS runs there up to
    torch 2.2.2 (pytorch/pytorch#141864); only integrated graphics have no MPS."""
    amd = load("intel_mac_torch222").merged(mps_built=True, mps_available=True)
    rows = by_id(rules.evaluate(amd, expect_mps=True))
    assert rows["host.arch"].status is Status.WARN
    assert "AMD" in rows["host.arch"].cause and "2.2.2" in rows["host.arch"].cause
    assert rows["mps.available"].status is Status.PASS
    integrated = load("intel_mac_torch222").merged(mps_built=True, mps_available=False)
    row = by_id(rules.evaluate(integrated, expect_mps=True))["host.arch"]
    assert row.status is Status.FAIL
    assert "integrated" in row.cause and "AMD" in row.cause


def test_x86_64_torch_is_never_said_to_lack_mps() -> None:
    """PyPI's x86_64 torch 2.2.2 holds the MPS backend (tests/data/torch_wheels: the same MPS
    messages and the isLowPower device check as the arm64 wheel), so no text may say that
    x86_64 / Rosetta builds lack MPS."""
    import wheel_evidence

    from verify import known_errors
    from verify import messages as msg

    x86 = [w for w in wheel_evidence.all_wheels() if w.arch == "x86_64"]
    assert x86 and all(w.has("The MPS backend is supported on") for w in x86)
    assert all(w.has("isLowPower") for w in x86)
    texts = [
        msg.rosetta("x86_64", "Apple M3"),
        msg.rosetta_stuck_torch("2.2.2"),
        msg.INTEL_MAC_CAUSE,
        msg.mps_not_built("2.2.2", rosetta_process=True)[0],
        msg.mps_not_built("2.2.2", rosetta_process=False)[0],
        *(p.cause for p in known_errors.PATTERNS),
        *(p.fix.text for p in known_errors.PATTERNS),
    ]
    wrong = re.compile(
        r"x86_64 / osx-64 build|native arm64 processes only|built for Apple silicon|"
        r"x86_64 (?:builds?|wheels?|torch|PyTorch)[^.;]*(?:without|lacks?|no) MPS",
        re.IGNORECASE,
    )
    for text in texts:
        assert not wrong.search(text), text
    assert "does contain the MPS backend" in msg.rosetta("x86_64", "Apple M3")


@pytest.mark.parametrize(
    ("macos", "status"),
    [
        ("13.7.4", Status.FAIL),
        ("14.5", Status.WARN),
        ("15.1", Status.PASS),
        ("26.3.1", Status.PASS),
    ],
)
def test_torch_2_15_declared_floor_warns_enforced_floor_fails(macos: str, status: Status) -> None:
    """torch 2.15.0 says "supported on macOS 15.0+" but installs and finds a device on 14.x."""
    facts = load("healthy_m4_torch28").merged(torch_version="2.15.0", macos_version=macos)
    row = by_id(rules.evaluate(facts))["torch.version"]
    assert row.status is status, row
    if status is Status.WARN:
        assert "15.0" in row.cause and "torch<2.15" in row.fix.render()


def test_python_rule_reads_the_platforms_wheels() -> None:
    """Python 3.10 has macOS and Linux wheels of the same releases today; the rule must ask for
    the host's platform (PYTHON_RANGES per platform)."""
    mac = by_id(rules.evaluate(load("healthy_m4_torch28").merged(python_version="3.10.4")))
    lin = by_id(rules.evaluate(load("linux_cpu").merged(python_version="3.10.4")))
    assert mac["host.python"].status is Status.WARN
    assert lin["host.python"].status is Status.WARN
