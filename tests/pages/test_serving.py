"""``newsbrief serve`` in production mode and the nginx site ``newsbrief pages nginx`` prints,
as an operator runs them: real processes on loopback ports, a SQLite board of their own."""

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.test_settings import NEWSBRIEF, free_port, get_when_up, run_newsbrief

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else "")


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    # Generous: a worker's first render on a loaded machine takes seconds.
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers, response.read()  # any case of names


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    """The demo board served as in production; yields (address, environment, data dir)."""
    data = tmp_path_factory.mktemp("served")
    env = {
        "PATH": "/usr/bin:/bin:/usr/sbin",
        "NEWSBRIEF_DATA_DIR": str(data),
        "NEWSBRIEF_SECRET_KEY": "a-long-random-secret-key-for-this-test-" + "x" * 30,
        "NEWSBRIEF_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NEWSBRIEF_SSL_REDIRECT": "0",
        "NEWSBRIEF_SECURE_COOKIES": "0",
        "NEWSBRIEF_HSTS_SECONDS": "0",
        "NEWSBRIEF_RELATED_EMBEDDINGS": "0",
    }
    assert run_newsbrief("demo", env=env).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [*NEWSBRIEF, "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        get_when_up(f"http://127.0.0.1:{port}/en/")
        yield f"127.0.0.1:{port}", env, data
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_static_files_have_hashed_names_and_are_cached_for_a_year(board):
    address, _env, _data = board
    _status, _headers, page = get(f"http://{address}/en/")
    css = page.decode().split('href="/static/newsbrief/board.', 1)[1].split('"', 1)[0]
    assert css.endswith(".css") and len(css.split(".")[0]) == 12  # the content's hash
    status, headers, _css = get(
        f"http://{address}/static/newsbrief/board.{css}", **{"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in headers["Cache-Control"]


def test_pages_are_stored_once_and_served_from_the_store(board):
    address, _env, data = board
    first = get(f"http://{address}/en/briefs/1/")
    stored = data / "pages" / "en" / "briefs" / "1" / "index.html"
    assert stored.read_bytes() == first[2]
    second = get(f"http://{address}/en/briefs/1/")
    assert second[2] == first[2] and second[1]["Cache-Control"] == "no-cache"
    assert second[1]["Content-Security-Policy"].startswith("default-src 'self'")


@pytest.mark.skipif(not NGINX, reason="needs nginx (make test installs nginx-light)")
def test_the_nginx_site_serves_stored_pages_and_passes_the_rest(board, tmp_path):
    address, env, data = board
    port = free_port()
    site = run_newsbrief(
        "pages", "nginx", "--app", address, "--listen", f"127.0.0.1:{port}", env=env
    )
    assert site.returncode == 0, site.stderr
    (tmp_path / "site.conf").write_text(site.stdout)
    (tmp_path / "logs").mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off;\n"
        f"client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"include {tmp_path}/site.conf; }}\n"
    )
    command = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    subprocess.run(command, check=True, capture_output=True)
    front = f"http://127.0.0.1:{port}"
    try:
        status, _headers, page = get(f"{front}/en/briefs/2/")  # from the app, which stores it
        assert status == 200
        stored = data / "pages" / "en" / "briefs" / "2" / "index.html"
        assert stored.read_bytes() == page
        stored.write_bytes(page.replace(b"</main>", b"<p>served from disk</p></main>"))
        _status, headers, from_disk = get(f"{front}/en/briefs/2/")
        assert b"served from disk" in from_disk
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Cache-Control"] == "no-cache"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Content-Language"] == "en"
        for passed in (
            get(f"{front}/en/briefs/2/", Cookie="sessionid=someone"),
            get(f"{front}/en/briefs/2/?lang=all"),
        ):
            assert passed[0] == 200 and b"served from disk" not in passed[2]
        _status, headers, _css = get(f"{front}/en/")
        assert get(f"{front}/zh-hant/")[1]["Content-Language"] == "zh-hant"
        # Pictures from the media directory, as the app would serve them (and nothing else).
        picture = data / "media" / "pictures" / "ab" / "ab12-480.webp"
        picture.parent.mkdir(parents=True)
        picture.write_bytes(b"RIFF....WEBP")
        (picture.parent / "notes.txt").write_text("not served")
        for server in (front,):
            status, headers, body = get(f"{server}/media/pictures/ab/ab12-480.webp")
            assert (status, body, headers["Content-Type"]) == (200, b"RIFF....WEBP", "image/webp")
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert headers["X-Content-Type-Options"] == "nosniff"
            with pytest.raises(urllib.error.HTTPError) as refused:
                get(f"{server}/media/pictures/ab/notes.txt")
            assert refused.value.code == 404
    finally:
        subprocess.run([*command, "-s", "stop"], capture_output=True)


def test_the_board_module_is_importable_as_a_wsgi_target():
    """``newsbrief.wsgi:application`` is what granian (or gunicorn) loads."""
    done = subprocess.run(
        [sys.executable, "-c", "import newsbrief.wsgi as w; print(type(w.application).__name__)"],
        capture_output=True,
        text=True,
        env={**os.environ, "NEWSBRIEF_DEBUG": "1", "NEWSBRIEF_DATA_DIR": str(Path("/tmp"))},
    )
    assert done.stdout.strip() == "StoredPages", done.stderr
