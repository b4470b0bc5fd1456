"""Bad input everywhere a user can give one (issue 8, item 3).

Every parser a user can feed gets generated input (hypothesis) and must either return its data
or refuse with its own one-line error naming the problem and the fix; never a traceback, never
a half-written file. What tests/test_hardening.py already covers (Facts.from_dict, the --facts
loader) and tests/test_envdump.py (the diagnose parser) is not repeated here.

Parsers covered here (each refuses with its own one-line error):
- environment.yml: scripts.install.envfile.parse / load / pypi_requirements -> EnvFileError
  (file:line)
- pip configuration files: scripts.install.pipconf.read / uv_args -> never raises
- PyPI JSON: bump_recipe.latest_version / pick_release, refresh_compat.collect
  -> BumpError / PyPIError
- recipes: bump_recipe.run on mutated recipe.yaml / variants.yaml -> BumpError, bytes kept
- CLI argv: verify.cli.main on parse-only paths -> 0/1/2, one line on stderr for 2
plus end-to-end subprocesses of the installer (scripts.install.cli) and bump_recipe on bad input.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts.install import envfile, pipconf
from scripts.install.errors import InstallError
from scripts.install.options import Options, parse_options
from scripts.install.plan import make_plan
from scripts.install.target import Target
from scripts.recipes import bump as bump_recipe
from scripts.recipes import refresh_compat
from scripts.recipes.pypi import PyPIError
from verify import cli

ROOT = Path(__file__).resolve().parent.parent
PYPI_DATA = Path(__file__).parent / "data" / "pypi"
INDEX = json.loads((PYPI_DATA / "torch.json").read_text())
ENV_TEXT = (ROOT / "environment.yml").read_text()
FIXTURE_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Counted in the closing note: hypothesis examples per test (max_examples) plus hand-written cases.
EXAMPLES = {
    "envfile_structured": 600,
    "envfile_mutated": 400,
    "pipconf": 300,
    "pypi_json": 600,
    "refresh_collect": 200,
    "recipe_mutated": 150,
    "cli_argv": 600,
    "script_argv": 300,
    "wheel_zip": 300,
    "metadata_text": 300,
    "build_recipe": 200,
}

GUARDED = [ROOT / "tests" / "data", ROOT / "recipes", ROOT / "verify" / "data"]


def _guarded_hashes() -> dict[str, str]:
    files = [ROOT / "environment.yml", *(p for d in GUARDED for p in d.rglob("*") if p.is_file())]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module", autouse=True)
def project_files_stay_untouched():
    """Generated argv can name any path: no test here may change a file of the project."""
    before = _guarded_hashes()
    yield
    assert _guarded_hashes() == before


json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


def one_line(text: str) -> bool:
    return "\n" not in text.strip() and "Traceback" not in text


# ---------------------------------------------------------------- environment.yml


def _check_env_result(data: bytes) -> None:
    nlines = data.count(b"\n") + 2
    try:
        spec = envfile.parse(data, "env.yml")
    except envfile.EnvFileError as err:
        line = err.one_line()
        assert one_line(line), line
        assert line.startswith("env.yml"), line
        assert ". Fix: " in line and err.fix, line
        assert err.line is None or 1 <= err.line <= nlines, (err.line, nlines)
        return
    assert spec.sha256 == hashlib.sha256(data).hexdigest()
    for dep in spec.dependencies:
        assert dep.line >= 0  # 0: ruamel kept no position (a tagged flow list)
    # the uv/pip path's mapping refuses with the same error type, never something else
    try:
        reqs = envfile.pypi_requirements(spec)
        envfile.python_specifier(spec)
    except envfile.EnvFileError as err:
        assert one_line(err.one_line())
    except ValueError as err:  # python_specifier documents ValueError for `|`
        assert "|" in str(err) or "no PyPI equivalent" in str(err)
    else:
        assert all(isinstance(r, str) and r for r in reqs)


spec_texts = st.one_of(
    st.sampled_from(
        [
            "python >=3.10,<3.14",
            "pytorch >=2.6",
            "numpy",
            "conda-forge::numpy 2.*",
            "python=3.12",
            "pytorch=2.6=*cpu*",
            "numpy |",
            "py torch>",
            "numpy >=1|<2",
            "__osx >=12.3",
            ">=2",
            "",
            "  ",
            "#",
            "numpy[version='>=1.26']",
            "pytorch ==2.6.0 cpu_generic_py312_0",
        ]
    ),
    st.text(alphabet=string.ascii_letters + string.digits + " =<>!*.,|[]'\":-_~#", max_size=25),
)
dep_items = st.one_of(
    spec_texts,
    st.fixed_dictionaries({"pip": st.lists(spec_texts | json_scalars, max_size=3)}),
    json_values,
)
env_docs = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "name": json_scalars,
            "channels": st.lists(st.sampled_from(["conda-forge", "nodefaults", ""]), max_size=3)
            | json_values,
            "dependencies": st.lists(dep_items, max_size=5) | json_values,
            "platforms": st.lists(
                st.sampled_from(["osx-arm64", "linux-64", "osx-64", "macos", "", "noarch"]),
                max_size=3,
            )
            | json_values,
        },
    ),
    json_values,
)


def _dump_yaml(doc) -> bytes:
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(doc, out)
    return out.getvalue().encode()


@settings(max_examples=EXAMPLES["envfile_structured"], deadline=None)
@given(env_docs)
def test_environment_file_structured_documents(doc):
    _check_env_result(_dump_yaml(doc))


def _mutate_lines(text: str, rnd: random.Random, count: int) -> str:
    lines = text.splitlines(keepends=True)
    junk = [
        "\t",
        ":",
        "- ",
        "[",
        "{",
        "}",
        "'",
        '"',
        "&a",
        "*a",
        "!!python/object:os.system",
        "%",
        "@",
        "`",
        "  ",
        "\x00",
        "\ufeff",
        "---\n",
        "...\n",
        "\n",
        "? ",
        "|",
        ">",
        "==",
    ]
    for _ in range(count):
        op = rnd.randrange(4)
        i = rnd.randrange(len(lines)) if lines else 0
        if op == 0 and lines:
            del lines[i]
        elif op == 1 and lines:
            pos = rnd.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + rnd.choice(junk) + lines[i][pos:]
        elif op == 2:
            lines.insert(i, rnd.choice(junk) + "\n")
        elif lines:
            lines[i] = " " * rnd.randrange(4) + lines[i].lstrip()
    return "".join(lines)


@settings(max_examples=EXAMPLES["envfile_mutated"], deadline=None)
@given(st.randoms(use_true_random=False), st.integers(1, 4), st.sampled_from(["utf-8", "latin-1"]))
def test_environment_file_mutations_of_the_real_file(rnd, count, encoding):
    text = _mutate_lines(ENV_TEXT, rnd, count)
    _check_env_result(text.encode(encoding, errors="replace"))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe\x00garbage",
        b"a: &x [*x]\n",
        b"dependencies:\n  - numpy\n  - numpy\n dependencies: x\n",
        b"dependencies: [numpy]\ndependencies: [scipy]\n",  # duplicate key
        b"- just\n- a list\n",
        b"dependencies:\n  - 3.12\n",
        b'dependencies:\n  - pip: ["torch >>= 1"]\n',
        b"channels: conda-forge\ndependencies: [numpy]\n",
        b"platforms: [mac]\ndependencies: [numpy]\n",
        b"# c\n| #\n",  # ruamel's round-trip loader asserts on it (found by the mutation test)
    ],
)
def test_environment_file_hand_written_bad_inputs(raw, tmp_path):
    _check_env_result(raw)
    with pytest.raises(envfile.EnvFileError) as info:
        spec = envfile.parse(raw, "env.yml")
        envfile.pypi_requirements(spec)  # reached only when it parsed
        raise AssertionError(f"accepted {raw!r}")
    assert one_line(info.value.one_line())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # regressions found by the generated tests above, each once a traceback or two lines
        (b"{}\n", "`dependencies:` must be a non-empty list"),
        (b"\x00name: x\n", "unacceptable character #x0000"),
        (b"? {a: [1]}\n: x\ndependencies: [numpy]\n", "unsupported structure"),
        (b"dependencies:\n  - pip: ['conda-forge::numpy 2.*']\n", "invalid pip requirement"),
        (b"dependencies:\n  - numpy\n  - 0<a\n", "env.yml:3: '0<a' has no PyPI form"),
        (b"dependencies:\n  - python <a\n", "env.yml:2: 'python <a' has no PyPI form"),
    ],
)
def test_environment_file_regressions_are_one_line(raw, expected):
    with pytest.raises(envfile.EnvFileError) as info:
        spec = envfile.parse(raw, "env.yml")
        envfile.pypi_requirements(spec)
        envfile.python_specifier(spec)
    line = info.value.one_line()
    assert expected in line and one_line(line), line


def test_environment_file_python_tags_are_never_executed(tmp_path):
    target = tmp_path / "made-by-yaml"
    for raw in (
        f"dependencies: !!python/object/apply:os.mkdir ['{target}']\n",
        f"!!python/object/apply:os.mkdir ['{target}']\n",
        f"dependencies:\n  - !!python/object/apply:os.mkdir ['{target}']\n",
    ):
        _check_env_result(raw.encode())
    assert not target.exists()


def test_environment_file_that_is_a_directory_or_unreadable(tmp_path):
    for path in (tmp_path, tmp_path / "missing.yml"):
        with pytest.raises(envfile.EnvFileError) as info:
            envfile.load(path)
        assert one_line(info.value.one_line()) and str(path) in info.value.one_line()


# ---------------------------------------------------------------- pip configuration


ini_keys = st.sampled_from([*pipconf.KEYS, "index_url", "INDEX-URL", "timeout", "", "x y"])
ini_values = st.text(
    alphabet=string.ascii_letters + string.digits + ":/._- \t\n%$[]=#;\\", max_size=40
)
ini_sections = st.sampled_from(["global", "install", "download", "GLOBAL", "", "global ", "a]b"])


@st.composite
def ini_files(draw):
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            parts.append(f"[{draw(ini_sections)}]\n")
        for _ in range(draw(st.integers(0, 4))):
            sep = draw(st.sampled_from(["=", ":", " = ", ""]))
            parts.append(f"{draw(ini_keys)}{sep}{draw(ini_values)}\n")
    if draw(st.booleans()):
        parts.append(draw(st.text(max_size=30)))
    return "".join(parts)


@settings(FIXTURE_SETTINGS, max_examples=EXAMPLES["pipconf"])
@given(
    st.lists(ini_files() | st.binary(max_size=60).map(lambda b: b.decode("latin-1")), max_size=3),
    st.dictionaries(
        st.sampled_from(["PIP_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_CERT", "PIP_"]),
        ini_values,
        max_size=3,
    ),
)
def test_pip_config_files_never_break_the_uv_path(tmp_path, texts, env):
    files = []
    for i, text in enumerate(texts):
        path = tmp_path / f"pip{i}.conf"
        path.write_bytes(text.encode("utf-8", errors="replace"))
        files.append(path)
    cfg = pipconf.read(env=env, files=files)
    args = pipconf.uv_args(cfg)
    assert all(isinstance(a, str) for a in args)
    # every flag that takes a value has one, and no value is empty (uv would read the next flag)
    takes_value = {
        "--default-index",
        "--index",
        "--find-links",
        "--constraints",
        "--allow-insecure-host",
        "--index-strategy",
    }
    for flag, value in zip(args, [*args[1:], None], strict=False):
        if flag in takes_value:
            assert value and not value.startswith("-"), args
        if flag.partition("=")[0] in takes_value and "=" in flag:
            assert flag.partition("=")[2].startswith("-"), args
    if "PIP_INDEX_URL" in env and env["PIP_INDEX_URL"].strip() and not cfg.no_index:
        assert cfg.index_url == env["PIP_INDEX_URL"].strip()
    assert isinstance(pipconf.uv_env(cfg), dict)
    assert all(one_line(problem) for problem in cfg.unreadable)


def test_pip_config_value_that_looks_like_a_flag_stays_a_value(tmp_path):
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nindex-url = --\nfind-links = -x /w\n")
    args = pipconf.uv_args(pipconf.read(env={}, files=[conf]))
    assert args == [
        "--default-index=--",
        "--find-links=-x",
        "--find-links",
        "/w",
        "--index-strategy",
        "unsafe-best-match",
    ]


def test_unreadable_pip_config_is_named_on_the_uv_path_not_silently_dropped(tmp_path):
    bad = tmp_path / "pip.conf"
    bad.write_text("index-url = https://mirror.example/simple\n")  # no [global] header
    cfg = pipconf.read(env={}, files=[bad])
    assert cfg.index_url is None and len(cfg.unreadable) == 1
    assert cfg.unreadable[0].startswith(f"{bad}: File contains no section headers")
    spec = envfile.parse(b"dependencies:\n  - python >=3.10\n  - numpy\n", tmp_path / "e.yml")
    plan = make_plan(
        Options(file=tmp_path / "e.yml", prefix=tmp_path / "env"),
        spec,
        backend="uv",
        executable="uv",
        target=Target(),
        action="create",
        interpreter="/py",
        interpreter_version="3.11.7",
        pip_config=cfg,
    )
    [warning] = plan.warnings
    assert str(bad) in warning and "PIP_CONFIG_FILE=/dev/null" in warning and one_line(warning)


# ---------------------------------------------------------------- PyPI JSON documents


@st.composite
def mutated_index(draw):
    """The recorded torch project JSON with one to three values replaced by generated JSON."""
    doc = copy.deepcopy(INDEX)
    for _ in range(draw(st.integers(1, 3))):
        node, key = None, None
        cursor = doc
        for _depth in range(draw(st.integers(0, 5))):
            if isinstance(cursor, dict) and cursor:
                key = draw(st.sampled_from(sorted(cursor)))
            elif isinstance(cursor, list) and cursor:
                key = draw(st.integers(0, len(cursor) - 1))
            else:
                break
            node, cursor = cursor, cursor[key]
        if node is None:  # get_json only ever hands out a JSON object
            return {"releases": draw(json_values)}
        if draw(st.booleans()) and isinstance(node, dict):
            del node[key]
        else:
            node[key] = draw(json_values)
    return doc


pypi_documents = mutated_index() | st.dictionaries(
    st.sampled_from(["info", "releases", "urls", "x"]), json_values, max_size=3
)


@settings(max_examples=EXAMPLES["pypi_json"], deadline=None)
@given(pypi_documents, st.sampled_from(["2.15.0", "2.13.0", "9.9"]))
def test_pypi_project_json_gives_a_release_or_one_line(index, version):
    url = "http://index.test/pypi/torch/json"
    try:
        target = bump_recipe.latest_version(index, url)
        assert isinstance(target, str)
    except bump_recipe.BumpError as err:
        assert one_line(str(err)) and url in str(err)
    try:
        release = bump_recipe.pick_release(index, version, url)
    except bump_recipe.BumpError as err:
        assert one_line(str(err)), str(err)
        return
    assert release.wheels and release.version == version
    for wheel in release.wheels:
        assert len(wheel.sha256) == 64 and wheel.filename.endswith(".whl")
    assert release.macos_min.count(".") == 1


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ({"releases": 1}, "no 'releases' mapping"),
        ({"releases": {"2.15.0": "x"}}, "is not a list"),
        ({"releases": {"2.15.0": [None]}}, "is not an object"),
        ({"releases": {"2.15.0": [{"packagetype": "bdist_wheel"}]}}, "has no filename"),
        (
            {
                "releases": {
                    "2.15.0": [
                        {
                            "packagetype": "bdist_wheel",
                            "filename": "torch-2.15.0-cp312-cp312-macosx_14_0_arm64.whl",
                            "digests": {"sha256": "abc"},
                            "url": "x.whl",
                        }
                    ]
                }
            },
            "malformed sha256",
        ),
    ],
)
def test_pypi_release_regressions_are_one_line(index, expected):
    with pytest.raises(bump_recipe.BumpError) as info:
        bump_recipe.pick_release(index, "2.15.0", "http://index.test/pypi/torch/json")
    assert expected in str(info.value) and one_line(str(info.value))
    with pytest.raises(bump_recipe.BumpError, match=r"no info\.version"):
        bump_recipe.latest_version({"info": None}, "http://index.test/pypi/torch/json")


class StubClient:
    """PyPIClient's JSON side, answering from a dict of url -> document (no network)."""

    base = "http://index.test/pypi"

    def __init__(self, documents):
        self.documents = documents

    def project_url(self, project, version=None):
        return f"{self.base}/{project}/{version}/json" if version else f"{self.base}/{project}/json"

    def get_json(self, url):
        doc = self.documents.get(url)
        if not isinstance(doc, dict):
            raise PyPIError(f"malformed JSON from {url}: expected an object")
        return doc


@settings(max_examples=EXAMPLES["refresh_collect"], deadline=None)
@given(pypi_documents, json_values)
def test_refresh_compat_collect_gives_a_document_or_one_line(index, per_release):
    client = StubClient(
        {
            "http://index.test/pypi/torch/json": index,
            "http://index.test/pypi/torch/2.15.0/json": per_release,
        }
    )
    try:
        document = refresh_compat.collect(client, "2.10")
    except PyPIError as err:
        assert one_line(str(err)), str(err)
        return
    json.dumps(document)  # what main() writes must serialise
    for facts in document["releases"].values():
        assert facts["macos_arm64_min"] is None or facts["macos_arm64_min"].count(".") == 1


# ---------------------------------------------------------------- recipes

RECIPE_FILES = [
    f"{name}/{leaf}"
    for name in (bump_recipe.SOURCE_RECIPE, bump_recipe.WHEEL_RECIPE)
    for leaf in ("recipe.yaml", "variants.yaml")
]
SOURCE_TARBALL_SHA = hashlib.sha256(b"not the real tarball").hexdigest()


class StubBumpClient(StubClient):
    """What bump_recipe.run asks a PyPIClient for: the recorded index, the recorded METADATA
    files, and a source tarball digest (no network, no download)."""

    def __init__(self):
        super().__init__({"http://index.test/pypi/torch/json": INDEX})

    def get_text(self, url):
        name = url.rsplit("/", 1)[-1]
        return (PYPI_DATA / name).read_text()

    def stream_sha256(self, url, on_progress=None):
        return SOURCE_TARBALL_SHA, 20


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run_bump(recipes: Path, *, check: bool) -> tuple[int | None, str]:
    import argparse

    args = argparse.Namespace(
        recipes_dir=recipes, version="2.15.0", check=check, source_url=None, verify_wheels=False
    )
    lines: list[str] = []
    try:
        code = bump_recipe.run(args, StubBumpClient(), bump_recipe.no_progress, lines.append)
    except (bump_recipe.BumpError, PyPIError) as err:
        return None, str(err)
    return code, "\n".join(lines)


def _assert_bump_outcome(recipes: Path, before: dict[str, str], check: bool) -> None:
    code, text = run_bump(recipes, check=check)
    if code is None:
        assert one_line(text), text
        assert snapshot(recipes) == before, "a failed bump changed the recipes"
        return
    assert code in (0, 1)
    if check:
        assert snapshot(recipes) == before, "--check changed the recipes"
    for rel in RECIPE_FILES:  # whatever was written is whole, valid YAML
        bump_recipe.load_yaml(recipes / rel)


@pytest.fixture(scope="module")
def pristine_recipes(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("recipes")
    for name in (bump_recipe.SOURCE_RECIPE, bump_recipe.WHEEL_RECIPE):
        shutil.copytree(ROOT / "recipes" / name, root / name)
    return root


def test_stub_bump_of_the_real_recipes_succeeds(pristine_recipes, tmp_path):
    """The premise of the mutation test: unmutated recipes bump cleanly through the stub."""
    recipes = tmp_path / "r"
    shutil.copytree(pristine_recipes, recipes)
    before = snapshot(recipes)
    code, text = run_bump(recipes, check=False)
    assert code == 0, text
    assert snapshot(recipes) != before
    assert "2.15.0" in (recipes / "pytorch-mps-wheel" / "recipe.yaml").read_text()


@settings(FIXTURE_SETTINGS, max_examples=EXAMPLES["recipe_mutated"])
@given(
    st.sampled_from(RECIPE_FILES),
    st.randoms(use_true_random=False),
    st.integers(1, 3),
    st.booleans(),
)
def test_mutated_recipes_bump_or_refuse_in_one_line_unchanged(
    pristine_recipes, tmp_path_factory, rel, rnd, count, check
):
    recipes = tmp_path_factory.mktemp("mut") / "recipes"
    shutil.copytree(pristine_recipes, recipes)
    target = recipes / rel
    target.write_text(_mutate_lines(target.read_text(), rnd, count))
    _assert_bump_outcome(recipes, snapshot(recipes), check)
    shutil.rmtree(recipes.parent)


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("pytorch-mps/recipe.yaml", "context:", "context: 3\nold_context:"),
        ("pytorch-mps/recipe.yaml", "context:", "context: version\nold_context:"),
        ("pytorch-mps/recipe.yaml", "source:", "source: [1]\nold_source:"),
        ("pytorch-mps/recipe.yaml", "source:", "source: text\nold_source:"),
        ("pytorch-mps/recipe.yaml", "__osx", "__linux"),
        ("pytorch-mps/recipe.yaml", "requirements:", "requirements: [run]\nold_requirements:"),
        ("pytorch-mps-wheel/recipe.yaml", "source:", "source: {}\nold_source:"),
        ("pytorch-mps-wheel/recipe.yaml", "  - if: match", "  - 7\n  - if: match"),
        ("pytorch-mps-wheel/recipe.yaml", "then:", "then: [x]\n    else:"),
        ("pytorch-mps-wheel/variants.yaml", "python:", "python: 3.12\nold_python:"),
        ("pytorch-mps/variants.yaml", "python:", "python: {a: 1}\nold_python:"),
        ("pytorch-mps/recipe.yaml", 'version: "', 'version: "not a version'),
        ("pytorch-mps/recipe.yaml", "context:", "\t"),
        ("pytorch-mps/recipe.yaml", "context:", "\xff\xfe"),
    ],
)
@pytest.mark.parametrize("check", [False, True])
def test_hand_broken_recipes_refuse_in_one_line_unchanged(
    pristine_recipes, tmp_path, rel, old, new, check
):
    recipes = tmp_path / "recipes"
    shutil.copytree(pristine_recipes, recipes)
    target = recipes / rel
    text = target.read_text()
    assert old in text
    if new == "\xff\xfe":
        target.write_bytes(b"\xff\xfe" + text.encode())  # not UTF-8
    else:
        target.write_text(text.replace(old, new, 1))
    _assert_bump_outcome(recipes, snapshot(recipes), check)


def test_refresh_compat_file_entries_without_filename_are_one_line():
    index = {"releases": {"2.15.0": [None]}}
    client = StubClient({"http://index.test/pypi/torch/json": index})
    with pytest.raises(PyPIError, match="a file entry without a filename"):
        refresh_compat.collect(client, "2.10")


# ---------------------------------------------------------------- CLI argv

GOOD_PASTE = ROOT / "tests" / "data" / "collect_env" / "pytorch-79019-float64-refused.txt"
VERIFY_FLAGS = [
    "--device", "--expect-mps", "--no-expect-mps", "--level", "--json", "--junit-xml", "--facts",
    "--timeout", "--quiet", "--only", "--checks-module", "--bogus", "-x", "--", "--dev", "--lev",
    "-h", "--version",
]  # fmt: skip
VALUES = [
    "auto", "mps", "cpu", "cuda", "cuda:1", "quick", "standard", "full", "bad", "-1", "0", "nan",
    "inf", "1e9", "1e308", "86400", "", " ", "device", "dtypes", "parity.f*", "[", "os",
    "nonexistent.mod", ".rel",
    "-", "{tmp}/r.json", "{tmp}/new/dir/r.xml", "{tmp}", "{tmp}/missing.json", "{bad}", "{good}",
    "{facts}",
    "é\u200b", "\x7f",
]  # fmt: skip
DIAGNOSE_FLAGS = ["--json", "--junit-xml", "--quiet", "--bogus", "-", "--", "-h"]


def _inputs(tmp_path: Path) -> dict[str, str]:
    """Input files for the CLI, all copies in tmp_path: a fuzzed `--json {good}` overwrites its
    target, and that must never be a file of the project."""
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01binary")
    good = tmp_path / "paste.txt"
    shutil.copyfile(GOOD_PASTE, good)
    facts = tmp_path / "facts.json"
    shutil.copyfile(ROOT / "tests" / "data" / "hosts" / "linux_cpu.json", facts)
    return {"{tmp}": str(tmp_path), "{bad}": str(bad), "{good}": str(good), "{facts}": str(facts)}


def _substitute(arg: str, subs: dict[str, str]) -> str:
    for key, value in subs.items():
        arg = arg.replace(key, value)
    return arg


@st.composite
def cli_argvs(draw):
    tokens = st.sampled_from(VERIFY_FLAGS + VALUES)
    first = draw(st.sampled_from(["verify", "verify", "diagnose", "preflight", "facts"]))
    if first == "diagnose":
        rest = draw(st.lists(st.sampled_from(DIAGNOSE_FLAGS + VALUES), max_size=5))
        return ["diagnose", *rest]
    if first == "preflight":
        return ["preflight", *draw(st.lists(st.sampled_from(DIAGNOSE_FLAGS + VALUES), max_size=4))]
    if first == "facts":  # only the refusals: a real `facts` run probes torch in a worker
        return ["facts", draw(st.sampled_from(["--bogus", "-x", "extra", "--no-torch=1"]))]
    # --list-checks keeps verify on its parse-and-list path: no device checks run
    return [*draw(st.lists(tokens, max_size=6)), "--list-checks"]


@settings(FIXTURE_SETTINGS, max_examples=EXAMPLES["cli_argv"])
@given(cli_argvs())
def test_cli_argv_exit_codes_and_one_line_errors(tmp_path, capsys, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)  # relative report paths ("full", "os", ...) land here
    subs = _inputs(tmp_path)
    argv = [_substitute(a, subs) for a in argv]
    capsys.readouterr()
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse's own --help / --version
        assert exc.code == 0 and ({"-h", "--version"} & set(argv)), argv
        return
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert err.startswith("error: ") and err.count("\n") == 1, (argv, err)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--checks-module", "nonexistent.mod", "--list-checks"], "cannot be imported"),
        (["--checks-module", "", "--list-checks"], "cannot be imported"),
        (["--checks-module", ".rel", "--list-checks"], "cannot be imported"),
        (["--timeout", "nan", "--list-checks"], "must be more than 0"),
        # inf and 1e308 once reached the worker's selector: OverflowError, traceback, exit 1
        (["--timeout", "inf", "--device", "cpu"], "must be at most 86400"),
        (["--timeout", "1e308", "--device", "cpu"], "must be at most 86400"),
        (["--level", "fast"], "invalid choice"),
        (["--only", "nothing.here", "--list-checks"], "matches no check"),
        (["diagnose"], "the following arguments are required"),
        (["diagnose", "{bad}"], "binary data"),
        (["diagnose", "{tmp}/missing.txt"], "cannot read"),
        (["diagnose", "{tmp}"], "1 of 3 inputs could not be diagnosed"),
        (["--facts", "{bad}"], "binary data"),
        (["diagnose", "{good}", "--json", "{tmp}"], "Is a directory"),
        (["diagnose", "{good}", "--junit-xml", "{bad}/r.xml"], "cannot write there"),
        (["diagnose", "{good}", "--json", "{good}"], "is the input file"),
        (["diagnose", "{good}", "--junit-xml", "{good}"], "is the input file"),
        (["--facts", "{facts}", "--json", "{facts}"], "is the input file"),
    ],
)
def test_cli_bad_arguments_are_one_line_exit_2(tmp_path, capsys, monkeypatch, argv, expected):
    monkeypatch.chdir(tmp_path)
    subs = _inputs(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert cli.main([_substitute(a, subs) for a in argv]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.startswith("error: ") and err.count("\n") == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temp file left behind
    assert (tmp_path / "paste.txt").read_bytes() == GOOD_PASTE.read_bytes()


def test_verify_refuses_an_unwritable_report_path_before_running(tmp_path, capsys, monkeypatch):
    """A report that cannot be written is found out before the device run, not after it (a
    full run is minutes; its report would be lost). No worker is started."""
    from verify import runner

    started = []
    monkeypatch.setattr(runner.Supervisor, "__enter__", lambda self: started.append(1))
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    for flag in ("--json", "--junit-xml"):
        code = cli.main(["--device", "cpu", flag, str(blocker / "r.json")])
        out, err = capsys.readouterr()
        assert code == 2 and "cannot write there" in err and err.count("\n") == 1, err
        assert out == "" and started == []


# ---------------------------------------------------------------- end to end (subprocesses)


def _run_module(args: list[str], cwd: Path, env_extra: dict[str, str] | None = None):
    env = {**os.environ, **(env_extra or {})}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize(
    ("text", "backend", "expected"),
    [
        ("dependencies:\n  - numpy\n  - {torch\n", "rattler", "invalid YAML"),
        ("dependencies:\n  - numpy\n  - 0<a\n", "uv", "BAD.yml:3: '0<a' has no PyPI form"),
    ],
)
def test_install_env_with_a_bad_file_is_one_line_and_changes_nothing(
    tmp_path, text, backend, expected
):
    """The installer documents exit 1 for every refusal (InstallError / EnvFileError)."""
    bad = tmp_path / "BAD.yml"
    bad.write_text(text)
    before = _tree(tmp_path)
    proc = _run_module(
        [
            "scripts.install.cli",
            "--file",
            str(bad),
            "--prefix",
            str(tmp_path / "env"),
            "--backend",
            backend,
            "--offline",
        ],
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert expected in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _tree(tmp_path) == before  # no prefix, no stamp, the file untouched


@pytest.mark.parametrize(
    "body",
    [
        b'{"info": {"version": "2.15.0"}, "releases": {"2.15.0": [null]}}',
        b'{"info": null, "releases": []}',
        b"\xff\xfe not json",
    ],
)
def test_bump_recipe_against_a_bad_index_is_one_line_exit_2_recipes_unchanged(
    httpserver, tmp_path, body
):
    recipes = tmp_path / "recipes"
    for name in (bump_recipe.SOURCE_RECIPE, bump_recipe.WHEEL_RECIPE):
        shutil.copytree(ROOT / "recipes" / name, recipes / name)
    httpserver.expect_request("/pypi/torch/json").respond_with_data(
        body, content_type="application/json"
    )
    before = _tree(tmp_path)
    proc = _run_module(
        [
            "scripts.recipes.bump",
            "--index-url",
            httpserver.url_for("/pypi"),
            "--recipes-dir",
            str(recipes),
            "--retries",
            "0",
            "--no-progress",
        ],
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("bump_recipe: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "malformed JSON" in proc.stderr or "no info.version" in proc.stderr
    assert _tree(tmp_path) == before


# ---------------------------------------------------------------- the scripts' own flags

SCRIPT_TOKENS = [
    "--version", "--check", "--index-url", "--source-url", "--verify-wheels", "--timeout",
    "--retries", "--no-progress", "--output", "--minimum", "--prefix", "--file", "--channel",
    "--offline", "--force", "--backend", "--bogus", "-h", "--", "x", "", "0", "-1", "nan", "inf",
    "1e400", "2.5", "abc", "uv", "conda", "./channel", "file:///nope", "http://[::1", "~/env",
]  # fmt: skip


@settings(FIXTURE_SETTINGS, max_examples=EXAMPLES["script_argv"])
@given(
    st.sampled_from(["bump_recipe", "refresh_compat", "install_env"]),
    st.lists(st.sampled_from(SCRIPT_TOKENS), max_size=6),
)
def test_script_flags_parse_or_refuse_in_one_line(capsys, monkeypatch, tmp_path, tool, argv):
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    try:
        if tool == "install_env":
            parse_options(argv)
        else:
            parse = bump_recipe.parse_args if tool == "bump_recipe" else refresh_compat.parse_args
            args = parse(argv)
            assert args.timeout > 0 and args.retries >= 0
    except InstallError as err:
        assert one_line(err.one_line()) and "Fix: " in err.one_line()
    except SystemExit as exc:
        err = capsys.readouterr().err
        if exc.code == 0:
            assert "-h" in argv
        else:
            assert exc.code == 2 and err.count("\n") == 1 and "(see --help)" in err, err


@pytest.mark.parametrize("template", ["{}", "{x}", "https://h/{version", "{version.x}", "{0}"])
def test_bump_recipe_bad_source_url_template_is_one_line(template):
    with pytest.raises(bump_recipe.BumpError, match="is not a URL template") as info:
        bump_recipe.source_download_url("2.15.0", template)
    assert one_line(str(info.value))


def test_refresh_compat_output_that_cannot_be_written_is_one_line(httpserver, tmp_path, capsys):
    httpserver.expect_request("/pypi/torch/json").respond_with_json(INDEX)
    folder = tmp_path / "out.json"
    folder.mkdir()  # os.replace cannot put a file over a folder
    code = refresh_compat.main(
        ["--index-url", httpserver.url_for("/pypi"), "--output", str(folder), "--retries", "0"]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("refresh_compat: cannot write") and err.count("\n") == 1
    assert list(folder.iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_bump_recipe_write_failure_is_one_line(pristine_recipes, tmp_path, monkeypatch, capsys):
    recipes = tmp_path / "recipes"
    shutil.copytree(pristine_recipes, recipes)
    before = snapshot(recipes)

    def refuse(path, text):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(bump_recipe.atomic, "write_text", refuse)
    monkeypatch.setattr(bump_recipe, "client_from", lambda args, **kw: StubBumpClient())
    code = bump_recipe.main(["--version", "2.15.0", "--recipes-dir", str(recipes), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("bump_recipe: cannot write ") and err.count("\n") == 1
    assert "Permission denied" in err and snapshot(recipes) == before


# ---------------------------------------------------------------- wheel METADATA from a server

METADATA_TEXT = (PYPI_DATA / "torch-2.15.0-cp312-cp312-macosx_14_0_arm64.whl.metadata").read_text()


def _wheel_bytes(metadata: str = METADATA_TEXT) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("torch/__init__.py", "")
        archive.writestr("torch-2.15.0.dist-info/METADATA", metadata)
        archive.writestr("torch-2.15.0.dist-info/RECORD", "")
    return buffer.getvalue()


class RangeStub:
    """What RangeFile asks a PyPIClient for: no .metadata file (404), then byte ranges."""

    def __init__(self, data: bytes):
        self.data = data

    def get_text(self, url):
        raise PyPIError("HTTP 404 Not Found", status=404)

    def size(self, url):
        return len(self.data)

    def get_range(self, url, start, end):
        return self.data[start : end + 1]


WHEEL = bump_recipe.Wheel(
    "3.12",
    "torch-2.15.0-cp312-cp312-macosx_14_0_arm64.whl",
    "u",
    "http://h/t.whl",
    "0" * 64,
    (14, 0),
)


@settings(max_examples=EXAMPLES["wheel_zip"], deadline=None)
@given(st.data())
def test_wheel_metadata_from_mutated_zips_is_text_or_one_line(data):
    raw = bytearray(_wheel_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    try:
        text = bump_recipe.wheel_metadata(RangeStub(bytes(raw)), WHEEL)
    except bump_recipe.BumpError as err:
        assert one_line(str(err)), str(err)
        return
    assert isinstance(text, str)


@settings(max_examples=EXAMPLES["metadata_text"], deadline=None)
@given(st.randoms(use_true_random=False), st.integers(1, 4))
def test_requires_dist_from_mutated_metadata_is_specs_or_one_line(rnd, count):
    text = _mutate_lines(METADATA_TEXT, rnd, count)
    try:
        specs = bump_recipe.requirements_for(text, "3.12")
    except bump_recipe.BumpError as err:
        assert one_line(str(err)), str(err)
        return
    assert all(isinstance(s, str) and s for s in specs)


@pytest.mark.parametrize(
    "line",
    [
        'Requires-Dist: a; python_version ~= "abc"',  # UndefinedComparison, was a traceback
        'Requires-Dist: a; extra == "x" and foo == "1"',  # a caret diagram, was three lines
    ],
)
def test_requires_dist_regressions_are_one_line(line):
    with pytest.raises(bump_recipe.BumpError) as info:
        bump_recipe.requirements_for(f"Metadata-Version: 2.1\n{line}\n", "3.12")
    assert one_line(str(info.value)), str(info.value)


def test_wheel_metadata_regressions_are_one_line():
    import zipfile

    raw = bytearray(_wheel_bytes())
    # compression method 99 in every header: zipfile raises NotImplementedError (was a traceback)
    for sig, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := raw.find(sig, start)) != -1:
            raw[start + offset : start + offset + 2] = (99).to_bytes(2, "little")
            start += 4
    with pytest.raises(bump_recipe.BumpError, match="cannot read METADATA"):
        bump_recipe.wheel_metadata(RangeStub(bytes(raw)), WHEEL)
    huge = _wheel_bytes("Metadata-Version: 2.1\n" + "X" * (2 << 20))
    assert zipfile.ZipFile(__import__("io").BytesIO(huge)).testzip() is None
    with pytest.raises(bump_recipe.BumpError, match="larger than 1 MB"):
        bump_recipe.wheel_metadata(RangeStub(huge), WHEEL)


def test_pypi_client_deeply_nested_json_is_one_line(httpserver):
    from scripts.recipes.pypi import PyPIClient

    httpserver.expect_request("/pypi/torch/json").respond_with_data(
        "[" * 200_000 + "]" * 200_000, content_type="application/json"
    )
    client = PyPIClient(base=httpserver.url_for("/pypi"), retries=0)
    with pytest.raises(PyPIError, match="malformed JSON") as info:
        client.project("torch")
    assert one_line(str(info.value))


# ------------------------------------------------------ recipes through scripts/recipes/build.py


@settings(FIXTURE_SETTINGS, max_examples=EXAMPLES["build_recipe"])
@given(
    st.sampled_from(["pytorch-mps", "pytorch-mps-wheel", "torch-mps-verify"]),
    st.randoms(use_true_random=False),
    st.integers(1, 4),
)
def test_build_reads_mutated_recipes_or_refuses_in_one_line(tmp_path_factory, name, rnd, count):
    from scripts.recipes import build

    folder = tmp_path_factory.mktemp("b") / name
    folder.mkdir()
    text = (ROOT / "recipes" / name / "recipe.yaml").read_text()
    (folder / "recipe.yaml").write_text(_mutate_lines(text, rnd, count))
    try:
        recipe = build.load_recipe(folder)
    except build.RecipeError as err:
        assert one_line(str(err)) and str(folder / "recipe.yaml") in str(err), str(err)
        return
    assert recipe.name == name and all(isinstance(s, str) for s in recipe.skip)


@pytest.mark.parametrize(
    ("text", "argv", "expected"),
    [
        ("build: [unclosed\n", [], "cannot be read"),
        ("- a list\n", [], "is not a recipe mapping"),
        ("build: 3\n", [], "is not a recipe mapping"),
        ("build:\n  skip: {a: 1}\n", [], "build.skip must be"),
        ("build: {}\n", ["--bogus"], "unrecognized arguments: --bogus (see --help)"),
    ],
)
def test_build_with_a_broken_recipe_or_flag_is_one_line_exit_2(
    tmp_path, capsys, text, argv, expected
):
    from scripts.recipes import build

    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "recipe.yaml").write_text(text)
    try:
        code = build.main([*argv, "--dry-run"], recipes_dir=tmp_path, which=lambda name: None)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and expected in err and err.count("\n") == 1, err
