"""verify.diagnosis.paste.claims and verify.diagnosis.claim_rows: a cause stated in one sentence
(issue 12). The sentences are copied verbatim from real public reports (each cited); the last
tests run the reader over every real report in tests/data."""

from __future__ import annotations

import corpus
import pytest

from verify.diagnosis import claim_rows, diagnose, envdump
from verify.diagnosis.paste import claims
from verify.errors import InputError
from verify.model import Status

# each topic, a sentence from a real report, and the report
STATED = [
    (
        "float64",
        # meta-pytorch/botorch#2724
        "The current SAASBO implementation does not support MPS as one of the operations uses "
        "float64 instead of float32, whit the former not being supported on MPS.",
    ),
    (
        "dtypes",
        # facebookresearch/demucs#432 (berndverst, 2023-02-11)
        "The problem is that Metal doesn't support certain data types.",
    ),
    (
        "no_arm64_build",
        # pytorch/vision#6050
        "PyTorch has already provided arm64-build on pytorch-nightly channel and support M1 GPU "
        "acceleration, however, M1 users like me still cannot benefit from this, because of the "
        "lack of an arm64 torchvision.",
    ),
    (
        "x86_64_python",
        # sensein/b2aiprep#127
        "`B2aiprep` depends on `senselab`, which depends on `torch>2.4.0`.  `Torch>2.2.2` is "
        "incompatible with the x86-64 version of python on macOS, as discussed here:",
    ),
    (
        "intel_mac",
        # huggingface/peft#2431: the limit is in the sentence that goes on ("This has ...")
        "Right now, the MacOS GitHub runners use `macos-13`, which uses Intel x86. This has the "
        "disadvantage that the latest torch wheels still provided for this architecture are "
        "torch v2.2.2.",
    ),
    (
        "intel_mac",
        # climatepolicyradar/knowledge-graph#55
        "Pytorch has deprecated support for intel macs.",
    ),
    (
        "vm_guest",
        # Anjok07/ultimatevocalremovergui#226
        "Running in Win11 VIRTUAL at Parallels Desktop 17 for MAC M1 takes 5 hours for a 5 "
        "minute song \uff0c It's really hard",
    ),
    (
        "vm_guest",
        # pytorch/pytorch#120557
        "I am working on robotics projects that need Linux OS and a GPU, and my setup is Mac M1 "
        "with Ubuntu 22.04 running via VMWare Fusion.",
    ),
    (
        "python_no_wheels",
        # simonw/llm#315's title
        "Homebrew release can't install plugins that use PyTorch (no PyTorch for Python 3.12 yet)",
    ),
    (
        "python_no_wheels",
        # jaredpalmer/kev#34's title
        "Quickstart fails on Python 3.14: torch pin (<2.9) has no cp314 wheels",
    ),
    (
        "no_arm64_build",
        # rusty1s/pytorch_scatter#422's title
        "missing macos arm wheels for pytorch 2.2",
    ),
]


def _topics(text: str) -> list[str]:
    return [c.value for c in claims.read(text)]


@pytest.mark.parametrize(("topic", "text"), STATED)
def test_a_stated_cause_gives_its_topic_and_quotes_the_sentence(topic, text):
    found = [c for c in claims.read(text) if c.value == topic]
    assert found, text
    assert found[0].field == "sign.cause_said"
    assert found[0].line[:20] in " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        # a question, a condition, a negation: the same words, not stated
        "Is it that Metal doesn't support certain data types?",
        "If float64 is not supported on MPS, what should we use?",
        "It is not that MPS lacks float64 support.",
        "Maybe the x86-64 version of python is incompatible with torch 2.3.",
        "When you run in a Windows VM in Parallels on an M1 Mac, is there a GPU?",
    ],
)
def test_questions_conditions_and_negations_give_nothing(text):
    assert _topics(text) == []


def test_a_sentence_is_not_cut_inside_a_version_or_a_dotted_name():
    from verify.diagnosis.paste.clues import sentence_at

    text = STATED[3][1]  # b2aiprep#127
    at = text.index("incompatible")
    start, end = sentence_at(text, at)
    assert text[start:end].strip().startswith("`Torch>2.2.2` is incompatible")
    assert sentence_at("a torch.float64 b. c", 3) == (0, 18)


def test_program_output_is_no_sentence():
    # torch's own refusal names float64 but says nothing of "data types" in general, and a
    # warning line with a file path is the program's, not the user's (pytorch/pytorch#103868)
    assert "dtypes" not in _topics(
        "TypeError: Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't "
        "support float64. Please use float32 instead."
    )
    assert (
        _topics(
            "/Users/x/miniforge3/envs/t/lib/python3.9/site-packages/torch_sparse/utils.py:20: "
            "UserWarning: MPS: no support for int64 min/max op"
        )
        == []
    )


def test_arm64_wheels_listed_as_the_only_ones_are_no_missing_arm64_build():
    # huggingface/peft#2431, an Intel runner: "only provide" lists what there is
    assert "no_arm64_build" not in _topics(
        "Later torch versions only provide wheels for MacOS arm64."
    )


def test_a_cuda_build_missing_for_arm64_is_no_missing_arm64_build():
    # remsky/Kokoro-FastAPI#228 (Docker on a Mac: the CUDA build is the matter)
    assert "no_arm64_build" not in _topics(
        "Since CUDA is not available on Apple Silicon, PyTorch does not publish +cu124 wheels "
        "for arm64."
    )


def test_a_macos_guest_is_not_a_windows_or_linux_guest():
    # cirruslabs/tart#501 (a macOS VM: no Metal device, another cause)
    assert "vm_guest" not in _topics(
        "I ran the following Pytorch example inside a Tart VM and indeed it seems not supported."
    )


# ---- rows ----------------------------------------------------------------------------------


def _rows(text: str):
    _, results = diagnose.diagnose(text)
    return results


def test_a_stated_cause_becomes_a_warning_on_its_check_quoting_the_sentence():
    text = STATED[1][1]  # demucs#432
    results = _rows(text)
    row = next(r for r in results if r.id == "error.mps.dtype_unsupported")
    assert row.status is Status.WARN
    assert row.cause.startswith("The report says MPS / Metal does not support the data types")
    assert row.evidence == (text,)
    assert row.fix is not None and row.fix.text
    assert not [r for r in results if r.status is Status.FAIL]
    assert diagnose.first_cause(results) is row


def test_a_paste_with_only_a_stated_cause_is_not_refused():
    # pytorch/vision#6050: exit 2 before, nothing else in the paste to read
    results = _rows(STATED[2][1])
    first = diagnose.first_cause(results)
    assert first is not None and first.id == "torch.installed" and first.status is Status.WARN


def test_a_stated_cause_ranks_after_every_other_warning():
    # uvr#226's sentence beside torch's own float64 refusal (a warning): the refusal first
    text = (
        STATED[6][1] + "\nTypeError: Cannot convert a MPS Tensor to float64 dtype as the MPS "
        "framework doesn't support float64. Please use float32 instead.\n"
    )
    results = _rows(text)
    said = next(r for r in results if claim_rows.claimed(r))
    assert said.id == "host.os" and said.status is Status.WARN
    assert diagnose.first_cause(results).id == "error.mps.float64"


def test_no_row_where_a_row_names_the_cause_already():
    # the float64 refusal pasted: the sentence adds no second float64 row
    text = (
        STATED[0][1] + "\nTypeError: Cannot convert a MPS Tensor to float64 dtype as the MPS "
        "framework doesn't support float64. Please use float32 instead.\n"
    )
    results = _rows(text)
    assert [r for r in results if r.id == "error.mps.float64"]
    assert not [r for r in results if claim_rows.claimed(r)]


def test_a_check_the_paste_shows_passing_keeps_its_row():
    # pytorch/audio#2620: an Intel Mac's collect_env (host.arch passes on its facts) whose first
    # sentence says torchaudio 0.12.1 has no download "for Mac with an Intel CPU"
    case = corpus.load(next(corpus.CORPUS_DIR.glob("torchaudio-2620-*.txt")))
    assert "intel_mac" in _topics(case.text)
    results = _rows(case.text)
    assert next(r for r in results if r.id == "host.arch").status is Status.PASS
    assert not [r for r in results if claim_rows.claimed(r)]


def test_the_row_takes_the_place_of_its_check_and_keeps_one_row_per_id():
    results = _rows("Python 3.12.1\nmacOS 14.5\nApple M2\n" + STATED[6][1])  # uvr#226
    ids = [r.id for r in results]
    assert len(ids) == len(set(ids))
    row = next(r for r in results if r.id == "host.os")
    assert row.status is Status.WARN and claim_rows.claimed(row)


# ---- every real report ---------------------------------------------------------------------

# topic -> the label of the reports it may fire on (tests/corpus.py LABELS)
TOPIC_LABEL = {
    "float64": "float64",
    "dtypes": "op-not-implemented",
    "no_arm64_build": "install-wrong-arch",
    "x86_64_python": "rosetta",
    "intel_mac": "intel-mac",
    "vm_guest": "linux-in-mac",
    "python_no_wheels": "python-unsupported",
}


def _reports():
    for path in sorted(corpus.CORPUS_DIR.parent.glob("*/*.txt")):
        case = corpus.load(path)
        if case.label:  # a report (tests/data/torch_wheels holds torch's own strings)
            yield f"{path.parent.name}/{path.stem}", case


# reports a topic may fire on although their label is another, each with the reason
EXCEPTIONS = {
    # the sentence is true of it (an Intel Mac, and no torchaudio 0.12.1 wheel for it), but the
    # thread's cause is that packaging gap, labelled "other"; its collect_env passes host.arch,
    # so no row is added (test_a_check_the_paste_shows_passing_keeps_its_row)
    ("intel_mac", "collect_env/torchaudio-2620-intel-mac-collect-env-no-0.12.1-wheel"),
}


def test_every_topic_fires_only_on_reports_of_its_cause():
    """Every real report in tests/data: a topic is read only where the thread established that
    cause (but for EXCEPTIONS), and each topic is read on some report."""
    fired: dict[str, set[str]] = {t: set() for t in TOPIC_LABEL}
    wrong = []
    for name, case in _reports():
        try:
            pasted = envdump.parse(case.text)
        except InputError:
            continue
        for c in pasted.signs.get("sign.cause_said") or []:
            fired[c.value].add(name)
            if case.label != TOPIC_LABEL[c.value] and (c.value, name) not in EXCEPTIONS:
                wrong.append((c.value, name, case.label, c.line))
    assert wrong == []
    assert all(fired.values()), {t: len(names) for t, names in fired.items()}
    assert set(TOPIC_LABEL) == set(claims.TOPICS) | {"vm_guest"} == set(claim_rows.TOPICS)


def test_no_stated_cause_gives_a_failing_row_or_comes_first_on_a_healthy_report():
    for name, case in _reports():
        if corpus.LABELS[case.label] is not corpus.NO_FAILURE:
            continue
        try:
            results = _rows(case.text)
        except InputError:
            continue
        said = [r for r in results if claim_rows.claimed(r)]
        assert all(r.status is Status.WARN for r in said), name


def test_letters_that_lowercase_longer_do_not_shift_the_sentences():
    # "İ".lower() is two characters: the needles' positions must still be the text's
    text = "İstanbul İİİ\n\n" + STATED[1][1]  # demucs#432
    found = claims.read(text)
    assert [c.value for c in found] == ["dtypes"] and found[0].line == STATED[1][1]
