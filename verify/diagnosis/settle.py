"""The rows a paste could not settle, and the command whose output settles them (issue 12).

A paste that shows torch work on the MPS device but no fact of the machine
(verify.diagnosis.paste.mpswork:
a script, a training log, an MPS warning) is diagnosed rather than refused: the rules' rows it
cannot settle are skipped "not in the pasted text", and this row says in one line which
command's output would settle them (`python -m torch.utils.collect_env` or
`python -m verify facts`, run on that machine). A `skip` row: it is no finding and changes no
verdict. Pure: a Pasted and the rows in, a Result (or None) out.
"""

from __future__ import annotations

from collections.abc import Sequence

from verify import messages as msg
from verify.diagnosis.envdump import Pasted
from verify.facts import Facts
from verify.model import Result, Status, skipped

ROW_ID = "paste.facts"
TITLE = "Machine facts in the paste"
# the facts of the machine a collect_env shows besides the OS; none of them known: "few facts"
# (the OS alone is what verify.diagnosis.envdump would refuse without torch work on MPS in the
# paste)
MACHINE_FACTS = (
    "chip",
    "hardware_arm64",
    "machine",
    "translated",
    "python_version",
    "torch_version",
)


def few_facts(facts: Facts) -> bool:
    """Does the paste show none of the machine's facts but its OS (a script, a log, words)?"""
    return all(getattr(facts, name) is None for name in MACHINE_FACTS)


def row(pasted: Pasted, results: Sequence[Result]) -> Result | None:
    """The `paste.facts` skip row naming the unsettled rows and the command that settles them,
    for a free-form paste without machine facts; None otherwise."""
    if pasted.kind != "freeform" or not few_facts(pasted.facts):
        return None
    unsettled = [r.id for r in results if r.status is Status.SKIP and r.data.get("unknown")]
    if not unsettled:
        return None
    return Result.from_outcome(
        ROW_ID, TITLE, skipped(msg.pasted_machine_not_shown(unsettled)), required=False
    )
