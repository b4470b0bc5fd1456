"""pip's index configuration -> the equivalent uv arguments.

uv does not read pip's configuration files or PIP_* variables, so a user whose pip is set up for a
mirror, a local find-links directory or a constraints file would silently get different packages
from uv. This module reads the same sources pip reads, in pip's precedence, and turns the index
settings into uv flags.

Precedence mirrors pip/_internal/configuration.py (pip 24): files load in the order
global < user < site < PIP_CONFIG_FILE, later files overriding earlier ones; within that, the
`[global]` section is overridden by `[install]`; PIP_* environment variables override all files.
PIP_CONFIG_FILE=os.devnull disables every file. List options (extra-index-url, find-links,
constraint, trusted-host) are whitespace-separated and a later source replaces, never appends.

bootstrap.py loads this file by path under whatever Python starts it (3.8 and up): keep it
stdlib-only and 3.8-compatible (tests/test_bootstrap.py runs it under the oldest one present).
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

LIST_KEYS = ("extra-index-url", "find-links", "constraint", "trusted-host")
SINGLE_KEYS = ("index-url", "no-index", "cert")
KEYS = (*SINGLE_KEYS, *LIST_KEYS)


@dataclass(frozen=True)
class PipIndexConfig:
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    trusted_hosts: tuple[str, ...] = ()
    no_index: bool = False
    cert: str | None = None
    sources: tuple[str, ...] = field(default=(), compare=False)  # where settings came from
    # files pip would refuse ("path: reason"): skipped here, so say so rather than ignore them
    unreadable: tuple[str, ...] = field(default=(), compare=False)


def config_files(
    env: Mapping[str, str],
    *,
    home: Path,
    sys_prefix: Path,
    platform: str = sys.platform,
) -> list[Path]:
    """pip's configuration files, lowest precedence first (existing or not)."""
    pip_config_file = env.get("PIP_CONFIG_FILE")
    if pip_config_file == os.devnull:
        return []
    if platform == "darwin":
        global_files = [Path("/Library/Application Support/pip/pip.conf")]
        app_support = home / "Library" / "Application Support" / "pip"
        new_user = app_support if app_support.is_dir() else home / ".config" / "pip"
    elif platform == "win32":
        program_data = Path(env.get("PROGRAMDATA", "C:\\ProgramData"))
        global_files = [program_data / "pip" / "pip.ini"]
        new_user = Path(env.get("APPDATA", home / "AppData" / "Roaming")) / "pip"
    else:
        xdg_dirs = env.get("XDG_CONFIG_DIRS") or "/etc/xdg"
        global_files = [Path(d) / "pip" / "pip.conf" for d in xdg_dirs.split(os.pathsep) if d]
        global_files.append(Path("/etc/pip.conf"))
        new_user = Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "pip"
    basename = "pip.ini" if platform == "win32" else "pip.conf"
    legacy_user = home / ("pip" if platform == "win32" else ".pip") / basename
    files = list(global_files)
    # pip skips user files when PIP_CONFIG_FILE names an existing file
    if not (pip_config_file and Path(pip_config_file).exists()):
        files += [legacy_user, new_user / basename]
    files.append(sys_prefix / basename)
    if pip_config_file:
        files.append(Path(pip_config_file))
    return files


def _read_file(path: Path) -> dict[str, dict[str, str]] | str:
    """The file's sections, or why it cannot be read (pip itself refuses such a file)."""
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as err:
        lines = str(err).strip().splitlines()
        return lines[0] if lines else type(err).__name__
    except UnicodeDecodeError:
        return "not UTF-8 text"
    return {
        section: {key.replace("_", "-"): value for key, value in parser.items(section)}
        for section in parser.sections()
    }


def read(
    env: Mapping[str, str] | None = None,
    files: list[Path] | None = None,
) -> PipIndexConfig:
    """The effective index configuration pip's `install` command would use."""
    env = os.environ if env is None else env
    if files is None:
        files = config_files(env, home=Path.home(), sys_prefix=Path(sys.prefix))
    merged: dict[str, dict[str, tuple[str, str]]] = {"global": {}, "install": {}}
    unreadable: list[str] = []
    for path in files:
        if not path.is_file():
            continue
        content = _read_file(path)
        if isinstance(content, str):
            unreadable.append(f"{path}: {content}")
            continue
        for section, items in content.items():
            if section in merged:
                for key, value in items.items():
                    merged[section][key] = (value, f"{path} [{section}]")
    values: dict[str, tuple[str, str]] = {**merged["global"], **merged["install"]}
    for name, value in env.items():
        if name.startswith("PIP_"):
            values[name[4:].lower().replace("_", "-")] = (value, f"${name}")

    def single(key: str) -> str | None:
        return values[key][0].strip() if key in values else None

    def many(key: str) -> tuple[str, ...]:
        return tuple(values[key][0].split()) if key in values else ()

    no_index = (single("no-index") or "").lower() in {"1", "true", "yes", "on"}
    return PipIndexConfig(
        index_url=single("index-url") or None,
        extra_index_urls=many("extra-index-url"),
        find_links=many("find-links"),
        constraints=many("constraint"),
        trusted_hosts=many("trusted-host"),
        no_index=no_index,
        cert=single("cert") or None,
        sources=tuple(sorted({values[k][1] for k in KEYS if k in values})),
        unreadable=tuple(unreadable),
    )


def uv_args(cfg: PipIndexConfig) -> list[str]:
    """`uv pip install` flags that make uv see the packages pip would see.

    pip picks the best version across all its indexes; uv by default stops at the first index that
    has the package. With more than one source we ask uv for pip's behaviour
    (`--index-strategy unsafe-best-match`). uv gives `--index` priority in the order given, like
    pip's extra-index-url list, and `--default-index` is pip's index-url.
    """
    args: list[str] = []
    if cfg.no_index:
        args.append("--no-index")
    elif cfg.index_url:
        args += _option("--default-index", cfg.index_url)
    if not cfg.no_index:
        for url in cfg.extra_index_urls:
            args += _option("--index", url)
    for link in cfg.find_links:
        args += _option("--find-links", link)
    for constraint in cfg.constraints:
        args += _option("--constraints", constraint)
    for host in cfg.trusted_hosts:
        args += _option("--allow-insecure-host", host)
    if cfg.extra_index_urls or cfg.find_links:
        args += ["--index-strategy", "unsafe-best-match"]
    return args


def _option(flag: str, value: str) -> list[str]:
    """`flag value`; `flag=value` when the value starts with `-`, which uv would read as a flag
    (a config value such as `index-url = --` must stay the option's value)."""
    return [f"{flag}={value}"] if value.startswith("-") else [flag, value]


def uv_env(cfg: PipIndexConfig) -> dict[str, str]:
    """Environment for uv: pip's `cert` is a CA bundle, which uv reads from SSL_CERT_FILE."""
    return {"SSL_CERT_FILE": cfg.cert} if cfg.cert else {}
