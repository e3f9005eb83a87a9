"""Writes on the directory: registration, email confirmation, profile, verification, members.

Every change is recorded (``OrganisationChange``), bumps the organisation's version and is
announced after commit (``exporters.events``). The verified state of an organisation is copied to
its members' accounts, so that access decisions need not look into this app.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.models import Role, User
from bumdes_export.accounts.services import set_password_link
from bumdes_export.core.identifiers import clean_nib, clean_npwp
from bumdes_export.core.images import validated_image
from bumdes_export.notifications.services import notify, translated
from bumdes_export.reference.models import (
    CertificateType,
    Country,
    ExportGateway,
    HsCode,
    Region,
)
from exporters import events, selectors
from exporters.models import Membership, Organisation, OrganisationChange, Service

PROFILE_FIELDS = [
    "legal_name",
    "kind",
    "country",
    "nib",
    "npwp",
    "province",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "description",
    "languages",
    "services",
    "min_order_kg",
    "max_volume_kg_per_month",
    "required_certificates",
    "incoterms",
]
PREFERENCE_M2M = {
    "hs_interests": (HsCode, "code"),
    "destination_markets": (Country, "code"),
    "preferred_provinces": (Region, "code"),
    "preferred_gateways": (ExportGateway, "code"),
}
INCOTERMS = {"EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"}


def _unknown_languages(codes) -> list[str]:
    """Languages are ISO 639-1 codes (``id``, ``en``, ``zh``)."""
    import pycountry

    return sorted(
        {
            str(code)
            for code in codes
            if not (
                isinstance(code, str)
                and len(code) == 2
                and pycountry.languages.get(alpha_2=code) is not None
            )
        }
    )


def _display(value) -> object:
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, (list, dict, str, int, bool)) or value is None:
        return value
    return str(value)


def _clean(data: dict) -> dict:
    data = dict(data)
    errors: dict[str, list[str]] = {}
    for name, cleaner in (("nib", clean_nib), ("npwp", clean_npwp)):
        if name in data:
            try:
                data[name] = cleaner(data[name] or "")
            except ValidationError as error:
                errors[name] = error.messages
    if "services" in data:
        unknown = set(data["services"] or []) - set(Service.values)
        if unknown:
            errors["services"] = [_("Unknown service: %(s)s") % {"s": ", ".join(sorted(unknown))}]
    if "incoterms" in data:
        unknown = {t.upper() for t in data["incoterms"] or []} - INCOTERMS
        if unknown:
            errors["incoterms"] = [_("Unknown Incoterm: %(t)s") % {"t": ", ".join(sorted(unknown))}]
        data["incoterms"] = sorted({t.upper() for t in data["incoterms"] or []})
    if "required_certificates" in data:
        codes = sorted(set(data["required_certificates"] or []))
        known = set(CertificateType.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            errors["required_certificates"] = [
                _("Unknown certificate type: %(c)s") % {"c": ", ".join(unknown)}
            ]
        data["required_certificates"] = codes
    if "languages" in data:
        codes = [str(code).strip().lower() for code in data["languages"] or []]
        unknown = _unknown_languages(codes)
        if unknown:
            errors["languages"] = [
                _("Unknown language code (use ISO 639-1, e.g. id, en, zh): %(c)s")
                % {"c": ", ".join(unknown)}
            ]
        data["languages"] = list(dict.fromkeys(codes))
    country = data.get("country")
    if country is not None and country.code == "ID" and "province" in data and not data["province"]:
        errors["province"] = [_("An Indonesian company names its province.")]
    if errors:
        raise ValidationError(errors)
    return data


def _check_province(organisation: Organisation) -> None:
    """An Indonesian company names its province, whichever fields a change touched."""
    if organisation.country_id == "ID" and not organisation.province_id:
        raise ValidationError({"province": _("An Indonesian company names its province.")})


def _record(organisation: Organisation, actor, action: str, changes=None, note: str = "") -> None:
    OrganisationChange.objects.create(
        organisation=organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        changes=changes or {},
        note=note,
    )


def _bump(organisation: Organisation) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(version=F("version") + 1)
    organisation.refresh_from_db(fields=["version"])
    events.announce_organisation(organisation.pk, organisation.version)


def record_admin_change(*, actor, organisation: Organisation) -> Organisation:
    """An edit made in the Django admin: recorded and announced like one made on the pages, so
    that what depends on the organisation (its matches) is recomputed."""
    _record(organisation, actor, "admin_edit")
    _bump(organisation)
    return organisation


def _sync_members(organisation: Organisation) -> None:
    User.objects.filter(membership__organisation=organisation).update(
        organisation_verified=organisation.is_verified
    )


def _set_preferences(organisation: Organisation, preferences: dict) -> dict:
    changes = {}
    for name, codes in preferences.items():
        if name not in PREFERENCE_M2M or codes is None:
            continue
        model, key = PREFERENCE_M2M[name]
        wanted = sorted({str(c) for c in codes})
        found = set(model.objects.filter(**{f"{key}__in": wanted}).values_list(key, flat=True))
        missing = [c for c in wanted if c not in found]
        if missing:
            raise ValidationError({name: _("Unknown codes: %(c)s") % {"c": ", ".join(missing)}})
        manager = getattr(organisation, name)
        old = sorted(manager.values_list(key, flat=True))
        if old != wanted:
            manager.set(model.objects.filter(**{f"{key}__in": wanted}))
            changes[name] = [old, wanted]
    return changes


def confirmation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("exporters:confirm_email", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def register(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "id",
    organisation: dict,
    preferences: dict | None = None,
    privacy_consent: bool,
) -> Membership:
    """Self-registration: an inactive account, a pending organisation, email confirmation."""
    if not privacy_consent:
        raise ValidationError({"privacy_consent": _("Please accept the privacy notice.")})
    email = email.strip().lower()
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This username is taken.")
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("An account with this email already exists.")
    if errors:
        raise ValidationError(errors)
    data = _clean(organisation)
    org = Organisation(privacy_consent_at=timezone.now())
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(org, name, data[name])
    _check_province(org)
    org.full_clean(exclude=["logo"])
    org.save()
    _set_preferences(org, preferences or {})
    user = User(
        username=username.strip(),
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role.EXPORTER,
        language=language,
        is_active=False,
    )
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password", "region"])
    user.save()
    membership = Membership.objects.create(user=user, organisation=org, is_admin=True)
    _record(org, user, "registered")
    notify(
        user,
        kind="exporter.confirm_email",
        subject=gettext_lazy("Confirm your email for the BUMDes Export Portal"),
        template="exporters/email/confirm.txt",
        context={"organisation": org},
        link=confirmation_link(user),
    )
    events.announce_organisation(org.pk, org.version)
    return membership


@transaction.atomic
def create_organisation(*, actor, data: dict, preferences: dict | None = None) -> Organisation:
    """Ministry staff list a partner organisation themselves (no self-registration); it starts
    pending like every other, and members are attached with ``join`` or ``invite_colleague``."""
    if not scope_for(actor).is_ministry:
        raise PermissionDenied
    data = _clean(data)
    org = Organisation()
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(org, name, data[name])
    _check_province(org)
    org.full_clean(exclude=["logo"])
    org.save()
    _set_preferences(org, preferences or {})
    _record(org, actor, "created")
    events.announce_organisation(org.pk, org.version)
    return org


@transaction.atomic
def confirm_email(uidb64: str, token: str) -> User | None:
    """Activate the account whose link this is; ``None`` for a bad or used link."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    if user.is_active or not default_token_generator.check_token(user, token):
        return None
    organisation = selectors.organisation_of(user)
    if organisation is None:
        return None  # removed from its organisation: the old link must not reactivate it
    confirmed = OrganisationChange.objects.filter(
        organisation=organisation, actor=user, action="email_confirmed"
    )
    if confirmed.exists():
        return None  # confirmed once already (then deactivated): the link is spent
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record(organisation, user, "email_confirmed")
    ministry = User.objects.filter(role=Role.MINISTRY, is_active=True)
    for staff in ministry:
        notify(
            staff,
            kind="exporter.awaiting_verification",
            subject=translated(
                gettext_lazy("An organisation awaits verification: %(name)s"),
                name=organisation.legal_name,
            ),
            template="exporters/email/awaiting_verification.txt",
            context={"organisation": organisation},
            link=reverse("exporters:detail", args=[organisation.pk]),
        )
    return user


@transaction.atomic
def update_organisation(
    *, actor, organisation: Organisation, data: dict, preferences: dict | None = None
) -> Organisation:
    if not selectors.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    data = _clean(data)
    changes = {}
    for name in PROFILE_FIELDS:
        if name in data:
            old = getattr(organisation, name)
            if old != data[name]:
                changes[name] = [_display(old), _display(data[name])]
                setattr(organisation, name, data[name])
    _check_province(organisation)
    organisation.full_clean(exclude=["logo"])
    organisation.save()
    changes |= _set_preferences(organisation, preferences or {})
    if changes:
        _record(organisation, actor, "updated", changes)
        _bump(organisation)
    return organisation


@transaction.atomic
def set_logo(*, actor, organisation: Organisation, upload) -> Organisation:
    """Store a validated, resized logo under a server-made name."""
    if not selectors.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    _raw, thumbnail = validated_image(upload, field="logo")
    old = organisation.logo.name
    if old:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old))
    organisation.logo.save("logo.jpg", thumbnail, save=False)
    organisation.save(update_fields=["logo", "updated_at"])
    _record(organisation, actor, "logo")
    _bump(organisation)
    return organisation


@transaction.atomic
def verify(*, actor, organisation: Organisation) -> Organisation:
    if not scope_for(actor).is_ministry:
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_verified:
        return organisation
    organisation.status = Organisation.Status.VERIFIED
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.rejection_reason = ""
    organisation.save()
    _sync_members(organisation)
    _record(organisation, actor, "verified")
    _bump(organisation)
    _tell_members(organisation, "exporter.verified", gettext_lazy("Your organisation is verified"))
    return organisation


@transaction.atomic
def reject(*, actor, organisation: Organisation, reason: str) -> Organisation:
    if not scope_for(actor).is_ministry:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the organisation is rejected.")})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.status = Organisation.Status.REJECTED
    organisation.rejection_reason = reason
    organisation.verified_at = None
    organisation.verified_by = None
    organisation.save()
    _sync_members(organisation)
    _record(organisation, actor, "rejected", note=reason)
    _bump(organisation)
    _tell_members(
        organisation, "exporter.rejected", gettext_lazy("Your organisation was not verified")
    )
    return organisation


def _tell_members(organisation: Organisation, kind: str, subject) -> None:
    for membership in organisation.memberships.select_related("user"):
        notify(
            membership.user,
            kind=kind,
            subject=subject,
            template="exporters/email/status.txt",
            context={"organisation": organisation},
            link=reverse("exporters:detail", args=[organisation.pk]),
        )


@transaction.atomic
def invite_colleague(
    *,
    actor,
    organisation: Organisation,
    email: str,
    first_name: str = "",
    last_name: str = "",
    is_admin: bool = False,
    language: str = "id",
) -> Membership:
    """An organisation admin invites a colleague: an account with a set-password link."""
    if not selectors.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email already exists.")})
    user = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role.EXPORTER,
        language=language,
        organisation_verified=organisation.is_verified,
    )
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, is_admin=is_admin)
    _record(organisation, actor, "member_invited", {"member": [None, email]})
    notify(
        user,
        kind="exporter.invited",
        subject=translated(
            gettext_lazy("You are invited to %(name)s on the BUMDes Export Portal"),
            name=organisation.legal_name,
        ),
        template="exporters/email/invited.txt",
        context={"organisation": organisation, "actor": actor},
        link=set_password_link(user),
    )
    return membership


@transaction.atomic
def remove_member(*, actor, membership: Membership) -> None:
    organisation = membership.organisation
    if not selectors.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    if membership.is_admin and organisation.memberships.filter(is_admin=True).count() == 1:
        raise ValidationError(_("An organisation keeps at least one admin."))
    user = membership.user
    membership.delete()
    user.organisation_verified = False
    user.is_active = False
    user.save(update_fields=["organisation_verified", "is_active"])
    _record(organisation, actor, "member_removed", {"member": [user.email, None]})


def join(organisation: Organisation, users: Iterable[User], *, admin: bool = False) -> None:
    """Attach existing exporter accounts to an organisation (demo data and admin use)."""
    for user in users:
        Membership.objects.update_or_create(
            user=user, defaults={"organisation": organisation, "is_admin": admin}
        )
    _sync_members(organisation)
