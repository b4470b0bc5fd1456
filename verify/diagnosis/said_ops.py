"""An operator said in words to be unsupported on MPS, mapped to the wheels' kernel table (issue
12): which torch release brought its MPS kernel, if any.

People name the operator the way they met it, not as the dispatcher does: a module ("Conv3d is not
currently supported on MPS": OpenTalker/SadTalker#526), a private ATen name in a title
("Unsupported Ops in MPS: _upsample_bilinear2d_aa": meta-pytorch/torchtune#1723), a functional
("torch.isin"), or the full "aten::grid_sampler_3d". `operator_named` finds the name in the
sentence and `judge` reads it like torch's own refusal (verify.diagnosis.opsupport): the first
release whose macOS wheel registers an MPS kernel for it (verify/data/mps_kernels.json), against
the pasted torch and macOS. A name the table does not know (a composite operator, an
application's feature) gives None: the words alone then stay the generic row.

Pure: text and Facts in, a Judgement out.
"""

from __future__ import annotations

import re

from verify.diagnosis import opsupport
from verify.facts import Facts

# modules and functionals whose MPS support is a feature of opsupport.FEATURES rather than one
# kernel: nn.Conv3d / F.conv3d run through _mps_convolution once Conv3D came (2.3); before it
# they reached slow_conv3d_forward (pytorch/pytorch#117027)
FEATURE_NAMES = {
    "conv3d": "Conv3D",
    "conv_transpose3d": "ConvTranspose3D",
    "convtranspose3d": "ConvTranspose3D",
}
# functionals whose ATen operator has another name
ALIASES = {
    "grid_sample": "grid_sampler_2d",
    "max_pool3d": "max_pool3d_with_indices",
    "max_pool2d": "max_pool2d_with_indices",
    "adaptive_max_pool2d": "adaptive_max_pool2d",
    "torch.fft.rfft": "_fft_r2c",
    "torch.fft.fft": "_fft_c2c",
}
_CANDIDATE = re.compile(
    r"aten::[\w.]+|(?:torch\.)?(?:nn\.(?:functional\.)?|F\.)?[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*"
)
_PREFIXES = ("aten::", "torch.nn.functional.", "torch.nn.", "nn.functional.", "nn.", "F.", "torch.")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# words of the sentence that are never an operator's name
_WORDS = frozenset(
    "is are not the a an on in for with by mps metal yet currently supported support unsupported "
    "implemented available missing op ops operator operators operation layer kernel function "
    "however but and or it this that device backend apple silicon gpu".split()
)


def _normal(name: str) -> str:
    """'nn.AvgPool3d' -> 'avg_pool3d', 'torch.isin' -> 'isin', '`_upsample_bilinear2d_aa`' ->
    '_upsample_bilinear2d_aa'."""
    name = name.strip("`'\"()").removesuffix("()")
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    if any(c.isupper() for c in name):
        name = _CAMEL.sub("_", name).lower()
    return name.split(".", 1)[0] if "::" not in name else name


def _table_ops(name: str) -> list[str]:
    """The kernel table's operators (with their overloads) that `name` names."""
    table = opsupport.kernels()
    base = ALIASES.get(name, name)
    out = []
    for op in table.operators:
        bare = op.removeprefix("aten::")
        stem = bare.split(".", 1)[0]
        if stem in (base, f"_{base}", f"{base}_with_indices"):
            out.append(op)
    return out


def operator_named(said: str) -> tuple[str, str] | None:
    """("feature", "Conv3D") or ("op", "aten::_upsample_bilinear2d_aa") for the first name in
    `said` the feature list or the kernel table knows; None when none is known."""
    for m in _CANDIDATE.finditer(said):
        raw = m.group(0)
        if raw.lower() in _WORDS or len(raw) < 3:
            continue
        if raw.startswith("aten::") and raw.rstrip(".") in opsupport.kernels().operators:
            return "op", raw.rstrip(".")
        name = _normal(raw)
        if name in FEATURE_NAMES:
            return "feature", FEATURE_NAMES[name]
        if not re.search(r"[_\d]", name) and not raw.startswith(("torch.", "F.", "nn.")):
            continue  # a plain word ("Conv", "upsample") names no one operator
        ops = _table_ops(name)
        if ops:
            table = opsupport.kernels()
            return "op", min(ops, key=lambda o: table.first_release(o) or table.releases[-1])
    return None


# a case of an operator, not the operator: a mode, an argument or a dtype named with it
# ("`grid_sample` with padding_mode="border" is not supported by mps" is MPS's "Unsupported Border
# padding mode" inside a kernel that exists: verify.known_errors' mps.op_case_unsupported)
_CASE = re.compile(
    r"\bwith\b|\bmode\b|=|\bfor[ \t]+(?:dtype|complex|int\w*|float\w*|half|long|bool)\b|"
    r"\b(?:float16|bfloat16|fp16|bf16|int64|complex\w*|backward|gradient)\b",
    re.IGNORECASE,
)


# sparse operators: the kernel table reads the dense MPS registrations only (RegisterMPS), so it
# cannot say which release serves a sparse one (the 'SparseMPS' key: janhq/ichigo#101)
_SPARSE = re.compile(r"sparse|_coo_|\bcsr\b", re.IGNORECASE)


def judge(said: str, facts: Facts) -> opsupport.Judgement | None:
    """What the named operator's MPS support is with the pasted versions, or None (also for a
    case of an operator said unsupported: a mode, argument or dtype named with it)."""
    if _CASE.search(said) or _SPARSE.search(said):
        return None
    found = operator_named(said)
    if found is None:
        return None
    kind, name = found
    if kind == "feature":
        return opsupport.judge_feature(name, facts)
    return opsupport.judge_operator(name, facts)
