"""verify.peaks: each figure says where it was read, and every derived Apple TFLOPS figure is what
its own cores and clock give (issue 15 point 8)."""

from __future__ import annotations

import re

import pytest

from verify import peaks

ALUS_PER_CORE = 128  # FP32 ALUs per Apple GPU core
FLOP_PER_FMA = 2


def apple() -> list[peaks.Peak]:
    return [p for _pattern, p in peaks.TABLE if p.chip.startswith("Apple")]


@pytest.mark.parametrize("peak", apple(), ids=lambda p: p.chip)
def test_derived_apple_tflops_follow_from_cores_and_clock(peak: peaks.Peak) -> None:
    cores = int(re.match(r"(\d+)-core GPU", peak.config).group(1))
    if not peak.derived:
        assert peak.clock_ghz is None
        return
    assert peak.clock_ghz is not None
    assert "derived" in peak.source or "cpu-monkey" in peak.source, peak.chip
    computed = cores * ALUS_PER_CORE * FLOP_PER_FMA * peak.clock_ghz / 1000
    assert computed == pytest.approx(peak.fp32_tflops, abs=0.05), (peak.chip, computed)


def test_every_figure_names_where_it_was_read() -> None:
    for _pattern, p in peaks.TABLE:
        # a URL that was read, a derivation, or the word that it stayed unconfirmed
        assert re.search(r"https://|derived: |unconfirmed", p.source), p.chip
        if p.chip.startswith("Apple"):
            assert "bandwidth: " in p.source and "TFLOPS: " in p.source, p.chip


def test_the_m2_family_is_derived_not_published() -> None:
    """Apple's pages quoted here give M2-family bandwidth, not TFLOPS: those are cores x clock."""
    for name in ("Apple M2", "Apple M2 Pro", "Apple M2 Max", "Apple M2 Ultra", "Apple M1 Ultra"):
        peak = peaks.lookup(name)
        assert peak is not None and peak.derived, name
    for name in ("Apple M1", "Apple M1 Pro", "Apple M1 Max"):
        peak = peaks.lookup(name)
        assert peak is not None and not peak.derived, name
