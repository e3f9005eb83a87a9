"""Match pages: who may open which page and what they see, dismissing and restoring, the weights
form and the full rescore button.

As on the other matchmaking pages: anonymous visitors go to the login page, another role gets
403 with the reason, bad input answers 400 with the message on the field, and the dismiss and
restore buttons answer every problem with a message (never an error page).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from bumdes_export.core.models import BackgroundJob
from matchmaking.matching import services
from matchmaking.matching.models import MatchDismissal, MatchRun, MatchWeights, ProductMatches
from tests.matchmaking.conftest import MM_ROLES
from tests.matchmaking.factories import OrganisationFactory
from tests.matchmaking.matching.page_world import score_world

pytestmark = pytest.mark.django_db

BASE = "/matchmaking/matches/"
EXPORTER_ROLES = {
    "exporter",
    "verified_exporter",
    "second_exporter",
    "pending_exporter",
    "provider",
}
OFFICERS = {"officer_sultra", "officer_sulteng", "officer_konawe"}
PRODUCT_SIDE_ROLES = {"ministry", "operator", "linked_operator", *OFFICERS}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def scored(world, org_a, org_b, org_pending):
    score_world(world, org_a, org_b, org_pending)
    return world


def status_of(response) -> int | str:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Who may open which page ----------------------------------------------------------------


EXPECTED = {
    "recommendations/": {
        **{role: 200 for role in EXPORTER_ROLES | {"ministry"}},
        **{role: 403 for role in OFFICERS | {"operator", "linked_operator"}},
    },
    "region/": {
        **{role: 200 for role in PRODUCT_SIDE_ROLES},
        **{role: 403 for role in EXPORTER_ROLES},
    },
    "gaps/": {role: 200 if role == "ministry" else 403 for role in MM_ROLES},
    "weights/": {role: 200 if role == "ministry" else 403 for role in MM_ROLES},
}


@pytest.mark.parametrize("page", list(EXPECTED))
@pytest.mark.parametrize("role", MM_ROLES)
def test_who_may_open_each_page(page, role, as_role, scored):
    expected = "login" if role == "anonymous" else EXPECTED[page][role]
    response = as_role(role).get(BASE + page)
    assert status_of(response) == expected
    if expected == 403:
        # The reason, on the page the other matchmaking pages use for it.
        heading = "Verification pending" if role == "pending_exporter" else "Not allowed"
        assertContains(response, heading, status_code=403)


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("path", ["dismiss/", "restore/", "rescore/"])
def test_post_only_endpoints_refuse_get(path, role, as_role):
    response = as_role(role).get(BASE + path)
    assert status_of(response) in ("login", 405)


# --- Recommendations ------------------------------------------------------------------------


def test_member_sees_the_organisations_recommended_products(as_role, scored):
    response = as_role("verified_exporter").get(BASE + "recommendations/")
    assertContains(response, "Harbour Test Seafood Ltd")
    assertContains(response, "Mud crab")  # the English name, in English
    assertContains(response, "Kepiting Donggala")
    assertNotContains(response, "Minyak alpukat")  # another chapter
    assertNotContains(response, "Daging rajungan")  # a draft is never recommended
    # Score, the six components with points and maximum, the reasons, the product version.
    assertContains(response, "Product fit (HS code)")
    assertContains(response, "30 / 30")
    assertContains(response, "Readiness and season")
    assertContains(response, "Same HS subheading as the organisation")
    assertContains(response, "Up to date with the product's latest change.")
    # The actions: inquiry, shortlist, dismiss.
    assertContains(response, f"/matchmaking/inquiries/new/?product={scored.crab.pk}")
    assertContains(response, 'action="/matchmaking/shortlist/add/"')
    assertContains(response, 'action="/matchmaking/matches/dismiss/"')


def test_recommended_products_are_export_ready_only(as_role, scored):
    from products.models import Product

    Product.objects.filter(pk=scored.donggala_crab.pk).update(status=Product.Status.VERIFIED)
    response = as_role("verified_exporter").get(BASE + "recommendations/")
    assertContains(response, "Mud crab")
    assertNotContains(response, "Kepiting Donggala")


def test_shortlisted_and_asked_about_products_say_so(as_role, scored, verified_exporter):
    from matchmaking.dealings import services as matchmaking_services

    matchmaking_services.add_to_shortlist(actor=verified_exporter, product=scored.crab)
    inquiry = matchmaking_services.start_inquiry(
        actor=verified_exporter, product=scored.crab, subject="Crab", body="Price please"
    )
    response = as_role("verified_exporter").get(BASE + "recommendations/")
    assertContains(response, "On your shortlist")
    assertContains(response, f"/matchmaking/inquiries/{inquiry.pk}/")


def test_shortlist_button_adds_and_comes_back(as_role, scored, org_a):
    client = as_role("verified_exporter")
    response = client.post(
        "/matchmaking/shortlist/add/",
        {"product": scored.crab.pk, "next": BASE + "recommendations/"},
    )
    assert response.status_code == 302
    assert response["Location"] == BASE + "recommendations/"
    assertContains(client.get(BASE + "recommendations/"), "On your shortlist")


def test_pending_organisation_sees_an_explanation(as_role, scored):
    response = as_role("pending_exporter").get(BASE + "recommendations/")
    assertContains(response, "Pending Foods K.K.")
    assertContains(response, "not verified yet")
    assertNotContains(response, "Mud crab")


def test_exporter_without_organisation_is_told_to_register(as_role, scored):
    response = as_role("exporter").get(BASE + "recommendations/")
    assertContains(response, "does not belong to an organisation")
    assertContains(response, "/exporters/register/")


def test_second_organisation_sees_its_own_list(as_role, scored):
    response = as_role("second_exporter").get(BASE + "recommendations/")
    assertContains(response, "Second Buyer Pte Ltd")
    assertContains(response, "Mud crab")


@pytest.mark.parametrize(
    "role,expected",
    [
        ("ministry", 200),
        ("verified_exporter", 200),  # its own
        ("second_exporter", 404),
        ("pending_exporter", 404),
        ("exporter", 404),
        ("officer_sultra", 403),
        ("linked_operator", 403),
    ],
)
def test_one_organisations_list_by_id(role, expected, as_role, scored, org_a):
    response = as_role(role).get(BASE + f"recommendations/?organisation={org_a.pk}")
    assert response.status_code == expected
    if expected == 200:
        assertContains(response, "Harbour Test Seafood Ltd")
        assertContains(response, "Mud crab")


def test_ministry_reads_an_organisations_list_without_acting_for_it(as_role, scored, org_a):
    response = as_role("ministry").get(BASE + f"recommendations/?organisation={org_a.pk}")
    assertContains(response, "Mud crab")
    assertNotContains(response, 'action="/matchmaking/matches/dismiss/"')
    assertNotContains(response, 'action="/matchmaking/shortlist/add/"')


def test_ministry_chooses_an_organisation(as_role, scored, org_a, org_pending):
    response = as_role("ministry").get(BASE + "recommendations/")
    assertContains(response, f"?organisation={org_a.pk}")
    assertNotContains(response, "Pending Foods K.K.")  # not matched until verified
    response = as_role("ministry").get(BASE + "recommendations/?q=second")
    assertContains(response, "Second Buyer Pte Ltd")
    assertNotContains(response, "Harbour Test Seafood Ltd")


def test_ministry_is_told_when_an_organisation_is_not_matched(as_role, scored, org_pending):
    service = OrganisationFactory(legal_name="Only Services Ltd", kind="service")
    for organisation in (org_pending, service):
        response = as_role("ministry").get(
            BASE + f"recommendations/?organisation={organisation.pk}"
        )
        assertContains(response, "gets no recommendations")


def test_unknown_organisation_is_404(as_role, scored):
    assert as_role("ministry").get(BASE + "recommendations/?organisation=999999").status_code == 404


# --- Dismissing and restoring ---------------------------------------------------------------


def test_exporter_dismisses_and_restores_a_suggestion(as_role, scored, org_a):
    client = as_role("verified_exporter")
    page = BASE + "recommendations/"
    response = client.post(
        BASE + "dismiss/",
        {
            "product": scored.crab.pk,
            "organisation": org_a.pk,
            "reason": "We buy only frozen crab",
            "next": page,
        },
        follow=True,
    )
    assert response.redirect_chain == [(page, 302)]
    assert any("dismissed" in m for m in messages_of(response))
    dismissal = MatchDismissal.objects.get()
    assert (dismissal.side, dismissal.reason) == ("organisation", "We buy only frozen crab")
    assertNotContains(response, "Mud crab")
    assertContains(response, "Kepiting Donggala")
    # Kept: the dismissed view lists it with the reason and a restore button.
    response = client.get(page + "?show=dismissed")
    assertContains(response, "Mud crab")
    assertContains(response, "We buy only frozen crab")
    assertContains(response, 'action="/matchmaking/matches/restore/"')
    # The other side is not affected: the product side still sees the organisation.
    product_page = as_role("ministry").get(f"/registry/products/{scored.crab.pk}/")
    assertContains(product_page, "Harbour Test Seafood Ltd")
    client = as_role("verified_exporter")
    response = client.post(
        BASE + "restore/",
        {"product": scored.crab.pk, "organisation": org_a.pk, "next": page},
        follow=True,
    )
    assert not MatchDismissal.objects.exists()
    assertContains(response, "Mud crab")
    assert any("shown again" in m for m in messages_of(response))


def test_product_side_dismisses_from_the_product_page(as_role, scored, org_a):
    client = as_role("officer_konawe")
    product_page = f"/registry/products/{scored.crab.pk}/"
    response = client.post(
        BASE + "dismiss/",
        {"product": scored.crab.pk, "organisation": org_a.pk, "next": product_page},
    )
    assert response.status_code == 302
    assert response["Location"] == product_page
    assert MatchDismissal.objects.get().side == "product"
    # The organisation still sees the product in its list.
    assertContains(as_role("verified_exporter").get(BASE + "recommendations/"), "Mud crab")


@pytest.mark.parametrize("role", ["second_exporter", "pending_exporter", "officer_sulteng"])
def test_who_may_not_dismiss_gets_a_message(role, as_role, scored, org_a):
    response = as_role(role).post(
        BASE + "dismiss/",
        {"product": scored.crab.pk, "organisation": org_a.pk, "next": "/matchmaking/inbox/"},
        follow=True,
    )
    assert response.redirect_chain == [("/matchmaking/inbox/", 302)]
    assert any("only dismiss suggestions" in m for m in messages_of(response))
    assert not MatchDismissal.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"product": "abc", "organisation": "1"},
        {"product": "999999", "organisation": "999999"},
        {"product": "-1", "organisation": "0"},
    ],
)
def test_bad_dismissals_end_in_a_message(data, as_role, scored):
    response = as_role("verified_exporter").post(BASE + "dismiss/", data)
    assert response.status_code == 302
    assert response["Location"] == BASE + "recommendations/"
    assert not MatchDismissal.objects.exists()


def test_too_long_a_reason_is_refused_with_a_message(as_role, scored, org_a):
    response = as_role("verified_exporter").post(
        BASE + "dismiss/",
        {"product": scored.crab.pk, "organisation": org_a.pk, "reason": "x" * 301},
        follow=True,
    )
    assert response.status_code == 200
    assert any("300" in m for m in messages_of(response))
    assert not MatchDismissal.objects.exists()


def test_next_must_stay_on_the_site(as_role, scored, org_a):
    response = as_role("verified_exporter").post(
        BASE + "dismiss/",
        {"product": scored.crab.pk, "organisation": org_a.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == BASE + "recommendations/"
    response = as_role("officer_konawe").post(
        BASE + "restore/",
        {"product": scored.crab.pk, "organisation": org_a.pk, "next": "//evil.example/x"},
    )
    assert response["Location"] == f"/registry/products/{scored.crab.pk}/"


def test_anonymous_cannot_dismiss(client, scored, org_a):
    response = client.post(BASE + "dismiss/", {"product": scored.crab.pk, "organisation": org_a.pk})
    assert status_of(response) == "login"
    assert not MatchDismissal.objects.exists()


def test_dismissing_twice_keeps_one_record(as_role, scored, org_a):
    client = as_role("verified_exporter")
    for _ in range(2):
        client.post(BASE + "dismiss/", {"product": scored.crab.pk, "organisation": org_a.pk})
    assert MatchDismissal.objects.count() == 1


# --- Region lists ---------------------------------------------------------------------------


REGION_SEES = {
    "ministry": {"Kepiting bakau", "Kepiting Donggala", "Minyak alpukat"},
    "officer_sultra": {"Kepiting bakau", "Minyak alpukat"},
    "officer_konawe": {"Kepiting bakau", "Minyak alpukat"},
    "officer_sulteng": {"Kepiting Donggala"},
    "linked_operator": {"Kepiting bakau", "Minyak alpukat"},
    "operator": set(),
}


@pytest.mark.parametrize("role", list(REGION_SEES))
def test_region_list_is_limited_to_the_users_side(role, as_role, scored):
    response = as_role(role).get(BASE + "region/")
    assert response.status_code == 200
    for name in {"Kepiting bakau", "Kepiting Donggala", "Minyak alpukat"}:
        if name in REGION_SEES[role]:
            assertContains(response, name)
        else:
            assertNotContains(response, name)
    assertNotContains(response, "Daging rajungan")  # drafts are not matched yet


def test_region_list_shows_best_score_and_top_organisation(as_role, scored, org_a):
    response = as_role("officer_konawe").get(BASE + "region/")
    assertContains(response, f"/exporters/{org_a.pk}/")
    assertContains(response, "no match")  # the avocado oil: nobody wants chapter 15
    assertContains(response, f"/registry/products/{scored.crab.pk}/#product-matches")


def test_region_filters_below_the_good_score(as_role, scored):
    response = as_role("ministry").get(BASE + "region/?below=60")
    assertContains(response, "Minyak alpukat")
    assertNotContains(response, "Kepiting bakau")
    assertContains(response, 'name="below" value="60" checked')


def test_region_province_choice_is_limited_to_the_officers_scope(as_role, scored):
    response = as_role("officer_sultra").get(BASE + "region/")
    assertContains(response, '<option value="74.02">')
    assertNotContains(response, '<option value="72">')
    # A province outside the scope is left out (with a note), never widening the list.
    response = as_role("officer_sultra").get(BASE + "region/?province=72")
    assertContains(response, "not understood")
    assertContains(response, "Kepiting bakau")
    assertNotContains(response, "Kepiting Donggala")
    # Narrowing to a regency of the province.
    response = as_role("officer_sultra").get(BASE + "region/?province=74.02")
    assertContains(response, "Kepiting bakau")


def test_ministry_filters_by_province(as_role, scored):
    response = as_role("ministry").get(BASE + "region/?province=72")
    assertContains(response, "Kepiting Donggala")
    assertNotContains(response, "Kepiting bakau")
    assertContains(response, '<option value="72" selected>')


def test_regency_officer_and_operator_get_no_region_choice(as_role, scored):
    for role in ("officer_konawe", "linked_operator"):
        response = as_role(role).get(BASE + "region/?province=72")
        assertNotContains(response, 'name="province"')
        assertContains(response, "Kepiting bakau")


@pytest.mark.parametrize("below", ["abc", "101", "-1"])
def test_bad_below_value_is_left_out(below, as_role, scored):
    response = as_role("ministry").get(BASE + f"region/?below={below}")
    assert response.status_code == 200
    assertContains(response, "Kepiting bakau")


# --- Gaps, full rescore ---------------------------------------------------------------------


def test_gaps_by_province(as_role, scored):
    response = as_role("ministry").get(BASE + "gaps/")
    gaps = {gap.code: gap for gap in response.context["gaps"]}
    assert (gaps["74"].products, gaps["74"].without_good_match, gaps["74"].without_any_match) == (
        2,
        1,
        1,
    )
    assert gaps["72"].without_good_match == 0
    assertContains(response, "Sulawesi Tenggara")
    assertContains(response, "/matchmaking/matches/region/?province=74&amp;below=60")
    # The weights in force and the rescore button.
    assertContains(response, "Product fit (HS code)")
    assertContains(response, "30 points")
    assertContains(response, 'action="/matchmaking/matches/rescore/"')
    assertContains(response, "No full rescore has run yet")


def test_rescore_button_runs_a_full_rescore(as_role, scored, django_capture_on_commit_callbacks):
    client = as_role("ministry")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BASE + "rescore/")
    assert response.status_code == 302
    assert response["Location"] == BASE + "gaps/#rescore"
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.DONE  # Celery runs eagerly in tests
    assert run.job.status == BackgroundJob.Status.DONE
    response = client.get(BASE + "gaps/")
    assertContains(response, f'data-job-url="/jobs/{run.job_id}/"')
    assertContains(response, "js/jobs.js")
    assertContains(response, f"#{run.pk}")
    assert client.get(f"/jobs/{run.job_id}/").json()["finished"] is True


def test_rescore_button_while_a_run_is_going_starts_no_second(
    as_role, scored, ministry, django_capture_on_commit_callbacks
):
    from matchmaking.matching import runs

    running = MatchRun.objects.create(weights_version=1, chunks_total=3)
    assert runs.active_run() == running
    response = as_role("ministry").post(BASE + "rescore/", follow=True)
    assert MatchRun.objects.count() == 1
    assert any("already running" in m for m in messages_of(response))
    assertContains(response, "A full rescore is running")


@pytest.mark.parametrize("role", ["officer_sultra", "verified_exporter", "linked_operator"])
def test_only_ministry_may_rescore(role, as_role, scored):
    response = as_role(role).post(BASE + "rescore/")
    assert response.status_code == 403
    assert not MatchRun.objects.exists()


# --- Weights --------------------------------------------------------------------------------


def weights_data(**changes) -> dict:
    row = MatchWeights()
    data = {name: getattr(row, name) for name in services.WEIGHT_FIELDS + services.THRESHOLD_FIELDS}
    return {**data, **changes}


def test_weights_form_shows_every_weight_and_threshold_with_help(as_role, scored):
    response = as_role("ministry").get(BASE + "weights/")
    for name in services.WEIGHT_FIELDS + services.THRESHOLD_FIELDS:
        assertContains(response, f'name="{name}"')
    assertContains(response, "Pairs scoring below this are never listed.")
    assertContains(response, "Points for holding the certificates the organisation requires.")


def test_weights_that_do_not_add_up_to_100_are_refused(as_role, scored):
    before = MatchWeights.objects.count()
    response = as_role("ministry").post(BASE + "weights/", weights_data(weight_fit=35))
    assert response.status_code == 400
    assertContains(response, "The six weights must add up to 100 points.", status_code=400)
    assert MatchWeights.objects.count() == before
    assert not MatchRun.objects.exists()


def test_threshold_errors_are_shown_on_their_field(as_role, scored):
    response = as_role("ministry").post(
        BASE + "weights/", weights_data(fit_chapter_pct=80, fit_heading_pct=70)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "fit_chapter_pct" in form.errors
    assert "cannot earn more than a heading match" in form.errors["fit_chapter_pct"][0]
    response = as_role("ministry").post(
        BASE + "weights/", weights_data(distance_full_km=500, distance_zero_km=400)
    )
    assert "distance_zero_km" in response.context["form"].errors


@pytest.mark.parametrize(
    "field,value", [("weight_fit", "-5"), ("min_score", "abc"), ("season_months", "")]
)
def test_malformed_numbers_are_field_errors(field, value, as_role, scored):
    response = as_role("ministry").post(BASE + "weights/", weights_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_season_months_out_of_range_is_a_field_error(as_role, scored):
    response = as_role("ministry").post(BASE + "weights/", weights_data(season_months=13))
    assert response.status_code == 400
    assert "season_months" in response.context["form"].errors


def test_new_weights_are_put_in_force_and_rescore_everything(
    as_role, scored, ministry, django_capture_on_commit_callbacks
):
    before = MatchWeights.objects.count()
    client = as_role("ministry")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            BASE + "weights/", weights_data(weight_fit=25, weight_volume=20, good_score=90)
        )
    assert response.status_code == 302
    assert response["Location"] == BASE + "gaps/#rescore"
    assert MatchWeights.objects.count() == before + 1
    row = MatchWeights.objects.order_by("-pk").first()
    assert (row.weight_fit, row.weight_volume, row.good_score, row.created_by) == (
        25,
        20,
        90,
        ministry,
    )
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.DONE
    assert run.weights_version == row.pk
    assert set(ProductMatches.objects.values_list("weights_version", flat=True)) == {row.pk}
    response = client.get(BASE + "gaps/")
    assert any("new weights are in force" in m for m in messages_of(response))
    # With a good score of 90 every product is a gap now.
    assertContains(response, "region/?province=74&amp;below=90")
    assertContains(response, "25 points")


def test_unchanged_weights_start_nothing(as_role, scored, django_capture_on_commit_callbacks):
    before = MatchWeights.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("ministry").post(BASE + "weights/", weights_data(), follow=True)
    assert MatchWeights.objects.count() == before
    assert not MatchRun.objects.exists()
    assert any("Nothing changed" in m for m in messages_of(response))


# --- Navigation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,present,absent",
    [
        ("verified_exporter", ["recommendations/"], ["region/", "gaps/", "weights/"]),
        ("officer_sultra", ["region/"], ["recommendations/", "gaps/", "weights/"]),
        ("linked_operator", ["region/"], ["recommendations/", "gaps/"]),
        ("ministry", ["region/", "gaps/", "weights/"], []),
    ],
)
def test_navigation_links_to_the_users_match_pages(role, present, absent, as_role, regions):
    response = as_role(role).get("/")
    for path in present:
        assertContains(response, f'href="{BASE}{path}"')
    for path in absent:
        assertNotContains(response, f'href="{BASE}{path}"')


def test_reasons_name_the_certificates_and_documents(world, org_a, org_b, org_pending, as_role):
    """Which required certificates the product holds and lacks, and for which market its
    certificate of origin is ready, by name, in the reader's words."""
    from bumdes_export.reference.models import CertificateType
    from tests.products.factories import CertificateFactory

    org_a.required_certificates = ["health-fish", "halal"]
    org_a.save(update_fields=["required_certificates"])
    org_a.destination_markets.set(["HK", "CN"])
    CertificateFactory(product=world.crab, type=CertificateType.objects.get(code="health-fish"))
    CertificateFactory(product=world.crab, type=CertificateType.objects.get(code="coo-form-ahk"))
    score_world(world, org_a, org_b, org_pending)
    names = {
        code: CertificateType.objects.get(code=code).name_en for code in ("health-fish", "halal")
    }

    client = as_role("verified_exporter")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("matching:recommendations"))
    crab = next(m for m in page.context["matches"] if m.product.pk == world.crab.pk)
    assert (
        f"Holds {names['health-fish']}, which you require; lacks {names['halal']}, "
        "which you require." in crab.reasons
    )
    assert (
        "Form AHK ready for Hong Kong SAR China; no certificate of origin for China yet (Form E)."
        in crab.reasons
    )
    # The product's side reads whose requirement it is.
    client = as_role("ministry")
    client.cookies["django_language"] = "en"
    panel = client.get(f"/registry/products/{world.crab.pk}/")
    assertContains(panel, "which the organisation requires")
