"""A sample fleet: N verify reports generated from the real recorded hosts in tests/data/hosts
(each one a machine someone posted publicly), for the fleet tests and `nox -s bench`.

    python -m scripts.docs.fleet_sample OUT_DIR [--count 200]

Each report is what `python -m verify --facts HOST.json --json ...` writes for that host (the real
rules on the recorded facts, device checks skipped as "facts replayed"), varied so the fleet looks
like one: every report gets its own machine (a host.id hashed from a made-up machine-id, as
verify.facts does with a real one), level quick or standard, the device `--device auto` would
pick there, and its own time. Nothing about a host's facts is changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from verify import atomic, rules, runner
from verify.facts import Facts, hash_host_id
from verify.model import Result, Tier, skipped
from verify.report import Report

ROOT = Path(__file__).resolve().parents[2]
HOSTS = ROOT / "tests" / "data" / "hosts"
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)


def recorded_hosts(folder: Path = HOSTS) -> list[tuple[str, Facts]]:
    """(name, Facts) of every recorded host; the `_source` / `_note` keys are left out."""
    hosts = []
    for path in sorted(folder.glob("*.json")):
        data = {k: v for k, v in json.loads(path.read_text()).items() if not k.startswith("_")}
        hosts.append((path.stem, Facts.from_dict(data, source="replayed")))
    return hosts


def auto_device(facts: Facts) -> str:
    if facts.mps_available:
        return "mps"
    return "cuda" if facts.cuda_available else "cpu"


def report_for(facts: Facts, level: Tier, device: str, created: dt.datetime) -> Report:
    """What `python -m verify --facts ... --level L --device D` reports for `facts`."""
    expect = rules.default_expect_mps(facts)
    results: list[Result] = rules.evaluate(
        facts, expect_mps=expect, unknown_reason="not in the recorded facts"
    )
    for check in runner.checks_for(level):
        results.append(
            Result.from_outcome(
                check.id, check.title, skipped("facts replayed"), required=check.required
            )
        )
    return Report(facts, device, level.value, results, created=created, mode="replayed")


def sample(count: int = 200, folder: Path = HOSTS) -> list[tuple[str, dict[str, Any]]]:
    """(file stem, report dict) for `count` machines, cycling through the recorded hosts."""
    hosts = recorded_hosts(folder)
    out = []
    for i in range(count):
        name, facts = hosts[i % len(hosts)]
        fake_machine_id = hashlib.sha256(f"sample machine {i}".encode()).hexdigest()[:32]
        facts = facts.merged(id=hash_host_id(fake_machine_id))
        level = Tier.STANDARD if i % 3 == 0 else Tier.QUICK
        created = START + dt.timedelta(minutes=7 * i)
        report = report_for(facts, level, auto_device(facts), created)
        out.append((f"mac-{i:03d}-{name}", report.to_dict()))
    return out


def write(folder: Path, count: int = 200) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, data in sample(count):
        path = folder / f"{stem}.json"
        atomic.write_text(path, json.dumps(data, indent=2) + "\n")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scripts.docs.fleet_sample", description=__doc__)
    p.add_argument("out", type=Path, help="folder to write the reports into")
    p.add_argument("--count", type=int, default=200)
    args = p.parse_args(argv)
    paths = write(args.out, args.count)
    print(f"{len(paths)} reports in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
