"""Screenshots of the board's pages in headless Chromium, for a person to look at.

Usage: .venv/bin/python scripts/screenshots.py BASE_URL OUT_DIR [PATH ...]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip


def main() -> None:
    base, out, *paths = sys.argv[1:]
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width, suffix in ((1100, "desktop"), (390, "phone")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for path in paths or ["/en/"]:
                page.goto(base.rstrip("/") + path)
                name = path.strip("/").replace("/", "_") or "root"
                page.screenshot(path=f"{out}/{name}-{suffix}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
