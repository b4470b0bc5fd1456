"""Fall through instead of stopping (issue 11, item 1).

A channel that refuses, never answers or answers 503 (real local servers) makes the py-rattler
backend fail; the installer says so in one line and builds the environment with uv from local
wheels instead, records that in the stamp, and a second run (what `nox -s verify` does) reuses it
without trying py-rattler again. `--backend rattler` pins it: the same failure is then the one-line
error, and nothing is left behind.

classify() is checked on the texts py-rattler 0.28, uv 0.13 and pip 25 really printed here against
such servers (the probes are the fixtures below; the texts were copied from their output), and on
conda / libmamba texts quoted from public reports (cited in scripts/install/failures.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_install_uv import write_wheel

from scripts.install import pipconf
from scripts.install.backends import available_backends, backend_chain
from scripts.install.cli import install, remembered_argv
from scripts.install.errors import InstallError
from scripts.install.execute import run_streaming
from scripts.install.failures import classify
from scripts.install.state import STAMP_NAME, read_stamp
from scripts.install.target import Target

ROOT = Path(__file__).resolve().parent.parent
UV = available_backends().get("uv")
rattler = pytest.importorskip("rattler")

# --- classify(): real texts -------------------------------------------------------------------

RATTLER_REFUSED = """GatewayError: Request failed after 3 retries
Caused by: error sending request for url (http://127.0.0.1:58533/conda-forge/linux-64/repodata_shards.msgpack.zst)
Caused by: client error (Connect)
Caused by: tcp connect error
Caused by: Connection refused (os error 111)"""
RATTLER_TIMEOUT = """GatewayError: Request failed after 3 retries
Caused by: error sending request for url (http://127.0.0.1:43379/conda-forge/noarch/repodata_shards.msgpack.zst)
Caused by: operation timed out"""
RATTLER_503 = (
    "GatewayError: HTTP status server error (503 Service Unavailable) for url "
    "(http://127.0.0.1:48211/conda-forge/noarch/repodata_shards.msgpack.zst)"
)
RATTLER_TLS = """GatewayError: Request failed after 3 retries
Caused by: error sending request for url (https://127.0.0.1:52283/conda-forge/linux-64/repodata_shards.msgpack.zst)
Caused by: client error (Connect)
Caused by: received corrupt message of type InvalidContentType"""
RATTLER_PROXY = """GatewayError: Request failed after 3 retries
Caused by: error sending request for url (https://conda.anaconda.org/conda-forge/noarch/repodata_shards.msgpack.zst)
Caused by: client error (Connect)
Caused by: tunnel error: unsuccessful"""
UV_REFUSED = """Using Python 3.11.7 environment at: /work/devenv
error: Request failed after 3 retries in 7.8s
  cause: Failed to fetch: http://127.0.0.1:57087/simple/tiny-nothing/
  cause: error sending request for url (http://127.0.0.1:57087/simple/tiny-nothing/)
  cause: client error (Connect)
  cause: tcp connect error
  cause: Connection refused (os error 111)"""
UV_TIMEOUT = """error: Request failed after 3 retries in 18.0s
  cause: Failed to fetch: http://127.0.0.1:39459/simple/tiny-nothing/
  cause: error sending request for url (http://127.0.0.1:39459/simple/tiny-nothing/)
  cause: operation timed out"""
UV_503 = """error: Request failed after 3 retries in 4.9s
  cause: Failed to fetch: http://127.0.0.1:54353/simple/tiny-nothing/
  cause: HTTP status server error (503 Service Unavailable) for url (http://127.0.0.1:54353/simple/tiny-nothing/)"""
UV_PROXY = """error: Request failed after 3 retries in 10.3s
  cause: Failed to fetch: https://pypi.org/simple/tiny-nothing/
  cause: error sending request for url (https://pypi.org/simple/tiny-nothing/)
  cause: client error (Connect)
  cause: tunnel error: unsuccessful"""
PIP_REFUSED = """Looking in indexes: http://127.0.0.1:39083/simple
WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPConnection object at 0x7fd9afd48710>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/tiny-nothing/
ERROR: Could not find a version that satisfies the requirement tiny-nothing (from versions: none)
ERROR: No matching distribution found for tiny-nothing"""  # noqa: E501
PIP_TIMEOUT = """Looking in indexes: http://127.0.0.1:44871/simple
WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError("HTTPConnectionPool(host='127.0.0.1', port=44871): Read timed out. (read timeout=3.0)")': /simple/tiny-nothing/
ERROR: No matching distribution found for tiny-nothing"""  # noqa: E501
PIP_TLS = """Could not fetch URL https://127.0.0.1:37945/simple/tiny-nothing/: There was a problem confirming the ssl certificate: HTTPSConnectionPool(host='127.0.0.1', port=37945): Max retries exceeded with url: /simple/tiny-nothing/ (Caused by SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)'))) - skipping
ERROR: No matching distribution found for tiny-nothing"""  # noqa: E501
PIP_PROXY = """WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ProxyError('Cannot connect to proxy.', OSError('Tunnel connection failed: 403 Forbidden'))': /simple/tiny-nothing/
ERROR: No matching distribution found for tiny-nothing"""  # noqa: E501
# github.com/conda/conda/issues/11272
CONDA_HTTP_000 = """Collecting package metadata (current_repodata.json): failed

CondaHTTPError: HTTP 000 CONNECTION FAILED for url <https://conda.anaconda.org/conda-forge/osx-64/current_repodata.json>
Elapsed: -

An HTTP error occurred when trying to retrieve this URL.
HTTP errors are often intermittent, and a simple retry will get you on your way.
'https://conda.anaconda.org/conda-forge/osx-64'"""
# github.com/conda/conda/issues/13866
CONDA_DNS = """Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NameResolutionError("<urllib3.connection.HTTPSConnection object at 0x7f99d46146e0>: Failed to resolve 'conda.anaconda.org' ([Errno -2] Name or service not known)")': /conda-forge/noarch/repodata.json.zst

failed

CondaHTTPError: HTTP 000 CONNECTION FAILED for url <https://conda.anaconda.org/conda-forge/linux-64/repodata.json>"""  # noqa: E501
# github.com/mamba-org/mamba/issues/3454
MAMBA_TIMEOUT = (
    "critical libmamba Download error (28) Timeout was reached "
    "[https://conda.anaconda.org/conda-forge/win-64/cmake-3.29.6-h400e5d1_0.conda]"
)
# github.com/mamba-org/mamba/issues/3536 (title)
MAMBA_DNS = (
    "critical libmamba Multiple errors occured: Download error (6) Couldn't resolve host name"
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (RATTLER_REFUSED, "connection refused"),
        (RATTLER_TIMEOUT, "timed out"),
        (RATTLER_503, "HTTP 503"),
        (RATTLER_TLS, "TLS failed"),
        (RATTLER_PROXY, "proxy refused the connection"),
        (UV_REFUSED, "connection refused"),
        (UV_TIMEOUT, "timed out"),
        (UV_503, "HTTP 503"),
        (UV_PROXY, "proxy refused the connection"),
        (PIP_REFUSED, "connection refused"),
        (PIP_TIMEOUT, "timed out"),
        (PIP_TLS, "TLS failed"),
        (PIP_PROXY, "proxy refused the connection"),
        (CONDA_HTTP_000, "no connection"),
        (CONDA_DNS, "DNS lookup failed"),
        (MAMBA_TIMEOUT, "timed out"),
        (MAMBA_DNS, "DNS lookup failed"),
    ],
)
def test_unreachable_sources_are_classified_with_the_reason(text, reason):
    failure = classify(text)
    assert (failure.kind, failure.reason) == ("unreachable", reason)
    assert failure.falls_through


def test_the_url_of_an_unreachable_source_is_kept():
    assert classify(RATTLER_503).url == (
        "http://127.0.0.1:48211/conda-forge/noarch/repodata_shards.msgpack.zst"
    )
    assert classify(CONDA_HTTP_000).url.startswith("https://conda.anaconda.org/conda-forge/osx-64")


# py-rattler 0.28's SolverError (tests/test_install.py), then uv 0.13 and pip 25 on this box
RATTLER_UNKNOWN = (
    "SolverError: Cannot solve the request because of: No candidates were found for numpyy *."
)
UV_UNSAT = """error: No solution found when resolving dependencies
  cause: Because there is no version of torch==9.9 and you require torch==9.9, we can conclude that your requirements are unsatisfiable."""  # noqa: E501
PIP_UNKNOWN = """ERROR: Could not find a version that satisfies the requirement tiny-nothing (from versions: none)
ERROR: No matching distribution found for tiny-nothing"""  # noqa: E501
UV_HASH = """error: Failed to download `tiny-hash==1.0`
  cause: Hash mismatch for `tiny-hash==1.0`

         Expected:
           sha256:0000000000000000000000000000000000000000000000000000000000000000"""
# libmamba's "nothing provides requested" (the phrase cited in scripts/install/failures.py)
MAMBA_UNKNOWN = "  - nothing provides requested pytorch 9.9**"


@pytest.mark.parametrize(
    ("text", "kind", "package"),
    [
        (RATTLER_UNKNOWN, "unsolvable", "numpyy"),
        (UV_UNSAT, "unsolvable", None),
        (PIP_UNKNOWN, "unsolvable", "tiny-nothing"),
        (MAMBA_UNKNOWN, "unsolvable", "pytorch"),
        (UV_HASH, "other", None),  # a download that arrived wrong is never tried elsewhere
        ("TransactionError: No space left on device (os error 28)", "other", None),
    ],
)
def test_solve_failures_and_others(text, kind, package):
    failure = classify(text)
    assert (failure.kind, failure.package) == (kind, package)
    assert failure.falls_through == (kind == "unsolvable")


# --- the chain --------------------------------------------------------------------------------

ALL = {
    "conda": "/c",
    "mamba": "/m",
    "micromamba": "/mm",
    "rattler": "py-rattler",
    "uv": "/uv",
    "virtualenv": "/py",
    "venv": "/py",
}


def test_chain_is_one_step_per_kind_of_source():
    assert backend_chain(None, ALL) == ("conda", "rattler", "uv", "virtualenv")
    assert backend_chain(None, {"micromamba": "/mm", "venv": "/py"}) == ("micromamba", "venv")


def test_pinned_backend_is_the_whole_chain():
    assert backend_chain("rattler", ALL) == ("rattler",)
    with pytest.raises(InstallError, match="'uv' was asked for"):
        backend_chain("uv", {"rattler": "py-rattler"})


def test_an_existing_environment_starts_the_chain_at_its_backend():
    assert backend_chain(None, ALL, kept="uv") == ("uv", "virtualenv")
    assert backend_chain(None, ALL, kept="mamba") == ("mamba", "rattler", "uv", "virtualenv")


# --- for real: local servers as the channel, local wheels for uv -------------------------------


def _refused_url() -> str:
    with socket.socket() as s:  # bound then closed: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/conda-forge"


@pytest.fixture
def silent_url():
    """A server that accepts connections and never answers (a request times out)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except (TimeoutError, OSError):
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/conda-forge"
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def status_503_url(httpserver):
    import re

    httpserver.expect_request(re.compile(".*")).respond_with_data("busy", status=503)
    return httpserver.url_for("/conda-forge")


@pytest.fixture
def project(tmp_path):
    """environment.yml naming `channel` (filled in by the test), local wheels for uv."""
    wheels = tmp_path / "wheels"
    write_wheel(wheels, "tiny-mps-probe", "1.0", "ANSWER = 42\n")
    cfg = pipconf.read(env={"PIP_FIND_LINKS": str(wheels), "PIP_NO_INDEX": "1"}, files=[])
    uv_env = {"UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_NO_CONFIG": "1"}

    def run(argv_extra, channel, **kw):
        (tmp_path / "environment.yml").write_text(
            f"channels:\n  - {channel}\ndependencies:\n"
            f"  - python >={sys.version_info.major}.{sys.version_info.minor}\n"
            "  - tiny-mps-probe >=1\n"
        )
        log: list[str] = []
        argv = ["--file", str(tmp_path / "environment.yml"), "--prefix", str(tmp_path / "env")]
        outcome = install(
            [*argv, *argv_extra],
            out=log.append,
            available={"rattler": "py-rattler", **({"uv": UV} if UV else {})},
            target=Target(),
            pip_config=cfg,
            cache_dir=tmp_path / "rattler-cache",
            run_command=lambda cmd, extra: run_streaming(cmd, {**extra, **uv_env}),
            network_timeout_s=1,
            **kw,
        )
        return outcome, log

    return run


needs_uv = pytest.mark.skipif(UV is None, reason="uv not installed")


@needs_uv
@pytest.mark.parametrize(
    ("server", "reason"),
    [("refused", "connection refused"), ("silent", "timed out"), ("503", "HTTP 503")],
)
def test_unreachable_channel_falls_through_to_uv(server, reason, project, tmp_path, request, capfd):
    channel = {
        "refused": _refused_url,
        "silent": lambda: request.getfixturevalue("silent_url"),
        "503": lambda: request.getfixturevalue("status_503_url"),
    }[server]()
    outcome, log = project([], channel)

    assert outcome.plan.backend == "uv" and outcome.plan.action == "create"
    said = [line for line in log if line.startswith("rattler failed:")]
    assert len(said) == 1, log
    assert f"({reason}); using uv instead" in said[0] and channel in said[0]
    python = tmp_path / "env/bin/python"
    answer = subprocess.run(
        [str(python), "-c", "import tiny_mps_probe; print(tiny_mps_probe.ANSWER)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert answer.stdout.strip() == "42"

    stamp = read_stamp(tmp_path / "env")
    assert stamp["backend"] == "uv"
    assert [(f["backend"], f["kind"]) for f in stamp["fell_through"]] == [
        ("rattler", "unreachable")
    ]
    assert reason in stamp["fell_through"][0]["reason"]

    # what `nox -s verify` does next: install with the remembered options -> nothing to do, and
    # py-rattler is not tried again (the server would make it fail and say so)
    again, log2 = project(remembered_argv(tmp_path / "env"), channel)
    assert (again.plan.backend, again.plan.action) == ("uv", "noop")
    assert not [line for line in log2 if "rattler failed" in line]
    assert any(
        "kept from the existing environment" in ln and "skipped: rattler" in ln for ln in log2
    )


def test_pinned_backend_fails_in_one_line_and_leaves_nothing(project, tmp_path):
    channel = _refused_url()
    with pytest.raises(InstallError) as info:
        project(["--backend", "rattler"], channel)
    line = info.value.one_line()
    assert "\n" not in line and line.startswith(f"cannot reach {channel}")
    assert "(connection refused)" in line and "Fix:" in line
    assert info.value.kind == "unreachable"
    assert not (tmp_path / "env").exists()


@needs_uv
def test_every_backend_failing_names_each(project, tmp_path):
    """The end of the chain: py-rattler cannot reach its channel, uv cannot find the package."""
    wheels_gone = tmp_path / "wheels"
    for wheel in wheels_gone.iterdir():
        wheel.unlink()
    with pytest.raises(InstallError) as info:
        project([], _refused_url())
    line = info.value.one_line()
    assert line.startswith("no backend could install: rattler: cannot reach ")
    assert "; uv: package 'tiny-mps-probe' (environment.yml:" in line
    assert not (tmp_path / "env").exists()


def test_pinned_backend_from_the_command_line_exits_1_with_one_line(tmp_path):
    channel = _refused_url()
    (tmp_path / "environment.yml").write_text(
        f"channels:\n  - {channel}\ndependencies:\n  - python\n"
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.install.cli",
            "--backend",
            "rattler",
            "--file",
            str(tmp_path / "environment.yml"),
            "--prefix",
            str(tmp_path / "env"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "RATTLER_CACHE_DIR": str(tmp_path / "c")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"error: cannot reach {channel}")
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "c") == before
    assert not (tmp_path / "env" / STAMP_NAME).exists()
