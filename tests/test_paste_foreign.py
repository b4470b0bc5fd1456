"""A build for another platform installed or loaded on a Mac (verify.diagnosis.paste.foreign,
verify.diagnosis.foreign_rows; issue 12). Real reports: tests/data/collect_env/ (each file's
source) and lines quoted verbatim from the public threads named beside them."""

from __future__ import annotations

import corpus
import pytest

from verify.diagnosis import diagnose, paste
from verify.diagnosis.paste import foreign
from verify.errors import InputError
from verify.model import Status

BY_NAME = {c.name: c for c in corpus.cases()}


def _rows(text):
    _, results = diagnose.diagnose(text)
    return {r.id: r for r in results}


def _first(text):
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    return first.id if first else None


@pytest.mark.parametrize(
    "name",
    [
        "unsloth-414-xformers-build-on-apple-m1-pro",
        "langchain-chatchat-4014-xformers-wheel-on-macbook-pro",
        "stable-diffusion-webui-16921-xformers-build-on-mac-silicon",
    ],
)
def test_a_cuda_only_packages_failed_build_on_a_mac_is_the_install(name):
    text = BY_NAME[name].text
    assert next(c.value for c in paste.read(text).signs["sign.cuda_build"]) == "xformers"
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL
    assert "xformers" in row.cause and "CUDA" in row.cause
    assert "facebookresearch/xformers/issues/740" in row.cause  # the project's own word
    assert "sys_platform != 'darwin'" in row.fix.text
    assert any("xformers" in line for line in row.evidence)
    assert _first(text) == "torch.installed"


def test_a_cuda_only_package_said_to_fail_by_its_exception_class():
    # facebookresearch/audiocraft#362's title over pip's arm64 macOS wheels (verbatim lines)
    text = (
        "ModuleNotFoundError: No module named 'torch' when attempting to install xformers\n"
        "Collecting av (from audiocraft)\n"
        "  Using cached av-11.0.0-cp311-cp311-macosx_11_0_arm64.whl.metadata (4.5 kB)\n"
    )
    assert [c.value for c in paste.read(text).signs["sign.cuda_build"]] == ["xformers"]
    assert _first(text) == "torch.installed"
    # tried, and no failure said
    assert not paste.read("I tried to install xformers first\n").has("sign.cuda_build")


# haotian-liu/LLaVA#698, verbatim: flash-attn's setup.py warning on an M1 Max
NVCC = (
    "I am only using the M1 max chip of mac book pro with 64GB of ram.\n"
    "      /private/var/folders/r1/_sncvgk15lb_fhsrrjjhj_wh0000gn/T/pip-install-swug64eb/"
    "flash-attn_a0697bca31734576b03cf6574720853a/setup.py:79: UserWarning: flash_attn was "
    "requested, but nvcc was not found.  Are you sure your environment has nvcc available?"
)


def test_nvcc_missing_names_the_package_it_was_building():
    (sign,) = paste.read(NVCC).signs["sign.cuda_build"]
    assert sign.value == "flash-attn"
    row = _rows(NVCC)["torch.installed"]
    assert row.status is Status.FAIL and "flash-attn" in row.cause


def test_nvcc_missing_off_a_mac_is_not_read_as_a_mac():
    # the same warning with no Mac named: Linux machines without the CUDA toolkit print it too
    # (built in Linux's /tmp: macOS's per-user temporary folder would itself say Mac)
    text = NVCC.split("\n", 1)[1].replace(
        "/private/var/folders/r1/_sncvgk15lb_fhsrrjjhj_wh0000gn/T/", "/tmp/"
    )
    assert paste.read(text).has("sign.cuda_build")
    assert "torch.installed" not in _rows_or_empty(text)


def test_a_cmake_build_for_cuda_or_hip_only_on_a_mac_is_a_cuda_build():
    # leoheuler/flashtensors#11, verbatim lines: pip building it from git on an M1
    text = (
        "Trying to build on Macbook Pro M1 - fails building wheel\n"
        "      -- Found Python: /Users/ferdinandosimonetti/flashtensors/.env/bin/python3.11 (found "
        'version "3.11.9") found components: Interpreter\n'
        "      CMake Error at CMakeLists.txt:45 (message):\n"
        "        Neither CUDA nor HIP found\n"
    )
    assert paste.read(text).has("sign.cuda_build")
    row = _rows(text)["torch.installed"]
    assert row.status is Status.WARN and "CUDA" in row.cause
    assert any("Neither CUDA nor HIP found" in line for line in row.evidence)


def test_a_setup_reading_torchs_missing_cuda_version_names_the_package_pip_builds():
    # AutoGPTQ/AutoGPTQ#366, verbatim lines: macOS's temporary folder is the Mac, pip's build
    # folder the package
    text = (
        "when i pip requirements\n"
        '        File "/private/var/folders/qm/wtdnd37s0fz2frcd95_m0cmw0000gn/T/'
        'pip-install-ubxft3ba/auto-gptq_49227d8c725445ff8ca985c4d5debc16/setup.py", line 21, in '
        "<module>\n"
        '          CUDA_VERSION = "".join(torch.version.cuda.split("."))\n'
        "      AttributeError: 'NoneType' object has no attribute 'split'\n"
        "is the project support mac?\n"
    )
    assert paste.read(text).has("sign.mac_hint")
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and "auto-gptq" in row.cause and "()" not in row.cause
    assert _first(text) == "torch.installed"


def test_vllms_missing_cuda_home_is_the_build_not_an_mps_failure():
    # vllm-project/vllm#1441, verbatim (title and body)
    text = (
        "Does vllm support the Mac/Metal/MPS?\n"
        "I ran into the error when pip install vllm in Mac: \n"
        "    RuntimeError: Cannot find CUDA_HOME. CUDA must be available to build the package.\n"
    )
    assert _first(text) == "torch.installed"
    assert "error.mps.fixed_in_newer_torch" not in _rows(text)


def _rows_or_empty(text):
    try:
        return {i: r for i, r in _rows(text).items() if r.status is Status.FAIL}
    except Exception:  # a paste with nothing else to read exits 2
        return {}


def test_a_person_telling_the_install_fails_is_read_an_installer_log_is_not():
    # facebookresearch/xformers#731, verbatim
    said = (
        "I'm trying to use kohya_ss to train a lora for stable diffusion on my Mac and I have "
        "kohya_ss installed but once I go to train, I get an error message that xformers is not "
        "installed.  when I try to install xformers, I get an incredibly long error message "
        "that I can't decipher"
    )
    assert [c.value for c in paste.read(said).signs["sign.cuda_build"]] == ["xformers"]
    # SD.Next's installer log (vladmandic/automatic#1591, verbatim): its own bug, not a build
    log = (
        "2023-07-06 18:43:27,310 | sd | DEBUG | installer | Cannot install xformers package: "
        "local variable 'xformers_package' referenced before assignment"
    )
    assert not paste.read(log).has("sign.cuda_build")


def test_a_models_own_code_asking_for_it_is_a_warning():
    # replit/ReplitLM#8, verbatim: the model's remote code imports flash_attn on an m1 mac; the
    # maintainer: run with PyTorch's default attention (the environment is fine)
    text = (
        "`ImportError: This modeling file requires... flash_attn`\n\n"
        "Trying to follow the instructions on an m1 mac, I get the above error.\n\n"
        "Unfortunately, attempting to install `flash_attn` does not succeed, due to: "
        "`RuntimeError: flash_attn was requested, but nvcc was not found.`, which may be just an "
        "unfortunate aspect of not having an nvidia card."
    )
    rows = _rows(text)
    assert rows["torch.installed"].status is Status.WARN
    assert not [r for r in rows.values() if r.status is Status.FAIL]


def test_a_library_that_is_no_mach_o_file_is_a_linux_build():
    text = BY_NAME["grain-620-so-not-mach-o-file-on-macbook"].text
    (first, *_) = [c for c in paste.read(text).signs["sign.not_mach_o"] if c.value[0]]
    assert first.value == ("grain", "index_shuffle_module.so")
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and "grain's index_shuffle_module.so" in row.cause
    assert "not a Mach-O file" in row.cause


def test_the_older_dyld_names_elfs_magic_number():
    # BhallaLab/moose-core#252, verbatim
    text = (
        "\t/Users/dilawars/Library/Python/2.7/lib/python/site-packages/moose/_moose.so: unknown "
        "file type, first eight bytes: 0x7F 0x45 0x4C 0x46 0x02 0x01 0x01 0x00"
    )
    (sign,) = paste.read(text).signs["sign.not_mach_o"]
    assert sign.value == ("moose", "_moose.so")


def test_a_cuda_conda_package_said_not_to_exist_for_a_macs_subdir():
    # FoamoftheSea/lingonaut-python#6, verbatim
    text = (
        "- `conda env create -f environment.yml` fails: `cudatoolkit` and the `nvidia` channel "
        "don't exist for osx-arm64. (`pytorch=2.2.0` itself is available for osx-arm64 from the "
        "`pytorch` channel.)"
    )
    (sign,) = paste.read(text).signs["sign.cuda_conda_package"]
    assert sign.value == "cudatoolkit"


def test_a_cuda_conda_package_said_not_to_support_a_macs_subdir():
    # JH-DSAI/text-detection-baselines#17, verbatim (a pixi environment)
    text = "Additionally, the `pytorch-gpu` dependency does not support osx-arm64 even though torch"
    (sign,) = paste.read(text).signs["sign.cuda_conda_package"]
    assert sign.value == "pytorch-gpu"
    assert _rows(text)["torch.installed"].status is Status.FAIL


def test_a_gpu_builds_linux_wheel_refused_on_a_mac():
    # h2oai/h2ogpt#1212, verbatim (title and pip's refusal)
    text = (
        "Recent pip install -r reqs_optional/requirements_optional_gpt4all.txt fails on Mac with "
        "apple silicon\n\nERROR: llama_cpp_python_cuda-0.2.23+cu118-cp310-cp310-"
        "manylinux_2_31_x86_64.whl is not a supported wheel on this platform."
    )
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and "llama-cpp-python-cuda" in row.cause
    assert "built for Linux" in row.cause


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("I am installing it with `pip install fbgemm-gpu-cpu==0.4.1` in MacOS", True),
        ("Package does not exist on macOS (intel)", True),  # triton-lang/triton#1465's title
        (" - OS: [e.g. iOS] MacOS", True),  # bigsk1/voice-chat-ai#19's bug template
        ("I never ran it on macOS", False),
        ("runs-on: macos-14", False),
    ],
)
def test_the_mac_named_in_passing(text, named):
    assert paste.read(text).has("sign.mac_named") is named


def test_the_mac_named_in_passing_settles_a_linux_only_package_refused():
    # pytorch/FBGEMM#1985, verbatim: fbgemm-gpu-cpu has Linux wheels only, so pip refuses it on
    # Windows as well as on a Mac; "in MacOS" tells them apart
    text = (
        "I am installing the latest fbgemm with the following command: `pip install "
        "fbgemm-gpu-cpu==0.4.1` in MacOS, and it returns the following error: `ERROR: Could not "
        "find a version that satisfies the requirement fbgemm-gpu-cpu (from versions: none)\n"
        "ERROR: No matching distribution found for fbgemm-gpu-cpu`."
    )
    assert _rows(text)["torch.installed"].status is Status.FAIL
    without = text.replace(" in MacOS", "")
    assert _rows(without)["torch.installed"].status is not Status.FAIL


def test_a_cpu_build_refused_with_pytorchs_links_and_the_mac_named():
    # bigsk1/voice-chat-ai#19, verbatim (pip's output and the template's OS line)
    text = (
        "Looking in links: https://download.pytorch.org/whl/torch_stable.html\n"
        "ERROR: Could not find a version that satisfies the requirement torch==2.3.1+cpu (from "
        "versions: 1.11.0, 1.12.0, 1.12.1, 1.13.0, 1.13.1, 2.0.0, 2.0.1, 2.1.0, 2.1.1, 2.1.2, "
        "2.2.0, 2.2.1, 2.2.2, 2.3.0, 2.3.1, 2.4.0, 2.4.1, 2.5.0, 2.5.1, 2.6.0, 2.7.0)\n"
        "ERROR: No matching distribution found for torch==2.3.1+cpu\n"
        " - OS: [e.g. iOS] MacOS\n - Version [e.g. 22] Python 3.10\n"
    )
    assert paste.read(text).has("sign.no_cpu_builds")
    assert _rows(text)["torch.installed"].status is Status.FAIL
    # without PyTorch's links, pip on Linux finds no +cpu on PyPI either: nothing to tell
    plain = text.split("\n", 1)[1]
    assert _rows(plain)["torch.installed"].status is not Status.FAIL


def test_every_cuda_build_package_cites_its_source():
    assert all(url.startswith("https://") for url in foreign.CUDA_BUILD.values())


def test_an_intel_macs_pip_refusal_of_a_package_warns_on_host_arch():
    # meta-pytorch/torchcodec#608, verbatim (lerobot's requirement refused, "Im on Mac i9 intel")
    text = (
        "Requirement already satisfied: torch>=2.2.1 in /opt/anaconda3/envs/lerobot/lib/"
        "python3.10/site-packages (from lerobot==0.1.0) (2.2.2)\n"
        "ERROR: Could not find a version that satisfies the requirement torchcodec>=0.2.1; "
        'sys_platform != "win32" (from lerobot) (from versions: 0.0.0.dev0)\n'
        "Im on Mac i9 intel \n"
    )
    reading = paste.read(text)
    assert reading.has("sign.intel_cpu")
    assert [c.value for c in reading.signs["sign.package_refused"]] == ["torchcodec"]
    row = _rows(text)["host.arch"]
    assert row.status is Status.WARN and "Intel Mac" in row.cause
    assert _first(text) == "host.arch"


def test_a_domain_librarys_conda_refusal_quoted_inline_on_apple_silicon():
    # meta-pytorch/data#676, verbatim
    text = (
        "Mac users on Apple silicon (M1, M2) cannot `conda install torchdata -c pytorch`, "
        'receiving "PackagesNotFoundError: The following packages are not available from '
        'current channels: -torchdata". This appears to be because torchdata was not built, '
        "packaged, and/or submitted to the pytorch channel."
    )
    assert [c.value for c in paste.read(text).signs["sign.conda_no_torch"]] == ["torchdata"]
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and "torchdata" in row.cause
    assert "torchdata" in row.fix.commands[-1]


def test_a_foreign_build_beside_torch_running_on_mps_only_warns():
    # grain's Linux .so (google/grain#620) in a paste that also shows torch's tensor on MPS (the
    # REPL's own print of an MPS tensor): a side issue, not the environment failing
    text = BY_NAME["grain-620-so-not-mach-o-file-on-macbook"].text
    ran = text + "\n>>> torch.ones(1, device='mps')\ntensor([1.], device='mps:0')\n"
    assert paste.read(ran).facts.get("mps_available") is True
    rows = _rows(ran)
    assert rows["torch.installed"].status is Status.WARN
    assert not [r for r in rows.values() if r.status is Status.FAIL]


# pip building another package from source on an Apple chip: the release has no macOS arm64
# wheel for this Python (svc-develop-team/so-vits-svc#23: numpy==1.20.3 on an M1; bulletphysics /
# gym-pybullet-drones#234's title "M2 Mac Failed to build pybullet")
SO_VITS = corpus.load(
    corpus.CORPUS_DIR.parent / "holdout57" / "so-vits-svc-23-numpy-1203-m1-build.txt"
).text


def test_another_packages_failed_build_on_an_apple_chip_is_the_install():
    (clue,) = [c for c in foreign.read(SO_VITS) if c.field == "sign.source_build"]
    assert clue.value == "numpy"
    row = _rows(SO_VITS)["torch.installed"]
    assert row.status is Status.FAIL and _first(SO_VITS) == "torch.installed"
    assert "compiled numpy from source on this Apple-silicon Mac" in row.cause
    assert row.fix.commands == ("python -m pip index versions numpy",)


@pytest.mark.parametrize(
    ("text", "fails"),
    [
        # the compiler's own words, the package unnamed (phospho-app/phosphobot#174, an M3)
        ("on an M3 mac\n` error: command '/usr/bin/clang' failed with exit code 1`\n", True),
        # pip's progress line, the Mac read from setuptools' build folder (huggingface/
        # tokenizers#1026: tokenizers 0.12.1 on an M1)
        (
            "  Building wheel for tokenizers (pyproject.toml) ... error\n"
            "      creating build/lib.macosx-12.4-arm64-cpython-39\n",
            True,
        ),
        # no Apple chip shown: a build failure says nothing of the platform
        ("ERROR: Failed building wheel for numpy\n", False),
        # an x86_64 interpreter's build failure is host.arch's story (Intel Mac or Rosetta)
        (
            "  Building wheel for tokenizers (pyproject.toml) ... error\n"
            "      creating build/lib.macosx-10.9-x86_64-cpython-39\n",
            False,
        ),
    ],
)
def test_a_source_build_fails_the_install_on_an_apple_chip_only(text, fails):
    try:
        row = _rows(text)["torch.installed"]
    except InputError:  # nothing to read
        assert not fails
        return
    assert (row.status is Status.FAIL and "from source" in row.cause) is fails


def test_setuptools_build_folder_gives_the_interpreter():
    reading = paste.read("creating build/lib.macosx-12.4-arm64-cpython-39/tokenizers\n")
    assert reading.facts["os"] == "Darwin" and reading.facts["machine"] == "arm64"
    assert reading.facts["python_version"] == "3.9"
    older = paste.read("building 'x' extension\ncreating build/temp.macosx-10.9-x86_64-3.8\n")
    assert older.facts["machine"] == "x86_64" and older.facts["python_version"] == "3.8"
    universal = paste.read("creating build/lib.macosx-10.9-universal2-cpython-311\n")
    assert "machine" not in universal.facts


def test_across_every_real_report_a_source_build_on_an_apple_chip_is_the_install():
    fired = {}
    for case in corpus.cases() + [
        corpus.load(p) for p in sorted(corpus.CORPUS_DIR.parent.glob("holdout*/*.txt"))
    ]:
        if not any(c.field == "sign.source_build" for c in foreign.read(case.text)):
            continue
        try:
            row = _rows(case.text)["torch.installed"]
        except InputError:  # a paste with nothing else to read
            continue
        if row.status is Status.FAIL and "from source on this Apple-silicon Mac" in row.cause:
            fired[case.name] = case.label
    assert len(fired) >= 2, fired
    # pytorch_scatter#241: torch-sparse's build on an M1 failed for a bug of its own ("other":
    # any row is right for it); faiss-wheels#90: faiss-cpu had no wheel for the M2's Python 3.12
    # (which the paste does not show), as the row's "no macOS arm64 wheel for this Python" says
    # (session 14's blind set: a wrong first answer there); babyagi-ui#1: sentencepiece had no
    # wheel for Python 3.11 yet, where host.python goes first (package_wheels, the paste's day);
    # mlc-ai/mlc-llm#1247: pip building mlc-llm under Python 3.12 found no torch at all, where
    # host.python goes first (session 32's blind round: diagnosed right)
    python = {name for name, label in fired.items() if label == "python-unsupported"}
    assert python == {
        "faiss-wheels-90-m2-install-fails",
        "babyagi-ui-1-sentencepiece-py311-m1",
        "mlc-llm-1247-no-torch-for-python312",
    }
    assert set(fired.values()) <= {"install-wrong-arch", "other", "python-unsupported"}, fired


def test_pips_metadata_step_failing_warns_of_no_wheel_for_this_mac():
    # kha-white/mokuro#32: fugashi had no wheel for the Mac, so pip built it and its setup.py
    # wanted MeCab; the paste shows neither chip nor macOS version, only macOS's temporary folder
    mokuro = _case_text("holdout300", "kha-white-mokuro-32")
    (clue,) = [c for c in foreign.read(mokuro) if c.field == "sign.sdist_failed"]
    assert clue.value == "fugashi" and "egg_info did not run successfully" in clue.line
    row = _rows(mokuro)["torch.installed"]
    # the chip is not shown: no wheel for this Mac, whichever its chip - a warning
    assert row.status is Status.WARN and "compiled fugashi from source on this Mac," in row.cause
    assert _first(mokuro) == "torch.installed"
    # pip's build folder not pasted: the package is not known, nothing is read
    bare = mokuro.split("      Traceback", maxsplit=1)[0]
    assert not [c for c in foreign.read(bare) if c.field == "sign.sdist_failed"]


def _case_text(folder: str, name: str) -> str:
    return corpus.load(next((corpus.CORPUS_DIR.parent / folder).glob(f"{name}*.txt"))).text


def test_diffusers_flash_backend_on_a_mac_asks_for_a_cuda_only_package():
    # smthemex/ComfyUI_TwinFlow#17 (an M4 Pro, macOS 26.3): diffusers' attention_dispatch refusing
    # the flash backend; the node made flash optional (the environment is fine)
    text = _case_text("holdout154", "ComfyUI_TwinFlow-17")
    assert [c.value for c in paste.read(text).signs["sign.cuda_build"]] == ["flash-attn"]
    row = _rows(text)["torch.installed"]
    assert row.status is Status.WARN and "attention backend" in row.cause
    assert "set_attention_backend('native')" in row.fix.text
    assert _first(text) == "torch.installed"


def test_a_link_in_a_persons_sentence_is_no_program_output():
    # QwenLM/qwen.cpp#9: "flash_attn has not been supported on m1 .[ issue](https://github.com/
    # Dao-AILab/flash-attention/issues/412)" - the URL's path once made it read as a log line
    text = _case_text("holdout154", "QwenLM-qwen.cpp-9")
    assert _rows(text)["torch.installed"].status is Status.WARN
    assert _first(text) == "torch.installed"


def test_pips_legacy_install_failure_names_the_package_it_built():
    # realminchoi/babyagi-ui#1 (an M1, Python 3.11, April 2023): sentencepiece's macOS wheels
    # served Python 3.11 only from 0.1.98 (2023-04-12), so pip ran its setup.py and failed
    text = _case_text("holdout154", "babyagi-ui-1")
    assert [c.value for c in paste.read(text).signs["sign.source_build"]] == ["sentencepiece"]
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "host.python" and "sentencepiece" in first.cause


def test_pips_legacy_setup_py_install_failing_names_the_package():
    # jaketae/storyteller#6 (an M1, Python 3.10, January 2023): mecab-python3 had no macOS arm64
    # wheel for it, so pip ran its setup.py, which needs MeCab's mecab-config (verbatim lines)
    text = _case_text("holdout206", "jaketae-storyteller-6")
    assert [c.value for c in paste.read(text).signs["sign.source_build"]] == ["mecab-python3"]
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and "mecab-python3" in row.cause
    assert "no macOS arm64 wheel for Python 3.10" in row.cause
    assert _first(text) == "torch.installed"


@pytest.mark.parametrize(
    ("folder", "name", "package"),
    [
        # opengeos/geoai#797: SAM3 in QGIS 4 on macOS 26.5 arm64 (the plugin's diagnostics)
        ("holdout206", "geoai-797", "triton"),
        # OpenMOSS/MOSS#240 (macOS), and zai-org/CogVLM#432: a CUDA build's package by its
        # import name ("'ModuleNotFoundError: No module named 'xformers''" on an M1)
        ("holdout145", "OpenMOSS-MOSS-240", "triton"),
        ("holdout103", "zai-org-CogVLM-432", "xformers"),
    ],
)
def test_a_package_no_mac_can_install_failing_to_import_on_a_mac(folder, name, package):
    text = _case_text(folder, name)
    assert [c.value for c in paste.read(text).signs["sign.cuda_import"]] == [package]
    row = _rows(text)["torch.installed"]
    assert row.status is Status.WARN, row
    assert package in row.cause and "cannot be installed on a Mac" in row.cause
    assert any("No module named" in line for line in row.evidence)
    assert _first(text) == "torch.installed"


def test_a_cuda_only_import_off_a_mac_or_of_another_package_is_not_read():
    # the same line on Linux: installing the package there is the fix, no finding here
    linux = "OS: Ubuntu 22.04.4 LTS (x86_64)\nModuleNotFoundError: No module named 'triton'\n"
    assert paste.read(linux).has("sign.cuda_import")
    assert "triton" not in (_rows(linux)["torch.installed"].cause or "")
    # a package with macOS builds (bitsandbytes has had them since 0.43), or torch's own
    for other in ("bitsandbytes", "torchvision", "triton_kernels_extra"):
        text = f"on my Mac M2\nModuleNotFoundError: No module named '{other}'\n"
        assert not paste.read(text).has("sign.cuda_import"), other
    # the module's top name is the package ("triton.language")
    dotted = "on my MacBook\nModuleNotFoundError: No module named 'triton.language'\n"
    assert [c.value for c in paste.read(dotted).signs["sign.cuda_import"]] == ["triton"]


def test_no_module_named_torch_warns_that_this_python_has_no_torch():
    # wladradchenko/wunjo.wladradchenko.ru#46 (Russian; `briefcase run` on macOS): the app
    # bundle's Python had no torch; the paste held nothing else and was refused before
    text = _case_text("holdout206", "wunjo-46")
    row = _rows(text)["torch.installed"]
    assert row.status is Status.WARN and "could not import torch" in row.cause
    assert row.evidence == ("ModuleNotFoundError: No module named 'torch'",)
    assert "sys.executable" in " ".join(row.fix.commands)
    assert _first(text) == "torch.installed"
    # torch.something or another torch-named package is not torch missing
    for other in ("torch._C", "torchvision", "torch_geometric"):
        assert not paste.read(f"No module named '{other}'").has("sign.torch_not_imported")


def test_no_module_named_torch_in_a_container_on_a_mac_is_the_containers():
    # runpod-workers/worker-a1111#49: a Docker build on an M1 Max; the container's row stays first
    text = _case_text("holdout154", "worker-a1111-49")
    assert paste.read(text).has("sign.torch_not_imported")
    assert _rows(text)["torch.installed"].status is not Status.WARN
    assert _first(text) == "host.os"


def test_deformable_detrs_cuda_ops_setup_refusing_on_a_macbook_is_a_cuda_build():
    # IDEA-Research/DINO#138, the title and the description verbatim (Deformable-DETR's ops
    # setup.py, its spelling included): a CUDA extension, a warning with no package named
    text = _case_text("holdout214", "DINO-138")
    assert paste.read(text).has("sign.cuda_build")
    row = _rows(text)["torch.installed"]
    assert row.status is Status.WARN and "CUDA" in row.cause
    assert any("Cuda is not availabel" in line for line in row.evidence)
    assert _first(text) == "torch.installed"


def test_cmakes_own_cuda_search_failing_on_a_mac_is_a_cuda_build():
    # InternLM/lmdeploy#2228 (an M3 Mac; "LMDeploy doesn't support MacOS"): CMake's
    # CMakeCUDAFindToolkit "Failed to find nvcc." under a project() that enables CUDA
    text = _case_text("holdout330", "lmdeploy-2228")
    (sign,) = paste.read(text).signs["sign.cuda_build"]
    assert sign.line.strip() == "Failed to find nvcc."
    row = _rows(text)["torch.installed"]
    # no package named, only the project's own build: a warning that PyTorch is not the problem
    assert row.status is Status.WARN and "no CUDA toolkit" in row.cause
    assert _first(text) == "torch.installed"
    # CMake's words for the compiler alone, and the same line with no CUDA named, apart
    assert foreign.NO_NVCC.search("  No CMAKE_CUDA_COMPILER could be found.")
    assert not foreign.NO_NVCC.search("Failed to find python3.")


@pytest.mark.parametrize(
    ("name", "said_in", "not_said"),
    [
        # NVlabs/neuralangelo#188 (a MacBook Pro M1 Pro): "the cudatoolkit is not compatible with
        # my laptop", the project's conda environment; a package said to fit, or said unfit for
        # something else, is no refusal
        (
            "NVlabs-neuralangelo-188",
            "not compatible with my laptop",
            (
                "However, the cudatoolkit is compatible with my laptop.",
                "the cudatoolkit is not compatible with the driver version",
            ),
        ),
        # opthub-org/pytorch-bsf#223 ("macでインストールできない"): "environment.ymlでcudatoolkit
        # 要求してるけど、最近のmacにこのパッケージはない" (cudatoolkit asked for; no Mac has it);
        # the package said to be there, or another sentence's "ない", is no refusal
        (
            "github-opthub-org-pytorch-bsf-223",
            "最近のmac",
            ("cudatoolkitはmacにもある。", "cudatoolkitを入れた。\nmacにはGPUがない"),
        ),
    ],
)
def test_a_cuda_conda_package_said_not_to_fit_or_exist_on_the_users_mac(name, said_in, not_said):
    text = _case_text("holdout330", name)
    (sign,) = paste.read(text).signs["sign.cuda_conda_package"]
    assert sign.value == "cudatoolkit" and said_in in sign.line
    assert _rows(text)["torch.installed"].status is Status.FAIL
    assert _first(text) == "torch.installed"
    for said in not_said:
        assert "sign.cuda_conda_package" not in paste.read(said).signs


def test_a_cuda_conda_command_said_to_fail_for_mac_users_fails_the_install():
    # pnnl/neuromancer#11, verbatim: the README's CUDA conda command, said to fail on Macs
    text = (
        "MacOS Installation - PyTorch UnsatisfiableError\n\n"
        "Under [Install dependencies > Other operating system](https://github.com/pnnl/"
        "neuromancer#other-operating-system), `conda install pytorch pytorch-cuda=11.6 -c pytorch "
        "-c nvidia` will fail for Mac user\n\n"
        "Mac users should use the default PyTorch installation instead: `conda install pytorch -c "
        "pytorch`\n"
    )
    (sign,) = paste.read(text).signs["sign.cuda_conda_package"]
    assert sign.value == "pytorch-cuda"
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and "pytorch-cuda" in row.cause
    assert _first(text) == "torch.installed"
    # failing for something else, or said not to fail, is no refusal
    for said in (
        "`conda install pytorch-cuda=11.6` will fail for old drivers",
        "`conda install pytorch-cuda=11.6` will not fail for Mac users",
    ):
        assert "sign.cuda_conda_package" not in paste.read(said).signs


def test_a_package_said_to_run_on_linux_only_fails_the_install_on_a_mac():
    # vLLM's own assertion on an Apple silicon Mac (RUC-NLPIR/FlashRAG#5) and a user's sentence
    # (SakanaAI/self-adaptive-llms#11): no vLLM of those runs on a Mac
    for folder, name in (("holdout154", "FlashRAG-5"), ("holdout48", "sakanaai-self-adaptive")):
        text = _case_text(folder, name)
        (sign,) = paste.read(text).signs["sign.linux_only"]
        assert sign.value == "vLLM"
        row = _rows(text)["torch.installed"]
        assert row.status is Status.FAIL and "vLLM runs only on Linux" in row.cause
        assert _first(text) == "torch.installed"
    # sgl-project/sglang#508, verbatim: "(including WSL)" lists vLLM's platforms, not the user's
    asked = (
        "Mac support? (vLLM)\n\n"
        'noob here, does this mean no mac support, "AssertionError: vLLM only supports Linux '
        'platform (including WSL)."'
    )
    assert paste.read(asked).facts.get("os") is None
    assert _first(asked) == "torch.installed"
    # the same words with no Mac in the paste say nothing of this machine
    alone = "AssertionError: vLLM only supports Linux platform (including WSL)."
    assert "torch.installed" not in _rows_or_empty(alone)


def test_a_libtorch_of_another_cpu_refused_by_the_linker_in_docker_on_an_m1():
    # elixir-nx/nx#593: a Docker build on a MacBook Air M1 linking an x86_64 LibTorch
    text = _case_text("holdout360", "nx-593")
    (sign,) = paste.read(text).signs["sign.linked_wrong_format"]
    assert sign.value == "libtorch.so" and "file in wrong format" in sign.line
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and "arm64 (aarch64) Linux" in row.cause
    assert _first(text) == "torch.installed"
    # the linker's line alone, no Mac in sight: another machine's story, not judged
    alone = "/usr/bin/ld: lib/libtorch.so: error adding symbols: file in wrong format\n"
    assert "torch.installed" not in _rows_or_empty(alone)


@pytest.mark.parametrize(
    "name, said",
    [
        ("coqui-TTS-3095", "no linux/arm64 build"),
        ("OpenTranscribe-38", "no linux/arm64 build"),
        ("VoiceStudio-1921", "no linux/arm64 build"),
        ("ragflow-1164", "under emulation"),
    ],
)
def test_an_image_without_an_arm64_build_on_an_apple_silicon_mac(name, said):
    # Docker's own words on an Apple silicon Mac, the image published for amd64 only; the
    # paste asks for no GPU, so the image is what stops it (before the container's Linux)
    text = _case_text("holdout360", name)
    row = _rows(text)["torch.installed"]
    assert row.status is Status.FAIL and said in row.cause
    assert _first(text) == "torch.installed"


def test_an_amd64_image_asked_for_a_gpu_is_the_containers_linux():
    # replicate/cog#1036: the same platform warning, the question a GPU in Docker on a Mac
    text = _case_text("holdout129", "cog-1036")
    assert "sign.image_platform" in paste.read(text).signs
    assert _first(text) == "host.os"
