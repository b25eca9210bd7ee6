from __future__ import annotations

import logging
import signal
from pathlib import Path

import click

from kbgen.cli.errors import reported_errors
from kbgen.cli.project import current_project
from kbgen.collect import DEFAULT_MAX_BYTES, LOOPBACK_HOSTS, EventStore, make_server, server_url

log = logging.getLogger("kbgen.cli.collect")
EVENTS_FILE = "events.jsonl"  # in the project's cache folder unless --out says otherwise


def _stop(signal_number: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command("collect")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; other than loopback, anyone who reaches it can post.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="JSON-lines file the events are appended to (default: events.jsonl in the cache folder, .kbgen/).")
@click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES // 1024 // 1024, show_default=True, help="Stop storing when the file reaches this many MB.")
def command(port: int, host: str, out_file: Path | None, max_size: int) -> None:
    """Receive the site's events (votes, failed searches, answered questions) and store them as JSON lines.

    Set the site's feedback target to the address printed (kbgen: feedback: target: in
    mkdocs.yml), use the site, then run 'kbgen mine' on the file. Stop with Ctrl-C.
    """
    out_file = out_file or current_project().cache_path(EVENTS_FILE)
    with reported_errors():
        store = EventStore(out_file, max_size * 1024 * 1024)
        server = make_server(store, host, port)
    if host not in LOOPBACK_HOSTS:
        log.warning("kbgen collect listens on %s: anyone who can reach this address can post events", host)
    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"kbgen collect: listening on {server_url(server)} - storing events in {out_file} (up to {max_size} MB)", nl=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    click.echo(f"kbgen collect: stopped; {store.stored} events stored in {out_file}")
