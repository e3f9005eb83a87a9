"""Navigation by role: each kind of user is led to their own work, and only to it."""

import pytest

EXPECTED = {
    "anonymous": ({"/catalogue/"}, {"/registry/products/", "/accounts/", "/exporters/"}),
    "ministry": (
        {
            "/catalogue/",
            "/registry/products/",
            "/registry/curation/",
            "/registry/imports/",
            "/exporters/",
            "/exporters/pending/",
            "/accounts/",
            "/matchmaking/",
        },
        set(),
    ),
    "officer_konawe": (
        {"/registry/products/", "/registry/bumdes/", "/registry/imports/", "/matchmaking/"},
        {"/registry/curation/", "/accounts/", "/exporters/pending/"},
    ),
    "operator": (
        {"/registry/products/", "/registry/bumdes/", "/matchmaking/"},
        {"/registry/imports/", "/registry/curation/", "/accounts/"},
    ),
    "exporter": (
        {"/catalogue/", "/exporters/", "/exporters/mine/", "/matchmaking/"},
        {"/registry/products/", "/registry/imports/", "/accounts/"},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", EXPECTED)
def test_navigation_shows_each_role_its_own_work(as_role, role):
    response = as_role(role).get("/")
    links = {url for url, _ in response.context["nav_items"] + response.context["nav_tools"]}
    present, absent = EXPECTED[role]
    assert present <= links
    assert not (absent & links)
