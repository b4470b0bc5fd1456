"""Rows for causes a paste tells in words (verify.diagnosis.paste.told): what the torch message
would have
given, had it been pasted. Pure: Pasted and the rule rows in, rows out; texts in
verify.diagnosis.told_messages."""

from __future__ import annotations

import dataclasses

from verify import compat
from verify.diagnosis import told_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste.clues import quote
from verify.model import Result, Status, warned


def torch_fixed_by(results: list[Result], pasted: Pasted) -> list[Result]:
    """A newer PyTorch said to fix it ("updating torch to 2.9.1 fixes this issue":
    invoke-ai/InvokeAI#8835) while the paste shows no torch as new: the torch.version row warns
    that the torch in use is older than that release. A torch the paste shows as new enough, or
    a torch.version row that already fails or warns, is left as it is."""
    have = compat.parse_version(pasted.facts.torch_version)
    # a release said to be required ("requires pytorch>2": wasserth/TotalSegmentator#127) counts
    # only against a torch the paste shows
    clues = pasted.signs.get("sign.torch_fixed_by") or (
        pasted.signs.get("sign.torch_needed_said") or [] if have is not None else []
    )
    wanted = compat.parse_version(str(clues[0].value)) if clues else None
    if wanted is None:
        return results
    if clues[0].field == "sign.torch_fixed_by" and wanted < compat.MPS_FIRST_RELEASE:
        # no MPS fault was fixed before MPS: a release older than 1.12 said to be needed is
        # another backend's ("You need torch>=1.10, using Ampere GPU with cuda>=11.0",
        # transformers' bf16 check in databrickslabs/dolly#11, on V100s)
        return results
    if have is not None and have >= wanted:
        return results
    out = []
    for r in results:
        if r.id == "torch.version" and r.status not in (Status.FAIL, Status.WARN):
            cause, fix = msg.torch_older_than_fix(
                str(clues[0].value),
                pasted.facts.torch_version,
                needed=clues[0].field == "sign.torch_needed_said",
            )
            row = Result.from_outcome(r.id, r.title, warned(cause, fix), required=False)
            lines = [clues[0].line, *pasted.evidence.get("torch_version", [])]
            out.append(row.with_evidence(quote(line) for line in lines if line))
            continue
        out.append(r)
    return out


def app_mps_opt_in(pasted: Pasted) -> list[Result]:
    """An application whose MPS path is said to be experimental (off unless switched on): a
    warning that the device is the application's choice (2noise/ChatTTS#772)."""
    clues = pasted.signs.get("sign.app_mps_opt_in") or []
    if not clues:
        return []
    cause, fix = msg.app_mps_opt_in()
    said = str(clues[0].value)
    outcome = warned(cause, fix, detail=said, message=said, environment=False, said=True)
    row = Result.from_outcome(
        "error.mps.app_mps_opt_in",
        "Told: MPS is opt-in in the application",
        outcome,
        required=False,
    )
    return [dataclasses.replace(row, evidence=(clues[0].line,))]
