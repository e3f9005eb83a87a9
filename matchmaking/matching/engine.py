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
from dataclasses import dataclass
from itertools import groupby

import numpy as np
from django.db import connection, transaction
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
    return result


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


def _patch_exporter_lists(pt, r: KernelResult, ctx: Context, current: dict[int, int]) -> int:
    from matchmaking.matching.models import ExporterMatch, ExporterMatchState

    if not current:
        return 0
    et = ctx.exporters
    product_ids = list(current)
    # New pairs of these products, by organisation.
    new: dict[int, list[tuple]] = {}
    for e in np.flatnonzero(r.ex_n):
        org = int(et.ids[e])
        rows = []
        for j in range(int(r.ex_n[e])):
            i = int(r.ex_p[e, j])
            pid = int(pt.ids[i])
            if pid in current:
                rows.append(
                    (
                        pid,
                        int(pt.versions[i]),
                        int(r.ex_s[e, j]),
                        tuple(int(c) for c in r.ex_c[e, j]),
                    )
                )
        if rows:
            new[org] = rows
    holding = set(
        ExporterMatch.objects.filter(product_id__in=product_ids).values_list(
            "organisation_id", flat=True
        )
    )
    candidates = holding | set(new)
    if not candidates:
        return 0
    states = {
        s.pk: s
        for s in ExporterMatchState.objects.select_for_update()
        .filter(pk__in=sorted(candidates))
        .order_by("pk")
    }
    affected = set(holding)
    for org, rows in new.items():
        state = states.get(org)
        if (
            state is None
            or state.complete
            and state.size < EXPORTER_KEEP
            or any(
                _key(s, pid) < _key(state.last_score, state.last_product) for pid, _v, s, _c in rows
            )
            or state.complete
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
    inserts, drops, refill = [], [], []
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
        if len(merged) > EXPORTER_KEEP:
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
            ExporterMatchState.objects.create(
                organisation_id=org,
                organisation_version=0,
                weights_version=0,
                computed_at=now,
                **values,
            )
        else:
            ExporterMatchState.objects.filter(pk=org).update(**values)
        if not complete and len(final) < EXPORTER_TOP:
            refill.append(org)
    for org, pid in drops:
        ExporterMatch.objects.filter(organisation_id=org, product_id=pid).delete()
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
    if (
        state
        and exporter
        and state.fingerprint == print_
        and state.weights_version == ctx.weights.version
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
    MatchRunChunk.objects.filter(pk=chunk_id).update(attempts=chunk.attempts + 1)
    ctx = context()
    loaded = features.load_products(
        ctx.lexicon, chapter=chunk.chapter, id_range=(chunk.first_product, chunk.last_product)
    )
    pt = features.product_table(loaded)
    r = run_kernel(pt, ctx.exporters, ctx.weights)
    partial = _partial_records(pt, ctx.exporters, r)
    with transaction.atomic():
        claimed = MatchRunChunk.objects.filter(pk=chunk_id, done_at__isnull=True).update(
            done_at=timezone.now(), partial=partial.tobytes(), candidate_pairs=r.pairs
        )
        if not claimed:
            return {"skipped": 1}
        store.write_product_lists(product_rows(pt, ctx.exporters, r, ctx.weights))
    return {"products": len(pt), "pairs": r.pairs}


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
    parts = [
        np.frombuffer(bytes(blob), dtype=PARTIAL)
        for blob in MatchRunChunk.objects.filter(run_id=run_id).values_list("partial", flat=True)
        if blob
    ]
    records = np.concatenate(parts) if parts else np.zeros(0, dtype=PARTIAL)
    # Entries from a product that changed since its chunk ran are dropped here and re-queued.
    stored = np.array(
        list(ProductMatches.objects.values_list("pk", "product_version")), dtype=np.int64
    ).reshape(-1, 2)
    fresh = np.zeros(len(records), dtype=bool)
    if len(records) and len(stored):
        stored = stored[np.argsort(stored[:, 0])]
        at = np.clip(np.searchsorted(stored[:, 0], records["product"]), 0, len(stored) - 1)
        fresh = (stored[at, 0] == records["product"]) & (stored[at, 1] == records["version"])
    stale_products = sorted({int(p) for p in records["product"][~fresh]})
    records = records[fresh]
    order = np.lexsort(
        (records["product"], -records["score"].astype(np.int64), records["organisation"])
    )
    records = records[order]
    ctx = context()
    rows, states = [], []
    now = timezone.now()
    versions = dict(Organisation.objects.values_list("pk", "version"))
    orgs = records["organisation"]
    starts = np.flatnonzero(np.r_[True, orgs[1:] != orgs[:-1]]) if len(orgs) else np.array([], int)
    ends = np.r_[starts[1:], len(orgs)] if len(orgs) else np.array([], int)
    listed = set()
    for s, e in zip(starts, ends, strict=True):
        org = int(orgs[s])
        listed.add(org)
        take = records[s : min(e, s + EXPORTER_KEEP)]
        for rec in take:
            rows.append(
                (
                    org,
                    int(rec["product"]),
                    int(rec["version"]),
                    int(rec["score"]),
                    *map(int, rec["components"]),
                )
            )
        last = take[-1]
        exporter = ctx.features.get(org)
        states.append(
            ExporterMatchState(
                organisation_id=org,
                organisation_version=versions.get(org, 0),
                weights_version=run.weights_version,
                chapters=ctx.exporters.chapters.get(org, []),
                fingerprint=fingerprint(exporter) if exporter else "",
                size=len(take),
                complete=(e - s) < EXPORTER_KEEP,
                last_score=int(last["score"]),
                last_product=int(last["product"]),
                computed_at=now,
            )
        )
    for org, exporter in ctx.features.items():
        if org not in listed:
            states.append(
                ExporterMatchState(
                    organisation_id=org,
                    organisation_version=versions.get(org, 0),
                    weights_version=run.weights_version,
                    chapters=ctx.exporters.chapters.get(org, []),
                    fingerprint=fingerprint(exporter),
                    size=0,
                    complete=True,
                    computed_at=now,
                )
            )
    with transaction.atomic():  # a savepoint in the caller's transaction
        ExporterMatch.objects.all().delete()
        ExporterMatchState.objects.all().delete()
        store.insert_exporter_rows(rows)
        ExporterMatchState.objects.bulk_create(states, batch_size=2000)
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
    return {"organisation_rows": len(rows), "stale": len(stale_products)}
