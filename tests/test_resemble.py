"""The paste-likeness model (verify.diagnosis.paste.resemble) and its row (resemble_rows).

The model is fitted by scikit-learn (scripts/triage/train.py) and scored by verify in the standard
library: these tests fit it for real on the labelled reports in tests/data and hold the two to
each other, check the stored model is the one those reports give, and hold the row's rules on
real reports.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import corpus
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from scripts.triage import replay, train
from verify import compat
from verify.diagnosis import advice, diagnose, resemble_messages, resemble_rows
from verify.diagnosis.envdump import parse
from verify.diagnosis.paste import resemble
from verify.errors import InputError
from verify.model import Result, Status

DATA = Path(__file__).parent / "data"


@functools.cache
def _fitted():
    reports = train.labelled_reports()
    vectorizer, classifier = train.fitted(reports)
    return reports, vectorizer, classifier, resemble.Model.from_dict(train.fit(reports))


def test_ngrams_are_scikit_learns():
    analyzer = TfidfVectorizer(ngram_range=(1, 2), token_pattern=resemble.TOKEN.pattern)
    analyze = analyzer.build_analyzer()
    for _, text, _ in train.labelled_reports()[::25]:
        assert resemble.ngrams(text, 2) == analyze(text)


def test_probabilities_are_scikit_learns():
    reports, vectorizer, classifier, model = _fitted()
    sample = [text for _, text, _ in reports[::7]]
    expected = classifier.predict_proba(vectorizer.transform(sample))
    for text, row in zip(sample, expected, strict=True):
        ours = resemble.probabilities(text, model)
        for label, p in zip(classifier.classes_, row, strict=True):
            assert ours[label] == pytest.approx(p, abs=1e-3), label


def test_stored_model_was_fitted_on_the_reports_here(capsys):
    assert train.main(["--check"]) == 0, capsys.readouterr().err
    stored = resemble.model()
    assert stored.reports == len(train.labelled_reports())
    assert set(resemble_messages.LIKENESSES) <= set(stored.labels)


def test_every_likeness_states_its_label():
    for label, like in resemble_messages.LIKENESSES.items():
        assert like.row_id in corpus.LABELS[label], label
    assert {"healthy", "wrong-results", "other"}.isdisjoint(resemble_messages.LIKENESSES)
    too_old = resemble_messages.LIKENESSES["macos-too-old"].check
    assert all(f"{f.enforced} from torch " in too_old for f in compat.MPS_FLOORS)


def _model(label: str, term: str, text: str) -> resemble.Model:
    """A two-label model that knows the paste's words but lets one word decide: the row's rules,
    apart from any fitting."""
    terms = dict.fromkeys(resemble.ngrams(text, 2), (1.0, (0.0, 0.0)))
    terms[term] = (1.0, (-100.0, 100.0))
    return resemble.Model(("healthy", label), (0.0, 0.0), terms, ngram_max=2, reports=2)


def _words(text: str) -> set[str]:
    """The paste's words, when it holds enough of them to resemble anything."""
    grams = set(resemble.ngrams(text, 2))
    return grams if len(grams) >= resemble_rows.MIN_TERMS else set()


def _rows(text: str, model: resemble.Model) -> list[Result]:
    pasted = parse(text)
    _, results = diagnose.diagnose(text)
    plain = [r for r in results if not resemble_rows.likeness(r)]
    return resemble_rows.rows(plain, pasted, model)


@functools.cache
def _diagnosed(folder: str) -> tuple[tuple[corpus.Case, tuple[Result, ...]], ...]:
    """Each report of a tests/data folder that diagnose does not refuse, with its rows (once
    per folder: several tests look through the same reports)."""
    out = []
    for case in map(corpus.load, sorted((DATA / folder).glob("*.txt"))):
        try:
            _, results = diagnose.diagnose(case.text)
        except InputError:
            continue
        out.append((case, tuple(results)))
    return tuple(out)


def _reports_without_failures(folder: str = "collect_env"):
    for case, results in _diagnosed(folder):
        if not any(r.status is Status.FAIL or r.id.startswith("error.") for r in results):
            yield case, list(results)  # no failure, no error message: where a likeness may speak


def _report_where(row_id: str, status: Status, word: str) -> corpus.Case:
    """A development report with no failure whose row_id row has that status and which holds
    the word among enough others."""
    return next(
        c
        for c, rs in _reports_without_failures()
        if any(r.id == row_id and r.status is status for r in rs) and word in _words(c.text)
    )


def test_a_likeness_fills_the_check_the_paste_left_unsettled():
    case = _report_where("torch.installed", Status.SKIP, "torch")
    rows = _rows(case.text, _model("install-wrong-arch", "torch", case.text))
    row = next(r for r in rows if r.id == "torch.installed")
    assert row.status is Status.WARN and resemble_rows.likeness(row)
    assert row.data["likeness"] == "install-wrong-arch" and row.data["probability"] > 0.9
    assert row.cause.startswith("Not established") and row.fix is not None
    assert row.evidence and all(line in case.text for line in row.evidence)
    assert [r.id for r in rows].count("torch.installed") == 1


def test_a_fact_the_paste_shows_outweighs_the_words():
    case = _report_where("host.arch", Status.PASS, "mps")
    rows = _rows(case.text, _model("rosetta", "mps", case.text))
    assert not any(resemble_rows.likeness(r) for r in rows)
    assert next(r for r in rows if r.id == "host.arch").status is Status.PASS


def test_no_likeness_beside_a_failure():
    case = next(c for c in corpus.cases() if c.label == "rosetta")
    _, results = diagnose.diagnose(case.text)
    assert any(r.status is Status.FAIL for r in results)
    word = resemble.ngrams(case.text, 1)[0]
    model = _model("float64", word, case.text)
    assert resemble_rows.rows(results, parse(case.text), model) == results


def test_a_likeness_goes_last_but_for_upgrade_advice_and_never_fails():
    seen = 0
    for _, results in _reports_without_failures("holdout35"):
        likes = [r for r in results if resemble_rows.likeness(r)]
        assert len(likes) <= 1
        for row in likes:
            seen += 1
            assert row.status is Status.WARN and not row.required
            others = [
                r
                for r in results
                if r.status is Status.WARN and r is not row and not advice.upgrade_advice(r)
            ]
            expected = diagnose.first_cause(others) if others else row
            assert diagnose.first_cause(results) is expected
    assert seen >= 5  # a held-out set has pastes whose words alone point somewhere


def test_a_long_paste_is_read_by_its_head():
    case, results = next(_reports_without_failures())
    results = [r for r in results if not resemble_rows.likeness(r)]
    model = _model("float64", "zzfloat", case.text + " zzfloat")
    tail = "\n" + "x = 1\n" * (resemble_rows.MAX_CHARS // 6) + "zzfloat\n"
    assert resemble_rows.rows(results, parse(case.text + tail), model) == results
    head = case.text + "\nzzfloat\n"
    assert any(resemble_rows.likeness(r) for r in resemble_rows.rows(results, parse(head), model))


def test_model_file_is_plain_numbers():
    raw = json.loads(resemble.MODEL.read_text(encoding="utf-8"))
    assert raw["format"] == 1 and raw["ngram_max"] == train.NGRAM_MAX
    assert len(raw["terms"]) <= train.MAX_FEATURES
    widths = {len(w) for _, w in raw["terms"].values()}
    assert widths == {len(raw["labels"])} == {len(raw["intercept"])}


@pytest.mark.parametrize(("folder", "least"), [("holdout35", 3), ("holdout57", 3)])
def test_upgrade_advice_yields_fix_first_to_the_cause(folder, least):
    """A held-out report whose Python today's newest torch does not serve, or whose macOS a later
    torch drops: the advice stays a row, and whatever else the paste shows or reads like goes
    first."""
    seen = 0
    for _, results in _diagnosed(folder):
        told = [r for r in results if advice.upgrade_advice(r)]
        rest = [r for r in results if r.status is not Status.PASS and r not in told]
        if told and diagnose.first_cause(rest) is not None:
            seen += 1
            assert diagnose.first_cause(results) is diagnose.first_cause(rest)
    assert seen >= least


def test_no_likeness_beside_an_error_message_the_paste_shows():
    case, results = next(
        (c, list(rs))
        for c, rs in _diagnosed("collect_env")
        if not any(r.status is Status.FAIL for r in rs)
        and any(r.status is Status.WARN and r.id.startswith("error.") for r in rs)
        and len(_words(c.text)) >= resemble_rows.MIN_TERMS
    )
    word = sorted(_words(case.text))[0]
    model = _model("intel-mac", word, case.text)
    assert resemble_rows.rows(results, parse(case.text), model) == results


# NVIDIA/nvidia-container-toolkit#714, verbatim: NVIDIA's Multi-Process Service in Docker on RHEL
NVIDIA_MPS_IN_DOCKER = """\
How to use MPS to share GPUs in multiple Docker containers?
os: `redhat7.9`
docker version: `20.10.21`
nvidia-container-runtime: `3.13.0-1`
nvidia-container-toolkit: `1.13.5-1`

I performed the following steps:
1. Open MPS on the physical machine. `nvidia-cuda-mps-control -d`
2. Start the container. `docker run -it --ipc=true --gpus device=7 vllm`
3. Run the script. `python3 -m vllm.entrypoints.openai.api_server...`

report errors:
`RuntimeError: Unexpected error from cudaGetDeviceCount().  Did you run some cuda functions \
before calling NumCudaDevices() that might have already set an error?  Error 805: MPS client \
failed to connect to the MPS control daemon or the MPS server.`

Is it supported to open MPS on a physical machine and use MPS to share GPUs in multiple \
containers?
"""


def test_no_likeness_of_a_macs_cause_for_nvidias_mps():
    # the stored model reads it as Linux in a container on a Mac (86 %): the words Docker, MPS
    # and GPU; NVIDIA's Multi-Process Service is no Mac's
    text = NVIDIA_MPS_IN_DOCKER
    found = resemble.resemblance(text)
    assert found is not None and resemble_rows.warns(found)
    results = diagnose.diagnose(text)[1]
    assert not [r for r in results if resemble_rows.likeness(r)]
    assert not [r for r in results if r.status is Status.FAIL]


def test_the_model_reads_reports_it_was_not_fitted_on():
    """Fitted only on the reports collected before holdout40 (scripts.triage.replay), the
    model's likeliest label beats always answering the commonest one, and most warnings its
    thresholds let through name the thread's cause."""
    r = replay.replay("holdout40")
    assert r.reports >= 80 and r.fitted_on < len(train.labelled_reports())
    assert r.right > 2 * r.commonest
    assert r.warnings >= 10 and r.warnings_right >= 0.6 * r.warnings
