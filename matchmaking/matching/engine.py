"""Computing matches: the kernel over feature tables, incremental patches and full runs.

Incremental work follows the change events of ``products`` and ``exporters``:

- a product (or the products of a BUMDes, or an import): its own list is recomputed against every
  candidate organisation, then each organisation list it is in, or now enters, is patched;
- an organisation: its own list is recomputed against every product of its HS chapters, and the
  lists of those products are recomputed (only rows that change are written);
- the weights: a full run.

Organisation lists keep ``EXPORTER_KEEP`` rows (more than the 50 shown) and always hold the best
of their pairs in order (see ``ExporterMatchState``); a patch that cannot prove the order any
further truncates the list, and a list that falls below 50 that way is recounted in the
background.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from itertools import groupby

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from matchmaking.matching import features, kernel, store
from matchmaking.matching.features import ExporterTable, Lexicon, ProductTable
from matchmaking.matching.scoring import EXPORTER_TOP, PRODUCT_TOP, Weights

logger = logging.getLogger(__name__)

EXPORTER_KEEP = EXPORTER_TOP + 10
_SHARES = kernel.share_table()


def weights_array(w: Weights) -> np.ndarray:
    values = [0] * kernel.WEIGHTS_LEN
    values[: len(w.as_points())] = w.as_points()
    values[kernel.W_FIT_HEADING] = w.fit_heading_pct
    values[kernel.W_FIT_CHAPTER] = w.fit_chapter_pct
    values[kernel.W_VOLUME_UNKNOWN] = w.volume_unknown_pct
    values[kernel.W_DIST_FULL] = w.distance_full_km
    values[kernel.W_DIST_ZERO] = w.distance_zero_km
    values[kernel.W_PREF_SHARE] = w.preference_share_pct
    values[kernel.W_SEASON_SHARE] = w.season_share_pct
    values[kernel.W_SEASON_MONTHS] = w.season_months
    values[kernel.W_MONTH] = w.month
    values[kernel.W_MIN_SCORE] = w.min_score
    return np.array(values, dtype=np.int64)


@dataclass
class KernelResult:
    pairs: int
    top_e: np.ndarray  # [products, PRODUCT_TOP] organisation index
    top_s: np.ndarray
    top_c: np.ndarray
    top_n: np.ndarray
    ex_p: np.ndarray  # [organisations, depth] product index
    ex_s: np.ndarray
    ex_c: np.ndarray
    ex_n: np.ndarray


def run_kernel(
    pt: ProductTable, et: ExporterTable, w: Weights, *, depth: int = EXPORTER_KEEP
) -> KernelResult:
    """Score every candidate pair of ``pt`` x ``et``, keeping both sides' best lists."""
    n, m = len(pt), max(len(et), 1)
    # An organisation's list from these products never holds more than there are products.
    depth = max(1, min(depth, n))
    result = KernelResult(
        pairs=0,
        top_e=np.zeros((n, PRODUCT_TOP), dtype=np.int64),
        top_s=np.zeros((n, PRODUCT_TOP), dtype=np.int64),
        top_c=np.zeros((n, PRODUCT_TOP, 6), dtype=np.int64),
        top_n=np.zeros(n, dtype=np.int64),
        ex_p=np.zeros((m, depth), dtype=np.int64),
        ex_s=np.zeros((m, depth), dtype=np.int64),
        ex_c=np.zeros((m, depth, 6), dtype=np.int64),
        ex_n=np.zeros(m, dtype=np.int64),
    )
    if not len(et) or not n:
        return result
    W = weights_array(w)
    for chapter, lo, hi in pt.chapter_runs():
        result.pairs += score_chunk(pt, et, W, lo, hi, chapter, result)
    fill_exporter_components(pt, et, W, result)
    return result


def fill_exporter_components(pt, et, W, r: KernelResult) -> None:
    kernel.fill_exporter_components(
        pt.chapter,
        pt.head,
        pt.sub,
        pt.cap,
        pt.certs,
        pt.markets,
        pt.province,
        pt.gateway,
        pt.dist,
        pt.readiness,
        pt.months,
        et.ch_start,
        et.ch_end,
        *_candidate_arrays(et),
        W,
        _SHARES,
        r.ex_p,
        r.ex_c,
        r.ex_n,
    )


def _candidate_arrays(et: ExporterTable) -> tuple[np.ndarray, ...]:
    """The organisations' columns in the order both kernels take them."""
    return (
        et.ent_exporter,
        et.ent_head_lo,
        et.ent_head_hi,
        et.ent_sub_start,
        et.ent_sub_end,
        et.ent_subs,
        et.need,
        et.certs,
        et.certs_n,
        et.mk_start,
        et.mk_end,
        et.markets,
        et.pref_prov,
        et.pref_gw,
    )


def score_chunk(pt, et, W, lo, hi, chapter, r: KernelResult) -> int:
    return kernel.score_block(
        lo,
        hi,
        int(et.ch_start[chapter]),
        int(et.ch_end[chapter]),
        pt.ids,
        pt.head,
        pt.sub,
        pt.cap,
        pt.certs,
        pt.markets,
        pt.province,
        pt.gateway,
        pt.dist,
        pt.readiness,
        pt.months,
        pt.ready,
        *_candidate_arrays(et),
        W,
        _SHARES,
        r.top_e,
        r.top_s,
        r.top_c,
        r.top_n,
        r.ex_p,
        r.ex_s,
        r.ex_c,
        r.ex_n,
    )


def warm_up() -> None:
    """Compile the kernel (or load it from the on-disk cache) before the first real call."""
    from matchmaking.matching.scoring import ExporterFeatures, ProductFeatures

    w = Weights()
    pt = features.product_table([ProductFeatures(1, 1, "030633", export_ready=True)])
    et = features.exporter_table([ExporterFeatures(1, 1, ("0306",))], w)
    run_kernel(pt, et, w)


# --- context: weights, lexicon and the organisations, cached per process -------------------


@dataclass
class Context:
    weights: Weights
    lexicon: Lexicon
    exporters: ExporterTable
    features: dict[int, object]
    key: tuple


_context: Context | None = None


def current_weights_row():
    from matchmaking.matching.models import MatchWeights

    row = MatchWeights.objects.order_by("-pk").first()
    return row or MatchWeights.objects.create()


def context() -> Context:
    """Weights, lexicon and the organisations' table; rebuilt only when one of them changed."""
    global _context
    w = features.weights_from(current_weights_row())
    lexicon = features.load_lexicon()
    key = (features.exporters_signature(), w)
    if _context is None or _context.key != key or _context.lexicon != lexicon:
        exporters = features.load_exporters(lexicon)
        _context = Context(
            weights=w,
            lexicon=lexicon,
            exporters=features.exporter_table(exporters, w),
            features={e.id: e for e in exporters},
            key=key,
        )
    return _context


def forget_context() -> None:
    global _context
    _context = None


def fingerprint(exporter) -> str:
    data = repr({**exporter.__dict__, "version": 0}).encode()
    return hashlib.sha1(data).hexdigest()


# --- products ------------------------------------------------------------------------------


def product_rows(pt: ProductTable, et: ExporterTable, r: KernelResult, w: Weights):
    now = timezone.now()
    for i in range(len(pt)):
        n = int(r.top_n[i])
        yield store.ProductRow(
            product_id=int(pt.ids[i]),
            product_version=int(pt.versions[i]),
            weights_version=w.version,
            best_score=int(r.top_s[i, 0]) if n else 0,
            size=n,
            entries=store.pack(et.ids[r.top_e[i, :n]], r.top_s[i, :n], r.top_c[i, :n]),
            computed_at=now,
        )


def rescore_products(product_ids: list[int]) -> dict[str, int]:
    """Recompute these products' lists and patch the organisation lists they touch."""
    from matchmaking.matching.models import ExporterMatch, ProductMatches

    ctx = context()
    loaded = features.load_products(ctx.lexicon, ids=product_ids)
    pt = features.product_table(loaded)
    r = run_kernel(pt, ctx.exporters, ctx.weights)
    with transaction.atomic():
        store.write_product_lists(product_rows(pt, ctx.exporters, r, ctx.weights))
        # Only patch for the products whose stored list is ours: a newer task owns the rest.
        stored = dict(
            ProductMatches.objects.filter(pk__in=[int(i) for i in pt.ids]).values_list(
                "pk", "product_version"
            )
        )
        current = {
            int(pt.ids[i]): i
            for i in range(len(pt))
            if stored.get(int(pt.ids[i])) == int(pt.versions[i])
        }
        # Products gone (deleted) leave no rows anyway (cascade).
        patched = _patch_exporter_lists(pt, r, ctx, current)
    _ = ExporterMatch
    return {"products": len(pt), "pairs": r.pairs, "organisations_patched": patched}


def _key(score: int, product_id: int) -> tuple[int, int]:
    return (-score, product_id)


def _entering(best: dict[int, tuple[int, int]]) -> set[int]:
    """Organisations whose list a new pair (score, product) may enter: no list yet, a complete
    one, or one whose last entry ranks below the pair.

    Read without a lock (the lists that do change are locked and re-read after). On
    PostgreSQL the comparison runs in the database, so a product paired with thousands of
    organisations sends three arrays rather than thousands of ids, and gets back the few.
    """
    from matchmaking.matching.models import ExporterMatchState

    if not best:
        return set()
    orgs = list(best)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.org FROM unnest(%s::int[], %s::int[], %s::int[]) AS n(org, score, pid) "
                "LEFT JOIN matchmaking_exportermatchstate s ON s.organisation_id = n.org "
                "WHERE s.organisation_id IS NULL OR s.complete OR n.score > s.last_score "
                "OR (n.score = s.last_score AND n.pid < s.last_product)",
                [orgs, [best[o][0] for o in orgs], [best[o][1] for o in orgs]],
            )
            return {row[0] for row in cursor.fetchall()}
    peek = {
        pk: (complete, last_score, last_product)
        for pk, complete, last_score, last_product in ExporterMatchState.objects.filter(
            pk__in=orgs
        ).values_list("pk", "complete", "last_score", "last_product")
    }
    return {
        org
        for org, (score, pid) in best.items()
        if org not in peek or peek[org][0] or _key(score, pid) < _key(peek[org][1], peek[org][2])
    }


def _patch_exporter_lists(pt, r: KernelResult, ctx: Context, current: dict[int, int]) -> int:
    from matchmaking.matching.models import ExporterMatch, ExporterMatchState

    if not current:
        return 0
    et = ctx.exporters
    product_ids = list(current)
    # New pairs of these products, by organisation, with array operations (a product of a busy
    # chapter pairs with thousands of organisations).
    rows_e = np.repeat(np.arange(len(r.ex_n)), r.ex_n)
    cols = np.arange(len(rows_e)) - np.repeat(np.cumsum(r.ex_n) - r.ex_n, r.ex_n)
    prod_idx = r.ex_p[rows_e, cols]
    keep = np.isin(pt.ids[prod_idx], np.array(product_ids, dtype=np.int64))
    rows_e, cols, prod_idx = rows_e[keep], cols[keep], prod_idx[keep]
    new_org = et.ids[rows_e]
    new_pid = pt.ids[prod_idx]
    new_score = r.ex_s[rows_e, cols]
    holding = set(
        ExporterMatch.objects.filter(product_id__in=product_ids).values_list(
            "organisation_id", flat=True
        )
    )
    # Each organisation's best new pair decides whether its list can change; read the states
    # without a lock first, to lock only the few lists that do change.
    first = np.r_[True, new_org[1:] != new_org[:-1]] if len(new_org) else np.zeros(0, bool)
    best = dict(
        zip(
            new_org[first].tolist(),
            zip(new_score[first].tolist(), new_pid[first].tolist(), strict=True),
            strict=True,
        )
    )
    entering = _entering(best)
    candidates = holding | entering
    if not candidates:
        return 0
    states = {
        s.pk: s
        for s in ExporterMatchState.objects.select_for_update()
        .filter(pk__in=sorted(candidates))
        .order_by("pk")
    }
    wanted_orgs = np.array(sorted(candidates), dtype=np.int64)
    mask = np.isin(new_org, wanted_orgs)
    new: dict[int, list[tuple]] = {}
    components = r.ex_c[rows_e[mask], cols[mask]].tolist()
    for org, pid, version, score, comps in zip(
        new_org[mask].tolist(),
        new_pid[mask].tolist(),
        pt.versions[prod_idx[mask]].tolist(),
        new_score[mask].tolist(),
        components,
        strict=True,
    ):
        new.setdefault(org, []).append((pid, version, score, tuple(comps)))
    depth = r.ex_s.shape[1]
    truncated = set(et.ids[np.flatnonzero(r.ex_n >= depth)].tolist()) if len(pt) > depth else set()
    affected = set(holding)
    for org, rows in new.items():
        state = states.get(org)
        if (
            state is None
            or state.complete
            or any(
                _key(s, pid) < _key(state.last_score, state.last_product) for pid, _v, s, _c in rows
            )
        ):
            affected.add(org)
    if not affected:
        return 0
    existing: dict[int, list[tuple]] = {org: [] for org in affected}
    for org, pid, version, score, *components in ExporterMatch.objects.filter(
        organisation_id__in=sorted(affected)
    ).values_list("organisation_id", "product_id", "product_version", "score", *_COMPONENT_FIELDS):
        existing[org].append((pid, version, score, tuple(components)))
    ExporterMatch.objects.filter(product_id__in=product_ids).delete()
    inserts, drops, refill, created, updated = [], [], [], [], []
    now = timezone.now()
    wanted = set(product_ids)
    for org in sorted(affected):
        state = states.get(org)
        kept = [row for row in existing[org] if row[0] not in wanted]
        merged = sorted(kept + new.get(org, []), key=lambda row: _key(row[2], row[0]))
        complete = state is None or state.complete
        if not complete:
            bound = _key(state.last_score, state.last_product)
            merged = [row for row in merged if _key(row[2], row[0]) <= bound]
        # The batch's own list for this organisation was cut at the kernel's depth: pairs
        # beyond it are unknown, so the list can no longer be called complete.
        if len(merged) > EXPORTER_KEEP or org in truncated:
            complete = False
        final = merged[:EXPORTER_KEEP]
        final_ids = {row[0] for row in final}
        drops += [(org, row[0]) for row in kept if row[0] not in final_ids]
        inserts += [
            (org, pid, version, score, *components)
            for pid, version, score, components in final
            if pid in wanted
        ]
        last = final[-1] if final else (0, 0, 0, ())
        values = {
            "size": len(final),
            "complete": complete,
            "last_score": last[2],
            "last_product": last[0],
        }
        if state is None:
            created.append(
                ExporterMatchState(
                    organisation_id=org,
                    organisation_version=0,
                    weights_version=0,
                    computed_at=now,
                    **values,
                )
            )
        else:
            for field, value in values.items():
                setattr(state, field, value)
            updated.append(state)
        if not complete and len(final) < EXPORTER_TOP:
            refill.append(org)
    # One statement each, however many lists changed.
    if drops:
        gone = Q()
        for org, pid in drops:
            gone |= Q(organisation_id=org, product_id=pid)
        ExporterMatch.objects.filter(gone).delete()
    if created:
        ExporterMatchState.objects.bulk_create(created)
    if updated:
        ExporterMatchState.objects.bulk_update(
            updated, ["size", "complete", "last_score", "last_product"], batch_size=500
        )
    store.insert_exporter_rows(inserts)
    if refill:
        from matchmaking.matching import queue

        transaction.on_commit(lambda: queue.organisations(refill))
    return len(affected)


_COMPONENT_FIELDS = ("fit", "volume", "certificates", "markets", "logistics", "readiness")


# --- organisations -------------------------------------------------------------------------


def rescore_organisation(organisation_id: int) -> dict[str, int]:
    """Recompute one organisation's list, and the lists of the products it could now appear in
    or leave (the products of its HS chapters, old and new)."""
    from exporters.models import Organisation
    from matchmaking.matching.models import ExporterMatch, ExporterMatchState

    ctx = context()
    version = (
        Organisation.objects.filter(pk=organisation_id).values_list("version", flat=True).first()
    )
    exporter = ctx.features.get(organisation_id)
    state = ExporterMatchState.objects.filter(pk=organisation_id).first()
    old_chapters = set(state.chapters) if state else set()
    print_ = fingerprint(exporter) if exporter else ""
    # Nothing the scores depend on changed: keep the list, unless it fell short and must be
    # recounted (a list that lost entries it could not replace).
    if (
        state
        and exporter
        and state.fingerprint == print_
        and state.weights_version == ctx.weights.version
        and (state.complete or state.size >= EXPORTER_TOP)
    ):
        ExporterMatchState.objects.filter(pk=organisation_id).update(organisation_version=version)
        return {"products": 0, "pairs": 0}
    new_chapters = set(ctx.exporters.chapters.get(organisation_id, [])) if exporter else set()
    pairs = 0
    chapters = sorted(old_chapters | new_chapters)
    loaded = []
    for chapter in chapters:
        loaded += features.load_products(ctx.lexicon, chapter=chapter)
    pt = features.product_table(loaded)
    # The products' lists (everyone's pairs; only the rows that change are written).
    if len(pt):
        r = run_kernel(pt, ctx.exporters, ctx.weights)
        pairs += r.pairs
        _write_changed_product_lists(pt, ctx, r)
    with transaction.atomic():
        ExporterMatch.objects.filter(organisation_id=organisation_id).delete()
        ExporterMatchState.objects.filter(pk=organisation_id).delete()
        if exporter is None or version is None:
            return {"products": len(pt), "pairs": pairs}
        one = features.exporter_table([exporter], ctx.weights)
        r1 = run_kernel(pt, one, ctx.weights)
        n = int(r1.ex_n[0])
        rows = [
            (
                organisation_id,
                int(pt.ids[r1.ex_p[0, j]]),
                int(pt.versions[r1.ex_p[0, j]]),
                int(r1.ex_s[0, j]),
                *(int(c) for c in r1.ex_c[0, j]),
            )
            for j in range(n)
        ]
        store.insert_exporter_rows(rows)
        more = _more_than(pt, one, r1)
        ExporterMatchState.objects.create(
            organisation_id=organisation_id,
            organisation_version=exporter.version,
            weights_version=ctx.weights.version,
            chapters=sorted(new_chapters),
            fingerprint=print_,
            size=n,
            complete=not more,
            last_score=rows[-1][3] if rows else 0,
            last_product=rows[-1][1] if rows else 0,
            computed_at=timezone.now(),
        )
    return {"products": len(pt), "pairs": pairs}


def _more_than(pt, one, r1) -> bool:
    """Whether the organisation had more pairs worth showing than its list keeps."""
    return int(r1.ex_n[0]) >= EXPORTER_KEEP


def _write_changed_product_lists(pt: ProductTable, ctx: Context, r: KernelResult) -> int:
    from matchmaking.matching.models import ProductMatches

    rows = list(product_rows(pt, ctx.exporters, r, ctx.weights))
    stored = dict(
        ProductMatches.objects.filter(pk__in=[row.product_id for row in rows]).values_list(
            "pk", "entries"
        )
    )
    changed = [row for row in rows if bytes(stored.get(row.product_id) or b"-") != row.entries]
    with transaction.atomic():
        store.write_product_lists(changed)
    return len(changed)


# --- full runs -----------------------------------------------------------------------------

CHUNK_PRODUCTS = 25_000


def plan_chunks(chunk_products: int = CHUNK_PRODUCTS) -> list[tuple[str, int, int, int]]:
    """(chapter, first id, last id, products) per chunk: each chapter cut into runs of ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(hs_code_id, 1, 2) AS chapter, id FROM products_product "
            "ORDER BY chapter, id"
        )
        rows = cursor.fetchall()
    chunks = []
    for chapter, group in groupby(rows, key=lambda row: row[0]):
        ids = [row[1] for row in group]
        for start in range(0, len(ids), chunk_products):
            part = ids[start : start + chunk_products]
            chunks.append((chapter, part[0], part[-1], len(part)))
    return chunks


def run_chunk(chunk_id: int) -> dict[str, int]:
    """Score one chunk of a full run; writes its products' lists and its partial organisation
    lists, and marks it done, in one transaction (a retry after a crash redoes it whole)."""
    from matchmaking.matching.models import MatchRun, MatchRunChunk

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

    ctx = context()
    t_context = lap()
    pt = features.load_product_table(
        ctx.lexicon, chapter=chunk.chapter, id_range=(chunk.first_product, chunk.last_product)
    )
    t_load = lap()
    r = run_kernel(pt, ctx.exporters, ctx.weights)
    t_kernel = lap()
    partial = _partial_records(pt, ctx.exporters, r)
    rows = list(product_rows(pt, ctx.exporters, r, ctx.weights))
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


def _candidates(et: ExporterTable, chapter: str) -> np.ndarray:
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


def _partial_records(pt, et, r: KernelResult) -> np.ndarray:
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


def merge_run(run) -> dict[str, int]:
    """Build every organisation's list from the chunks' partial lists and replace the old ones.

    Runs inside the caller's transaction, which holds the run row locked."""
    from exporters.models import Organisation
    from matchmaking.matching import queue
    from matchmaking.matching.models import (
        ExporterMatch,
        ExporterMatchState,
        MatchRun,
        MatchRunChunk,
        ProductMatches,
    )

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
    scored = [
        np.frombuffer(bytes(blob), dtype="<i8").reshape(-1, 2)
        for blob in MatchRunChunk.objects.filter(run_id=run_id).values_list("scored", flat=True)
        if blob
    ]
    scored = np.concatenate(scored) if scored else np.zeros((0, 2), dtype=np.int64)
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
    # Each organisation's first EXPORTER_KEEP records, found with array operations (a Python
    # loop over a million records would take longer than the whole scoring).
    orgs = records["organisation"].astype(np.int64)
    n = len(orgs)
    starts = np.flatnonzero(np.r_[True, orgs[1:] != orgs[:-1]]) if n else np.zeros(0, int)
    counts = np.diff(np.r_[starts, n]) if n else np.zeros(0, int)
    rank = np.arange(n) - np.repeat(starts, counts) if n else np.zeros(0, int)
    kept = records[rank < EXPORTER_KEEP]
    sizes = np.minimum(counts, EXPORTER_KEEP)
    lasts = kept[np.cumsum(sizes) - 1] if len(sizes) else kept[:0]
    ctx = context()
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
        ExporterMatchState.objects.filter(computed_at__gte=run.started_at).values_list(
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
        state_rows.append((org, size, count < EXPORTER_KEEP, last[0], last[1]))
    state_rows += [(org, 0, True, 0, 0) for org in ctx.features if org not in listed]
    states = [
        ExporterMatchState(
            organisation_id=org,
            organisation_version=versions.get(org, 0),
            weights_version=run.weights_version,
            chapters=sorted(
                set(ctx.exporters.chapters.get(org, [])) | used_chapters.get(org, set())
            ),
            fingerprint=(
                fingerprint(ctx.features[org])
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
                ExporterMatch.objects.exclude(product_id__in=stale_products).delete()
            else:
                cursor.execute(f"DELETE FROM {ExporterMatch._meta.db_table}")
            cursor.execute(f"DELETE FROM {ExporterMatchState._meta.db_table}")
        store.insert_exporter_rows(rows)
        ExporterMatchState.objects.bulk_create(states, batch_size=5000)
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
        if stale_products:
            transaction.on_commit(lambda: queue.products(stale_products))
        if changed_orgs:
            transaction.on_commit(lambda: queue.organisations(sorted(changed_orgs)))
    logger.info(
        "merge of run %s: %d records, %d rows; prepare %.2f s, write %.2f s",
        run_id,
        len(records),
        len(rows),
        prepared - started,
        time.perf_counter() - prepared,
    )
    return {"organisation_rows": len(rows), "stale": len(stale_products)}
