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
    "opendata-jeu": "/opendata/signalements-espace-public/",
    "gouvernance": "/gouvernance/",
    "gouvernance-algorithmes": "/gouvernance/algorithmes/",
    "habitat": "/observatoires/habitat/",
    "habitat-tableau-de-bord": "/observatoires/habitat/tableau-de-bord/?indicateur=dvf-prix-m2-appartements",
    "foncier-tableau-de-bord": "/observatoires/foncier/tableau-de-bord/",
    "portrait-aix": "/territoires/13001/",
    "comparaison": "/territoires/comparer/?communes=13001&communes=13055&communes=13056",
    "mobilite-reseau": "/mobilite/reseau/",
    "mobilite-flux": "/mobilite/flux/",
    "foncier-zan": "/foncier/zan/",
    "api-docs": "/api/docs/",
}
# Pages behind a login: (demo account, pages).
SIGNED_IN = {
    "agd@demo.observatoire.local": {
        "meta-catalogue": "/gouvernance/catalogue/",
        "demandes-acces": "/gouvernance/acces/demandes/",
        "journal-telechargements": "/gouvernance/telechargements/",
        "foncier-gisements": "/foncier/gisements/",  # restricted dataset: an authorised role
        "admin-imports": "/admin/imports/importjob/add/",
    },
    "partenaire@demo.observatoire.local": {
        "partenaire-jeu-restreint": "/gouvernance/catalogue/signalements-complets/",
        "partenaire-demandes": "/gouvernance/acces/mes-demandes/",
    },
    "dpo@demo.observatoire.local": {"registre": "/gouvernance/registre/"},
}
PASSWORD = "demo-observatoire"  # noqa: S105 - the public password of the demo accounts
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
        for email, pages in SIGNED_IN.items():
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(BASE + "/comptes/login/")
            page.fill("input[name=username]", email)
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            for name, path in pages.items():
                page.goto(BASE + path, wait_until="networkidle")
                page.screenshot(path=OUT / f"{name}.png", full_page=True)
            context.close()
        browser.close()
    print(f"Captures dans {OUT}/")


if __name__ == "__main__":
    main()
