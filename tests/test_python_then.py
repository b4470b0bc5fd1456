"""verify.diagnosis.python_then: host.python's "the newest release does not support this Python"
judged against the releases out when a paste was written, not today's (issue 12). Real pastes
of the development corpus; live `verify` keeps today's rule."""

from __future__ import annotations

import dataclasses

import corpus
import pytest

from verify import compat, rules
from verify.diagnosis import diagnose, envdump, python_then, resolver, timeline
from verify.diagnosis.lag import finals
from verify.model import Status

BY_NAME = {c.name: c for c in corpus.cases()}
# healthy or otherwise-caused reports whose Python today's newest release no longer serves, but
# the newest release of their day did (their host.python warning was "Fix first")
OLD_BUT_SERVED = [
    "accelerate-2348-healthy-m2-no-mps-in-config",  # Python 3.9.6, torch 2.0.0
    "diffusers-548-healthy-m1-max-attention-slicing",  # Python 3.9.13, torch 1.13.0
    "pytorch-125254-healthy-m1-pro-inductor-no-mps",  # Python 3.10.5, torch 2.3.0
    "sd-webui-13621-healthy-linux-sysinfo-json-torch-env-info",  # a Linux box, Python 3.10.6
]


def _pasted(text: str):
    pasted = resolver.infer(envdump.parse(text))
    written = timeline.written_after(
        pasted.text,
        pasted.facts,
        pasted.evidence.get("torch_version", []),
        python_lines=pasted.evidence.get("python_version", []),
        torch_ran=bool(pasted.errors),
    )
    return pasted, written


def _rule_row(pasted):
    expect = diagnose.expect_mps(pasted)
    results = rules.evaluate(pasted.facts, expect_mps=expect, unknown_reason="not in the paste")
    return next(r for r in results if r.id == "host.python")


@pytest.mark.parametrize("name", OLD_BUT_SERVED)
def test_a_python_the_newest_release_of_its_day_served_gets_no_warning(name):
    case = BY_NAME[name]
    pasted, written = _pasted(case.text)
    assert written is not None
    # today's rule (what `verify` says on a live machine) still warns for the same facts
    assert _rule_row(pasted).status is Status.WARN
    then = finals(written.after)[-1]
    platform = "macos" if pasted.facts.os == "Darwin" else "linux"
    assert compat.supports_python(then, str(pasted.facts.python_version), platform=platform)
    _, results = diagnose.diagnose(case.text)
    row = next(r for r in results if r.id == "host.python")
    assert row.status is Status.PASS, row.cause
    assert f"PyTorch {then}" in row.detail and written.after.isoformat() in row.detail
    first = diagnose.first_cause(results)
    assert first is None or first.id != "host.python"


def test_a_python_the_newest_release_of_its_day_did_not_serve_is_warned_of_with_that_release():
    # the same real paste (written on 2024-01-02 at the earliest) with a Python 3.7: torch 2.1.2,
    # the newest then, has no wheel for it (verify.compat: 2.0 on need 3.8)
    case = BY_NAME["accelerate-2348-healthy-m2-no-mps-in-config"]
    pasted, written = _pasted(case.text)
    pasted = dataclasses.replace(pasted, facts=pasted.facts.merged(python_version="3.7.16"))
    rule = _rule_row(pasted)
    assert rule.status is Status.WARN
    row = python_then.row(rule, pasted, written)
    then = finals(written.after)[-1]
    assert row is not None and row.status is Status.WARN
    assert f"PyTorch {then}, the newest release when the paste was written" in row.cause
    assert written.after.isoformat() in row.cause and "not 3.7.16" in row.cause
    assert f"PyTorch {compat.latest_release()}" in row.fix.text  # the fix is today's
    assert written.line in row.evidence


def test_a_paste_that_shows_no_day_keeps_todays_rule():
    # no date, no torch version, no package version: when it was written is not known
    text = "MacBook Pro M1, macOS 14.5, Python 3.9.6\nRuntimeError: MPS backend out of memory"
    pasted, written = _pasted(text)
    assert written is None
    rule = _rule_row(pasted)
    assert rule.status is Status.WARN
    assert python_then.row(rule, pasted, written) is None
    _, results = diagnose.diagnose(text)
    row = next(r for r in results if r.id == "host.python")
    assert row.status is Status.WARN and "the newest release, supports" in row.cause


def test_other_host_python_rows_are_left_alone():
    case = BY_NAME["accelerate-2348-healthy-m2-no-mps-in-config"]
    pasted, written = _pasted(case.text)
    rule = _rule_row(pasted)
    for status in (Status.PASS, Status.FAIL, Status.SKIP):
        assert python_then.row(dataclasses.replace(rule, status=status), pasted, written) is None
    other = dataclasses.replace(rule, id="host.macos")
    assert python_then.row(other, pasted, written) is None
