"""The demo's policy wizard draft in progress: next year's pack of Kirkkonummi, a few answers given."""

from __future__ import annotations

from somevahti.policy import overlay
from somevahti.web.wizard.models import Draft

DEMO_DRAFT = "Kirkkonummen ohje 2027"


def demo_draft(admin_user) -> Draft:
    data = overlay.new_overlay("kirkkonummi", "kirkkonummi-2027", "2027.1")
    data = overlay.set_value(data, ("hashtags",), ["#kirkkonummi", "#kyrkslätt", "#kirkkonummi2027"])
    data = overlay.set_value(data, ("inbox", "response_targets", "respond_question"), 8, base=None)
    data = overlay.set_value(data, ("audits", "thresholds", "password_max_age_days"), 90)
    data = overlay.set_rule(data, "kirk-signature", enabled=True, severity="error")
    text = overlay.dump(data)
    overlay.load(text)
    draft, _created = Draft.objects.get_or_create(
        name=DEMO_DRAFT, defaults={"base": "kirkkonummi", "overlay": text, "created_by": admin_user}
    )
    return draft
