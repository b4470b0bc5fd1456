"""verify.diagnosis.paste.loader: dyld's refusal of a binary built for a newer macOS, and the target
triplet a shell or compiler prints, read from the lines those tools print (the real reports that
carry them are in tests/data/collect_env and asserted in test_diagnose.py)."""

from __future__ import annotations

import pytest

from verify.diagnosis import diagnose, paste
from verify.model import Status

# dyld 4 (macOS 12+), as in kaixxx/noScribe#216 and the Tater report in tests/data
DYLD4 = (
    "ImportError: dlopen(/opt/app/lib/_core.cpython-312-darwin.so, 0x0002): Symbol not found: "
    "_cblas_caxpy$NEWLAPACK$ILP64\n"
    "  Referenced from: <3417C270-30A2-3625-8B20-CEE7BC179E95> /opt/app/lib/_core.cpython-312-"
    "darwin.so (built for macOS 14.0 which is newer than running OS)\n"
)
# dyld 2/3 (before macOS 12): the suffix only when the image's minimum OS is above the running one
DYLD2 = (
    "dyld: Symbol not found: _ubrk_clone\n"
    "  Referenced from: /usr/local/bin/tool (which was built for Mac OS X 13.0)\n"
    "  Expected in: /usr/lib/libicucore.A.dylib\n"
)
# macOS refusing to open an app (divamgupta/diffusionbee-stable-diffusion-ui#38, verbatim)
APP_NEEDS = (
    "Downloaded DiffusionBee-0.1.0-arm64.dmg today to Big Sur and trying to open the app fails "
    'with the message "You have macOS 11.7. The application requires macOS 12.5.1 or later.".\n'
)
# ld64's warning while linking: nothing refused, nothing about the running macOS
LINKER_WARNING = (
    "ld: warning: object file (libfoo.a(foo.o)) was built for newer macOS version (14.0) than "
    "being linked (13.0)\n"
)
BASH_ROSETTA = "GNU bash, version 3.2.57(1)-release (x86_64-apple-darwin21)"
BASH_NATIVE = "GNU bash, version 3.2.57(1)-release (arm64-apple-darwin23)"
CLANG_NATIVE = (
    "Apple clang version 15.0.0 (clang-1500.3.9.4)\nTarget: arm64-apple-darwin23.4.0\n"
    "Thread model: posix\n"
)
CROSS_FLAGS = "clang -target x86_64-apple-darwin13.4.0 -c foo.c -o foo.o"


def test_dyld_refusals_name_the_macos_the_binary_needs_not_the_running_one():
    for text, needed in ((DYLD4, "14.0"), (DYLD2, "13.0")):
        reading = paste.read(text)
        assert next(c.value for c in reading.signs["sign.binary_needs_macos"]) == needed
        assert "macos_version" not in reading.facts  # the binary's floor, not this Mac's macOS


def test_an_app_macos_will_not_open_names_the_macos_it_needs():
    reading = paste.read(APP_NEEDS)
    assert next(c.value for c in reading.signs["sign.binary_needs_macos"]) == "12.5.1"
    _, results = diagnose.diagnose(APP_NEEDS)
    first = diagnose.first_cause(results)
    assert first.id == "host.macos" and first.status is Status.FAIL
    assert "needs macOS 12.5.1" in first.cause and "macOS 11.7" in first.cause
    # the same floor with a macOS that meets it is no refusal of this Mac
    newer = APP_NEEDS.replace("You have macOS 11.7.", "Running macOS 13.1.")
    rows = {r.id: r for r in diagnose.diagnose(newer)[1]}
    assert rows["host.macos"].status is not Status.FAIL


@pytest.mark.parametrize(
    ("text", "running"),
    [
        # ddalcu/mlx-serve#303 (on Sonoma), verbatim lines: the dialog's first sentence quoted
        (
            "M1 Max 32GB (M1 Studio), macOS Sonoma (14.8.7)\n"
            "However when trying to run mlx-core I get the error \"You can't use this version of "
            'the application "MLX Core" with this version of macOS." \n',
            "macOS 14.8.7",
        ),
        # MochiDiffusion/MochiDiffusion#250, verbatim: retold, no macOS version in the line
        (
            'I can\'t use the version of the application "Mochi Diffusion" with this version of '
            "macOS as soon as I finished to download the dmg file.\n",
            "this macOS",
        ),
    ],
)
def test_an_app_refused_for_a_newer_macos_without_its_version(text, running):
    assert paste.read(text).signs["sign.app_needs_newer_macos"]
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "host.macos" and first.status is Status.FAIL
    assert f"built for a newer macOS than {running}" in first.cause
    assert "version of the application" in first.evidence[0]


def test_a_metallib_refused_for_its_deployment_target_is_a_newer_macos():
    # TheTom/vllm-swift#10 (an M4 MacBook Pro), verbatim lines
    text = (
        "MLX error: Failed to load the default metallib. This library is using a deployment "
        "target (0x00020008) that is not supported on this OS\n"
        "mac book pro m4 48G\n"
        "ProductName:               macOS\n"
        "ProductVersion:            15.3.1\n"
    )
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "host.macos" and first.status is Status.FAIL
    assert "deployment target newer than macOS 15.3.1" in first.cause


def test_a_refusal_that_names_the_macos_it_needs_outweighs_one_that_does_not():
    both = APP_NEEDS + (
        'I get the error "You can\'t use this version of the application "MLX Core" with this '
        'version of macOS."\n'
    )
    reading = paste.read(both)
    assert next(c.value for c in reading.signs["sign.binary_needs_macos"]) == "12.5.1"
    assert "sign.app_needs_newer_macos" not in reading.signs
    first = diagnose.first_cause(diagnose.diagnose(both)[1])
    assert first.id == "host.macos" and "needs macOS 12.5.1" in first.cause


def _macos_first(text: str, needed: str, running: str):
    """The sign names the macOS the binary needs; host.macos fails first, naming both."""
    assert next(c.value for c in paste.read(text).signs["sign.binary_needs_macos"]) == needed
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "host.macos" and first.status is Status.FAIL
    assert f"needs macOS {needed}" in first.cause and f"macOS {running}" in first.cause
    return first


@pytest.mark.parametrize(
    ("text", "needed", "running"),
    [
        # mlx's _os_warning.py in mustafaaljadery/mlxserver#3, verbatim
        ("ImportError: Only macOS 13.5 and newer are supported, not 13.4\n", "13.5", "13.4"),
        # divamgupta/diffusionbee-stable-diffusion-ui#487, verbatim: the other wording of the
        # app refusal
        (
            "I tried to install the last version on my intel and it can't run. \n"
            "this message appears when trying to run it: \n"
            '"You have macOS version 12.7.2 installed. This app requires macOS 13.1 or later."\n',
            "13.1",
            "12.7.2",
        ),
        # mindverse/Second-Me#6, verbatim: a script's own check, with the macOS it found
        (
            "[2025-03-20 14:39:24] [ERROR] This script requires macOS 14 (Sonoma) or later. "
            "Your version: 13.7.4\n",
            "14",
            "13.7.4",
        ),
    ],
)
def test_a_packages_or_apps_own_check_names_both_macos_versions(text, needed, running):
    _macos_first(text, needed, running)
    assert paste.read(text).facts["macos_version"] == running


def test_metal_refusing_a_shader_library_names_the_macos_its_language_needs():
    # jjang-ai/vmlx#1's description, verbatim lines: Metal 4.0 needs macOS 26 (MTLLibrary.h)
    text = (
        "I've just installed vMLX (v 1.2.2) on my Mac Mini M2 running macOS Sequoia 15.7.4. \n"
        "> Failed to load the default metallib. This library is using language version 4.0 which "
        "is not supported on this OS.\n"
    )
    first = _macos_first(text, "26.0", "15.7.4")
    assert any("language version 4.0" in line for line in first.evidence)
    # a language version with no macOS in the table: a Mac, no floor guessed
    unknown = text.replace("version 4.0", "version 9.9")
    assert not paste.read(unknown).has("sign.binary_needs_macos")


def test_a_macos_said_only_for_a_library_is_not_the_running_one():
    # shivampkumar/trellis-mac#9, the title and description verbatim: "OSX 26 only" is what the
    # library needs; the user runs OSX 15.7
    text = (
        "Note: flex_gemm is OSX 26 only\n"
        "Unable to run this on OSX 15.7.  I'm currently holding out on upgrading as I haven't "
        "needed to yet, but seems flex_gemm is OSX26 only - might be worth pointing out.\n"
        "```\n"
        "RuntimeError: Failed to load metallib from ~/trellis-mac/.venv/lib/python3.11/"
        "site-packages/flex_gemm/kernels/metal/flex_gemm.metallib: This library is using "
        "language version 4.0 which is not supported on this OS\n"
        "```\n"
    )
    assert paste.read(text).facts["macos_version"] == "15.7"
    first = diagnose.first_cause(diagnose.diagnose(text)[1])
    assert first.id == "host.macos" and "needs macOS 26.0" in first.cause
    # "only has" is a machine's: "macOS 14 only has 8 GB here" keeps its version
    assert paste.read("My Mac on macOS 14.5 only has 8 GB.").facts["macos_version"] == "14.5"


def test_dylds_symbol_not_found_is_a_macs_loader():
    # TaterTotterson/microWakeWord-Trainer-AppleSilicon#16, verbatim
    text = (
        "When using the latest torchaudio with the default TORCH_VERSION of 2.9.0, the training "
        "script fails with:\nSymbol not found: _torch_library_impl\n"
    )
    assert paste.read(text).facts["os"] == "Darwin"
    # Linux's loader words it otherwise
    linux = "ImportError: /lib/libtorchaudio.so: undefined symbol: _torch_library_impl"
    assert "os" not in paste.read(linux).facts


def test_the_linkers_newer_macos_warning_is_not_a_refusal():
    assert not paste.read(LINKER_WARNING).has("sign.binary_needs_macos")


def test_a_refused_binary_fails_host_macos_with_both_versions_quoted():
    _, results = diagnose.diagnose("macOS Ventura 13.2.1, Apple M1\n" + DYLD4)
    row = next(r for r in results if r.id == "host.macos")
    assert row.status is Status.FAIL and row.required
    assert "needs macOS 14.0" in row.cause and "macOS 13.2.1" in row.cause
    assert any("newer than running OS" in line for line in row.evidence)
    assert any("13.2.1" in line for line in row.evidence)
    assert diagnose.first_cause(results).id == "host.macos"


def test_a_refusal_alone_is_enough_to_diagnose():
    _, results = diagnose.diagnose(DYLD2)
    row = next(r for r in results if r.id == "host.macos")
    assert row.status is Status.FAIL and "older macOS" in row.cause


def test_a_paste_whose_macos_is_new_enough_keeps_its_host_macos_row():
    # the refusal came from another machine (a quoted older log): this macOS meets the floor
    _, results = diagnose.diagnose("ProductVersion: 15.1\nApple M2\n" + DYLD4)
    row = next(r for r in results if r.id == "host.macos")
    assert row.status is not Status.FAIL


def test_a_shell_triplet_gives_its_architecture_and_rosetta_on_an_apple_chip():
    assert paste.read(BASH_ROSETTA).facts["machine"] == "x86_64"
    assert paste.read(BASH_NATIVE).facts["machine"] == "arm64"
    assert paste.read(CLANG_NATIVE).facts["machine"] == "arm64"
    _, results = diagnose.diagnose("MacBook Pro M1 Max, Monterey 12.5.1\n" + BASH_ROSETTA)
    arch = next(r for r in results if r.id == "host.arch")
    assert arch.status is Status.FAIL and "Rosetta" in arch.cause
    assert any("x86_64-apple-darwin21" in line for line in arch.evidence)


def test_a_triplet_in_compiler_flags_is_not_the_process_architecture():
    assert "machine" not in paste.read(CROSS_FLAGS).facts


# cyberbotics/webots#6805, verbatim lines (an M4, the launcher built on an x64 runner)
WEBOTS_BAD_CPU = (
    'Launching the *webots-controller* executable, for external controllers, yields a "Bad CPU '
    'type in executable" error\n'
    " - Operating System: macOS Sequoia\n"
    "The Mac has an Apple M4 chip\n"
)


def test_bad_cpu_type_on_an_apple_chip_is_an_intel_only_binary_without_rosetta():
    assert paste.read(WEBOTS_BAD_CPU).has("sign.bad_cpu_type")
    _, results = diagnose.diagnose(WEBOTS_BAD_CPU)
    first = diagnose.first_cause(results)
    assert first.id == "torch.installed" and first.status is Status.FAIL
    assert "Rosetta 2" in first.cause and "--install-rosetta" in first.fix.commands[0]
    assert any("Bad CPU type" in line for line in first.evidence)


def test_bad_cpu_type_on_an_intel_mac_is_the_intel_mac():
    # w-okada/voice-changer#496: an Apple-silicon-only build on an Intel MacBook Pro 2019
    text = "zsh: bad CPU type in executable: ./MMVCServerSIO\nMacBook Pro 2019, Intel Core i7\n"
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    assert first.id == "host.arch" and first.status is Status.FAIL
    rows = {r.id: r for r in results}
    assert rows["torch.installed"].status is not Status.FAIL
    # an Intel CPU named beside an Apple chip (w-okada/voice-changer#231: it works on the M1,
    # the Intel hackintosh refuses it): not read as Apple silicon's missing Rosetta
    both = WEBOTS_BAD_CPU + "it works on my m1, but on my intel hackintosh it fails\n"
    rows = {r.id: r for r in diagnose.diagnose(both)[1]}
    assert "Rosetta 2" not in rows["torch.installed"].cause


# Finder refusing an app with no slice for this Mac's CPU, verbatim
NOT_FOR_THIS_MAC = [
    # divamgupta/diffusionbee-stable-diffusion-ui#70 (its specs only in screenshots)
    'You can\'t open the application "DiffusionBee" because this application is not supported on '
    "this Mac.\n",
    # ollama/ollama#84 (a 2020 MacBook Pro: Intel)
    "Upon unzipping the Ollama download, I'm unable to launch the app. I get the following error: "
    '"You can\u2019t open the application \u201cOllama\u201d because this application is not '
    'supported on this Mac."\n',
]


def test_an_app_finder_will_not_open_on_this_mac_is_an_intel_mac():
    for text in NOT_FOR_THIS_MAC:
        reading = paste.read(text)
        assert reading.facts["os"] == "Darwin" and reading.has("sign.intel_cpu")
        first = diagnose.first_cause(diagnose.diagnose(text)[1])
        assert first.id == "host.arch" and "Intel Mac" in first.cause
    # an Apple chip named decides: Finder's words alone say Intel only weakly
    m1 = "MacBook Air M1, macOS 14.5.\n" + NOT_FOR_THIS_MAC[0]
    assert paste.read(m1).facts["hardware_arm64"] is True
