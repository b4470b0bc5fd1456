"""Facts: every host fact, gathered once. The ONLY module that probes the host.

A field that is not known is None ("unknown"), never a guess: the same record is built from this
host (gather_host + the worker's torch probe), from a replayed `python -m verify facts` file, and
from pasted collect_env text (verify.diagnosis.envdump).

Every probe takes an injected command runner (torch collect_env's `run_lambda`), so probes are
tested without the host.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verify.macos import real_macos
from verify.privacy import scrub

# A command runner: argv -> (returncode, stdout). Never a shell string.
Runner = Callable[[list[str]], tuple[int, str]]

FACTS_SCHEMA = 1


@dataclass(frozen=True)
class Facts:
    # where the facts come from: "host", "replayed" (--facts FILE), "pasted" (diagnose)
    source: str = "host"
    # a stable id of the machine for fleets (host_id()): a keyed hash of the hardware UUID /
    # machine-id, never the serial number or a user name; the report's `host.id`
    id: str | None = None
    # --- operating system
    os: str | None = None  # platform.system(): "Darwin", "Linux", "Windows"
    os_release: str | None = None  # platform.release() (Darwin kernel version on macOS)
    macos_version: str | None = None  # "14.5" from sw_vers -productVersion (never "10.16")
    # --- hardware and interpreter architecture
    machine: str | None = None  # the interpreter's platform.machine(): "arm64", "x86_64"
    hardware_arm64: bool | None = None  # sysctl hw.optional.arm64 == 1 (true even under Rosetta)
    translated: bool | None = None  # sysctl sysctl.proc_translated == 1: running under Rosetta 2
    chip: str | None = None  # machdep.cpu.brand_string: "Apple M2 Pro"
    virtual_machine: bool | None = None  # sysctl kern.hv_vmm_present == 1
    # --- Python
    python_version: str | None = None  # "3.11.7"
    python_implementation: str | None = None  # "CPython"
    python_build: str | None = None  # platform.python_build() joined, or the pasted build line
    python_executable: str | None = None
    # --- conda
    conda_prefix: str | None = None  # sys.prefix when it holds conda-meta/
    conda_subdir: str | None = None  # "osx-arm64", "osx-64", ... of the env's python package
    # --- torch (from the worker's probe; None when torch was not probed)
    torch_version: str | None = None  # torch.__version__, e.g. "2.5.1" or "2.13.0+cpu"
    torch_source: str | None = None  # "conda-forge", "pytorch", "pypi", "local", ...
    torch_location: str | None = None  # the package folder
    torch_import_error: str | None = None  # last line of the import error, when import failed
    mps_built: bool | None = None  # torch.backends.mps.is_built()
    mps_available: bool | None = None  # torch.backends.mps.is_available()
    mps_unavailable_reason: str | None = None  # torch's own warning text when not available
    cuda_version: str | None = None  # torch.version.cuda
    cuda_available: bool | None = None
    gpu_name: str | None = None  # torch.cuda.get_device_name(0), or the Apple chip
    # PYTORCH_* and other relevant variables (PYTORCH_ENABLE_MPS_FALLBACK, ...)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def torch_probed(self) -> bool:
        """True when torch was looked for (installed or not), False when it was not asked."""
        return self.torch_version is not None or self.torch_import_error is not None

    def to_dict(self) -> dict[str, Any]:
        """The facts as written out: the home folder as "~" (verify.privacy), never the login."""
        data = scrub(dataclasses.asdict(self))
        data["facts_schema"] = FACTS_SCHEMA
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str | None = None) -> Facts:
        """Build from a mapping; unknown keys are ignored, wrong types raise ValueError."""
        if not isinstance(data, Mapping):
            raise ValueError("facts must be a JSON object")
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in data or data[f.name] is None:
                continue
            value = data[f.name]
            if f.name == "env":
                if not isinstance(value, Mapping):
                    raise ValueError("facts field 'env' must be an object")
                value = {str(k): str(v) for k, v in value.items()}
            elif "bool" in str(f.type):
                if not isinstance(value, bool):
                    raise ValueError(f"facts field {f.name!r} must be true, false or null")
            elif not isinstance(value, str):
                raise ValueError(f"facts field {f.name!r} must be a string or null")
            kwargs[f.name] = value
        if source is not None:
            kwargs["source"] = source
        return cls(**kwargs)

    def merged(self, **changes: Any) -> Facts:
        return dataclasses.replace(self, **changes)


# --- probing the host -----------------------------------------------------------------------

# Variables that change how torch, MPS, conda or the interpreter behave; anything starting with one
# of the prefixes is kept too.
ENV_PREFIXES = ("PYTORCH_", "TORCH_")
ENV_NAMES = (
    "CONDA_SUBDIR",  # forces the conda platform (osx-arm64 vs osx-64)
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "VIRTUAL_ENV",
    "SYSTEM_VERSION_COMPAT",  # 1 makes macOS report 10.16 (pypa/packaging's trap)
    "ARCHPREFERENCE",  # macOS `arch` preference, can start x86_64 slices under Rosetta
    "KMP_DUPLICATE_LIB_OK",  # the "OMP: Error #15" workaround: two OpenMP runtimes loaded
    "OMP_NUM_THREADS",
    "CUDA_VISIBLE_DEVICES",
    "CI",
    "GITHUB_ACTIONS",
)
PROBE_TIMEOUT_S = 5.0
MISSING_COMMAND_RC = 127  # what a runner returns when the program does not exist (as sh does)


def run_command(argv: list[str]) -> tuple[int, str]:
    """The default runner: argv -> (returncode, stdout). Never raises; no shell."""
    try:
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, check=False
        )
    except FileNotFoundError:
        return MISSING_COMMAND_RC, ""
    except (OSError, subprocess.SubprocessError, ValueError):
        return 1, ""
    return proc.returncode, proc.stdout


@dataclass(frozen=True)
class Interpreter:
    """What the running Python says about itself and its platform (override in tests)."""

    system: str
    release: str
    machine: str
    mac_ver: str  # platform.mac_ver()[0]: "" off macOS, "10.16" from an old-SDK build
    python_version: str
    python_implementation: str
    python_build: str
    executable: str
    prefix: str

    @classmethod
    def current(cls) -> Interpreter:
        return cls(
            system=platform.system(),
            release=platform.release(),
            machine=platform.machine(),
            mac_ver=platform.mac_ver()[0],
            python_version=platform.python_version(),
            python_implementation=platform.python_implementation(),
            python_build=" ".join(platform.python_build()),
            executable=sys.executable,
            prefix=sys.prefix,
        )


def _safe(run: Runner, argv: list[str]) -> tuple[int, str]:
    """Call an injected runner; a runner that raises counts as a missing command."""
    try:
        rc, out = run(argv)
    except Exception:  # a probe never crashes the verifier
        return MISSING_COMMAND_RC, ""
    return rc, (out or "").strip()


def sysctl_value(run: Runner, name: str) -> str | None:
    """`sysctl -n NAME`, or None when sysctl is missing, fails or prints nothing."""
    rc, out = _safe(run, ["sysctl", "-n", name])
    return out if rc == 0 and out else None


def sysctl_flag(run: Runner, name: str) -> bool | None:
    """A 0/1 sysctl. An unknown key (sysctl ran and failed) is False: Apple documents that
    hw.optional.arm64 and sysctl.proc_translated simply do not exist where the answer is no
    (Intel Macs, older macOS). A missing sysctl command or odd output is None."""
    rc, out = _safe(run, ["sysctl", "-n", name])
    if rc == MISSING_COMMAND_RC:
        return None
    if rc != 0:
        return False
    if out in ("0", "1"):
        return out == "1"
    return None


_VERSION_RE = re.compile(r"^\d+(?:\.\d+){0,2}$")
COMPAT_VERSION = "10.16"  # what macOS says to binaries built against a pre-11 SDK


def _clean_version(text: str | None) -> str | None:
    text = (text or "").strip()
    return text if _VERSION_RE.match(text) else None


def macos_version(run: Runner, interp: Interpreter) -> str | None:
    """The real macOS product version, never "10.16" (nor "16.x": read as 26.x, verify.macos).

    Prefer `sw_vers -productVersion`. A Python built against an old SDK (and any process with
    SYSTEM_VERSION_COMPAT=1) is told "10.16"; like pypa/packaging (tags.py, mac_platforms) we
    then re-ask with SYSTEM_VERSION_COMPAT=0, through the runner.
    """
    candidates = (
        ["sw_vers", "-productVersion"],
        ["env", "SYSTEM_VERSION_COMPAT=0", "sw_vers", "-productVersion"],
        [
            "env",
            "SYSTEM_VERSION_COMPAT=0",
            interp.executable,
            "-sS",
            "-c",
            "import platform; print(platform.mac_ver()[0])",
        ],
    )
    for argv in candidates:
        rc, out = _safe(run, argv)
        version = real_macos(_clean_version(out)) if rc == 0 else None
        if version:
            return version
    return real_macos(_clean_version(interp.mac_ver))


def conda_record(prefix: str, package: str) -> dict[str, Any] | None:
    """The record conda wrote for `package` in <prefix>/conda-meta/<package>-<version>-*.json
    (the first readable one whose "name" is `package`: not pytorch-cpu for pytorch), or None."""
    meta = Path(prefix) / "conda-meta"
    if not meta.is_dir():
        return None
    for path in sorted(meta.glob(f"{package}-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("name") == package:
            return data
    return None


def conda_facts(prefix: str, environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(conda_prefix, conda_subdir): the prefix when it holds conda-meta/, and the platform
    subdir of its python package record (conda-meta/python-*.json "subdir"), else CONDA_SUBDIR."""
    if not (Path(prefix) / "conda-meta").is_dir():
        return None, environ.get("CONDA_SUBDIR") or None
    record = conda_record(prefix, "python") or {}
    subdir = record.get("subdir") if isinstance(record.get("subdir"), str) else None
    return prefix, subdir or environ.get("CONDA_SUBDIR") or None


def relevant_env(environ: Mapping[str, str]) -> dict[str, str]:
    return {
        k: str(v)
        for k, v in sorted(environ.items())
        if k in ENV_NAMES or k.startswith(ENV_PREFIXES)
    }


# systemd's machine-id(5): the id "should be considered confidential ... If a stable unique
# identifier that is tied to the machine is needed for some application, the machine ID or any part
# of it must not be used directly. Instead the machine ID should be hashed with a cryptographic,
# keyed hash function, using a fixed, application-specific key" (sd_id128_get_machine_app_specific
# does HMAC-SHA256 keyed by the machine id). We do the same with macOS's IOPlatformUUID.
HOST_ID_APP_KEY = b"torch-mps-kit host.id v1"
HOST_ID_LENGTH = 32  # hex digits (128 bits)
MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")
IOREG_PLATFORM = ["ioreg", "-rd1", "-c", "IOPlatformExpertDevice"]
_PLATFORM_UUID_RE = re.compile(r'"IOPlatformUUID"\s*=\s*"([0-9A-Fa-f-]{32,36})"')
_MACHINE_ID_RE = re.compile(r"^[0-9a-f]{32}$")
# A file reader: path -> text, or None when it cannot be read (injected like the runner).
FileReader = Callable[[str], "str | None"]


def read_small_file(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read(4096)
    except OSError:
        return None


def hash_host_id(machine_secret: str) -> str:
    """The report's host.id for a hardware UUID / machine-id: HMAC-SHA256 keyed by it over a
    fixed application key, cut to 128 bits. One-way: the UUID cannot be read back from it."""
    key = machine_secret.strip().lower().replace("-", "").encode("ascii")
    return hmac.new(key, HOST_ID_APP_KEY, hashlib.sha256).hexdigest()[:HOST_ID_LENGTH]


def platform_uuid(run: Runner) -> str | None:
    """macOS's hardware UUID (IOPlatformUUID, the one System Information shows as "Hardware
    UUID"), from `ioreg -rd1 -c IOPlatformExpertDevice`. The serial number (IOPlatformSerialNumber)
    sits in the same output and is never read."""
    rc, out = _safe(run, IOREG_PLATFORM)
    match = _PLATFORM_UUID_RE.search(out) if rc == 0 else None
    return match.group(1) if match else None


def machine_id(read: FileReader) -> str | None:
    """Linux's /etc/machine-id (else the D-Bus copy): 32 lowercase hex digits, or None."""
    for path in MACHINE_ID_FILES:
        text = (read(path) or "").strip()
        if _MACHINE_ID_RE.match(text) and text != "0" * 32:
            return text
    return None


def host_id(system: str, run: Runner, read: FileReader) -> str | None:
    """A stable id for this machine, or None where none can be had (Windows, a container without
    machine-id): the same on every run, different across machines, no serial or user name."""
    secret = platform_uuid(run) if system == "Darwin" else None
    if system == "Linux":
        secret = machine_id(read)
    return hash_host_id(secret) if secret else None


def darwin_facts(run: Runner, interp: Interpreter) -> dict[str, Any]:
    """macOS-only probes: product version, arm64 hardware, Rosetta, chip, VM."""
    return {
        "macos_version": macos_version(run, interp),
        # 1 on Apple silicon even for an x86_64 process under Rosetta
        "hardware_arm64": sysctl_flag(run, "hw.optional.arm64"),
        # 1 when this process is translated by Rosetta 2 (Apple: "About the Rosetta
        # translation environment")
        "translated": sysctl_flag(run, "sysctl.proc_translated"),
        # "Apple M2 Pro"; under Rosetta on macOS 11.0 it read "VirtualApple @ 2.50GHz processor"
        # (fixed in 11.1, where it names the chip either way)
        "chip": sysctl_value(run, "machdep.cpu.brand_string"),
        "virtual_machine": sysctl_flag(run, "kern.hv_vmm_present"),
    }


def gather_host(
    run: Runner | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    interpreter: Interpreter | None = None,
    read_file: FileReader | None = None,
) -> Facts:
    """Probe this host (OS, macOS version, arch, Rosetta, chip, Python, conda), without torch.

    Every command goes through `run` (argv -> (rc, stdout)); a missing command or a failure
    leaves the fact None. On Linux and Windows no command runs at all (Linux's machine-id is read
    through `read_file`). Torch facts come from
    verify.worker's probe and are merged in later.
    """
    run = run_command if run is None else run
    environ = os.environ if environ is None else environ
    interp = Interpreter.current() if interpreter is None else interpreter
    conda_prefix, conda_subdir = conda_facts(interp.prefix, environ)
    fields: dict[str, Any] = {
        "source": "host",
        "id": host_id(interp.system, run, read_small_file if read_file is None else read_file),
        "os": interp.system or None,
        "os_release": interp.release or None,
        "machine": interp.machine or None,
        "python_version": interp.python_version or None,
        "python_implementation": interp.python_implementation or None,
        "python_build": interp.python_build or None,
        "python_executable": interp.executable or None,
        "conda_prefix": conda_prefix,
        "conda_subdir": conda_subdir,
        "env": relevant_env(environ),
    }
    if interp.system == "Darwin":
        fields.update(darwin_facts(run, interp))
    return Facts(**fields)
