"""The collect_env corpus (tests/data/collect_env/*.txt): real environments people posted.

Each file starts with a header of "# key: value" lines, then the pasted text verbatim:
  # source: URL               where it was posted
  # cause: ...                what the thread itself established
  # kind: freeform            what kind of text it is (default: collect_env); envdump.parse
                              must read collect_env / report / facts as such, anything else
                              (freeform, errors-only, a tool's dump) as "freeform"
  # label: rosetta            the cause category the thread established (LABELS)
  # title: ...                the thread's title, verbatim, where the body alone does not say
                              what it does (it is diagnosed as "title, blank line, body", as a
                              helper would paste the whole issue)
  # facts: field=value ...    Facts fields envdump.parse must yield (None = must stay unknown)
  # expect: check-id=status   results diagnose.diagnose must give ("exit=2": it must refuse
                              the paste as holding no facts, naming the command to run)

Every file's label must come out as the diagnosis's first cause (diagnose.first_cause, what
"Fix first" names): LABELS maps each label to the check ids that state it. A healthy
environment (and one whose thread is about wrong results, which no paste can show) must have no
failing row at all.
"""

from __future__ import annotations

import functools
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verify.diagnosis import diagnose, envdump
from verify.errors import InputError
from verify.model import Result

CORPUS_DIR = Path(__file__).parent / "data" / "collect_env"
PARSED_KINDS = ("collect_env", "report", "facts")

# label -> the check ids whose failure (or warning, for workload errors) states that cause;
# None: no failing row may appear. "other" is not asserted beyond its own expectations.
NO_FAILURE = None
LABELS: dict[str, frozenset[str] | None] = {
    "healthy": NO_FAILURE,
    "wrong-results": NO_FAILURE,
    "rosetta": frozenset({"host.arch"}),
    # a GPU with memory of its own (an Intel Mac's AMD or external GPU): torch 2.13's allocator
    # refuses it (verify.known_errors' mps.no_unified_memory)
    "intel-mac": frozenset(
        {"host.arch", "error.mps.bfloat16_unsupported", "error.mps.no_unified_memory"}
    ),
    "macos-too-old": frozenset(
        {"host.macos", "torch.version", "mps.available", "error.mps.macos_too_old"}
    ),
    "torch-too-old": frozenset(
        {
            "torch.version",
            "error.mps.torch_too_old",
            "error.mps.torch_predates_name",  # verify.torch_names
            "error.mps.op_needs_newer_torch",
            "error.mps.int64_cast_needs_newer_torch",
            "error.mps.checkpoint_needs_newer_torch",
            "error.mps.dist_backend_needs_newer_torch",
            "error.mps.fixed_in_newer_torch",  # verify.diagnosis.regressions
            # mixed precision asked of a torch older than its MPS support (verify.amp_mps)
            "error.mps.amp_needs_newer_torch",
        }
    ),
    "not-built-with-mps": frozenset({"mps.built", "error.mps.not_built", "error.mps.not_linked"}),
    "no-metal-device": frozenset(
        {
            "mps.available",
            "error.mps.macos_too_old",
            "error.mps.no_gpu_memory",
            "error.mps.no_metal_device",
        }
    ),
    "linux-in-mac": frozenset({"host.os"}),
    "not-a-mac": frozenset({"host.os", "error.mps.not_linked"}),
    "op-not-implemented": frozenset(
        {
            "error.mps.op_not_implemented",
            # the same missing kernel, with the torch release that added it (read from the wheels)
            "error.mps.op_needs_newer_torch",
            "error.mps.dtype_unsupported",
            "error.mps.op_runs_on_cpu",
            "error.mps.app_step_on_cpu",  # the application's own CPU fallback for one step
            # an MPS kernel that refuses a dtype, mode or size (verify.known_errors)
            "error.mps.op_case_unsupported",
            # torch.compile's Inductor generating no MPS code in that torch: the same cause one
            # level up, a feature MPS lacks there (MIC-DKFZ/nnUNet#2244, labelled so by its
            # collector)
            "error.mps.compile_unsupported",
            # float16 and float32 in one MPSGraph op (half precision the kernel did not cast)
            "error.mps.half_mixed_types",
            # fp16 mixed precision refused on MPS by a Hugging Face library (the cause its
            # collectors wrote for hiyouga/LlamaFactory#2434 and #3815, in the row's words)
            "error.mps.hf_mixed_precision",
        }
    ),
    "op-needs-newer-macos": frozenset(
        {"error.mps.op_needs_newer_macos", "error.mps.op_falls_back_on_old_macos"}
    ),
    "float64": frozenset({"error.mps.float64"}),
    "dtype-needs-newer-macos": frozenset(
        {"error.mps.op_needs_newer_macos", "error.mps.bfloat16_unsupported"}
    ),
    "mps-oom": frozenset({"error.mps.oom"}),
    "install-wrong-arch": frozenset({"torch.installed", "host.arch"}),
    "python-unsupported": frozenset({"host.python"}),
    "other": frozenset(),
}


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    cause: str
    kind: str
    text: str
    label: str = ""

    @property
    def diagnosable(self) -> bool:
        """False for a paste with no facts at all ("# expect: exit=2"): diagnose refuses it."""
        return self.expect.get("exit") != "2"

    facts: dict[str, Any] = field(default_factory=dict)
    expect: dict[str, str] = field(default_factory=dict)


def _value(raw: str) -> Any:
    low = raw.lower()
    if low == "none":
        return None
    if low in ("true", "false"):
        return low == "true"
    return raw


def _pairs(raw: str) -> dict[str, Any]:
    out = {}
    for token in shlex.split(raw):
        key, sep, value = token.partition("=")
        if not sep:
            raise ValueError(f"expected key=value, got {token!r}")
        out[key] = _value(value)
    return out


HEADER_KEYS = frozenset({"source", "cause", "label", "kind", "title", "note", "facts", "expect"})


def load(path: Path) -> Case:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header: dict[str, str] = {}
    facts: dict[str, Any] = {}
    expect: dict[str, str] = {}
    n = 0
    for n, line in enumerate(lines):  # noqa: B007 - n is the body's first line afterwards
        key, sep, value = line[1:].strip().partition(":")
        if not (line.startswith("# ") and sep and key in HEADER_KEYS):
            break  # the body, which may start with a Markdown heading ("# OS Info")
        if key in ("facts", "expect"):
            (facts if key == "facts" else expect).update(_pairs(value.strip()))
        elif key in ("source", "cause", "kind", "label", "title"):
            header[key] = value.strip()
    else:
        n = len(lines)
    return Case(
        name=path.stem,
        source=header.get("source", ""),
        cause=header.get("cause", ""),
        kind=header.get("kind", "collect_env"),
        text=(header["title"] + "\n\n" if header.get("title") else "") + "".join(lines[n:]),
        label=header.get("label", ""),
        facts=facts,
        expect={k: str(v) for k, v in expect.items()},
    )


def parsed_kind(case: Case) -> str:
    """The kind envdump.parse must report for the case."""
    return case.kind if case.kind in PARSED_KINDS else "freeform"


def cases() -> list[Case]:
    return [load(p) for p in sorted(CORPUS_DIR.glob("*.txt"))]


def reports() -> Iterator[tuple[str, Case]]:
    """Every labelled real report in tests/data, the development corpus and each held-out set
    alike, as ("folder/stem", case) (tests/data/torch_wheels holds torch's own strings)."""
    for path in sorted(CORPUS_DIR.parent.glob("*/*.txt")):
        case = load(path)
        if case.label:
            yield f"{path.parent.name}/{path.stem}", case


def pasted_reports() -> Iterator[tuple[str, Case, envdump.Pasted]]:
    """reports() as the reader reads them, ("folder/stem", case, pasted), leaving out the
    pastes it refuses as holding no facts at all. Read once a test run: several tests walk
    every report (about 3,000), and only read what the reader made of each."""
    return iter(_pasted_reports())


@functools.cache
def diagnosed(text: str) -> tuple[Result, ...] | None:
    """verify.diagnosis.diagnose's rows for a report's text, None where it refuses the paste.
    Diagnosed once a test run: the held-out scores and the walks over every report (about
    3,000, some 10 ms each) ask for the same texts."""
    try:
        return tuple(diagnose.diagnose(text)[1])
    except InputError:
        return None


@functools.cache
def _pasted_reports() -> tuple[tuple[str, Case, envdump.Pasted], ...]:
    out = []
    for name, case in reports():
        try:
            out.append((name, case, envdump.parse(case.text)))
        except InputError:
            continue
    return tuple(out)
