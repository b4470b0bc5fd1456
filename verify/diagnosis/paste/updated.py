"""A newer PyTorch said, in a sentence, to fix the problem (issue 12): the torch in use is too old.

What a maintainer reads as "the torch was too old" is often told in words, with no release
named, no message pasted, or the release said only as "the nightly" or "the latest":
- an update of torch said to fix it: "After trying to update it, the error in aten::
  nlinalg.solve-ex.result no longer exists" (Comfy-Org/desktop#1492, "it" being the pytorch the
  sentence before names), "[bug]: Flux (GGUF) broken on MPS, updating PyTorch fixes"
  (invoke-ai/InvokeAI#8835's title), "This is fixed by ... which is installing the latest nightly
  version of Pytorch." (TheRealEyeless/MarkovianTraining#9), "Works after upgrading to
  torch==2.4.1" (eloialonso/diamond#6), "Updating to Pytorch to 2.1 fixed the bug" (pandora523 in
  AUTOMATIC1111/stable-diffusion-webui#11120);
- the nightly said to work or to be needed: "A fix has been merged but it seems the nightly build
  is required to use the fix." (MIC-DKFZ/nnUNet#1862);
- a newer release said to work where an older one fails, in one sentence ("works with torch 2.1
  but not with 2.0"). The reverse ("worked in 2.1, broken in 2.2") is a newer torch breaking, a
  regression, and gives nothing; so does a downgrade said to fix it.

verify.diagnosis.paste.told reads the narrower "updating torch to 2.9.1 fixes this issue" with
its release (sign.torch_fixed_by, compared with the torch in the paste); this reader gives one
WEAK clue `sign.cause_said` = "torch_too_old" (verify.diagnosis.claim_rows: a warning on
torch.version, ranked after every other finding). A sentence counts only as a person's statement
(verify.diagnosis.paste.claims.statement): not a question, not opened by a condition, not
hedged ("supposedly", "should", "to see if"), its fix not negated ("did not fix", "still
fails"). Pure: text in, clues out. tests/test_claims.py measures it over every real report.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.claims import candidates, lower_same_length, statement
from verify.diagnosis.paste.clues import WEAK, Clue, quote, sentence_at

_I = re.IGNORECASE

TOPIC = "torch_too_old"
_TORCH_WORD = re.compile(r"\b(?:py)?torch\b", _I)
# the update: a verb that moves to a newer release, its object torch (or "it" for the torch the
# sentence before names, or the nightly / latest release of a torch the sentence names)
_UPDATE_VERB = (
    r"\b(?:updat|upgrad)(?:e|es|ed|ing)\b|\breinstall(?:s|ed|ing)?\b|\bbump(?:s|ed|ing)?\b|"
    r"\b(?:switch(?:es|ed|ing)?|mov(?:e|es|ed|ing)|go(?:es|ing)?|went)[ \t]+to\b|"
    r"\binstall(?:s|ed|ing)?\b(?=[ \t]+(?:the[ \t]+|a[ \t]+)?(?:latest|newest|newer|nightly|"
    r"preview|most[ \t]+recent))"
)
UPDATE = re.compile(_UPDATE_VERB, _I)
_UPWARD = re.compile(r"(?:updat|upgrad|bump)", _I)
# what the update's object may hold before torch: "the", "to", "the latest nightly version of"
_OBJECT_GAP = re.compile(
    r"[ \t]*(?:(?:the|a|my|our|to|latest|newest|newer|nightly|stable|preview|most|recent|"
    r"version|versions|release|build|of|it|its|your|their)[ \t`]+)*`?",
    _I,
)
_NEWER_WORDS = re.compile(
    r"\b(?:latest|newest|newer|nightly|nightlies|preview|most[ \t]+recent|recent)\b", _I
)
# "a newer torch fixed it", "the latest PyTorch fixes it", "newer versions of pytorch work"
NEWER_TORCH = re.compile(
    r"\b(?:latest|newest|newer|more[ \t]+recent|nightly)[ \t]+(?:(?:stable|nightly|version|"
    r"versions|release|releases|build|builds)[ \t]+)?(?:of[ \t]+)?`?(?:py)?torch\b"
    # a newer way inside torch, not a newer torch: "Switching to `use_reentrant=False` (the
    # newer PyTorch implementation) completely resolves the issue." (instructlab#3533)
    r"(?![ \t]+(?:implementation|api|function|functions|option|path|code|mode|variant)s?\b)",
    _I,
)
# the problem said gone: "fixed it", "the error no longer exists", "works now", "solved"
RESOLVED = re.compile(
    r"\b(?:fix(?:es|ed)?|solve[sd]?|resolve[sd]?|works?|worked|working|helped|"
    r"did[ \t]+the[ \t]+trick)\b|"
    r"\bno[ \t]+longer[ \t]+(?:exists?|happens?|occurs?|appears?|shows?|reproduces?|"
    r"(?:an[ \t]+)?(?:issue|problem))\b|"
    r"\b(?:went|goes|go|gone)[ \t]+away\b|\b(?:is|was)[ \t]+gone\b|\bdisappear(?:s|ed)?\b|"
    r"\b(?:runs?|ran|running)[ \t]+(?:fine|well|smoothly|again|perfectly|correctly)\b|"
    # "the nightly build is required to use the fix" (MIC-DKFZ/nnUNet#1862)
    r"\b(?:is|are)[ \t]+(?:required|needed)\b|"
    # the tests said to pass: "Bumping to torch 2.6 makes all tests pass." (PriorLabs/TabPFN
    # #1125)
    r"\b(?:makes?|made)[ \t]+(?:\w+[ \t]+){0,3}?pass\b|\btests?[ \t]+pass(?:es|ed)?\b",
    _I,
)
# the fix denied, still failing, or only hoped for: the sentence says nothing fixed it
_NOT_FIXED = re.compile(
    r"\b(?:not|never|no)[ \t]+(?:\w+[ \t]+){0,2}?(?:fix|solve|resolve|help|work|change)|"
    r"n't[ \t]+(?:\w+[ \t]+){0,2}?(?:fix|solve|resolve|help|work|change)|"
    r"\bno[ \t]+longer[ \t]+(?:works?|runs?|working)\b|\bstill\b|\beither\b|\bnor\b|"
    r"\b(?:supposedly|should|would|could|might|may|hope|hoping|hopefully|expect(?:ed)?|"
    r"to[ \t]+see[ \t]+if|in[ \t]+case|unless|try|trying[ \t]+to[ \t]+see|whether|"
    # a check still to run: "CI: check if torch nightly fixes MPS F.linear" (a PR's title)
    r"(?:check|checks|checking|test|tests|testing)[ \t]+if|"
    r"wait(?:ing)?[ \t]+for|will|gonna|going[ \t]+to)\b|"
    # a fault a torch update brought, or fixed by going back: a regression, not an old torch
    r"\bdowngrad|\brevert|\broll(?:ed|ing)?[ \t]+back|\bolder[ \t]+(?:version|release|torch)|"
    r"\bregress|\bbroke\b|\bbroken[ \t]+(?:by|after|since|with)[ \t]+(?:the[ \t]+)?(?:updat|"
    r"upgrad|newer|latest|nightly)|\bintroduced\b|"
    # a belief or a wish, not what happened: "I thought I can use mps using nightly version"
    # (pytorch/pytorch#87351), "Get Flux working on MPS when ... nightlies are installed"
    r"\b(?:thought|think|believe|assume[sd]?)\b|"
    r"\b(?:get|getting|make|making)[ \t]+(?:\w+[ \t]+){0,3}?working\b",
    _I,
)
# another thing updated: the update is of macOS, Xcode, the app, a driver, not torch
_OTHER_UPDATE = re.compile(
    r"\b(?:mac[ \t]?OS|OS[ \t]?X|Sonoma|Sequoia|Ventura|Monterey|Tahoe|Xcode|the[ \t]+OS|"
    r"drivers?|firmware|python|numpy|transformers|diffusers|accelerate|the[ \t]+app)\b",
    _I,
)
_PRONOUN = re.compile(r"[ \t]*(?:it|that)\b", _I)
# the nightly said to work, be needed or hold the fix ("the nightly build is required to use
# the fix": MIC-DKFZ/nnUNet#1862; "fixed in the nightlies")
# (another package's nightly, named with it, is not torch's: "Working with latest mlc-ai-nightly
# wheel (0.12.dev1813)", mlc-ai/mlc-llm#1247)
NIGHTLY = re.compile(r"(?<![\w-])nightl(?:y|ies)\b|\b(?:py)?torch-nightly\b|\.dev20\d{6}\b", _I)

# the torch said to be old: "the `mps` support in your latest version of Cellpose is giving issues
# with old version of `pytorch` (1.8.2)" (kevinjohncutler/omnipose#17), "It seems torch was not
# updated." (AUTOMATIC1111/stable-diffusion-webui#13527), "your torch is outdated"
OLD_TORCH = re.compile(
    r"\b(?:issues?|problems?|errors?|bugs?|crash(?:es)?|incompatib\w*)[ \t]+with[ \t]+"
    r"(?:an?[ \t]+|the[ \t]+|my[ \t]+|your[ \t]+)?(?:old|older|outdated)[ \t]+"
    r"(?:versions?[ \t]+of[ \t]+)?`?(?:py)?torch\b|"
    r"\b(?:py)?torch`?[ \t]+(?:version[ \t]+)?(?:is|was|being)[ \t]+(?:too[ \t]+old|outdated|"
    r"out[ \t]+of[ \t]+date|not[ \t]+updated)\b|"
    r"\boutdated[ \t]+(?:version[ \t]+of[ \t]+)?`?(?:py)?torch\b",
    _I,
)

# one sentence naming two torch releases, one said to work and one to fail
_RELEASE = re.compile(r"(?<![\w.])v?([12]\.\d{1,2}(?:\.\d{1,2})?)(?![\w.]*\d)")
_TORCH_RELEASE = re.compile(
    r"\b(?:py)?torch(?:[ \t]*(?:==|>=|=|@)[ \t]*|[ \t]+(?:version[ \t]+)?v?|-)[12]\.\d", _I
)
_SPLIT = re.compile(r"[,;]|\b(?:but|while|whereas|however|though|although)\b", _I)
_FAILS = re.compile(
    r"\b(?:fails?|failed|failing|crash(?:es|ed)?|broken|breaks|errors?|not|doesn'?t|don'?t|"
    r"didn'?t|isn'?t|wasn'?t|won'?t|can'?t|cannot|never)\b|n't\b",
    _I,
)
_WORKS = re.compile(r"\b(?:works?|worked|working|fine|fixed|runs?|ran)\b", _I)

_URL = re.compile(r"\bhttps?://\S+")
_NEEDLES = (
    "updat",
    "upgrad",
    "reinstall",
    "bump",
    "nightl",
    "newer",
    "latest",
    "newest",
    "work",
    " old",
    "outdated",
    "out of date",
    "not updated",
)
_TOPIC_NEEDLES = ("torch", "nightl", ".dev20", " it ", " it,", " it.")


def _object_is_torch(text: str, verb: re.Match[str], sentence: tuple[int, int]) -> bool:
    """Is the update's object torch: named right after the verb ("updating PyTorch", "upgrading
    to torch==2.4.1", "installing the latest nightly version of Pytorch"), or "it" where the
    sentence before ends on torch (Comfy-Org/desktop#1492)."""
    start, end = sentence
    gap = _OBJECT_GAP.match(text, verb.end(), end)
    at = gap.end() if gap else verb.end()
    if _TORCH_WORD.match(text, at):
        return True
    between = text[verb.end() : at]
    if _NEWER_WORDS.search(between):
        # "upgrading to the latest nightly" of a torch the sentence names, nothing else updated
        return bool(_TORCH_WORD.search(text, start, end)) and not _OTHER_UPDATE.search(
            text, start, end
        )
    if _PRONOUN.match(text, verb.end()) and start > 0:
        before = sentence_at(text, start - 1)
        prior = text[before[0] : before[1]]
        named = list(_TORCH_WORD.finditer(prior))
        return bool(named) and not _OTHER_UPDATE.search(prior, named[-1].end())
    return False


def _update_fixed(text: str, start: int, end: int) -> bool:
    """An update of torch (or a newer torch) and the problem said gone, in one sentence."""
    resolved = RESOLVED.search(text, start, end)
    if resolved is None:
        return False
    for verb in UPDATE.finditer(text, start, end):
        # only an update, upgrade or bump goes up by itself: a reinstall mends an install
        # (another Python, another build), a switch may go back to an older release
        if not _UPWARD.match(verb.group(0)) and not _NEWER_WORDS.search(text, start, end):
            continue
        if _object_is_torch(text, verb, (start, end)) and not _OTHER_UPDATE.search(
            text, verb.end(), verb.end() + 12
        ):
            return True
    return NEWER_TORCH.search(text, start, end) is not None and not _OTHER_UPDATE.search(
        text, start, end
    )


def _nightly_works(text: str, start: int, end: int) -> bool:
    """The torch nightly said to work, fix it or be needed for the fix."""
    if NIGHTLY.search(text, start, end) is None or RESOLVED.search(text, start, end) is None:
        return False
    sentence = text[start:end]
    # the nightly of the torch the text is about: torch named in the sentence or the paste
    return bool(_TORCH_WORD.search(sentence) or _TORCH_WORD.search(text)) and (
        not _OTHER_UPDATE.search(sentence) and not _FAILS.search(sentence)
    )


def _newer_release_works(sentence: str) -> bool:
    """Two torch releases in one sentence, the newer said to work and the older to fail
    ("works with torch 2.1 but not with 2.0"); the older working is a regression."""
    first = _TORCH_WORD.search(sentence)
    if first is None or _OTHER_UPDATE.search(sentence):
        return False
    # the first release must be torch's (named right after it): no macOS or Python release
    if not _TORCH_RELEASE.match(sentence, first.start()):
        return False
    good: list[tuple[int, ...]] = []
    bad: list[tuple[int, ...]] = []
    for clause in _SPLIT.split(sentence):
        releases = [tuple(int(p) for p in r.split(".")) for r in _RELEASE.findall(clause)]
        if len(releases) != 1:
            continue
        if _FAILS.search(clause):
            bad.extend(releases)
        elif _WORKS.search(clause):
            good.extend(releases)
    return bool(good and bad) and min(good) > max(bad)


_RELEASE_SAID = re.compile(
    r"\b(?:py)?torch`?(?:[ \t]*(?:==|>=|=)[ \t]*|[ \t]+(?:to[ \t]+|version[ \t]+)?v?|-)"
    r"([12]\.\d{1,2}(?:\.\d{1,2})?)(?![\w.]*\d)",
    _I,
)


def release_said(sentence: str) -> str | None:
    """The torch release a sentence names ("Updating to Pytorch to 2.1 fixed the bug" -> "2.1"),
    the newest where it names several; None where it names none."""
    found = [m.group(1) for m in _RELEASE_SAID.finditer(sentence)]
    return max(found, key=lambda v: tuple(int(p) for p in v.split("."))) if found else None


def read(text: str) -> list[Clue]:
    low = lower_same_length(text)
    if not any(n in low for n in _TOPIC_NEEDLES):
        return []
    for start, end in candidates(text, low, _NEEDLES):
        sentence = text[start:end]
        # an address in the sentence is no program output ("This is fixed by https://...
        # which is installing the latest nightly version of Pytorch.": MarkovianTraining#9)
        if not statement(_URL.sub("URL", sentence)) or _NOT_FIXED.search(sentence):
            continue
        if sentence.rstrip().endswith("?"):
            continue
        if (
            _update_fixed(text, start, end)
            or _nightly_works(text, start, end)
            or _newer_release_works(sentence)
            or OLD_TORCH.search(sentence)
        ):
            return [Clue("sign.cause_said", TOPIC, quote(" ".join(sentence.split())), WEAK)]
    return []
