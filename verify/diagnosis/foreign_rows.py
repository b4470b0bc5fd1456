"""The torch.installed row for a build for another platform on a Mac (issue 12).

Pure: the rule's row and the Pasted in, the row the paste supports (or None) out; texts in
verify.diagnosis.foreign_messages; verify.diagnosis.resolver asks this for torch.installed. What
is read is verify.diagnosis.paste.foreign's:

- a CUDA-only package's source build failing on a Mac (sign.cuda_build). A CUDA build failing
  for want of nvcc happens on Linux too (a machine without the toolkit), so the Mac must be
  named by the paste's own readers (os Darwin, sign.mac_hint), not merely mentioned; where a
  model's own code asks for the package (transformers' "This modeling file requires") or the
  attention backend the code chose does (diffusers' flash backend), a warning: the environment
  is fine and the model needs its path without it;
- another package's source build failing on an Apple chip (sign.source_build): no macOS arm64
  wheel of that release for this Python, so the installer compiled it, and the compiler failed
  (gym-pybullet-drones#234). Only with no x86_64 interpreter (that one is host.arch's: an Intel
  Mac or Rosetta gets no arm64 wheel either); on a Mac whose chip the paste does not show, a
  warning: no wheel for this Mac, whichever its chip (kha-white/mokuro#32);
- a library that is no Mach-O file (sign.not_mach_o): dyld's words, a Mac's by themselves;
- another package's Linux / Windows wheel refused by pip on a Mac (sign.wheel_refused; torch's
  own are verify.diagnosis.install_rows'): a CUDA build ("llama_cpp_python_cuda-0.2.23+cu118-
  cp310-cp310-manylinux_2_31_x86_64.whl is not a supported wheel on this platform":
  h2oai/h2ogpt#1212) or a plain one a requirements file pinned by its URL
  ("torch_xla-nightly+20240429-cp39-cp39-linux_x86_64.whl": google-ai-edge/ai-edge-torch#67).
- a package saying in its own words that it runs on Linux only (sign.linux_only: vLLM's
  "vLLM only supports Linux platform (including WSL)", sgl-project/sglang#508), with the Mac
  shown or named in words: no release of it installed there runs on a Mac.
- GNU ld refusing a LibTorch library as "file in wrong format" (sign.linked_wrong_format) in a
  Linux container or VM on an Apple chip (elixir-nx/nx#593): the container is arm64 Linux, the
  library built for another CPU (LibTorch's x86_64 Linux build).
- Docker finding no linux/arm64 build of an image, or running an amd64 one, on an Apple silicon
  Mac (sign.image_platform: coqui-ai/TTS#3095, infiniflow/ragflow#1164): the application's image
  has no arm64 build, so nothing in it runs natively there. Where the paste asks for a
  GPU in the container (CUDA, NVIDIA, MPS, `--gpus`), the container's Linux is the answer
  (host.os: no GPU reaches Docker on a Mac; cog#1036, vsgan-tensorrt-docker#14), not this row.
- Python failing to import a package no Mac can install (sign.cuda_import: "No module named
  'triton'" on macOS 26, opengeos/geoai#797): a warning, with the Mac shown or named in words
  (the same import fails on a Linux machine without it, where installing it is the fix); the
  code path that imports it is a CUDA one, and a project often has another.
A CUDA build or a non-Mach-O library beside torch shown running on MPS is a side issue (an
optional extension in a log about something else): a warning there.
"""

from __future__ import annotations

import re

from verify.diagnosis import foreign_messages as msg
from verify.diagnosis.envdump import Pasted
from verify.diagnosis.paste import gpuonly, refused
from verify.diagnosis.paste.foreign import CUDA_BUILD
from verify.model import Result, failed, warned

# a GPU asked of the container: its own words, a CUDA / NVIDIA image, MPS, Docker's --gpus
GPU_ASKED = re.compile(r"\b(?:GPUs?|CUDA|NVIDIA|MPS|Metal)\b|--gpus\b", re.IGNORECASE)


def finding(result: Result, pasted: Pasted) -> Result | None:
    """For torch.installed (not failing already): the row a foreign build supports, or None."""
    if pasted.facts.os not in (None, "Darwin"):
        return _image_platform(result, pasted) or _linked_wrong_format(result, pasted)
    return (
        _image_platform(result, pasted)
        or _not_mach_o(result, pasted)
        or _cuda_build(result, pasted)
        or _wheel(result, pasted)
        or _source_build(result, pasted)
        or _linux_only(result, pasted)
        or _cuda_import(result, pasted)
    )


def _image_platform(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.image_platform") or []
    # the Mac shown or named (the container's Linux may be the OS read)
    on_mac = pasted.from_a_mac() or pasted.has("sign.docker_on_mac") or pasted.has("sign.mac_named")
    if not clues or not on_mac or pasted.facts.hardware_arm64 is False:
        return None
    if GPU_ASKED.search(pasted.text):
        return None
    emulated = clues[0].value == "emulated"
    cause, fix = msg.image_platform(emulated)
    lines = [clues[0].line, *pasted.mac_lines()]
    return _failed(result, cause, fix, lines, image_platform=str(clues[0].value))


def _linked_wrong_format(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.linked_wrong_format") or []
    on_mac = pasted.has("sign.linux_vm_on_mac") or pasted.has("sign.docker_on_mac")
    if not clues or not on_mac or pasted.facts.hardware_arm64 is not True:
        return None
    library = str(clues[0].value)
    cause, fix = msg.linked_wrong_format(library)
    lines = [clues[0].line, *pasted.evidence.get("sign.linux_vm_on_mac", [])[:1]]
    return _failed(result, cause, fix, lines, library=library)


def _linux_only(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.linux_only") or []
    if not clues or not pasted.mac_in_words():
        return None
    package = str(clues[0].value)
    cause, fix = msg.linux_only(package)
    lines = [clues[0].line, *pasted.mac_lines()]
    return _failed(result, cause, fix, lines, _torch_ran(pasted), package=package)


def _cuda_import(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.cuda_import") or []
    if not clues or not pasted.mac_in_words():
        return None
    package = str(clues[0].value)
    known = gpuonly.known().get(package)
    cause, fix = msg.cuda_import(
        package, known.platforms if known else (), CUDA_BUILD.get(package, "")
    )
    lines = [clues[0].line, *pasted.mac_lines()]
    return _failed(result, cause, fix, lines, side_issue=True, package=package)


def _source_build(result: Result, pasted: Pasted) -> Result | None:
    built = pasted.signs.get("sign.source_build") or []
    clues = built or pasted.signs.get("sign.sdist_failed") or []
    f = pasted.facts
    if not clues or f.machine == "x86_64" or f.translated:
        return None
    apple_chip = bool(f.hardware_arm64 or f.machine == "arm64")
    if not apple_chip and (f.hardware_arm64 is False or not pasted.from_a_mac()):
        return None
    named = [c for c in clues if c.value]
    package = str(named[0].value) if named else ""
    cause, fix = msg.source_build(package, f.python_version, apple_chip=apple_chip)
    lines = [(named or clues)[0].line, *pasted.mac_lines()]
    # the chip not shown (a Mac with no wheel for it, Apple's or Intel's), or only pip's
    # metadata step failing (.paste.foreign's sign.sdist_failed): a warning
    side_issue = _torch_ran(pasted) or not apple_chip or not built
    return _failed(result, cause, fix, lines, side_issue, package=package)


def _cuda_build(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.cuda_build") or []
    if not clues or not pasted.from_a_mac():
        return None
    named = [c for c in clues if c.value]
    package = str((named or clues)[0].value)
    lines = [c.line for c in (named[:1] + [c for c in clues if not c.value][:1] or clues[:1])]
    if pasted.has("sign.model_code_requires"):
        # a model's own code imports it (transformers' check_imports): the environment is fine
        # and the model runs without it where its code has a fallback (replit/ReplitLM#8): a
        # warning, not a failed install
        asked = pasted.signs["sign.model_code_requires"][:1]
        cause, fix = msg.model_code_needs_cuda_package(package, str(asked[0].value))
        lines += [c.line for c in asked]
        row = Result.from_outcome(result.id, result.title, warned(cause, fix, package=package))
        return row.with_evidence(tuple(dict.fromkeys(lines)))
    cause, fix = msg.cuda_build(package, CUDA_BUILD.get(package, ""))
    # no package named (only "CUDA_HOME environment variable is not set" / "nvcc was not
    # found"): a project's own CUDA operators or an extension compiled at import, not the
    # environment's install - a warning (zheng-chong/CatVTON#23: a ComfyUI node's detectron2
    # ops on a Mac whose torch is fine; facebookresearch/Mask2Former#219's make.sh)
    side_issue = _torch_ran(pasted) or not named
    return _failed(result, cause, fix, [*lines, *pasted.mac_lines()], side_issue, package=package)


def _not_mach_o(result: Result, pasted: Pasted) -> Result | None:
    clues = pasted.signs.get("sign.not_mach_o") or []
    if not clues:
        return None
    found = next((c for c in clues if c.value[0]), clues[0])  # the one whose path names it
    package, library = found.value
    cause, fix = msg.not_mach_o(str(package), str(library))
    lines = [found.line]
    return _failed(result, cause, fix, lines, _torch_ran(pasted), package=package, library=library)


def _wheel(result: Result, pasted: Pasted) -> Result | None:
    clues = [
        c
        for c in pasted.signs.get("sign.wheel_refused") or []
        if c.value[3] in ("linux", "windows") and c.value[0] not in refused.TORCH_FAMILY
    ]
    if not clues or not pasted.from_a_mac():
        return None
    package, version, python, system, platform = clues[0].value
    os_name = "Linux" if system == "linux" else "Windows"
    tag = f"cp{python.replace('.', '')}" if python else "py3"
    wheel = f"{package}-{version}-{tag}-...-{platform}.whl"
    cause, fix = msg.foreign_wheel(wheel, str(package), os_name)
    lines = [clues[0].line, *pasted.mac_lines()]
    return _failed(result, cause, fix, lines, package=package, wheel_os=os_name)


def _torch_ran(pasted: Pasted) -> bool:
    """Did torch itself run on MPS in this paste? Then another package's build for the wrong
    platform is a side issue beside a working PyTorch (a custom node or an optional extension
    that fails to import in a log whose thread is about something else): a warning, not the
    environment failing."""
    return pasted.facts.mps_available is True or pasted.has("sign.mps_work")


def _failed(
    result: Result, cause: str, fix, lines: list[str], side_issue: bool = False, **data
) -> Result:
    outcome = (warned if side_issue else failed)(cause, fix, **data)
    row = Result.from_outcome(
        result.id, result.title, outcome, required=result.required or not side_issue
    )
    return row.with_evidence(tuple(dict.fromkeys(lines)))
