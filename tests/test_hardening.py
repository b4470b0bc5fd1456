"""Bad input and the security pass: parsers refuse cleanly, the code base keeps its rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.cli import load_facts_file
from verify.errors import InputError
from verify.facts import Facts

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["verify", "scripts", "noxfile.py"]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
fact_names = st.sampled_from([f for f in Facts.__dataclass_fields__] + ["schema", "host", "x"])


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(fact_names, json_values, max_size=8) | json_values)
def test_facts_from_dict_returns_facts_or_value_error(data):
    try:
        facts = Facts.from_dict(data)
    except ValueError:
        return
    assert isinstance(facts, Facts)
    # a facts record that loaded round-trips through its JSON
    assert Facts.from_dict(json.loads(facts.to_json())) == facts


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_facts_file_loader_returns_facts_or_input_error(tmp_path, raw):
    path = tmp_path / "facts.json"
    path.write_bytes(raw)
    try:
        facts = load_facts_file(str(path))
    except InputError as exc:
        assert "\n" not in exc.one_line()
        return
    assert facts.source == "replayed"


def test_no_shell_true_or_string_commands_anywhere():
    """flake8-bandit through ruff: S602/S604/S605 (shell), S310 (URL open), S506 (unsafe YAML);
    also S108 (hard-coded /tmp), S113 (requests without timeout), S202 (tarfile extractall),
    S501 (TLS verify off), S301 (pickle), S103 (permissive chmod), S306 (mktemp),
    S112/S110 (swallowed exceptions)."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed in this environment")
    targets = [str(ROOT / s) for s in SOURCES if (ROOT / s).exists()]
    proc = subprocess.run(
        [
            ruff,
            "check",
            "--no-cache",
            "--select",
            "S602,S604,S605,S606,S310,S506,S307,S102,S324,"
            "S108,S113,S202,S501,S301,S103,S306,S112,S110",
            *targets,
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_parent_modules_do_not_import_torch_at_import_time():
    code = (
        "import sys\n"
        "import verify.cli, verify.report, verify.facts, verify.runner\n"
        "from verify import checks; checks.load()\n"
        "print('torch' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"
