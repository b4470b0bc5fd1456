"""Rows for a cause stated in a sentence (verify.diagnosis.paste.claims' sign.cause_said): a
warning on the check that states that cause, quoting the sentence, added only where no failing
or warning row names the cause already. These rows rank after every other finding
(verify.diagnosis.diagnose.first_cause reads data["claimed"]): a sentence is the weakest
evidence, and what the paste shows comes first. Pure: Pasted and rows in, rows out; texts in
verify.diagnosis.claim_messages."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from verify import compat
from verify.diagnosis import claim_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste import updated
from verify.model import Fix, Result, Status, warned

# the rows that say the torch is older than the code, the op or the fix needs (one of them
# names a newer torch already; verify.diagnosis.x86_ceiling reads them too)
TORCH_TOO_OLD_ROWS = frozenset(
    {
        "torch.version",
        "error.mps.torch_too_old",
        "error.mps.torch_predates_name",
        "error.mps.op_needs_newer_torch",
        "error.mps.checkpoint_needs_newer_torch",
        "error.mps.dist_backend_needs_newer_torch",
        "error.mps.fixed_in_newer_torch",
        "error.mps.amp_needs_newer_torch",
    }
)


@dataclasses.dataclass(frozen=True)
class Topic:
    row_id: str  # the check whose warning states the cause
    title: str
    named_by: frozenset[str]  # rows that, failing or warning, name the cause already
    texts: Callable[[str], tuple[str, Fix]]
    workload: bool = False  # a limit of MPS, not of the environment
    # the sentence outweighs the check passing: a VM guest runs on a Mac, so the paste's Mac
    # (macOS, an M1) passes host.os for the host while the software runs in the guest; a Python
    # passes host.python on today's releases, and "no PyTorch for Python 3.12 yet"
    # (simonw/llm#315) tells what held when the report was written
    over_pass: bool = False
    # the sentence and the paste -> whether the claim still holds against the paste's facts
    holds: Callable[[str, Pasted], bool] = lambda sentence, pasted: True
    # only where no other row fails or warns: a reading too weak to stand beside any finding
    alone: bool = False


def _torch_older_than_said(sentence: str, pasted: Pasted) -> bool:
    """A newer torch said to fix it holds unless the paste's torch is already the release the
    sentence names, or newer (verify.diagnosis.told_rows decides the same for its reading)."""
    if pasted.has("sign.torch_fixed_by"):
        return False  # told_rows compared the release it names with the paste's torch
    said = compat.parse_version(updated.release_said(sentence))
    have = compat.parse_version(pasted.facts.torch_version)
    return said is None or have is None or have < said


_OP_ROWS = frozenset(
    {
        "error.mps.op_not_implemented",
        "error.mps.op_needs_newer_torch",
        "error.mps.dtype_unsupported",
        "error.mps.op_runs_on_cpu",
        "error.mps.op_case_unsupported",
        "error.mps.float64",
        "error.mps.bfloat16_unsupported",
        "error.mps.op_needs_newer_macos",
    }
)
TOPICS: dict[str, Topic] = {
    "float64": Topic(
        "error.mps.float64",
        "Told: float64 is not supported on MPS",
        frozenset({"error.mps.float64"}),
        msg.float64,
        workload=True,
    ),
    "dtypes": Topic(
        "error.mps.dtype_unsupported",
        "Told: a data type MPS does not support",
        _OP_ROWS,
        msg.dtypes,
        workload=True,
    ),
    "ops_missing": Topic(
        "error.mps.op_not_implemented",
        "Told: operators MPS does not implement",
        _OP_ROWS,
        msg.ops_missing,
        workload=True,
    ),
    "no_arm64_build": Topic(
        "torch.installed",
        "Told: no arm64 build of a PyTorch package",
        frozenset({"torch.installed", "host.arch"}),
        msg.no_arm64_build,
        # the package missing is often a companion (torchvision, torch_scatter) of a torch that
        # installed, or torch named only by its version ("missing macos arm wheels for pytorch
        # 2.2": rusty1s/pytorch_scatter#422's title passes torch.installed on "pytorch 2.2")
        over_pass=True,
    ),
    "intel_mac": Topic(
        "host.arch",
        "Told: an Intel Mac",
        frozenset({"host.arch", "error.mps.bfloat16_unsupported"}),
        msg.intel_mac,
    ),
    "x86_64_python": Topic(
        "host.arch",
        "Told: an x86_64 Python (Rosetta)",
        frozenset({"host.arch"}),
        msg.x86_64_python,
    ),
    "vm_guest": Topic(
        "host.os",
        "Told: a Windows / Linux guest in a VM on a Mac",
        frozenset({"host.os"}),
        msg.vm_guest,
        over_pass=True,
    ),
    # a Linux container on a Mac said to get no GPU (verify.diagnosis.paste.claims)
    "container_guest": Topic(
        "host.os",
        "Told: a Linux container on a Mac",
        frozenset({"host.os"}),
        msg.container_guest,
        over_pass=True,
    ),
    # a container named in a text that names a Mac, no limit said (verify.diagnosis.paste
    # .claims' _container_on_mac)
    "container_on_mac": Topic(
        "host.os",
        "Told: a container on a Mac",
        frozenset({"host.os"}),
        msg.container_on_mac,
        over_pass=True,
        alone=True,
    ),
    # torch said to stop at 2.2.2 on the Mac (verify.diagnosis.paste.ceiling): an x86_64
    # interpreter, on an Intel Mac or under Rosetta; a paste showing an arm64 one keeps its row
    "x86_64_ceiling": Topic(
        "host.arch",
        "Told: torch stops at 2.2.2 here (an x86_64 Python)",
        frozenset({"host.arch"}),
        msg.x86_64_ceiling,
    ),
    # a newer torch said to fix it (verify.diagnosis.paste.updated): the paste's torch may pass
    # torch.version's floor, yet the thread found the fix in a later release
    "torch_too_old": Topic(
        "torch.version",
        "Told: a newer PyTorch fixes it",
        TORCH_TOO_OLD_ROWS,
        msg.torch_too_old,
        over_pass=True,
        holds=_torch_older_than_said,
    ),
    "python_no_wheels": Topic(
        "host.python",
        "Told: no PyTorch wheels for this Python",
        frozenset({"host.python"}),
        msg.python_no_wheels,
        over_pass=True,
    ),
    "python_install_fails": Topic(
        "host.python",
        "Told: the install fails with this Python",
        frozenset({"host.python", "torch.installed", "host.arch"}),
        msg.python_install_fails,
        over_pass=True,
    ),
    # any package said to have no build for the Mac (verify.diagnosis.paste.claims'
    # no_mac_build): like cuda_only_package's, often a companion of a torch that installed
    "no_mac_build": Topic(
        "torch.installed",
        "Told: a package with no Mac build",
        frozenset({"torch.installed", "host.arch"}),
        msg.no_mac_build,
        over_pass=True,
    ),
    # the package is a companion of a torch that may have installed (verify.diagnosis.paste
    # .claims' cuda_only_package)
    "cuda_only_package": Topic(
        "torch.installed",
        "Told: a package with no Mac build",
        frozenset({"torch.installed", "host.arch"}),
        msg.cuda_only_package,
        over_pass=True,
    ),
    # a conda environment file exported on Linux, said not to work on a Mac
    # (verify.diagnosis.paste.claims' _linux_conda_env)
    "linux_conda_env": Topic(
        "torch.installed",
        "Told: a Linux conda environment file on a Mac",
        frozenset({"torch.installed", "host.arch"}),
        msg.linux_conda_env,
    ),
    # a CUDA build of torch asked for on a Mac (verify.diagnosis.paste.claims' cuda_torch_build)
    "cuda_torch_build": Topic(
        "torch.installed",
        "Told: a CUDA build of PyTorch on a Mac",
        frozenset({"torch.installed", "host.arch"}),
        msg.cuda_torch_build,
    ),
}


def claimed(row: Result) -> bool:
    """Is the row one of these (a cause stated in a sentence)?"""
    return bool(row.data.get("claimed"))


def rows(results: list[Result], pasted: Pasted) -> list[Result]:
    """`results` with a warning for each stated cause no row names: it takes the place of a
    skipped row of the same check (its facts not in the paste), or is added at the end; a
    check the paste shows passing keeps its row (but see Topic.over_pass)."""
    out = list(results)
    said = pasted.signs.get("sign.cause_said") or []
    # a topic that stands alone is weighed after the others: their rows are findings too
    for c in sorted(said, key=lambda c: TOPICS[c.value].alone if c.value in TOPICS else False):
        topic = TOPICS.get(str(c.value))
        if topic is None:
            continue
        if any(r.id in topic.named_by and r.status in (Status.FAIL, Status.WARN) for r in out):
            continue
        if topic.alone and any(r.status in (Status.FAIL, Status.WARN) for r in out):
            continue
        at = next((i for i, r in enumerate(out) if r.id == topic.row_id), None)
        if at is not None and out[at].status is Status.PASS and not topic.over_pass:
            continue  # the paste shows that check passing: its facts outweigh a sentence
        sentence = c.line
        if not topic.holds(sentence, pasted):
            continue
        cause, fix = topic.texts(sentence)
        outcome = warned(
            cause,
            fix,
            detail=sentence,
            message=sentence,
            said=True,
            claimed=str(c.value),
            **({"environment": False} if topic.workload else {}),
        )
        row = Result.from_outcome(topic.row_id, topic.title, outcome, required=not topic.workload)
        row = dataclasses.replace(row, evidence=(sentence,))
        if at is None:
            out.append(row)
        else:
            out[at] = dataclasses.replace(row, required=out[at].required)
    return out
