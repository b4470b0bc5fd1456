"""Device checks: one small function per check, registered with an id and a tier.

    @check("device.alloc", "Allocate a tensor on the device", tier=Tier.QUICK)
    def alloc(ctx: Context) -> Outcome:
        ...

Importing this module never imports torch: check functions receive torch through `ctx.torch`.
The same function runs on "mps", "cuda" and "cpu". Where MPS differs, the expectation is keyed on
`ctx.device_type` with a comment citing torch's source or a real report.

Built-in check modules are listed in BUILTIN_MODULES; tests and plugins register more checks by
importing a module of their own that uses the same `@check` decorator, and passing that module's
name to the runner (`modules=`), which imports it in the worker.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from verify.model import Outcome, Tier

BUILTIN_MODULES = (
    "verify.checks.device",
    "verify.checks.dtypes",
    "verify.checks.nn",
    "verify.checks.parity",
    "verify.checks.ops",
    "verify.checks.perf",
)


@dataclass
class Context:
    """What a check function gets: torch, the device under test, and a scratch dict."""

    torch: Any
    device: str  # "mps", "cuda", "cuda:0", "cpu"
    scratch: dict[str, Any] = field(default_factory=dict)

    @property
    def device_type(self) -> str:
        return self.device.split(":", 1)[0]

    def synchronize(self) -> None:
        """Wait for the device to finish queued work (a no-op on CPU)."""
        if self.device_type == "mps":
            self.torch.mps.synchronize()
        elif self.device_type == "cuda":
            self.torch.cuda.synchronize()


CheckFunc = Callable[[Context], Outcome]


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    tier: Tier
    func: CheckFunc
    required: bool = True
    timeout_s: float | None = None  # None: the run's --timeout
    order: int = 0  # registration order; slow checks register last

    @property
    def module(self) -> str:
        return self.func.__module__


@dataclass
class Registry:
    checks: dict[str, Check] = field(default_factory=dict)

    def add(self, c: Check) -> None:
        if c.id in self.checks and self.checks[c.id].func is not c.func:
            raise ValueError(f"check id {c.id!r} registered twice")
        self.checks[c.id] = c

    def for_tier(self, tier: Tier) -> list[Check]:
        return sorted(
            (c for c in self.checks.values() if tier.includes(c.tier)), key=lambda c: c.order
        )


REGISTRY = Registry()


def check(
    id: str,
    title: str,
    *,
    tier: Tier = Tier.QUICK,
    required: bool = True,
    timeout_s: float | None = None,
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a device check in REGISTRY."""

    def register(func: CheckFunc) -> CheckFunc:
        REGISTRY.add(Check(id, title, tier, func, required, timeout_s, order=len(REGISTRY.checks)))
        return func

    return register


def load(modules: Iterable[str] = BUILTIN_MODULES) -> Registry:
    """Import check modules (registering their checks) and return the registry.

    A module that fails to import raises its error (the worker reports it per module).
    """
    for name in modules:
        importlib.import_module(name)
    return REGISTRY
