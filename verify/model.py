"""The result model shared by rules, device checks, the runner and the renderers.

A check's outcome is one `Result`. `Status` is the contract's pass|fail|warn|skip; a check that
crashed (raised, hung, killed its process) is a `fail` with `crashed=True`, distinct from a check
that ran and found a problem (flutter doctor's lesson; junit renders it as <error>).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


class Status(str, enum.Enum):
    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"

    def __str__(self) -> str:  # "pass", not "Status.PASS", in f-strings
        return self.value


class Tier(str, enum.Enum):
    """Check levels; each includes the ones before it."""

    QUICK = "quick"
    STANDARD = "standard"
    FULL = "full"

    @property
    def rank(self) -> int:
        return list(Tier).index(self)

    def includes(self, other: Tier) -> bool:
        return other.rank <= self.rank


@dataclass(frozen=True)
class Fix:
    """What the user should do: words, plus the exact commands to run (Homebrew's Remediation)."""

    text: str
    commands: tuple[str, ...] = ()
    url: str | None = None

    def render(self) -> str:
        """One string for the JSON report's `fix` field: the text, then the commands."""
        parts = [self.text]
        if self.commands:
            parts.append("Run: " + " && ".join(self.commands))
        if self.url:
            parts.append(f"See {self.url}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "commands": list(self.commands), "url": self.url}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fix:
        return cls(str(data["text"]), tuple(data.get("commands") or ()), data.get("url"))


@dataclass(frozen=True)
class Outcome:
    """What a check function or a rule decides; the runner adds id, title and timing."""

    status: Status
    detail: str = ""
    cause: str = ""
    fix: Fix | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status in (Status.FAIL, Status.WARN) and not (self.cause and self.fix):
            raise ValueError(f"a {self.status} outcome needs a cause and a fix: {self.detail!r}")


def passed(detail: str = "", **data: Any) -> Outcome:
    return Outcome(Status.PASS, detail=detail, data=data)


def failed(cause: str, fix: Fix, detail: str = "", **data: Any) -> Outcome:
    return Outcome(Status.FAIL, detail=detail or cause, cause=cause, fix=fix, data=data)


def warned(cause: str, fix: Fix, detail: str = "", **data: Any) -> Outcome:
    return Outcome(Status.WARN, detail=detail or cause, cause=cause, fix=fix, data=data)


def skipped(reason: str, **data: Any) -> Outcome:
    return Outcome(Status.SKIP, detail=reason, data=data)


# the most pasted lines one row of a diagnosis quotes as its evidence
MAX_EVIDENCE = 6


@dataclass(frozen=True)
class Result:
    """One row of the report (JSON schema 1, `checks[]`)."""

    id: str
    title: str
    status: Status
    required: bool = True
    duration_s: float = 0.0
    detail: str = ""
    cause: str = ""
    fix: Fix | None = None
    data: dict[str, Any] = field(default_factory=dict)
    crashed: bool = False
    # the lines of a pasted text this row rests on (diagnose); optional in schema 1
    evidence: tuple[str, ...] = ()

    @classmethod
    def from_outcome(
        cls,
        id: str,
        title: str,
        outcome: Outcome,
        *,
        required: bool = True,
        duration_s: float = 0.0,
        crashed: bool = False,
    ) -> Result:
        return cls(
            id=id,
            title=title,
            status=outcome.status,
            required=required,
            duration_s=duration_s,
            detail=outcome.detail,
            cause=outcome.cause,
            fix=outcome.fix,
            data=dict(outcome.data),
            crashed=crashed,
        )

    def with_evidence(self, lines: Iterable[str]) -> Result:
        """This row quoting the pasted lines it rests on: each once, in their order, empty ones
        dropped, at most MAX_EVIDENCE (diagnose, issue 12)."""
        kept = tuple(dict.fromkeys(line for line in lines if line))[:MAX_EVIDENCE]
        return dataclasses.replace(self, evidence=kept)

    @property
    def blocks_ready(self) -> bool:
        """A failed required check makes the verdict not-ready."""
        return self.status is Status.FAIL and self.required

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "required": self.required,
            "duration_s": round(self.duration_s, 4),
            "detail": self.detail,
            "cause": self.cause,
            "fix": self.fix.render() if self.fix else "",
            "fix_commands": list(self.fix.commands) if self.fix else [],
            "fix_url": self.fix.url if self.fix else None,
            "crashed": self.crashed,
            "data": self.data,
        }
        if self.evidence:  # optional within schema 1: written only when there is some
            out["evidence"] = list(self.evidence)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        fix = None
        if data.get("fix"):
            fix = Fix(str(data["fix"]), tuple(data.get("fix_commands") or ()), data.get("fix_url"))
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", data["id"])),
            status=Status(data["status"]),
            required=bool(data.get("required", True)),
            duration_s=float(data.get("duration_s", 0.0)),
            detail=str(data.get("detail", "")),
            cause=str(data.get("cause", "")),
            fix=fix,
            data=dict(data.get("data") or {}),
            crashed=bool(data.get("crashed", False)),
            evidence=tuple(str(e) for e in data.get("evidence") or ()),
        )
