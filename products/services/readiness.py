"""The stored readiness score of products, and the rules it is computed from.

A product's score is recomputed on every change to it (``refresh_readiness``). The rules are data
that ministry staff edit in the admin; every write of a rule goes through
``save_readiness_rule`` / ``delete_readiness_rules``, after which every stored score is stale: the
caller (the admin) starts the recompute with ``products.tasks.start_readiness_refresh``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from bumdes_export.core.models import BackgroundJob
from bumdes_export.notifications.services import notify, translated
from products import events, selectors
from products.models import Product, ReadinessRule
from products.readiness import Readiness, specification
from products.readiness import selectors as readiness_selectors
from products.readiness.models import SpecificationTemplate
from products.services.review import people_concerned

#: Called now and then while every score is recomputed: ``(done, total)``.
Progress = Callable[[int, int], None]


def refresh_readiness(product: Product) -> Readiness:
    """Recompute and store the readiness score; bump the version so listeners see the change.
    The facts are read afresh: the caller's product (or its BUMDes) may be an older copy."""
    fresh = Product.objects.select_related("bumdes").get(pk=product.pk)
    readiness = selectors.readiness_of(fresh)
    Product.objects.filter(pk=product.pk).update(
        readiness_score=readiness.score,
        blocking_rules=blocking_codes(readiness),
        version=F("version") + 1,
    )
    product.readiness_score = readiness.score
    product.refresh_from_db(fields=["version"])
    events.announce_product(product.pk, product.version)
    return readiness


def rules_in_force_codes() -> list[str]:
    """The codes of the rules in force today: a rule whose validity starts or ends changes
    them, and every stored score is stale then (``products.tasks``)."""
    return sorted(rule.code for rule in selectors.active_rules())


def readiness_recompute_due(job_kind: str) -> bool:
    """Whether every score needs recomputing because the rules in force differ from those the
    last recompute (a ``BackgroundJob`` of ``job_kind``) used: a rule's validity started or
    ended, or no recompute ever recorded its rules (an upgrade brought new ones). Not while
    one is under way."""
    last = (
        BackgroundJob.objects.filter(kind=job_kind)
        .exclude(status=BackgroundJob.Status.FAILED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is not None and not last.finished:
        return False
    return last is None or last.result.get("rules") != rules_in_force_codes()


def blocking_codes(readiness: Readiness) -> list[str]:
    return sorted(gap.code for gap in readiness.blocking_everywhere)


def refresh_all_readiness(on_progress: Progress | None = None, *, tell: bool = False) -> int:
    """Recompute every product's stored score, e.g. after ministry staff changed the rules.
    With ``tell``, the officers and operators of the products whose score moved, or which a
    rule now blocks or no longer blocks, hear of it (one message each, listing them)."""
    ids = list(Product.objects.values_list("pk", flat=True))
    moved: list[tuple[Product, int, Readiness]] = []
    for done, pk in enumerate(ids, start=1):
        with transaction.atomic():
            product = Product.objects.select_related("bumdes").get(pk=pk)
            before, blocked_before = product.readiness_score, product.blocking_rules
            readiness = refresh_readiness(product)
        blocked_now = blocking_codes(readiness)
        if readiness.score != before or (
            blocked_before is not None and blocked_before != blocked_now
        ):
            moved.append((product, before, readiness))
        if on_progress and done % 100 == 0:
            on_progress(done, len(ids))
    if tell and moved:
        tell_about_rule_change(moved)
    return len(ids)


#: Products listed in one rule-change message (the rest are counted).
RULE_CHANGE_LISTED = 20


def tell_about_rule_change(moved: list[tuple[Product, int, Readiness]]) -> int:
    """One message to each officer and operator whose products' readiness moved after a rule
    change: how many, and the first few with their score before and after and what now blocks
    them. Returns how many people were told."""
    by_person: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
    by_bumdes: dict[int, list[tuple[Product, int, Readiness]]] = {}
    for item in moved:
        by_bumdes.setdefault(item[0].bumdes_id, []).append(item)
    for items in by_bumdes.values():
        rows: list[dict[str, Any]] = [
            {
                "product": product,
                "before": before,
                "after": readiness.score,
                "blocking": [gap.code for gap in readiness.blocking_everywhere],
            }
            for product, before, readiness in items
        ]
        for person in people_concerned(items[0][0].bumdes, ministry=False):
            by_person.setdefault(person.pk, (person, []))[1].extend(rows)
    for person, rows in by_person.values():
        rows.sort(key=lambda row: (row["after"] - row["before"], row["product"].pk))
        notify(
            person,
            kind="product.readiness",
            subject=translated(
                ngettext_lazy(
                    "Readiness rules changed: the readiness of %(count)s product moved",
                    "Readiness rules changed: the readiness of %(count)s products moved",
                    len(rows),
                ),
                count=len(rows),
            ),
            template="products/email/rules_changed.txt",
            context={
                "rows": rows[:RULE_CHANGE_LISTED],
                "more": max(0, len(rows) - RULE_CHANGE_LISTED),
                "count": len(rows),
            },
            link="/registry/products/",
        )
    return len(by_person)


def save_specification_template(template: SpecificationTemplate) -> None:
    """Save a template edited by ministry staff (its fields checked). Every stored score is
    stale afterwards: the caller starts the recompute, as for rules."""
    template.full_clean()
    template.save()


def delete_specification_templates(templates: Iterable[SpecificationTemplate]) -> int:
    ids = [template.pk for template in templates]
    _total, by_model = SpecificationTemplate.objects.filter(pk__in=ids).delete()
    return by_model.get(SpecificationTemplate._meta.label, 0)


def save_readiness_rule(rule: ReadinessRule) -> None:
    """Save a rule edited by ministry staff. Every stored score is stale afterwards, once its
    destinations are saved too (see the module)."""
    rule.save()


@transaction.atomic
def delete_readiness_rules(rules: Iterable[ReadinessRule]) -> int:
    """Delete rules (one, or the admin's bulk selection); returns how many. Every stored score
    is stale afterwards (see the module)."""
    ids = [rule.pk for rule in rules]
    _total, by_model = ReadinessRule.objects.filter(pk__in=ids).delete()
    return by_model.get(ReadinessRule._meta.label, 0)


#: The wording of ``specification.clean_values``'s error codes.
SPECIFICATION_ERRORS = {
    "unknown": gettext_lazy("Not a field of this commodity's specification."),
    "number": gettext_lazy("Enter a number."),
    "min": gettext_lazy("Must be at least %(min)s."),
    "max": gettext_lazy("Must be at most %(max)s."),
    "yes_no": gettext_lazy("Answer yes or no."),
    "choice": gettext_lazy("Choose one of the options."),
}


def specification_errors(
    fields: tuple[specification.FieldSpec, ...], errors: dict[str, str]
) -> dict[str, list[str]]:
    by_key = {f.key: f for f in fields}
    worded: dict[str, list[str]] = {}
    for key, code in errors.items():
        spec = by_key.get(key)
        bounds = {
            "min": f"{spec.min:g}" if spec and spec.min is not None else "",
            "max": f"{spec.max:g}" if spec and spec.max is not None else "",
        }
        worded[key] = [str(SPECIFICATION_ERRORS[code]) % bounds]
    return worded


def clean_specification(hs_code: str | None, values: Any) -> dict[str, Any]:
    """A specification as the template of ``hs_code`` describes it, cleaned ("12,5" is 12.5);
    ``ValidationError`` keyed by the template's field keys (or ``specification``)."""
    if values in (None, ""):
        values = {}
    if not isinstance(values, Mapping):
        raise ValidationError({"specification": _("Send an object of field: value.")})
    template = readiness_selectors.template_for(hs_code)
    if template is None:
        if values:
            raise ValidationError(
                {
                    "specification": _("Products of HS %(code)s record no commodity specification.")
                    % {"code": hs_code}
                }
            )
        return {}
    cleaned, errors = specification.clean_values(template.fields, values)
    if errors:
        raise ValidationError(specification_errors(template.fields, errors))
    return cleaned
