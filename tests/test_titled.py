"""verify.diagnosis.titled: the pasted error an issue's title quotes goes first, on real reports
in tests/data (issue 12)."""

from __future__ import annotations

from pathlib import Path

import corpus

from verify.diagnosis import diagnose, titled
from verify.model import Fix, Result, Status

DATA = Path(__file__).parent / "data"
# smthemex/ComfyUI_StoryDiffusion#47: "MAC M1 AssertionError: Torch not compiled with CUDA enabled",
# the node's hard-coded "cuda" (its maintainer), above a traceback that also shows a mismatch
STORY = (
    DATA / "holdout103" / "smthemex-ComfyUI_StoryDiffusion-47-mac-m1-torch-not-compiled-cuda.txt"
)


def test_the_error_the_title_quotes_goes_first():
    text = corpus.load(STORY).text
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "error.mps.cuda_requested" and first.data.get("titled")
    # the body alone (no title): no row is marked, the usual order stands
    body = text.split("\n", 2)[2]
    rows = diagnose.diagnose(body)[1]
    assert not any(r.data.get("titled") for r in rows)
    assert diagnose.first_cause(rows).id != "error.mps.cuda_requested"


def _row(rid: str, line: str) -> Result:
    return Result(rid, rid, Status.WARN, cause="c", fix=Fix("f"), evidence=(line,))


def test_only_a_tie_between_errors_is_broken():
    title = "RuntimeError: Placeholder storage has not been allocated on MPS device!"
    quoted = _row("error.mps.placeholder", title.removeprefix("RuntimeError: "))
    other = _row("error.mps.oom", "MPS backend out of memory (MPS allocated: 1 GB)")
    text = f"{title}\n\nbody\n"
    marked = titled.mark([quoted, other], text)
    assert [bool(r.data.get("titled")) for r in marked] == [True, False]
    # one error alone, or every error quoted: nothing to break
    assert not titled.mark([quoted], text)[0].data.get("titled")
    both = f"{title} after MPS backend out of memory (MPS allocated: 1 GB)\n"
    assert not any(r.data.get("titled") for r in titled.mark([quoted, other], both))
    # a short shared phrase is no quote
    assert not any(
        r.data.get("titled") for r in titled.mark([quoted, other], "fails on MPS device!\n")
    )


def test_a_reply_quoting_the_whole_report_marks_no_title():
    # AdaptiveMotorControlLab/CellSeg3D#74 (holdout29), every line quoted as in a reply ("> "):
    # its first line, "Add experimental MPS support", is the opt-in row's own evidence, not a
    # title quoting it; the operator's missing kernel stays first, as it is unquoted
    path = DATA / "holdout29" / "cellseg3d-74-max-pool3d-upsample-trilinear3d-not-on-mps.txt"
    text = corpus.load(path).text
    quoted = "".join("> " + line for line in text.splitlines(keepends=True))
    for paste in (text, quoted):
        rows = diagnose.diagnose(paste)[1]
        assert not any(r.data.get("titled") for r in rows)
        assert diagnose.first_cause(rows).id == "error.mps.op_needs_newer_torch"
