"""A full run's chunks: planning them, scoring one, and merging them all.

A full rescore cuts the products into chunks (one HS chapter, an id range of at most
``CHUNK_PRODUCTS`` products). Scoring a chunk writes its products' lists and keeps its partial
organisation lists on the chunk row; once every chunk is done, ``merge_run`` builds every
organisation's list from the partial ones. ``runs`` sends the chunks and tracks the run.
"""

from __future__ import annotations

import logging
import time
from itertools import groupby

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from exporters.models import Organisation
from matchmaking.matching import engine, features, store
from matchmaking.matching.engine import ORGANISATION_KEEP, KernelResult
from matchmaking.matching.features import OrganisationTable, ProductTable
from matchmaking.matching.follow_up import FollowUp
from matchmaking.matching.models import (
    MatchRun,
    MatchRunChunk,
    OrganisationMatch,
    OrganisationMatchState,
    ProductMatches,
)

logger = logging.getLogger(__name__)

CHUNK_PRODUCTS = 25_000


def plan_chunks(chunk_products: int = CHUNK_PRODUCTS) -> list[tuple[str, int, int, int]]:
    """(chapter, first id, last id, products) per chunk: each chapter cut into runs of ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(hs_code_id, 1, 2) AS chapter, id FROM products_product "
            "ORDER BY chapter, id"
        )
        rows = cursor.fetchall()
    plan = []
    for chapter, group in groupby(rows, key=lambda row: row[0]):
        ids = [row[1] for row in group]
        for start in range(0, len(ids), chunk_products):
            part = ids[start : start + chunk_products]
            plan.append((chapter, part[0], part[-1], len(part)))
    return plan


def run_chunk(chunk_id: int) -> dict[str, int]:
    """Score one chunk of a full run; writes its products' lists and its partial organisation
    lists, and marks it done, in one transaction (a retry after a crash redoes it whole)."""
    chunk = MatchRunChunk.objects.select_related("run").filter(pk=chunk_id).first()
    if chunk is None or chunk.done_at or chunk.run.status != MatchRun.Status.RUNNING:
        return {"skipped": 1}
    MatchRunChunk.objects.filter(pk=chunk_id).update(
        attempts=chunk.attempts + 1, attempted_at=timezone.now()
    )
    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    ctx = engine.context()
    t_context = lap()
    pt = features.load_product_table(
        ctx.lexicon, chapter=chunk.chapter, id_range=(chunk.first_product, chunk.last_product)
    )
    t_load = lap()
    r = engine.run_kernel(pt, ctx.exporters, ctx.weights)
    t_kernel = lap()
    partial = partial_records(pt, ctx.exporters, r)
    rows = list(engine.product_rows(pt, ctx.exporters, r, ctx.weights))
    t_pack = lap()
    with transaction.atomic():
        claimed = MatchRunChunk.objects.filter(pk=chunk_id, done_at__isnull=True).update(
            done_at=timezone.now(),
            partial=partial.tobytes(),
            scored=np.stack([pt.ids, pt.versions], axis=1).astype("<i8").tobytes(),
            candidates=_candidates(ctx.exporters, chunk.chapter).tobytes(),
            candidate_pairs=r.pairs,
        )
        if not claimed:
            return {"skipped": 1}
        store.write_product_lists(rows)
    t_write = lap()
    logger.info(
        "chunk %s (chapter %s, %d products, %d pairs): context %.2f s, load %.2f s, "
        "kernel %.2f s, pack %.2f s, write %.2f s",
        chunk_id,
        chunk.chapter,
        len(pt),
        r.pairs,
        t_context,
        t_load,
        t_kernel,
        t_pack,
        t_write,
    )
    return {"products": len(pt), "pairs": r.pairs}


def _candidates(et: OrganisationTable, chapter: str) -> np.ndarray:
    entries = et.ent_exporter[et.ch_start[int(chapter)] : et.ch_end[int(chapter)]]
    return np.stack([et.ids[entries], et.versions[entries]], axis=1).astype("<i8")


PARTIAL = np.dtype(
    [
        ("organisation", "<i4"),
        ("product", "<i4"),
        ("version", "<i4"),
        ("score", "<i2"),
        ("components", "<i2", (6,)),
    ]
)


def partial_records(pt: ProductTable, et: OrganisationTable, r: KernelResult) -> np.ndarray:
    """A chunk's organisation lists as records (``PARTIAL``), organisation by organisation."""
    total = int(r.ex_n.sum())
    out = np.zeros(total, dtype=PARTIAL)
    if not total:
        return out
    orgs = np.repeat(np.arange(len(r.ex_n)), r.ex_n)
    cols = np.concatenate([np.arange(n) for n in r.ex_n if n]) if total else np.array([], int)
    products = r.ex_p[orgs, cols]
    out["organisation"] = et.ids[orgs]
    out["product"] = pt.ids[products]
    out["version"] = pt.versions[products]
    out["score"] = r.ex_s[orgs, cols]
    out["components"] = r.ex_c[orgs, cols]
    return out


def merge_run(run: MatchRun) -> tuple[dict[str, int], FollowUp]:
    """Build every organisation's list from the chunks' partial lists and replace the old ones.

    Runs inside the caller's transaction, which holds the run row locked. Returns the counts,
    and the products and organisations changed during the run, to rescore once this commits.
    """
    run_id = run.pk
    started = time.perf_counter()
    parts = [
        np.frombuffer(bytes(blob), dtype=PARTIAL)
        for blob in MatchRunChunk.objects.filter(run_id=run_id).values_list("partial", flat=True)
        if blob
    ]
    records = np.concatenate(parts) if parts else np.zeros(0, dtype=PARTIAL)
    # Products changed since their chunk scored them (or created since the run was planned)
    # keep the rows their own rescores wrote; their chunk records are dropped, and they are
    # queued again once this commits.
    scored_parts = [
        np.frombuffer(bytes(blob), dtype="<i8").reshape(-1, 2)
        for blob in MatchRunChunk.objects.filter(run_id=run_id).values_list("scored", flat=True)
        if blob
    ]
    scored = np.concatenate(scored_parts) if scored_parts else np.zeros((0, 2), dtype=np.int64)
    stored = np.array(
        list(ProductMatches.objects.values_list("pk", "product_version")), dtype=np.int64
    ).reshape(-1, 2)
    scored = scored[np.argsort(scored[:, 0])]
    changed = stored[:, 0]
    if len(stored):
        at = np.clip(np.searchsorted(scored[:, 0], stored[:, 0]), 0, max(len(scored) - 1, 0))
        same = (
            (scored[at, 0] == stored[:, 0]) & (scored[at, 1] == stored[:, 1])
            if len(scored)
            else np.zeros(len(stored), dtype=bool)
        )
        changed = stored[~same, 0]
    stale_products = sorted(changed.tolist())
    # Records of products changed since, or deleted since (no stored list any more), go.
    records = records[
        ~np.isin(records["product"], changed) & np.isin(records["product"], stored[:, 0])
    ]
    order = np.lexsort(
        (records["product"], -records["score"].astype(np.int64), records["organisation"])
    )
    records = records[order]
    # Each organisation's first ORGANISATION_KEEP records, found with array operations (a Python
    # loop over a million records would take longer than the whole scoring).
    orgs = records["organisation"].astype(np.int64)
    n = len(orgs)
    starts = np.flatnonzero(np.r_[True, orgs[1:] != orgs[:-1]]) if n else np.zeros(0, int)
    counts = np.diff(np.r_[starts, n]) if n else np.zeros(0, int)
    rank = np.arange(n) - np.repeat(starts, counts) if n else np.zeros(0, int)
    kept = records[rank < ORGANISATION_KEEP]
    sizes = np.minimum(counts, ORGANISATION_KEEP)
    lasts = kept[np.cumsum(sizes) - 1] if len(sizes) else kept[:0]
    ctx = engine.context()
    now = timezone.now()
    versions = dict(Organisation.objects.values_list("pk", "version"))
    # Organisations changed during the run (scored by a chunk at another version, edited or
    # rescored since the run started): their partial lists may be from before the change. A
    # blank fingerprint makes their queued rescore recount them, over every chapter a chunk
    # scored them in as well as their current ones.
    used_chapters: dict[int, set[str]] = {}
    used_versions: dict[int, int] = {}
    for chapter, blob in MatchRunChunk.objects.filter(run_id=run_id).values_list(
        "chapter", "candidates"
    ):
        if blob:
            for org, version in np.frombuffer(bytes(blob), dtype="<i8").reshape(-1, 2).tolist():
                used_chapters.setdefault(org, set()).add(chapter)
                used_versions[org] = version
    changed_orgs = {org for org, version in used_versions.items() if versions.get(org) != version}
    changed_orgs |= set(
        Organisation.objects.filter(updated_at__gte=run.started_at).values_list("pk", flat=True)
    )
    changed_orgs |= set(
        OrganisationMatchState.objects.filter(computed_at__gte=run.started_at).values_list(
            "pk", flat=True
        )
    )
    state_rows = []
    listed = set()
    for org, size, count, last in zip(
        orgs[starts].tolist(),
        sizes.tolist(),
        counts.tolist(),
        zip(lasts["score"].tolist(), lasts["product"].tolist(), strict=True),
        strict=True,
    ):
        listed.add(org)
        state_rows.append((org, size, count < ORGANISATION_KEEP, last[0], last[1]))
    state_rows += [(org, 0, True, 0, 0) for org in ctx.features if org not in listed]
    states = [
        OrganisationMatchState(
            organisation_id=org,
            organisation_version=versions.get(org, 0),
            weights_version=run.weights_version,
            chapters=sorted(
                set(ctx.exporters.chapters.get(org, [])) | used_chapters.get(org, set())
            ),
            fingerprint=(
                engine.fingerprint(ctx.features[org])
                if org in ctx.features and org not in changed_orgs
                else ""
            ),
            size=size,
            complete=complete,
            last_score=last_score,
            last_product=last_product,
            computed_at=now,
        )
        for org, size, complete, last_score, last_product in state_rows
    ]
    components = kept["components"].astype(np.int64)
    columns = [
        kept["organisation"].tolist(),
        kept["product"].tolist(),
        kept["version"].tolist(),
        kept["score"].tolist(),
        *(components[:, c].tolist() for c in range(6)),
    ]
    rows = list(zip(*columns, strict=True))
    prepared = time.perf_counter()
    with transaction.atomic():  # a savepoint in the caller's transaction
        with connection.cursor() as cursor:
            # Plain DELETEs: readers keep seeing the old lists until this commits.
            if stale_products:
                OrganisationMatch.objects.exclude(product_id__in=stale_products).delete()
            else:
                cursor.execute(f"DELETE FROM {OrganisationMatch._meta.db_table}")
            cursor.execute(f"DELETE FROM {OrganisationMatchState._meta.db_table}")
        store.insert_exporter_rows(rows)
        OrganisationMatchState.objects.bulk_create(states, batch_size=5000)
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.DONE,
            finished_at=timezone.now(),
            rows_written=len(rows) + run.products,
            candidate_pairs=sum(
                MatchRunChunk.objects.filter(run_id=run_id).values_list(
                    "candidate_pairs", flat=True
                )
            ),
        )
        MatchRunChunk.objects.filter(run_id=run_id).update(partial=b"")
    logger.info(
        "merge of run %s: %d records, %d rows; prepare %.2f s, write %.2f s",
        run_id,
        len(records),
        len(rows),
        prepared - started,
        time.perf_counter() - prepared,
    )
    counts = {"organisation_rows": len(rows), "stale": len(stale_products)}
    return counts, FollowUp(
        products=tuple(stale_products), organisations=tuple(sorted(changed_orgs))
    )
