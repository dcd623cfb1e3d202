"""The nginx site that serves newsbrief in production: stored pages straight from disk to
anonymous readers, static files and pictures with a year's caching, everything else from the
app servers.
``newsbrief pages nginx`` prints it for this installation; ``newsbrief bench pages`` runs it.
"""

from __future__ import annotations

from django.conf import settings

from .serving import page_headers

SITE = """\
# newsbrief: written by `newsbrief pages nginx`; goes inside nginx's http {{}} block.
upstream newsbrief {{
{servers}
    keepalive 32;
}}

# A stored page is the answer to a GET or HEAD with no query string from a reader without a
# session (signed-in readers get their own page from the app).
map "$request_method:$args:$cookie_{session_cookie}" $newsbrief_stored {{
    default 0;
    "GET::" 1;
    "HEAD::" 1;
}}
map $uri $newsbrief_language {{
    default en;
{languages}
}}

server {{
    listen {listen};
    server_name {server_name};
    charset utf-8;
    # A picture upload at its limit, with the rest of its form.
    client_max_body_size {body_max};

    location /static/ {{
        alias {static_root}/;
        gzip_static on;
        expires max;
        add_header Cache-Control "public, max-age=315360000, immutable";
    }}

    # Pictures: named by their content, never changed; only the kinds newsbrief writes.
    location {media_url} {{
        alias {media_root}/;
        types {{
            image/jpeg jpg;
            image/png png;
            image/webp webp;
        }}
        default_type application/octet-stream;
        location ~ "/\\.|\\.(?!(jpg|png|webp)$)[^/]*$" {{
            return 404;
        }}
        add_header Cache-Control "public, max-age=31536000, immutable" always;
        add_header X-Content-Type-Options nosniff always;
    }}

    location / {{
        root {pages_root};
        error_page 418 = @newsbrief;
        if ($newsbrief_stored = 0) {{
            return 418;
        }}
        try_files ${{uri}}index.html @newsbrief;
        gzip_static on;
        etag on;
        add_header Content-Language $newsbrief_language always;
{headers}
    }}

    location @newsbrief {{
        proxy_pass http://newsbrief;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }}
}}
"""


def site(
    app_servers: list[str],
    *,
    listen: str = "80",
    server_name: str = "_",
    pages_root=None,
    static_root=None,
) -> str:
    """The site for these app servers (``host:port``); the pages and static directories
    default to this installation's."""
    skip = {"Content-Type", "Content-Length", "ETag"}
    headers = "\n".join(
        f"        add_header {name} {_quoted(value)} always;"
        for name, value in page_headers()
        if name not in skip
    )
    languages = "\n".join(
        f"    ~^/{code}/ {code};" for code, _name in settings.LANGUAGES if code != "en"
    )
    return SITE.format(
        servers="\n".join(f"    server {address};" for address in app_servers),
        session_cookie=settings.SESSION_COOKIE_NAME,
        languages=languages,
        listen=listen,
        server_name=server_name,
        static_root=static_root or settings.STATIC_ROOT,
        media_url=settings.MEDIA_URL,
        media_root=settings.MEDIA_ROOT,
        body_max=max(10 * 2**20, settings.NEWSBRIEF_PICTURE_MAX_BYTES + 2**20),
        pages_root=pages_root or settings.NEWSBRIEF_PAGES_PATH,
        headers=headers,
    )


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
