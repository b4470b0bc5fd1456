"""The row for a compiled extension's operator that refused an MPS tensor
(verify.diagnosis.paste.extops): `error.mps.op_not_implemented`, a warning quoting the assert,
with the cause that torch's fallback cannot help. Pure: Pasted in, rows out; texts in
verify.diagnosis.extop_messages."""

from __future__ import annotations

from verify.diagnosis import extop_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste.clues import quote
from verify.model import Result, warned

ROW_ID = "error.mps.op_not_implemented"


def rows(pasted: Pasted) -> list[Result]:
    clues = pasted.signs.get("sign.ext_op_no_mps") or []
    if not clues or any(e.id == "mps.op_not_implemented" for e in pasted.errors):
        return []  # torch's own refusal says it already
    operator, wants, said = clues[0].value
    cause, fix = msg.ext_op_without_mps(str(operator), str(wants))
    # said: read from the extension's own message, not a torch message verify.known_errors knows
    outcome = warned(cause, fix, detail=str(said), message=str(said), environment=False, said=True)
    title = "Pasted error: extension operator without MPS"
    row = Result.from_outcome(ROW_ID, title, outcome, required=False)
    lines = [clues[0].line, *pasted.evidence.get("torch_version", [])[:1]]
    return [row.with_evidence(quote(x) for x in lines if x)]
