"""A real xAPI LRS for the tests (issue 15): Ralph with its filesystem backend, from its own virtual
environment (.venv-lrs, made by `make lrs-deps`), behind a small same-origin proxy that serves the
built site and forwards /xapi/ to Ralph with Basic auth, as the nginx snippet in content/hr/xapi.md does.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.helpers import REPO

LRS_PYTHON = REPO / ".venv-lrs" / "bin" / "python"
RALPH = REPO / ".venv-lrs" / "bin" / "ralph"
# Ralph 5.1's filesystem LRS writes each request with operation type "create", so every POST after
# the first fails with 500 ("already exists"): start uvicorn with appending as the default instead.
LAUNCH = (
    "import sys, uvicorn\n"
    "from ralph.backends.data.base import BaseOperationType\n"
    "from ralph.backends.lrs.fs import FSLRSBackend\n"
    "FSLRSBackend.default_operation_type = BaseOperationType.APPEND\n"
    "sys.argv[0] = 'uvicorn'\n"
    "uvicorn.main()\n"
)
USER, PASSWORD = "course-site", "not-a-real-secret"


class Ralph:
    """``ralph`` serving xAPI on 127.0.0.1 on a free port, from an empty temporary folder."""

    def __init__(self) -> None:
        if not LRS_PYTHON.exists():
            raise RuntimeError("Ralph is missing: run `make lrs-deps` (it makes .venv-lrs)")
        self.tmp = tempfile.TemporaryDirectory(prefix="ralph-")
        home = Path(self.tmp.name)
        (home / "data").mkdir()
        (home / "run").mkdir()  # Ralph starts in an empty folder
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("RALPH_")},
            "RALPH_AUTH_FILE": str(home / "auth.json"),
            "RALPH_APP_DIR": str(home / "app"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data"),
        }
        subprocess.run(
            [str(RALPH), "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-M", "mailto:lrs@example.com", "-w"],
            cwd=home / "run", env=self.env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.log = open(home / "ralph.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(LRS_PYTHON), "-c", LAUNCH, "ralph.api:app", "--fd", str(self.sock.fileno()),
             "--log-level", "warning"],
            cwd=home / "run", env=self.env, pass_fds=(self.sock.fileno(),), stdout=self.log, stderr=self.log,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        deadline = time.time() + 60
        while True:
            try:
                self.get("statements?limit=1")
                break
            except (OSError, urllib.error.URLError):
                if time.time() > deadline or self.proc.poll() is not None:
                    self.close()
                    raise RuntimeError("Ralph did not start: " + (home / "ralph.log").read_text()) from None
                time.sleep(0.2)

    @property
    def auth(self) -> str:
        return "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def get(self, path: str) -> dict:
        req = urllib.request.Request(
            self.url + path, headers={"Authorization": self.auth, "X-Experience-API-Version": "1.0.3"}
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def statements(self, **query) -> list[dict]:
        """Every stored statement (oldest first), following the LRS's ``more`` links."""
        out: list[dict] = []
        path = "statements?" + urllib.parse.urlencode({"limit": 500, **query})
        while path:
            page = self.get(path)
            out += page["statements"]
            more = page.get("more") or ""
            path = more.split("/xAPI/", 1)[1] if "/xAPI/" in more else ""
        return sorted(out, key=lambda s: (s["timestamp"], s.get("stored", "")))

    def close(self) -> None:
        if getattr(self, "proc", None) and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.sock.close()
        self.log.close()
        self.tmp.cleanup()


class _Proxy(http.server.SimpleHTTPRequestHandler):
    owner: SiteProxy

    def log_message(self, *args) -> None:
        pass

    def _forward(self) -> None:
        o = self.owner
        path = self.path
        if path.startswith("/xapi/me"):
            if o.learner is None:
                return self.send_error(404)
            body = json.dumps(o.learner).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else None
        o.requests.append((self.command, path))
        if o.down:
            return self.send_error(503)
        target = o.ralph.url + path[len("/xapi/") :]
        headers = {
            k: v for k, v in self.headers.items() if k.lower() in ("content-type", "x-experience-api-version")
        }
        headers["Authorization"] = o.ralph.auth  # the secret lives in the proxy, never in the site
        req = urllib.request.Request(target, data=data, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, body, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, body, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/xapi/"):
            return self._forward()
        return super().do_GET()

    def do_POST(self):  # noqa: N802
        return self._forward() if self.path.startswith("/xapi/") else self.send_error(405)

    def do_PUT(self):  # noqa: N802
        return self._forward() if self.path.startswith("/xapi/") else self.send_error(405)


class SiteProxy:
    """The site at / and the LRS at /xapi/ on one origin (127.0.0.1, free port).

    ``learner``: what /xapi/me answers (the single sign-on's user), None for 404; ``down``: the
    LRS cannot be reached (503); ``requests``: what the site sent to /xapi/.
    """

    def __init__(self, site: Path, ralph: Ralph, learner: dict | None = None):
        self.ralph, self.learner, self.down, self.requests = ralph, learner, False, []
        handler = type("Handler", (_Proxy,), {"owner": self})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
        )
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def ralph_validate(statements: list[dict]) -> str:
    """Problems of ``statements`` for Ralph's strict xAPI 1.0.3 statement model ('' when all valid)."""
    code = (
        "import json,sys\n"
        "from ralph.models.xapi.base.statements import BaseXapiStatement\n"
        "for s in json.load(sys.stdin):\n"
        "    BaseXapiStatement(**s)\n"
    )
    out = subprocess.run(
        [str(LRS_PYTHON), "-c", code],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return "" if out.returncode == 0 else out.stderr[-3000:]
