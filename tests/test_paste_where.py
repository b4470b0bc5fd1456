"""Issue 12: where the code ran and the machine's facts, told by text that is no collect_env.

- a macOS crash report in its JSON form (.ips: "cpuType", "translated", "modelCode",
  "osVersion") and the legacy text report's "Model:" line (verify.diagnosis.paste.system);
- Windows / Linux / a container told by a traceback's paths and a shell's prompt, and MPS asked
  of such a process (verify.diagnosis.paste.paths, diagnose.expect_mps);
- Docker on the Mac said with "OSX" (verify.diagnosis.paste.prose);
- the machine and MPS use told in other languages than English (verify.diagnosis.paste.languages),
  negations and questions giving nothing.
Real reports: tests/data/holdout12 and holdout14 (development data), tests/data/collect_env.
"""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest

from verify.diagnosis import diagnose
from verify.diagnosis import paste as reading
from verify.diagnosis.paste import languages, paths
from verify.errors import InputError
from verify.model import Status

DATA = Path(__file__).parent / "data"


def _case(folder: str, name: str) -> corpus.Case:
    return corpus.load(next((DATA / folder).glob(f"{name}*.txt")))


def _first(text: str) -> str | None:
    _, results = diagnose.diagnose(text)
    first = diagnose.first_cause(results)
    return first.id if first else None


def _failing(text: str) -> list[str]:
    _, results = diagnose.diagnose(text)
    return [r.id for r in results if r.status is Status.FAIL]


# --- macOS crash reports -----------------------------------------------------------------------


def test_a_json_crash_report_of_a_translated_python_is_rosetta():
    # napari/napari#7259: the .ips body of an x86_64 Miniconda Python crashing on an M1
    case = _case("holdout14", "napari-7259")
    facts = reading.read(case.text).facts
    assert facts["translated"] is True and facts["machine"] == "x86_64"
    assert facts["hardware_arm64"] is True and facts["macos_version"] == "14.6.1"
    assert _first(case.text) == "host.arch"


_IPS = (
    '{"app_name":"python3.10","os_version":"macOS 13.4 (22F66)","bug_type":"309"}\n'
    "{\n"
    '  "modelCode" : "MacBookPro15,1",\n'
    '  "translated" : false,\n'
    '  "cpuType" : "X86-64",\n'
    '  "procName" : "python3.10",\n'
)


def test_a_json_crash_report_of_a_native_process_tells_the_mac():
    facts = reading.read(_IPS).facts
    # an x86_64 process, not translated: an Intel Mac (and MacBookPro15 is one)
    assert facts["machine"] == "x86_64" and facts["translated"] is False
    assert facts["hardware_arm64"] is False and facts["macos_version"] == "13.4"
    arm = _IPS.replace("X86-64", "ARM-64").replace("MacBookPro15,1", "Mac14,2")
    facts = reading.read(arm).facts
    assert facts["machine"] == "arm64" and facts["hardware_arm64"] is True


def test_rosettas_memory_regions_in_a_crash_report_are_a_translated_process():
    # the VM region summary of a translated process (text report, or JSON's "vmSummary")
    text = "REGION TYPE              SIZE    COUNT\nRosetta JIT            128.0M        1\n"
    facts = reading.read(text).facts
    assert facts["translated"] is True and facts["hardware_arm64"] is True
    assert "translated" not in reading.read("I use Rosetta JIT mode sometimes\n").facts


def test_json_keys_without_a_crash_reports_cputype_say_nothing():
    text = '{"translated" : true, "name": "xpath"}\n'
    assert "translated" not in reading.read(text).facts


def test_the_legacy_reports_model_line_tells_intel_or_apple_silicon():
    intel = (
        "Model: MacBookPro15,1, BootROM 1037.0.78.0.0 (iBridge: 17.16.10572.0.0,0), 6 processors"
    )
    assert reading.read(intel).facts["hardware_arm64"] is False
    silicon = "Model: MacBookPro17,1, BootROM 7429.81.3, proc 8:4:4 processors, 16 GB, SMC"
    assert reading.read(silicon).facts["hardware_arm64"] is True
    # spindump writes "Hardware model:" in lower case
    assert reading.read("Hardware model:   MacBookPro18,3\n").facts["hardware_arm64"] is True


# --- where the code ran, from its paths --------------------------------------------------------


def test_a_windows_traceback_with_mps_asked_is_not_a_mac():
    # mkara44/liveportrait_talker#4: F:\ frames, venv\lib\site-packages, the thread "mps device"
    case = _case("holdout12", "liveportrait-talker-4")
    assert reading.read(case.text).facts["os"] == "Windows"
    assert _first(case.text) == "host.os"


@pytest.mark.parametrize(
    "line",
    [
        '  File "C:\\Users\\me\\AppData\\Local\\Programs\\Python\\Python310\\lib\\site-packages'
        '\\torch\\nn\\modules\\module.py", line 1173, in to',
        "(venv) F:\\talker\\liveportrait_talker-main>python inference.py --config_path config.yaml",
        "PS C:\\Users\\me\\project> python app.py --device mps",
    ],
)
def test_windows_paths_and_prompts_are_windows(line):
    assert [c.field for c in paths.read(line)] == ["sign.windows_paths"]
    assert reading.read(line).facts.get("os") == "Windows"


@pytest.mark.parametrize(
    "line",
    [
        '  File "/home/me/sd/venv/lib/python3.10/site-packages/torch/nn/modules/module.py", line 9',
        '  File "/usr/local/lib/python3.10/dist-packages/torch/serialization.py", line 1',
        "me@box:~/stable-diffusion$ python scripts/txt2img.py --device mps",
        "  _C.cpython-310-x86_64-linux-gnu.so",
    ],
)
def test_linux_paths_and_prompts_are_linux(line):
    assert "sign.linux_paths" in {c.field for c in paths.read(line)}
    assert reading.read(line).facts.get("os") == "Linux"


@pytest.mark.parametrize(
    "line",
    [
        '  File "/Users/me/venv/lib/python3.10/site-packages/torch/nn/modules/module.py", line 9',
        "me@MacBook-Pro stable-diffusion % python scripts/txt2img.py",
        "/opt/homebrew/lib/python3.11/site-packages/torch/__init__.py",
    ],
)
def test_macos_paths_are_no_pc(line):
    found = {c.field for c in paths.read(line)}
    assert not found & {"sign.windows_paths", "sign.linux_paths", "sign.linux_workload"}


def test_paths_give_no_os_beside_a_mac():
    # a Linux server's traceback beside the user's Mac says nothing about the Mac
    text = (
        "It works on my MacBook Pro M2 but fails on the server:\n"
        '  File "/home/me/app/venv/lib/python3.10/site-packages/torch/nn/modules/module.py"\n'
    )
    assert reading.read(text).facts.get("os") != "Linux"
    # Windows and Linux paths together say nothing either
    both = 'File "C:\\app\\x.py", line 1\nFile "/home/me/x.py", line 2\n'
    assert reading.read(both).facts.get("os") is None


def test_a_windows_mps_probe_alone_is_no_mps_asked():
    # the code's own check (`if torch.backends.mps.is_available()`) on a PC asks for nothing
    text = (
        "Traceback (most recent call last):\n"
        '  File "C:\\app\\config.py", line 96, in device_config\n'
        "    elif torch.backends.mps.is_available():\n"
        "RuntimeError: something else\n"
    )
    assert "host.os" not in _failing(text)


def test_a_containers_frames_on_a_mac_are_linux_in_the_mac():
    # jim60105/docker-whisperX#20: "run the docker image (base-en) on OSX", /venv frames
    case = _case("holdout12", "docker-whisperx-20")
    signs = reading.read(case.text).signs
    assert signs.get("sign.docker_on_mac") and signs.get("sign.linux_workload")
    assert _first(case.text) == "host.os"


# --- other languages ---------------------------------------------------------------------------


def _signs(text: str) -> set[str]:
    return {c.field for c in languages.read(text)}


@pytest.mark.parametrize(
    "text",
    [
        "mac使用mps推理原生torch权重时，只输出第一个token",  # jingyaogong/minimind#446  # noqa: RUF001
        "用mps跑的时候很慢",
        "MPSで推論すると結果がおかしい",
        "MPS를 사용하면 오류가 납니다",
        "Estoy usando mps en mi Mac",
        "Ich trainiere mit MPS auf dem Mac",
        "J'entraîne avec MPS sur mon Mac",
        "Обучаю на MPS",
        "das MPS-Backend stürzt ab",
    ],
)
def test_mps_use_in_other_languages_is_torch_work_on_mps(text):
    assert "sign.mps_work" in _signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "我没有用mps，只用cpu",  # noqa: RUF001
        "不用mps的时候正常",
        "能用mps推理吗？",  # noqa: RUF001
        "¿Funciona con MPS?",
        "Ich nutze nicht mit MPS",
        "no con mps",
    ],
)
def test_negated_or_asked_mps_use_is_not_read(text):
    assert "sign.mps_work" not in _signs(text)


def test_the_healthy_and_wrong_results_threads_in_chinese_are_diagnosed_without_a_failure():
    # minimind#446 (wrong results), ComfyUI-SeedVR2#395 (healthy: 苹果M4 Pro, Device: mps)
    for folder, name in (("holdout12", "minimind-446"), ("holdout12", "comfyui-seedvr2-395")):
        text = _case(folder, name).text
        assert _failing(text) == [], name
    facts = reading.read(_case("holdout12", "comfyui-seedvr2-395").text).facts
    assert facts["chip"] == "Apple M4 Pro" and facts["macos_version"] == "26.2"


def test_an_intel_mac_told_in_chinese_with_a_pin_pip_lacks_is_the_intel_mac():
    # QwenAudio/CosyVoice#501: "mac系统intel架构的, pip仓库没有torch==2.4.1怎么办?"
    case = _case("holdout14", "cosyvoice-501")
    r = reading.read(case.text)
    assert r.facts["hardware_arm64"] is False
    assert [c.value for c in r.signs["sign.pip_no_torch"]] == ["torch==2.4.1"]
    assert _first(case.text) == "host.arch"


@pytest.mark.parametrize(
    "text",
    [
        "mi Mac con procesador Intel",
        "MacBook Pro Intel, macOS 13",
        "auf meinem Intel-Mac",
        "sur mon Mac Intel",
        "Mac на Intel",
    ],
)
def test_an_intel_mac_in_other_languages(text):
    r = reading.read(text)
    assert r.signs.get("sign.intel_cpu") and r.facts.get("os") == "Darwin", text


@pytest.mark.parametrize(
    "text",
    [
        "no tengo un Mac Intel",
        "kein Intel-Mac",
        "MacBook Pro Intel and M1 both fail",
        "不是intel架构的",
        "你是intel架构吗？",  # noqa: RUF001
    ],
)
def test_an_intel_mac_negated_or_one_of_two_is_not_read(text):
    assert "sign.intel_cpu" not in _signs(text), text


@pytest.mark.parametrize(
    ("text", "chip"),
    [
        ("苹果M4 Pro", "Apple M4 Pro"),
        ("맥북 M1에서 실행", "Apple M1"),
        ("MacのM2で動かす", "Apple M2"),
    ],
)
def test_an_apple_chip_against_cjk_letters(text, chip):
    assert reading.read(text).facts.get("chip") == chip


@pytest.mark.parametrize(
    ("folder", "name", "chip"),
    [
        # "我的笔记本是m1 max" (lower-case, the title naming mps): opendilab/DI-star#26
        ("holdout35", "di-star-26", "Apple M1 Max"),
        # "m1 能不能跑得动" (a space before the letters, the title naming the mac)
        ("holdout145", "babysor-MockingBird-354", "Apple M1"),
    ],
)
def test_a_lower_case_apple_chip_in_cjk_text(folder, name, chip):
    text = _case(folder, name).text
    assert reading.read(text).facts.get("chip") == chip
    assert _failing(text) == []  # a healthy thread: diagnosed, not refused


def test_a_chip_like_name_without_a_mac_is_no_chip():
    assert reading.read("使用M3模型推理").facts.get("chip") is None


def test_a_question_whether_a_mac_can_use_the_gpu_is_diagnosed_not_refused():
    # CVHub520/X-AnyLabeling#862: "Can Mac use gpu acceleration?" (healthy: the model's
    # device_type: mps was the answer); a slow laptop, no Mac and no GPU wish, is still refused
    text = _case("holdout12", "x-anylabeling-862").text
    assert _failing(text) == []
    with pytest.raises(InputError):
        diagnose.diagnose("My laptop is slow when I train, what should I do?\n")


def test_a_pin_said_missing_under_a_condition_is_not_read():
    assert "sign.pip_no_torch" not in _signs("如果pip仓库没有torch==2.4.1，就用2.2.2")  # noqa: RUF001
    assert "sign.pip_no_torch" in _signs("pip cannot find torch==2.4.1 on my Intel Mac")


@pytest.mark.parametrize(
    "text",
    [
        "目前针对macos的mps没有支持，device只支持了cpu和cuda",  # noqa: RUF001 - Tau-J/rtmlib#20
        "MPSのサポートはありますか",
        "¿Hay soporte para MPS?",
        "Gibt es Unterstützung für MPS?",
    ],
)
def test_mps_support_wished_for_in_other_languages_makes_a_paste_diagnosable(text):
    assert "sign.mps_intent" in _signs(text)
    _, results = diagnose.diagnose(text)  # not refused
    assert not [r for r in results if r.status is Status.FAIL]


@pytest.mark.parametrize(
    "line",
    [
        "/home/me/venv/lib/python3.10/site-packages/torch/nn/modules/module.py:1501: UserWarning",
        '  File "/mnt/c/Users/me/proj/train.py", line 3, in <module>',
        "root@gpu-box:~# python train.py --device mps",
    ],
)
def test_more_linux_paths_and_prompts(line):
    assert reading.read(line).facts.get("os") == "Linux"


def test_a_lower_case_drive_letter_is_windows():
    # pharmapsychotic/clip-interrogator#50: `File "d:\Users\...\site-packages\..."`
    line = '  File "d:\\Users\\me\\anaconda3\\lib\\site-packages\\clip_interrogator\\x.py", line 1'
    assert reading.read(line).facts.get("os") == "Windows"


@pytest.mark.parametrize(
    "text",
    [
        "Uso Docker en mi Mac M1 y no encuentra la GPU",
        "Ich nutze Docker auf meinem MacBook Pro",
        "Docker sur mon Mac",
        "MacでDockerを使う",
        "맥에서 도커로 실행",
    ],
)
def test_docker_on_the_mac_in_other_languages_is_linux_in_the_mac(text):
    r = reading.read(text)
    assert r.signs.get("sign.docker_on_mac") and r.facts.get("os") == "Linux", text


@pytest.mark.parametrize(
    "text",
    ["Docker en un servidor, no en mi Mac", "Docker, no en mi Mac", "Docker nicht auf dem Mac"],
)
def test_docker_elsewhere_or_negated_in_other_languages_is_not_on_the_mac(text):
    assert "sign.docker_on_mac" not in _signs(text)


def test_rosetta_a_vm_and_a_chip_in_other_languages():
    assert reading.read("lo ejecuto con Rosetta").facts.get("translated") is True
    assert "translated" not in reading.read("¿lo ejecutas con Rosetta?").facts
    assert "sign.vm" in _signs("corre en una máquina virtual")
    assert "sign.vm" not in _signs("no es una máquina virtual")
    assert reading.read("mi Mac con chip M1").facts.get("chip") == "Apple M1"
    assert reading.read("mein M2-Chip").facts.get("chip") == "Apple M2"
    assert reading.read("con chip M1 o M2?").facts.get("chip") is None


def test_git_bash_and_forward_slash_drive_paths_are_windows():
    assert reading.read("me@DESKTOP-1 MINGW64 ~/proj (main)\n").facts.get("os") == "Windows"
    frame = '  File "C:/Users/me/proj/app.py", line 3, in <module>\n'
    assert reading.read(frame).facts.get("os") == "Windows"


def test_a_crash_reports_python_version():
    text = (
        "Identifier:            org.python.python\n"
        "Version:               3.9.5 (3.9.5)\n"
        "Code Type:             X86-64 (Translated)\n"
    )
    facts = reading.read(text).facts
    assert facts["python_version"] == "3.9.5" and facts["translated"] is True
    assert reading.read(_IPS).facts["python_version"] == "3.10"


@pytest.mark.parametrize(
    ("line", "os_name"),
    [
        (
            'OSError: [WinError 126] The specified module could not be found. Error loading "C:\\x'
            '\\torch\\lib\\c10.dll" or one of its dependencies.',
            "Windows",
        ),
        ("Windows fatal exception: access violation", "Windows"),
        ("ImportError: libcudart.so.11.0: cannot open shared object file: No such file", "Linux"),
        ("Segmentation fault (core dumped)", "Linux"),
        ("Segmentation fault: 11", "Darwin"),
        ("dyld[1234]: Library not loaded: @rpath/libtorch.dylib", "Darwin"),
        ("Python quit unexpectedly.", "Darwin"),
    ],
)
def test_the_words_only_one_oss_loader_or_shell_prints(line, os_name):
    assert reading.read(line).facts.get("os") == os_name


def test_a_linux_crash_beside_a_mac_says_nothing_of_the_mac():
    text = "On my MacBook Air M2 it works; on the cluster:\nSegmentation fault (core dumped)\n"
    assert reading.read(text).facts.get("os") != "Linux"


def test_activity_monitors_kind_intel_is_a_translated_process():
    facts = reading.read("Activity Monitor shows Python as Intel\n").facts
    assert facts["translated"] is True and facts["hardware_arm64"] is True
    for text in (
        "Activity Monitor shows Python as Apple\n",
        "Does Activity Monitor show Python as Intel?\n",
        "Activity Monitor does not show Intel\n",
    ):
        assert "translated" not in reading.read(text).facts, text


@pytest.mark.parametrize(
    ("text", "version"),
    [("macOS versión 14.5", "14.5"), ("macOS versão 15.1", "15.1"), ("macOS версия 14.4", "14.4")],
)
def test_the_macos_version_with_another_languages_word_for_version(text, version):
    assert reading.read(text).facts.get("macos_version") == version


def test_an_intel_mac_in_japanese():
    assert "sign.intel_cpu" in _signs("IntelのMacで動かしています")
    assert "sign.intel_cpu" in _signs("インテルMacBook Proです")
    assert "sign.intel_cpu" not in reading.read("Intel版Macではない").signs
    assert "sign.mps_work" not in _signs("MPS를 사용하지 않습니다")


@pytest.mark.parametrize(
    "line",
    [
        "me@Mys-MacBook-Pro stable-diffusion % python run.py",
        # rasbt/machine-learning-notes#4: macOS's old bash prompt `host:dir user$`
        "(ml) Mahzads-MacBook-Pro-2:pytorch-m1-gpu mahzad$ python lenet-mnist.py",
        "Romans-MacBook-Pro.local ➜  Fooocus git:(main) docker run -it image",
    ],
)
def test_a_macs_prompt_or_host_name_is_a_mac(line):
    assert reading.read(line).facts.get("os") == "Darwin"


@pytest.mark.parametrize(
    "model", ["MacBook", "MacBook-Pro", "MacBook-Air", "Mac-mini", "Mac-Studio", "Mac-Pro", "iMac"]
)
def test_every_mac_model_in_a_host_name_is_read_as_a_mac_and_its_owner_masked(model):
    # the same models for reading (paths.MAC_PROMPT) and for masking (clues._MAC_HOST): one list,
    # clues.MAC_MODELS; the line in the form of lllyasviel/Fooocus#3236's prompt
    from verify.diagnosis.paste.clues import quote

    line = f"Janes-{model}.local \u279c  project git:(main) python run.py"
    assert reading.read(line).facts.get("os") == "Darwin"
    assert quote(line).startswith(f"...-{model}.local") and "Janes" not in quote(line)


def test_a_linux_prompt_and_arithmetic_are_no_mac_prompt():
    assert reading.read("me@box:~/x$ python a.py\n").facts.get("os") == "Linux"
    assert reading.read("x = 5 % 3\n").facts.get("os") is None


def test_nvidia_smi_with_mps_asked_is_a_pc():
    text = (
        "I set --device mps and it fails\n"
        "| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2  |\n"
        "|   0  NVIDIA GeForce RTX 3090        Off | 00000000:01:00.0  On |              N/A |\n"
    )
    signs = reading.read(text).signs
    assert [c.value for c in signs["sign.pc_gpu"]] == ["NVIDIA GeForce RTX 3090"]
    assert _first(text) == "host.os"


def test_a_powershell_error_record_is_windows():
    line = "    + CategoryInfo     : ObjectNotFound: (python3:String) [], CommandNotFoundException"
    assert reading.read(line).facts.get("os") == "Windows"


def test_a_linux_guest_named_on_a_mac_is_linux_in_the_mac():
    text = "I'm running this in an Ubuntu VM on my M1 MacBook and MPS is not available\n"
    assert reading.read(text).facts.get("os") == "Linux"
    assert _first(text) == "host.os"
    for other in (
        "We ship a Linux container image; on my MacBook M2, MPS is slow\n",  # not where it runs
        "not in a Linux VM, on my M2 Mac directly: device mps\n",  # negated
        "Is it in an Ubuntu VM on your M1?\n",  # asked
    ):
        assert "sign.linux_guest" not in reading.read(other).signs, other


def test_a_linux_guest_in_a_title_after_a_dash_is_linux_in_the_mac():
    # utmapp/UTM#4869 (verbatim title and configuration): the guest named with its architecture,
    # after " - ", which ends the clause the "not" before it negates
    text = (
        "GPU acceleration in Apple backend mode not posible - Ubuntu 22.04 ARM Guest\n"
        "* UTM Version: 4.1.3\n* macOS Version: Ventura 13.0\n* Mac Chip (Intel, M1, ...): M1\n"
    )
    signs = reading.read(text).signs
    assert [c.value for c in signs["sign.linux_guest"]] == ["Ubuntu 22.04 ARM Guest"]
    assert reading.read(text).facts.get("os") == "Linux"
    assert _first(text) == "host.os"


def test_mps_said_unavailable_is_diagnosed_not_refused():
    # an MPS failure told in words, as "MPS crashes" is; a GPU with neither MPS nor a Mac named
    # is still refused
    _, results = diagnose.diagnose("MPS is not available on my Mac\n")
    assert not [r for r in results if r.status is Status.FAIL]
    with pytest.raises(InputError):
        diagnose.diagnose("GPU is not available on my laptop\n")


@pytest.mark.parametrize(
    "line",
    [
        # pytorch/pytorch#189704, verbatim: Python's dlopen error quoting dyld, and CPython's
        # extension suffix on macOS
        "ImportError: dlopen(.../torch/_C.cpython-313-darwin.so, 0x0002): Library not loaded: "
        "@rpath/libtorch_cpu.dylib",
        "  Referenced from: .../torch/lib/_C.cpython-310-darwin.so",
    ],
)
def test_dyld_and_the_darwin_extension_suffix_are_a_mac(line):
    assert reading.read(line).facts.get("os") == "Darwin"
