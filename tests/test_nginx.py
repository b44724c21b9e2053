"""The hosting guide's nginx configuration, run in a real nginx under a sub-path (issue 11 item 12).

The two ``nginx`` blocks of content/hr/hosting.md are taken as they are (only the paths change)
and the flagship course, built with its sub-path as ``site_url``, is served by /usr/sbin/nginx on
a free port: the address without its trailing slash redirects, an unknown address gets the
course's own 404 page with its styles, text files are gzipped, pages are revalidated and
fingerprinted scripts are cached for a year, and the CSP line from `course csp` is sent.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import ENV, PYTHON, REPO, course

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PREFIX = "/training/care"
GUIDE = REPO / "content" / "hr" / "hosting.md"

pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is not installed (make test-deps)")


def guide_blocks() -> list[str]:
    return re.findall(r"```nginx\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory) -> Path:
    """The flagship, built for http://127.0.0.1/training/care/ (its 404 page needs the path)."""
    out = tmp_path_factory.mktemp("nginx-site") / "site"
    code = (
        "import sys; from pathlib import Path; from builder.site import build_site; "
        f"sys.exit(build_site(Path({str(REPO)!r}), site_dir={str(out)!r}, "
        f"extra_config={{'site_url': 'http://127.0.0.1{PREFIX}/'}}))"
    )
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=REPO, env=ENV, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def nginx(sub_path_site, tmp_path_factory):
    http_block, server_block = guide_blocks()
    csp = course("csp", "--site", str(sub_path_site), "--server", "nginx", cwd=REPO)
    assert csp.returncode == 0, csp.stderr
    server_block = server_block.replace("/srv/courses/customer-care/", f"{sub_path_site}/")
    server_block = server_block.replace("/training/customer-care", PREFIX)
    server_block = re.sub(
        r"# paste here the line printed by: course csp --server nginx", csp.stdout.strip(), server_block
    )
    run = tmp_path_factory.mktemp("nginx")
    for sub in ("logs", "tmp"):
        (run / sub).mkdir()
    for attempt in range(5):
        port = free_port()
        conf = f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    types {{ text/html html; text/css css; application/javascript js; application/json json;
             image/svg+xml svg; image/png png; application/xml xml; }}
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {run}/tmp/body; proxy_temp_path {run}/tmp/proxy; fastcgi_temp_path {run}/tmp/fcgi;
    uwsgi_temp_path {run}/tmp/uwsgi; scgi_temp_path {run}/tmp/scgi;
{http_block}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
{server_block}
    }}
}}
"""
        (run / "nginx.conf").write_text(conf, encoding="utf-8")
        test = subprocess.run([NGINX, "-t", "-p", str(run), "-c", str(run / "nginx.conf"), "-e", "stderr"],
                              capture_output=True, text=True)  # fmt: skip
        assert test.returncode == 0, test.stderr + conf
        proc = subprocess.Popen([NGINX, "-p", str(run), "-c", str(run / "nginx.conf"), "-e", "stderr"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        for _ in range(100):
            if proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        if proc.poll() is None:
            break  # listening
        if attempt == 4:
            pytest.fail(proc.stderr.read().decode())
    yield port, csp.stdout.strip()
    proc.terminate()
    proc.wait(timeout=10)


def get(port: int, path: str, gzip_ok: bool = False) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_the_address_without_a_trailing_slash_redirects(nginx):
    port, _ = nginx
    response = get(port, PREFIX)
    assert response.status == 301
    assert response.getheader("Location").endswith(f"{PREFIX}/")
    home = get(port, f"{PREFIX}/")
    assert home.status == 200 and b"md-content" in home.body


def test_unknown_addresses_get_the_sites_own_404_page_with_its_styles(nginx):
    port, _ = nginx
    for path in (f"{PREFIX}/no-such-page.html", f"{PREFIX}/modules/deep/no/such/thing"):
        response = get(port, path)
        assert response.status == 404
        body = response.body.decode()
        assert "md-content" in body and "404" in body  # the course's page, not nginx's
        sheet = re.search(r'href="([^"]+main\.[0-9a-f]+\.min\.css)"', body).group(1)
        assert sheet.startswith(f"{PREFIX}/")
        assert get(port, sheet).status == 200
        for src in re.findall(r'src="([^"]+assets/course/[^"]+)"', body):
            assert get(port, src).status == 200, src


def test_text_files_are_gzipped(nginx, sub_path_site):
    port, _ = nginx
    for rel in (
        "index.html",
        "assets/course/quiz.js",
        "assets/course/course.css",
        "search/search_index.json",
    ):
        response = get(port, f"{PREFIX}/{rel}", gzip_ok=True)
        assert response.status == 200
        assert response.getheader("Content-Encoding") == "gzip", rel
        assert gzip.decompress(response.body) == (sub_path_site / rel).read_bytes()
        assert len(response.body) < 0.6 * (sub_path_site / rel).stat().st_size, rel


def test_pages_are_revalidated_and_fingerprinted_assets_cached(nginx, sub_path_site):
    port, _ = nginx
    page = get(port, f"{PREFIX}/modules/02-not-personal.html")
    assert page.getheader("Cache-Control") == "no-cache"
    refs = re.findall(r'(?:src|href)="([^"]+\.(?:js|css)(?:\?v=[0-9a-f]+)?)"', page.body.decode())
    ours = [r for r in refs if "assets/course/" in r]
    assert ours and all("?v=" in r for r in ours), ours
    for ref in refs:
        url = f"{PREFIX}/modules/{ref}"
        response = get(port, url)
        assert response.status == 200, url
        if "?v=" in ref or re.search(r"\.[0-9a-f]{8}\.min\.", ref):
            assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable", ref
    assert get(port, f"{PREFIX}/search/search_index.js").getheader("Cache-Control") == "no-cache"


def test_the_policy_from_course_csp_is_sent(nginx):
    port, line = nginx
    value = re.search(r'"(.*)"', line).group(1)
    assert "sha256-" in value
    assert get(port, f"{PREFIX}/index.html").getheader("Content-Security-Policy") == value
