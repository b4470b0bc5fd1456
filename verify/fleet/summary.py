"""The fleet summary: pure functions from validated reports to dataclasses (no I/O, no text
layout). Per machine (one row per machine and environment), per cause (machines sharing a failing
or warning check with the same fix: the fix said once, with its commands) and the spread of
versions across the fleet (torch, macOS, Python) so drift is visible."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from verify import TOOL_NAME, __version__
from verify.fleet.reports import BadInput, Entry, Loaded

FLEET_SCHEMA = 1
READY = "ready"
NOT_READY = "not-ready"
UNKNOWN = "?"
SPREAD_FIELDS = ("torch", "macos", "python", "chip", "device")
SPREAD_TITLES = dict(
    zip(SPREAD_FIELDS, ("torch", "macOS", "Python", "chip", "device"), strict=True)
)
# the machines table's columns, the same in every renderer
COLUMNS = (
    "machine",
    "host id",
    "chip",
    "OS",
    "Python",
    "torch",
    "device",
    "verdict",
    "first failing check",
)


@dataclass(frozen=True)
class Machine:
    """One machine's environment as its newest report shows it."""

    name: str  # the report's label (file name; the inventory name with the Ansible playbook)
    source: str  # the input it came from
    host_id: str | None  # host.id: a keyed hash, never a serial or user name; None in old reports
    chip: str
    os: str  # "macOS 15.3", "Linux", ...
    macos: str  # the macOS version alone ("" off macOS)
    python: str  # "3.12.8"
    arch: str  # "arm64", "x86_64 (Rosetta)"
    torch: str  # torch version, "not installed", or "?"
    device: str
    level: str
    mode: str
    verdict: str
    first_failing: str  # the first required check that failed ("" when ready)
    failed: tuple[str, ...]
    warned: tuple[str, ...]
    created: str
    tool_version: str

    @property
    def ready(self) -> bool:
        return self.verdict == READY

    @property
    def short_id(self) -> str:
        return self.host_id[:12] if self.host_id else ""


@dataclass(frozen=True)
class Cause:
    """Machines that share a failing (or warning) check with the same fix."""

    check_id: str
    title: str
    status: str  # "fail" | "warn"
    required: bool
    cause: str  # the most common wording among the machines
    wordings: int  # how many different wordings (the cause names each machine's versions)
    fix: str  # the fix's words, without the commands and link
    commands: tuple[str, ...]
    url: str | None
    machines: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.machines)


@dataclass(frozen=True)
class Fleet:
    machines: tuple[Machine, ...]
    causes: tuple[Cause, ...]
    spread: dict[str, tuple[tuple[str, int], ...]]
    bad: tuple[BadInput, ...] = ()
    superseded: tuple[str, ...] = ()  # older reports of an environment a newer one replaced
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    @property
    def ready_count(self) -> int:
        return sum(1 for m in self.machines if m.ready)

    @property
    def hosts(self) -> int:
        """Distinct machines: by host.id; a report without one counts as its own machine."""
        return len({m.host_id or f"\0{m.source}" for m in self.machines})

    @property
    def all_ready(self) -> bool:
        return bool(self.machines) and self.ready_count == len(self.machines)

    def counts(self) -> dict[str, int]:
        return {
            "environments": len(self.machines),
            "machines": self.hosts,
            "ready": self.ready_count,
            "not_ready": len(self.machines) - self.ready_count,
            "causes": len(self.causes),
            "superseded": len(self.superseded),
            "bad_inputs": len(self.bad),
        }

    def headline(self) -> str:
        n, ready = len(self.machines), self.ready_count
        hosts = self.hosts
        where = f"{n} environments on {hosts} machines" if hosts != n else f"{n} machines"
        if not n:
            return "no readable report"
        if ready == n:
            return f"all {n} ready ({where})"
        return f"{ready} of {n} ready, {n - ready} not ready ({where})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "fleet_schema": FLEET_SCHEMA,
            "tool": {"name": TOOL_NAME, "version": __version__},
            "created": self.created.isoformat(timespec="seconds"),
            "verdict": READY if self.all_ready else NOT_READY,
            "counts": self.counts(),
            "machines": [
                {**dataclasses.asdict(m), "failed": list(m.failed), "warned": list(m.warned)}
                for m in self.machines
            ],
            "causes": [
                {
                    **dataclasses.asdict(c),
                    "commands": list(c.commands),
                    "machines": list(c.machines),
                }
                for c in self.causes
            ],
            "spread": {
                k: [{"value": v, "count": n} for v, n in vals] for k, vals in self.spread.items()
            },
            "superseded": list(self.superseded),
            "bad_inputs": [{"source": b.source, "reason": b.reason} for b in self.bad],
        }


def other_wordings(cause: Cause) -> str:
    """The note after a cause whose words differ per machine (its versions, its chip)."""
    if cause.wordings < 2:
        return ""
    return f" (the words differ per machine, {cause.wordings} versions; the most common shown)"


# --- from a report to a row ------------------------------------------------------------------


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def fix_words(check: dict[str, Any]) -> str:
    """The fix without the " Run: ..." and " See URL" that Fix.render() appended (the commands
    and link are shown on their own)."""
    text = _text(check.get("fix"))
    url = _text(check.get("fix_url"))
    commands = [c for c in check.get("fix_commands") or () if isinstance(c, str)]
    if url and text.endswith(f" See {url}"):
        text = text[: -len(f" See {url}")]
    run = " Run: " + " && ".join(commands)
    if commands and text.endswith(run):
        text = text[: -len(run)]
    return text


def python_arch(host: dict[str, Any]) -> str:
    machine = _text(host.get("machine")) or UNKNOWN
    if host.get("translated") is True:
        return f"{machine} (Rosetta)"
    return machine


def os_text(host: dict[str, Any]) -> str:
    name = _text(host.get("os"))
    if name == "Darwin":
        return f"macOS {_text(host.get('macos_version')) or UNKNOWN}"
    return name or UNKNOWN


def torch_text(host: dict[str, Any]) -> str:
    version = _text(host.get("torch_version"))
    if version:
        return version
    return "not installed" if host.get("torch_import_error") else UNKNOWN


def machine_row(entry: Entry, name: str) -> Machine:
    data, host = entry.data, entry.data["host"]
    checks = entry.data["checks"]
    failed = [c for c in checks if c.get("status") == "fail"]
    blocking = [c for c in failed if c.get("required", True)]
    first = (blocking or failed or [{}])[0].get("id", "") if data["verdict"] != READY else ""
    tool = data.get("tool") or {}
    return Machine(
        name=name,
        source=entry.source,
        host_id=_text(host.get("id")) or None,
        chip=_text(host.get("chip")) or _text(host.get("gpu_name")),
        os=os_text(host),
        macos=_text(host.get("macos_version")) if host.get("os") == "Darwin" else "",
        python=_text(host.get("python_version")) or UNKNOWN,
        arch=python_arch(host),
        torch=torch_text(host),
        device=_text(data.get("device")) or UNKNOWN,
        level=_text(data.get("level")),
        mode=_text(data.get("mode")) or "live",
        verdict=data["verdict"],
        first_failing=first,
        failed=tuple(c["id"] for c in failed),
        warned=tuple(c["id"] for c in checks if c.get("status") == "warn"),
        created=_text(data.get("created")),
        tool_version=_text(tool.get("version")) if isinstance(tool, dict) else "",
    )


def environment_key(entry: Entry) -> str | None:
    """Reports of the same environment (same host.id, interpreter and device): the newest wins.
    Without a host.id nothing is merged. The interpreter path is only hashed into the key."""
    host = entry.data["host"]
    if not _text(host.get("id")):
        return None
    where = f"{_text(host.get('python_executable'))}\0{_text(entry.data.get('device'))}"
    return host["id"] + hashlib.sha256(where.encode()).hexdigest()[:16]


def newest(entries: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(kept, superseded): one entry per environment, the latest `created` (then the last read)."""
    best: dict[str, tuple[str, int]] = {}
    for i, e in enumerate(entries):
        key = environment_key(e)
        if key is not None:
            stamp = (_text(e.data.get("created")), i)
            if key not in best or stamp >= best[key]:
                best[key] = stamp
    kept, dropped = [], []
    for i, e in enumerate(entries):
        key = environment_key(e)
        (kept if key is None or best[key][1] == i else dropped).append(e)
    return kept, dropped


def unique_names(entries: Sequence[Entry]) -> list[str]:
    """The label of each report, or its full source where two labels clash."""
    counts = Counter(e.label for e in entries)
    return [e.label if counts[e.label] == 1 else e.source for e in entries]


def group_causes(rows: Sequence[tuple[str, Entry]]) -> list[Cause]:
    groups: dict[tuple[str, str, str], list[tuple[str, dict[str, Any]]]] = {}
    for name, entry in rows:
        for check in entry.data["checks"]:
            status = check.get("status")
            if status not in ("fail", "warn"):
                continue
            key = (check["id"], status, _text(check.get("fix")))
            groups.setdefault(key, []).append((name, check))
    causes = []
    for (check_id, status, _), members in groups.items():
        first = members[0][1]
        wording = Counter(_text(c.get("cause")) or _text(c.get("detail")) for _, c in members)
        causes.append(
            Cause(
                check_id=check_id,
                title=_text(first.get("title")) or check_id,
                status=status,
                required=bool(first.get("required", True)),
                cause=wording.most_common(1)[0][0],
                wordings=len(wording),
                fix=fix_words(first),
                commands=tuple(c for c in first.get("fix_commands") or () if isinstance(c, str)),
                url=_text(first.get("fix_url")) or None,
                machines=tuple(dict.fromkeys(name for name, _ in members)),
            )
        )
    # blocking failures first, then by how many machines they stop
    causes.sort(key=lambda c: (c.status != "fail", not c.required, -c.count, c.check_id))
    return causes


def _version_key(value: str) -> tuple:
    parts = []
    for piece in value.replace("+", ".").replace(" ", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)


def spread(machines: Sequence[Machine]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each field's values across the fleet, newest version first."""
    values = {
        "torch": [m.torch for m in machines],
        "macos": [m.macos for m in machines if m.macos],
        "python": [f"{m.python} {m.arch}" for m in machines],
        "chip": [m.chip for m in machines if m.chip],
        "device": [m.device for m in machines],
    }
    out = {}
    for name in SPREAD_FIELDS:
        counts = Counter(values[name])
        ordered = sorted(counts.items(), key=lambda kv: _version_key(kv[0]), reverse=True)
        out[name] = tuple(ordered)
    return out


def summarise(loaded: Loaded) -> Fleet:
    kept, dropped = newest(loaded.entries)
    names = unique_names(kept)
    machines = [machine_row(e, n) for e, n in zip(kept, names, strict=True)]
    order = sorted(range(len(machines)), key=lambda i: (machines[i].ready, machines[i].name))
    return Fleet(
        machines=tuple(machines[i] for i in order),
        causes=tuple(group_causes(list(zip(names, kept, strict=True)))),
        spread=spread(machines),
        bad=tuple(loaded.bad),
        superseded=tuple(e.source for e in dropped),
    )
