"""verify.diagnosis.placement and the readers it rests on (verify.diagnosis.paste.places,
verify.diagnosis.paste.builds): where
the pasted process runs (a Linux container or VM on a Mac, a hosted CI runner) and a torch built
without MPS (nixpkgs' source build, Spack's ~mps, a printed is_built() False).

The snippets are the lines the named tools print (Docker's daemon, `uname`, a nix shell, Spack's
spec, torch's allocator); real reports of each kind are in tests/data/collect_env/ and their
diagnoses are asserted in test_diagnose.py.
"""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest

from verify.diagnosis import diagnose, envdump, paste
from verify.diagnosis.paste import places
from verify.errors import InputError
from verify.model import Status

DATA = Path(__file__).parent / "data"

# moby daemon/errors.go incompatibleDeviceRequest, as `docker run --gpus all` prints it
DAEMON_GPU = (
    'docker: Error response from daemon: could not select device driver "" with capabilities: '
    "[[gpu]].\n"
)
# torch's allocator message (aten/src/ATen/mps/MPSAllocator.mm)
TINY_OOM = (
    "RuntimeError: MPS backend out of memory (MPS allocated: 1024.00 MB, other allocations: "
    "0 bytes, max allowed: 7.93 GB). Tried to allocate 256 bytes on shared pool.\n"
)


def failing(text: str) -> dict[str, object]:
    return {r.id: r for r in diagnose.diagnose(text)[1] if r.status is Status.FAIL}


def first_id(text: str) -> str | None:
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    return first.id if first else None


def test_a_container_gpu_request_on_a_mac_is_linux_inside_the_mac():
    rows = failing("Apple M2 Pro, macOS 14.2.1\n" + DAEMON_GPU)
    row = rows["host.os"]
    assert "NVIDIA GPU" in row.cause and "container" in row.cause
    assert any("could not select device driver" in line for line in row.evidence)
    assert first_id("Apple M2 Pro, macOS 14.2.1\n" + DAEMON_GPU) == "host.os"


def test_a_compose_gpu_reservation_with_other_capabilities():
    # a compose file's `capabilities: [compute, utility]` (AbdBarho/stable-diffusion-webui-docker)
    text = (
        "Running on a M1 Mac Air\nError response from daemon: could not select device driver "
        '"nvidia" with capabilities: [[compute utility]]\n'
    )
    assert first_id(text) == "host.os"


def test_a_container_gpu_request_on_a_linux_box_is_not_a_mac_finding():
    text = "I'm using Ubuntu 22.04.02 LTS\n" + DAEMON_GPU
    try:
        rows = failing(text)
    except InputError:
        return  # nothing about the machine: refused, which is no finding either
    assert "host.os" not in rows


def test_a_refused_container_gpu_request_with_no_host_named_is_still_no_mps():
    # the NVIDIA container toolkit's hook failing under `docker run --gpus all`, the whole paste
    # (ahmetoner/whisper-asr-webservice#44: a Mac, which the text never names)
    text = corpus.load(DATA / "holdout8" / "whisper-asr-webservice-44-docker-gpu-on-macos.txt").text
    assert "mac" not in text.lower()
    row = failing(text)["host.os"]
    assert "NVIDIA runtime" in row.cause and "as on every Mac" in row.cause
    assert any("nvidia-container-cli" in line for line in row.evidence)
    assert first_id(text) == "host.os"


def test_a_refused_container_gpu_request_beside_a_linux_host_stays_unjudged():
    # the same refusal where the paste names its Linux host: a Linux server's driver matter
    hook = (
        "nvidia-container-cli: initialization error: load library failed: libnvidia-ml.so.1: "
        "cannot open shared object file: no such file or directory: unknown.\n"
    )
    for text in (
        "I'm using Ubuntu 22.04.02 LTS\n" + hook,
        "I'm using Ubuntu 22.04.02 LTS\n" + DAEMON_GPU,
    ):
        try:
            rows = failing(text)
        except InputError:
            continue
        assert "host.os" not in rows


def test_the_process_own_macos_output_wins_over_a_container_sign():
    # platform.platform() printed by the Python itself: that process runs on macOS
    text = "macOS-14.5-arm64-arm-64bit\nApple M3\n" + DAEMON_GPU
    assert envdump.parse(text).facts.os == "Darwin"
    assert "host.os" not in failing(text)


@pytest.mark.parametrize(
    "line",
    [
        "docker run --platform linux/amd64 -it my-image python train.py",
        "WARNING: The requested image's platform (linux/amd64) does not match the detected host "
        "platform (linux/arm64/v8) and no specific platform was requested",
        "$ ls -a / | grep dockerenv\n/.dockerenv",
    ],
)
def test_other_signs_of_a_linux_workload_on_an_apple_chip(line):
    text = f"Chip: Apple M1 Max\n{line}\n"
    assert envdump.parse(text).facts.os == "Linux"
    assert "host.os" in failing(text)
    # Docker's warning of an amd64 image on the arm64 host, no GPU asked: the image's platform
    # goes first (infiniflow/ragflow#1164), the container's Linux beside it
    image = "requested image's platform" in line
    assert first_id(text) == ("torch.installed" if image else "host.os")


def test_a_container_in_words_where_mps_was_wanted():
    text = (
        "I run it in a Docker container on my M1 MacBook\n"
        ">>> torch.backends.mps.is_available()\nFalse\n"
    )
    assert first_id(text) == "host.os"
    # an MPS error proves the process had MPS: it ran on macOS, whatever Docker was used for
    op_error = (
        "NotImplementedError: The operator 'aten::isin.Tensor_Tensor_out' is not currently "
        "implemented for the MPS device.\n"
    )
    text = "Apple M2, macOS 14.5, torch 2.3.0; I also build a Docker image for our servers\n"
    assert "host.os" not in failing(text + op_error)


@pytest.mark.parametrize(
    "line",
    [
        "used Macosx M1 14.6.1 (23G93)  Docker version 26.1.3, build b72abbb",
        "- Docker version: (Docker Desktop v4.37.2 for Mac on Apple Silicon)",
        "Docker Desktop 4.30.0 for Mac",
    ],
)
def test_a_docker_version_line_next_to_a_mac_names_the_docker_host(line):
    pasted = envdump.parse(line + "\n" + DAEMON_GPU)
    assert pasted.has("sign.mac_hint") and pasted.facts.os == "Linux"
    # the same version line alone names no Mac
    assert not paste.read("Docker version 26.1.3, build b72abbb\n").has("sign.mac_hint")


def test_a_linux_vm_app_with_linux_on_a_mac():
    # a Linux guest (x86_64 here, so no aarch64 hint) in Parallels on a MacBook
    text = (
        "Ubuntu 22.04 in Parallels Desktop on my MacBook Pro\n"
        "Python platform: Linux-5.15.0-91-generic-x86_64-with-glibc2.35\n"
        ">>> torch.backends.mps.is_available()\nFalse\n"
    )
    assert first_id(text) == "host.os"


def test_tiny_refused_allocation_on_a_runner_is_the_vm_signature():
    text = "runs-on: macos-15\n" + TINY_OOM
    rows = failing(text)
    assert "error.mps.no_gpu_memory" in rows and "error.mps.oom" not in rows
    # the same message on a real Mac (nothing says VM) is an out-of-memory
    rows = failing("Apple M1, macOS 14.4\n" + TINY_OOM)
    assert "error.mps.oom" in rows and "error.mps.no_gpu_memory" not in rows


def test_a_big_request_refused_on_a_runner_with_memory_in_use_stays_an_oom():
    big = TINY_OOM.replace("256 bytes", "2.50 GB")
    rows = failing("runs-on: macos-14\n" + big)
    assert "error.mps.oom" in rows and "error.mps.no_gpu_memory" not in rows


def test_an_oom_said_in_words_on_a_runner_is_the_vm_not_the_workload():
    # kitzeslab/opensoundscape#851, verbatim: the PR's title and first line, no message pasted
    text = (
        "MPS memory issue on github macos runner workarouns\n\n"
        "A number of github runs have been failing due an MPS out of memory issue. See #850 \n"
    )
    rows = {r.id: r for r in diagnose.diagnose(text)[1]}
    assert rows["mps.available"].status is Status.FAIL
    assert "paravirtual GPU" in rows["mps.available"].cause and "error.mps.oom" not in rows
    # an out-of-memory said on a Mac with no runner named is the workload's
    on_a_mac = text.replace("github macos runner", "my M1").replace("github runs", "runs")
    rows = {r.id: r.status for r in diagnose.diagnose(on_a_mac)[1]}
    assert rows["error.mps.oom"] is Status.WARN and rows.get("mps.available") is not Status.FAIL


def test_an_unsized_oom_message_on_a_runner_is_the_vm_signature():
    # autogluon/autogluon#4544's title quotes the message's first words; its CI's macOS runs
    text = "MPS backend out of memory for Timeseries tests\n\nRun platform tests on AutoGluon CI\n"
    unsized = "runs-on: macos-14\n" + text
    assert "error.mps.no_gpu_memory" in failing(unsized)
    assert "error.mps.no_gpu_memory" not in failing("Apple M1, macOS 14.4\n" + text)


GGML = (
    "ggml_metal_graph_compute_block_invoke: error: unsupported op 'RMS_NORM'\n"
    'GGML_ASSERT: /private/var/folders/x/T/ggml-metal.m:828: !"unsupported op"\n'
)


def test_metal_failing_on_a_hosted_runner_is_no_usable_metal_device():
    text = "CI on GitHub Actions, macos-14-arm64:\n" + GGML
    rows = failing(text)
    assert "mps.available" in rows and "paravirtual GPU" in rows["mps.available"].cause
    assert any("unsupported op" in line for line in rows["mps.available"].evidence)


def test_metal_failing_on_a_real_mac_is_not_blamed_on_a_vm():
    text = "Apple M2 Max, macOS 14.5, torch 2.5.1\n" + GGML
    assert "mps.available" not in failing(text)


def test_a_paravirtual_gpu_missing_a_metal_call_in_a_vm_is_no_usable_metal_device():
    # ml-explore/mlx#31: a macOS guest of Parallels, its GPU class named in the exception
    text = (
        "When running mlx-examples/mnist on MacOS 14.1.1 VM running via Parallels 19.1.1:\n"
        "*** Terminating app due to uncaught exception 'NSInvalidArgumentException', reason: "
        "'-[AppleParavirtDevice newArgumentEncoderWithLayout:]: unrecognized selector sent to "
        "instance 0x149029e00'\n"
    )
    rows = failing(text)
    assert "mps.available" in rows and "virtual machine" in rows["mps.available"].cause
    assert text.splitlines()[1] in rows["mps.available"].evidence
    # the guest named alone is a VM, with nothing failing in it yet
    said = places.read("MacOS 14.1.1 VM running via Parallels 19.1.1")
    assert {c.value for c in said if c.field == "sign.vm"} == {"MacOS 14.1.1 VM", "Parallels"}
    assert "mps.available" not in failing("Apple M2 Max, macOS 14.5, torch 2.5.1\n")


def test_torch_build_paths_are_no_runner_sign():
    # PyTorch's own wheels are built on GitHub runners: their registration messages name it
    text = (
        "Apple M2, macOS 14.5, torch 2.3.0\nCPU: registered at "
        "/Users/runner/work/pytorch/pytorch/pytorch/build/aten/src/ATen/RegisterCPU.cpp:31419\n"
    )
    assert not envdump.parse(text).has("sign.ci_runner")
    traceback = 'File "/Users/runner/work/proj/proj/tests/test_mps.py", line 12, in test_mm\n'
    assert envdump.parse(text + traceback).has("sign.ci_runner")


def test_a_native_librarys_compiled_in_build_path_is_no_runner():
    # mobiusml/inswapper#30 (verbatim, an M4 Mac mini): onnxruntime's message quotes the source
    # path of its own build on Azure Pipelines (work/<n>/s/), not where it runs
    text = (
        "MacOS on MacMini M4\n"
        "Non-zero status code returned while running CoreML_11777492068329204276_6 node. "
        "Name:'CoreMLExecutionProvider_CoreML_11777492068329204276_6_6' Status Message: "
        "Exception: /Users/runner/work/1/s/onnxrun\n"
    )
    assert not envdump.parse(text).has("sign.ci_runner")
    assert "mps.available" not in failing(text)


NIX_FALSE = (
    "aarch64-darwin, Apple M1\n"
    "$ nix-shell -p 'python3.withPackages (ps: with ps; [ {attr} ])' --command \"python -c "
    "'import torch; print(torch.backends.mps.is_available())'\"\n"
    "False\n"
)


def test_nixpkgs_source_torch_without_mps():
    rows = failing(NIX_FALSE.format(attr="torch"))
    row = rows["mps.built"]
    assert "nixpkgs" in row.cause and "351778" in row.fix.url
    assert any("withPackages" in line for line in row.evidence)


def test_nixpkgs_torch_bin_is_the_wheel():
    pasted = envdump.parse(NIX_FALSE.format(attr="torch-bin"))
    assert not pasted.has("sign.nix_source_torch")
    assert "mps.built" not in failing(NIX_FALSE.format(attr="torch-bin"))


def test_nixpkgs_torch_from_after_the_fix_is_not_blamed():
    text = NIX_FALSE.format(attr="torch") + (
        "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-python3.12-torch-2.5.1/lib/python3.12/\n"
    )
    assert envdump.parse(text).facts.torch_version == "2.5.1"
    rows = failing(text)
    assert "mps.built" not in rows or "nixpkgs" not in rows["mps.built"].cause


def test_spack_spec_variant_says_whether_mps_was_built():
    assert (
        envdump.parse("py-torch@1.13.1~cuda~mps arch=darwin-ventura-m1\n").facts.mps_built is False
    )
    assert (
        envdump.parse("py-torch@1.13.1~cuda+mps arch=darwin-ventura-m1\n").facts.mps_built is True
    )


def test_is_built_false_on_an_apple_chip_without_a_version():
    text = "MacBook Air M2, macOS 14.1\n>>> torch.backends.mps.is_built()\nFalse\n"
    rows = failing(text)
    assert "mps.built" in rows and first_id(text) == "mps.built"


def test_a_nix_store_torch_below_the_fix_with_mps_unavailable_on_a_new_macos():
    text = (
        "macOS 14.5, Apple M2\n"
        "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-python3.11-torch-2.3.0/lib/python3.11/\n"
        ">>> torch.backends.mps.is_available()\nFalse\n"
    )
    assert "nixpkgs" in failing(text)["mps.built"].cause
    # on a macOS below that torch's MPS floor, the macOS is the finding, not the build
    old_macos = text.replace("macOS 14.5", "macOS 12.1")
    assert "nixpkgs" not in getattr(failing(old_macos).get("mps.built"), "cause", "")


def test_docker_in_words_without_a_missing_gpu_is_not_linux_on_a_mac():
    # a healthy Mac whose user also runs the app in Docker elsewhere: no finding about the OS
    text = (
        "Apple M2 Pro, macOS 14.5\nI run the server in a Docker container; on my Mac I use "
        "device='mps' and training is slower than expected.\n"
    )
    assert "host.os" not in failing(text)


def test_an_aarch64_linux_uname_next_to_an_apple_chip():
    # `uname -a` in an Ubuntu guest (UTM / VMware Fusion) on an M1: no linuxkit in the kernel
    text = (
        "MacBook Pro M1\n$ uname -a\nLinux ubuntu 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 "
        "13:29:11 UTC 2023 aarch64 aarch64 aarch64 GNU/Linux\n"
    )
    assert envdump.parse(text).facts.machine == "aarch64"
    assert first_id(text) == "host.os"


@pytest.mark.parametrize(
    "place",
    [
        'File "/Users/distiller/project/tests/test_model.py", line 8, in test_mps',  # CircleCI
        "vmImage: 'macOS-14'",  # Azure Pipelines
        "image: ghcr.io/cirruslabs/macos-sonoma-xcode:latest",  # Cirrus CI (a Tart VM)
        "Current runner version: '2.316.1'",  # a GitHub Actions job log's first line
        "    os: [ubuntu-latest, macos-14]",  # a workflow's matrix
    ],
)
def test_other_hosted_macos_ci_with_mps_unavailable(place):
    text = f"{place}\ntorch 2.4.1\n>>> torch.backends.mps.is_available()\nFalse\n"
    assert envdump.parse(text).has("sign.ci_runner")
    assert "mps.available" in failing(text)


@pytest.mark.parametrize(
    "place",
    [
        # runners named by their chip or OS, a runner label's CI
        "Test `test_mps_batched_mask_to_box` fails on our `macos-14` CI.",  # micro-sam#380
        "Keep seeing github action runs failing on MacOS runners, when the test suite is run.",
        # GitHub shortened (pytorch/torchchat#975)
        "Issue is that MPS isn't available to via GH CI",
        "Some GH jobs that request MacOS are being given MPS machines",
    ],
)
def test_runners_named_by_chip_os_or_label_ci(place):
    # computational-cell-analytics/micro-sam#380; kitzeslab/opensoundscape#850
    assert "sign.ci_runner" in [c.field for c in places.read(place)]


def test_gh_alone_or_in_lower_case_is_no_runner():
    assert "sign.ci_runner" not in [c.field for c in places.read("the gh cli prints it")]
    assert "sign.ci_runner" not in [c.field for c in places.read("GH 2.1 release notes")]


def test_m1_runners_said_to_fail_allocating_mps_memory():
    # weecology/deepforestr#15's PR description: the runner and the refusal in one sentence
    text = (
        "M1 runners currently have a bug with PyTorch that errors when trying to allocate MPS "
        "memory.\nThis rolls back to macos-13 runners which are not M1.\n"
    )
    pasted = envdump.parse(text)
    assert pasted.has("sign.ci_runner") and pasted.has("sign.gpu_missing")
    assert "mps.available" in failing(text)


def test_tests_said_to_skip_without_mps_on_a_runner_are_no_missing_gpu():
    # actions/runner-images#14380 (wrong outputs on macos-26 runners, MPS available there), its
    # sentences as the rendered page reads them (the backquotes gone); "without" a GPU is no GPU
    # missing only where it names what the tests need to run
    text = (
        "Tests in my CI that use mps backend pass on macos-15 runners "
        "(https://github.com/lanl/ldrd_neat_ml/actions/runs/27912836013/job/82592825874) but "
        "not macos-26 runners "
        "(https://github.com/lanl/ldrd_neat_ml/actions/runs/28387722150/job/84106618743). The "
        "tests are designed to skip without mps backend availability, but because the PyTorch "
        "mps availability check returns True on the runners, the tests run in CI.\n"
    )
    pasted = envdump.parse(text)
    assert pasted.has("sign.ci_runner") and not pasted.has("sign.gpu_missing")
    assert "mps.available" not in failing(text)
    # said of the runner itself, it is
    assert envdump.parse("The macos-15 runners run without MPS.\n").has("sign.gpu_missing")


@pytest.mark.parametrize(
    "line",
    [
        "cmake -DUSE_MPS=OFF -DBUILD_TEST=0 ..",  # the CMake flag
        "USE_MPS:BOOL=OFF",  # CMakeCache.txt
        "--   USE_MPS               : OFF",  # torch's build summary (cmake/Summary.cmake)
    ],
)
def test_a_source_build_without_mps(line):
    text = f"Apple M1 Pro, macOS 13.4\n{line}\n"
    assert envdump.parse(text).facts.mps_built is False
    assert first_id(text) == "mps.built"


def test_the_interpreter_banner_names_the_process_platform():
    # the REPL's own banner (sys.platform) outweighs a container sign elsewhere in the paste
    banner = "Python 3.12.7 (main, Oct  1 2024, 02:05:46) [Clang 16.0.6 ] on darwin\n"
    pasted = envdump.parse("Apple M3\n" + banner + DAEMON_GPU)
    assert pasted.facts.os == "Darwin" and pasted.facts.python_version == "3.12.7"
    linux = "Python 3.8.10 (default, Jun 22 2022, 20:18:18)\n[GCC 9.4.0] on linux\n"
    assert envdump.parse("Apple M1\n" + linux).facts.os == "Linux"


def test_a_tensor_printed_on_mps_is_a_working_device():
    text = ">>> print(x * 2)\ntensor([2., 2., 2., 2., 2.], device='mps:0')\n"
    facts = envdump.parse(text).facts
    assert facts.mps_available is True and facts.os == "Darwin"


def test_the_sdk_decides_over_the_use_mps_option():
    # torch's CMake output with an SDK without MPSGraph: no MPS, whatever USE_MPS says
    text = (
        "Apple M1, macOS 13.4\n-- sdk version: 11.0, mps supported: OFF\n"
        "-- MPSGraph framework not found\n--   USE_MPS               : ON\n"
    )
    assert envdump.parse(text).facts.mps_built is False


def test_torchs_cmake_sdk_line_alone_is_a_mac_build_without_mps():
    # bytedeco/javacpp-presets#1464, verbatim: the line is printed inside CMakeLists.txt's
    # if(APPLE), so it names the OS as well
    text = (
        "I just gave the `macosx-arm64` PyTorch from the CI build a try just to realize that GPU "
        "support via MPS is missing. The reason seems that we need a sdk version `>= 12.3` but the "
        "build is using `12.1`:\n```\n-- sdk version: 12.1, mps supported: OFF\n```\n"
    )
    facts = envdump.parse(text).facts
    assert facts.os == "Darwin" and facts.mps_built is False
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "mps.built" and first.status is Status.FAIL


# MPSAllocator.mm's message where the watermark cannot explain the refusal, each beside the same
# request the watermark does explain (a real out-of-memory)
_ZERO_IN_USE = (
    "RuntimeError: MPS backend out of memory (MPS allocated: 0 bytes, other allocations: "
    "0 bytes, max allowed: 7.93 GB). Tried to allocate 94.26 MB on private pool.\n"
)
UNDER_THE_WATERMARK = [
    # 0 bytes in use and a request under the limit: the allocation itself failed; the same
    # request over the limit is a real out-of-memory
    (_ZERO_IN_USE, _ZERO_IN_USE.replace("94.26 MB", "9.50 GB")),
    # docling-project/docling#286 (GitHub's arm64 macOS runners): 256 bytes refused with 8 MB in
    # use of 7.93 GB allowed, so Metal refused the buffer itself; the same few bytes refused
    # with the limit reached (pinokiocomputer/pinokio#941: 16.00 GB + 3.31 GB in use of 18.13 GB)
    (
        "RuntimeError: MPS backend out of memory (MPS allocated: 8.00 MB, other allocations: "
        "16.00 KB, max allowed: 7.93 GB). Tried to allocate 256 bytes on shared pool.\n",
        "RuntimeError: MPS backend out of memory (MPS allocated: 16.00 GB, other allocations: "
        "3.31 GB, max allowed: 18.13 GB). Tried to allocate 256 bytes on shared pool.\n",
    ),
]


@pytest.mark.parametrize(
    ("refused", "real"), UNDER_THE_WATERMARK, ids=["nothing-in-use", "a-few-bytes"]
)
def test_a_refusal_the_watermark_cannot_explain_is_no_usable_gpu_memory(refused, real):
    rows = failing("Apple M1\n" + refused)
    assert "error.mps.no_gpu_memory" in rows and "error.mps.oom" not in rows
    rows = failing("Apple M1\n" + real)
    assert "error.mps.oom" in rows and "error.mps.no_gpu_memory" not in rows


def test_lscpu_apple_vendor_in_a_linux_collect_env_is_linux_on_a_mac():
    # collect_env in an Ubuntu guest on Apple silicon: a generic kernel, lscpu's vendor is Apple
    text = (
        "PyTorch version: 2.3.1\nIs debug build: False\nOS: Ubuntu 22.04.4 LTS (aarch64)\n"
        "Python platform: Linux-5.15.0-107-generic-aarch64-with-glibc2.35\n"
        "CPU:\nArchitecture:                         aarch64\n"
        "Vendor ID:                            Apple\n"
    )
    assert first_id(text) == "host.os"
    # the same collect_env from an arm server (another vendor) is a Linux host: nothing to fix
    server = text.replace("Apple", "ARM")
    assert "host.os" not in failing(server)


def test_github_named_in_any_case_is_a_hosted_runner():
    # the readers' needles skip work only: "ithub" must find "GitHub" for a case-blind pattern
    # (docling-project/docling#286: "specially in GitHub CI" went unread)
    line = "Some users encounter issues like the following (specially in GitHub CI):\n"
    assert "sign.ci_runner" in [c.field for c in places.read(line)]


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        # cnr-isti-vclab/TagLab#65 (healthy: the thread was about its install script): "had to
        # ... run in rosetta" on an M1 - what the words imply, a warning, as Linux said alone is
        ("holdout154", "TagLab-65"),
        # Lightning-AI/litgpt#1706 (healthy: litgpt was broken on macOS then; "zsh: illegal
        # hardware instruction" on a MacBook Air with Anaconda, no chip named): 19 of the 25 real
        # reports with the words were Rosetta, so it stays the first cause, as a warning
        ("holdout214", "litgpt-1706"),
    ],
)
def test_rosetta_known_from_words_alone_with_mps_unnamed_is_a_warning(folder, name):
    text = corpus.load(next((DATA / folder).glob(f"{name}*.txt"))).text
    _, results = diagnose.diagnose(text)
    rows = {r.id: r.status for r in results}
    assert rows["host.arch"] is Status.WARN
    assert Status.FAIL not in rows.values()
    assert diagnose.first_cause(results).id == "host.arch"


def test_rosetta_said_beside_mps_failing_stays_a_failure():
    # TerraLabAI/QGIS_AI-Segmentation#109 (tests/data/holdout16): QGIS under Rosetta, MPS said
    # to fail
    text = corpus.load(next((DATA / "holdout16").glob("qgis-ai-segmentation-109*.txt"))).text
    _, results = diagnose.diagnose(text)
    assert {r.id: r.status for r in results}["host.arch"] is Status.FAIL


def test_zshs_illegal_instruction_with_the_apple_chip_named_stays_a_failure():
    # the instruction Rosetta cannot run, on a chip the paste names as Apple's
    chip = "Chip: Apple M1\nzsh: illegal hardware instruction  python main.py\n"
    assert {r.id: r.status for r in diagnose.diagnose(chip)[1]}["host.arch"] is Status.FAIL


def test_a_dash_ends_the_clause_before_the_machine():
    # lucas-maes/le-wm#81, the first line verbatim: "Linux-only" belongs to EGL, and the Mac after
    # the dash is the user's
    line = (
        '`eval.py` hardcodes `os.environ["MUJOCO_GL"] = "egl"`, but EGL is Linux-only \u2014 on '
        "macOS (Apple Silicon) the MuJoCo worlds (Cube, Reacher) fail immediately:"
    )
    facts = paste.read(line).facts
    assert facts.get("os") == "Darwin" and facts.get("hardware_arm64") is True


def test_core_ml_prediction_on_linux_is_no_mac():
    # ultralytics/ultralytics#1728: "my system is Ubuntu 18.04" and coremltools' refusal to
    # predict off macOS - Apple's framework expected on a PC, as MPS would be
    text = corpus.load(DATA / "holdout330" / "ultralytics-1728-coreml-val-on-ubuntu.txt").text
    rows = failing(text)
    assert "this host runs Linux" in rows["host.os"].cause
    assert "Core ML" in rows["error.mps.apple_framework_off_mac"].cause
    assert first_id(text) == "host.os"
    # the same refusal with no OS in the paste: its own row, no OS claimed
    alone = "Exception: Model prediction is only supported on macOS version 10.13 or later.\n"
    assert "host.os" not in failing("Python 3.10.12\n" + alone)


def test_mlx_without_its_library_on_linux_is_no_mac():
    # apple/ml-simplefold#11: "a Linux server" and MLX's "ImportError: libmlx.so: cannot open
    # shared object file" - Apple's framework expected off macOS, as MPS would be
    text = corpus.load(
        DATA / "holdout330" / "ml-simplefold-11-mlx-imports-on-linux-torch-backend.txt"
    ).text
    rows = failing(text)
    assert "this host runs Linux" in rows["host.os"].cause
    assert "libmlx.so" in rows["error.mps.mlx_off_mac"].evidence[0]
    assert first_id(text) == "host.os"
    # the loader's line alone says Linux too: "cannot open shared object file" is glibc's
    alone = failing("Python 3.12.3\nImportError: libmlx.so: cannot open shared object file\n")
    assert alone["host.os"].evidence == ("ImportError: libmlx.so: cannot open shared object file",)
    assert "error.mps.mlx_off_mac" in alone


# tf-coreml/tf-coreml#187's first post, verbatim (Core ML prediction in Docker, fixed by running
# it on the Mac itself)
COREML_IN_DOCKER = (
    "I tried using the example code from `inception_v3.ipynb` but I'm executing my conversion "
    "script from within a Docker container and so `mlmodel.predit()` throws the following error:\n"
    "```\nException: Model prediction is only supported on macOS version 10.13 or later.\n```\n"
)


def test_an_apple_framework_refused_in_a_container_is_the_containers_linux():
    # "from within a Docker container" is in it: "from" before "within" is no earlier machine
    assert envdump.parse(COREML_IN_DOCKER).has("sign.container")
    row = failing(COREML_IN_DOCKER)["host.os"]
    assert "container runs Linux" in row.cause
    assert any("Docker container" in line for line in row.evidence)
    # a container it was moved away from is not where it runs
    moved = COREML_IN_DOCKER.replace("from within a Docker", "now, moved from a Docker")
    assert not envdump.parse(moved).has("sign.container")
    assert "host.os" not in failing(moved)


def test_an_apple_framework_refused_with_a_linux_os_keeps_the_rules_row():
    # with the OS named, the rules' own host.os row stands (ultralytics/ultralytics#1728's kind)
    text = "OS: Ubuntu 18.04\n" + COREML_IN_DOCKER
    row = failing(text)["host.os"]
    assert "container runs Linux" not in row.cause
