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


def listening(proc: subprocess.Popen, port: int) -> bool:
    """Wait up to 5 s until the server ``proc`` accepts connections on ``port``; False if it exited."""
    for _ in range(100):
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return proc.poll() is None


def build_flagship(out: Path, site_url: str | None) -> Path:
    extra = f"{{'site_url': {site_url!r}}}" if site_url else "None"
    code = (
        "import sys; from pathlib import Path; from builder.site import build_site; "
        f"sys.exit(build_site(Path({str(REPO)!r}), site_dir={str(out)!r}, extra_config={extra}))"
    )
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=REPO, env=ENV, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory) -> Path:
    """The flagship, built for http://127.0.0.1/training/care/."""
    return build_flagship(tmp_path_factory.mktemp("nginx-site") / "site", f"http://127.0.0.1{PREFIX}/")


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory) -> Path:
    """The flagship as `make site` builds it: no site_url, so it does not know its sub-path."""
    return build_flagship(tmp_path_factory.mktemp("nginx-plain") / "site", None)


def run_nginx(site: Path, run: Path):
    """nginx with the guide's two blocks for ``site`` under PREFIX; yields (port, CSP line)."""
    http_block, server_block = guide_blocks()
    csp = course("csp", "--site", str(site), "--server", "nginx", cwd=REPO)
    assert csp.returncode == 0, csp.stderr
    server_block = server_block.replace("/srv/courses/customer-care/", f"{site}/")
    server_block = server_block.replace("/training/customer-care", PREFIX)
    server_block = re.sub(
        r"# paste here the line printed by: course csp --server nginx", csp.stdout.strip(), server_block
    )
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
        if listening(proc, port):
            break
        if attempt == 4:
            pytest.fail(proc.stderr.read().decode())
    yield port, csp.stdout.strip()
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx(sub_path_site, tmp_path_factory):
    yield from run_nginx(sub_path_site, tmp_path_factory.mktemp("nginx"))


@pytest.fixture(scope="module")
def nginx_plain(plain_site, tmp_path_factory):
    yield from run_nginx(plain_site, tmp_path_factory.mktemp("nginx-plain"))


def get(port: int, path: str, gzip_ok: bool = False) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def assert_trailing_slash_redirect(port: int) -> None:
    """The course's address without its final / sends the learner on to the address with it."""
    response = get(port, PREFIX)
    assert response.status == 301
    assert response.getheader("Location").endswith(f"{PREFIX}/")
    home = get(port, f"{PREFIX}/")
    assert home.status == 200 and b"md-content" in home.body


def test_the_address_without_a_trailing_slash_redirects(nginx):
    assert_trailing_slash_redirect(nginx[0])


def test_a_missing_spanish_address_gets_the_spanish_404_page(nginx):
    """The guide's inner location for es/ shows es/404.html, in Spanish (newcomer trial item 2c)."""
    port, _ = nginx
    for path in (f"{PREFIX}/es/no-such-page.html", f"{PREFIX}/es/modules/deep/no/such/thing"):
        response = get(port, path)
        assert response.status == 404
        body = response.body.decode()
        assert '<html lang="es"' in body and "Página no encontrada" in body, path
        sheet = re.search(r'href="([^"]+main\.[0-9a-f]+\.min\.css)"', body).group(1)
        assert get(port, sheet).status == 200
    assert get(port, f"{PREFIX}/es/index.html").status == 200


def test_unknown_addresses_get_the_sites_own_404_page_with_its_styles(nginx):
    port, _ = nginx
    for path in (f"{PREFIX}/no-such-page.html", f"{PREFIX}/modules/deep/no/such/thing"):
        response = get(port, path)
        assert response.status == 404
        body = response.body.decode()
        assert "md-content" in body and "404" in body  # the course's page, not nginx's
        assert '<html lang="en"' in body  # the default language's, not the last language version built
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


@pytest.mark.browser
@pytest.mark.parametrize(
    "missing", ["no-such-page.html", "modules/deep/no/such/thing", "gone/folder/page.html"]
)
def test_the_404_page_is_styled_under_a_sub_path_without_site_url(nginx_plain, page, missing, tmp_path):
    """Built without site_url (the site does not know its sub-path), the 404 page nginx shows for any
    missing address still loads the course's style sheets and scripts and links back into the course."""
    port, _ = nginx_plain
    base = f"http://127.0.0.1:{port}{PREFIX}/"
    failed: list[str] = []
    # what the page asks for under the site's root must load (the root probes and the browser's
    # speculative fetches relative to the missing address, made before <base> is set, may not)
    page.on(
        "response", lambda r: r.status >= 400 and r.url.startswith(base + "assets/") and failed.append(r.url)
    )
    page.on("requestfailed", lambda r: r.url.startswith(base + "assets/") and failed.append(r.url))
    errors: list[str] = []
    page.on(  # CSP and script errors (the speculative fetches log theirs too: left out)
        "console",
        lambda m: (
            m.type == "error"
            and "404 (Not Found)" not in m.text
            and not re.search(r"'http://[^']*/(?:no-such|modules/deep|gone)/", m.text)
            and errors.append(m.text)
        ),
    )
    response = page.goto(base + missing)
    assert response.status == 404
    page.wait_for_load_state("load")
    assert failed == [] and errors == [], (failed, errors)
    assert page.evaluate("document.baseURI") == base
    assert page.evaluate("document.documentElement.lang") == "en"  # the default language's page
    sheets = page.evaluate(
        "() => [...document.styleSheets].filter(s => s.href).map(s => [s.href, s.cssRules.length])"
    )
    main = [
        h for h, n in sheets if re.search(r"/assets/stylesheets/main\.[0-9a-f]+\.min\.css$", h) and n > 100
    ]
    assert main and main[0].startswith(base), sheets
    header = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('.md-header')); return [s.position, s.backgroundColor]; }"
    )
    assert header[0] == "sticky" and header[1] not in ("rgba(0, 0, 0, 0)", "transparent"), header
    if missing == "no-such-page.html":
        page.screenshot(path=str(tmp_path / "404-1280.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(tmp_path / "404-390.png"))
        print("screenshots:", tmp_path)
        page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("a.md-header__button.md-logo").click()
    page.wait_for_load_state("load")
    assert page.url.startswith(base) and page.url != base + missing
    assert page.locator("article.md-content__inner").count() == 1
