from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountRequestsConfig(AppConfig):
    name = "somevahti.web.requests"
    label = "account_requests"
    verbose_name = _("Account requests")

    def ready(self) -> None:
        from somevahti.web.core import dashboard
        from somevahti.web.requests.cards import request_cards

        dashboard.register("requests", request_cards)
