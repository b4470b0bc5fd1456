"""The held-out sets (tests/data/holdout*/): real reports kept apart from the development corpus.

Issue 12 is judged on real reports that are not in this repository. These were collected for the
same purpose, after the development corpus, by engineers who did not write rules, and kept apart
(each folder's README.md says how, and what was measured before anyone looked at its misses). No
rule and no test looks at one file. This test scores each whole set the way the judges do and
guards the score:
  named  - the established cause is among the failing / warning rows (healthy: no failing row);
  first  - it is the row "Fix first" names (healthy: no failing row);
  false alarm - a healthy environment with a failing row (must stay 0).
A paste with no facts at all (exit 2) counts as neither named nor a false alarm.
The floors are the scores measured when they were last raised (session 38 raised them all to
main's score then; each README says what its set scored blind, before anyone read it); raise them
when the diagnosis gets better, never lower them to make a change pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import corpus
import pytest

from verify.diagnosis import diagnose
from verify.model import Status

DATA = Path(__file__).parent / "data"
# folder -> (floor named, floor first): the scores measured on main when the floors were last set;
# session 38 raised every floor to the score measured then (main at be03965, with round 18 in
# holdout360), so that no report a later change loses goes unseen: the blind score of each set,
# measured before anyone read it, stays in the comments below and in each folder's README
FLOORS = {
    # holdout first 39 -> 38: mcp-memory-service-78 (uv.lock's torch 2.5.1 under Python 3.13.5,
    # labelled for the pin) now also fails host.python, which goes first: 2.5.1 has macOS
    # wheels for 3.9-3.12, and the same lock under 3.13.3 (#29) was the Python, as its thread
    # found; both rows are named (issue 12)
    "holdout": (39, 38),
    "holdout2": (44, 44),
    "holdout3": (37, 37),
    # holdout4 35 -> 36: a torch update said to fix it ("After trying to update it, the error ...
    # no longer exists": Comfy-Org/desktop#1492), verify.diagnosis.paste.updated (issue 12)
    "holdout4": (36, 36),
    "holdout5": (40, 40),
    "holdout6": (40, 40),
    # holdout7 first 26 -> 25: audiosr-70 is torch 2.5's conv refusal, which refuses on every
    # macOS (pytorch/pytorch#129484, #140726): the torch row is put first, the macOS one it was
    # labelled with is named beside it (issue 12)
    "holdout7": (28, 27),
    "holdout8": (30, 29),
    "holdout9": (28, 28),
    "holdout10": (27, 27),
    "holdout11": (25, 24),
    # holdout12 29 -> 30: torch 1.12's clamp refusal "min and input tensors must be of the same
    # shape" (1.12.x wheels only: mcmonkeyprojects/sd-dynamic-thresholding#15) (issue 12)
    "holdout12": (30, 30),
    # holdout13 21 -> 23: an issue form's one ticked OS ("- [X] Apple MacOS") read as the OS
    # (Josh-XT/AGiXT#566's Poetry +cpu pin on a Mac), a CUDA torch build said to be installed on
    # Apple silicon (IAHispano/Applio#303) (issue 12)
    # holdout13 23 -> 24: "Pytorch 2.2 is the last version supporting macOS with Rosetta2"
    # (lassoan/SlicerNNUnet#22), paste.claims' x86_64_python with a ceiling as its limit (issue 12)
    "holdout13": (25, 25),
    "holdout14": (29, 29),
    # holdout15 34/33 -> 35/34: memory said to overflow on mps in Chinese (limits.CJK_MPS_OOM)
    # holdout15 35/34 -> 36/35: "does not work with pytorch-1.8.1 but requires pytorch>2"
    # (wasserth/TotalSegmentator#127): conda's package name, an app bundle's path, a required
    # release said in a sentence (issue 12)
    "holdout15": (41, 40),
    # holdout16 20 -> 22: pip refusing onnxruntime-gpu, which publishes no macOS build
    # (verify/data/gpu_only_packages.json, read from PyPI) (issue 12)
    "holdout16": (25, 25),
    # holdout19 named 23 -> 24: the conv refusal above 65536 channels with no versions names
    # the torch beside the macOS (huggingface/parler-tts#184, fixed by the nightly) (issue 12)
    "holdout19": (25, 24),
    # the session-6 final blind sets (holdout20/README.md), studied from 14:20 UTC
    "holdout20": (25, 25),
    # holdout21 23 -> 24: a missing arm64 build stated in the title outweighs torch.installed
    # passing on "pytorch 2.2" (rusty1s/pytorch_scatter#422), claim_rows (issue 12)
    "holdout21": (26, 26),
    # holdout22 26 -> 27: "fails on our `macos-14` CI" is a hosted runner (micro-sam#380) (issue 12)
    # holdout22 27 -> 28: "not working with mps device" said of MPS (huggingface/transformers
    # #20415's title), behind's runtime problem (issue 12)
    "holdout22": (31, 31),
    # holdout23 21 -> 22: a Python's missing wheels stated beside the Mac's own arm64 platform
    # (graphnet-team/graphnet#798's title), paste.claims' python_no_wheels (issue 12)
    # holdout23 22 -> 24: mixed precision refused on MPS by a torch older than the part it needs
    # (verify.amp_mps, read from the wheels: huggingface/accelerate#3718, #3064) (issue 12)
    "holdout23": (25, 25),
    # the collectors' holdout24 + 25, scored blind at 87453bb (holdout24/README.md)
    # holdout24 23 -> 24: "an x64 emulated env" on an M1 (unit8co/darts#1240), paste.prose's x86
    # interpreter; named 25: "M1 runners ... errors when trying to allocate MPS memory"
    # (weecology/deepforestr#15: its PR's macos-13 Intel runner goes first) (issue 12);
    # ld64's arm64 / x86_64 warning quoted from the file on (LaurentMazare/tch-rs#488)
    # holdout24 30/28 -> 32/30: a lower-cased MPSGraph assertion path (CompVis/stable-diffusion
    # #745), an exception on MPS's prototype torch 1.12 (DLR-RM/stable-baselines3#914) (issue 12);
    # 32/30 -> 33/31: conda's PackagesNotFoundError for torchdata quoted inline on Apple silicon
    # (meta-pytorch/data#676: the pytorch channel had no osx-arm64 torchdata) (issue 12)
    "holdout24": (35, 33),
    # the session-7 collectors' holdout26-28, scored blind at 4fc7799 (holdout26/README.md)
    # studied from 15:40: 33 -> 40 (libmamba's CUDA tree, torch 2.5's fused-optimizer dtype
    # check, lower-case "osx 14.5", an op unsupported "on Apple silicon", Chinese OOM words,
    # Poetry failing to install a Linux wheel by its URL, a package installed on an Intel Mac)
    # 40 -> 41: "the latest wheels are 2.2.2" on macOS (pytorch/pytorch#169874), paste.ceiling
    "holdout26": (45, 45),
    # the session-7 final blind sets (collectors 29-34), scored blind at 70375c8: the same at
    # the session's start 976e066 (holdout29/README.md); studied from 17:00: 74 -> 75 (FBGEMM's
    # Linux-only wheels in gpu_only_packages.json); 76: a Linux container on a Mac said to get no
    # GPU (paste.claims); 76 -> 85: a build for another platform on a Mac
    # (verify.diagnosis.paste.foreign): a CUDA-only package's build failing (xformers,
    # flash-attn), a library that is no Mach-O file, a +cu118 Linux wheel of another package, a
    # cudatoolkit said not to exist for osx-arm64, a Linux-only package or a +cpu pin refused
    # with the Mac named in passing ("in MacOS", "OS: [e.g. iOS] MacOS") (issue 12)
    # 85 -> 87: torch's autocast refusal for 'mps' (kijai/ComfyUI-LivePortraitKJ#94), two
    # releases compared in one line (rasbt/LLMs-from-scratch#324) (issue 12); 87 -> 88: pip
    # refusing a package on a "Mac i9 intel" warns that torch stops at 2.2.2 there (host.arch);
    # 88 -> 89: "GH CI" a hosted runner (pytorch/torchchat#975)
    "holdout29": (101, 101),
    # session 8's sealed sets (collectors 35-39), scored blind at c6ba9a2: 74 named, 72 first,
    # one false alarm (catvton-23, see its README), 10 refused; studied from then on: 75 / 73
    # with a CUDA build of no named package a warning (verify.diagnosis.foreign_rows)
    "holdout35": (95, 93),
    # session 9's sealed sets (collectors 40-47), scored blind at af8db44 (holdout40/README.md):
    # 59 named, 58 first, the floor; studied from then on. The text model
    # (verify/data/resemble_model.json) is now fitted on them too, so today's 69 / 68 is an
    # in-sample figure (58 / 57 by the rules alone): the floor stays at the blind one
    "holdout40": (84, 81),
    # session 10's sealed sets (collectors 48-56), scored blind at 9d51b6e (holdout48/README.md):
    # 61 named, 60 first, the floor; studied from then on (64 / 64 by the rules of b9c1bde,
    # the text model refitted on them after that): in-sample figures, the floor stays blind
    "holdout48": (82, 82),
    # session 11's sealed sets (collectors 57-63), scored blind at 69e7d1a and 76984bc alike
    # (holdout57/README.md): 98 named, 93 first, one false alarm (VIBESegmentator-2, mended
    # before the set was added); studied from then on
    "holdout57": (138, 134),
    # session 11's second sealed round (collectors 64-67), scored blind at the session's final
    # behaviour 43ff94f (holdout64/README.md): 49 named, 48 first (46 / 45 at 69e7d1a)
    "holdout64": (66, 66),
    # session 12's first sealed round (collectors 68-73), scored blind at 4b8c1de
    # (holdout68/README.md): 68 named, 66 first, one false alarm (mlverse/tabnet#132, R's torch
    # 0.9.0, mended before the set was added); studied from then on
    "holdout68": (93, 93),
    # session 12's second sealed round (collectors 74-78), scored blind at 4b8c1de and at 42b7bdb
    # alike (holdout74/README.md): 50 named, 50 first, one false alarm (kha-white/manga-ocr#29,
    # a print() string, mended before the set was added); studied from then on
    "holdout74": (71, 71),
    # session 13's first sealed round (collectors 79-84), scored blind at 3b297d6 and 5d1f83b
    # alike (holdout79/README.md): 56 named, 56 first, no false alarm; studied from then on
    "holdout79": (68, 68),
    # session 13's second sealed round (collectors 85-90), scored blind at 3b297d6 (57 / 55) and
    # at a8aae08, holdout79's study done (holdout85/README.md): 58 named, 55 first, no false
    # alarm; studied from then on
    "holdout85": (67, 66),
    # session 13's third sealed round (collectors 91-96, cut short by the session's search
    # budget), scored blind at 3b297d6 (27 / 27) and at 582507e (holdout91/README.md): 28 named,
    # 28 first, no false alarm
    "holdout91": (32, 31),
    # session 14's first sealed round (collectors 97-102), scored blind at d65934a
    # (holdout97/README.md): 37 named, 35 first, no false alarm; studied from then on
    "holdout97": (43, 41),
    # session 14's second and third sealed rounds (collectors 103-108 and 109-112), scored
    # blind at d65934a (holdout103/README.md): 39 + 11 named, 38 + 11 first, no false alarm
    "holdout103": (63, 62),
    # session 15's first sealed round (collectors 113-118), scored blind at 8a483f0
    # (holdout113/README.md): 54 named, 54 first, no false alarm; studied from then on
    "holdout113": (73, 73),
    # session 15's second sealed round (collectors 119-122), scored blind at 8a483f0 and at
    # a4a2e69 alike (holdout119/README.md): 25 named, 25 first, no false alarm
    "holdout119": (30, 30),
    # session 16's first sealed round (collectors 123-128), scored blind at 01b167f
    # (holdout123/README.md): 73 named, 70 first of 111, one false alarm (2noise/ChatTTS#32,
    # mended before the set was added); studied from then on
    "holdout123": (100, 97),
    # session 16's second sealed round (collectors 129-133), scored blind at 01b167f, 4b94541
    # and 14d2230 alike (holdout129/README.md): 39 named, 38 first, no false alarm
    "holdout129": (46, 45),
    # session 17's first round (collectors 134-137), scored blind at 4101eaa and 6ae3efa alike
    # (holdout134/README.md): 50 named, 50 first, one false alarm (Zonos' Docker build on a
    # Mac, since a warning)
    "holdout134": (61, 61),
    # session 17's sealed rounds (collectors 138-142), scored blind at 4101eaa and c9a09ed
    # alike (holdout138/README.md): 37 named, 37 first, two false alarms (an AMD GPU wished
    # for beside a Mac: since not read as the Mac's); with the third wave's 6 (143-144, blind
    # 4 / 4 at 4101eaa and d2c2fde) 41 / 41
    "holdout138": (62, 62),
    # session 18's first round (collectors 145-150), scored blind at a8815fd (holdout145/
    # README.md): 46 named, 46 first, one false alarm (accelerate#4226's MPS out-of-memory,
    # forced on purpose to test accelerate's batch-size finder: since a warning); with the
    # sealed second round's 17 (151-152, blind 11 / 11 at a8815fd and 78a4529) 57 / 57, and
    # the third wave's 4 (153, blind 4 / 4 at a8815fd and c5e7874) 61 / 61
    "holdout145": (82, 82),
    # session 19's round (collectors 154-159), scored blind at 72b600a (holdout154/README.md):
    # 39 named, 38 first, two false alarms (pytorch/pytorch#141973, cnr-isti-vclab/TagLab#65,
    # mended before the set was added), 6 refused; studied from then on
    "holdout154": (52, 51),
    # session 19's sealed second round (collectors 160-165), scored blind at 0c5046e and 72b600a
    # alike (holdout160/README.md): 39 named, 39 first, no false alarm, 10 refused
    "holdout160": (56, 56),
    # session 20's round (collectors 166-173), scored blind at 8b3b5b0 (holdout166/README.md): 46
    # named, 45 first, one false alarm (MouseLand/Kilosort#674, mended before the set was added),
    # 2 refused; studied from then on
    "holdout166": (57, 56),
    # session 20's sealed second round (collectors 174-181), scored blind at 8b3b5b0 and 93d1775
    # alike (holdout174/README.md): 35 named, 35 first, no false alarm, none refused
    "holdout174": (41, 41),
    # session 21's round (collectors 182-189), scored blind at 837ce80 (holdout182/README.md): 40
    # named, 40 first, no false alarm, 4 refused; studied from then on
    "holdout182": (50, 50),
    # session 21's sealed second round (collectors 190-197, at 837ce80 and 71371db alike) and a
    # third round of 5 (198-205, at 71371db), scored blind (holdout190/README.md): 64 named, 63
    # first, no false alarm, 2 refused
    "holdout190": (70, 69),
    # session 22's round (collectors 206-213), scored blind at d50f2b8 (holdout206/README.md): 43
    # named, 43 first, no false alarm, 3 refused; studied from then on
    "holdout206": (53, 53),
    # session 22's sealed second round (collectors 214-221), scored blind at d50f2b8 and d9cf0f6
    # alike (holdout214/README.md): 32 named, 30 first, one false alarm (Lightning-AI/litgpt
    # #1706, mended before the set was added), 3 refused
    "holdout214": (43, 42),
    # session 23's round (collectors 222-229), scored blind at e22c42a (holdout222/README.md): 33
    # named, 32 first, no false alarm, 6 refused; studied from then on
    "holdout222": (42, 40),
    # session 23's sealed second round (collectors 230-237) and third (238-240), scored blind at
    # e22c42a and 0c9e3d1 alike (holdout230/README.md): 29 named, 29 first, one false alarm
    # (ZHO-ZHO-ZHO/ComfyUI-InstantID#8, relabelled install-wrong-arch as the collector doubted),
    # 2 refused;
    # and its fourth round (collectors 241-244, blind at e22c42a and b4cc98f alike: 7 named, 6
    # first), merged in; and session 24's fifth (collectors 245-250, blind at 2ab1431: 5 reports,
    # 4 named, 4 first), merged in
    "holdout230": (44, 43),
    # session 28's round (collectors 280-287), scored blind at 87e8001 and 80e4b56 alike
    # (holdout280/README.md): 27 named, 27 first, no false alarm, none refused; and its second
    # round (collectors 290-295, blind at 87e8001 and b850fe7 alike: 8 reports, 2 named, 2
    # first, one refused), merged in
    "holdout280": (37, 37),
    # session 29's rounds (collectors 300-307 blind at 119febd: 22 reports, 17 named, 17 first,
    # one refused; collectors 310-317 blind at 404a6e0: 21 reports, 19 named, 18 first;
    # collectors 320-327 blind at 68107c8: 11 reports, 9 named, 9 first, one refused), no false
    # alarm (holdout300/README.md)
    "holdout300": (50, 49),
    # session 30's rounds (collectors 330-337 blind at 630e33f: 18 reports, 14 named, 13 first;
    # collectors 340-347 blind at d895a71: 22 reports, 15 named, 14 first; collectors 350-354
    # blind at d647ed9: 6 reports, 4 named, 4 first), no false alarm, none refused
    # (holdout330/README.md)
    "holdout330": (42, 41),
    # session 31's rounds (collectors 360-367 blind at c29a67f: 23 reports, 18 named, 18 first;
    # 370-374 at c43fdaf: 14, 12 named, 11 first, 1 refused; 380-384 at a29c993: 12, 6 named,
    # 6 first, 1 refused; 390-393 at c891e49: 6, all named and first), no false alarm; session
    # 32's round 13 (collectors 400-405 at f61d393: 6, 5 named, 5 first, 1 refused) and round
    # 14 (410-414 at d2d40bb: 5, 4 named, 4 first), round 15 (421-425 at 0c6ae34: 8, 7 named,
    # 7 first) and round 16 (430-434 at 3b7b210: 8, all named and first) merged in; session
    # 33's round 17 (440-443 at 58cd73a: 1, named, not first) too; session 38's round 18
    # (463-470 at df37e15: 19, 18 named and first, 1 false alarm on a label its own collector
    # doubted, that one left out: 18 merged) and round 19 (471-476 at c7a6df5: 26, 25 named and
    # first, 1 refused), round 20 (477-482 at 0169811: 11, 10 named and first, 1 refused) and
    # round 21 (483-487 at 619c537: 4, 1 named and first) too (holdout360/README.md)
    "holdout360": (133, 132),
}


@dataclass(frozen=True)
class Score:
    label: str
    named: bool
    first: bool
    false_alarm: bool
    unreadable: bool


def score(case: corpus.Case) -> Score:
    want = corpus.LABELS[case.label]
    results = corpus.diagnosed(case.text)
    if results is None:  # refused
        return Score(case.label, False, False, False, True)
    failing = {r.id for r in results if r.status is Status.FAIL}
    if want is corpus.NO_FAILURE:
        ok = not failing
        return Score(case.label, ok, ok, not ok, False)
    if not want:  # "other": no cause category to name
        return Score(case.label, True, True, False, False)
    flagged = failing | {r.id for r in results if r.status is Status.WARN}
    first = diagnose.first_cause(results)
    return Score(
        case.label, bool(flagged & want), first is not None and first.id in want, False, False
    )


def holdout_cases(folder: str = "holdout") -> list[corpus.Case]:
    return [corpus.load(p) for p in sorted((DATA / folder).glob("*.txt"))]


def test_holdout_sets_are_real_and_apart():
    # GitHub's owner / repository names are case-blind ("isl-org/Open3D" is "isl-org/open3d":
    # session 16's collector brought holdout64's thread back under the other spelling)
    dev_sources = {c.source.lower() for c in corpus.cases()}
    seen: dict[str, str] = {}
    for folder in FLOORS:
        cases = holdout_cases(folder)
        assert len(cases) >= 25, folder
        for case in cases:
            source = case.source.lower()
            assert case.source.startswith("https://"), case.name
            assert source not in dev_sources, f"{case.name} is also in the development corpus"
            assert source not in seen, f"{case.name} is also in {seen.get(source)}"
            seen[source] = folder
            assert case.label in corpus.LABELS, case.name


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_holdout_score_holds(folder):
    floor_named, floor_first = FLOORS[folder]
    scores = [score(c) for c in holdout_cases(folder)]
    named = sum(s.named for s in scores)
    first = sum(s.first for s in scores)
    alarms = [s for s in scores if s.false_alarm]
    assert alarms == [], f"a healthy environment in {folder} got a failing row"
    assert named >= floor_named, f"{folder}: named {named}/{len(scores)} < {floor_named}"
    assert first >= floor_first, f"{folder}: first {first}/{len(scores)} < {floor_first}"
