"""`sitroom serve DIR`: the report page and a read-only JSON API over a run's store.

Binds 127.0.0.1 unless told otherwise; a non-loopback address needs allow_public. The app reads the
store through a read-only SQLite connection per request with parameterised SQL only, serves no file
from disk (the page is rendered from the store; the API docs' assets come from an allowlist of
package files), and sends a Content-Security-Policy and other security headers with every answer.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

from sitroom.web.app import create_app, is_loopback

__all__ = ["bind", "create_app", "is_loopback", "serve"]


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (IPv4 or IPv6, as the address is), bound before the
    server starts, so that "serving" is said only once it is true."""
    name = host.strip().strip("[]")
    family = socket.AF_INET6 if ":" in name else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((name, port))
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    return sock


def run_server(app: Any, sock: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", server_header=False, proxy_headers=False,
                            access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def serve(dir: Path, host: str = "127.0.0.1", port: int = 8000, allow_public: bool = False) -> int:
    from sitroom.store import STORE_NAME

    if not is_loopback(host) and not allow_public:
        print(f"sitroom serve: refusing to bind {host!r}: it is not a loopback address, and the "
              "page and API would be open to the network; pass --allow-public to do it anyway",
              file=sys.stderr)
        return 2
    if not (Path(dir) / STORE_NAME).is_file():
        print(f"sitroom serve: {Path(dir) / STORE_NAME}: no store (run `sitroom run --out {dir}` "
              "first)", file=sys.stderr)
        return 2
    try:
        sock = bind(host, port)
    except OSError as exc:
        print(f"sitroom serve: cannot listen on {host} port {port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    app = create_app(Path(dir), public=allow_public)
    name = host.strip().strip("[]")
    shown = f"[{name}]" if ":" in name else name
    print(f"sitroom: serving {dir} on http://{shown}:{port}/ (API docs at /docs)", file=sys.stderr)
    try:
        run_server(app, sock)
    finally:
        sock.close()
    return 0
