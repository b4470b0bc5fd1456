"""Build the conda recipes in recipes/ into a local channel (./channel, git-ignored).

    python -m scripts.recipes.build [RECIPE ...] [--channel DIR] [--conda-channel URL ...]
        [--builder rattler-build|conda-build|py-rattler-build]
    nox -s build [-- RECIPE ...]

Plain functions make a BuildPlan (which builder, which recipes, the exact commands, what is
refused and why); ``execute`` indexes the channel, runs the builds and indexes it again;
``main`` is what nox calls.

- Builder: the rattler-build CLI (the native builder of v1 recipes) or the conda-build CLI
  (which builds v1 recipes through rattler-build), found on PATH; without either,
  py-rattler-build's Python API (pip install py-rattler-build) through pybuild.py, so a Mac with
  only Python can build. None of them: exit 2 with one line.
- The two pytorch recipes link against the macOS SDK (Metal) and are osx-arm64 only: on any
  other host they are refused with the reason. The noarch torch-mps-verify recipe builds anywhere.
- Without RECIPE arguments: every recipe this host can build, except the hours-long source build
  (pytorch-mps), which runs only when named.

Exit codes: 0 built (or nothing to do), 1 a build failed, 2 no builder / bad arguments / a
requested recipe refused on this host.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import importlib.util
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from verify.cliargs import OneLineParser

ROOT = Path(__file__).resolve().parents[2]
RECIPES_DIR = ROOT / "recipes"
DEFAULT_CHANNEL = ROOT / "channel"
# Build order: the pytorch recipes' tests need torch-mps-verify from the local channel.
ORDER = ("torch-mps-verify", "pytorch-mps-wheel", "pytorch-mps")
# Only when named: compiling PyTorch takes hours.
EXPLICIT_ONLY = frozenset({"pytorch-mps"})
CLI_BUILDERS = ("rattler-build", "conda-build")
PY_BUILDER = "py-rattler-build"  # the Python API, run by pybuild.py
BUILDERS = (*CLI_BUILDERS, PY_BUILDER)
PYBUILD = Path(__file__).resolve().parent / "pybuild.py"
DEFAULT_DEPS_CHANNELS = ("conda-forge",)
NO_BUILDER = (
    "no conda package builder found (rattler-build or conda-build on PATH, or the "
    "py-rattler-build Python package): `pip install py-rattler-build` (or `conda install -c "
    "conda-forge rattler-build`, `brew install rattler-build`), then run `nox -s build` again"
)
NEEDS_MAC = (
    "{recipe} makes osx-arm64 packages only, and building and testing them runs macOS code "
    "(the macOS SDK's Metal frameworks, torch's MPS backend); this host is {host}: build it on "
    "a Mac with Apple silicon, or use conda-forge's pytorch, which has MPS on osx-arm64"
)

EXIT_OK = 0
EXIT_BUILD_FAILED = 1
EXIT_USAGE = 2

Runner = Callable[[Sequence[str]], int]


@dataclass(frozen=True)
class Builder:
    name: str  # "rattler-build", "conda-build" or "py-rattler-build"
    executable: str  # the CLI, or the Python that has py-rattler-build


@dataclass(frozen=True)
class Recipe:
    name: str
    path: Path  # the recipe directory
    noarch: bool
    skip: tuple[str, ...] = ()  # build.skip expressions (v1 recipe)

    @property
    def variants(self) -> Path | None:
        candidate = self.path / "variants.yaml"
        return candidate if candidate.exists() else None


@dataclass(frozen=True)
class Step:
    recipe: str
    command: tuple[str, ...] = ()
    refused: str | None = None  # why this recipe is not built on this host


@dataclass(frozen=True)
class BuildPlan:
    builder: Builder | None
    channel: Path
    host: str
    steps: tuple[Step, ...] = ()
    error: str | None = None  # the plan cannot run at all (one line)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def runnable(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.refused is None)

    @property
    def refused(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.refused is not None)


# ---------------------------------------------------------------- recipes


class RecipeError(Exception):
    """A recipe.yaml the plan cannot read, as one line (exit 2)."""


def load_recipe(path: Path) -> Recipe:
    """Read the facts the plan needs from ``path/recipe.yaml`` (plain YAML, v1 format)."""
    from ruamel.yaml.error import YAMLError

    where = path / "recipe.yaml"
    try:
        data = YAML(typ="safe", pure=True).load(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError, TypeError, ValueError, RecursionError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise RecipeError(f"{where} cannot be read: {reason}") from None
    build = data.get("build") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(build or {}, dict):
        raise RecipeError(f"{where} is not a recipe mapping with a `build:` mapping")
    build = build or {}
    skip = build.get("skip") or ()
    if isinstance(skip, dict):
        raise RecipeError(f"{where}: build.skip must be a condition or a list of conditions")
    skip = (skip,) if isinstance(skip, str | bool | int | float) else tuple(skip)
    return Recipe(
        name=path.name,
        path=path,
        noarch=bool(build.get("noarch")),
        skip=tuple(str(s) for s in skip),
    )


def discover(recipes_dir: Path = RECIPES_DIR) -> dict[str, Recipe]:
    """Every recipe directory (one holding recipe.yaml), in build order."""
    found = {p.parent.name: load_recipe(p.parent) for p in recipes_dir.glob("*/recipe.yaml")}
    rank = {name: i for i, name in enumerate(ORDER)}
    return dict(sorted(found.items(), key=lambda kv: (rank.get(kv[0], len(ORDER)), kv[0])))


# Names rattler-build defines for selectors, per target platform (its docs: "Selectors").
_SELECTOR_NAMES = ("linux", "osx", "win", "unix", "x86", "x86_64", "arm64", "aarch64", "ppc64le")


def selector_names(target_platform: str) -> dict[str, bool]:
    """Truth values of the platform selector names for a conda subdir like "osx-arm64"."""
    os_name, _, arch = target_platform.partition("-")
    names = dict.fromkeys(_SELECTOR_NAMES, False)
    if os_name in ("linux", "osx", "win"):
        names[os_name] = True
        names["unix"] = os_name != "win"
    arch_names = {"64": "x86_64", "32": "x86", "arm64": "arm64", "aarch64": "aarch64"}
    if arch in arch_names:
        names[arch_names[arch]] = True
    if arch == "ppc64le":
        names["ppc64le"] = True
    return names


def eval_selector(expression: str | bool, values: Mapping[str, bool]) -> bool:
    """Evaluate a skip/if expression made of names, ``and``, ``or``, ``not``, parentheses and
    true/false. Anything else raises ValueError (it is not evaluated)."""
    if isinstance(expression, bool):
        return expression
    tree = ast.parse(expression.strip(), mode="eval")

    def walk(node: ast.AST) -> bool:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BoolOp):
            parts = [walk(v) for v in node.values]
            return all(parts) if isinstance(node.op, ast.And) else any(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not walk(node.operand)
        if isinstance(node, ast.Name):
            if node.id in ("true", "True"):
                return True
            if node.id in ("false", "False"):
                return False
            if node.id in values:
                return bool(values[node.id])
            raise ValueError(f"unknown selector name {node.id!r} in {expression!r}")
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        raise ValueError(f"unsupported selector syntax in {expression!r}")

    return walk(tree)


def skipped_on(recipe: Recipe, target_platform: str) -> bool:
    """Whether the recipe's build.skip is true for ``target_platform``."""
    values = selector_names(target_platform)
    return any(eval_selector(expr, values) for expr in recipe.skip)


def target_platform_for(recipe: Recipe) -> str | None:
    """The one platform a non-noarch recipe builds for (first of osx-arm64, linux-64 that it
    does not skip); None for noarch recipes (they build anywhere)."""
    if recipe.noarch:
        return None
    for candidate in ("osx-arm64", "linux-64", "linux-aarch64", "osx-64", "win-64"):
        if not skipped_on(recipe, candidate):
            return candidate
    return None


# ---------------------------------------------------------------- host and builder


def host_platform(
    system: str | None = None,
    machine: str | None = None,
    arm64_hardware: Callable[[], bool] | None = None,
) -> str:
    """The conda subdir this host can build for natively.

    On a Mac, an x86_64 Python under Rosetta still sits on arm64 hardware
    (``sysctl hw.optional.arm64`` is 1): that host can build osx-arm64 packages.
    """
    system = platform.system() if system is None else system
    machine = (platform.machine() if machine is None else machine).lower()
    if system == "Darwin":
        is_arm = machine == "arm64" or (arm64_hardware or _sysctl_arm64)()
        return "osx-arm64" if is_arm else "osx-64"
    arch = {"x86_64": "64", "amd64": "64", "aarch64": "aarch64", "arm64": "aarch64"}.get(
        machine, machine
    )
    os_name = {"Linux": "linux", "Windows": "win"}.get(system, system.lower())
    return f"{os_name}-{arch}"


def _sysctl_arm64() -> bool:
    try:
        out = subprocess.run(
            ["sysctl", "-n", "hw.optional.arm64"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.stdout.strip() == "1"


def has_py_rattler_build() -> bool:
    return importlib.util.find_spec("rattler_build") is not None


def find_builder(
    which: Callable[[str], str | None] = shutil.which,
    prefer: str | None = None,
    python_api: Callable[[], bool] = has_py_rattler_build,
) -> Builder | None:
    """The rattler-build CLI, then the conda-build CLI, then py-rattler-build's API in this
    Python; ``prefer`` names the one to use."""
    names = (prefer,) if prefer else BUILDERS
    for name in names:
        if name == PY_BUILDER:
            if python_api():
                return Builder(PY_BUILDER, sys.executable)
            continue
        path = which(name)
        if path:
            return Builder(name, path)
    return None


def builder_command(
    builder: Builder,
    recipe: Recipe,
    channel: Path,
    target_platform: str | None,
    deps_channels: Sequence[str] = DEFAULT_DEPS_CHANNELS,
) -> tuple[str, ...]:
    """The exact command line that builds ``recipe`` into ``channel``: the local channel
    first (torch-mps-verify for the pytorch recipes' tests), then ``deps_channels``."""
    channels = [channel.resolve().as_uri(), *deps_channels]
    channel_args = [arg for url in channels for arg in ("-c", url)]
    if builder.name in ("rattler-build", PY_BUILDER):
        if builder.name == PY_BUILDER:
            command = [builder.executable, str(PYBUILD)]
        else:
            command = [builder.executable, "build"]
        command += ["--recipe", str(recipe.path / "recipe.yaml"), "--output-dir", str(channel)]
        command += channel_args
        if recipe.variants is not None:
            command += ["--variant-config", str(recipe.variants)]
        if target_platform is not None:
            command += ["--target-platform", target_platform]
        return tuple(command)
    command = [builder.executable, str(recipe.path), "--output-folder", str(channel)]
    command += [*channel_args, "--override-channels"]
    if recipe.variants is not None:
        command += ["--variant-config-files", str(recipe.variants)]
    return tuple(command)


def refusal(recipe: Recipe, host: str) -> str | None:
    """Why ``recipe`` cannot be built on ``host`` (None when it can)."""
    target = target_platform_for(recipe)
    if recipe.noarch or target is None:
        return None
    if target == "osx-arm64" and not host.startswith("osx-"):
        return NEEDS_MAC.format(recipe=recipe.name, host=host)
    if target == "osx-arm64" and host != "osx-arm64":
        return (
            f"{recipe.name} builds for osx-arm64 and this Mac is {host} (Intel): MPS packages "
            "need Apple silicon to build and test"
        )
    return None


def make_plan(
    requested: Sequence[str],
    recipes: Mapping[str, Recipe],
    builder: Builder | None,
    host: str,
    channel: Path = DEFAULT_CHANNEL,
    *,
    deps_channels: Sequence[str] = DEFAULT_DEPS_CHANNELS,
) -> BuildPlan:
    """Decide what to build. Pure: the host, builder and recipes are given."""
    unknown = [name for name in requested if name not in recipes]
    if unknown:
        known = ", ".join(recipes)
        return BuildPlan(
            builder, channel, host, error=f"unknown recipe {unknown[0]!r} (known: {known})"
        )
    if builder is None:
        return BuildPlan(None, channel, host, error=NO_BUILDER)
    notes: list[str] = []
    if requested:
        names = [name for name in recipes if name in requested]  # build order, not argv order
    else:
        names = [name for name in recipes if name not in EXPLICIT_ONLY]
        notes += [
            f"{name} (a source build of hours) is built only when named: nox -s build -- {name}"
            for name in recipes
            if name in EXPLICIT_ONLY
        ]
    steps = []
    for name in names:
        recipe = recipes[name]
        why = refusal(recipe, host)
        if why is not None:
            steps.append(Step(name, refused=why))
            continue
        target = target_platform_for(recipe)
        steps.append(Step(name, builder_command(builder, recipe, channel, target, deps_channels)))
    if requested and any(step.refused for step in steps):
        first = next(step for step in steps if step.refused)
        return BuildPlan(
            builder, channel, host, tuple(steps), error=first.refused, notes=tuple(notes)
        )
    return BuildPlan(builder, channel, host, tuple(steps), notes=tuple(notes))


# ---------------------------------------------------------------- running


def install_hint(channel: Path) -> str:
    return f"nox -s install -- --channel {channel.resolve().as_uri()}"


def index_channel(channel: Path) -> bool:
    """Write repodata.json for the channel with py-rattler; False where py-rattler is missing
    (both builders index their output folder themselves)."""
    try:
        from rattler.index import index_fs
    except ImportError:
        return False
    (channel / "noarch").mkdir(parents=True, exist_ok=True)
    asyncio.run(index_fs(channel, write_shards=False, force=True))
    return True


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _default_runner(command: Sequence[str]) -> int:
    return subprocess.run(list(command), check=False).returncode


def execute(
    plan: BuildPlan,
    run: Runner = _default_runner,
    echo: Callable[[str], None] = print,
    index: Callable[[Path], bool] = index_channel,
    warn: Callable[[str], None] | None = None,
) -> int:
    """Run the plan's builds in order, stop at the first failure, index, say how to install.

    ``echo`` gets progress lines, ``warn`` (default: stderr) the one-line errors.
    """
    warn = warn or _stderr
    if plan.error is not None:
        warn(f"build: {plan.error}")
        return EXIT_USAGE
    for step in plan.refused:
        echo(f"skipped {step.recipe}: {step.refused}")
    for note in plan.notes:
        echo(f"note: {note}")
    if not plan.runnable:
        echo("build: nothing to build on this host")
        return EXIT_OK
    plan.channel.mkdir(parents=True, exist_ok=True)
    # The local channel is the first channel of every build: it must be a valid (indexed)
    # channel before the first build, or solving the test environment fails.
    index(plan.channel)
    assert plan.builder is not None  # make_plan sets error when there is no builder
    for step in plan.runnable:
        echo(f"building {step.recipe} with {plan.builder.name}: {' '.join(step.command)}")
        code = run(step.command)
        if code != 0:
            warn(
                f"build: {step.recipe} failed ({plan.builder.name} exit {code}); see its log above"
            )
            return EXIT_BUILD_FAILED
    index(plan.channel)
    echo(f"built into {plan.channel}; install from it with: {install_hint(plan.channel)}")
    return EXIT_OK


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        prog="nox -s build --", description="build recipes/ into a local channel"
    )
    parser.add_argument(
        "recipes", nargs="*", help="recipe names (default: all this host can build)"
    )
    parser.add_argument(
        "--channel", type=Path, default=DEFAULT_CHANNEL, help="output channel folder"
    )
    parser.add_argument(
        "--builder", choices=BUILDERS, help="use this builder (default: first found)"
    )
    parser.add_argument(
        "--conda-channel",
        action="append",
        dest="deps_channels",
        metavar="URL",
        help="where build and test dependencies come from (repeatable; default: conda-forge)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan, build nothing")
    return parser.parse_args(argv)


def main(
    argv: Sequence[str] | None = None,
    *,
    which: Callable[[str], str | None] = shutil.which,
    host: str | None = None,
    run: Runner = _default_runner,
    recipes_dir: Path = RECIPES_DIR,
    python_api: Callable[[], bool] = has_py_rattler_build,
) -> int:
    args = parse_args(argv)
    try:
        recipes = discover(recipes_dir)
    except RecipeError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    plan = make_plan(
        args.recipes,
        recipes,
        find_builder(which, args.builder, python_api),
        host or host_platform(),
        args.channel,
        deps_channels=tuple(args.deps_channels or DEFAULT_DEPS_CHANNELS),
    )
    if args.dry_run and plan.error is None:
        for step in plan.steps:
            print(f"{step.recipe}: {step.refused or ' '.join(step.command)}")
        for note in plan.notes:
            print(f"note: {note}")
        return EXIT_OK
    return execute(plan, run=run)


if __name__ == "__main__":
    sys.exit(main())
