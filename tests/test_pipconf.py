"""pip's index configuration (files + PIP_* variables) handed on to uv as flags."""

from __future__ import annotations

import os
from pathlib import Path

from scripts.install import pipconf


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_config_file_order_linux_mirrors_pip(tmp_path):
    home = tmp_path / "home"
    files = pipconf.config_files(
        {"XDG_CONFIG_DIRS": "/a:/b"}, home=home, sys_prefix=tmp_path / "venv", platform="linux"
    )
    assert files == [
        Path("/a/pip/pip.conf"),
        Path("/b/pip/pip.conf"),
        Path("/etc/pip.conf"),
        home / ".pip/pip.conf",
        home / ".config/pip/pip.conf",
        tmp_path / "venv/pip.conf",
    ]


def test_config_file_order_macos_uses_application_support_when_present(tmp_path):
    home = tmp_path / "home"
    assert pipconf.config_files({}, home=home, sys_prefix=tmp_path, platform="darwin")[2] == (
        home / ".config/pip/pip.conf"
    )
    (home / "Library/Application Support/pip").mkdir(parents=True)
    files = pipconf.config_files({}, home=home, sys_prefix=tmp_path, platform="darwin")
    assert files[0] == Path("/Library/Application Support/pip/pip.conf")
    assert files[2] == home / "Library/Application Support/pip/pip.conf"


def test_pip_config_file_devnull_disables_all_files(tmp_path):
    assert (
        pipconf.config_files({"PIP_CONFIG_FILE": os.devnull}, home=tmp_path, sys_prefix=tmp_path)
        == []
    )


def test_existing_pip_config_file_replaces_user_files_and_comes_last(tmp_path):
    env_file = write(tmp_path / "custom.conf", "[global]\n")
    files = pipconf.config_files(
        {"PIP_CONFIG_FILE": str(env_file)},
        home=tmp_path / "h",
        sys_prefix=tmp_path / "v",
        platform="linux",
    )
    assert files[-1] == env_file
    assert not any(".pip" in str(f) or ".config" in str(f) for f in files)


def test_this_machines_layout_global_user_and_env(tmp_path):
    """The shape of this build machine's pip setup (see `pip config list -v`): a constraint in a
    global file, find-links + two file:// extra indexes in the user file, PIP_FIND_LINKS set."""
    glob = write(
        tmp_path / "etc/xdg/pip/pip.conf", "[global]\nconstraint = /etc/xdg/pip/constraints.txt\n"
    )
    user = write(
        tmp_path / "home/.config/pip/pip.conf",
        "[global]\nfind-links = /opt/wheels\n"
        "extra-index-url = file:///opt/pypi/simple file:///opt/pypi-more/simple\n",
    )
    cfg = pipconf.read(
        env={"PIP_FIND_LINKS": "/opt/wheels", "PIP_CERT": "/etc/ssl/ca.crt"}, files=[glob, user]
    )
    assert cfg.constraints == ("/etc/xdg/pip/constraints.txt",)
    assert cfg.find_links == ("/opt/wheels",)
    assert cfg.extra_index_urls == ("file:///opt/pypi/simple", "file:///opt/pypi-more/simple")
    assert pipconf.uv_args(cfg) == [
        "--index", "file:///opt/pypi/simple",
        "--index", "file:///opt/pypi-more/simple",
        "--find-links", "/opt/wheels",
        "--constraints", "/etc/xdg/pip/constraints.txt",
        "--index-strategy", "unsafe-best-match",
    ]  # fmt: skip
    assert pipconf.uv_env(cfg) == {"SSL_CERT_FILE": "/etc/ssl/ca.crt"}
    assert set(cfg.sources) == {
        f"{glob} [global]",
        f"{user} [global]",
        "$PIP_FIND_LINKS",
        "$PIP_CERT",
    }


def test_precedence_install_section_over_global_and_env_over_files(tmp_path):
    low = write(
        tmp_path / "a.conf", "[global]\nindex-url = https://low/simple\ntrusted-host = low\n"
    )
    high = write(
        tmp_path / "b.conf",
        "[global]\nindex-url = https://mid/simple\n[install]\nindex_url = https://install/simple\n"
        "[freeze]\nindex-url = https://ignored/simple\n",
    )
    cfg = pipconf.read(env={}, files=[low, high])
    assert cfg.index_url == "https://install/simple"  # [install] beats [global]; underscores ok
    assert cfg.trusted_hosts == ("low",)
    cfg = pipconf.read(env={"PIP_INDEX_URL": "https://env/simple"}, files=[low, high])
    assert cfg.index_url == "https://env/simple"
    assert pipconf.uv_args(cfg)[:2] == ["--default-index", "https://env/simple"]
    assert pipconf.uv_args(cfg)[-2:] == ["--allow-insecure-host", "low"]


def test_later_source_replaces_list_values(tmp_path):
    f = write(
        tmp_path / "p.conf", "[global]\nextra-index-url = https://a/simple https://b/simple\n"
    )
    cfg = pipconf.read(env={"PIP_EXTRA_INDEX_URL": "https://c/simple"}, files=[f])
    assert cfg.extra_index_urls == ("https://c/simple",)


def test_no_index_drops_indexes_but_keeps_find_links(tmp_path):
    f = write(
        tmp_path / "p.conf", "[global]\nextra-index-url = https://a/simple\nfind-links = /w\n"
    )
    cfg = pipconf.read(env={"PIP_NO_INDEX": "yes"}, files=[f])
    args = pipconf.uv_args(cfg)
    assert args[0] == "--no-index" and "--index" not in args and ["--find-links", "/w"] == args[1:3]


def test_nothing_configured_gives_no_flags(tmp_path):
    cfg = pipconf.read(env={"HOME": "/x"}, files=[tmp_path / "missing.conf"])
    assert pipconf.uv_args(cfg) == [] and pipconf.uv_env(cfg) == {}


def test_unparsable_file_is_skipped(tmp_path):
    bad = write(tmp_path / "bad.conf", "index-url = no section header\n")
    good = write(tmp_path / "good.conf", "[global]\nfind-links = /w\n")
    assert pipconf.read(env={}, files=[bad, good]).find_links == ("/w",)
