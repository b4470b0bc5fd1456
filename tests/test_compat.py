"""verify.compat: cited tables, the generated release table, and how they combine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import wheel_evidence
from packaging.version import Version

from verify import compat
from verify.macos import real_macos

DATA = Path(__file__).parent / "data"
FIXTURE = str(DATA / "torch_releases_fixture.json")


@pytest.fixture
def table() -> compat.ReleaseTable:
    return compat.load_releases(FIXTURE)


@pytest.mark.parametrize(
    ("torch", "floor"),
    [
        ("1.11.0", None),  # before MPS existed
        ("1.12.0", "12.3"),
        ("2.4.1", "12.3"),
        ("2.5.0", "13.0"),  # pytorch/pytorch#133141
        ("2.5.1", "13.0"),
        ("2.8.0", "13.0"),
        ("2.9.0", "14.0"),  # pytorch/pytorch#162921
        ("2.10.0.dev20251008", "14.0"),  # a nightly counts as the release it leads to
        ("2.13.0+cpu", "14.0"),  # local version labels are ignored
        ("not a version", None),
    ],
)
def test_mps_min_macos_per_release(torch: str, floor: str | None) -> None:
    expected = Version(floor) if floor else None
    assert compat.mps_min_macos(torch) == expected


@pytest.mark.parametrize(
    ("macos", "first_without_mps"),
    [("12.2.1", None), ("12.7.6", "2.5"), ("13.7.4", "2.9"), ("14.0", None), ("26.3.1", None)],
)
def test_newest_torch_for_macos(macos: str, first_without_mps: str | None) -> None:
    expected = Version(first_without_mps) if first_without_mps else None
    assert compat.newest_torch_for_macos(macos) == expected


def test_macos_supports_mps_for_a_given_torch() -> None:
    assert compat.macos_supports_mps("12.3")
    assert not compat.macos_supports_mps("12.2.1")
    assert compat.macos_supports_mps("13.7.4", "2.8.0")
    assert not compat.macos_supports_mps("13.7.4", "2.9.0")
    assert not compat.macos_supports_mps("15.0", "1.11.0")  # no MPS in that torch at all
    assert not compat.macos_supports_mps("garbage")


def test_wheel_min_macos_reads_the_platform_tag() -> None:
    # real file names from https://pypi.org/project/torch/#files
    assert compat.wheel_min_macos("torch-2.5.1-cp312-none-macosx_11_0_arm64.whl") == Version("11.0")
    assert compat.wheel_min_macos("torch-2.12.0-cp312-cp312-macosx_14_0_arm64.whl") == Version(
        "14.0"
    )
    assert compat.wheel_min_macos("torch-2.2.2-cp311-none-macosx_10_9_x86_64.whl") == Version(
        "10.9"
    )
    assert compat.wheel_min_macos("torch-2.5.1-cp312-cp312-manylinux1_x86_64.whl") is None
    assert compat.wheel_min_macos("not-a-wheel.tar.gz") is None


def test_x86_64_wheels_from_table_and_fallback(table: compat.ReleaseTable) -> None:
    assert compat.has_macos_x86_64_wheel("2.2.2", table)
    assert not compat.has_macos_x86_64_wheel("2.3.0", table)
    assert compat.has_macos_x86_64_wheel("9.0.0", table)  # the table wins over the cited rule
    # missing from the fixture: the cited last-x86_64 rule answers
    assert compat.has_macos_x86_64_wheel("2.2.1", table)
    assert not compat.has_macos_x86_64_wheel("2.5.1", table)


def test_python_range_from_table_and_fallback(table: compat.ReleaseTable) -> None:
    # free-threaded tags (cp313t) do not widen the range
    assert compat.python_range("2.9.0", table) == (Version("3.10"), Version("3.14"))
    # 2.5.1 is missing from the fixture: compat's own macOS rows from PyPI's cp tags
    assert compat.python_range("2.5.1", table) == (Version("3.9"), Version("3.12"))
    assert compat.python_range("1.0", table) is None
    assert compat.supports_python("2.9.0", "3.11.7", table) is True
    assert compat.supports_python("2.9.0", "3.9.18", table) is False
    assert compat.supports_python("9.0.0", "3.12.1", table) is False  # requires_python >=3.13
    assert compat.supports_python("2.9.0", "banana", table) is None


def test_malformed_entries_are_left_out(table: compat.ReleaseTable) -> None:
    assert set(table.releases) == {Version(v) for v in ("2.2.2", "2.3.0", "2.9.0", "9.0.0")}
    assert table.latest() is not None and table.latest().version == Version("9.0.0")
    assert compat.latest_release(table) == Version("9.0.0")
    assert compat.newest_release_for_python("3.12.4", table) == Version("2.15.0")


def test_missing_or_broken_table_gives_empty_table(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    for path in (str(tmp_path / "absent.json"), str(broken)):
        empty = compat.load_releases(path)
        assert empty.releases == {}
        # the cited tables still answer
        assert compat.python_range("2.5.1", empty) == (Version("3.9"), Version("3.12"))
        assert compat.latest_release(empty) == compat.LATEST_KNOWN_RELEASE


def test_load_releases_is_cached_per_path() -> None:
    assert compat.load_releases(FIXTURE) is compat.load_releases(FIXTURE)
    assert compat.load_releases() is compat.load_releases()


def test_packaged_table_agrees_with_the_cited_facts() -> None:
    """The generated verify/data/torch_releases.json (from PyPI) and the cited tables must tell
    the same story: x86_64 wheels stop after 2.2.2, and no arm64 wheel demands a newer macOS
    than that release's MPS floor."""
    table = compat.load_releases()
    assert table.releases, "verify/data/torch_releases.json is missing or empty"
    raw = json.loads(
        (Path(compat.__file__).parent / "data" / compat.RELEASES_RESOURCE).read_text("utf-8")
    )
    assert raw["source"].startswith("https://pypi.org/")
    for version, rel in table.releases.items():
        if rel.macos_x86_64 is not None:
            assert rel.macos_x86_64 == (version <= compat.LAST_MACOS_X86_64_WHEEL), version
        floor = compat.mps_min_macos(version)
        if rel.macos_arm64_min is not None and floor is not None:
            assert rel.macos_arm64_min <= floor, version
        rng = compat.python_range(version, table)
        assert rng is not None and rng[0] <= rng[1]


# --- issue 15: facts checked against PyPI and the wheels' own strings ---------------------------


@pytest.mark.parametrize(
    ("torch", "macos", "linux"),
    [
        # macOS wheels (arm64, and x86_64 up to 2.2.2) got a new CPython later than Linux twice:
        # 1.13 shipped cp311 for Linux only, 2.5 cp313 for Linux only (PyPI file lists).
        ("1.13.1", ("3.7", "3.10"), ("3.7", "3.11")),
        ("2.5.1", ("3.9", "3.12"), ("3.9", "3.13")),
        ("2.6.0", ("3.9", "3.13"), ("3.9", "3.13")),
        ("2.15.0", ("3.11", "3.15"), ("3.11", "3.15")),
    ],
)
def test_python_ranges_are_per_platform(torch: str, macos: tuple, linux: tuple) -> None:
    empty = compat.ReleaseTable(None, None, {})
    assert compat.python_range(torch, empty, "macos") == tuple(map(Version, macos))
    assert compat.python_range(torch, empty, "linux") == tuple(map(Version, linux))
    assert compat.supports_python("1.13.1", "3.11.4", empty, "macos") is False
    assert compat.supports_python("1.13.1", "3.11.4", empty, "linux") is True


def test_cited_macos_python_rows_match_the_generated_table() -> None:
    """Every release in verify/data/torch_releases.json (macOS arm64 wheel tags from PyPI) has
    the same CPython range as compat's own macOS rows, the fallback for missing releases."""
    table = compat.load_releases()
    empty = compat.ReleaseTable(None, None, {})
    for version in table.releases:
        if version.is_prerelease:
            continue
        assert compat.python_range(version, empty, "macos") == compat.python_range(
            version, table
        ), version


def test_newest_release_for_python_per_platform() -> None:
    empty = compat.ReleaseTable(None, None, {})
    # without the generated table the candidates are the rows' first releases: 3.7 had Linux
    # wheels up to the 1.13 row, macOS wheels only in the 1.12 row's releases
    assert compat.newest_release_for_python("3.7.9", empty, "linux") == Version("1.13")
    assert compat.newest_release_for_python("3.7.9", empty, "macos") == Version("1.12")
    assert compat.newest_release_for_python("3.10.1", empty, "linux") == Version("2.9")


@pytest.mark.parametrize(
    ("torch", "enforced", "declared"),
    [
        ("1.12.0", "12.3", "12.3"),
        ("2.5.1", "13.0", "12.3"),  # pytorch/pytorch#139425: enforced 13.0, message says 12.3+
        ("2.6.0", "13.0", "13.0"),
        ("2.9.0", "14.0", "14.0"),
        ("2.14.0", "14.0", "14.0"),
        ("2.15.0", "14.0", "15.0"),  # says 15.0+, wheel and device check accept 14.0
    ],
)
def test_declared_and_enforced_floors(torch: str, enforced: str, declared: str) -> None:
    assert compat.mps_min_macos(torch) == Version(enforced)
    assert compat.mps_declared_macos(torch) == Version(declared)


DECLARED = re.compile(r"The MPS backend is supported on [Mm]ac ?OS (\d+\.\d+)\+")


def test_declared_floor_is_what_each_wheel_prints() -> None:
    """The floor compat says a release declares is the one in its libtorch_cpu.dylib."""
    wheels = wheel_evidence.all_wheels()
    assert len(wheels) >= 15
    for w in wheels:
        found = {m.group(1) for line in w.strings for m in [DECLARED.search(line)] if m}
        if w.version < compat.MPS_FIRST_RELEASE:
            assert not found, w.wheel
            continue
        assert found == {str(compat.mps_declared_macos(w.version))}, w.wheel


def test_enforced_floor_is_at_least_each_wheels_minimum_os() -> None:
    """A wheel whose libraries need macOS X cannot give MPS below X: the enforced floor is never
    lower than libtorch_cpu.dylib's minimum OS (2.12+: 14.0)."""
    for w in wheel_evidence.arm64():
        floor = compat.mps_min_macos(w.version)
        if floor is not None:
            assert w.minos["libtorch_cpu.dylib"] <= floor, w.wheel
    newest = wheel_evidence.arm64()[-1]
    assert newest.minos["libtorch_cpu.dylib"] == compat.mps_min_macos(newest.version)


def test_latest_known_release_has_a_floor_row() -> None:
    assert compat.MPS_FLOORS[-1].first == Version(
        f"{compat.LATEST_KNOWN_RELEASE.major}.{compat.LATEST_KNOWN_RELEASE.minor}"
    )


@pytest.mark.parametrize(
    ("reported", "real"),
    [
        ("10.16", None),  # macOS 11 or later, told to an old-SDK process: ask again
        ("16.0", "26.0"),  # macOS 26 Tahoe told to an old-SDK process (python/cpython#135675)
        ("16.1", "26.1"),
        ("15.6.1", "15.6.1"),
        ("26.3.1", "26.3.1"),
        ("10.15.7", "10.15.7"),
        ("", None),
        (None, None),
    ],
)
def test_real_macos(reported: str | None, real: str | None) -> None:
    assert real_macos(reported) == real
