"""Match endpoints under /api/v1/, for every role.

Anonymous requests answer 401; records outside the reader's scope 404 (or 403 where the record
itself is visible but its matches are not), and a refusal never carries any match data; bad
input 400 with field errors, never 500.
"""

from __future__ import annotations

import pytest

from exporters.models import Organisation
from matchmaking.matching import engine, incremental, tasks
from matchmaking.matching.models import MatchDismissal, MatchRun, MatchWeights, ProductMatches
from products.models import BumdesOperator, Product
from tests.factories import UserFactory
from tests.matchmaking.conftest import MM_ROLES

pytestmark = pytest.mark.django_db

API = "/api/v1"
ROLES = [*MM_ROLES, "donggala_operator"]
PRODUCT_SIDE_OF_KONAWE = {"ministry", "officer_sultra", "officer_konawe", "linked_operator"}


@pytest.fixture
def donggala_operator(world):
    user = UserFactory(username="t-bumdes-donggala", operator=True)
    BumdesOperator.objects.create(user=user, bumdes=world.donggala)
    return user


@pytest.fixture
def matched(
    world,
    org_a,
    org_b,
    org_pending,
    verified_exporter,
    second_exporter,
    pending_exporter,
    django_capture_on_commit_callbacks,
):
    """Org A wants crab (030633) and chapter 16 (the draft crab meat); org B the heading 0306.
    Every list computed by a full run."""
    org_a.hs_interests.set(["030633", "16"])
    org_b.hs_interests.set(["0306"])
    org_pending.hs_interests.set(["0306"])
    with django_capture_on_commit_callbacks(execute=True):
        tasks.start_full_run()
    return world


def codes_for(allowed: set[str], code: int = 200, otherwise: int = 404) -> dict[str, int]:
    return {
        role: 401 if role == "anonymous" else code if role in allowed else otherwise
        for role in ROLES
    }


def no_leak(response, *words: str) -> None:
    body = response.content.decode()
    for word in words:
        assert word not in body, f"{word!r} leaked in a {response.status_code} answer"


# --- Product matches -----------------------------------------------------------------------


def test_a_products_matches_for_every_role(matched, api_as, org_a, org_b):
    crab = matched.crab
    expected = codes_for(PRODUCT_SIDE_OF_KONAWE)

    for role, code in expected.items():
        response = api_as(role).get(f"{API}/products/{crab.pk}/matches/")
        assert response.status_code == code, role
        if code != 200:
            no_leak(response, org_a.legal_name, org_b.legal_name, '"score"')


def test_officers_and_operators_see_only_their_regions_products(matched, api_as):
    donggala_crab = matched.donggala_crab
    expected = codes_for({"ministry", "officer_sulteng", "donggala_operator"})

    for role, code in expected.items():
        assert api_as(role).get(f"{API}/products/{donggala_crab.pk}/matches/").status_code == (
            code
        ), role


def test_a_products_matches_say_who_how_well_and_why(matched, api_as, org_a, org_b):
    crab = matched.crab
    data = api_as("linked_operator").get(f"{API}/products/{crab.pk}/matches/").json()

    assert data["product"] == crab.pk
    assert data["product_version"] == data["current_version"] == crab.version
    assert data["up_to_date"] is True and data["computed_at"]
    assert [m["exporter"]["id"] for m in data["matches"]] == [org_a.pk, org_b.pk]
    stored = ProductMatches.objects.get(pk=crab.pk)
    assert data["matches"][0]["score"] == stored.best_score / 10
    for match in data["matches"]:
        assert set(match) >= {"exporter", "score", "components", "reasons", "dismissed"}
        assert set(match["exporter"]) == {"id", "name", "kind", "country"}
        assert 0 <= match["score"] <= 100
        assert list(match["components"]) == [
            "fit",
            "volume",
            "certificates",
            "markets",
            "logistics",
            "readiness",
        ]
        assert sum(c["points"] for c in match["components"].values()) == pytest.approx(
            match["score"]
        )
        assert all(0 <= c["points"] <= c["max"] for c in match["components"].values())
        assert len(match["reasons"]) == 6 and all(r.strip() for r in match["reasons"])
        assert match["dismissed"] is False
    # Org A wants exactly this subheading, org B the heading: full and partial fit credit.
    assert data["matches"][0]["components"]["fit"]["points"] == 30
    assert data["matches"][1]["components"]["fit"]["points"] == 21


def test_a_product_never_scored_says_so(matched, api_as):
    ProductMatches.objects.filter(pk=matched.oil.pk).delete()
    data = api_as("ministry").get(f"{API}/products/{matched.oil.pk}/matches/").json()

    assert data["matches"] == []
    assert data["product_version"] is None and data["up_to_date"] is False


def test_a_product_changed_since_its_list_was_computed_is_flagged(matched, api_as):
    Product.objects.filter(pk=matched.crab.pk).update(version=matched.crab.version + 1)
    data = api_as("ministry").get(f"{API}/products/{matched.crab.pk}/matches/").json()

    assert data["up_to_date"] is False
    assert data["current_version"] == data["product_version"] + 1


def test_an_unknown_product_is_404(matched, api_as):
    assert api_as("ministry").get(f"{API}/products/987654/matches/").status_code == 404
    assert api_as("ministry").get(f"{API}/products/abc/matches/").status_code == 404


# --- Organisation matches -----------------------------------------------------------------


def test_an_organisations_recommendations_for_every_role(matched, api_as, org_a):
    expected = codes_for({"ministry", "verified_exporter"}, otherwise=403)

    for role, code in expected.items():
        response = api_as(role).get(f"{API}/exporters/{org_a.pk}/matches/")
        assert response.status_code == code, role
        if code != 200:
            no_leak(response, matched.crab.name_id, '"score"')


def test_a_pending_organisation_is_hidden_from_everyone_but_its_members_and_ministry(
    matched, api_as, org_pending
):
    expected = codes_for({"ministry", "pending_exporter"})

    for role, code in expected.items():
        response = api_as(role).get(f"{API}/exporters/{org_pending.pk}/matches/")
        assert response.status_code == code, role
    # Pending organisations are not matched at all.
    assert (
        api_as("pending_exporter")
        .get(f"{API}/exporters/{org_pending.pk}/matches/")
        .json()["results"]
        == []
    )


def test_recommendations_are_export_ready_products_best_first(matched, api_as, org_a):
    data = api_as("verified_exporter").get(f"{API}/exporters/{org_a.pk}/matches/").json()

    ids = [m["product"]["id"] for m in data["results"]]
    assert data["organisation"] == org_a.pk and data["count"] == len(ids)
    assert set(ids) == {matched.crab.pk, matched.donggala_crab.pk}
    assert matched.crab_draft.pk not in ids, "a draft is in org A's chapter but not export-ready"
    scores = [m["score"] for m in data["results"]]
    assert scores == sorted(scores, reverse=True)
    first = data["results"][0]
    assert set(first["product"]) == {"id", "name", "name_en", "hs_code", "bumdes", "village"}
    assert first["product_version"] == Product.objects.get(pk=first["product"]["id"]).version
    assert len(first["reasons"]) == 6 and 0 <= first["score"] <= 100

    # The draft is in the product side's list of its own matches, though.
    draft = api_as("ministry").get(f"{API}/products/{matched.crab_draft.pk}/matches/").json()
    assert [m["exporter"]["id"] for m in draft["matches"]] == [org_a.pk]


def test_a_product_no_longer_export_ready_leaves_the_recommendations_at_once(
    matched, api_as, org_a
):
    Product.objects.filter(pk=matched.crab.pk).update(status=Product.Status.SUBMITTED)

    data = api_as("verified_exporter").get(f"{API}/exporters/{org_a.pk}/matches/").json()

    assert [m["product"]["id"] for m in data["results"]] == [matched.donggala_crab.pk]


# --- Dismissals ----------------------------------------------------------------------------

DISMISS = f"{API}/matches/dismissals/"


def test_an_organisation_dismisses_a_product_and_restores_it(matched, api_as, org_a):
    api = api_as("verified_exporter")
    crab = matched.crab

    response = api.post(DISMISS, {"product": crab.pk, "organisation": org_a.pk, "reason": "Size"})
    assert response.status_code == 201, response.content
    dismissal = MatchDismissal.objects.get()
    assert (dismissal.side, dismissal.reason) == ("organisation", "Size")

    listed = api.get(f"{API}/exporters/{org_a.pk}/matches/").json()["results"]
    assert crab.pk not in [m["product"]["id"] for m in listed]
    every = api.get(f"{API}/exporters/{org_a.pk}/matches/?include_dismissed=1").json()["results"]
    assert {m["product"]["id"]: m["dismissed"] for m in every}[crab.pk] is True
    # The product's side still sees the organisation: dismissals are per side.
    side = api_as("linked_operator").get(f"{API}/products/{crab.pk}/matches/").json()
    assert org_a.pk in [m["exporter"]["id"] for m in side["matches"]]

    # Twice is still one dismissal.
    assert api.post(DISMISS, {"product": crab.pk, "organisation": org_a.pk}).status_code == 201
    assert MatchDismissal.objects.count() == 1

    response = api.delete(f"{DISMISS}?product={crab.pk}&organisation={org_a.pk}")
    assert response.status_code == 204
    assert not MatchDismissal.objects.exists()
    listed = api.get(f"{API}/exporters/{org_a.pk}/matches/").json()["results"]
    assert crab.pk in [m["product"]["id"] for m in listed]


def test_the_product_side_dismisses_an_organisation(matched, api_as, org_a, org_b):
    api = api_as("linked_operator")
    crab = matched.crab

    assert api.post(DISMISS, {"product": crab.pk, "organisation": org_b.pk}).status_code == 201
    assert MatchDismissal.objects.get().side == "product"
    shown = api.get(f"{API}/products/{crab.pk}/matches/").json()["matches"]
    assert [m["exporter"]["id"] for m in shown] == [org_a.pk]
    every = api.get(f"{API}/products/{crab.pk}/matches/?include_dismissed=true").json()["matches"]
    assert [(m["exporter"]["id"], m["dismissed"]) for m in every] == [
        (org_a.pk, False),
        (org_b.pk, True),
    ]


def test_who_may_dismiss_a_suggestion(matched, api_as, org_a):
    crab = matched.crab
    allowed = PRODUCT_SIDE_OF_KONAWE | {"verified_exporter"}
    for role in ROLES:
        MatchDismissal.objects.all().delete()
        response = api_as(role).post(DISMISS, {"product": crab.pk, "organisation": org_a.pk})
        expected = 401 if role == "anonymous" else 201 if role in allowed else 403
        assert response.status_code == expected, role
        restore = api_as(role).delete(f"{DISMISS}?product={crab.pk}&organisation={org_a.pk}")
        assert restore.status_code == (204 if expected == 201 else expected), role


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"organisation": "ORG"}, "product"),
        ({"product": 987654, "organisation": "ORG"}, "product"),
        ({"product": "abc", "organisation": "ORG"}, "product"),
        ({"product": "CRAB"}, "organisation"),
        ({"product": "CRAB", "organisation": 987654}, "organisation"),
        ({"product": "CRAB", "organisation": [1, 2]}, "organisation"),
        ({"product": "CRAB", "organisation": "ORG", "reason": "x" * 301}, "reason"),
    ],
)
def test_bad_dismissals_are_400_with_the_field(matched, api_as, org_a, data, field):
    data = {
        key: {"CRAB": matched.crab.pk, "ORG": org_a.pk}.get(value, value)
        if isinstance(value, str)
        else value
        for key, value in data.items()
    }
    api = api_as("verified_exporter")

    response = api.post(DISMISS, data, format="json")
    assert response.status_code == 400
    assert field in response.json()

    query = "&".join(f"{k}={v}" for k, v in data.items() if k != "reason")
    response = api.delete(f"{DISMISS}?{query}")
    if field != "reason":
        assert response.status_code == 400
        assert field in response.json()
    assert not MatchDismissal.objects.exists()


# --- Region and gaps -----------------------------------------------------------------------


def test_the_region_list_for_every_role(matched, api_as):
    w = matched
    expected = {
        "anonymous": None,
        "ministry": {w.crab.pk, w.oil.pk, w.donggala_crab.pk},
        "officer_sultra": {w.crab.pk, w.oil.pk},
        "officer_konawe": {w.crab.pk, w.oil.pk},
        "officer_sulteng": {w.donggala_crab.pk},
        "linked_operator": {w.crab.pk, w.oil.pk},
        "donggala_operator": {w.donggala_crab.pk},
        "operator": set(),
    }
    for role in ROLES:
        response = api_as(role).get(f"{API}/matches/region/")
        if role == "anonymous":
            assert response.status_code == 401
        elif role in expected:
            assert response.status_code == 200, role
            assert {row["product"]["id"] for row in response.json()} == expected[role], role
        else:
            assert response.status_code == 403, role
            no_leak(response, w.crab.name_id)


def test_the_region_list_shows_each_products_best_match(matched, api_as, org_a):
    rows = {
        row["product"]["id"]: row for row in api_as("ministry").get(f"{API}/matches/region/").json()
    }
    crab = rows[matched.crab.pk]

    assert crab["best_score"] == ProductMatches.objects.get(pk=matched.crab.pk).best_score / 10
    assert crab["matches"] == 2
    assert crab["top_organisation"]["id"] == org_a.pk
    assert (
        rows[matched.oil.pk]["best_score"] == 0 and rows[matched.oil.pk]["top_organisation"] is None
    )


def test_the_region_list_filters(matched, api_as):
    api = api_as("ministry")
    only_74 = api.get(f"{API}/matches/region/?province=74").json()
    assert {row["product"]["id"] for row in only_74} == {matched.crab.pk, matched.oil.pk}

    below = api.get(f"{API}/matches/region/?below=50").json()
    assert {row["product"]["id"] for row in below} == {matched.oil.pk}

    for bad in ("abc", "-1", "1.5"):
        response = api.get(f"{API}/matches/region/?below={bad}")
        assert response.status_code == 400 and "below" in response.json(), bad


def test_gaps_for_ministry_staff_only(matched, api_as):
    for role in ROLES:
        response = api_as(role).get(f"{API}/matches/gaps/")
        expected = 401 if role == "anonymous" else 200 if role == "ministry" else 403
        assert response.status_code == expected, role
        if expected != 200:
            no_leak(response, "Sulawesi")

    gaps = {g["code"]: g for g in api_as("ministry").get(f"{API}/matches/gaps/").json()}
    # Konawe (74): crab (good match) and oil (none); Donggala (72): its crab.
    assert gaps["74"] == {
        "code": "74",
        "name": gaps["74"]["name"],
        "products": 2,
        "without_good_match": 1,
        "without_any_match": 1,
    }
    assert (gaps["72"]["products"], gaps["72"]["without_any_match"]) == (1, 0)


# --- Weights and runs ----------------------------------------------------------------------

WEIGHTS = f"{API}/matches/weights/"
RUNS = f"{API}/matches/runs/"


def test_weights_for_ministry_staff_only(matched, api_as):
    for role in ROLES:
        expected = 401 if role == "anonymous" else 200 if role == "ministry" else 403
        assert api_as(role).get(WEIGHTS).status_code == expected, role
        put = api_as(role).put(WEIGHTS, {"weight_fit": 40, "weight_volume": 5}, format="json")
        assert put.status_code == expected, role
    assert MatchWeights.objects.count() == 2  # the ministry's PUT above


def test_ministry_staff_put_new_weights_and_everything_is_rescored(
    matched, api_as, django_capture_on_commit_callbacks
):
    api = api_as("ministry")
    current = api.get(WEIGHTS).json()
    assert current["weight_fit"] == 30 and current["min_score"] == 40

    with django_capture_on_commit_callbacks(execute=True):
        response = api.put(WEIGHTS, {"weight_fit": 40, "weight_volume": 5}, format="json")

    assert response.status_code == 200, response.content
    new = response.json()
    assert (new["weight_fit"], new["weight_volume"], new["weight_markets"]) == (40, 5, 10)
    assert new["id"] != current["id"]
    run = MatchRun.objects.order_by("-pk").first()
    assert (run.status, run.weights_version) == ("done", new["id"])
    assert set(ProductMatches.objects.values_list("weights_version", flat=True)) == {new["id"]}
    assert api.get(WEIGHTS).json()["id"] == new["id"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"weight_fit": 50}, "non_field_errors"),
        ({"fit_heading_pct": 20, "fit_chapter_pct": 40}, "fit_chapter_pct"),
        ({"weight_fit": -5, "weight_volume": 50}, "weight_fit"),
        ({"weight_fit": "lots"}, "weight_fit"),
        ({"season_months": 13}, "season_months"),
        ({"min_score": 120}, "min_score"),
        ({"distance_zero_km": 10}, "distance_zero_km"),
    ],
)
def test_invalid_weights_are_400_with_the_field(matched, api_as, data, field):
    before = MatchWeights.objects.count()
    response = api_as("ministry").put(WEIGHTS, data, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert MatchWeights.objects.count() == before


def test_runs_for_ministry_staff_only(matched, api_as, django_capture_on_commit_callbacks):
    for role in ROLES:
        expected = 401 if role == "anonymous" else 200 if role == "ministry" else 403
        assert api_as(role).get(RUNS).status_code == expected, role
        if role != "ministry":
            response = api_as(role).post(RUNS)
            assert response.status_code == (401 if role == "anonymous" else 403), role
    assert MatchRun.objects.count() == 1

    api = api_as("ministry")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(RUNS)
    assert response.status_code == 202
    started = response.json()
    assert started["status"] == "running" and started["chunks_total"] >= 1

    listed = api.get(RUNS).json()
    assert [run["id"] for run in listed] == list(
        MatchRun.objects.order_by("-pk").values_list("pk", flat=True)
    )
    assert listed[0]["status"] == "done"
    assert listed[0]["chunks_done"] == listed[0]["chunks_total"]


def test_organisations_that_are_not_verified_are_not_listed_for_products(matched, api_as, org_a):
    Organisation.objects.filter(pk=org_a.pk).update(status=Organisation.Status.PENDING)
    engine.forget_context()
    incremental.rescore_organisation(org_a.pk)

    data = api_as("ministry").get(f"{API}/products/{matched.crab.pk}/matches/").json()
    assert org_a.pk not in [m["exporter"]["id"] for m in data["matches"]]
