"""`python -m verify fleet`: many machines' reports -> one summary (issue 14).

The fleet is generated from the real recorded hosts (scripts/fleet_sample.py: the real rules on
tests/data/hosts, one made-up machine-id per report); expectations are recomputed from the report
files themselves, never written down. Markdown and HTML are parsed, not grepped.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from scripts.docs import fleet_sample
from tests.cputime import cpu_seconds
from verify.fleet import cli as fleet_cli
from verify.fleet import html, markdown, reports
from verify.fleet.summary import summarise

ROOT = Path(__file__).resolve().parent.parent
HOSTS = ROOT / "tests" / "data" / "hosts"
SCHEMA = json.loads(resources.files("verify").joinpath("schema/report-1.json").read_text())
FLEET_SCHEMA = json.loads(resources.files("verify").joinpath("schema/fleet-1.json").read_text())


@pytest.fixture(scope="module")
def fleet_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fleet")
    fleet_sample.write(folder, 200)
    return folder


def read_all(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


def fleet_run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "verify", "fleet", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        check=False,
    )


def replay(host: str, out: Path, *extra: str) -> Path:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "verify",
            "--facts",
            str(HOSTS / f"{host}.json"),
            "--quiet",
            "--json",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return out


# --- the generated fleet --------------------------------------------------------------------


def test_generated_reports_are_valid_schema_1_with_distinct_host_ids(fleet_dir):
    data = read_all(fleet_dir)
    assert len(data) == 200
    for report in data.values():
        jsonschema.validate(report, SCHEMA)
    assert len({r["host"]["id"] for r in data.values()}) == 200
    # varied: every recorded host, both verdicts, several levels and devices
    assert {name.split("-", 2)[2] for name in data} == {p.stem for p in HOSTS.glob("*.json")}
    assert {r["verdict"] for r in data.values()} == {"ready", "not-ready"}
    assert {r["level"] for r in data.values()} == {"quick", "standard"}
    assert len({r["device"] for r in data.values()}) >= 3


def test_200_reports_summarised_and_rendered_in_under_a_second(fleet_dir):
    best = float("inf")  # CPU seconds (tests/cputime.py): other processes' load does not count
    for _ in range(3):
        started = cpu_seconds()
        fleet = summarise(reports.load([str(fleet_dir)]))
        html.render(fleet)
        markdown.render(fleet)
        json.dumps(fleet.to_dict())
        best = min(best, cpu_seconds() - started)
    assert len(fleet.machines) == 200
    assert best < 1.0, f"{best:.2f} s"


def test_counts_machines_and_causes_agree_with_the_reports(fleet_dir):
    data = read_all(fleet_dir)
    fleet = summarise(reports.load([str(fleet_dir)]))
    ready = {name for name, r in data.items() if r["verdict"] == "ready"}
    assert {m.name for m in fleet.machines if m.ready} == ready
    assert fleet.counts()["not_ready"] == 200 - len(ready) > 0
    assert fleet.hosts == 200 and not fleet.bad and not fleet.superseded
    # not-ready machines come first
    verdicts = [m.ready for m in fleet.machines]
    assert verdicts == sorted(verdicts)
    for m in fleet.machines:
        report = data[m.name]
        assert m.host_id == report["host"]["id"]
        assert m.torch == (report["host"].get("torch_version") or "not installed")
        blocking = [c["id"] for c in report["checks"] if c["status"] == "fail" and c["required"]]
        assert m.first_failing == (blocking[0] if blocking else "")
    # every failing / warning check of every report is in exactly one cause, named once
    seen = {}
    for cause in fleet.causes:
        assert cause.fix and cause.cause
        for name in cause.machines:
            key = (name, cause.check_id, cause.status)
            assert key not in seen
            seen[key] = cause
    expected = {
        (name, c["id"], c["status"])
        for name, r in data.items()
        for c in r["checks"]
        if c["status"] in ("fail", "warn")
    }
    assert set(seen) == expected
    # the fix is said once: no two causes of a check share a fix; the Rosetta machines are
    # under host.arch causes whose fixes carry their commands
    fixes = [(c.check_id, c.status, c.fix, c.commands) for c in fleet.causes]
    assert len(fixes) == len(set(fixes))
    arch = [c for c in fleet.causes if c.check_id == "host.arch" and c.status == "fail"]
    rosetta = {n for n, r in data.items() if r["host"].get("translated")}
    assert rosetta and rosetta <= {n for c in arch for n in c.machines}
    assert all(c.commands for c in arch)
    assert not any(" Run: " in c.fix for c in fleet.causes)  # commands are shown on their own


def test_version_spread_counts_every_machine(fleet_dir):
    data = read_all(fleet_dir)
    fleet = summarise(reports.load([str(fleet_dir)]))
    torch = dict(fleet.spread["torch"])
    assert sum(torch.values()) == 200
    for version in {r["host"].get("torch_version") for r in data.values()} - {None}:
        assert torch[version] == sum(
            1 for r in data.values() if r["host"].get("torch_version") == version
        )
    macos = dict(fleet.spread["macos"])
    assert sum(macos.values()) == sum(1 for r in data.values() if r["host"]["os"] == "Darwin")
    assert any("(Rosetta)" in v for v, _ in fleet.spread["python"])


# --- Markdown and HTML, parsed ----------------------------------------------------------------


def markdown_tables(text: str) -> dict[str, list[list[str]]]:
    """{section heading: rows of cells} for the GFM tables in `text`."""
    tables, heading, rows = {}, "", []
    for line in [*text.splitlines(), ""]:
        if line.startswith("## "):
            heading = line[3:]
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows.append(cells)
        elif rows:
            tables[heading] = rows
            rows = []
    return tables


def test_markdown_has_every_machine_and_every_cause(fleet_dir):
    fleet = summarise(reports.load([str(fleet_dir)]))
    text = markdown.render(fleet)
    tables = markdown_tables(text)
    header, rule, *rows = tables["Machines"]
    assert header[0] == "machine" and set(rule) == {"---"} and len(header) == 9
    assert [r[0] for r in rows] == [m.name for m in fleet.machines]
    assert all(len(r) == 9 for r in rows)
    assert sum(1 for r in rows if r[7] == "ready") == fleet.ready_count
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert len(headings) == len(fleet.causes)
    for line, cause in zip(headings, fleet.causes, strict=True):
        assert f"`{cause.check_id}`: {cause.count} machine" in line
    blocks = re.findall(r"```sh\n(.*?)\n```", text, flags=re.S)
    assert blocks == ["\n".join(c.commands) for c in fleet.causes if c.commands]
    _, _, *spread_rows = tables["Versions across the fleet"]
    assert [r[0] for r in spread_rows] == ["torch", "macOS", "Python", "chip", "device"]


class Page(HTMLParser):
    """The parts of the fleet page the tests look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.tags: list[tuple[str, dict]] = []
        self.machine_rows: list[list[str]] = []
        self.headers: list[str] = []
        self.causes: list[dict] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._cell: list[str] | None = None
        self._text: list[str] | None = None

    def _in(self, tag: str, **attrs: str) -> bool:
        return any(t == tag and all(a.get(k) == v for k, v in attrs.items()) for t, a in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in ("meta", "br", "img", "link", "input"):
            self.stack.append((tag, attrs))
        if self._in("table", id="machines"):
            if tag == "tr" and self._in("tbody"):
                self.machine_rows.append([])
            if tag in ("td", "th"):
                self._cell = []
        if tag == "article" and "cause" in attrs.get("class", ""):
            self.causes.append({"h3": "", "machines": [], "text": ""})
        if tag in ("script", "style"):
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            if self._in("thead"):
                self.headers.append(text)
            else:
                self.machine_rows[-1].append(text)
            self._cell = None
        if tag in ("script", "style") and self._text is not None:
            (self.scripts if tag == "script" else self.styles).append("".join(self._text))
            self._text = None
        while self.stack:
            top, _ = self.stack.pop()
            if top == tag:
                break

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._text is not None:
            self._text.append(data)
        if self.causes and self._in("article"):
            cause = self.causes[-1]
            cause["text"] += data
            if self._in("h3"):
                cause["h3"] += data
            if self._in("span") and self._in("p", **{"class": "machines"}):
                cause["machines"].append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_html_is_one_self_contained_page_with_every_machine_and_cause(fleet_dir):
    fleet = summarise(reports.load([str(fleet_dir)]))
    page = parse(html.render(fleet))
    assert page.headers == list(html.COLUMNS)
    assert [r[0] for r in page.machine_rows] == [m.name for m in fleet.machines]
    assert all(len(r) == len(html.COLUMNS) for r in page.machine_rows)
    assert sum(1 for r in page.machine_rows if r[7] == "ready") == fleet.ready_count
    assert len(page.causes) == len(fleet.causes)
    for parsed, cause in zip(page.causes, fleet.causes, strict=True):
        assert parsed["machines"] == list(cause.machines)
        assert cause.check_id in parsed["h3"] and cause.fix in parsed["text"]
        for command in cause.commands:
            assert command in parsed["text"]
    # the index at the top links to each cause
    links = [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#")]
    ids = [a["id"] for t, a in page.tags if t == "article"]
    assert links == [f"#{i}" for i in ids] and len(ids) == len(fleet.causes)
    # no external asset: nothing loaded from anywhere, styles and script inline
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        assert tag != "link", attrs
    assert page.scripts and page.styles
    assert not any(re.search(r"url\(|@import|https?:", s) for s in page.styles + page.scripts)


def test_html_escapes_what_reports_say(tmp_path):
    report = json.loads(replay("rosetta_m3_torch222", tmp_path / "r.json").read_text())
    report["checks"][1]["cause"] = "<script>alert(1)</script> & more"
    (tmp_path / "r.json").write_text(json.dumps(report))
    page = parse(html.render(summarise(reports.load([str(tmp_path / "r.json")]))))
    assert len(page.scripts) == 1  # only ours
    assert any("<script>alert(1)</script> & more" in c["text"] for c in page.causes)


# --- the command line -------------------------------------------------------------------------


def test_cli_writes_all_outputs_and_exits_1_when_any_is_not_ready(fleet_dir, tmp_path):
    proc = fleet_run(
        str(fleet_dir),
        "--markdown",
        str(tmp_path / "f.md"),
        "--html",
        str(tmp_path / "f.html"),
        "--json",
        str(tmp_path / "f.json"),
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads((tmp_path / "f.json").read_text())
    jsonschema.validate(data, FLEET_SCHEMA)
    ready = sum(1 for r in read_all(fleet_dir).values() if r["verdict"] == "ready")
    assert data["counts"]["ready"] == ready and data["counts"]["environments"] == 200
    assert data["verdict"] == "not-ready"
    assert f"FLEET NOT READY {ready} of 200 ready" in proc.stdout
    assert (tmp_path / "f.md").read_text().startswith("# Fleet summary")
    assert parse((tmp_path / "f.html").read_text()).machine_rows


def test_all_ready_exits_0(tmp_path):
    for host in ("healthy_m4_torch28", "linux_cpu"):
        replay(host, tmp_path / f"{host}.json")
    proc = fleet_run(str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FLEET READY all 2 ready" in proc.stdout


def test_bad_inputs_are_named_one_line_each_and_the_rest_still_summarised(tmp_path):
    good = replay("rosetta_m3_torch222", tmp_path / "good.json")
    whole = good.read_text()
    cut_in_a_string = whole.index('"cause": "') + len('"cause": "') + 5
    bad = {
        "truncated.json": whole[: len(whole) // 2],
        "cut.json": whole[:cut_in_a_string],
        "cut2.json": whole[: whole.index('"checks"') + len('"checks"')],
        "schema2.json": whole.replace('"schema": 1', '"schema": 2'),
        "theirs.json": json.dumps({"schema": 1, "tool": {"name": "other"}, "host": {}}),
        "facts.json": json.dumps({"facts_schema": 1, "os": "Darwin"}),
        "empty.json": "",
        "list.json": "[1, 2]",
    }
    for name, text in bad.items():
        (tmp_path / name).write_text(text)
    proc = fleet_run(str(tmp_path), str(tmp_path / "missing.json"), "--json", "-")
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(bad) + 2  # list.json: two items; plus the missing file
    assert "Traceback" not in proc.stderr
    reasons = "\n".join(errors)
    for name in ("truncated", "cut", "cut2"):
        assert re.search(rf"/{name}\.json: truncated JSON", reasons), reasons
    assert re.search(r"schema2\.json: report schema 2; this verify reads schema 1", reasons)
    assert re.search(r"theirs\.json: written by 'other'", reasons)
    assert re.search(r"facts\.json: host facts", reasons)
    assert re.search(r"empty\.json: empty", reasons)
    assert re.search(r"list\.json\[0\]: a JSON int", reasons)
    assert re.search(r"missing\.json: no such file", reasons)
    summary = json.loads(proc.stdout)
    jsonschema.validate(summary, FLEET_SCHEMA)
    assert summary["counts"]["environments"] == 1
    assert summary["machines"][0]["name"] == "good"
    assert len(summary["bad_inputs"]) == len(errors)


def test_usage_errors_are_one_line(tmp_path):
    for args in (
        [],
        ["a.json", "--html", "-"],
        ["-", "-"],
        ["x", "--json", "-", "--markdown", "-"],
    ):
        proc = fleet_run(*args)
        assert proc.returncode == 2, args
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_stdin_json_lines_and_lists(tmp_path):
    one = json.loads(replay("healthy_m4_torch28", tmp_path / "a.json").read_text())
    two = json.loads(replay("macos_12_2_older_than_12_3", tmp_path / "b.json").read_text())
    lines = json.dumps(one) + "\n" + json.dumps(two) + "\n"
    proc = fleet_run("-", "--json", "-", stdin=lines)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert [m["name"] for m in data["machines"]] == ["stdin:2", "stdin:1"]
    (tmp_path / "both.json").write_text(json.dumps([one, two]))
    loaded = reports.load([str(tmp_path / "both.json")])
    assert [e.label for e in loaded.entries] == ["both[0]", "both[1]"] and not loaded.bad


def test_diagnose_reports_are_read(tmp_path):
    paste = ROOT / "tests/data/collect_env/pytorch-146236-rosetta-m2-pro.txt"
    out = tmp_path / "diag.json"
    proc = subprocess.run(
        [sys.executable, "-m", "verify", "diagnose", str(paste), "--json", str(out), "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    fleet = summarise(reports.load([str(out)]))
    (machine,) = fleet.machines
    assert machine.mode == "diagnose" and machine.first_failing == "host.arch"
    assert machine.arch.startswith("x86_64") and machine.host_id is None


def test_diagnose_json_over_several_pastes_is_read_with_the_pasted_file_names(tmp_path):
    pastes = [
        ROOT / "tests/data/collect_env/pytorch-146236-rosetta-m2-pro.txt",
        ROOT / "tests/data/collect_env/pytorch-78343-macos-12.2-below-12.3.txt",
    ]
    out = tmp_path / "many.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "verify",
            "diagnose",
            *map(str, pastes),
            "--json",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    loaded = reports.load([str(out)])
    assert not loaded.bad
    assert [e.label for e in loaded.entries] == [p.stem for p in pastes]
    fleet = summarise(loaded)
    assert {m.first_failing for m in fleet.machines} == {"host.arch", "host.macos"}
    assert all(m.mode == "diagnose" for m in fleet.machines)


def test_the_newest_report_of_an_environment_wins(tmp_path):
    base = json.loads(replay("healthy_m4_torch28", tmp_path / "x.json").read_text())
    (tmp_path / "x.json").unlink()
    base["host"]["id"] = "ab" * 16
    old = {**base, "created": "2026-11-01T10:00:00+00:00", "verdict": "not-ready"}
    new = {**base, "created": "2026-11-02T10:00:00+00:00"}
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    other_env = {**base, "device": "cpu"}  # the same machine, another device: kept
    (tmp_path / "cpu.json").write_text(json.dumps(other_env))
    fleet = summarise(reports.load([str(tmp_path)]))
    assert sorted(m.name for m in fleet.machines) == ["cpu", "new"]
    assert fleet.superseded == (str(tmp_path / "old.json"),)
    assert fleet.hosts == 1 and fleet.all_ready
    assert "2 environments on 1 machines" in fleet.headline()


def test_fleet_cli_main_in_process_matches_the_subprocess(fleet_dir, capsys):
    assert fleet_cli.main([str(fleet_dir), "--quiet"]) == 1
    assert "FLEET NOT READY" in capsys.readouterr().out


def test_the_benchmark_measures_the_whole_command_on_200_reports():
    from scripts.docs import bench

    result = bench.fleet_bench(sys.executable, reps=1)
    assert result["machines"] == 200 and len(result["process"].seconds) == 1
    section = bench.render_fleet_section(result)
    assert "| whole process: read, summarise, write Markdown + HTML + JSON |" in section
    assert "-m verify fleet TMP/reports" in section
    updated = bench.update_markdown("", "fleet", section)
    assert "<!-- bench:fleet -->" in updated and "(d) `verify fleet`" in updated
