"""Input no client would send by accident: JSON nested thousands deep gets the documented 400, never a 500."""

import pytest

from tests.support.admin import admin_headers

DEEP = "[" * 20_000 + "]" * 20_000
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def ana_token(sio, create_session) -> str:
    created = create_session()
    phone = sio("/participant", code=created["code"], name="Ana")
    return phone.get_received("/participant")[0]["args"][0]["token"]


def test_json_nested_twenty_thousand_deep_is_a_bad_request_on_every_route_that_reads_json(
    client, create_session, ana_token
):
    """Each of these answered 500 with a RecursionError traceback in the log."""
    code = create_session()["code"]
    routes = [
        ("post", "/api/sessions", admin_headers()),
        ("patch", f"/api/sessions/{code}", admin_headers()),
        ("post", "/api/organisations", admin_headers()),
        ("post", f"/p/{ana_token}/check-ins", {}),
    ]
    for method, path, headers in routes:
        response = getattr(client, method)(path, data=DEEP, headers={**headers, **JSON})
        assert response.status_code == 400, (path, response.status_code)
        assert response.get_json()["code"] == "bad_request", path
    assert client.get(f"/api/sessions/{code}", headers=admin_headers()).status_code == 200  # nothing lost
