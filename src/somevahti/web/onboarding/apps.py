from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "somevahti.web.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self) -> None:
        from somevahti.web.core import dashboard
        from somevahti.web.onboarding.cards import onboarding_cards

        dashboard.register("onboarding", onboarding_cards)
