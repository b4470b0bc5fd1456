"""Host rules: pure functions Facts -> Outcome, no I/O.

`evaluate(facts)` gives one Result per rule id, in the contract's order: host.os, host.arch,
host.macos, host.python, torch.installed, torch.version, mps.built, mps.available.

A rule whose fact is None (unknown) is `skip` with the caller's `unknown_reason`; a rule that does
not apply (MPS rows on Linux or an Intel Mac when MPS is not expected) is `skip` "not applicable:
...". Texts come from verify.messages, version knowledge from verify.compat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verify import compat
from verify import messages as msg
from verify.facts import COMPAT_VERSION, Facts
from verify.model import Outcome, Result, failed, passed, skipped, warned

DEFAULT_UNKNOWN = "could not be determined on this host"
APPLE_CHIP_PREFIXES = ("Apple", "VirtualApple")  # VirtualApple: the brand string under Rosetta


@dataclass(frozen=True)
class Ctx:
    """What every rule gets: the facts, whether MPS must work, and the unknown wording."""

    facts: Facts
    expect_mps: bool
    unknown: str

    def unknown_skip(self, what: str) -> Outcome:
        # data["unknown"]: the fact was not known (not probed, not in the pasted text), so a
        # reader needs no match on the detail's words (verify.diagnosis.settle)
        return skipped(f"{what}: {self.unknown}", unknown=True)


# --- derived facts ----------------------------------------------------------------------------


def is_macos(f: Facts) -> bool:
    return f.os == "Darwin"


def apple_silicon(f: Facts) -> bool | None:
    """Is the hardware Apple silicon (true under Rosetta too)? None when unknown."""
    if f.hardware_arm64 is not None:
        return f.hardware_arm64 or bool(f.translated)
    if f.translated:
        return True
    if f.chip:
        return f.chip.startswith(APPLE_CHIP_PREFIXES)
    if f.machine == "arm64" and is_macos(f):
        return True
    return None


def under_rosetta(f: Facts) -> bool | None:
    """Is this process an x86_64 build translated by Rosetta 2? None when unknown."""
    if not is_macos(f) or f.machine is None:
        return None
    if f.translated is not None:
        return f.translated
    if f.machine != "x86_64":
        return False
    silicon = apple_silicon(f)
    return silicon if silicon is not None else None


def in_vm(f: Facts) -> bool:
    """kern.hv_vmm_present, or a virtual CPU's brand string: GitHub's arm64 macOS runners
    report "Apple M1 (Virtual)"."""
    return bool(f.virtual_machine) or "(Virtual)" in (f.chip or "")


def default_expect_mps(facts: Facts) -> bool:
    """MPS is expected on macOS with Apple silicon hardware, Rosetta included; else not."""
    return is_macos(facts) and apple_silicon(facts) is True


def _reason_suffix(f: Facts) -> str:
    return f" (torch: {f.mps_unavailable_reason})" if f.mps_unavailable_reason else ""


def _not_applicable(f: Facts) -> Outcome:
    if not is_macos(f):
        return skipped(f"not applicable: MPS exists only on macOS (this is {f.os or 'unknown'})")
    if apple_silicon(f) is None:
        return skipped("not applicable: the chip is not known, so MPS is not expected")
    return skipped("not applicable: MPS is not expected on this Mac (not Apple silicon)")


def _torch_gate(c: Ctx) -> Outcome | None:
    """The skip for a torch.*/mps.* rule when torch was not probed or did not import."""
    if not c.facts.torch_probed:
        return c.unknown_skip("PyTorch facts")
    if c.facts.torch_version is None:
        return skipped("needs torch.installed")
    return None


# --- host rules -------------------------------------------------------------------------------


def check_os(c: Ctx) -> Outcome:
    f = c.facts
    if f.os is None:
        return c.unknown_skip("operating system")
    if is_macos(f):
        return passed("macOS", os=f.os)
    if c.expect_mps:
        cause, fix = msg.not_macos(f.os)
        return failed(cause, fix, os=f.os)
    return passed(f"{f.os} (MPS not applicable; CUDA or the CPU is verified)", os=f.os)


def check_arch(c: Ctx) -> Outcome:
    f = c.facts
    if f.machine is None:
        return c.unknown_skip("interpreter architecture")
    if not is_macos(f):
        return passed(f"{f.machine} interpreter", machine=f.machine)
    rosetta = under_rosetta(f)
    if rosetta:
        cause = msg.rosetta(f.machine, f.chip)
        if c.expect_mps:
            return failed(cause, msg.ROSETTA_FIX, machine=f.machine, translated=True)
        return warned(cause, msg.ROSETTA_FIX, machine=f.machine, translated=True)
    if f.machine == "arm64":
        return passed("native arm64 (Apple silicon)", machine=f.machine, chip=f.chip)
    if apple_silicon(f) is False:
        if f.mps_available:
            # an Intel Mac where torch found a device: a discrete AMD GPU (pytorch#141864)
            cause, fix = msg.intel_mac_amd_gpu(f.torch_version)
            return warned(cause, fix, machine=f.machine, mps_available=True)
        if c.expect_mps:
            return failed(msg.INTEL_MAC_CAUSE, msg.INTEL_MAC_FIX, machine=f.machine)
        return passed(f"{f.machine} (Intel Mac: MPS not applicable)", machine=f.machine)
    return c.unknown_skip(f"whether this {f.machine} Python runs under Rosetta")


def check_macos(c: Ctx) -> Outcome:
    f = c.facts
    if f.os is None:
        return c.unknown_skip("macOS version")  # unknown OS: unknown, not "not applicable"
    if not is_macos(f):
        return skipped(f"not applicable: not macOS (this is {f.os})")
    if f.macos_version == COMPAT_VERSION:
        cause, fix = msg.macos_compat_shim()
        return warned(cause, fix, macos=f.macos_version)
    version = compat.parse_version(f.macos_version)
    if version is None:
        return c.unknown_skip("macOS version")
    data = {"macos": f.macos_version}
    if version < compat.MPS_MIN_MACOS:
        if not c.expect_mps:
            return passed(f"macOS {f.macos_version} (too old for MPS; not expected here)", **data)
        cause, fix = msg.macos_too_old_for_mps(f.macos_version, compat.macos_floors())
        return failed(cause, fix, mps_floor=str(compat.MPS_MIN_MACOS), **data)
    first_unsupported = compat.newest_torch_for_macos(version)
    if first_unsupported is not None and c.expect_mps:
        floor = compat.mps_min_macos(first_unsupported)
        cause, fix = msg.macos_limits_torch(f.macos_version, str(first_unsupported), str(floor))
        return warned(cause, fix, first_torch_without_mps=str(first_unsupported), **data)
    bf16 = version >= compat.MPS_BFLOAT16_MIN_MACOS
    return passed(f"macOS {f.macos_version}", mps_bfloat16=bf16, **data)


def check_python(c: Ctx) -> Outcome:
    f = c.facts
    if f.python_version is None:
        return c.unknown_skip("Python version")
    platform = "macos" if is_macos(f) else "linux"  # which wheels this host installs
    latest = compat.latest_release()
    rng = compat.python_range(latest, platform=platform)
    rng_text = f"{rng[0]}-{rng[1]}" if rng else "unknown"
    data = {"python": f.python_version, "latest_torch": str(latest)}
    torch_works = f.torch_version is not None
    newest = compat.newest_release_for_python(f.python_version, platform=platform)
    if newest is None and not torch_works:
        cause, fix = msg.python_unsupported_by_any_torch(f.python_version, rng_text)
        return failed(cause, fix, **data)
    if compat.supports_python(latest, f.python_version, platform=platform) is False:
        cause, fix = msg.python_limits_torch(f.python_version, str(latest), rng_text)
        return warned(cause, fix, **data)
    return passed(f"Python {f.python_version} ({f.python_implementation or 'unknown'})", **data)


# --- torch rules ------------------------------------------------------------------------------


def check_torch_installed(c: Ctx) -> Outcome:
    f = c.facts
    if not f.torch_probed:
        return c.unknown_skip("PyTorch facts")
    if f.torch_version is None:
        cause, fix = msg.torch_import_failed(f.torch_import_error or "unknown error")
        return failed(cause, fix, error=f.torch_import_error)
    where = f" from {f.torch_source}" if f.torch_source else ""
    return passed(f"torch {f.torch_version}{where}", version=f.torch_version)


def check_torch_version(c: Ctx) -> Outcome:
    f = c.facts
    gate = _torch_gate(c)
    if gate is not None:
        return gate
    tv = f.torch_version or ""
    data = {"version": tv}
    release = compat.release_of(tv)
    if release is None:
        return c.unknown_skip(f"release of torch {tv!r}")
    if c.expect_mps and release < compat.MPS_FIRST_RELEASE:
        cause, fix = msg.torch_older_than_mps(tv)
        return failed(cause, fix, **data)
    if c.expect_mps and under_rosetta(f) and release <= compat.LAST_MACOS_X86_64_WHEEL:
        return failed(msg.rosetta_stuck_torch(tv), msg.ROSETTA_FIX, **data)
    floor = compat.mps_min_macos(release)
    macos = compat.parse_version(f.macos_version)
    if c.expect_mps and floor is not None and macos is not None and macos < floor:
        if macos >= compat.MPS_MIN_MACOS:
            first = compat.newest_torch_for_macos(macos)
            cause, fix = msg.torch_needs_newer_macos(
                tv, str(floor), str(f.macos_version), str(first), conda=f.conda_prefix is not None
            )
            return failed(cause, fix, mps_min_macos=str(floor), **data)
    declared = compat.mps_declared_macos(release)
    between = floor is not None and declared is not None and macos is not None
    if c.expect_mps and between and floor <= macos < declared:
        # e.g. torch 2.15 on macOS 14.x: installs and runs, outside the declared support
        first = compat.first_torch_not_declaring(macos)
        cause, fix = msg.torch_declares_newer_macos(
            tv, str(declared), str(f.macos_version), str(first)
        )
        return warned(cause, fix, mps_declared_macos=str(declared), **data)
    if f.conda_prefix and f.torch_source == "pypi":
        return warned(msg.PIP_TORCH_IN_CONDA_CAUSE, msg.PIP_TORCH_IN_CONDA_FIX, **data)
    if f.torch_source == "pytorch":
        return warned(msg.PYTORCH_CHANNEL_CAUSE, msg.PYTORCH_CHANNEL_FIX, **data)
    detail = f"torch {tv}"
    if floor is not None and is_macos(f):
        detail += f" (MPS needs macOS {floor}+)"
    return passed(detail, mps_min_macos=str(floor) if floor else None, **data)


# --- MPS rules --------------------------------------------------------------------------------


def _mps_gate(c: Ctx) -> Outcome | None:
    """MPS rows are not applicable where MPS is not expected, and wait for torch where it is."""
    if not c.expect_mps:
        return _not_applicable(c.facts)
    return _torch_gate(c)


def check_mps_built(c: Ctx) -> Outcome:
    f = c.facts
    gate = _mps_gate(c)
    if gate is not None:
        return gate
    if f.mps_built is None:
        return c.unknown_skip("torch.backends.mps.is_built()")
    if f.mps_built:
        return passed("torch.backends.mps.is_built() is True")
    cause, fix = msg.mps_not_built(f.torch_version or "?", rosetta_process=bool(under_rosetta(f)))
    return failed(cause, fix)


def check_mps_available(c: Ctx) -> Outcome:
    f = c.facts
    gate = _mps_gate(c)
    if gate is not None:
        return gate
    if f.mps_built is False:
        return skipped("needs mps.built")
    if f.mps_available is None:
        return c.unknown_skip("torch.backends.mps.is_available()")
    if f.mps_available:
        if in_vm(f):
            cause, fix = msg.mps_available_in_vm()
            return warned(cause, fix, virtual_machine=True)
        return passed("torch.backends.mps.is_available() is True", gpu=f.gpu_name or f.chip)
    return _why_unavailable(c)


def _why_unavailable(c: Ctx) -> Outcome:
    """MPS built but not available: the most specific cause the facts support."""
    f = c.facts
    reason = _reason_suffix(f)
    macos = compat.parse_version(f.macos_version)
    release = compat.release_of(f.torch_version)
    floor = compat.mps_min_macos(release) if release is not None else None
    if macos is not None and macos < compat.MPS_MIN_MACOS:
        cause, fix = msg.macos_too_old_for_mps(str(f.macos_version), compat.macos_floors())
        return failed(cause, fix)
    if macos is not None and floor is not None and macos < floor:
        first = compat.newest_torch_for_macos(macos)
        cause, fix = msg.torch_needs_newer_macos(
            f.torch_version or "?",
            str(floor),
            str(f.macos_version),
            str(first),
            conda=f.conda_prefix is not None,
        )
        return failed(cause, fix)
    if in_vm(f):
        cause, fix = msg.mps_unavailable_vm(reason)
        return failed(cause, fix, virtual_machine=True)
    if under_rosetta(f):
        return failed(msg.rosetta(f.machine or "x86_64", f.chip), msg.ROSETTA_FIX)
    if f.macos_version == COMPAT_VERSION or macos is None:
        return c.unknown_skip("macOS version, needed to tell why MPS is unavailable")
    cause, fix = msg.mps_unavailable_no_device(reason)
    return failed(cause, fix)


# --- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    func: Callable[[Ctx], Outcome]
    required_when_mps: bool  # required only when MPS is expected
    always_required: bool = False


RULES: tuple[Rule, ...] = (
    Rule("host.os", "Operating system", check_os, True),
    Rule("host.arch", "Native arm64 Python (not Rosetta)", check_arch, True),
    Rule("host.macos", "macOS version supports MPS", check_macos, True),
    Rule("host.python", "Python version supported by PyTorch", check_python, False, True),
    Rule("torch.installed", "PyTorch imports", check_torch_installed, True, True),
    Rule("torch.version", "PyTorch release suits this host", check_torch_version, True),
    Rule("mps.built", "PyTorch built with MPS", check_mps_built, True),
    Rule("mps.available", "MPS device available", check_mps_available, True),
)


def evaluate(
    facts: Facts,
    *,
    expect_mps: bool | None = None,
    unknown_reason: str = DEFAULT_UNKNOWN,
) -> list[Result]:
    """Every host rule against `facts`, in the contract's id order. Never raises for any Facts."""
    expect = default_expect_mps(facts) if expect_mps is None else expect_mps
    ctx = Ctx(facts, expect, unknown_reason)
    return [
        Result.from_outcome(
            rule.id,
            rule.title,
            rule.func(ctx),
            required=rule.always_required or (rule.required_when_mps and expect),
        )
        for rule in RULES
    ]
