"""A taken port stops `make serve` / `mkdocs serve` with one line naming a free port, no traceback
(newcomer trial item 1)."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.helpers import ENV, PYTHON, REPO, make_project


@pytest.fixture
def held_port():
    """A port on 127.0.0.1 some other program is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("which", ["HOST", "HANDBOOK_HOST"])
def test_make_serve_names_a_free_port_when_its_port_is_taken(held_port, which):
    ports = {"HOST": f"127.0.0.1:{free_port()}", "HANDBOOK_HOST": f"127.0.0.1:{free_port()}"}
    ports[which] = f"127.0.0.1:{held_port}"
    result = subprocess.run(
        ["make", "-s", "serve", *(f"{k}={v}" for k, v in ports.items())],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in out and "Errno 98" not in out
    assert f"port {held_port} is in use on 127.0.0.1: run `make serve {which}=127.0.0.1:" in out
    suggested = out.split(f"{which}=127.0.0.1:")[1].split("`")[0]
    assert int(suggested) != held_port
    assert "Course: http://" not in out  # nothing started


def test_mkdocs_serve_on_a_taken_port_says_so_in_one_line(tmp_path, held_port):
    project = make_project(tmp_path / "p", fixture="basic")
    result = subprocess.run(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{held_port}"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in out and "Address already in use" not in out
    assert f"port {held_port} is in use on 127.0.0.1: run `mkdocs serve -a 127.0.0.1:" in out
