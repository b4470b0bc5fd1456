"""Facts: every host fact, gathered once. The ONLY module that probes the host.

A field that is not known is None ("unknown"), never a guess: the same record is built from this
host (gather_host + the worker's torch probe), from a replayed `python -m verify facts` file, and
from pasted collect_env text (verify.envdump).

Every probe takes an injected command runner (torch collect_env's `run_lambda`), so probes are
tested without the host.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A command runner: argv -> (returncode, stdout). Never a shell string.
Runner = Callable[[list[str]], tuple[int, str]]

FACTS_SCHEMA = 1


@dataclass(frozen=True)
class Facts:
    # where the facts come from: "host", "replayed" (--facts FILE), "pasted" (diagnose)
    source: str = "host"
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
        data = dataclasses.asdict(self)
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


def gather_host(run: Runner | None = None, environ: Mapping[str, str] | None = None) -> Facts:
    """Probe this host (OS, macOS version, arch, Rosetta, chip, Python, conda), without torch.

    Implemented in the host-facts work; torch facts come from verify.worker's probe.
    """
    raise NotImplementedError
