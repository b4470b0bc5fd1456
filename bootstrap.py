#!/usr/bin/env python3
"""The first command on a fresh machine: `python3 bootstrap.py -s SESSION ...` runs nox.

Works from whatever Python 3 the machine has (Apple's 3.9, an externally-managed Homebrew or Debian
Python, pyenv, python.org, conda) and touches none of them: everything lives in the project's own
git-ignored `.tools/` folder, and `rm -rf .tools` undoes it.

  1. uv (pinned in bootstrap-requirements.txt, hash-checked) -> .tools/uv-VERSION, with
     `python -m pip install --target` of the Python running this script: pip's own configuration
     (index-url, find-links, constraints, certificates) applies, and `--target` is an install into
     a folder of ours, which PEP 668 allows.
  2. uv makes the tools venv .tools/venv with a Python >= 3.10: this one if new enough, else one
     uv finds (PATH, pyenv, Homebrew, ...) or downloads into .tools/python.
  3. uv installs exactly bootstrap-requirements.txt there (nox[uv], py-rattler, ...; hash-checked),
     with pip's index settings translated for uv (scripts/install/pipconf.py).
  4. exec `python -m nox ARGS` in that venv.
A re-run whose pins did not change goes straight to 4 (a stamp keyed on the pins' sha256).

Stdlib only, and Python >= 3.8 (it must run before anything is installed). Under 3.6 / 3.7 it
re-runs itself with a python3.8+ found on PATH. Everything after the bootstrap's own options goes
to nox unchanged; `python3 bootstrap.py --help` lists them.
"""

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(ROOT, ".tools")
VENV = os.path.join(TOOLS, "venv")
STAMP = os.path.join(VENV, "bootstrap-stamp.json")
REQUIREMENTS = os.path.join(ROOT, "bootstrap-requirements.txt")
# stdlib-only and Python 3.8-compatible (tests/test_bootstrap.py loads it under 3.8)
PIPCONF = os.path.join(ROOT, "scripts", "install", "pipconf.py")
NOXFILE = os.path.join(ROOT, "noxfile.py")
MIN_START = (3, 8)  # uv's wheel installs on any Python 3; 3.8 is the oldest this script runs on
TOOLS_PYTHON = ">=3.10"  # nox, py-rattler and the project's code need 3.10+
EXTRA_TOOLS = ("nox[uv]", "uv")  # beyond the noxfile's script block: uv for this script and nox
PREFIX = "bootstrap: "
PIP_TARGET_FLAGS = (  # exact hashed pin, a wheel, into a folder of ours (PEP 668 allows it)
    "--quiet", "--disable-pip-version-check", "--no-warn-script-location", "--require-hashes",
    "--no-deps", "--only-binary", ":all:", "--target",
)  # fmt: skip
COMPILE_FLAGS = ("--quiet", "--universal", "--generate-hashes", "--no-header",
                 "--python-version", TOOLS_PYTHON[2:])  # fmt: skip

USAGE = """\
usage: python3 bootstrap.py [--reinstall] [--upgrade-tools] NOX-ARGS...

Runs nox from a private tools venv (.tools/venv), made on first use from any Python >= 3.8:
  python3 bootstrap.py -s install verify     install PyTorch, then verify it
  python3 bootstrap.py -s tests              the project's tests
  python3 bootstrap.py -l                    list the sessions

options (before the nox arguments):
  -h, --help        this help (nox's own: .tools/venv/bin/nox --help)
  --reinstall       delete .tools and build it again
  --upgrade-tools   re-solve bootstrap-requirements.txt to the newest releases (needs an index)

Everything else goes to nox unchanged. pip's configuration (index-url, extra-index-url,
find-links, constraint, cert; files and PIP_* variables) is honoured by every download.
"""


class BootstrapError(Exception):
    """One line for the user: what failed and what to do."""


def say(message):
    print(PREFIX + message, file=sys.stderr, flush=True)


def venv_python(venv=VENV):
    if os.name == "nt":
        return os.path.join(venv, "Scripts", "python.exe")
    return os.path.join(venv, "bin", "python")


def sha256_file(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def write_atomic(path, text):
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


# --- reading the pins ------------------------------------------------------------------------


def requirement_blocks(text):
    """`name==version ... --hash=...` entries of a uv/pip-compile file, continuation lines joined,
    comments dropped: {normalized name: (version, the joined requirement line)}."""
    logical, current = [], ""
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        if current or line:
            logical.append(current + line)
        current = ""
    if current:
        logical.append(current)
    blocks = {}
    for line in logical:
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;]+)", line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            blocks[name] = (match.group(3), " ".join(line.split()))
    return blocks


def pinned_uv(requirements_text):
    blocks = requirement_blocks(requirements_text)
    if "uv" not in blocks:
        raise BootstrapError(
            "bootstrap-requirements.txt pins no uv. Fix: python3 bootstrap.py --upgrade-tools"
        )
    return blocks["uv"]


def script_dependencies(noxfile_text):
    """The `dependencies` of the noxfile's PEP 723 `# /// script` block."""
    match = re.search(r"(?m)^# /// script\s*$(.*?)^# ///\s*$", noxfile_text, re.S)
    if not match:
        return []
    body = "\n".join(
        line[2:] if line.startswith("# ") else line[1:]
        for line in match.group(1).splitlines()
        if line.startswith("#")
    )
    deps = re.search(r"dependencies\s*=\s*\[(.*?)\]", body, re.S)
    return re.findall(r"[\"']([^\"']+)[\"']", deps.group(1)) if deps else []


# --- pip's configuration, for uv -------------------------------------------------------------


def load_pipconf():
    """scripts/install/pipconf.py, loaded by path (no package __init__, no 3.10-only code)."""
    if not os.path.exists(PIPCONF):
        raise BootstrapError("scripts/install/pipconf.py is missing. Fix: a complete clone")
    spec = importlib.util.spec_from_file_location("_bootstrap_pipconf", PIPCONF)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def uv_index(env=None):
    """pip's configuration for uv: (flags for `uv pip compile`, flags for installing the pins,
    extra environment, where they came from). Installing exact hashed pins leaves pip's
    `constraint` files out: uv refuses unpinned constraints in --require-hashes mode, and an
    exact pin is at least as strict (the pins were solved with them)."""
    import dataclasses

    pipconf = load_pipconf()
    cfg = pipconf.read(env)
    for problem in cfg.unreadable:
        say("pip configuration skipped (pip refuses it too): " + problem)
    pinned = pipconf.uv_args(dataclasses.replace(cfg, constraints=()))
    return pipconf.uv_args(cfg), pinned, pipconf.uv_env(cfg), cfg.sources


# --- the phases ------------------------------------------------------------------------------


def run(cmd, what, fix, env=None):
    """Run quietly; on failure one line: what failed, the tool's last words, the fix."""
    proc = quiet(cmd, env=env, cwd=ROOT)
    if proc.returncode != 0:
        lines = [line.strip() for line in proc.stdout.splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()] or lines
        last = errors[-1] if errors else "no output"
        raise BootstrapError(f"{what} failed (exit {proc.returncode}): {last}. Fix: {fix}")
    return proc.stdout


def quiet(cmd, **kwargs):
    """The command's exit status and its output (stdout and stderr together), never raising."""
    return subprocess.run(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False, **kwargs
    )


def ensure_uv(requirements_text):
    """Phase 1: the pinned uv in .tools/uv-VERSION, installed by this Python's pip."""
    version, requirement = pinned_uv(requirements_text)
    home = os.path.join(TOOLS, "uv-" + version)
    exe = os.path.join(home, "bin", "uv.exe" if os.name == "nt" else "uv")
    if os.path.exists(exe):
        return exe
    started = time.monotonic()
    if quiet([sys.executable, "-m", "pip", "--version"]).returncode != 0:
        raise BootstrapError(
            f"no pip for {sys.executable} (Python {platform_version()}): cannot get uv. Fix: "
            "install pip for it (Debian/Ubuntu: apt install python3-pip) or run this with "
            "another python3"
        )
    os.makedirs(TOOLS, exist_ok=True)
    staging = tempfile.mkdtemp(dir=TOOLS, prefix=".uv-")
    try:
        req_file = os.path.join(staging, "uv-requirement.txt")
        with open(req_file, "w") as handle:
            handle.write(requirement + "\n")
        target = os.path.join(staging, "target")
        run(
            [sys.executable, "-m", "pip", "install", *PIP_TARGET_FLAGS, target, "-r", req_file],
            f"pip install uv=={version} (Python {platform_version()} at {sys.executable})",
            "check pip's index settings (pip config list) and the network; offline, put the "
            f"uv {version} wheel in a find-links folder",
        )
        if os.path.exists(home):
            shutil.rmtree(home)
        os.replace(target, home)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    took = time.monotonic() - started
    where = os.path.relpath(home)
    say(f"uv {version} -> {where} (pip of Python {platform_version()}, {took:.1f} s)")
    return exe


def platform_version():
    return "{}.{}.{}".format(*sys.version_info[:3])


def uv_env(extra):
    env = dict(os.environ)
    env.update(extra)
    # a Python uv downloads stays in the project (rm -rf .tools removes it too)
    env.setdefault("UV_PYTHON_INSTALL_DIR", os.path.join(TOOLS, "python"))
    env.pop("VIRTUAL_ENV", None)  # uv pip would target an activated venv
    return env


def python_request():
    """This Python when it is new enough for the tools, else uv's pick of the ones >= 3.10."""
    if sys.version_info >= (3, 10):
        return sys.executable
    return TOOLS_PYTHON


def ensure_venv(uv, requirements_text, index):
    """Phases 2 and 3: the tools venv with exactly the pinned tools; returns its python."""
    key = hashlib.sha256(requirements_text.encode()).hexdigest()
    python = venv_python()
    if stamp_matches(key, python):
        return python
    _, flags, extra_env, sources = index
    env = uv_env(extra_env)
    started = time.monotonic()
    if not runs(python):
        request = python_request()
        run(
            [uv, "venv", "--quiet", "--clear", "--no-project", "--python", request, VENV],
            f"uv venv --python {request}",
            "install Python 3.10 or newer (python.org, Homebrew, pyenv), or let uv download "
            "one: unset UV_PYTHON_DOWNLOADS / UV_OFFLINE",
            env,
        )
        took = time.monotonic() - started
        say(f"tools venv {os.path.relpath(VENV)} with Python {venv_version(python)} ({took:.1f} s)")
        started = time.monotonic()
    run(
        [
            uv,
            "pip",
            "sync",
            "--quiet",
            "--require-hashes",
            "--python",
            python,
            *flags,
            REQUIREMENTS,
        ],
        "uv pip sync bootstrap-requirements.txt",
        "check pip's index settings (pip config list) and the network",
        env,
    )
    count, took = len(requirement_blocks(requirements_text)), time.monotonic() - started
    where = ", ".join(sources) or "uv's defaults"
    say(
        f"{count} pinned tools (nox, py-rattler, uv, ...) -> {os.path.relpath(VENV)} "
        f"(hash-checked; index settings from {where}; {took:.1f} s)"
    )
    write_atomic(STAMP, json.dumps({"requirements_sha256": key}) + "\n")
    return python


def stamp_matches(key, python):
    try:
        with open(STAMP) as handle:
            return json.load(handle).get("requirements_sha256") == key and os.path.exists(python)
    except (OSError, ValueError):
        return False


def runs(python):
    if not os.path.exists(python):
        return False
    try:
        return quiet([python, "-c", ""]).returncode == 0
    except OSError:
        return False


def venv_version(python):
    out = quiet([python, "-c", "import platform; print(platform.python_version())"])
    return out.stdout.strip() or "?"


def upgrade_tools(uv, index):
    """Re-solve the pins: the noxfile's script dependencies plus nox[uv] and uv, for every
    platform (uv's universal resolution), with hashes."""
    with open(NOXFILE) as handle:
        wanted = script_dependencies(handle.read()) + list(EXTRA_TOOLS)
    flags, _, extra_env, _ = index
    staging = tempfile.mkdtemp(dir=TOOLS, prefix=".in-")
    try:
        req_in = os.path.join(staging, "bootstrap-requirements.in")
        solved_file = os.path.join(staging, "bootstrap-requirements.txt")
        with open(req_in, "w") as handle:
            handle.write("\n".join(wanted) + "\n")
        run(
            [uv, "pip", "compile", *COMPILE_FLAGS, *flags, req_in, "-o", solved_file],
            "uv pip compile (the tool pins)",
            "check pip's index settings and the network",
            uv_env(extra_env),
        )
        with open(solved_file) as handle:
            solved = handle.read()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    header = (
        "# The tools `python3 bootstrap.py` installs into .tools/venv: the noxfile's\n"
        f"# `# /// script` dependencies plus {', '.join(EXTRA_TOOLS)}, solved for every platform\n"
        "# with hashes. Regenerate: python3 bootstrap.py --upgrade-tools\n"
    )
    write_atomic(REQUIREMENTS, header + solved)
    return header + solved


# --- starting Python -------------------------------------------------------------------------


def newer_python():
    """A python3.8+ on PATH (for a start under 3.6 / 3.7), checked by running it."""
    tried = []
    for minor in range(14, MIN_START[1] - 1, -1):
        name = f"python3.{minor}"
        exe = shutil.which(name)
        tried.append(name)
        check = [exe, "-c", "import sys; sys.exit(sys.version_info < (3, 8))"]
        if (
            exe
            and subprocess.call(check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0
        ):
            return exe, tried
    return None, tried


def exec_python(python, argv):
    if os.name == "nt":  # no real exec on Windows: run and pass the exit status on
        sys.exit(subprocess.call([python, *argv[1:]]))
    os.execv(python, argv)  # noqa: S606 (no shell: the venv's python, our argv)


def nox_argv(python, args):
    argv = [python, "-m", "nox"]
    in_root = os.path.exists("noxfile.py") and os.path.samefile(os.getcwd(), ROOT)
    if not in_root and not any(
        a in ("-f", "--noxfile") or a.startswith("--noxfile=") for a in args
    ):
        argv += ["--noxfile", NOXFILE]
    return argv + list(args)


def main(argv):
    if sys.version_info < MIN_START:
        exe, tried = newer_python()
        if exe is None:
            raise BootstrapError(
                f"no Python >= 3.8 found: this is {platform_version()} ({sys.executable}), and "
                f"none of {', '.join(tried)} on PATH runs. Fix: install Python 3.10 or newer "
                "(python.org, Homebrew, pyenv)"
            )
        say(f"Python {platform_version()} is too old to start from: re-running with {exe}")
        exec_python(exe, [exe, os.path.abspath(__file__), *argv])
    args = list(argv)
    reinstall = upgrade = False
    while args and args[0] in ("-h", "--help", "--reinstall", "--upgrade-tools"):
        option = args.pop(0)
        if option in ("-h", "--help"):
            print(USAGE, end="")
            return 0
        reinstall = reinstall or option == "--reinstall"
        upgrade = upgrade or option == "--upgrade-tools"
    if reinstall and os.path.isdir(TOOLS):
        shutil.rmtree(TOOLS)
        say("removed " + os.path.relpath(TOOLS))
    try:
        with open(REQUIREMENTS) as handle:
            requirements_text = handle.read()
    except OSError as err:
        raise BootstrapError(
            f"cannot read {REQUIREMENTS}: {err.strerror}. Fix: a complete clone"
        ) from None
    if not upgrade and stamp_matches(
        hashlib.sha256(requirements_text.encode()).hexdigest(), venv_python()
    ):  # the no-op re-run: nothing but this file read and hashed
        exec_python(venv_python(), nox_argv(venv_python(), args))
    index = uv_index()
    uv = ensure_uv(requirements_text)
    if upgrade:
        requirements_text = upgrade_tools(uv, index)
        say("bootstrap-requirements.txt re-solved")
        uv = ensure_uv(requirements_text)
        if not args:
            return 0
    python = ensure_venv(uv, requirements_text, index)
    say("nox " + " ".join(args))
    exec_python(python, nox_argv(python, args))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BootstrapError as err:
        print(PREFIX + str(err), file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
