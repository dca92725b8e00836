"""A misbehaving HTTP server on 127.0.0.1 for the network fault cases (issue 28 items 3, 7, 14): raw sockets, so it
can trickle a body a byte at a time, cut it mid-transfer, throttle with any Retry-After or send a gzip bomb.

Behaviour by path (the query string is ignored): `/slow/...` headers at once, then the body at one byte per second;
`/throttle/...` 429 with `Retry-After: 3600`; `/cut/...` a Content-Length of 2,000 and half of it, then the connection
closes (`/cut-then-ok/...`: cut the first `cuts` times, whole afterwards); `/bomb/...` a gzip body (`bomb`) sent with
`Content-Encoding: gzip`; `/zip/...` the bytes in `zip_body`. Every request is counted in `hits`."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Iterator

BODY = b"date,value\n" + b"".join(b"2026-06-%02d,1.0\n" % d for d in range(1, 29))  # SYNTHETIC, tiny


class _Handler(socketserver.BaseRequestHandler):
    server: FaultServer

    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            data += chunk
        path = data.split(b" ", 2)[1].decode().split("?", 1)[0]
        kind = path.strip("/").split("/", 1)[0]
        self.server.count(kind)
        with contextlib.suppress(OSError):
            getattr(self, "_" + kind.replace("-", "_"))()

    def _send(self, status: str, headers: dict[str, str], body: bytes) -> None:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.request.sendall(f"HTTP/1.1 {status}\r\n{head}Connection: close\r\n\r\n".encode() + body)

    def _slow(self) -> None:
        self._send("200 OK", {"Content-Type": "text/csv", "Content-Length": "100000"}, b"")
        while not self.server.closing.is_set():
            self.request.sendall(b"1")
            time.sleep(1.0)

    def _throttle(self) -> None:
        self._send("429 Too Many Requests", {"Retry-After": "3600", "Content-Length": "4"}, b"busy")

    def _cut(self) -> None:
        body = (BODY * 10)[:2000]
        self._send("200 OK", {"Content-Type": "text/csv", "Content-Length": str(len(body))}, body[:1000])
        self.request.shutdown(socket.SHUT_RDWR)

    def _cut_then_ok(self) -> None:
        if self.server.hits["cut-then-ok"] <= self.server.cuts:
            self._cut()
        else:
            self._send("200 OK", {"Content-Type": "text/csv", "Content-Length": str(len(BODY))}, BODY)

    def _bomb(self) -> None:
        self._send(
            "200 OK",
            {"Content-Type": "text/csv", "Content-Encoding": "gzip", "Content-Length": str(len(self.server.bomb))},
            self.server.bomb,
        )

    def _zip(self) -> None:
        self._send(
            "200 OK",
            {"Content-Type": "application/x-zip-compressed", "Content-Length": str(len(self.server.zip_body))},
            self.server.zip_body,
        )


class FaultServer(socketserver.ThreadingTCPServer):
    """The server; `url(path)` gives a URL on it."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: dict[str, int] = {}
        self.closing = threading.Event()
        self.cuts = 2
        self.bomb = b""
        self.zip_body = b""
        self._lock = threading.Lock()

    def count(self, kind: str) -> None:
        with self._lock:
            self.hits[kind] = self.hits.get(kind, 0) + 1

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{path.lstrip('/')}"


@contextlib.contextmanager
def fault_server() -> Iterator[FaultServer]:
    """A running FaultServer, shut down (and its trickling handlers told to stop) afterwards."""
    server = FaultServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()


def gzip_bomb(inflated_mb: int) -> bytes:
    """A gzip body of `inflated_mb` MB of zeros (about 1,000:1), built in 1 MB steps. SYNTHETIC."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    parts = [squeeze.compress(zeros) for _ in range(inflated_mb)]
    return b"".join(parts) + squeeze.flush()
