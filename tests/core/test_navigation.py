"""Navigation by role: each kind of user is led to their own work, and only to it."""

import pytest
from django.urls import reverse

from bumdes_export.core import navigation

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


# The whole bar, the tools row and the home page's buttons, in order, for each role: the apps
# fill them through ``bumdes_export.core.navigation`` (the shared apps never import them).
FULL = {
    "anonymous": (
        ["home", "catalogue:list"],
        ["readiness:checklist", "swagger-ui"],
        [],
    ),
    "ministry": (
        [
            "home",
            "oversight:dashboard",
            "catalogue:list",
            "products:bumdes_list",
            "products:product_list",
            "products:curation",
            "products:import_list",
            "exporters:directory",
            "matchmaking:index",
            "deals:deal_list",
            "forums:forum_list",
            "matching:region",
        ],
        [
            "exporters:pending",
            "matching:gaps",
            "matching:weights",
            "readiness:checklist",
            "catalogue:contact_log",
            "accounts:user_list",
            "reference:retired",
            "admin:index",
            "swagger-ui",
        ],
        [
            "products:curation",
            "exporters:pending",
            "products:import_list",
            "accounts:user_list",
            "accounts:invite",
            "readiness:checklist",
        ],
    ),
    "officer_konawe": (
        [
            "home",
            "oversight:dashboard",
            "catalogue:list",
            "products:bumdes_list",
            "products:product_list",
            "products:import_list",
            "exporters:directory",
            "matchmaking:index",
            "deals:deal_list",
            "forums:forum_list",
            "matching:region",
        ],
        ["readiness:checklist", "swagger-ui"],
        [
            "products:product_list",
            "products:bumdes_create",
            "products:import_list",
            "matchmaking:index",
            "readiness:checklist",
        ],
    ),
    "operator": (
        [
            "home",
            "oversight:dashboard",
            "catalogue:list",
            "products:bumdes_list",
            "products:product_list",
            "exporters:directory",
            "matchmaking:index",
            "deals:deal_list",
            "forums:forum_list",
            "matching:region",
        ],
        ["readiness:checklist", "swagger-ui"],
        ["products:bumdes_list", "matchmaking:index", "readiness:checklist"],
    ),
    "exporter": (
        [
            "home",
            "oversight:dashboard",
            "catalogue:list",
            "exporters:directory",
            "matchmaking:index",
            "forums:forum_list",
            "matching:recommendations",
            "exporters:mine",
        ],
        ["readiness:checklist", "swagger-ui"],
        ["catalogue:list", "matchmaking:index", "exporters:mine", "readiness:checklist"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", FULL)
def test_the_apps_fill_the_bar_the_tools_and_the_home_page_in_order(as_role, role):
    response = as_role(role).get("/")
    items, tools, actions = FULL[role]
    assert [url for url, _ in response.context["nav_items"]] == [reverse(n) for n in items]
    assert [url for url, _ in response.context["nav_tools"]] == [reverse(n) for n in tools]
    assert [url for url, _ in response.context["home_actions"]] == [reverse(n) for n in actions]
    if actions:  # the first button is the main one
        assert f'class="button" href="{reverse(actions[0])}"' in response.content.decode()


def test_registering_a_link_twice_shows_it_once():
    slot: list[navigation.Link] = []
    link = navigation.Link(1, "home", "Home", navigation.everyone)
    navigation.register(slot, link, link)
    navigation.register(slot, link)
    assert slot == [link]


@pytest.mark.django_db
def test_a_link_whose_url_is_not_installed_is_left_out(as_role):
    slot = [
        navigation.Link(2, "home", "Home", navigation.everyone),
        navigation.Link(1, "nowhere:at_all", "Gone", navigation.everyone),
    ]
    assert navigation.links_for(slot, None) == [("/", "Home")]


@pytest.mark.django_db
def test_on_a_phone_the_menu_waits_behind_a_button(as_role):
    # CSS does the hiding (checked in Chromium at 390 px: the kemendes header went from 310 px
    # to 130 px, the Menu button opens the bar and the tools); the markup must offer the button
    # before the menu it opens.
    html = as_role("ministry").get(reverse("home")).content.decode()
    toggle = html.index('id="nav-toggle"')
    assert toggle < html.index('<label for="nav-toggle"') < html.index('class="main-nav"')
