"""Writes on the directory: an organisation's profile and sourcing preferences, registration and
email confirmation, verification, members; and the admin's edits.

Every change is recorded (``OrganisationChange``), bumps the organisation's version and is
announced after commit (``exporters.events``). The verified state of an organisation is copied to
its members' accounts (``User.organisation_verified``), so that access decisions need not look
into this app. Who may make a change is decided in ``exporters.access``; what a valid profile is,
in :func:`check_profile` (the pages, the API, the registration and the admin all reach it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pycountry
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import AnyUser, signed_in
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
from exporters import access, events, selectors
from exporters.models import Membership, Organisation, OrganisationChange, Service

# --- Recording and announcing changes --------------------------------------------------------


#: ``{field: [old, new]}`` as stored in ``OrganisationChange.changes``.
Changes = dict[str, list[object]]


def _record(
    organisation: Organisation,
    actor: AnyUser,
    action: str,
    changes: Changes | None = None,
    note: str = "",
) -> None:
    OrganisationChange.objects.create(
        organisation=organisation,
        actor=signed_in(actor),
        action=action,
        changes=changes or {},
        note=note,
    )


def _bump_version(organisation: Organisation) -> None:
    """A new version of the organisation, announced after commit."""
    Organisation.objects.filter(pk=organisation.pk).update(version=F("version") + 1)
    organisation.refresh_from_db(fields=["version"])
    events.announce_organisation(organisation.pk, organisation.version)


def _sync_members(organisation: Organisation) -> None:
    """Copy the organisation's verified state to its members' accounts."""
    User.objects.filter(membership__organisation=organisation).update(
        organisation_verified=organisation.is_verified
    )


# --- Profile and sourcing preferences --------------------------------------------------------


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
#: The sourcing preferences held as reference rows: the model and the code that names a row.
PREFERENCE_M2M: dict[str, tuple[type[models.Model], str]] = {
    "hs_interests": (HsCode, "code"),
    "destination_markets": (Country, "code"),
    "preferred_provinces": (Region, "code"),
    "preferred_gateways": (ExportGateway, "code"),
}
INCOTERMS = {"EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"}

#: Profile fields by name (model instances for ``country`` and ``province``).
ProfileData = dict[str, Any]
#: Sourcing preferences: lists of reference codes by field name.
Preferences = dict[str, list[str] | None]
Errors = dict[str, list[str]]


def _unknown_languages(codes: Iterable[object]) -> list[str]:
    """Languages are ISO 639-1 codes (``id``, ``en``, ``zh``)."""
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


def _display(value: object) -> object:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, dict, str, int, bool)) or value is None:
        return value
    return str(value)


def _clean_profile(data: ProfileData, errors: Errors) -> ProfileData:
    data = dict(data)
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
        terms = {str(t).upper() for t in data["incoterms"] or []}
        if terms - INCOTERMS:
            errors["incoterms"] = [
                _("Unknown Incoterm: %(t)s") % {"t": ", ".join(sorted(terms - INCOTERMS))}
            ]
        data["incoterms"] = sorted(terms)
    if "required_certificates" in data:
        codes = sorted(set(data["required_certificates"] or []))
        known = set(CertificateType.objects.filter(code__in=codes).values_list("code", flat=True))
        missing = [code for code in codes if code not in known]
        if missing:
            errors["required_certificates"] = [
                _("Unknown certificate type: %(c)s") % {"c": ", ".join(missing)}
            ]
        data["required_certificates"] = codes
    if "languages" in data:
        languages = [str(code).strip().lower() for code in data["languages"] or []]
        unknown_languages = _unknown_languages(languages)
        if unknown_languages:
            errors["languages"] = [
                _("Unknown language code (use ISO 639-1, e.g. id, en, zh): %(c)s")
                % {"c": ", ".join(unknown_languages)}
            ]
        data["languages"] = list(dict.fromkeys(languages))
    country = data.get("country")
    if country is not None and country.code == "ID" and "province" in data and not data["province"]:
        errors["province"] = [_("An Indonesian company names its province.")]
    return data


def _clean_preferences(preferences: Preferences, errors: Errors) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for name, codes in preferences.items():
        if name not in PREFERENCE_M2M or codes is None:
            continue
        model, key = PREFERENCE_M2M[name]
        wanted = sorted({str(c) for c in codes})
        found = set(
            model._default_manager.filter(**{f"{key}__in": wanted}).values_list(key, flat=True)
        )
        missing = [c for c in wanted if c not in found]
        if missing and name == "hs_interests":
            errors[name] = [_("There is no HS code %(codes)s.") % {"codes": ", ".join(missing)}]
        elif missing:
            errors[name] = [_("Unknown codes: %(c)s") % {"c": ", ".join(missing)}]
        cleaned[name] = wanted
    return cleaned


def check_profile(
    data: ProfileData, preferences: Preferences | None = None, *, errors: Errors | None = None
) -> tuple[ProfileData, dict[str, list[str]]]:
    """The profile and sourcing preferences as stored (identifiers as digits, codes sorted), or
    a ``ValidationError`` naming every wrong field. ``errors`` found by the caller (the
    registration's account fields) are reported together with these."""
    errors = dict(errors or {})
    data = _clean_profile(data, errors)
    cleaned_preferences = _clean_preferences(preferences or {}, errors)
    if errors:
        raise ValidationError(errors)
    return data, cleaned_preferences


def _check_province(organisation: Organisation) -> None:
    """An Indonesian company names its province, whichever fields a change touched."""
    if organisation.country_id == "ID" and not organisation.province_id:
        raise ValidationError({"province": _("An Indonesian company names its province.")})


def _set_preferences(organisation: Organisation, preferences: dict[str, list[str]]) -> Changes:
    """Store checked sourcing preferences (see :func:`check_profile`); what changed."""
    changes: Changes = {}
    for name, wanted in preferences.items():
        model, key = PREFERENCE_M2M[name]
        manager = getattr(organisation, name)
        old = sorted(manager.values_list(key, flat=True))
        if old != wanted:
            manager.set(model._default_manager.filter(**{f"{key}__in": wanted}))
            changes[name] = [old, wanted]
    return changes


def _new_organisation(data: ProfileData, **fields: object) -> Organisation:
    """A checked profile as a new, saved organisation (pending until ministry staff verify it)."""
    organisation = Organisation(**fields)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(organisation, name, data[name])
    _check_province(organisation)
    organisation.full_clean(exclude=["logo"])
    organisation.save()
    return organisation


def _apply_profile(
    organisation: Organisation, data: ProfileData, preferences: Preferences | None
) -> Changes:
    data, checked = check_profile(data, preferences)
    changes: Changes = {}
    for name in PROFILE_FIELDS:
        if name in data:
            old = getattr(organisation, name)
            if old != data[name]:
                changes[name] = [_display(old), _display(data[name])]
                setattr(organisation, name, data[name])
    _check_province(organisation)
    organisation.full_clean(exclude=["logo"])
    organisation.save()
    return changes | _set_preferences(organisation, checked)


@transaction.atomic
def create_organisation(
    *, actor: AnyUser, data: ProfileData, preferences: Preferences | None = None
) -> Organisation:
    """Ministry staff list a partner organisation themselves (no self-registration); it starts
    pending like every other, and members are attached with ``join`` or ``invite_colleague``."""
    if not access.can_create_organisation(actor):
        raise PermissionDenied
    data, checked = check_profile(data, preferences)
    organisation = _new_organisation(data)
    _set_preferences(organisation, checked)
    _record(organisation, actor, "created")
    events.announce_organisation(organisation.pk, organisation.version)
    return organisation


@transaction.atomic
def update_organisation(
    *,
    actor: AnyUser,
    organisation: Organisation,
    data: ProfileData,
    preferences: Preferences | None = None,
) -> Organisation:
    if not access.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changes = _apply_profile(organisation, data, preferences)
    if changes:
        _record(organisation, actor, "updated", changes)
        _bump_version(organisation)
    return organisation


@transaction.atomic
def set_logo(*, actor: AnyUser, organisation: Organisation, upload: UploadedFile) -> Organisation:
    """Store a validated, resized logo under a server-made name."""
    if not access.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    _raw, thumbnail = validated_image(upload, field="logo")
    old = organisation.logo.name
    if old:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old))
    organisation.logo.save("logo.jpg", thumbnail, save=False)
    organisation.save(update_fields=["logo", "updated_at"])
    _record(organisation, actor, "logo")
    _bump_version(organisation)
    return organisation


# --- The Django admin ------------------------------------------------------------------------


def record_admin_change(
    *, actor: AnyUser, organisation: Organisation, changes: Changes | None = None
) -> Organisation:
    """An edit made in the Django admin: recorded and announced like one made on the pages, so
    that what depends on the organisation (its matches) is recomputed."""
    _record(organisation, actor, "admin_edit", changes)
    _bump_version(organisation)
    return organisation


@transaction.atomic
def edit_in_admin(
    *,
    actor: AnyUser,
    organisation: Organisation,
    data: ProfileData,
    preferences: Preferences | None = None,
) -> Organisation:
    """Ministry staff change an organisation in the Django admin: the same checks as on the
    pages, recorded as an admin edit (with what changed) and announced."""
    if not access.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changes = _apply_profile(organisation, data, preferences)
    return record_admin_change(actor=actor, organisation=organisation, changes=changes)


@transaction.atomic
def delete_organisations(*, actor: AnyUser, organisations: Iterable[Organisation]) -> int:
    """Delete organisations (the admin's delete actions); their members' accounts stay but no
    longer count as members of a verified organisation. How many were deleted."""
    if not access.can_delete_organisation(actor):
        raise PermissionDenied
    ids = [organisation.pk for organisation in organisations]
    User.objects.filter(membership__organisation_id__in=ids).update(organisation_verified=False)
    _total, per_model = Organisation.objects.filter(pk__in=ids).delete()
    return per_model.get(Organisation._meta.label, 0)


# --- Registration ----------------------------------------------------------------------------


def confirmation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("exporters:confirm_email", kwargs={"uidb64": uid, "token": token})


def _account_errors(user: User, password: str, privacy_consent: bool) -> Errors:
    errors: Errors = {}
    if not privacy_consent:
        errors["privacy_consent"] = [_("Please accept the privacy notice.")]
    if User.objects.filter(username__iexact=user.username).exists():
        errors["username"] = [_("This username is taken.")]
    if User.objects.filter(email__iexact=user.email).exists():
        errors["email"] = [_("An account with this email already exists.")]
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    return errors


@transaction.atomic
def register(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "id",
    organisation: ProfileData,
    preferences: Preferences | None = None,
    privacy_consent: bool,
) -> Membership:
    """Self-registration: an inactive account, a pending organisation, email confirmation.
    Every wrong field, of the account and of the organisation, is reported at once."""
    user = User(
        username=username.strip(),
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role.EXPORTER,
        language=language,
        is_active=False,
    )
    data, checked = check_profile(
        organisation, preferences, errors=_account_errors(user, password, privacy_consent)
    )
    org = _new_organisation(data, privacy_consent_at=timezone.now())
    _set_preferences(org, checked)
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


# --- Verification ----------------------------------------------------------------------------


@transaction.atomic
def verify(*, actor: AnyUser, organisation: Organisation) -> Organisation:
    if not access.can_verify(actor):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_verified:
        return organisation
    organisation.status = Organisation.Status.VERIFIED
    organisation.verified_at = timezone.now()
    organisation.verified_by = signed_in(actor)
    organisation.rejection_reason = ""
    organisation.save()
    _sync_members(organisation)
    _record(organisation, actor, "verified")
    _bump_version(organisation)
    _tell_members(organisation, "exporter.verified", gettext_lazy("Your organisation is verified"))
    return organisation


@transaction.atomic
def reject(*, actor: AnyUser, organisation: Organisation, reason: str) -> Organisation:
    if not access.can_verify(actor):
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
    _bump_version(organisation)
    _tell_members(
        organisation, "exporter.rejected", gettext_lazy("Your organisation was not verified")
    )
    return organisation


def _tell_members(organisation: Organisation, kind: str, subject: str | Promise) -> None:
    for membership in organisation.memberships.select_related("user"):
        notify(
            membership.user,
            kind=kind,
            subject=subject,
            template="exporters/email/status.txt",
            context={"organisation": organisation},
            link=reverse("exporters:detail", args=[organisation.pk]),
        )


# --- Members ---------------------------------------------------------------------------------


@transaction.atomic
def invite_colleague(
    *,
    actor: AnyUser,
    organisation: Organisation,
    email: str,
    first_name: str = "",
    last_name: str = "",
    is_admin: bool = False,
    language: str = "id",
) -> Membership:
    """An organisation admin invites a colleague: an account with a set-password link."""
    if not access.can_manage_members(actor, organisation):
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
def remove_member(*, actor: AnyUser, membership: Membership) -> None:
    """The member leaves the organisation and the account is deactivated; an organisation keeps
    at least one admin."""
    organisation = membership.organisation
    if not access.can_manage_members(actor, organisation):
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
