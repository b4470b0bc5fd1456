"""verify.diagnosis.diagnose: the corpus of real pasted environments gives the diagnosis each
thread reached.

Each corpus file states its expectations ("# expect: check-id=status"); this asserts them, and
that every finding is actionable (cause and fix), that what the text does not show is a skip
"not in the pasted text", and that the CLI renders it as a schema-1 report with the exit code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import corpus
import jsonschema
import pytest

from verify import cli
from verify.diagnosis import diagnose, envdump
from verify.diagnosis.paste import logprefix
from verify.errors import InputError
from verify.facts import Facts
from verify.known_errors import explain
from verify.model import Fix, Result, Status
from verify.report import Report
from verify.rules import RULES

ALL_CASES = corpus.cases()
CASES = [c for c in ALL_CASES if c.diagnosable]
BY_NAME = {c.name: c for c in ALL_CASES}
RULE_IDS = [r.id for r in RULES]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_diagnosis(case):
    facts, results = diagnose.diagnose(case.text)
    got = {r.id: r.status.value for r in results}
    assert [r.id for r in results][: len(RULE_IDS)] == RULE_IDS  # every rule, contract order
    for check_id, status in case.expect.items():
        assert got.get(check_id) == status, f"{case.name}: {check_id}"
    for r in results:
        if r.status in (Status.FAIL, Status.WARN):
            assert r.cause and r.fix and r.fix.text, f"{case.name}: {r.id}"
    assert facts.source == "pasted"


def test_corpus_pastes_without_facts_are_refused_naming_the_command():
    # every file that expects exit 2, and a real paste of the held-out sets that names neither
    # the machine nor torch on MPS (a healthy thread: docs/diagnose.md, "Pastes with few
    # facts"); each refusal names the command whose output settles it
    held_out = Path(__file__).parent / "data"
    refused = [c for c in ALL_CASES if not c.diagnosable] + [
        corpus.load(next((held_out / "holdout5").glob("fl-heartmula-16-*.txt")))
    ]
    for case in refused:
        with pytest.raises(InputError) as info:
            diagnose.diagnose(case.text)
        assert "python -m torch.utils.collect_env" in info.value.one_line()
        assert corpus.LABELS[case.label] is corpus.NO_FAILURE, case.name  # healthy may say nothing


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_label_is_the_first_cause(case):
    """The cause the thread established is what "Fix first" names; healthy: no failing row."""
    assert case.label in corpus.LABELS, f"{case.name}: unknown label {case.label!r}"
    want = corpus.LABELS[case.label]
    _, results = diagnose.diagnose(case.text)
    failing = [r.id for r in results if r.status is Status.FAIL]
    if want is corpus.NO_FAILURE:
        assert failing == [], f"{case.name}: a false alarm"
        return
    if not want:  # "other": only the file's own expectations
        return
    first = diagnose.first_cause(results)
    assert first is not None and first.id in want, (case.name, first and first.id, failing)
    assert first.evidence, f"{case.name}: {first.id} quotes no pasted line"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_finding_quotes_the_paste(case):
    _, results = diagnose.diagnose(case.text)
    read = envdump.as_read(case.text)
    # as read, or as the readers see it: Markdown taken off a key ("**OS**: macOS" is quoted
    # "OS: macOS", verify.diagnosis.paste.logprefix)
    texts = [" ".join(read.split()), " ".join(logprefix.unprefix(read).split())]
    for r in results:
        if r.status not in (Status.FAIL, Status.WARN):
            continue
        assert r.evidence, f"{case.name}: {r.id} has no evidence"
        for line in r.evidence:
            # quoted verbatim as read (straight quotes), save masked user names and a cut tail;
            # an issue form's heading and its answer are quoted as "heading / answer"
            # (verify.diagnosis.paste.forms): each part is the paste's
            for part in line.split(" / ") if " / " in line else [line]:
                head = part.split("...")[0].strip()[:30]
                assert any(" ".join(head.split()) in text for text in texts), (
                    case.name,
                    r.id,
                    line,
                )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_error_rows_match_the_messages_in_the_text(case):
    _, results = diagnose.diagnose(case.text)
    errors = [r for r in results if r.id.startswith("error.")]
    # one row per message, in order (an out-of-memory may be re-read as the VM signature), plus
    # verify.diagnosis.opsupport's "needs a newer PyTorch" row beside an op / dtype refusal it
    # rests on
    messages = [e.match for e in envdump.parse(case.text).errors]
    own = [r for r in errors if not _derived(r, errors)]
    assert [r.data["message"] for r in own] == messages
    for r in errors:
        assert r.data["message"] in envdump.as_read(case.text)


def _derived(row, errors) -> bool:
    """An op_needs_newer_torch (or its macOS companion's) row that sits beside the row of the
    message it was read from, or
    that reads a bfloat16 wish (no refusal pasted) against the torch version, or a limit told in
    words (verify.diagnosis.paste.said: "MPS does not support float64", a kill for memory)."""
    if row.data.get("said"):
        return True
    if row.data.get("beside"):  # the macOS the upgrade also needs (diagnose._macos_also)
        return True
    if row.id != "error.mps.op_needs_newer_torch":
        return False
    return bool(row.data.get("wish")) or any(
        r is not row and not r.data.get("beside") and r.data["message"] == row.data["message"]
        for r in errors
    )


def test_what_the_text_does_not_show_is_skipped_with_that_reason():
    # collect_env prints no MPS state: is_built() is unknown, never guessed (the report's own
    # REPL lines above its collect_env print is_built(), so only the collect_env part is read)
    text = BY_NAME["pytorch-78343-macos-12.2-below-12.3"].text
    _, results = diagnose.diagnose(text[text.index("### Versions") :])
    rows = {r.id: r for r in results}
    assert rows["mps.built"].status is Status.SKIP
    assert diagnose.NOT_IN_TEXT in rows["mps.built"].detail
    _, results = diagnose.diagnose(BY_NAME["sd-webui-9133-mps-oom-torch-1.12.1"].text)
    skipped = [r for r in results if r.status is Status.SKIP]
    assert skipped and all(diagnose.NOT_IN_TEXT in r.detail or "needs" in r.detail for r in skipped)


def test_rosetta_environment_fails_host_arch_with_the_rosetta_fix():
    _, results = diagnose.diagnose(BY_NAME["pytorch-146236-rosetta-m2-pro"].text)
    arch = next(r for r in results if r.id == "host.arch")
    assert arch.status is Status.FAIL and arch.required
    assert "Rosetta" in arch.cause
    assert arch.fix is not None and arch.fix.commands


def test_feature_gate_under_rosetta_points_at_rosetta():
    # pytorch/pytorch#146236: bfloat16 refused on macOS 15.3 because Python runs under Rosetta
    _, results = diagnose.diagnose(BY_NAME["pytorch-146236-rosetta-m2-pro"].text)
    row = next(r for r in results if r.id == "error.mps.op_needs_newer_macos")
    assert "Rosetta" in row.cause and "15.3" in row.cause
    assert row.detail == "MPS BFloat16 is only supported on MacOS 14 or newer"
    arch = next(r for r in results if r.id == "host.arch")
    assert row.fix == arch.fix


def test_workload_errors_do_not_make_the_environment_not_ready():
    # an out-of-memory on a healthy M-series Mac: the row fails, the environment is still ready
    _, results = diagnose.diagnose(BY_NAME["pytorch-130112-mps-oom-torch-2.3.1"].text)
    oom = next(r for r in results if r.id == "error.mps.oom")
    assert oom.status is Status.FAIL and not oom.required
    assert "PYTORCH_MPS_HIGH_WATERMARK_RATIO" in oom.fix.render()
    assert not any(r.blocks_ready for r in results)


def test_vm_out_of_memory_is_the_environment_and_read_once():
    # actions/runner-images#9918: nothing allocated, 256 bytes refused - a VM, not a workload
    _, results = diagnose.diagnose(BY_NAME["runner-images-9918-vm-no-gpu-memory"].text)
    errors = [r for r in results if r.id.startswith("error.")]
    assert [r.id for r in errors] == ["error.mps.no_gpu_memory"]  # not also error.mps.oom
    assert errors[0].blocks_ready and "virtual machine" in errors[0].cause


def test_no_mps_device_message_is_required_and_blocks_ready():
    _, results = diagnose.diagnose(BY_NAME["pytorch-177819-macos-26-repl"].text)
    row = next(r for r in results if r.id == "error.mps.macos_too_old")
    assert row.required and row.blocks_ready


def test_macos_message_explained_by_the_pasted_facts():
    # pytorch/pytorch#164943: the message named 13.0+, the build needs 14.0, the Mac runs 13.7.4
    _, results = diagnose.diagnose(BY_NAME["pytorch-164943-macos-13.7-torch-2.10"].text)
    row = next(r for r in results if r.id == "error.mps.macos_too_old")
    assert "14.0" in row.cause and "13.7.4" in row.cause
    known = explain("RuntimeError: The MPS backend is supported on macOS 14.0+. Current OS ...")
    assert known is not None
    # macOS new enough for the message and for the torch: no Metal device in this process
    late = diagnose.error_result(known, Facts(macos_version="26.3.1", torch_version="2.10.0"))
    assert "Metal device" in late.cause
    # macOS older than the message names
    early = diagnose.error_result(known, Facts(macos_version="13.6"))
    assert "older than" in early.cause and "14.0" in early.cause


def test_pasted_report_keeps_its_device_rows_and_reruns_the_rules():
    host = Facts(
        os="Darwin",
        macos_version="14.5",
        machine="x86_64",
        hardware_arm64=True,
        translated=True,
        chip="Apple M1",
        python_version="3.10.13",
        torch_version="2.2.2",
        mps_built=False,
        mps_available=False,
    )
    rows = [
        Result("host.arch", "arch", Status.PASS, detail="stale verdict from an old version"),
        Result(
            "device.alloc",
            "Allocate",
            Status.SKIP,
            detail="needs mps.available",
        ),
    ]
    text = Report(host, "cpu", "quick", rows).to_json()
    facts, results = diagnose.diagnose(text)
    by_id = {r.id: r for r in results}
    assert facts.translated is True
    assert by_id["host.arch"].status is Status.FAIL  # recomputed, not copied
    assert by_id["mps.built"].status is Status.FAIL
    assert by_id["device.alloc"].data["from_pasted_report"] is True
    assert by_id["device.alloc"].detail == "needs mps.available"


def test_report_rows_without_cause_are_still_actionable():
    data = Report(Facts(os="Linux"), "cpu", "quick", []).to_dict()
    data["checks"] = [{"id": "device.compute", "title": "Compute", "status": "fail"}]
    _, results = diagnose.diagnose(json.dumps(data))
    row = next(r for r in results if r.id == "device.compute")
    assert row.cause and isinstance(row.fix, Fix)


def test_malformed_report_rows_are_input_errors():
    data = Report(Facts(os="Linux"), "cpu", "quick", []).to_dict()
    data["checks"] = [{"title": "no id", "status": "fail"}]
    with pytest.raises(InputError):
        diagnose.diagnose(json.dumps(data))
    data["checks"] = [{"id": "x", "status": "maybe"}]
    with pytest.raises(InputError):
        diagnose.diagnose(json.dumps(data))


@pytest.fixture
def schema():
    from importlib.resources import files

    return json.loads(files("verify").joinpath("schema/report-1.json").read_text())


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("pytorch-146236-rosetta-m2-pro", 1),  # Rosetta on Apple silicon: not ready
        ("vllm-9293-linux-wsl2-cuda", 0),  # healthy Linux CUDA
        ("pytorch-130112-mps-oom-torch-2.3.1", 0),  # a workload error on a ready Mac
    ],
)
def test_cli_diagnose_renders_a_valid_report(tmp_path, capsys, schema, name, code):
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(BY_NAME[name].text, encoding="utf-8")
    out = tmp_path / "report.json"
    assert cli.main(["diagnose", str(pasted), "--json", str(out), "--quiet"]) == code
    report = json.loads(out.read_text())
    jsonschema.validate(report, schema)
    assert report["mode"] == "diagnose" and report["host"]["source"] == "pasted"
    assert report["verdict"] == ("ready" if code == 0 else "not-ready")
    capsys.readouterr()


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01binary\x00", b'{"schema": 1, "host": {"os": "Dar', b"just some words\n"],
    ids=["empty", "binary", "truncated-json", "nothing-recognisable"],
)
def test_cli_diagnose_garbage_exits_2_with_one_line(tmp_path, capsys, content):
    pasted = tmp_path / "pasted.txt"
    pasted.write_bytes(content)
    assert cli.main(["diagnose", str(pasted)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err and "Traceback" not in err


def test_every_corpus_diagnosis_is_a_valid_schema_1_report(schema):
    for case in CASES:
        facts, results = diagnose.diagnose(case.text)
        report = Report(facts, "none", "diagnose", results, mode="diagnose").to_dict()
        jsonschema.validate(report, schema)
        assert report["verdict"] == (
            "not-ready" if any(r.blocks_ready for r in results) else "ready"
        )


# --- evidence, several reports, big and empty pastes (issue 12) ---------------------------------


def test_evidence_is_in_the_json_report_and_valid_schema_1(schema):
    facts, results = diagnose.diagnose(BY_NAME["pytorch-146236-rosetta-m2-pro"].text)
    data = Report(facts, "none", "diagnose", results, mode="diagnose").to_dict()
    jsonschema.validate(data, schema)
    arch = next(c for c in data["checks"] if c["id"] == "host.arch")
    assert "OS: macOS 15.3 (x86_64)" in arch["evidence"]
    assert any("Apple M2 Pro" in line for line in arch["evidence"])
    # optional: a row without evidence has no key, and old readers' rows still load
    passed = next(c for c in data["checks"] if c["status"] == "pass")
    assert "evidence" not in passed
    assert Result.from_dict(arch).evidence == tuple(arch["evidence"])


def test_evidence_is_shown_under_the_cause(tmp_path, capsys):
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(BY_NAME["pytorch-146236-rosetta-m2-pro"].text, encoding="utf-8")
    assert cli.main(["diagnose", str(pasted)]) == 1
    out = capsys.readouterr().out
    cause = out.index("cause: This Python is an x86_64 build")
    seen = out.index("seen:", cause)
    assert "OS: macOS 15.3 (x86_64)" in out[seen : out.index("fix:", seen)]


def test_evidence_masks_user_names():
    text = BY_NAME["pytorch-121067-intel-mac-torch-2.2.2"].text
    assert "/Users/daisysong/" in text
    for r in diagnose.diagnose(text)[1]:
        assert not any("daisysong" in line for line in r.evidence), r.id


def _write(tmp_path, names):
    paths = []
    for name in names:
        path = tmp_path / f"{name}.txt"
        path.write_text(BY_NAME[name].text, encoding="utf-8")
        paths.append(path)
    return paths


def test_several_reports_give_one_summary_and_a_json_list(tmp_path, capsys, schema):
    folder = tmp_path / "more"
    folder.mkdir()
    one, two = _write(tmp_path, ["pytorch-146236-rosetta-m2-pro", "vllm-9293-linux-wsl2-cuda"])
    _write(folder, ["pytorch-130112-mps-oom-torch-2.3.1", "pytorch-79019-float64-refused"])
    out = tmp_path / "all.json"
    assert cli.main(["diagnose", str(one), str(two), str(folder), "--json", str(out)]) == 1
    table = capsys.readouterr().out
    assert "4 inputs: 3 ready, 1 not ready" in table
    assert "host.arch" in table and "error.mps.oom" in table
    listed = json.loads(out.read_text())
    assert [os.path.basename(d["file"]) for d in listed] == [
        "pytorch-146236-rosetta-m2-pro.txt",
        "vllm-9293-linux-wsl2-cuda.txt",
        "pytorch-130112-mps-oom-torch-2.3.1.txt",
        "pytorch-79019-float64-refused.txt",
    ]
    assert [d["verdict"] for d in listed] == ["not-ready", "ready", "ready", "ready"]
    assert [d["first_cause"] for d in listed] == [
        "host.arch",
        None,
        "error.mps.oom",
        "error.mps.float64",
    ]
    for d in listed:
        jsonschema.validate(d["report"], schema)
    # all ready: exit 0
    assert cli.main(["diagnose", str(two), str(folder), "--quiet"]) == 0
    capsys.readouterr()


def test_several_reports_with_an_unreadable_one_exit_2_with_one_line(tmp_path, capsys):
    (good,) = _write(tmp_path, ["vllm-9293-linux-wsl2-cuda"])
    bad = tmp_path / "bad.txt"
    bad.write_text("just some words\n")
    assert cli.main(["diagnose", str(good), str(bad), "--json", "-"]) == 2
    captured = capsys.readouterr()
    listed = json.loads(captured.out)
    assert [d["verdict"] for d in listed] == ["ready", "unreadable"]
    assert captured.err.startswith("error: 1 of 2 inputs") and captured.err.count("\n") == 1


def test_an_empty_folder_is_an_input_error(tmp_path, capsys):
    assert cli.main(["diagnose", str(tmp_path)]) == 2
    assert "holds no files" in capsys.readouterr().err


def test_a_paste_without_facts_names_the_command_that_settles_it(tmp_path, capsys):
    # no fact of the machine, not even its OS, and nothing about torch on MPS (with
    # torch.device('mps') in it, it is diagnosed since the third session, with the OS since the
    # tenth: tests/test_fewfacts.py)
    pasted = tmp_path / "q.txt"
    pasted.write_text("Why is my training so slow? My laptop gets hot.\n")
    assert cli.main(["diagnose", str(pasted)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "`python -m torch.utils.collect_env`" in err and "`python -m verify facts`" in err
    assert "no facts about the machine (OS, chip, Python, PyTorch, MPS state)" in err
    pasted.write_text("Why is my training so slow? My Mac gets hot.\nOS: macOS 14\n")
    assert cli.main(["diagnose", str(pasted)]) == 0  # the OS is a fact: diagnosed, nothing found
    out = capsys.readouterr().out
    assert "nothing in the pasted text points at the environment" in out
    assert "`python -m torch.utils.collect_env`" in out


def _big(line, tail: str) -> str:
    lines, size = [], 0
    while size < envdump.MAX_CHARS - 100_000:  # unique lines: nothing to fold away
        lines.append(line(len(lines)))
        size += len(lines[-1]) + 1
    return "\n".join(lines) + "\n" + tail


def test_a_5_mb_paste_diagnoses_in_under_a_second():
    import random
    import time

    rosetta = BY_NAME["pytorch-146236-rosetta-m2-pro"].text
    # a training log with the environment at its end
    log = _big(lambda i: f"epoch {i // 1000} step {i} loss {1 / (i + 1):.6f} lr 3e-4", rosetta)
    # the worst case: every line full of the words the readers look for
    rnd = random.Random(5)
    words = [w for c in CASES for w in c.text.split()]
    noisy = _big(lambda i: " ".join(rnd.choice(words) for _ in range(10)) + f" #{i}", rosetta)
    for text in (log, noisy):
        assert len(text) > 4.8 * 1024 * 1024
        start = time.process_time()
        facts, results = diagnose.diagnose(text)
        assert time.process_time() - start < 1.0
    facts, results = diagnose.diagnose(log)
    assert facts.translated is True  # the collect_env at the end is still read
    assert next(r for r in results if r.id == "host.arch").status is Status.FAIL


def test_a_multi_mb_paste_is_read_from_its_first_and_last_megabyte():
    # an issue form's environment first, a 5 MB log, the error appended last: both ends are
    # read; a line deep in the middle of the log is not (verify.diagnosis.paste.digest.ENDS)
    env = "- PyTorch version: 2.1.0\n- macOS 14.1 on an Apple M2 Pro\n"
    middle = "RuntimeError: MPS backend out of memory (MPS allocated: 17.00 GB)"
    error = (
        "NotImplementedError: The operator 'aten::roll' is not currently implemented for the "
        "MPS device."
    )
    lines = [f"step {i} loss {1 / (i + 1):.6f}" for i in range(200_000)]
    lines[len(lines) // 2] = middle
    text = env + "\n".join(lines) + "\n" + error + "\n"
    assert len(text) > 4 * 1024 * 1024
    facts, results = diagnose.diagnose(text)
    assert (facts.torch_version, facts.macos_version, facts.chip) == (
        "2.1.0",
        "14.1",
        "Apple M2 Pro",
    )
    ids = {r.id for r in results}
    assert "error.mps.op_not_implemented" in ids and "error.mps.oom" not in ids


def test_rosetta_with_mps_shown_working_and_no_mps_error_is_a_warning():
    # pytorch/pytorch#94754: an M1 Pro's x86_64 nightly (collect_env "OS: macOS 13.1 (x86_64)")
    # printing tensors on mps:0 - the thread was a kernel bug; Rosetta only bars newer torch
    path = Path(__file__).parent / "data" / "holdout4"
    case = corpus.load(next(path.glob("pytorch-94754-*.txt")))
    _, results = diagnose.diagnose(case.text)
    rows = {r.id: r for r in results}
    assert rows["host.arch"].status is Status.WARN and "Rosetta" in rows["host.arch"].cause
    assert not [r.id for r in results if r.status is Status.FAIL]
    # with an MPS error it stays a failure (pytorch/pytorch#146236)
    _, results = diagnose.diagnose(BY_NAME["pytorch-146236-rosetta-m2-pro"].text)
    assert next(r for r in results if r.id == "host.arch").status is Status.FAIL


# torch's own texts, as compiled into the macOS arm64 wheels' libtorch_cpu.dylib (2.15.0, sha256
# e808b63d616a43b3...: aten/src/ATen/mps/EmptyTensor.cpp's mps_unavailable_error, two adjacent
# strings; 2.13.0 on: aten/src/ATen/mps/MPSAllocator.mm's init_allocator), raised as Python
# shows a RuntimeError
NO_METAL_GPU = (
    "RuntimeError: MPS backend is unavailable: no supported Metal GPU was found. This can happen "
    "when running inside a virtual machine, sandbox or container without GPU access"
)
NO_UNIFIED_MEMORY = "RuntimeError: MPS backend is only supported on devices with unified memory"


def test_no_metal_gpu_is_its_own_cause_and_its_list_of_places_is_no_sign():
    pasted = envdump.parse(NO_METAL_GPU)
    # the places torch lists are possibilities, not where this paste ran
    assert not any(pasted.has(s) for s in ("sign.vm", "sign.sandbox", "sign.container"))
    assert pasted.facts.mps_available is False and pasted.facts.os == "Darwin"
    _, results = diagnose.diagnose(NO_METAL_GPU)
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.no_metal_device" and first.blocks_ready
    # a VM the user names is still read
    told = "I run this inside a virtual machine.\n" + NO_METAL_GPU
    assert envdump.parse(told).has("sign.vm")


def test_a_gpu_without_unified_memory_is_named():
    _, results = diagnose.diagnose(NO_UNIFIED_MEMORY)
    first = diagnose.first_cause(results)
    assert first.id == "error.mps.no_unified_memory" and first.blocks_ready
    assert "Apple silicon" in first.fix.render()


def test_a_library_gatekeeper_refused_is_the_cause_before_the_failed_load():
    # opendreamnet/dreampower#114's first post, verbatim (REDACTED is the reporter's): dyld's
    # "Library not loaded" for torch's libiomp5, whose reason is Library Validation refusing the
    # downloaded, unsigned copy (the fix in #107: `xattr -d com.apple.quarantine`)
    text = (
        '"libiomp5.dylib" is damaged. In the terminal there\'s also this error:\n'
        "`ImportError: dlopen(/Users/REDACTED/Downloads/DreamPower/torch/_C.cpython-38-darwin.so, "
        "2): Library not loaded: @loader_path/libiomp5.dylib`\n\n"
        "  `Referenced from: /Users/REDACTED/Downloads/DreamPower/libtorch_python.dylib\n"
        "  Reason: no suitable image found.`\n\n"
        " `Did find:\n"
        "\t/Users/REDACTED/Downloads/DreamPower/torch/../libiomp5.dylib: code signature in "
        "(/Users/REDACTED/Downloads/DreamPower/torch/../libiomp5.dylib) not valid for use in "
        "process using Library Validation: library load disallowed by system policy`\n"
        " - OS: MacOS Catalina v10.15.6 (19G73)\n"
    )
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "error.mps.library_quarantined"
    assert first.status is Status.FAIL and "quarantine" in first.fix.text
    assert any("Library Validation" in line for line in first.evidence)
