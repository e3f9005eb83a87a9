from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bumdes_export.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The kinds of notification this app sends, named for the inbox's filter.
        from bumdes_export.notifications import kinds

        kinds.register("account", _("Your account and access"), security=True)
