"""Incremental rescoring: after commit only, once per burst, never overwritten by older work, and
always leaving every list exactly what a full computation gives.

Products and organisations come from factories on the real reference data; events are the ones
``products`` and ``exporters`` announce after commit; tasks run in-process (eager).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from exporters import services as exporter_services
from exporters.models import Kind, Organisation
from matchmaking.matching import engine, features, incremental, queue, services, store, tasks
from matchmaking.matching.follow_up import FollowUp
from matchmaking.matching.models import (
    MatchRun,
    MatchWeights,
    OrganisationMatch,
    OrganisationMatchState,
    PendingRescore,
    ProductMatches,
)
from products import events as product_events
from products import services as product_services
from products.models import Product
from tests.matchmaking.matching.factories import (
    assert_lists_exact,
    change_organisation,
    edit,
    expected_lists,
    make_bumdes,
    make_organisation,
    make_product,
    stored_organisation_lists,
    stored_product_lists,
)

pytestmark = pytest.mark.django_db


def full_run(capture, **kwargs) -> MatchRun:
    with capture(execute=True):
        run = tasks.start_full_run(**kwargs)
    run.refresh_from_db()
    return run


@pytest.fixture
def market(regions):
    """Three BUMDes in two provinces, crab, shrimp, oil and crab-meat products, and organisations
    with interests at every HS level and various requirements."""
    konawe = make_bumdes("74.02")
    kolaka = make_bumdes("74.01")
    donggala = make_bumdes("72.03")
    rng = random.Random(7)
    products = []
    for n in range(24):
        bumdes = (konawe, kolaka, donggala)[n % 3]
        products.append(
            make_product(
                bumdes,
                hs=rng.choice(("030633", "030633", "030617", "030711")),
                status=rng.choice(("export_ready", "export_ready", "verified", "draft")),
                capacity=rng.choice((None, 200, 1000, 8000)),
                form=rng.choice(("live", "frozen")),
                certificates=tuple(rng.sample(("health-fish", "coo-form-ahk", "haccp"), 1)),
                exported_to=rng.choice(((), ("HK",), ("SG", "CN"))),
                readiness=rng.choice((40, 70, 100)),
                months=rng.choice((0b111, (1 << 12) - 1)),
            )
        )
    products += [
        make_product(konawe, hs="151590", form="processed", unit="l", capacity=500),
        make_product(donggala, hs="151590", form="processed", unit="l", status="verified"),
        make_product(kolaka, hs="160510", form="processed", capacity=50),
    ]
    organisations = [
        make_organisation(hs=("030633",), markets=("HK",), min_order=500),
        make_organisation(hs=("0306",), required=("health-fish",), max_volume=20_000),
        make_organisation(hs=("03", "16"), markets=("SG", "CN"), provinces=("74",)),
        make_organisation(hs=("0307", "15"), required=("haccp", "coo-form-ahk")),
        make_organisation(
            hs=("030617", "151590"), gateways=("IDKDI",) if _gateway("IDKDI") else ()
        ),
    ]
    pending = make_organisation(hs=("0306",), status=Organisation.Status.PENDING, verified_at=None)
    provider = make_organisation(hs=("0306",), kind=Kind.SERVICE_PROVIDER, country_id="ID")
    return products, organisations, pending, provider


def _gateway(code: str) -> bool:
    from bumdes_export.reference.models import ExportGateway

    return ExportGateway.objects.filter(code=code).exists()


# --- (a) After commit only ------------------------------------------------------------------


def test_a_product_saved_in_a_transaction_is_rescored_only_after_commit(
    market, ministry, django_capture_on_commit_callbacks
):
    product = market[0][0]
    full_run(django_capture_on_commit_callbacks)
    before = ProductMatches.objects.get(pk=product.pk).product_version

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            product_services.update_product(
                actor=ministry, product=product, data={"capacity_per_month": Decimal("9000")}
            )
        product.refresh_from_db()
        assert product.version > before
        assert ProductMatches.objects.get(pk=product.pk).product_version == before
        assert not PendingRescore.objects.exists()

    assert callbacks, "the change is announced on commit"
    assert ProductMatches.objects.get(pk=product.pk).product_version == product.version
    assert_lists_exact()


def test_a_new_product_has_no_list_until_its_transaction_commits(
    market, django_capture_on_commit_callbacks
):
    bumdes = market[0][0].bumdes
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(bumdes, hs="030633")
        edit(product.pk)
        assert not ProductMatches.objects.filter(pk=product.pk).exists()

    assert ProductMatches.objects.get(pk=product.pk).product_version == 2
    assert ProductMatches.objects.get(pk=product.pk).size > 0


def test_a_rolled_back_change_is_never_rescored(market, django_capture_on_commit_callbacks):
    product = market[0][0]
    with (
        mock.patch.object(tasks.rescore_product, "delay") as send,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        try:
            with transaction.atomic():
                edit(product.pk, readiness_score=1)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert callbacks == []
    send.assert_not_called()
    assert not ProductMatches.objects.filter(pk=product.pk).exists()


# --- (b) Deduplication ------------------------------------------------------------------------


@pytest.fixture
def counted(regions):
    """Tasks counted instead of sent."""
    with (
        mock.patch.object(tasks.rescore_product, "delay") as one,
        mock.patch.object(tasks.rescore_products, "delay") as many,
        mock.patch.object(tasks.rescore_organisation, "delay") as organisation,
    ):
        yield one, many, organisation


def test_many_edits_of_one_product_in_one_transaction_send_one_task(
    market, counted, django_capture_on_commit_callbacks
):
    one, many, _organisation = counted
    product = market[0][0]

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for readiness in (10, 20, 30, 40, 50):
            edit(product.pk, readiness_score=readiness)

    assert len(callbacks) == 5
    one.assert_called_once_with(product.pk)
    many.assert_not_called()
    assert list(PendingRescore.objects.values_list("kind", "object_id")) == [
        ("product", product.pk)
    ]


def test_edits_before_the_task_starts_are_one_task_and_an_edit_after_it_is_another(
    market, counted, django_capture_on_commit_callbacks
):
    one, _many, _organisation = counted
    product = market[0][0]

    for readiness in (10, 20, 30):
        with django_capture_on_commit_callbacks(execute=True):
            edit(product.pk, readiness_score=readiness)
    assert one.call_count == 1

    tasks.rescore_product(product.pk)  # the worker takes it: the pending row goes
    assert not PendingRescore.objects.exists()
    assert ProductMatches.objects.get(pk=product.pk).product_version == 4

    with django_capture_on_commit_callbacks(execute=True):
        edit(product.pk, readiness_score=40)
    # A lone edit is sent at once, not after a debounce delay.
    assert one.call_count == 2
    assert one.call_args == mock.call(product.pk)


def test_queueing_the_same_ids_again_sends_nothing_until_released(market, counted):
    one, many, organisation = counted
    ids = [p.pk for p in market[0][:5]]

    assert len(tasks.send(FollowUp(products=tuple(ids))).products) == 5
    assert len(tasks.send(FollowUp(products=tuple(ids))).products) == 0
    assert len(tasks.send(FollowUp(products=(*ids[:2], ids[0]))).products) == 0
    assert many.call_args_list == [mock.call(sorted(ids))]
    one.assert_not_called()

    queue.release(queue.Kind.PRODUCT, ids[:2])
    assert len(tasks.send(FollowUp(products=tuple(ids))).products) == 2
    assert many.call_args_list[-1] == mock.call(sorted(ids[:2]))

    org = market[1][0]
    assert len(tasks.send(FollowUp(organisations=(org.pk, org.pk))).organisations) == 1
    assert len(tasks.send(FollowUp(organisations=(org.pk,))).organisations) == 0
    organisation.assert_called_once_with(org.pk)


def test_large_bursts_go_out_in_batches(market, counted):
    _one, many, _organisation = counted
    ids = list(range(10_000, 10_000 + tasks.BATCH * 2 + 1))

    tasks.send(FollowUp(products=tuple(ids)))

    assert [len(call.args[0]) for call in many.call_args_list] == [tasks.BATCH, tasks.BATCH]
    # The last, lone id goes through the single-product task.
    assert _one.call_args == mock.call(ids[-1])


# --- (c) Stale writes -------------------------------------------------------------------------


def row(product, *, product_version: int, weights_version: int, best: int):
    return store.ProductRow(
        product_id=product.pk,
        product_version=product_version,
        weights_version=weights_version,
        best_score=best,
        size=1,
        entries=store.pack([1], [best], [[best, 0, 0, 0, 0, 0]]),
        computed_at=timezone.now(),
    )


def test_a_list_from_an_older_product_version_never_replaces_a_newer_one(market):
    product = market[0][0]
    store.write_product_lists([row(product, product_version=5, weights_version=1, best=500)])
    store.write_product_lists([row(product, product_version=4, weights_version=1, best=400)])

    stored = ProductMatches.objects.get(pk=product.pk)
    assert (stored.product_version, stored.best_score) == (5, 500)

    store.write_product_lists([row(product, product_version=5, weights_version=1, best=550)])
    store.write_product_lists([row(product, product_version=6, weights_version=1, best=600)])
    stored.refresh_from_db()
    assert (stored.product_version, stored.best_score) == (6, 600)


def test_a_list_from_older_weights_never_replaces_one_from_newer_weights(market):
    product = market[0][0]
    store.write_product_lists([row(product, product_version=3, weights_version=7, best=700)])
    store.write_product_lists([row(product, product_version=3, weights_version=6, best=600)])
    store.write_product_lists([row(product, product_version=9, weights_version=2, best=200)])

    stored = ProductMatches.objects.get(pk=product.pk)
    assert (stored.product_version, stored.weights_version, stored.best_score) == (3, 7, 700)
    assert store.unpack(stored.entries)[0].score == 700


def test_a_task_that_lost_the_race_leaves_the_newer_list_and_the_organisation_lists_alone(
    market, django_capture_on_commit_callbacks
):
    """A slow task computed version 1; a faster one already stored version 2 and patched the
    organisation lists. The slow one's writes are refused, and its organisation rows too."""
    product = market[0][0]
    full_run(django_capture_on_commit_callbacks)
    loaded_v1 = features.load_products(engine.context().lexicon, ids=[product.pk])
    with django_capture_on_commit_callbacks(execute=True):
        edit(product.pk, status="export_ready", readiness_score=100)
    after = (stored_product_lists(), stored_organisation_lists())

    with mock.patch.object(features, "load_products", return_value=loaded_v1):
        incremental.rescore_products([product.pk])

    assert ProductMatches.objects.get(pk=product.pk).product_version == 2
    assert (stored_product_lists(), stored_organisation_lists()) == after
    assert_lists_exact()


# --- (d) Organisation lists stay exact under incremental edits ------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lists_stay_exact_under_random_incremental_edits(
    market, seed, django_capture_on_commit_callbacks
):
    products = market[0]
    full_run(django_capture_on_commit_callbacks, chunk_products=7)
    assert_lists_exact()
    rng = random.Random(seed)
    for _step in range(14):
        product = rng.choice(products)
        change = rng.choice(("capacity", "certificate", "status", "hs", "readiness", "nothing"))
        fields = {}
        if change == "capacity":
            fields["capacity_per_month"] = rng.choice((None, Decimal(50), Decimal(20_000)))
        elif change == "certificate":
            if rng.random() < 0.5:
                fields["add_certificate"] = rng.choice(("health-fish", "coo-form-ahk", "haccp"))
            else:
                fields["drop_certificates"] = True
        elif change == "status":
            fields["status"] = rng.choice(("export_ready", "submitted", "verified"))
        elif change == "hs":
            fields["hs_code_id"] = rng.choice(("030633", "030617", "030711", "151590", "160510"))
        elif change == "readiness":
            fields["readiness_score"] = rng.randint(0, 100)
        with django_capture_on_commit_callbacks(execute=True):
            edit(product.pk, **fields)
        assert_lists_exact()


@pytest.fixture
def crowded(regions):
    """One organisation with more export-ready crab products than its list keeps (70 > 60),
    with scores spread by capacity so that the order is clear."""
    konawe = make_bumdes("74.02")
    products = [
        make_product(konawe, hs="030633", capacity=100 * (n + 1), readiness=50) for n in range(70)
    ]
    organisation = make_organisation(hs=("0306",), min_order=7000)
    return products, organisation


def test_an_incomplete_organisation_list_stays_exact_while_products_move_inside_it(
    crowded, django_capture_on_commit_callbacks
):
    products, organisation = crowded
    full_run(django_capture_on_commit_callbacks, chunk_products=25)
    state = OrganisationMatchState.objects.get(pk=organisation.pk)
    assert (state.size, state.complete) == (engine.ORGANISATION_KEEP, False)
    assert_lists_exact()

    # The weakest products overtake others, one leaves and comes back, one drops out below.
    for product, fields in [
        (products[0], {"capacity_per_month": Decimal(6950)}),
        (products[3], {"status": "submitted"}),
        (products[65], {"capacity_per_month": Decimal(50)}),
        (products[3], {"status": "export_ready"}),
        (products[1], {"hs_code_id": "151590"}),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            edit(product.pk, **fields)
        assert_lists_exact()


def test_an_incomplete_list_that_falls_below_50_is_recounted(
    crowded, django_capture_on_commit_callbacks
):
    products, organisation = crowded
    full_run(django_capture_on_commit_callbacks)
    shown = [pid for pid, _s, _c in stored_organisation_lists()[organisation.pk]]

    for pid in shown[:11]:  # 60 kept - 11 = 49 rows, while 59 products still qualify
        with django_capture_on_commit_callbacks(execute=True):
            edit(pid, status="submitted")

    assert len(stored_organisation_lists()[organisation.pk]) == 50
    assert_lists_exact()


def test_a_batch_larger_than_the_kept_list_leaves_the_list_incomplete(
    crowded, django_capture_on_commit_callbacks
):
    products, organisation = crowded
    Product.objects.filter(pk__in=[p.pk for p in products]).update(status="verified")
    full_run(django_capture_on_commit_callbacks)  # nothing export-ready: an empty, complete list
    assert OrganisationMatchState.objects.get(pk=organisation.pk).complete

    # An import makes all 70 export-ready at once; they are rescored as one batch.
    ids = [p.pk for p in products]
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk__in=ids).update(status="export_ready", version=F("version") + 1)
        product_events.announce_import(ids)
    state = OrganisationMatchState.objects.get(pk=organisation.pk)
    assert state.size == engine.ORGANISATION_KEEP
    assert_lists_exact()  # the 50 shown are right for now...
    # ...but the state claims these 60 rows are all its pairs, so once eleven of them leave,
    # the list shows 49 and nothing recounts it (a complete list is never refilled).
    assert not state.complete, "70 pairs qualify but only 60 are kept"


# --- (e) Organisation changes -----------------------------------------------------------------


def test_new_interests_of_an_organisation_update_the_product_lists(
    market, ministry, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    organisation = market[1][0]  # crab only
    oil = market[0][-3]

    with django_capture_on_commit_callbacks(execute=True):
        exporter_services.update_organisation(
            actor=ministry,
            organisation=organisation,
            data={},
            preferences={"hs_interests": ["151590"]},
        )

    assert organisation.pk in [m[0] for m in stored_product_lists()[oil.pk]]
    crab = next(p for p in market[0] if p.hs_code_id == "030633")
    assert organisation.pk not in [m[0] for m in stored_product_lists()[crab.pk]]
    assert_lists_exact()


def test_a_changed_requirement_rescored_through_the_event(
    market, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    for organisation in (market[1][1], market[1][3]):  # one chapter; two (0307 and 15)
        with django_capture_on_commit_callbacks(execute=True):
            change_organisation(
                organisation, required_certificates=["haccp", "coo"], min_order_kg=Decimal(5000)
            )
        assert_lists_exact()

    with django_capture_on_commit_callbacks(execute=True):
        change_organisation(market[1][1], hs=["03", "15"])
    assert_lists_exact()


def test_an_organisation_that_is_no_longer_verified_disappears_from_every_list(
    market, ministry, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    organisation = market[1][1]
    assert any(organisation.pk in [m[0] for m in rows] for rows in stored_product_lists().values())
    assert OrganisationMatch.objects.filter(organisation=organisation).exists()

    with django_capture_on_commit_callbacks(execute=True):
        exporter_services.reject(actor=ministry, organisation=organisation, reason="Closed down")

    assert not any(
        organisation.pk in [m[0] for m in rows] for rows in stored_product_lists().values()
    )
    assert not OrganisationMatch.objects.filter(organisation=organisation).exists()
    assert not OrganisationMatchState.objects.filter(organisation=organisation).exists()
    assert_lists_exact()


def test_a_newly_verified_organisation_enters_the_lists(
    market, ministry, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    pending = market[2]
    assert not OrganisationMatch.objects.filter(organisation=pending).exists()

    with django_capture_on_commit_callbacks(execute=True):
        exporter_services.verify(actor=ministry, organisation=pending)

    assert OrganisationMatch.objects.filter(organisation=pending).exists()
    assert_lists_exact()


def test_service_providers_and_pending_organisations_are_never_matched(
    market, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    _products, _organisations, pending, provider = market
    listed = {m[0] for rows in stored_product_lists().values() for m in rows}

    assert pending.pk not in listed and provider.pk not in listed
    assert not OrganisationMatch.objects.filter(organisation__in=[pending, provider]).exists()


def test_a_change_that_touches_no_preference_costs_nothing(
    market, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    organisation = market[1][0]
    with (
        mock.patch.object(engine, "run_kernel", wraps=engine.run_kernel) as kernel,
        django_capture_on_commit_callbacks(execute=True),
    ):
        change_organisation(organisation, description="A new description")

    kernel.assert_not_called()
    state = OrganisationMatchState.objects.get(pk=organisation.pk)
    assert state.organisation_version == Organisation.objects.get(pk=organisation.pk).version


# --- (f) Weights ------------------------------------------------------------------------------


def test_new_weights_start_a_full_run_and_every_list_uses_them(
    market, ministry, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    old = engine.get_or_create_current_weights()

    with django_capture_on_commit_callbacks(execute=True):
        new = tasks.put_weights_in_force(
            ministry,
            {"weight_fit": 50, "weight_logistics": 5, "weight_readiness": 5, "min_score": 20},
        ).weights

    assert new.pk != old.pk
    run = MatchRun.objects.order_by("-pk").first()
    assert (run.status, run.weights_version) == ("done", new.pk)
    assert set(ProductMatches.objects.values_list("weights_version", flat=True)) == {new.pk}
    assert set(OrganisationMatchState.objects.values_list("weights_version", flat=True)) == {new.pk}
    assert_lists_exact()


def test_the_same_weights_again_change_nothing(
    market, ministry, django_capture_on_commit_callbacks
):
    current = engine.get_or_create_current_weights()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        same = tasks.put_weights_in_force(ministry, {"weight_fit": current.weight_fit}).weights

    assert same.pk == current.pk
    assert callbacks == []
    assert MatchWeights.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "keys"),
    [
        ({"weight_fit": 31}, {"__all__"}),
        ({"fit_heading_pct": 30, "fit_chapter_pct": 50}, {"fit_chapter_pct"}),
        ({"distance_full_km": 900, "distance_zero_km": 900}, {"distance_zero_km"}),
        ({"season_months": 0}, {"season_months"}),
        ({"season_months": 13}, {"season_months"}),
        ({"volume_share_pct": 0}, {"volume_share_pct"}),
        ({"min_score": 101, "good_score": 150}, {"min_score", "good_score"}),
        ({"weight_fit": 60, "fit_heading_pct": 120}, {"__all__", "fit_heading_pct"}),
    ],
)
def test_invalid_weights_are_refused_field_by_field(ministry, values, keys):
    engine.get_or_create_current_weights()
    with pytest.raises(ValidationError) as refused:
        services.update_weights(ministry, values)

    assert set(refused.value.message_dict) == keys
    assert MatchWeights.objects.count() == 1


def test_only_ministry_staff_change_weights(officer_sultra, exporter):
    for user in (officer_sultra, exporter):
        with pytest.raises(services.PermissionDenied):
            services.update_weights(user, {"weight_fit": 30})


# --- (g) The sweep ----------------------------------------------------------------------------


def test_the_sweep_requeues_missing_and_stale_products_and_stuck_pending_rows(
    market, django_capture_on_commit_callbacks
):
    products = market[0]
    full_run(django_capture_on_commit_callbacks)
    missing, stale, stuck = products[0], products[1], products[2]
    ProductMatches.objects.filter(pk=missing.pk).delete()
    Product.objects.filter(pk=stale.pk).update(version=F("version") + 1)  # no event: lost
    PendingRescore.objects.create(kind="product", object_id=stuck.pk)
    PendingRescore.objects.filter(object_id=stuck.pk).update(
        queued_at=timezone.now() - timedelta(minutes=11)
    )
    fresh_pending = PendingRescore.objects.create(kind="product", object_id=products[3].pk)

    with (
        mock.patch.object(tasks.rescore_product, "delay") as one,
        mock.patch.object(tasks.rescore_products, "delay") as many,
    ):
        report = tasks.sweep_matches()

    sent = {pid for call in many.call_args_list for pid in call.args[0]} | {
        call.args[0] for call in one.call_args_list
    }
    assert {missing.pk, stale.pk, stuck.pk} <= sent
    assert products[3].pk not in sent, "a recent pending row is left to its task"
    assert report["products"] >= 2 and report["pending"] == 1
    assert PendingRescore.objects.filter(pk=fresh_pending.pk).exists()


def test_after_the_sweep_every_list_is_current(market, django_capture_on_commit_callbacks):
    products = market[0]
    full_run(django_capture_on_commit_callbacks)
    ProductMatches.objects.filter(pk=products[0].pk).delete()
    Product.objects.filter(pk=products[1].pk).update(version=F("version") + 1, status="submitted")
    organisation = market[1][2]
    Organisation.objects.filter(pk=organisation.pk).update(version=F("version") + 1)
    organisation.hs_interests.set(["0307"])  # changed without an event: the sweep finds it

    with django_capture_on_commit_callbacks(execute=True):
        report = tasks.sweep_matches()

    assert report["organisations"] == 1
    assert_lists_exact()


def test_the_sweep_removes_the_lists_of_an_organisation_no_longer_matched(
    market, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    organisation = market[1][1]
    # Unverified without an event (say, by a data fix): the sweep finds its state orphaned.
    Organisation.objects.filter(pk=organisation.pk).update(
        status=Organisation.Status.PENDING, verified_at=None, version=F("version") + 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = tasks.sweep_matches()

    assert report["organisations"] == 1
    assert not OrganisationMatch.objects.filter(organisation=organisation).exists()
    assert_lists_exact()


def test_the_sweep_starts_a_full_run_when_lists_are_from_older_weights(
    market, ministry, django_capture_on_commit_callbacks
):
    full_run(django_capture_on_commit_callbacks)
    MatchWeights.objects.create(weight_fit=40, weight_markets=0)  # saved without a run

    with django_capture_on_commit_callbacks(execute=True):
        report = tasks.sweep_matches()

    assert report["full_run"] == 1
    newest = engine.get_or_create_current_weights().pk
    assert set(ProductMatches.objects.values_list("weights_version", flat=True)) == {newest}
    assert_lists_exact()


def test_the_sweep_resends_the_chunks_of_a_stuck_run(market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        run = tasks.start_full_run(chunk_products=5)  # its tasks were lost with the broker
    MatchRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=20))

    with django_capture_on_commit_callbacks(execute=True):
        report = tasks.sweep_matches()

    run.refresh_from_db()
    assert report["runs_resent"] == run.chunks_total
    assert run.status == "done"
    assert_lists_exact()


def test_the_expected_lists_are_not_trivial(market, django_capture_on_commit_callbacks):
    """Guard for the tests above: most products have matches, every organisation but the one
    wanting mollusc-free shrimp and oil has some."""
    by_product, by_exporter = expected_lists()
    assert sum(1 for rows in by_product.values() if rows) >= 15
    assert all(rows for eid, rows in by_exporter.items() if eid != market[1][4].pk)
