"""A small client for PyPI's JSON API (https://docs.pypi.org/api/json/): requests with
timeouts and retries, and errors that read as one line.

The base URL is configurable (``--index-url`` or the ``TORCH_MPS_PYPI_URL`` environment
variable) so tests point it at a local pytest-httpserver; tests never use the network.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from verify import atomic
from verify.cliargs import non_negative_int, positive_float

DEFAULT_BASE_URL = "https://pypi.org/pypi"
BASE_URL_ENV = "TORCH_MPS_PYPI_URL"
# (connect, read) seconds: PyPI answers the torch JSON (about 1 MB) in well under a second.
DEFAULT_TIMEOUT = (10.0, 60.0)
DEFAULT_RETRIES = 3
CHUNK = 1 << 20

EXIT_ERROR = 2


class PyPIError(Exception):
    """A download or API failure, worded as the one line the user sees (exit code 2)."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status when the server answered with an error


def base_url(explicit: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The JSON API root: the explicit value, else $TORCH_MPS_PYPI_URL, else pypi.org."""
    env = os.environ if environ is None else environ
    return (explicit or env.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def add_client_options(parser: argparse.ArgumentParser) -> None:
    """The options every PyPI-reading script takes: --index-url, --timeout, --retries."""
    parser.add_argument(
        "--index-url",
        help=f"PyPI JSON API root (default ${BASE_URL_ENV} or {DEFAULT_BASE_URL})",
    )
    parser.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT[1],
        help="read timeout per request, seconds",
    )
    parser.add_argument(
        "--retries",
        type=non_negative_int,
        default=DEFAULT_RETRIES,
        help="retries on 5xx / connection errors",
    )


def client_from(args: argparse.Namespace, *, backoff: float = 0.5) -> PyPIClient:
    """The client add_client_options' parsed options ask for."""
    return PyPIClient(
        base=base_url(args.index_url),
        timeout=(DEFAULT_TIMEOUT[0], args.timeout),
        retries=args.retries,
        backoff=backoff,
    )


def write_document(tool: str, path: os.PathLike[str] | str, text: str) -> bool:
    """Write a refresh script's document atomically; on failure one line on stderr and False
    (a folder, a read-only place: the old file stays as it was)."""
    try:
        atomic.write_text(path, text)
    except OSError as exc:
        print(f"{tool}: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


@dataclass
class PyPIClient:
    """Fetch JSON documents and stream files, with retries on 5xx and connection errors."""

    base: str = DEFAULT_BASE_URL
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 0.5
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.base = self.base.rstrip("/")
        retry = Retry(
            total=self.retries,
            connect=self.retries,
            read=0,  # a read timeout is not retried: it already cost the full timeout
            status=self.retries,
            backoff_factor=self.backoff,
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.setdefault("User-Agent", "torch-mps-kit-scripts")

    def project_url(self, project: str, version: str | None = None) -> str:
        return f"{self.base}/{project}/{version}/json" if version else f"{self.base}/{project}/json"

    def get_json(self, url: str) -> dict[str, Any]:
        """GET ``url`` and decode a JSON object, or raise PyPIError with one line."""
        response = self._get(url, stream=False)
        try:
            data = json.loads(response.content)
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise PyPIError(f"malformed JSON from {url}: {reason}") from None
        if not isinstance(data, dict):
            raise PyPIError(f"malformed JSON from {url}: expected an object")
        return data

    def get_text(self, url: str) -> str:
        """GET ``url`` as text (UTF-8), or raise PyPIError with one line."""
        response = self._get(url, stream=False)
        try:
            return response.content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PyPIError(f"{url} is not UTF-8 text: {exc.reason}") from None

    def project(self, project: str, version: str | None = None) -> dict[str, Any]:
        return self.get_json(self.project_url(project, version))

    def stream_sha256(
        self,
        url: str,
        on_progress: Callable[[int, int | None], None] | None = None,
    ) -> tuple[str, int]:
        """Stream ``url`` through sha256 without keeping it; return (hexdigest, size).

        ``on_progress(done_bytes, total_bytes_or_None)`` is called after each chunk.
        """
        digest = hashlib.sha256()
        size = 0
        response = self._get(url, stream=True)
        length = response.headers.get("Content-Length", "")
        total = int(length) if length.isdigit() else None  # absent or garbled: unknown size
        try:
            for chunk in _chunks(response, url):
                digest.update(chunk)
                size += len(chunk)
                if on_progress is not None:
                    on_progress(size, total)
        finally:
            response.close()
        if on_progress is not None and total != size:
            on_progress(size, size)  # no (or a wrong) Content-Length: say it is complete
        return digest.hexdigest(), size

    def get_range(self, url: str, start: int, end: int) -> bytes:
        """Bytes ``start..end`` (inclusive) of ``url`` through an HTTP Range request."""
        response = self._get(
            url, stream=False, headers={"Range": f"bytes={start}-{end}"}, ok=(206,)
        )
        return response.content

    def size(self, url: str) -> int:
        """The size of ``url`` in bytes, from a one-byte Range request's Content-Range."""
        response = self._get(url, stream=False, headers={"Range": "bytes=0-0"}, ok=(206,))
        content_range = response.headers.get("Content-Range", "")
        total = content_range.rpartition("/")[2]
        if not total.isdigit():
            raise PyPIError(f"{url} answered a Range request without a usable Content-Range")
        return int(total)

    def _get(
        self,
        url: str,
        *,
        stream: bool,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> requests.Response:
        try:
            response = self.session.get(url, timeout=self.timeout, stream=stream, headers=headers)
        except requests.exceptions.Timeout:
            raise PyPIError(f"timed out after {self.timeout[1]:g}s fetching {url}") from None
        except requests.exceptions.RetryError as exc:
            raise PyPIError(
                f"gave up on {url} after {self.retries} retries: {_reason(exc)}"
            ) from None
        except requests.exceptions.RequestException as exc:
            if _timed_out(exc):
                raise PyPIError(f"timed out after {self.timeout[1]:g}s fetching {url}") from None
            raise PyPIError(f"cannot fetch {url}: {_reason(exc)}") from None
        if response.status_code not in ok:
            response.close()
            if response.status_code == 200 and 206 in ok:
                raise PyPIError(f"{url} ignores HTTP Range requests")
            raise PyPIError(
                f"HTTP {response.status_code} {response.reason or ''} from {url}".replace(
                    "  ", " "
                ),
                status=response.status_code,
            )
        return response


def _chunks(response: requests.Response, url: str) -> Iterator[bytes]:
    try:
        yield from response.iter_content(CHUNK)
    except requests.exceptions.RequestException as exc:
        raise PyPIError(f"download of {url} broke off: {_reason(exc)}") from None


def _timed_out(exc: BaseException) -> bool:
    """Whether a requests/urllib3 exception chain comes from a timeout (urllib3 wraps a read
    timeout in MaxRetryError, which requests reports as ConnectionError)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, urllib3.exceptions.NewConnectionError):
            return False  # a refused connection: it subclasses ConnectTimeoutError in urllib3 2
        if isinstance(
            seen, TimeoutError | requests.exceptions.Timeout | urllib3.exceptions.TimeoutError
        ):
            return True
        inner = getattr(seen, "reason", None)
        if (
            not isinstance(inner, BaseException)
            and seen.args
            and isinstance(seen.args[0], BaseException)
        ):
            inner = seen.args[0]
        seen = inner if isinstance(inner, BaseException) and inner is not seen else None
    return False


def _reason(exc: BaseException) -> str:
    """The innermost useful message of a requests/urllib3 exception, on one line."""
    inner: BaseException = exc
    while inner.args and isinstance(inner.args[0], BaseException):
        inner = inner.args[0]
    reason = getattr(inner, "reason", None)
    text = str(reason if reason is not None else inner)
    return " ".join(text.split())


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file through HTTP Range requests, in cached
    blocks: enough for zipfile to read one member of a wheel without downloading all of it
    (the idea of pip's lazy_wheel, for servers that lack PEP 658 ``.metadata`` files)."""

    def __init__(self, client: PyPIClient, url: str, block: int = 256 * 1024) -> None:
        super().__init__()
        self._client, self._url, self._block = client, url, block
        self._size = client.size(url)
        self._pos = 0
        self._blocks: dict[int, bytes] = {}
        self.requests = 1  # the size probe

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        end = self._size if size is None or size < 0 else min(self._size, self._pos + size)
        chunks = []
        while self._pos < end:
            index = self._pos // self._block
            block = self._load(index)
            offset = self._pos - index * self._block
            piece = block[offset : offset + (end - self._pos)]
            if not piece:
                break
            chunks.append(piece)
            self._pos += len(piece)
        return b"".join(chunks)

    def _load(self, index: int) -> bytes:
        if index not in self._blocks:
            start = index * self._block
            stop = min(self._size, start + self._block) - 1
            self._blocks[index] = self._client.get_range(self._url, start, stop)
            self.requests += 1
        return self._blocks[index]
