"""The pages the browser tests look at are styled: the stylesheet loads from our own server (no CDN)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_its_stylesheet_from_the_site_itself(page, live_server):
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.goto("/")
    stylesheets = [(url, status) for url, status in responses if url.endswith(".css")]
    assert stylesheets == [(f"{live_server.url}/static/motcua/site.css", 200)]
    header = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert header == "rgb(165, 14, 14)"
