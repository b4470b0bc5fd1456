"""Torch too old, macOS too old, or no MPS kernel at all: what a pasted MPS op / dtype message means
once the torch and macOS versions are taken into account (issue 12).

The facts, each read from torch's own wheels (tests/data/torch_wheels/, verify/data/):
- which torch releases register an MPS kernel for an ATen operator: verify/data/mps_kernels.json,
  read by scripts/recipes/wheel_kernels.py from the RegisterMPS wrappers in libtorch_cpu.dylib of
  19 macOS arm64 PyPI wheels, 1.11.0-2.15.0 (sha256 checked against PyPI);
- which torch releases print a message at all: the `Printed` ranges of verify.known_errors (a
  message text that only some releases carry tells the torch range when the paste does not);
- bfloat16 on MPS needs torch 2.3 and macOS 14: the 2.3.0 wheel is the first that carries
  "MPS BFloat16 is only supported on MacOS 14 or newer" (EmptyTensor.cpp), 2.1.0-2.2.2 refuse it
  everywhere ("BFloat16 is not supported on MPS"), 2.0.1 too ("Trying to convert BFloat16 to the MPS
  backend but it does not have support for that dtype"); "[MPS] Enable `bfloat16` support on MacOS
  14", pytorch/pytorch#119641;
- operators whose MPS kernel needs a newer macOS than its torch's MPS floor, by their own
  messages (OP_MACOS): the FFT operators (first in the 2.3.0 wheel) "FFT operations are only
  supported on MacOS 14+" (operations/FastFourierTransform.mm, wheels 2.3.0-2.8.0; from 2.9 MPS
  itself needs macOS 14), linalg_matrix_exp (first in 2.14.0) "linalg.matrix_exp on MPS requires
  macOS 15.0 or newer" (operations/LinearAlgebra.mm, wheels 2.14.0-2.15.0).

`judge(known, facts)` is pure: a KnownError and the pasted Facts in, a `Judgement` (or None) out.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from verify import compat
from verify.facts import Facts
from verify.known_errors import BY_ID, KnownError
from verify.rules import apple_silicon

KERNELS_RESOURCE = "mps_kernels.json"
CONV_CHANNELS = "Conv65536"
# the 2.6+ wording of the same refusal (no advice after it): below macOS 15.1 only
_CONV_CHANNELS_SHORT = re.compile(r"Output channels > 65536 not supported at the MPS device")
BFLOAT16_TORCH = Version("2.3")
BFLOAT16_MACOS = Version("14.0")
OP_MACOS: tuple[tuple[re.Pattern[str], Version], ...] = (
    (re.compile(r"^aten::_fft_(?:r2c|c2r|c2c)\b"), Version("14.0")),
    (re.compile(r"^aten::linalg_matrix_exp\b"), Version("15.0")),
)
# the op of MPSFallback.mm's refusal, or of the dispatcher's for a dense MPS tensor (a sparse one's
# "'SparseMPS' backend" is about sparse tensors on MPS, which the kernel table does not cover)
_OP = re.compile(
    r"The operator '(aten::[\w.]+)'|Could not run '(aten::[\w.]+)' with arguments from the 'MPS'|"
    r"^[ \t>]*['\u2018\"`](aten::[\w.]+)['\u2019\"`] is only available for these backends",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Feature:
    """A dtype or operation that a torch release brought to MPS, on a macOS floor."""

    subject: str
    refusal: re.Pattern[str]  # the message of the torch releases before it
    first_torch: Version | None  # None: no release read has it
    macos: Version | None


# Refusals that a later torch lifted, each read from the wheels' strings:
# - bfloat16 (any of its refusals): torch 2.3 on macOS 14 (see above);
# - complex numbers: "Complex types are unsupported on MPS" (OperationUtils.mm) in the 2.1.0-2.2.2
#   wheels; the 2.3.0 wheel is the first with "MPS complex types are only supported on MacOS 14.0
#   or newer.";
# - Conv3D: "Conv3D is not supported on MPS" (operations/Convolution.mm) in the 1.13.1-2.2.2
#   wheels; the 2.3.0 wheel is the first with "Conv3D is only supported on MPS for MacOS_13_2 or
#   newer" (pytorch/pytorch#114183: "Conv3d was added by ... please try latest nightly", malfet
#   in pytorch/pytorch#117027).
FEATURES: tuple[Feature, ...] = (
    Feature("bfloat16", re.compile(r"bfloat16", re.IGNORECASE), BFLOAT16_TORCH, BFLOAT16_MACOS),
    Feature(
        "complex",
        re.compile(r"Complex types are unsupported on MPS"),
        Version("2.3"),
        Version("14.0"),
    ),
    Feature(
        "Conv3D", re.compile(r"Conv3D is not supported on MPS"), Version("2.3"), Version("13.2")
    ),
    # int64 in the unary operations: "Operation 'abs_out_mps()' does not support input type
    # 'int64' in MPS backend." (operations/UnaryOps.mm) is in the 1.13.1 wheel, in none from
    # 2.0.1 on; "Support for int64 in abs is nowadays available" (jhavukainen closing
    # pytorch/pytorch#91363); reports: pytorch/pytorch#80784, declare-lab/tango#12 (the nightly
    # fixed it)
    Feature(
        "int64",
        re.compile(r"does(?:n)? not support input type 'int64' in MPS backend"),
        Version("2.0"),
        compat.mps_min_macos(Version("2.0")),
    ),
    # "ConvTranspose 3D is not supported on MPS" (operations/Convolution.mm) in the 2.0.1-2.7.1
    # wheels; from 2.8.0 only "ConvTranspose 3D with BF16 or FP16 types is not supported on MPS"
    # (still in 2.15.0): float32 ConvTranspose3d runs on MPS from 2.8, on 2.8's macOS floor
    Feature(
        "ConvTranspose3D",
        re.compile(r"ConvTranspose 3D is not supported on MPS"),
        Version("2.8"),
        compat.mps_min_macos(Version("2.8")),
    ),
    # a convolution with an output dimension above 2**16 (operations/Convolution.mm): torch 2.5
    # refuses it on every macOS with "Output channels > 65536 not supported at the MPS device. As
    # a temporary fix, you can set ... PYTORCH_ENABLE_MPS_FALLBACK=1 ..." (pytorch/pytorch#129484,
    # merged 2024-06-28, after the silent wrong results of #129207; the advice does not work
    # there: #134416); 2.6 drops the advice (#134770) and refuses it only below macOS 15.1
    # (#140726: "The guard for macOS versions < 15.1 is still present"). The message itself is in
    # every wheel from 2.5.1 to 2.15.0 (tests/data/torch_wheels)
    Feature(
        CONV_CHANNELS,
        re.compile(r"Output channels > 65536 not supported at the MPS device\.?\s*As a temporary"),
        Version("2.6"),
        Version("15.1"),
    ),
    # clamp / clip with tensor bounds of another shape: torch 1.12's MPS kernel
    # (operations/TensorCompare.mm) refuses them ("min and input tensors must be of the same
    # shape", in the 1.12.0 and 1.12.1 wheels, in none from 1.13.1); 1.13 broadcasts them
    # (mcmonkeyprojects/sd-dynamic-thresholding#15: fixed by torch 1.13.1)
    Feature(
        "clamp with broadcast bounds",
        re.compile(r"\b(?:min|max) and input tensors must be of the same shape"),
        Version("1.13"),
        compat.mps_min_macos(Version("1.13")),
    ),
    Feature(
        "ConvTranspose3D in float16/bfloat16",
        re.compile(r"ConvTranspose 3D with BF16 or FP16 types is not supported on MPS"),
        None,
        None,
    ),
)
_FEATURE = {f.subject: f for f in FEATURES}
# operators with no MPS kernel of their own that torch reaches only where a feature is missing:
# before 2.3 every 3-D convolution on MPS went to slow_conv3d_forward (pytorch/pytorch#117027,
# torch 2.1.1); from 2.3 Conv3D has its MPS kernel, and slow_conv3d_forward is left for the rare
# cases that still reach it (pytorch/pytorch#117949, a 2.3 nightly)
OP_FEATURE = {"aten::slow_conv3d_forward": "Conv3D"}
# a paste that talks about bfloat16 (a dtype, a precision flag) without torch's refusal in it
_BFLOAT16_WORD = re.compile(r"\b(?:bfloat16|bf16)\b", re.IGNORECASE)

Kind = Literal["torch-too-old", "macos-too-old", "no-kernel"]


@dataclass(frozen=True)
class KernelTable:
    """operator -> runs of releases [first, last] (last None: still in the newest read)."""

    releases: tuple[Version, ...]
    operators: dict[str, tuple[tuple[Version, Version | None], ...]]

    @property
    def newest(self) -> Version | None:
        return self.releases[-1] if self.releases else None

    def first_release(self, op: str) -> Version | None:
        """The first release read whose wheel has an MPS kernel for `op`; None if none has."""
        runs = self.operators.get(op)
        return runs[0][0] if runs else None

    def has_kernel(self, op: str, torch_version: str | Version | None) -> bool | None:
        """Does this torch's MPS backend register `op`? None when it cannot be told (an unknown
        version, or one outside the releases read)."""
        v = compat.release_of(torch_version)
        if v is None or not self.releases or v > self.releases[-1]:
            return None
        runs = self.operators.get(op, ())
        return any(first <= v and (last is None or v <= last) for first, last in runs)


@functools.cache
def kernels() -> KernelTable:
    """The packaged table (an empty one when it cannot be read)."""
    try:
        text = resources.files("verify").joinpath("data", KERNELS_RESOURCE).read_text("utf-8")
        data = json.loads(text)
        releases = tuple(Version(w["release"]) for w in data["wheels"])
        operators = {
            op: tuple((Version(a), Version(b) if b else None) for a, b in runs)
            for op, runs in data["operators"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return KernelTable((), {})
    return KernelTable(releases, operators)


def operator_of(message: str) -> str | None:
    """'aten::isin.Tensor_Tensor_out' from "The operator 'aten::isin...' is not ..."."""
    m = _OP.search(message)
    return (m.group(1) or m.group(2) or m.group(3)) if m else None


def implied_torch(known: KnownError) -> SpecifierSet | None:
    """The torch releases whose wheels carry the pasted message's text (known_errors' Printed
    ranges), or None when the pattern records none that the text matches."""
    pattern = BY_ID.get(known.id)
    if pattern is None:
        return None
    spec: SpecifierSet | None = None
    for printed in pattern.printed:
        if printed.needle.strip() and printed.needle.strip() in known.match:
            try:
                one = SpecifierSet(printed.torch)
            except InvalidSpecifier:
                continue
            spec = one if spec is None else spec & one
    return spec


@dataclass(frozen=True)
class Judgement:
    kind: Kind
    subject: str  # "aten::isin.Tensor_Tensor_out", "bfloat16"
    torch_shown: str  # "2.1.2", or what the message implies: "before 2.4", "2.1-2.2"
    first_torch: str | None = None  # the first release that has it
    macos: str | None = None  # the pasted macOS
    needs_macos: str | None = None  # the macOS it needs (with the first torch that has it)
    newest_read: str | None = None  # the newest release read (for "no release has it")
    mismatch: bool = False  # the pasted torch already has it: the message came from another
    certain: bool = False  # "upgrade torch" is sure to be the fix: put it first
    via: str | None = None  # the operator without a kernel that the missing feature led to


def _shown(facts: Facts, spec: SpecifierSet | None, before: Version | None) -> str:
    if facts.torch_version:
        return str(facts.torch_version)
    if before is not None:
        return f"a release before {_minor(before)}"
    return _range_text(spec) if spec is not None else "this torch"


def _range_text(spec: SpecifierSet) -> str:
    low = [s.version for s in spec if s.operator == ">="]
    high = [s.version for s in spec if s.operator == "<"]
    if low and high:
        return f"a release from {low[0]} to before {high[0]}"
    if high:
        return f"a release before {high[0]}"
    return "this torch"


def _minor(v: Version) -> str:
    return f"{v.major}.{v.minor}"


def _macos_floor_of(op: str, first: Version) -> Version | None:
    """The macOS the first torch with `op`'s kernel needs for it on MPS."""
    floor = compat.mps_min_macos(first)
    for pattern, needs in OP_MACOS:
        if pattern.match(op) and (floor is None or floor < needs):
            return needs
    return floor


def judge(known: KnownError, facts: Facts) -> Judgement | None:
    """What a pasted op / dtype message means with the pasted versions; None when it is
    neither an operator without a kernel nor a bfloat16 refusal, or the chip is not Apple's
    (an Intel Mac is capped at torch 2.2.2: that is host.arch's and the bfloat16 row's story)."""
    if known.id in (
        "mps.bfloat16_unsupported",
        "mps.dtype_unsupported",
        "mps.op_needs_newer_torch",
        "mps.op_not_implemented",
    ):
        for feature in FEATURES:
            if feature.refusal.search(known.match):
                return _judge_feature(feature, known, facts)
    if known.id == "mps.op_not_implemented":
        return _judge_op(known, facts)
    if known.id == "mps.op_needs_newer_macos" and _CONV_CHANNELS_SHORT.search(known.match):
        return _judge_conv_channels(facts)
    return None


def conv_channels_feature(message: str) -> Feature | None:
    """The conv feature above 65536 channels, when the message is its short form."""
    return _FEATURE[CONV_CHANNELS] if _CONV_CHANNELS_SHORT.search(message) else None


def _judge_conv_channels(facts: Facts) -> Judgement | None:
    """The conv refusal in its 2.6+ wording (or cut before 2.5's advice): a macOS below 15.1 is
    the reason (known_errors' row says so, None here), unless the paste shows a torch 2.5.x,
    which refuses it on every macOS, or a macOS 15.1+ on which only 2.5 refuses it."""
    feature = _FEATURE[CONV_CHANNELS]
    torch = compat.release_of(facts.torch_version)
    mac = compat.parse_version(facts.macos_version)
    if torch is not None and feature.first_torch is not None:
        if not Version("2.5") <= torch < feature.first_torch:
            return None
    elif mac is None or feature.macos is None or mac < feature.macos or facts.translated:
        return None
    return _judge_feature(feature, None, facts)


def _not_apple(facts: Facts) -> bool:
    """An Intel Mac, or an x86_64 interpreter (Rosetta): torch stops at 2.2.2 there, so "upgrade
    torch" is not the answer (host.arch and the bfloat16 row say what is)."""
    return apple_silicon(facts) is False or facts.machine == "x86_64" or bool(facts.translated)


def _newest() -> str | None:
    newest = kernels().newest
    return str(newest) if newest is not None else None


def _judge_op(known: KnownError, facts: Facts) -> Judgement | None:
    op = operator_of(known.match)
    return judge_operator(op, facts, implied_torch(known)) if op is not None else None


def judge_feature(subject: str, facts: Facts) -> Judgement | None:
    """A feature of FEATURES ("Conv3D") named without torch's refusal (said in words)."""
    feature = _FEATURE.get(subject)
    return _judge_feature(feature, None, facts) if feature is not None else None


def judge_operator(op: str, facts: Facts, spec: SpecifierSet | None = None) -> Judgement | None:
    """An ATen operator ('aten::isin.Tensor_Tensor_out') without an MPS kernel in the torch that
    refused it, judged against the wheels' kernel table and the pasted versions; `spec`: the
    torch releases the refusal's text implies."""
    table = kernels()
    if table.newest is None or _not_apple(facts):
        return None
    first = table.first_release(op)
    macos = str(facts.macos_version) if facts.macos_version else None
    routed = _FEATURE.get(OP_FEATURE.get(op, ""))
    torch = compat.release_of(facts.torch_version)
    if first is None and routed is not None and torch is not None and torch < routed.first_torch:
        j = _judge_feature(routed, None, facts)
        # the stated torch predates the feature: the upgrade is the fix, whatever the chip says
        return dataclasses.replace(j, certain=True, via=op) if j is not None else None
    if first is None:
        return Judgement(
            "no-kernel", op, _shown(facts, spec, None), macos=macos, newest_read=str(table.newest)
        )
    has = table.has_kernel(op, facts.torch_version)
    if has is None and torch is not None and torch >= first:
        has = True  # newer than the releases read: kernels, once registered, stay
    if has and _early_build_of(facts.torch_version, first):
        has = False  # a nightly of the line the kernel came with, built before it landed
    needs = _macos_floor_of(op, first)
    shown = _shown(facts, spec, first)
    known_torch = torch is not None
    floor = str(needs) if needs else None
    mac = compat.parse_version(macos)
    if not has and mac is not None and needs is not None and mac < needs:
        return Judgement(
            "macos-too-old", op, shown, _minor(first), macos, floor, None, False, known_torch
        )
    return Judgement(
        "torch-too-old", op, shown, _minor(first), macos, floor, None, bool(has), known_torch
    )


def _early_build_of(torch_version: str | None, first: Version) -> bool:
    """A nightly or pre-release (2.1.0.dev20230512, 2.3.0a0+git...) of the minor line whose
    first release brought a kernel or feature: judged as that release it would have it, but a
    build of the line from before the change landed lacks it, and the refusal it printed says
    it did (the fix is the release itself, not another environment)."""
    v = compat.parse_version(torch_version)
    if v is None or not (v.is_devrelease or v.is_prerelease):
        return False
    return (v.major, v.minor) == (first.major, first.minor)


def _judge_feature(feature: Feature, known: KnownError | None, facts: Facts) -> Judgement | None:
    if _not_apple(facts):
        return None
    subject = feature.subject
    spec = implied_torch(known) if known is not None else None
    if (
        spec is not None
        and feature.first_torch is not None
        and not any(s.operator == "<" for s in spec)
    ):
        # the refusal itself proves a torch before the feature's release
        spec = spec & SpecifierSet(f"<{_minor(feature.first_torch)}")
    macos = str(facts.macos_version) if facts.macos_version else None
    shown = _shown(facts, spec, None)
    if feature.first_torch is None or feature.macos is None:
        return Judgement("no-kernel", subject, shown, macos=macos, newest_read=_newest())
    first, needs = _minor(feature.first_torch), str(feature.macos)
    torch = compat.release_of(facts.torch_version)
    mismatch = torch is not None and torch >= feature.first_torch
    if mismatch and _early_build_of(facts.torch_version, feature.first_torch):
        mismatch = False  # a nightly of the feature's own line, from before it landed
    mac = compat.parse_version(macos)
    known_torch = torch is not None
    if mac is not None and mac < feature.macos:
        return Judgement(
            "macos-too-old", subject, shown, first, macos, needs, None, False, known_torch
        )
    # the refusal itself proves this torch predates the feature, whatever version the paste
    # shows (a newer one ran somewhere else); "upgrade torch" is the fix for sure only on Apple
    # silicon: an Intel Mac prints the same message and stops at 2.2.2
    # (a torch newer than 2.2.2, the last x86_64 release, is an arm64 build: a Mac of Apple's)
    certain = (
        apple_silicon(facts) is True
        or (torch is not None and torch > compat.LAST_MACOS_X86_64_WHEEL)
        # a feature that came with a release an Intel Mac also gets (2.0's int64): any Mac
        or feature.first_torch <= compat.LAST_MACOS_X86_64_WHEEL
    )
    return Judgement("torch-too-old", subject, shown, first, macos, needs, None, mismatch, certain)


def bfloat16_wish(text: str, facts: Facts) -> tuple[Judgement, str] | None:
    """A paste about bfloat16 (no refusal message in it) from a torch that predates bfloat16 on
    MPS, on an Apple silicon Mac whose macOS already has it (pytorch/pytorch#104191 is the kind:
    torch 2.0.1 on macOS 14.0 asking for bf16): torch too old, and the line that says so."""
    torch = compat.release_of(facts.torch_version)
    mac = compat.parse_version(facts.macos_version)
    if torch is None or torch >= BFLOAT16_TORCH or mac is None or mac < BFLOAT16_MACOS:
        return None
    if apple_silicon(facts) is not True or _not_apple(facts):
        return None
    m = _BFLOAT16_WORD.search(text)
    if m is None:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    line = text[start : end if end >= 0 else len(text)].strip()
    j = Judgement(
        "torch-too-old",
        "bfloat16",
        str(facts.torch_version),
        _minor(BFLOAT16_TORCH),
        str(facts.macos_version),
        str(BFLOAT16_MACOS),
        None,
        False,
        True,
    )
    return j, line
