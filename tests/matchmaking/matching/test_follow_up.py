"""Follow-up work: the domain returns it, ``matching.tasks`` alone sends it.

``FollowUp`` values, claiming in ``queue`` (once per id however often asked), and the two ways
of sending: ``tasks.send`` at once, ``tasks.send_after_commit`` once the transaction commits
(and never after a rollback).
"""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction

from matchmaking.matching import chunks, queue, runs, tasks
from matchmaking.matching.follow_up import NOTHING, FollowUp
from matchmaking.matching.models import MatchRun, MatchRunChunk, PendingRescore
from tests.matchmaking.matching.factories import (
    assert_lists_exact,
    edit,
    make_bumdes,
    make_organisation,
    make_product,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """Every task's ``delay``, counted instead of sent."""
    with (
        mock.patch.object(tasks.rescore_product, "delay") as product,
        mock.patch.object(tasks.rescore_products, "delay") as products,
        mock.patch.object(tasks.rescore_organisation, "delay") as organisation,
        mock.patch.object(tasks.run_chunk, "delay") as chunk,
        mock.patch.object(tasks.merge_run, "delay") as merge,
    ):
        yield {
            "product": product,
            "products": products,
            "organisation": organisation,
            "chunk": chunk,
            "merge": merge,
        }


@pytest.fixture
def catalogue(regions):
    konawe = make_bumdes("74.02")
    products = [
        make_product(konawe, hs=("030633", "151590")[n % 2], capacity=100 * (n + 1))
        for n in range(6)
    ]
    organisations = [make_organisation(hs=("03",)), make_organisation(hs=("15",))]
    return products, organisations


# --- FollowUp -------------------------------------------------------------------------------


def test_an_empty_follow_up_is_false_and_any_work_makes_it_true():
    assert not FollowUp() and not NOTHING and FollowUp() == NOTHING
    assert FollowUp(products=(1,))
    assert FollowUp(organisations=(1,))
    assert FollowUp(chunks=(1,))
    assert FollowUp(merges=(1,))


def test_two_follow_ups_combine_in_order_each_id_once():
    first = FollowUp(products=(3, 1), chunks=(7, 8), merges=(2,))
    second = FollowUp(products=(1, 2), organisations=(9,), chunks=(9,), merges=(2,))

    assert first | second == FollowUp(
        products=(3, 1, 2), organisations=(9,), chunks=(7, 8, 9), merges=(2,)
    )
    assert first | NOTHING == first == NOTHING | first


# --- Claiming -------------------------------------------------------------------------------


def test_claiming_returns_only_the_ids_not_waiting_yet(regions):
    assert queue.claim_products([5, 3, 5, 4]) == [3, 4, 5]
    assert queue.claim_products([4, 6]) == [6]
    assert queue.claim_organisations([4]) == [4], "organisations wait apart from products"
    assert queue.waiting(queue.Kind.PRODUCT, [2, 3, 6]) == {3, 6}

    queue.release(queue.Kind.PRODUCT, [3])
    assert queue.claim_products([3, 4]) == [3]
    assert queue.claim_products([]) == []
    assert PendingRescore.objects.count() == 5


# --- Sending --------------------------------------------------------------------------------


def test_send_sends_every_kind_of_work_and_returns_what_went(regions, sent):
    queue.claim_products([2])  # already waiting for its task

    went = tasks.send(
        FollowUp(products=(1, 2, 3), organisations=(8, 8), chunks=(11, 12), merges=(20,))
    )

    assert went == FollowUp(products=(1, 3), organisations=(8,), chunks=(11, 12), merges=(20,))
    sent["products"].assert_called_once_with([1, 3])
    sent["product"].assert_not_called()
    sent["organisation"].assert_called_once_with(8)
    assert [c.args for c in sent["chunk"].call_args_list] == [(11,), (12,)]
    sent["merge"].assert_called_once_with(20)


def test_send_after_commit_waits_for_the_commit(regions, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        tasks.send_after_commit(FollowUp(products=(1,)))
        tasks.send_after_commit(NOTHING)
        sent["product"].assert_not_called()
        assert not PendingRescore.objects.exists(), "nothing is claimed before the commit"

    assert len(callbacks) == 1, "nothing to do registers nothing"
    sent["product"].assert_called_once_with(1)


def test_send_after_commit_sends_nothing_after_a_rollback(
    regions, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                tasks.send_after_commit(FollowUp(products=(1,), chunks=(2,)))
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert callbacks == []
    assert not any(delay.called for delay in sent.values())


# --- The domain returns its follow-ups ------------------------------------------------------


def test_a_planned_run_returns_its_chunks_and_sends_nothing(catalogue, sent):
    run, follow_up = runs.start(chunk_products=2)

    ids = list(
        MatchRunChunk.objects.filter(run=run).order_by("number").values_list("pk", flat=True)
    )
    assert follow_up == FollowUp(chunks=tuple(ids)) and len(ids) == run.chunks_total == 4
    assert not any(delay.called for delay in sent.values())


def test_start_full_run_sends_the_chunks_once_the_plan_commits(
    catalogue, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = tasks.start_full_run(chunk_products=2)
        sent["chunk"].assert_not_called()

    ids = list(
        MatchRunChunk.objects.filter(run=run).order_by("number").values_list("pk", flat=True)
    )
    assert [c.args[0] for c in sent["chunk"].call_args_list] == ids
    # A second start finds the run going and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.start_full_run(chunk_products=1).pk == run.pk
    assert sent["chunk"].call_count == len(ids)
    assert MatchRun.objects.count() == 1


def test_a_run_without_products_is_merged_at_once(regions, sent):
    make_organisation(hs=("03",))

    run, follow_up = runs.start()

    assert follow_up == FollowUp(merges=(run.pk,))


def test_the_last_chunk_asks_for_the_merge(catalogue):
    run, follow_up = runs.start(chunk_products=2)
    *first, last = follow_up.chunks

    assert all(runs.run_chunk(chunk_id)[1] == NOTHING for chunk_id in first)
    assert runs.run_chunk(last)[1] == FollowUp(merges=(run.pk,))


def test_a_merge_returns_the_products_changed_during_the_run(
    catalogue, django_capture_on_commit_callbacks
):
    products, _organisations = catalogue
    run, follow_up = runs.start(chunk_products=50)
    for chunk_id in follow_up.chunks:
        chunks.run_chunk(chunk_id)
    changed = products[0]
    with django_capture_on_commit_callbacks(execute=True):
        edit(changed.pk, capacity_per_month=Decimal(5))

    result, after = runs.merge(run.pk)

    assert result["stale"] == 1
    assert after.products == (changed.pk,)
    tasks.send(after)
    assert_lists_exact()


def test_the_sweep_returns_what_it_finds_and_sends_nothing(catalogue, sent):
    products, _organisations = catalogue

    report, follow_up = runs.sweep()

    # Nothing scored yet, under the weights in force: every product is missing.
    assert set(follow_up.products) == {p.pk for p in products}
    assert report["products"] == len(products)
    assert not any(delay.called for delay in sent.values())
