"""`*.sim.test` -> 127.0.0.1 inside the crawl process, as an /etc/hosts entry would do.

The crawl code is untouched: httpx (through anyio) and requests (vk_api) both resolve names
with `socket.getaddrinfo`, which this wraps. Nothing but loopback is ever returned for the
simulated names; every other name resolves as before.

    python -m benchmarks.simregion.resolver crawl --sources … --db …

runs the `natmon` command line with the resolver installed.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

SUFFIX = ".sim.test"
LOOPBACK = "127.0.0.1"

_original = socket.getaddrinfo


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if isinstance(name, str) and name.lower().rstrip(".").endswith(SUFFIX):
        host = LOOPBACK
    return _original(host, *args, **kwargs)


def install() -> None:
    """Route the simulated names to loopback in this process (idempotent)."""
    socket.getaddrinfo = _getaddrinfo


def uninstall() -> None:
    socket.getaddrinfo = _original


def main() -> None:
    install()
    from crawler.cli import main as natmon

    sys.argv = ["natmon", *sys.argv[1:]]
    natmon()


if __name__ == "__main__":
    main()
