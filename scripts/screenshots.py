"""Screenshots of the main pages with Debian's Chromium, to look at what we ship.

Usage: .venv/bin/python scripts/screenshots.py [base_url] [out_dir]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
PAGES = {
    "accueil": "/",
    "observatoires": "/observatoires/",
    "connexion": "/comptes/login/",
    "inscription": "/comptes/inscription/",
    "opendata": "/opendata/",
    "gouvernance": "/gouvernance/",
    "api-docs": "/api/docs/",
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width, suffix in ((1280, ""), (390, "-mobile")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in PAGES.items():
                page.goto(BASE + path, wait_until="networkidle")
                page.screenshot(path=OUT / f"{name}{suffix}.png", full_page=True)
            page.close()
        browser.close()
    print(f"Captures dans {OUT}/")


if __name__ == "__main__":
    main()
