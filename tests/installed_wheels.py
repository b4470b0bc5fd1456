"""Wheels rebuilt from distributions installed in the running interpreter: an offline wheelhouse.

Tests may not reach an index, yet the bootstrap's job is to install uv, nox and py-rattler from
wheels. Every file of an installed distribution is listed in its RECORD (the wheel spec's
"RECORD" and "installing a wheel" sections), so the wheel can be put back together: files under
site-packages keep their path, files the installer placed in bin/ go back to
`NAME-VERSION.data/scripts/` (except console-script launchers, which an installer regenerates
from entry_points.txt), the WHEEL file keeps the original tags, and RECORD is written anew.
The result installs with the real pip and uv exactly as the downloaded wheel would.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.metadata
import io
import zipfile
from pathlib import Path

_SKIP_META = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json", "uv_cache.json"}


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _wheel_tag(wheel_text: str) -> str:
    tags = [
        line.split(":", 1)[1].strip() for line in wheel_text.splitlines() if line.startswith("Tag:")
    ]
    parts = [sorted({tag.split("-")[i] for tag in tags}) for i in range(3)]
    return "-".join(".".join(p) for p in parts)


def repack(name: str, dest: Path) -> Path:
    """Write the wheel of the installed distribution `name` into `dest`; return its path."""
    dist = importlib.metadata.distribution(name)
    dist_info = Path(dist._path)  # type: ignore[attr-defined]  # PathDistribution's folder
    site = dist_info.parent
    project = dist.metadata["Name"].replace("-", "_").replace(".", "_")
    version = dist.version
    data_dir = f"{project}-{version}.data"
    launchers = {
        ep.name for ep in dist.entry_points if ep.group in ("console_scripts", "gui_scripts")
    }
    entries: list[tuple[str, Path]] = []
    for row in csv.reader(io.StringIO((dist_info / "RECORD").read_text())):
        rel = row[0]
        source = (site / rel).resolve()
        if "__pycache__" in rel or rel.endswith(".pyc") or not source.is_file():
            continue
        if rel.startswith(".."):  # outside site-packages: a script in the environment's bin/
            if Path(rel).parent.name not in ("bin", "Scripts") or Path(rel).name in launchers:
                continue
            arcname = f"{data_dir}/scripts/{Path(rel).name}"
        elif Path(rel).parent.name == dist_info.name and Path(rel).name in _SKIP_META:
            continue
        else:
            arcname = rel
        entries.append((arcname, source))
    tag = _wheel_tag((dist_info / "WHEEL").read_text())
    wheel = dest / f"{project}-{version}-{tag}.whl"
    record = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        for arcname, source in entries:
            data = source.read_bytes()
            info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (source.stat().st_mode & 0o777 | 0o100000) << 16
            archive.writestr(info, data)
            record.append(f"{arcname},sha256={_digest(data)},{len(data)}")
        record_name = f"{dist_info.name}/RECORD"
        record.append(f"{record_name},,")
        archive.writestr(record_name, "\n".join(record) + "\n")
    return wheel
