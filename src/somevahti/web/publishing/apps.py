from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "somevahti.web.publishing"
    label = "posts"  # tables posts_*: the engine owns publishing_publication and publishing_part
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from somevahti.web.core import dashboard
        from somevahti.web.publishing.cards import publishing_cards

        dashboard.register("publishing", publishing_cards)
