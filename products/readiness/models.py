"""The commodity specification templates the readiness rules read (app label ``products``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from products.readiness import specification


class SpecificationTemplate(models.Model):
    """The specification fields recorded for the products of a commodity: for crab (kepiting,
    *Scylla* spp.; rajungan, *Portunus* spp.) the species, carapace width and weight per animal
    and whether egg-bearing females are excluded; for coffee the grade and moisture. Ministry
    staff edit them in the admin; a product uses the active template with the longest HS prefix
    its code starts with. ``fields`` is described in ``products.readiness.specification``."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    hs_prefixes = models.JSONField(
        _("HS prefixes"), default=list, help_text=_('For example ["030633", "030614"].')
    )
    fields = models.JSONField(_("fields"), default=list)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specification template")
        verbose_name_plural = _("specification templates")

    def __str__(self) -> str:
        return self.name_en

    def localized_name(self, language: str) -> str:
        return self.name_id if language.startswith("id") else self.name_en

    def clean(self) -> None:
        errors = {}
        try:
            specification.fields_of(self.fields)
        except specification.TemplateError as error:
            errors["fields"] = str(error)
        prefixes = self.hs_prefixes
        if not isinstance(prefixes, list) or not all(
            isinstance(p, str) and p.isdigit() and 2 <= len(p) <= 6 for p in prefixes
        ):
            errors["hs_prefixes"] = _("A list of HS prefixes of 2 to 6 digits.")
        if errors:
            raise ValidationError(errors)
