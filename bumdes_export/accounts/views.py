from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.accounts import access, selectors, services
from bumdes_export.accounts.decorators import allowed_by
from bumdes_export.accounts.forms import ActivationForm, InviteForm, RoleScopeForm
from bumdes_export.accounts.models import Role, User
from bumdes_export.core.forms import form_action

#: The account management pages are for those who manage accounts.
manager_required = allowed_by(access.can_manage_accounts)


@manager_required
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    page = Paginator(selectors.user_list(q=q, role=role), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "q": q, "role": role, "roles": Role.choices},
    )


@manager_required
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    invited = request.method == "POST" and form_action(
        form, lambda data: services.invite_user(actor=request.user, **data)
    )
    if invited and (user := invited.value) is not None:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
        return redirect("accounts:user_detail", pk=user.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/invite.html", {"form": form}, status=status)


@manager_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("region"), pk=pk)
    form = RoleScopeForm(
        request.POST or None, initial={"role": account.role, "region": account.region}
    )
    if request.method == "POST" and form_action(
        form,
        lambda data: services.change_role_and_scope(actor=request.user, user=account, **data),
    ):
        messages.success(request, _("Account updated."))
        return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "form": form,
            "activation_form": ActivationForm(),
            "history": selectors.account_history(account),
        },
        status=400 if request.method == "POST" else 200,
    )


@manager_required
@require_POST
def set_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = ActivationForm(request.POST)
    active = request.POST.get("active") == "1"
    if form.is_valid():
        try:
            services.set_active(
                actor=request.user, user=account, active=active, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Account activated.") if active else _("Account deactivated.")
            )
    return redirect("accounts:user_detail", pk=account.pk)


def profile(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "accounts/profile.html", {})


@manager_required
@require_POST
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    try:
        services.resend_invitation(actor=request.user, user=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": account.email})
    return redirect("accounts:user_detail", pk=account.pk)
