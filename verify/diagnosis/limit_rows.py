"""Rows for MPS op, dtype and memory limits a paste tells in words (verify.diagnosis.paste.limits),
when no
torch message is pasted: the row that message would have given, as a warning quoting the words.
Pure: Pasted in, rows out; texts in verify.diagnosis.limit_messages."""

from __future__ import annotations

from packaging.version import Version

from verify import compat
from verify.diagnosis import limit_messages as msg
from verify.diagnosis import opsupport_messages as support_msg
from verify.diagnosis import said_ops
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste.clues import quote
from verify.diagnosis.placement import oom_said_on_runner
from verify.model import Fix, Result, warned

COMPLEX_TORCH = Version("2.3")  # verify.diagnosis.opsupport FEATURES: complex on MPS
COMPLEX_MACOS = Version("14.0")  # complex and bfloat16 on MPS: macOS 14


def rows(pasted: Pasted) -> list[Result]:
    """Every limit told in words, each once."""
    return [
        *_macos_fixed(pasted),
        *_memory_past_ram(pasted),
        *_oom_said(pasted),
        *_complex_said(pasted),
        *_fallback_fixed(pasted),
        *_bf16_macos_said(pasted),
        *_op_said_unsupported(pasted),
    ]


def _row(rule_id: str, title: str, cause: str, fix: Fix, *, said: str, lines: list[str]) -> Result:
    outcome = warned(cause, fix, detail=said, message=said, environment=False, said=True)
    row = Result.from_outcome(rule_id, title, outcome, required=False)
    return row.with_evidence(quote(line) for line in lines if line)


def _macos_fixed(pasted: Pasted) -> list[Result]:
    """A macOS update said to fix an MPS op failure (myshell-ai/MeloTTS#312): the op needs a
    newer macOS than the one it failed on."""
    clues = pasted.signs.get("sign.macos_fixed_by") or []
    if not clues:
        return []
    macos = pasted.facts.macos_version
    cause, fix = msg.macos_fixed_op(str(clues[0].value), str(macos) if macos else None)
    lines = [clues[0].line, *pasted.evidence.get("macos_version", [])]
    return [
        _row(
            "error.mps.op_needs_newer_macos",
            "Told: the operation needs a newer macOS",
            cause,
            fix,
            said=str(clues[0].line),
            lines=lines,
        )
    ]


def _memory_past_ram(pasted: Pasted) -> list[Result]:
    """Memory said to grow past the Mac's RAM into swap (index-tts/index-tts#414). A kill for
    memory said in words is verify.diagnosis.paste.said's row already."""
    clues = pasted.signs.get("sign.mps_memory_swap") or []
    if not clues or pasted.has("sign.mps_memory_said"):
        return []
    cause, fix = msg.memory_past_ram()
    lines = [clues[0].line, *pasted.evidence.get("chip", [])]
    return [
        _row(
            "error.mps.oom",
            "Told: memory grows past the RAM on MPS",
            cause,
            fix,
            said=str(clues[0].value),
            lines=lines,
        )
    ]


def _complex_said(pasted: Pasted) -> list[Result]:
    """Complex numbers / torch.fft said unsupported on MPS (pytorch/pytorch#90019), read with
    the pasted torch and macOS: macOS below 14 is the macOS's limit, a torch before 2.3 the
    torch's, otherwise the op's."""
    clues = pasted.signs.get("sign.complex_said") or []
    if not clues:
        return []
    f = pasted.facts
    said = str(clues[0].value)
    lines = [clues[0].line]
    mac = compat.parse_version(f.macos_version)
    native = not (f.translated or f.machine == "x86_64" or f.hardware_arm64 is False)
    below = str(f.macos_version) if native and mac is not None and mac < COMPLEX_MACOS else None
    torch = compat.release_of(f.torch_version)
    if native and torch is not None and torch < COMPLEX_TORCH:
        # the torch predates complex on MPS: the upgrade comes first, whatever the macOS
        cause, fix = msg.complex_said(str(f.torch_version), below)
        lines.extend(pasted.evidence.get("torch_version", []))
        lines.extend(pasted.evidence.get("macos_version", []))
        rule_id, title = "error.mps.dtype_unsupported", "Told: complex numbers need a newer PyTorch"
    elif below is not None:
        cause, fix = msg.complex_needs_macos(below)
        lines.extend(pasted.evidence.get("macos_version", []))
        rule_id, title = "error.mps.op_needs_newer_macos", "Told: complex on MPS needs newer macOS"
    else:
        cause, fix = msg.complex_said(None, None)
        lines.extend(pasted.evidence.get("torch_version", []))
        rule_id, title = "error.mps.dtype_unsupported", "Told: complex not supported on MPS"
    return [_row(rule_id, title, cause, fix, said=said, lines=lines)]


def _oom_said(pasted: Pasted) -> list[Result]:
    """Out of memory on MPS said in words, or the watermark told as the fix; once with the other
    memory rows (verify.diagnosis.paste.said's kill, the growth past the RAM above)."""
    clues = pasted.signs.get("sign.mps_oom_said") or []
    if not clues or pasted.has("sign.mps_memory_said") or pasted.has("sign.mps_memory_swap"):
        return []
    if oom_said_on_runner(pasted):
        return []  # the runner's VM, not the workload (verify.diagnosis.placement's row)
    said = str(clues[0].value)
    cause, fix = msg.oom_said("atermark" in said or "ATERMARK" in said)
    return [
        _row(
            "error.mps.oom",
            "Told: MPS out of memory",
            cause,
            fix,
            said=said,
            lines=[clues[0].line, *pasted.evidence.get("chip", [])],
        )
    ]


def _fallback_fixed(pasted: Pasted) -> list[Result]:
    """PYTORCH_ENABLE_MPS_FALLBACK=1 told as what made it run: an operator without a kernel."""
    clues = pasted.signs.get("sign.fallback_fixed") or []
    if not clues:
        return []
    cause, fix = msg.fallback_fixed()
    return [
        _row(
            "error.mps.op_not_implemented",
            "Told: an operator runs only with the CPU fallback",
            cause,
            fix,
            said=str(clues[0].value),
            lines=[clues[0].line, *pasted.evidence.get("torch_version", [])],
        )
    ]


def _bf16_macos_said(pasted: Pasted) -> list[Result]:
    """bfloat16 said to need macOS 14: the macOS floor of bfloat16 on MPS, unless the paste shows
    a macOS 14 or newer on a native Python (then the words are about another machine)."""
    clues = pasted.signs.get("sign.bf16_macos_said") or []
    if not clues:
        return []
    f = pasted.facts
    mac = compat.parse_version(f.macos_version)
    if mac is not None and mac >= COMPLEX_MACOS and not f.translated:
        return []
    cause, fix = msg.bf16_needs_macos(str(f.macos_version) if mac is not None else None)
    return [
        _row(
            "error.mps.op_needs_newer_macos",
            "Told: bfloat16 on MPS needs macOS 14",
            cause,
            fix,
            said=str(clues[0].value),
            lines=[clues[0].line, *pasted.evidence.get("macos_version", [])],
        )
    ]


def _op_said_unsupported(pasted: Pasted) -> list[Result]:
    """An operator said unsupported on MPS in words ("aten::grid_sampler_3d is not supported on
    MPS yet"); once with verify.diagnosis.paste.prose's "not implemented" reading and the fallback
    told."""
    clues = pasted.signs.get("sign.op_said_unsupported") or []
    if not clues or pasted.has("sign.op_said_missing") or pasted.has("sign.fallback_fixed"):
        return []
    said = str(clues[0].value)
    judged = _said_op_judged(said, clues[0].line, pasted)
    if judged is not None:
        return [judged]
    cause, fix = msg.op_said_unsupported()
    return [
        _row(
            "error.mps.op_not_implemented",
            "Told: an operator is not supported on MPS",
            cause,
            fix,
            said=said,
            lines=[clues[0].line, *pasted.evidence.get("torch_version", [])],
        )
    ]


_SAID_ROWS = {
    "torch-too-old": ("error.mps.op_needs_newer_torch", "Told: the operator needs a newer PyTorch"),
    "macos-too-old": ("error.mps.op_needs_newer_macos", "Told: the operator needs a newer macOS"),
    "no-kernel": ("error.mps.op_not_implemented", "Told: no PyTorch has an MPS kernel for it"),
}


def _said_op_judged(said: str, line: str, pasted: Pasted) -> Result | None:
    """The operator the words name, read against the wheels' kernel table like torch's own
    refusal (verify.diagnosis.said_ops): the release that brought its MPS kernel, the macOS it
    needs there, or none; None when the name is unknown to the table or the pasted torch already
    has the kernel (then the words are about a case of it, the generic row's story)."""
    j = said_ops.judge(said, pasted.facts)
    if j is None or j.mismatch:
        return None
    cause, fix = support_msg.for_judgement(j)
    rule_id, title = _SAID_ROWS[j.kind]
    lines = [line, *pasted.evidence.get("torch_version", [])]
    lines.extend(pasted.evidence.get("macos_version", []))
    return _row(
        rule_id,
        title,
        f"The text says it is not supported on MPS. {cause}",
        fix,
        said=said,
        lines=lines,
    )
