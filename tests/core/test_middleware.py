import re

import pytest


@pytest.mark.django_db
def test_every_response_says_how_long_the_application_took(client):
    response = client.get("/healthz")
    timing = response["Server-Timing"]
    match = re.fullmatch(r"app;dur=(\d+\.\d)", timing)
    assert match, timing
    assert 0 < float(match.group(1)) < 60_000
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_server_timing_is_also_on_errors(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Server-Timing"].startswith("app;dur=")
