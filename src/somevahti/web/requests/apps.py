from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountRequestsConfig(AppConfig):
    name = "somevahti.web.requests"
    label = "account_requests"
    verbose_name = _("Account requests")
