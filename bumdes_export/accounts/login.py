"""The login form: the same checks as Django's, with a clear word for unconfirmed accounts."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct username and password. Both are case-sensitive."
        ),
        "inactive": _(
            "This account is not active. If you registered recently, confirm your email "
            "with the link we sent you; otherwise ask the ministry staff who manage accounts."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # Say "not active" only to someone who knows the password: it reveals nothing else.
            username = self.cleaned_data.get("username")
            password = self.cleaned_data.get("password")
            user = get_user_model()._default_manager.filter(username=username).first()
            if user is not None and not user.is_active and user.check_password(password or ""):
                raise forms.ValidationError(
                    self.error_messages["inactive"], code="inactive"
                ) from None
            raise
