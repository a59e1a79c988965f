from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "somevahti.web.policy"
    label = "policydoc"
    verbose_name = _("Policy")
