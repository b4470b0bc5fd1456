"""The machine and MPS use told in languages other than English (issue 12).

Reports come in Chinese, Japanese, Korean, Spanish, Portuguese, German, French and Russian as
often as not; the tools' output in them is English (read elsewhere), the sentences around it are
not. verify.diagnosis.paste.prose reads the English phrases and the Chinese / Japanese / Korean
words for Apple silicon, Intel, Rosetta and a Mac; this module reads the rest:

- MPS used ("mac使用mps推理" / "使用mps推理transformers权重也正常": jingyaogong/minimind#446;
  "用mps跑", "mps加速", "MPSで推論", "MPS를 사용", "usando mps", "com o MPS", "mit MPS",
  "avec MPS", "на MPS", "das MPS-Backend") -> sign.mps_work: torch work on the MPS device shown
  (verify.diagnosis.paste.mpswork), so a healthy or wrong-results thread in those words is
  diagnosed, not refused;
- MPS support wished for or said missing ("macos的mps没有支持", "soporte para MPS") ->
  sign.mps_intent (the thread is about MPS, negated or not, as the English "support for MPS");
- an Intel Mac ("mac系统intel架构的": QwenAudio/CosyVoice#501; "mi Mac con procesador Intel",
  "MacBook Pro Intel", "meinem Intel-Mac", "mon Mac Intel", "Mac на Intel") -> sign.intel_cpu,
  a Mac; an Intel processor named ("procesador Intel", "Intel-Prozessor", "процессор Intel",
  "インテル") -> sign.intel_cpu;
- an Apple chip written against CJK letters, with no space ("苹果M4 Pro" / "M4 Pro支持Device:
  mps": numz/ComfyUI-SeedVR2_VideoUpscaler#395, "M1에서", "M2で") -> chip, where the paste
  names a Mac or Apple (a "\\b" never falls between a CJK letter and a Latin one, so the English
  patterns miss it);
- a Mac in Japanese / Korean / Chinese words ("맥북", "맥에서", "マック", "在mac上") -> a Mac;
- a torch pin said missing from pip's index ("pip仓库没有torch==2.4.1") -> sign.pip_no_torch;
- Docker on the Mac ("Docker en mi Mac", "Docker auf meinem MacBook", "MacでDocker", "맥에서
  도커") -> sign.docker_on_mac (not where the line names a server or the cloud); a virtual machine
  ("máquina virtual", "virtuelle Maschine", "虚拟机", "仮想マシン") -> sign.vm; Rosetta ("con
  Rosetta", "mit Rosetta", "Rosetta経由") -> an x86_64 process translated on Apple silicon; an
  Apple chip named with another language's word for it ("chip M1", "puce M2", "M1-Chip");
- the Mac's GPU wished for in these languages ("Mac能用GPU加速吗", "GPU de mi Mac") ->
  sign.gpu_intent (verify.diagnosis.paste.places reads the English one).

A negation or a condition just before the phrase ("不是intel", "没有用mps", "sin MPS", "kein
Intel-Mac", "pas de MPS", "не Intel", "if", "si", "wenn", "если") or a question in its sentence
("能用mps吗?", "¿funciona con MPS?") gives nothing, except for the GPU wish, which is a question
by nature. Pure: text in, clues out.
"""

from __future__ import annotations

import re

from verify.diagnosis.paste.clues import CJK as _CJK
from verify.diagnosis.paste.clues import WEAK, Clue, clue, finditer
from verify.known_errors import MPS_SAID

_I = re.IGNORECASE
_MPS = r"(?<![A-Za-z0-9_])(?i:mps)(?![A-Za-z0-9_])"
MPS_USE = re.compile(
    # Chinese: "使用mps推理", "用mps跑", "切换到mps", "mps加速", "mps推理", "mps后端"
    rf"(?:使用|用|采用|採用|开启|開啟|启用|啟用|切换到|切換到|改成|改为|改用|换成|換成|基于|基於)"
    rf"[ \t]*{_MPS}|"
    rf"{_MPS}[ \t]*(?:推理|加速|训练|訓練|运行|運行|跑|后端|後端|设备|設備|模式)|"
    # "on MPS": "在Mac的MPS框架上运行" (2noise/ChatTTS#362), "mps上推理"
    rf"{_MPS}[ \t]*(?:框架|后端|後端|设备|設備)?[ \t]*上[ \t]*"
    r"(?:运行|運行|跑|推理|训练|訓練|测试|測試)|"
    # Japanese and Korean: "MPSで推論", "MPSを使う", "MPS를 사용", "MPS로", "MPS에서"
    rf"{_MPS}[ \t]*(?:で|を使|を利用|バックエンド|デバイス|를|을|로|으로|에서|백엔드|가속)|"
    # Spanish, Portuguese, German, French, Russian: "usando mps", "com o MPS", "mit MPS",
    # "avec MPS", "на MPS", "das MPS-Backend"
    r"(?<![\w-])(?i:usando|utilizando|uso|utilizo|con|com|mit|avec|utilise|utilisant|verwende|"
    r"benutze|nutze|на|через|используя|использую|\u0441)"
    r"[ \t]+(?:(?i:el|la|le|l'|o|a|das|den|dem|die)[ \t]*)?"
    r"(?:(?i:backend|dispositivo|device|Gerät|périphérique|устройство|бэкенд)[ \t]+)?"
    r"['\"`]?(?i:mps)\b(?!-)|"
    r"\b(?i:MPS)-(?:Backend|Gerät)\b",
)
# MPS support wished for or said missing, in other languages ("目前针对macos的mps没有支持":
# Tau-J/rtmlib#20, "支持mps", "MPSのサポート", "MPS 지원", "soporte para MPS", "suporte a MPS",
# "Unterstützung für MPS", "prise en charge de MPS", "поддержка MPS") -> sign.mps_intent, as the
# English "support for MPS" (verify.diagnosis.paste.prose.MPS_WISH): the thread is about MPS,
# negated or not
MPS_SUPPORT = re.compile(
    rf"{_MPS}[ \t]*(?:的|の)?[ \t]*(?:没有|沒有|不)?[ \t]*(?:支持|支援|サポート|対応|지원)|"
    rf"(?:支持|支援|対応|지원)[ \t]*{_MPS}|"
    r"\b(?i:soporte|suporte|Unterstützung|prise en charge|поддержк[аиу])[ \t]+"
    r"(?:(?i:para|a|ao|de|del|für|von|du)[ \t]+)?(?:(?i:el|la|o|das|den|le|l')[ \t]*)?"
    r"['\"`]?(?i:mps)\b"
)
# an Intel Mac in other word orders and languages
_MAC_NAME = r"Mac(?:Book(?:[ \t]?(?:Pro|Air))?|[ \t]?mini|[ \t]?Pro|[ \t]?Studio)?|iMac"
INTEL_MAC = re.compile(
    # (also "MAC Intel" and "Mac Intels": "Install on MAC Intel", "what we can install on Mac
    # Intels": disler/always-on-ai-assistant#9)
    rf"\b(?:{_MAC_NAME}|MAC)[ \t]+(?:(?i:con|com|mit|avec|à|a|на|\u0441)[ \t]+)?"
    r"(?:(?i:(?:un|uma?|une?|ein(?:em)?)[ \t]+)?(?i:procesador|processador|processeur|"
    r"Prozessor|Chip|puce|процессор(?:ом)?|чип(?:ом)?)[ \t]+)?Intels?\b(?![ \t]*(?:/|&))|"
    rf"\bIntel-(?:{_MAC_NAME})\b|"
    # Japanese: "IntelのMac", "Intel版MacBook", "インテルMac"
    rf"(?:(?<![A-Za-z])Intel[ \t]*(?:の|版|製)|インテル[ \t]*(?:の|版|製)?)[ \t]*(?:{_MAC_NAME})"
    r"(?![A-Za-z])",
)
# the words after it that make it one of several ("MacBook Pro Intel and M1"): no machine
_BOTH = re.compile(r"[ \t]*(?:and|or|y|o|ou|e|et|und|oder|и|или|和|或)\b", _I)
INTEL_CPU = re.compile(
    r"\b(?i:procesador|processador|processeur|Prozessor|процессор(?:ом)?)[ \t]+(?:de[ \t]+)?"
    r"Intel\b|\bIntel-Prozessor|インテル|(?i:intel)[ \t]*(?:架构|架構|CPU|cpu)",
)
# an Apple chip against CJK letters: "苹果M4 Pro", "M4 Pro支持", "M1에서", "M2で"; lower-case as
# well, a space before the letters allowed ("我的笔记本是m1 max": opendilab/DI-star#26; "m1
# 能不能跑得动": babysor/MockingBird#354)
CJK_CHIP = re.compile(
    rf"(?:(?<=[{_CJK}])|(?<![A-Za-z0-9_.\-]))(?i:M)([1-9])(?:[ \t]?((?i:Pro|Max|Ultra)))?"
    rf"[ \t]?(?=[{_CJK}])|(?<=[{_CJK}])(?i:M)([1-9])(?:[ \t]?((?i:Pro|Max|Ultra)))?"
    rf"(?![A-Za-z0-9_.\-])"
)
_APPLE = re.compile(
    r"\b(?i:mac|apple)|苹果|蘋果|アップル|애플|맥|マック|(?i:mac)(?=[" + _CJK + "])"
)
CJK_MAC = re.compile(
    r"맥북|맥\s?미니|맥에서|マック|(?:在|用)[ \t]*(?i:mac)(?:book)?(?![A-Za-z])|"
    r"(?<![A-Za-z])(?i:mac)(?:book)?[ \t]*(?:上|使用|运行|運行)|"
    # the Latin word run straight into Chinese text: "mac安装提示需要 torch==2.1.2+cu121"
    # (jianchang512/pyvideotrans#353), "macOS系统" - a "\b" never falls there; not "macos的mps"
    # ("macOS's MPS", a library's support in general: rtmlib#20)
    r"(?<![A-Za-z])(?i:mac)(?i:book|os)?(?=[\u4e00-\u9fff])(?!的)"
)
GPU_WISH = re.compile(
    rf"(?<![A-Za-z])(?i:mac)[^\n。\uff1f?]{{0,12}}?(?:用|使用|支持|调用|で|에서)[^\n。\uff1f?]{{0,6}}?"
    rf"(?i:gpu)|(?i:gpu)[ \t]+(?i:de|do|da|von|на)[ \t]+(?:(?i:mi|mon|meu|meinem|моём)[ \t]+)?"
    rf"(?:{_MAC_NAME})\b"
)
# a torch pin said in words to be missing from pip's index, in any language ("pip仓库没有
# torch==2.4.1怎么办": QwenAudio/CosyVoice#501, an Intel Mac; "pip cannot find torch==2.4.1",
# "no encuentra torch==2.4.1") -> sign.pip_no_torch, as pip's own "No matching distribution found
# for torch==2.4.1" (verify.diagnosis.resolver reads it against the interpreter)
_MISSING = (
    r"(?:没有|沒有|找不到|无法安装|無法安裝|装不上|裝不上|安装不了|安装失败|安裝失敗|不存在|"
    r"見つから|インストールできな|없|설치할 수 없|"
    r"\b(?i:can(?:no|')t|could(?:n't| not)|unable to|fails? to|failed to)[ \t]+"
    r"(?i:find|install|get|resolve)|"
    r"\b(?i:no (?:encuentra|se encuentra|puedo instalar)|nicht gefunden|kann nicht|introuvable|"
    r"impossible d'installer|não (?:encontra|consigo)|не (?:найден|удается|удаётся|могу)))"
)
_PIN = r"(?<![A-Za-z0-9_.-])(?i:torch|pytorch)[ \t]*==[ \t]*(\d+\.\d+(?:\.\d+)?)(?![A-Za-z0-9_.+])"
PIN_MISSING = re.compile(
    rf"{_MISSING}[^\n.\u3002]{{0,30}}?{_PIN}|{_PIN}[^\n.\u3002]{{0,30}}?{_MISSING}"
)
_INDEX = re.compile(
    r"(?<![A-Za-z])(?:pip|PyPI|uv|wheels?|index)(?![A-Za-z])|仓库|倉庫|源|安装|安裝|インストール|설치",
    _I,
)
# a negation inside the phrase: "Docker, no en mi Mac", "nicht auf meinem Mac"
_NOT_IN = re.compile(
    r"(?<![A-Za-z])(?i:no|not|sin|sem|sans|pas|ohne|nicht|kein\w*|не|без)(?![A-Za-z])"
)
_IF_BEFORE = re.compile(r"(?:如果|若|\b(?i:if|si|wenn|falls|если))[^\n.,;:!?]{0,30}$")
# Docker on the Mac itself, in other languages ("Docker en mi Mac", "Docker auf meinem MacBook",
# "Docker sur mon Mac", "Docker на Mac", "MacでDocker", "맥에서 도커") -> sign.docker_on_mac, as the
# English and Chinese phrases (verify.diagnosis.paste.prose.DOCKER_RUN_ON_MAC): its workload is
# Linux in Docker's VM (verify.diagnosis.paste.places.settle_os)
_DOCKER = r"(?<![A-Za-z])(?i:docker|podman)(?![A-Za-z])|도커|ドッカー"
_A_MAC = rf"(?:(?i:apple)[ \t]+)?(?:{_MAC_NAME}|(?i:mac\s?OS(?:\s?X)?))(?![A-Za-z])"
DOCKER_ON_MAC = re.compile(
    rf"(?:{_DOCKER})[^.;!?\n\u3002]{{0,60}}?(?<![A-Za-z])(?i:en|em|auf|sur|dans|im|no|na|на|в)"
    r"[ \t]+(?:(?i:mi|mon|ma|mein(?:em|en)?|meu|minha|моём|моем|un|una|um|uma|einem|le|el|o|"
    rf"a|dem)[ \t]+){{0,2}}{_A_MAC}|"
    rf"{_A_MAC}[^.;!?\n\u3002]{{0,30}}?(?<![A-Za-z])(?i:con|com|mit|avec|en|em|in|dans|на|в|"
    rf"через)[ \t]+(?:(?i:el|la|o|a|le|der|dem)[ \t]+)?(?:{_DOCKER})|"
    rf"(?<![A-Za-z])(?i:mac)(?:book)?[ \t]*(?:の|で|上の)[^\n\u3002]{{0,6}}?(?:{_DOCKER})|"
    rf"맥(?:북)?[ \t]*에서[ \t]*(?:{_DOCKER})"
)
_ELSEWHERE = re.compile(
    r"(?<![A-Za-z])(?i:servidor|serveur|Server|сервер\w*|nube|cloud|remot[oe]|entfernt\w*|"
    r"удал[её]нн\w*)(?![A-Za-z])|サーバー|서버"
)
# a virtual machine in other languages ("una máquina virtual", "in einer virtuellen Maschine",
# "une machine virtuelle", "в виртуальной машине", "虚拟机", "仮想マシン", "가상 머신") -> sign.vm
VM_WORDS = re.compile(
    r"(?i:m[áa]quina[ \t]+virtual|virtuell\w*[ \t]+Maschine|machine[ \t]+virtuelle|"
    r"виртуальн\w+[ \t]+машин\w*)|虚拟机|虛擬機|仮想マシン|가상[ \t]?머신"
)
# Rosetta in other languages ("con Rosetta", "mit Rosetta", "avec Rosetta", "под Rosetta",
# "Rosetta経由", "Rosetta로 실행") -> an x86_64 process translated on Apple silicon, as the
# English "running under Rosetta" (verify.diagnosis.paste.prose.ROSETTA)
ROSETTA = re.compile(
    r"(?<![A-Za-z])(?i:con|com|mit|avec|bajo|sob|unter|sous|под|через|в|usando|utilisant)[ \t]+"
    r"Rosetta(?:[ \t]?2)?\b|Rosetta(?:[ \t]?2)?[ \t]*(?:経由|で起動|で実行|を使|로|으로|에서)"
)
# an Apple chip named with another language's word for it ("chip M1", "puce M2", "procesador
# M3", "M1-Chip", "чип M1") -> chip
CHIP_WORDS = re.compile(
    r"(?<![A-Za-z])(?i:chip|puce|procesador|processeur|processador|чип(?:ом)?|процессор(?:ом)?)"
    r"[ \t]+(?:(?i:de[ \t]+)?(?i:Apple)[ \t]+)?M([1-9])(?:[ \t]?(Pro|Max|Ultra))?(?![\w.])|"
    r"(?<![\w.])M([1-9])(?:[ \t]?(Pro|Max|Ultra))?-(?:Chip|Prozessor)\b|"
    # the Mac and its chip run together: "我是macm1的" (fishaudio/Bert-VITS2#15), "macbookm2"
    r"(?<![A-Za-z])(?i:mac(?:book)?(?:[ \t]?(?:pro|air))?)[mM]([1-9])(?![0-9A-Za-z])"
)
_NOT_BEFORE = re.compile(
    r"(?:不|没|沒|别|別|无法|無法|未|非|如果|若|ではなく|없|아니|"
    r"\b(?i:no|not|sin|sem|sans|pas|ohne|kein\w*|nicht|não|nunca|ni|si|wenn|falls|если|не|без)"
    r"\b)[^\n.,;:!?\uff0c\u3002]{0,14}$"
)
# Japanese and Korean negate after the phrase: "Intel版Macではない", "MPS를 사용하지 않"
NOT_AFTER = re.compile(r"[^\n\u3002.,\uff0c]{0,8}?(?:ではな|じゃな|ではありません|아니|않|없)")
# (matched at the phrase's end: no "^", which re.match would tie to the text's start)
_QUESTION = re.compile(r"[^\n.!\u3002\uff01]{0,40}?[?\uff1f吗嗎]")


def _stated(text: str, m: re.Match[str]) -> bool:
    """No negation or condition just before it, no question mark or 吗 after it in its sentence
    (and no opening ¿ before it)."""
    before = text[max(text.rfind("\n", 0, m.start()) + 1, m.start() - 20) : m.start()]
    if _NOT_BEFORE.search(before) or "¿" in before or NOT_AFTER.match(text, m.end()):
        return False
    return not _QUESTION.match(text, m.end())


def read(text: str) -> list[Clue]:
    out: list[Clue] = []
    for m in finditer(MPS_USE, text, "mps", "MPS", "Mps"):
        if _stated(text, m):
            out.append(clue("sign.mps_work", m.group(0).strip(), text, m, WEAK))
            break
    for m in finditer(MPS_SUPPORT, text, "mps", "MPS", "Mps"):
        out.append(clue("sign.mps_intent", m.group(0).strip(), text, m, WEAK))
        break
    for m in finditer(INTEL_MAC, text, "Intel", "インテル"):
        if _stated(text, m) and not _BOTH.match(text, m.end()):
            out.append(clue("sign.intel_cpu", True, text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
    for m in finditer(INTEL_CPU, text, "Intel", "intel", "INTEL", "インテル"):
        if _stated(text, m) and not _BOTH.match(text, m.end()):
            out.append(clue("sign.intel_cpu", True, text, m, WEAK))
    if _APPLE.search(text) or MPS_SAID.search(text):
        for m in finditer(
            CJK_CHIP, text, "M1", "M2", "M3", "M4", "M5", "m1", "m2", "m3", "m4", "m5"
        ):
            if not _stated(text, m):
                continue
            n, tier = m.group(1) or m.group(3), m.group(2) or m.group(4)
            chip = f"Apple M{n}" + (f" {tier.title()}" if tier else "")
            out.append(clue("chip", chip, text, m, WEAK))
            out.append(clue("hardware_arm64", True, text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            break
    for m in finditer(CJK_MAC, text, "맥", "マック", "mac", "Mac", "MAC"):
        if _stated(text, m):
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
            break
    for m in finditer(PIN_MISSING, text, "=="):
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        if _INDEX.search(m.group(0)) or _INDEX.search(line[-40:]):
            if not _IF_BEFORE.search(line):
                pin = f"torch=={m.group(1) or m.group(2)}"
                out.append(clue("sign.pip_no_torch", pin, text, m, WEAK))
                break
    for m in finditer(DOCKER_ON_MAC, text, "ocker", "odman", "OCKER", "도커", "ドッカー"):
        line = text[text.rfind("\n", 0, m.start()) + 1 : text.find("\n", m.end()) % (len(text) + 1)]
        if _stated(text, m) and not _ELSEWHERE.search(line) and not _NOT_IN.search(m.group(0)):
            out.append(clue("sign.docker_on_mac", m.group(0).strip(), text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            break
    for m in finditer(VM_WORDS, text, "irtual", "иртуальн", "虚拟机", "虛擬機", "仮想", "가상"):
        if _stated(text, m):
            out.append(clue("sign.vm", m.group(0), text, m, WEAK))
            break
    for m in finditer(ROSETTA, text, "Rosetta"):
        if _stated(text, m):
            out.append(clue("machine", "x86_64", text, m, WEAK))
            out.append(clue("translated", True, text, m, WEAK))
            out.append(clue("hardware_arm64", True, text, m, WEAK))
            out.append(clue("os", "Darwin", text, m, WEAK))
            break
    for m in finditer(CHIP_WORDS, text, "M1", "M2", "M3", "M4", "M5", "m1", "m2", "m3", "m4", "m5"):
        if _stated(text, m):
            n, tier = m.group(1) or m.group(3) or m.group(5), m.group(2) or m.group(4)
            chip = f"Apple M{n}" + (f" {tier.title()}" if tier else "")
            out.append(clue("chip", chip, text, m, WEAK))
            out.append(clue("hardware_arm64", True, text, m, WEAK))
            out.append(clue("sign.mac_hint", True, text, m, WEAK))
            break
    for m in finditer(GPU_WISH, text, "gpu", "GPU", "Gpu"):
        out.append(clue("sign.gpu_intent", m.group(0).strip(), text, m, WEAK))
        break
    return out
