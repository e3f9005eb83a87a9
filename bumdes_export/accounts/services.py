"""Writes on accounts: invitations, role and scope changes, deactivation. Each is recorded, and
each is for those who manage accounts (``accounts.access.can_manage_accounts``)."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import Token

from bumdes_export.accounts.access import can_manage_accounts
from bumdes_export.accounts.models import AccountChange, Role, User
from bumdes_export.notifications.services import notify
from bumdes_export.reference.models import Region

SCOPE_LEVELS = (Region.Level.PROVINCE, Region.Level.REGENCY)


def _check_scope(role: str, region: Region | None) -> None:
    if role == Role.OFFICER:
        if region is None:
            raise ValidationError({"region": _("A regional officer needs a region scope.")})
        if region.level not in SCOPE_LEVELS:
            raise ValidationError(
                {"region": _("The scope must be a province or a regency, not a smaller region.")}
            )
        if region.is_retired:
            raise ValidationError(
                {"region": _("This region code is retired; choose a current one.")}
            )


def _check_manager(actor: User) -> None:
    if not can_manage_accounts(actor):
        raise PermissionDenied


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def invite_user(
    *,
    actor: User,
    email: str,
    first_name: str = "",
    last_name: str = "",
    role: str = Role.OFFICER,
    region: Region | None = None,
    language: str = "id",
) -> User:
    """Create an account for someone and email them a link to choose their password."""
    _check_manager(actor)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email already exists.")})
    if role != Role.OFFICER:
        region = None
    _check_scope(role, region)
    user = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        region=region,
        language=language,
    )
    user.set_unusable_password()
    user.save()
    AccountChange.objects.create(
        actor=actor,
        target=user,
        action=AccountChange.Action.INVITED,
        detail={"role": role, "region": region.code if region else None},
    )
    notify(
        user,
        kind="account.invited",
        subject=gettext_lazy("You are invited to the BUMDes Export Portal"),
        template="accounts/email/invitation.txt",
        context={"actor": actor, "region": region, "role": user.get_role_display()},
        link=set_password_link(user),
    )
    return user


@transaction.atomic
def resend_invitation(*, actor: User, user: User) -> None:
    """Send a fresh set-password link to someone who has not yet accepted their invitation."""
    _check_manager(actor)
    if user.has_usable_password():
        raise ValidationError(_("This person has already chosen a password."))
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    AccountChange.objects.create(
        actor=actor, target=user, action=AccountChange.Action.INVITED, detail={"resent": True}
    )
    notify(
        user,
        kind="account.invited",
        subject=gettext_lazy("You are invited to the BUMDes Export Portal"),
        template="accounts/email/invitation.txt",
        context={"actor": actor, "region": user.region, "role": user.get_role_display()},
        link=set_password_link(user),
    )


@transaction.atomic
def change_role_and_scope(*, actor: User, user: User, role: str, region: Region | None) -> User:
    _check_manager(actor)
    if role != Role.OFFICER:
        region = None
    _check_scope(role, region)
    if user.pk == actor.pk and role != user.role:
        raise ValidationError({"role": _("You cannot change your own role.")})
    changes = []
    if user.role != role:
        changes.append(
            AccountChange(
                actor=actor,
                target=user,
                action=AccountChange.Action.ROLE_CHANGED,
                detail={"from": user.role, "to": role},
            )
        )
    if user.region_id != (region.code if region else None):
        changes.append(
            AccountChange(
                actor=actor,
                target=user,
                action=AccountChange.Action.SCOPE_CHANGED,
                detail={"from": user.region_id, "to": region.code if region else None},
            )
        )
    if not changes:
        return user
    user.role, user.region = role, region
    user.save(update_fields=["role", "region"])
    AccountChange.objects.bulk_create(changes)
    notify(
        user,
        kind="account.scope_changed",
        subject=gettext_lazy("Your portal access has changed"),
        template="accounts/email/scope_changed.txt",
        context={"role": user.get_role_display(), "region": region},
    )
    return user


@transaction.atomic
def set_active(*, actor: User, user: User, active: bool, reason: str = "") -> User:
    _check_manager(actor)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        # A deactivated account must also lose API access at once.
        Token.objects.filter(user=user).delete()
    AccountChange.objects.create(
        actor=actor,
        target=user,
        action=AccountChange.Action.REACTIVATED if active else AccountChange.Action.DEACTIVATED,
        detail={"reason": reason} if reason else {},
    )
    return user
