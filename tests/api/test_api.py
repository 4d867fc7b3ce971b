import pytest


@pytest.mark.django_db
def test_openapi_spec_is_published(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Một Cửa API"
    assert "/api/v1/version" in spec["paths"]


@pytest.mark.django_db
def test_version_endpoint(client):
    assert client.get("/api/v1/version").json() == {"name": "Một Cửa", "version": "0.1.0"}
