"""Is the address ``make serve`` / ``mkdocs serve`` wants already taken? (newcomer trial, item 1)

``mkdocs serve`` binds its address only after the first build and then dies with a traceback
ending ``OSError: [Errno 98] Address already in use``. ``make serve`` (``python -m
builder.serve_ports HOST=127.0.0.1:8000 HANDBOOK_HOST=127.0.0.1:8001``) and the plugin's
``on_config`` in ``mkdocs serve`` ask here first and print one line naming a free port instead.
"""

from __future__ import annotations

import socket
import sys


def split_address(address: str) -> tuple[str, int]:
    """``"127.0.0.1:8000"`` -> ``("127.0.0.1", 8000)``; ValueError for anything else."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"{address!r} is no HOST:PORT address (e.g. 127.0.0.1:8000)")
    return host.strip("[]") or "127.0.0.1", int(port)


def in_use(host: str, port: int) -> bool:
    """True when a server could not bind ``host:port`` (TCP) right now, as ``mkdocs serve`` would."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as mkdocs' server does
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def next_free(host: str, port: int, *, avoid: frozenset[int] = frozenset(), tries: int = 100) -> int | None:
    """The first port after ``port`` (up to ``tries`` on) that ``host`` can bind, or None."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        if candidate not in avoid and not in_use(host, candidate):
            return candidate
    return None


def taken_message(address: str, command: str, *, avoid: frozenset[int] = frozenset()) -> str | None:
    """None when ``address`` is free; else one line saying so and the command (``{}`` = a free
    address) to run instead, e.g. ``port 8000 is in use: run `make serve HOST=127.0.0.1:8010```."""
    host, port = split_address(address)
    if not in_use(host, port):
        return None
    free = next_free(host, port, avoid=avoid)
    if free is None:
        return f"port {port} is in use on {host}: choose a free port, e.g. {command.format(f'{host}:PORT')}"
    return f"port {port} is in use on {host}: run `{command.format(f'{host}:{free}')}`"


def main(argv: list[str]) -> int:
    """``NAME=HOST:PORT ...`` (the Makefile's variables): exit 1 after one line per taken address."""
    pairs = [arg.partition("=")[::2] for arg in argv]
    try:
        wanted = {name: split_address(address) for name, address in pairs}
    except ValueError as exc:
        print(f"make serve: {exc}", file=sys.stderr)
        return 2
    ports = frozenset(port for _host, port in wanted.values())
    failed = False
    for name, address in pairs:
        line = taken_message(address, f"make serve {name}={{}}", avoid=ports)
        if line:
            print(line, file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
