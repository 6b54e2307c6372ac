"""Breadcrumbs: every ancestor is a link, the current page is marked aria-current."""

import re

import pytest

PAGES = [
    "/mobilite/reseau/",
    "/mobilite/flux/",
    "/observatoires/habitat/",
    "/observatoires/habitat/tableau-de-bord/",
    "/territoires/comparer/",
    "/gouvernance/algorithmes/",
]


@pytest.mark.parametrize("url", PAGES)
def test_ancestors_are_links_and_the_page_is_current(client, territoire, url):
    response = client.get(url)
    assert response.status_code == 200
    trail = re.search(r'<p class="breadcrumb">(.*?)</p>', response.content.decode(), re.S).group(1)
    *ancestors, current = [step.strip() for step in trail.split("›")]
    assert ancestors and all(re.fullmatch(r'<a href="[^"]+">[^<]+</a>', step) for step in ancestors), trail
    assert re.fullmatch(r'<span aria-current="page">[^<]+</span>', current), trail
