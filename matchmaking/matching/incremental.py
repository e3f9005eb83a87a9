"""Incremental rescoring: a product or an organisation changed, so its lists are recomputed.

Follows the change events of ``products`` and ``exporters`` (through ``matching.tasks``):

- products (one, the products of a BUMDes, or an import): their own lists are recomputed
  against every candidate organisation, then each organisation list they are in, or now enter,
  is patched;
- an organisation: its own list is recomputed against every product of its HS chapters, and the
  lists of those products are recomputed (only rows that change are written).

Organisation lists keep ``engine.ORGANISATION_KEEP`` rows and always hold the best of their pairs in
order (see ``OrganisationMatchState``); a patch that cannot prove the order any further truncates
the list, and a list that falls below ``ORGANISATION_TOP`` that way is returned as follow-up work,
to be recounted in the background.
"""

from __future__ import annotations

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from exporters.models import Organisation
from matchmaking.matching import engine, features, store
from matchmaking.matching.engine import ORGANISATION_KEEP, Context, KernelResult
from matchmaking.matching.features import ProductTable
from matchmaking.matching.follow_up import NOTHING, FollowUp
from matchmaking.matching.models import OrganisationMatch, OrganisationMatchState, ProductMatches
from matchmaking.matching.scoring import COMPONENTS, ORGANISATION_TOP

#: An organisation list row as read and written here: product id, product version, score and
#: the six components.
Row = tuple[int, int, int, tuple[int, ...]]

# --- products ------------------------------------------------------------------------------


def rescore_products(product_ids: list[int]) -> tuple[dict[str, int], FollowUp]:
    """Recompute these products' lists and patch the organisation lists they touch.

    Returns the counts, and the organisation lists that fell short and must be recounted."""
    ctx = engine.context()
    loaded = features.load_products(ctx.lexicon, ids=product_ids)
    pt = features.product_table(loaded)
    r = engine.run_kernel(pt, ctx.exporters, ctx.weights)
    with transaction.atomic():
        store.write_product_lists(engine.product_rows(pt, ctx.exporters, r, ctx.weights))
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
        patched, refill = _patch_exporter_lists(pt, r, ctx, current)
    counts = {"products": len(pt), "pairs": r.pairs, "organisations_patched": patched}
    return counts, FollowUp(organisations=tuple(refill)) if refill else NOTHING


def _key(score: int, product_id: int) -> tuple[int, int]:
    return (-score, product_id)


def _entering(best: dict[int, tuple[int, int]]) -> set[int]:
    """Organisations whose list a new pair (score, product) may enter: no list yet, a complete
    one, or one whose last entry ranks below the pair.

    Read without a lock (the lists that do change are locked and re-read after). On
    PostgreSQL the comparison runs in the database, so a product paired with thousands of
    organisations sends three arrays rather than thousands of ids, and gets back the few.
    """
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
        for pk, complete, last_score, last_product in OrganisationMatchState.objects.filter(
            pk__in=orgs
        ).values_list("pk", "complete", "last_score", "last_product")
    }
    return {
        org
        for org, (score, pid) in best.items()
        if org not in peek or peek[org][0] or _key(score, pid) < _key(peek[org][1], peek[org][2])
    }


def _patch_exporter_lists(
    pt: ProductTable, r: KernelResult, ctx: Context, current: dict[int, int]
) -> tuple[int, list[int]]:
    """Patch the organisation lists these products are in or enter; returns how many changed,
    and the organisations whose list fell below ``ORGANISATION_TOP`` without being complete."""
    if not current:
        return 0, []
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
        OrganisationMatch.objects.filter(product_id__in=product_ids).values_list(
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
        return 0, []
    states = {
        s.pk: s
        for s in OrganisationMatchState.objects.select_for_update()
        .filter(pk__in=sorted(candidates))
        .order_by("pk")
    }
    wanted_orgs = np.array(sorted(candidates), dtype=np.int64)
    mask = np.isin(new_org, wanted_orgs)
    new: dict[int, list[Row]] = {}
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
        return 0, []
    existing: dict[int, list[Row]] = {org: [] for org in affected}
    for org, pid, version, score, *components in OrganisationMatch.objects.filter(
        organisation_id__in=sorted(affected)
    ).values_list("organisation_id", "product_id", "product_version", "score", *COMPONENTS):
        existing[org].append((pid, version, score, tuple(components)))
    OrganisationMatch.objects.filter(product_id__in=product_ids).delete()
    inserts: list[tuple[int, ...]] = []
    drops: list[tuple[int, int]] = []
    refill: list[int] = []
    created: list[OrganisationMatchState] = []
    updated: list[OrganisationMatchState] = []
    now = timezone.now()
    wanted = set(product_ids)
    for org in sorted(affected):
        state = states.get(org)
        kept = [row for row in existing[org] if row[0] not in wanted]
        merged = sorted(kept + new.get(org, []), key=lambda row: _key(row[2], row[0]))
        complete = state is None or state.complete
        if state is not None and not state.complete:
            bound = _key(state.last_score, state.last_product)
            merged = [row for row in merged if _key(row[2], row[0]) <= bound]
        # The batch's own list for this organisation was cut at the kernel's depth: pairs
        # beyond it are unknown, so the list can no longer be called complete.
        if len(merged) > ORGANISATION_KEEP or org in truncated:
            complete = False
        final = merged[:ORGANISATION_KEEP]
        final_ids = {row[0] for row in final}
        drops += [(org, row[0]) for row in kept if row[0] not in final_ids]
        inserts += [
            (org, pid, version, score, *components)
            for pid, version, score, components in final
            if pid in wanted
        ]
        last: Row = final[-1] if final else (0, 0, 0, ())
        values: dict[str, int | bool] = {
            "size": len(final),
            "complete": complete,
            "last_score": last[2],
            "last_product": last[0],
        }
        if state is None:
            created.append(
                OrganisationMatchState(
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
        if not complete and len(final) < ORGANISATION_TOP:
            refill.append(org)
    # One statement each, however many lists changed.
    if drops:
        gone = Q()
        for org, pid in drops:
            gone |= Q(organisation_id=org, product_id=pid)
        OrganisationMatch.objects.filter(gone).delete()
    if created:
        OrganisationMatchState.objects.bulk_create(created)
    if updated:
        OrganisationMatchState.objects.bulk_update(
            updated, ["size", "complete", "last_score", "last_product"], batch_size=500
        )
    store.insert_exporter_rows(inserts)
    return len(affected), refill


# --- organisations -------------------------------------------------------------------------


def rescore_organisation(organisation_id: int) -> dict[str, int]:
    """Recompute one organisation's list, and the lists of the products it could now appear in
    or leave (the products of its HS chapters, old and new).

    Leaves no follow-up work: its own list is recounted whole, and the products' lists are
    written here."""
    ctx = engine.context()
    version = (
        Organisation.objects.filter(pk=organisation_id).values_list("version", flat=True).first()
    )
    exporter = ctx.features.get(organisation_id)
    state = OrganisationMatchState.objects.filter(pk=organisation_id).first()
    old_chapters = set(state.chapters) if state else set()
    print_ = engine.fingerprint(exporter) if exporter else ""
    # Nothing the scores depend on changed: keep the list, unless it fell short and must be
    # recounted (a list that lost entries it could not replace).
    if (
        state
        and exporter
        and state.fingerprint == print_
        and state.weights_version == ctx.weights.version
        and (state.complete or state.size >= ORGANISATION_TOP)
    ):
        OrganisationMatchState.objects.filter(pk=organisation_id).update(
            organisation_version=version
        )
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
        r = engine.run_kernel(pt, ctx.exporters, ctx.weights)
        pairs += r.pairs
        _write_changed_product_lists(pt, ctx, r)
    with transaction.atomic():
        OrganisationMatch.objects.filter(organisation_id=organisation_id).delete()
        OrganisationMatchState.objects.filter(pk=organisation_id).delete()
        if exporter is None or version is None:
            return {"products": len(pt), "pairs": pairs}
        one = features.exporter_table([exporter], ctx.weights)
        r1 = engine.run_kernel(pt, one, ctx.weights)
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
        more = _more_than(r1)
        OrganisationMatchState.objects.create(
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


def _more_than(r1: KernelResult) -> bool:
    """Whether the organisation had more pairs worth showing than its list keeps."""
    return int(r1.ex_n[0]) >= ORGANISATION_KEEP


def _write_changed_product_lists(pt: ProductTable, ctx: Context, r: KernelResult) -> int:
    rows = list(engine.product_rows(pt, ctx.exporters, r, ctx.weights))
    stored = dict(
        ProductMatches.objects.filter(pk__in=[row.product_id for row in rows]).values_list(
            "pk", "entries"
        )
    )
    changed = [row for row in rows if bytes(stored.get(row.product_id) or b"-") != row.entries]
    with transaction.atomic():
        store.write_product_lists(changed)
    return len(changed)
