"""Mixed precision refused on MPS by a framework, read against the pasted torch (issue 12).

accelerate's Accelerator refuses mixed precision on MPS in its own words ("fp16 mixed precision
requires a GPU (not 'mps')." before 1.11.0; "bf16 mixed precision requires PyTorch >= 1.10 and a
supported device." for bf16 on MPS: accelerate/accelerator.py and utils/imports.py
is_bf16_available, read from the accelerate 0.34.2 and 1.10.0 wheels). Its releases since let
MPS through once torch has the parts: fp16 training needs torch's GradScaler to run on MPS, bf16
needs torch's bfloat16 autocast for MPS; the first torch with each is read from the macOS arm64
wheels (verify.amp_mps). Where the paste shows a torch older than that part, the torch is what
a maintainer names first (huggingface/accelerate#3718: fp16 on torch 2.6.0, "It works now with
torch==2.8.0"; huggingface/accelerate#3064: bf16 on torch 2.4, "We're waiting for autocast,
which is still on nightly"): a row saying so goes before the framework's, which stays. A torch as
new as the part leaves the framework's row alone (upgrade accelerate), and so does transformers'
own fp16 refusal (TrainingArguments), which no torch lifts.

Also drops torch's own autocast refusal (verify.known_errors' mps.amp_needs_newer_torch) where
the pasted torch already has the part the message asks for. Pure: rows and Pasted in, rows out;
texts in verify.diagnosis.amp_messages.
"""

from __future__ import annotations

import re

from verify import amp_mps, compat
from verify.diagnosis import amp_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste.clues import MPS_NAMED, quote
from verify.known_errors import KnownError
from verify.model import Result, failed

ROW_ID = "error.mps.amp_needs_newer_torch"
TITLE = "Pasted error: mixed precision on MPS needs a newer PyTorch"
FRAMEWORK_ROW = "error.mps.hf_mixed_precision"
# accelerate's bf16 refusal names no device: read only in a paste that names MPS
BF16_REFUSED = re.compile(r"bf16 mixed precision requires PyTorch >= 1\.10 and a supported device")
# transformers' TrainingArguments' fp16 refusal (verify.known_errors): that transformers refuses
# MPS whatever the torch, so no torch is the cause (hiyouga/LlamaFactory#2329: "remove --fp16")
TORCH_BLIND = "can only be used on CUDA"
# the torch a message says it needs ("... requires a Pytorch >= 2.6.0")
_NEEDS = re.compile(r"requires a Pytorch >= ([\d.]+)")


def still_older(known: KnownError, torch_version: str | None) -> bool:
    """Is torch's autocast refusal (or accelerate's "requires a Pytorch >= N") still the
    torch's age, given the pasted torch? False where that torch already has the part."""
    have = compat.release_of(torch_version)
    if have is None:
        return True
    m = _NEEDS.search(known.match)
    needs = compat.parse_version(m.group(1)) if m else None
    if needs is None and "only supports dtype" in known.match:
        # 2.5's "MPS Autocast only supports dtype of torch.bfloat16 currently": no release with
        # bfloat16 autocast prints it, but that release's own nightlies did, and a paste names
        # them by the release ("pytorch 2.6.0 nightly": pytorch/pytorch#139190)
        needs = compat.parse_version(amp_mps.first_text(amp_mps.BFLOAT16))
        return needs is None or have <= needs
    if needs is None:
        needs = compat.parse_version(amp_mps.first_text(amp_mps.AUTOCAST))
    return needs is None or have < needs


def rows(results: list[Result], pasted: Pasted) -> list[Result]:
    """A failing row naming the torch before the framework's mixed-precision refusal, where the
    paste shows a torch older than the part of MPS mixed precision the refusal is about."""
    if any(r.id == ROW_ID for r in results):
        return results
    framework = next((r for r in results if r.id == FRAMEWORK_ROW), None)
    said = framework.detail if framework is not None else ""
    if framework is None or "fp16" not in said or TORCH_BLIND in said:
        bf16 = BF16_REFUSED.search(pasted.text)
        if bf16 is None or not MPS_NAMED.search(pasted.text):
            return results
        said, part = bf16.group(0), amp_mps.BFLOAT16
    else:
        part = amp_mps.GRAD_SCALER
    shown = pasted.facts.torch_version
    have = compat.release_of(shown)
    needs = compat.parse_version(amp_mps.first_text(part))
    if have is None or needs is None or have >= needs:
        return results
    what = "fp16 training's GradScaler" if part == amp_mps.GRAD_SCALER else "bfloat16 autocast"
    cause, fix = msg.needs_newer_torch(
        str(shown), what, amp_mps.minor(part), amp_mps.first_text(part)
    )
    row = Result.from_outcome(
        ROW_ID,
        TITLE,
        failed(cause, fix, detail=said, message=said, environment=False, said=True),
        required=False,
    )
    lines = [quote(said), *pasted.evidence.get("torch_version", [])[:1]]
    row = row.with_evidence(line for line in lines if line)
    if framework is None:
        return [*results, row]
    at = results.index(framework)
    return [*results[:at], row, *results[at:]]
