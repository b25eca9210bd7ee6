"""A small local receiver for the site's events: checks each posted event and appends it to a JSON-lines file.

For trying the loop out (``kbgen collect``) before a team wires its own endpoint: it listens on
loopback by default, takes one event of at most ``MAX_EVENT_BYTES`` per request, answers the
browser's CORS preflight, and stops storing once the file reaches its size limit.
"""

from __future__ import annotations

import http.server
import logging
import socket
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from kbgen.errors import KbgenError
from kbgen.events import MAX_EVENT_BYTES, EventError, parse_event_line

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
EVENT_PATHS = ("/", "/events")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class EventStore:
    """Append checked events to ``path``, one per line, until the file holds ``max_bytes``. Thread-safe."""

    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.stored = 0
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._size = path.stat().st_size if path.exists() else 0
            with open(path, "a", encoding="utf-8"):
                pass
        except OSError as error:
            raise KbgenError(str(path), f"cannot write the events file: {error.strerror or error}") from None

    @property
    def full(self) -> bool:
        return self._size >= self.max_bytes

    def add(self, body: str, received: datetime | None = None) -> bool:
        """Check ``body`` (one event) and store it with the time it was received. False if the file is full.

        Raises EventError if the body is not an event.
        """
        event = parse_event_line(body)
        when = (received or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        line = (replace(event, at=when).to_json() + "\n").encode("utf-8")
        with self._lock:
            if self._size + len(line) > self.max_bytes:
                return False
            with open(self.path, "ab") as file:
                file.write(line)
            self._size += len(line)
            self.stored += 1
        return True


def _handler(store: EventStore) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "kbgen-collect"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
            log.debug("%s %s", self.address_string(), format % args)

        def _answer(self, status: int, text: str = "") -> None:
            body = text.encode("utf-8")
            self.send_response(status)
            # Any page may post here (the site is usually served from another port or host); nothing is read back.
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Allow-Private-Network", "true")
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
            self._answer(204 if self.path.split("?")[0] in EVENT_PATHS else 404)

        def do_GET(self) -> None:  # noqa: N802
            if self.path.split("?")[0] not in EVENT_PATHS:
                self._answer(404, "not found\n")
                return
            self._answer(200, f"kbgen collect: {store.stored} events stored in {store.path} since it started; POST events here\n")

        def do_POST(self) -> None:  # noqa: N802
            if self.path.split("?")[0] not in EVENT_PATHS:
                self._answer(404, "not found\n")
                return
            try:
                length = int(self.headers.get("Content-Length") or "")
            except ValueError:
                self._answer(411, "a Content-Length is required\n")
                return
            if length > MAX_EVENT_BYTES:
                self._answer(413, f"an event is at most {MAX_EVENT_BYTES} bytes\n")
                return
            body = self.rfile.read(length)
            try:
                stored = store.add(body.decode("utf-8"))
            except (EventError, UnicodeDecodeError) as error:
                self._answer(400, f"not a kbgen event: {error}\n")
                return
            if not stored:
                log.warning("kbgen collect: %s reached its limit of %d bytes; further events are refused", store.path, store.max_bytes)
                self._answer(507, "the events file is full\n")
                return
            self._answer(204)

    return Handler


class _IPv6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


def make_server(store: EventStore, host: str = "127.0.0.1", port: int = 0) -> http.server.ThreadingHTTPServer:
    """An HTTP server that stores posted events in ``store`` (port 0: any free port). Call ``serve_forever``."""
    server_class = _IPv6Server if ":" in host else http.server.ThreadingHTTPServer
    try:
        server = server_class((host, port), _handler(store))
    except OSError as error:
        raise KbgenError(f"{host}:{port}", f"cannot listen: {error.strerror or error}", hint="choose another --port or --host") from None
    server.daemon_threads = True
    return server


def server_url(server: http.server.ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}/"
