"""Full rescores: planned in chunks, each chunk idempotent, merged once, progress reported.

Tasks run in-process (eager); a test that needs to interleave steps calls the chunks itself.
"""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command

from bumdes_export.core.models import BackgroundJob
from exporters import services as exporter_services
from matchmaking.matching import chunks, runs, store, tasks
from matchmaking.matching.follow_up import FollowUp
from matchmaking.matching.models import (
    MatchRun,
    MatchRunChunk,
    OrganisationMatch,
    OrganisationMatchState,
    ProductMatches,
)
from products.models import Product
from tests.matchmaking.matching.factories import (
    assert_lists_exact,
    edit,
    make_bumdes,
    make_organisation,
    make_product,
    stored_organisation_lists,
    stored_product_lists,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(regions):
    """23 products in three chapters (ids interleaved across chapters) and four organisations."""
    konawe = make_bumdes("74.02")
    donggala = make_bumdes("72.03")
    products = []
    for n in range(23):
        hs = ("030633", "151590", "030617", "160510")[n % 4]
        products.append(
            make_product(
                (konawe, donggala)[n % 2],
                hs=hs,
                status="export_ready" if n % 5 else "verified",
                capacity=100 * (n + 1),
                form="processed" if hs[:2] != "03" else "live",
                readiness=40 + n,
            )
        )
    organisations = [
        make_organisation(hs=("03",), min_order=1000),
        make_organisation(hs=("030633", "15"), markets=("HK",)),
        make_organisation(hs=("16", "0306"), required=("health-fish",)),
        make_organisation(hs=("09",)),  # no product of its chapter
    ]
    return products, organisations


def planned(capture, chunk_products: int) -> MatchRun:
    """A run whose chunk tasks were never sent (the test plays the workers)."""
    with capture(execute=False):
        return tasks.start_full_run(chunk_products=chunk_products)


def chunk_ids(run) -> list[int]:
    return list(MatchRunChunk.objects.filter(run=run).values_list("pk", flat=True))


def test_a_full_run_end_to_end(catalogue, django_capture_on_commit_callbacks):
    products, organisations = catalogue
    with django_capture_on_commit_callbacks(execute=True):
        run = tasks.start_full_run(chunk_products=3)

    run.refresh_from_db()
    parts = list(MatchRunChunk.objects.filter(run=run))
    assert run.status == MatchRun.Status.DONE and run.finished_at
    assert run.products == len(products)
    assert run.chunks_total == len(parts) == 4 + 2 + 2  # 12, 6 and 5 products per chapter
    assert {c.chapter for c in parts} == {"03", "15", "16"}
    assert all(c.done_at and c.attempts == 1 and bytes(c.partial) == b"" for c in parts)
    assert run.candidate_pairs == sum(c.candidate_pairs for c in parts) > 0
    assert run.rows_written == OrganisationMatch.objects.count() + len(products)
    job = BackgroundJob.objects.get(pk=run.job_id)
    assert (job.status, job.total, job.progress) == ("done", run.chunks_total, run.chunks_total)
    assert runs.progress(run) == {
        "chunks_done": run.chunks_total,
        "chunks_total": run.chunks_total,
        "status": "done",
    }
    assert set(OrganisationMatchState.objects.values_list("pk", flat=True)) == {
        o.pk for o in organisations
    }
    assert_lists_exact()


def test_chunks_cover_each_chapter_in_id_ranges(catalogue):
    products, _organisations = catalogue
    plan = chunks.plan_chunks(4)

    covered = []
    for chapter, first, last, count in plan:
        ids = [p.pk for p in products if p.hs_code_id[:2] == chapter and first <= p.pk <= last]
        assert len(ids) == count <= 4
        covered += ids
    assert sorted(covered) == sorted(p.pk for p in products)


def test_progress_counts_chunks_as_they_finish(catalogue, django_capture_on_commit_callbacks):
    run = planned(django_capture_on_commit_callbacks, 5)
    ids = chunk_ids(run)
    for done, chunk_id in enumerate(ids[:-1], start=1):
        _result, follow_up = runs.run_chunk(chunk_id)
        assert follow_up == FollowUp(), "no merge while a chunk is open"
        assert BackgroundJob.objects.get(pk=run.job_id).progress == done
        assert runs.progress(run)["chunks_done"] == done
    run.refresh_from_db()
    assert run.status == "running"

    with django_capture_on_commit_callbacks(execute=True):
        tasks.run_chunk(ids[-1])  # the last one sends the merge

    run.refresh_from_db()
    job = BackgroundJob.objects.get(pk=run.job_id)
    assert run.status == "done"
    assert job.progress == job.total == len(ids)


def test_a_chunk_delivered_again_after_it_is_done_is_skipped(
    catalogue, django_capture_on_commit_callbacks
):
    run = planned(django_capture_on_commit_callbacks, 4)
    first = chunk_ids(run)[0]
    chunks.run_chunk(first)
    before = (
        stored_product_lists(),
        dict(ProductMatches.objects.values_list("pk", "computed_at")),
        MatchRunChunk.objects.get(pk=first).attempts,
    )

    assert chunks.run_chunk(first) == {"skipped": 1}
    assert runs.run_chunk(first) == ({"skipped": 1}, FollowUp())

    after = (
        stored_product_lists(),
        dict(ProductMatches.objects.values_list("pk", "computed_at")),
        MatchRunChunk.objects.get(pk=first).attempts,
    )
    assert after == before


def test_a_chunk_that_crashed_midway_leaves_nothing_and_its_retry_does_it_whole(
    catalogue, django_capture_on_commit_callbacks
):
    run = planned(django_capture_on_commit_callbacks, 4)
    first = chunk_ids(run)[0]

    with (
        mock.patch.object(store, "write_product_lists", side_effect=OSError("killed")),
        pytest.raises(OSError),
    ):
        chunks.run_chunk(first)
    chunk = MatchRunChunk.objects.get(pk=first)
    assert chunk.done_at is None and bytes(chunk.partial) == b""
    assert not ProductMatches.objects.exists()

    chunks.run_chunk(first)
    chunk.refresh_from_db()
    assert chunk.done_at and chunk.attempts == 2


def test_redoing_a_chunk_gives_the_same_result_and_no_duplicates(
    catalogue, django_capture_on_commit_callbacks
):
    run = planned(django_capture_on_commit_callbacks, 4)
    ids = chunk_ids(run)
    for chunk_id in ids:
        chunks.run_chunk(chunk_id)
    first = (stored_product_lists(), [bytes(c.partial) for c in MatchRunChunk.objects.all()])

    # A worker died after its commit but before acknowledging: the broker hands the chunks out
    # again, as if never done.
    MatchRunChunk.objects.filter(run=run).update(done_at=None)
    for chunk_id in ids:
        chunks.run_chunk(chunk_id)
    again = (stored_product_lists(), [bytes(c.partial) for c in MatchRunChunk.objects.all()])

    assert again == first
    assert ProductMatches.objects.count() == Product.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.merge_run(run.pk)
    assert_lists_exact()


def test_the_merge_runs_once(catalogue, django_capture_on_commit_callbacks):
    run = planned(django_capture_on_commit_callbacks, 6)
    ids = chunk_ids(run)
    for chunk_id in ids[:-1]:
        chunks.run_chunk(chunk_id)

    assert runs.merge(run.pk) == ({"waiting": 1}, FollowUp()), "a chunk is still open"
    assert not OrganisationMatch.objects.exists()

    chunks.run_chunk(ids[-1])
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.merge_run(run.pk)
    rows = sorted(OrganisationMatch.objects.values_list("organisation_id", "product_id", "score"))

    assert "organisation_rows" in first
    assert runs.merge(run.pk) == ({"skipped": 1}, FollowUp())
    assert sorted(
        OrganisationMatch.objects.values_list("organisation_id", "product_id", "score")
    ) == (rows)
    assert runs.merge(987654) == ({"skipped": 1}, FollowUp())
    assert_lists_exact()


def test_starting_while_a_run_is_active_returns_that_run(
    catalogue, ministry, django_capture_on_commit_callbacks
):
    run = planned(django_capture_on_commit_callbacks, 5)

    again, follow_up = runs.start(chunk_products=2)

    assert again.pk == run.pk
    assert follow_up == FollowUp(), "its chunks are not sent again"
    assert MatchRun.objects.count() == 1
    assert MatchRunChunk.objects.filter(run=run).count() == run.chunks_total


def test_chunks_of_a_finished_run_are_not_redone(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = tasks.start_full_run(chunk_products=5)
    first = chunk_ids(run)[0]
    MatchRunChunk.objects.filter(pk=first).update(done_at=None)

    assert chunks.run_chunk(first) == {"skipped": 1}


def test_a_run_with_no_products_finishes_and_records_every_organisation(
    regions, django_capture_on_commit_callbacks
):
    organisation = make_organisation(hs=("03",))
    with django_capture_on_commit_callbacks(execute=True):
        run = tasks.start_full_run()

    run.refresh_from_db()
    assert (run.status, run.chunks_total, run.products) == ("done", 0, 0)
    state = OrganisationMatchState.objects.get(pk=organisation.pk)
    assert (state.size, state.complete, state.chapters) == (0, True, ["03"])


def test_a_product_changed_after_its_chunk_ran_is_left_out_of_the_merge_and_requeued(
    catalogue, django_capture_on_commit_callbacks
):
    products, _organisations = catalogue
    run = planned(django_capture_on_commit_callbacks, 50)
    for chunk_id in chunk_ids(run):
        chunks.run_chunk(chunk_id)
    changed = next(p for p in products if p.status == "export_ready" and p.hs_code_id == "030633")
    with django_capture_on_commit_callbacks(execute=True):
        edit(changed.pk, capacity_per_month=Decimal(5))

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.merge_run(run.pk)

    assert result["stale"] == 1
    assert_lists_exact()


@pytest.mark.parametrize("change", ["made export-ready", "created"])
def test_a_product_that_entered_organisation_lists_during_a_run_keeps_its_place(
    catalogue, change, django_capture_on_commit_callbacks
):
    products, _organisations = catalogue
    run = planned(django_capture_on_commit_callbacks, 50)
    for chunk_id in chunk_ids(run):
        chunks.run_chunk(chunk_id)
    waiting = next(p for p in products if p.status == "verified" and p.hs_code_id == "030633")
    with django_capture_on_commit_callbacks(execute=True):
        if change == "made export-ready":
            edit(waiting.pk, status="export_ready")
            product = waiting
        else:
            product = make_product(waiting.bumdes, hs="030633", capacity=5000, readiness=100)
            edit(product.pk)
    assert OrganisationMatch.objects.filter(product=product).exists()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.merge_run(run.pk)

    assert OrganisationMatch.objects.filter(product=product).exists()
    assert_lists_exact()


def test_an_organisation_changed_during_a_run_keeps_its_new_list(
    catalogue, ministry, django_capture_on_commit_callbacks
):
    _products, organisations = catalogue
    run = planned(django_capture_on_commit_callbacks, 50)
    for chunk_id in chunk_ids(run):
        chunks.run_chunk(chunk_id)
    organisation = organisations[1]
    with django_capture_on_commit_callbacks(execute=True):
        exporter_services.update_organisation(
            actor=ministry,
            organisation=organisation,
            data={},
            preferences={"hs_interests": ["16"]},
        )
    rows_now = stored_organisation_lists()[organisation.pk]

    with django_capture_on_commit_callbacks(execute=True):
        tasks.merge_run(run.pk)
        tasks.sweep_matches()

    assert stored_organisation_lists()[organisation.pk] == rows_now
    assert_lists_exact()


def test_a_product_deleted_during_a_run_leaves_no_rows(
    catalogue, django_capture_on_commit_callbacks
):
    products, _organisations = catalogue
    run = planned(django_capture_on_commit_callbacks, 50)
    for chunk_id in chunk_ids(run):
        chunks.run_chunk(chunk_id)
    gone = next(p for p in products if p.status == "export_ready")
    gone.certificates.all().delete()
    Product.objects.filter(pk=gone.pk).delete()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.merge_run(run.pk)

    assert not OrganisationMatch.objects.filter(product_id=gone.pk).exists()
    assert_lists_exact()


# --- The management command -------------------------------------------------------------------


def _command_exists() -> bool:
    from django.core.management import get_commands

    return "rescore_matches" in get_commands()


def test_the_rescore_matches_command_runs_a_full_rescore(
    catalogue, capsys, django_capture_on_commit_callbacks
):
    if not _command_exists():
        pytest.skip("no rescore_matches command yet")
    # Eager tasks, and commits taking effect at once as outside a test transaction, so that the
    # command can follow the run to its end.
    with (
        mock.patch(
            "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
        ),
        mock.patch("time.sleep", side_effect=AssertionError("the command waits for nothing")),
    ):
        call_command("rescore_matches", "--chunk", "4")

    out = capsys.readouterr().out
    run = MatchRun.objects.get()
    assert run.status == "done"
    assert f"Full rescore #{run.pk}: 23 products in {run.chunks_total} chunks." in out
    assert f"{run.chunks_total} / {run.chunks_total} chunks" in out
    assert_lists_exact()


def test_the_rescore_matches_command_can_return_at_once(
    catalogue, capsys, django_capture_on_commit_callbacks
):
    if not _command_exists():
        pytest.skip("no rescore_matches command yet")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rescore_matches", "--chunk", "100", "--no-wait")
        assert MatchRun.objects.get().status == "running"

    assert MatchRun.objects.get().status == "done"
    assert "Full rescore" in capsys.readouterr().out


def test_a_run_that_cannot_finish_does_not_block_new_weights_forever(
    catalogue, ministry, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from bumdes_export.core.tasks import expire_stale_jobs

    run = planned(django_capture_on_commit_callbacks, 6)
    ids = chunk_ids(run)
    for chunk_id in ids[1:]:
        chunks.run_chunk(chunk_id)
    # Chunk 0 failed on every delivery (say, a bad row) for three hours.
    long_ago = timezone.now() - timedelta(hours=3)
    MatchRunChunk.objects.filter(pk=ids[0]).update(attempts=40)
    MatchRun.objects.filter(pk=run.pk).update(started_at=long_ago)
    BackgroundJob.objects.filter(pk=run.job_id).update(created_at=long_ago, heartbeat_at=long_ago)
    expire_stale_jobs()
    with mock.patch.object(tasks.run_chunk, "delay"):  # and it fails again
        tasks.sweep_matches()

    with django_capture_on_commit_callbacks(execute=True):
        weights = tasks.put_weights_in_force(
            ministry, {"weight_fit": 40, "weight_volume": 5}
        ).weights

    newest = MatchRun.objects.order_by("-pk").first()
    assert newest.weights_version == weights.pk
    assert newest.status == MatchRun.Status.DONE


def test_whoever_started_a_full_run_is_told_when_it_is_done(
    catalogue, ministry, django_capture_on_commit_callbacks
):
    from bumdes_export.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        run = tasks.start_full_run(user=ministry, chunk_products=3)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert list(Notification.objects.filter(recipient=ministry).values_list("kind", flat=True)) == [
        "rescore.done"
    ]
    runs.fail(run, "too late")  # a finished run cannot fail: nothing more is said
    assert Notification.objects.filter(recipient=ministry).count() == 1


def test_whoever_started_a_full_run_is_told_when_it_failed(catalogue, ministry):
    run, _follow_up = runs.start(user=ministry, chunk_products=3)
    runs.fail(run, "a chunk failed three times")
    runs.fail(run, "again")  # once only
    from bumdes_export.notifications.models import Notification

    notes = Notification.objects.filter(recipient=ministry)
    assert list(notes.values_list("kind", flat=True)) == ["rescore.failed"]
    assert "a chunk failed three times" in notes.get().body
