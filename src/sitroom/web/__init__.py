"""`sitroom serve DIR`: the report page and a read-only JSON API over a run's store.

Binds 127.0.0.1 unless told otherwise; a non-loopback address needs allow_public. The app reads the
store through a read-only SQLite connection per request with parameterised SQL only, serves no file
from disk (the page is rendered from the store; the API docs' assets come from an allowlist of
package files), and sends a Content-Security-Policy and other security headers with every answer.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from sitroom.web.app import LOOPBACK_HOSTS, create_app

__all__ = ["create_app", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; any other name or address is public."""
    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


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
    import uvicorn

    # On loopback only loopback Host headers are answered (a DNS-rebinding page cannot read it).
    trusted = list(LOOPBACK_HOSTS) if not allow_public else ["*"]
    app = create_app(Path(dir), trusted_hosts=trusted)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    print(f"sitroom: serving {dir} on http://{shown}:{port}/ (API docs at /docs)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=False, access_log=False)
    return 0
