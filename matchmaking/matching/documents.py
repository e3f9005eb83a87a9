"""The certificates and market documents behind a match, by name.

The stored components say how many of the organisation's required certificates a product holds
and for how many of its markets its documents are ready; these sentences say which ("Holds the
KI-1 fish health certificate you require; lacks the halal certificate you require"; "Form AHK
ready for Hong Kong; no certificate of origin for China yet (Form E)"). Read when a list is
shown, in the reader's language, from the same facts the score counts: certificates valid today
and the documents each market asks for by the readiness rules (``market_documents``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bumdes_export.reference.models import CertificateType, Country
from products.models import Certificate
from products.readiness.selectors import MarketDocuments, market_documents

#: The short names traders use for the preferential certificates of origin (proper names).
FORM_NAMES = {"coo-form-d": "Form D", "coo-form-e": "Form E", "coo-form-ahk": "Form AHK"}


def held_certificates(product_ids: Iterable[int]) -> dict[int, set[str]]:
    """The codes of the certificates each product holds valid today."""
    today = timezone.localdate()
    held: dict[int, set[str]] = defaultdict(set)
    rows = Certificate.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today), product_id__in=list(product_ids)
    ).values_list("product_id", "type__code")
    for product_id, code in rows:
        held[product_id].add(code)
    return held


def certificate_names(language: str) -> dict[str, str]:
    return {
        code: (name_id if language.startswith("id") else name_en)
        for code, name_id, name_en in CertificateType.objects.values_list(
            "code", "name_id", "name_en"
        )
    }


def _listed(names: Sequence[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    conjunction = _("and")
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def certificates_sentence(
    held: set[str], required: Sequence[str], names: dict[str, str], *, readers_own: bool
) -> str | None:
    """Which required certificates the product holds and lacks; None when none are required.
    ``readers_own``: the reader is the organisation ("you require")."""
    if not required:
        return None
    has = [names.get(code, code) for code in required if code in held]
    lacks = [names.get(code, code) for code in required if code not in held]
    # (the reader's own requirement, another organisation's), gettext'd when rendered.
    wordings = {
        "has": (
            lambda: _("Holds %(names)s, which you require"),
            lambda: _("Holds %(names)s, which the organisation requires"),
        ),
        "lacks": (
            lambda: _("lacks %(names)s, which you require"),
            lambda: _("lacks %(names)s, which the organisation requires"),
        ),
    }
    parts = [
        wordings[kind][0 if readers_own else 1]() % {"names": _listed(listed)}
        for kind, listed in (("has", has), ("lacks", lacks))
        if listed
    ]
    sentence = "; ".join(str(part) for part in parts) + "."
    return sentence[0].upper() + sentence[1:]


def markets_sentence(
    held: set[str],
    markets: Sequence[Country],
    language: str,
    opened: MarketDocuments | None = None,
    names: dict[str, str] | None = None,
) -> str | None:
    """For each of the organisation's markets, whether the product holds the documents the
    readiness rules ask for there (``products.readiness.selectors.market_documents``: the
    certificate of origin of the market's agreement ...), or, for a market that asks for none of
    its own, a plain certificate of origin; None when the organisation names no market."""
    if not markets:
        return None
    opened = opened or market_documents()
    names = names if names is not None else certificate_names(language)
    ready, missing = [], []
    for country in markets:
        wanted = sorted(opened.by_market.get(country.code, ()))
        place = country.localized_name(language)
        listed = _listed([FORM_NAMES.get(code) or names.get(code, code) for code in wanted])
        if wanted and set(wanted) <= held:
            ready.append(_("%(form)s ready for %(place)s") % {"form": listed, "place": place})
        elif not wanted and opened.general_origin & held:
            ready.append(_("a certificate of origin ready for %(place)s") % {"place": place})
        elif wanted:
            missing.append(
                _("no certificate of origin for %(place)s yet (%(form)s)")
                % {"place": place, "form": listed}
            )
        else:
            missing.append(_("no certificate of origin for %(place)s yet") % {"place": place})
    sentence = "; ".join([*ready, *missing]) + "."
    return sentence[0].upper() + sentence[1:]
