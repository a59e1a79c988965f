"""The demo organisation: Kirkkonummi with the accounts and units its social media guide lists
(seed 002, chapter 2), invented people, grants, attestations and a few deliberate audit findings."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from somevahti.web.core.models import Membership, Role
from somevahti.web.registry.models import (
    AccessGrant,
    Account,
    ExpertProfile,
    Person,
    SecurityAttestation,
    Unit,
)
from somevahti.web.requests.models import AccountRequest

DEMO_PASSWORD = "somevahti-demo"  # noqa: S105 - a published demo password, not a secret
# A fixed, published TOTP key so the demo can print the communications admin's code.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
SITE = "https://www.kirkkonummi.fi"

UNITS = [
    ("Yhteiset palvelut, viestintä", None),
    ("Yhdyskuntatekniikkapalvelut", None),
    ("Elinkeinopalvelut (YritysKirkkonummi)", None),
    ("VisitKirkkonummi", "Elinkeinopalvelut (YritysKirkkonummi)"),
    ("Vauhdittamo Kirkkonummi", "Elinkeinopalvelut (YritysKirkkonummi)"),
    ("Kirkkonummen Ohjaamo", None),
    ("Ikäihmisten palvelut", None),
    ("Sivistys- ja vapaa-aikapalvelut", None),
    ("Nuoriso ja liikunta", "Sivistys- ja vapaa-aikapalvelut"),
    ("Kirjasto", "Sivistys- ja vapaa-aikapalvelut"),
    ("Kulttuuripalvelut", "Sivistys- ja vapaa-aikapalvelut"),
]

# platform, handle, url, unit
ACCOUNTS = [
    ("facebook", "kirkkonummi", "https://www.facebook.com/kirkkonummi", "Yhteiset palvelut, viestintä"),
    ("x", "kirkkonummi", "https://twitter.com/kirkkonummi", "Yhteiset palvelut, viestintä"),
    ("instagram", "kirkkonummenkunta", "https://www.instagram.com/kirkkonummenkunta", "Yhteiset palvelut, viestintä"),
    ("instagram", "kyrkslattkommun", "https://www.instagram.com/kyrkslattkommun", "Yhteiset palvelut, viestintä"),
    ("facebook", "Kirkkonummen.kuntatekniikkapalvelut",
     "https://www.facebook.com/Kirkkonummen.kuntatekniikkapalvelut", "Yhdyskuntatekniikkapalvelut"),
    ("instagram", "YritysKirkkonummi", "https://www.instagram.com/YritysKirkkonummi",
     "Elinkeinopalvelut (YritysKirkkonummi)"),
    ("facebook", "visitkirkkonummi", "https://www.facebook.com/visitkirkkonummi", "VisitKirkkonummi"),
    ("instagram", "visitkirkkonummi", "https://www.instagram.com/visitkirkkonummi", "VisitKirkkonummi"),
    ("facebook", "Vauhdittamo-Kirkkonummi-113547877444261",
     "https://www.facebook.com/Vauhdittamo-Kirkkonummi-113547877444261", "Vauhdittamo Kirkkonummi"),
    ("instagram", "vauhdittamokirkkonummi", "https://www.instagram.com/vauhdittamokirkkonummi",
     "Vauhdittamo Kirkkonummi"),
    ("facebook", "ohjaamokirkkonummi", "https://www.facebook.com/ohjaamokirkkonummi", "Kirkkonummen Ohjaamo"),
    ("instagram", "ohjaamokirkkonummi", "https://www.instagram.com/ohjaamokirkkonummi", "Kirkkonummen Ohjaamo"),
    ("facebook", "Kirkkonummenikaihmistenpalvelut", "https://www.facebook.com/Kirkkonummenikaihmistenpalvelut",
     "Ikäihmisten palvelut"),
    ("instagram", "kirkkonummi_ikaihmiset", "https://www.instagram.com/kirkkonummi_ikaihmiset",
     "Ikäihmisten palvelut"),
    ("facebook", "kirkkonummennuorisojaliikunta", "https://www.facebook.com/kirkkonummennuorisojaliikunta",
     "Nuoriso ja liikunta"),
    ("instagram", "kirkkonumminuorisojaliikunta", "https://www.instagram.com/kirkkonumminuorisojaliikunta",
     "Nuoriso ja liikunta"),
    ("facebook", "kirkkonummensi", "https://www.facebook.com/kirkkonummensi", "Sivistys- ja vapaa-aikapalvelut"),
    ("facebook", "KirkkonummiLib", "https://www.facebook.com/KirkkonummiLib", "Kirjasto"),
    ("instagram", "kirkkonummenkirjasto", "https://www.instagram.com/kirkkonummenkirjasto", "Kirjasto"),
    ("facebook", "kulttuurikirkkonummi", "https://www.facebook.com/kulttuurikirkkonummi", "Kulttuuripalvelut"),
    ("instagram", "kulttuurikirkkonummi", "https://www.instagram.com/kulttuurikirkkonummi", "Kulttuuripalvelut"),
]

# Invented people: name, title, unit, supervisor name, status
PEOPLE = [
    ("Sanna Lehtinen", "viestintäpäällikkö", "Yhteiset palvelut, viestintä", None, "active"),
    ("Jukka Mäkelä", "viestintäsuunnittelija", "Yhteiset palvelut, viestintä", "Sanna Lehtinen", "active"),
    ("Anna Korhonen", "matkailukoordinaattori", "VisitKirkkonummi", "Mikko Nieminen", "active"),
    ("Mikko Nieminen", "elinkeinojohtaja", "Elinkeinopalvelut (YritysKirkkonummi)", None, "active"),
    ("Ville Virtanen", "matkailuneuvoja", "VisitKirkkonummi", "Mikko Nieminen", "left"),
    ("Laura Heikkinen", "yrityskoordinaattori", "Elinkeinopalvelut (YritysKirkkonummi)", "Mikko Nieminen", "active"),
    ("Pekka Järvinen", "tietoturvapäällikkö", "Yhteiset palvelut, viestintä", None, "active"),
    ("Eeva Salminen", "sisäinen tarkastaja", "Yhteiset palvelut, viestintä", None, "active"),
    ("Timo Laine", "tiedottaja", "Yhdyskuntatekniikkapalvelut", None, "active"),
    ("Helena Koskinen", "nuorisotyöntekijä", "Kirkkonummen Ohjaamo", None, "active"),
    ("Riikka Hämäläinen", "palveluohjaaja", "Ikäihmisten palvelut", None, "active"),
    ("Marko Ahonen", "liikuntasuunnittelija", "Nuoriso ja liikunta", None, "active"),
    ("Kaisa Rantanen", "suunnittelu- ja viestintäkoordinaattori", "Sivistys- ja vapaa-aikapalvelut", None, "active"),
    ("Johanna Lindqvist", "kirjastonhoitaja", "Kirjasto", None, "active"),
    ("Oskar Nyberg", "kulttuurituottaja", "Kulttuuripalvelut", None, "active"),
    ("Petra Valo", "freelance-valokuvaaja", None, None, "external"),
]

USERS = [  # username, role, person, unit (unit editor)
    ("viestinta", Role.COMMUNICATIONS_ADMIN, "Sanna Lehtinen", None),
    ("yksikko", Role.UNIT_EDITOR, "Anna Korhonen", "VisitKirkkonummi"),
    ("kirjoittaja", Role.AUTHOR, "Laura Heikkinen", None),
    ("esihenkilo", Role.SUPERVISOR, "Mikko Nieminen", None),
    ("tietoturva", Role.IT_SECURITY, "Pekka Järvinen", None),
    ("tarkastaja", Role.AUDITOR, "Eeva Salminen", None),
]


def _email(name: str) -> str:
    first, last = name.lower().split()[0], name.lower().split()[-1]
    table = str.maketrans("äöå", "aoa")
    return f"{first}.{last}@kirkkonummi.fi".translate(table)


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo organisation once (idempotent); returns the demo logins."""
    today = timezone.localdate()
    if not Unit.objects.filter(name=UNITS[0][0]).exists():
        _load(today)
    return [(u, DEMO_PASSWORD, str(role.label)) for u, role, _, _ in USERS]


def _load(today) -> None:
    units = {}
    for name, parent in UNITS:
        units[name] = Unit.objects.create(name=name, parent=units.get(parent), website=SITE)
    people = {}
    for name, title, unit, _sup, status in PEOPLE:
        people[name] = Person.objects.create(
            name=name, title=title, unit=units.get(unit), status=status,
            email="" if status == "external" else _email(name), phone="",
            start_date=today - timedelta(days=2000), end_date=today - timedelta(days=60) if status == "left" else None)
    for name, _t, _u, sup, _s in PEOPLE:
        if sup:
            people[name].supervisor = people[sup]
            people[name].save()

    User = get_user_model()
    admin_user = None
    for username, role, person, unit in USERS:
        first, last = person.split()
        user = User.objects.create_user(username, _email(person), DEMO_PASSWORD, first_name=first, last_name=last)
        Membership.objects.create(user=user, role=role, person=people[person], unit=units.get(unit))
        if role == Role.COMMUNICATIONS_ADMIN:
            admin_user = user
            TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)

    keeper_of = {
        "Yhteiset palvelut, viestintä": "Jukka Mäkelä", "Yhdyskuntatekniikkapalvelut": "Timo Laine",
        "Elinkeinopalvelut (YritysKirkkonummi)": "Laura Heikkinen", "VisitKirkkonummi": "Anna Korhonen",
        "Vauhdittamo Kirkkonummi": "Laura Heikkinen", "Kirkkonummen Ohjaamo": "Helena Koskinen",
        "Ikäihmisten palvelut": "Riikka Hämäläinen", "Sivistys- ja vapaa-aikapalvelut": "Kaisa Rantanen",
        "Nuoriso ja liikunta": "Marko Ahonen", "Kirjasto": "Johanna Lindqvist", "Kulttuuripalvelut": "Oskar Nyberg",
    }
    for platform, handle, url, unit in ACCOUNTS:
        keeper = people[keeper_of[unit]]
        request = AccountRequest.objects.create(
            platform=platform, handle=handle, unit=units[unit], need="Rekisteröity olemassa oleva tili (2020).",
            goals="Palvelualueen viestintä.", target_group="kuntalaiset", planned_content="ajankohtaiset asiat",
            requested_by=admin_user, status="approved", decided_by=admin_user, reason="Olemassa oleva tili.")
        request.maintainers.set([keeper])
        account = Account.objects.create(
            platform=platform, handle=handle, url=url, unit=units[unit], owner=keeper,
            purpose="Palvelualueen viestintä kuntalaisille.", audience="kuntalaiset", languages="fi,sv",
            names_maintainer=True, links_website=True, privacy_notice_url=f"{SITE}/tietosuoja",
            contact_email="viestinta@kirkkonummi.fi", created=today - timedelta(days=1500),
            last_published=today - timedelta(days=3), request=request)
        AccessGrant.objects.create(person=keeper, account=account, role="owner", granted_by=admin_user,
                                   granted=today - timedelta(days=700))
        if unit == "Yhteiset palvelut, viestintä":
            AccessGrant.objects.create(person=people["Sanna Lehtinen"], account=account, role="admin",
                                       granted_by=admin_user, granted=today - timedelta(days=700))
        SecurityAttestation.objects.create(
            account=account, password_changed=today - timedelta(days=40), two_factor=True,
            login_email_kind="shared", in_password_manager=True, settings_reviewed=today - timedelta(days=90),
            attested_by=admin_user)
    _deliberate_findings(today, people, admin_user)


def _deliberate_findings(today, people, admin_user) -> None:
    acc = {(a.platform, a.handle): a for a in Account.objects.all()}
    # RANUA-S.8: a leaver and an outsider who still have access.
    AccessGrant.objects.create(person=people["Ville Virtanen"], account=acc["instagram", "visitkirkkonummi"],
                               role="editor", granted_by=admin_user, granted=today - timedelta(days=400))
    AccessGrant.objects.create(person=people["Petra Valo"], account=acc["instagram", "kulttuurikirkkonummi"],
                               role="editor", granted_by=admin_user, granted=today - timedelta(days=100))
    # KIRK-8.3 and KIRK-8.5: an old password, two-step verification off.
    SecurityAttestation.objects.create(account=acc["facebook", "ohjaamokirkkonummi"],
                                       password_changed=today - timedelta(days=420), two_factor=True,
                                       login_email_kind="shared", in_password_manager=True,
                                       settings_reviewed=today - timedelta(days=100), attested_by=admin_user)
    SecurityAttestation.objects.create(account=acc["instagram", "YritysKirkkonummi"],
                                       password_changed=today - timedelta(days=20), two_factor=False,
                                       login_email_kind="shared", in_password_manager=False,
                                       settings_reviewed=today - timedelta(days=30), attested_by=admin_user)
    # KIRK-5.6, RANUA-S.9: a profile without website link and privacy notice.
    a = acc["facebook", "Vauhdittamo-Kirkkonummi-113547877444261"]
    a.links_website, a.privacy_notice_url = False, ""
    a.save()
    # SF-3: an official account whose contact e-mail is a private address.
    a = acc["instagram", "kirkkonumminuorisojaliikunta"]
    a.contact_email = "nuorisojaliikunta.kirkkonummi@gmail.com"
    a.save()
    # KELA-3.2 and dormancy: an account never registered through a request, silent for a year.
    a = acc["facebook", "kirkkonummensi"]
    a.request, a.last_published = None, today - timedelta(days=365)
    a.save()
    # KIRK-4.1: an approved expert profile; KIRK-8.8: a personal account created with a work e-mail.
    expert = Account.objects.create(platform="linkedin", handle="mikko-nieminen-kirkkonummi", kind="expert",
                                    unit=people["Mikko Nieminen"].unit, owner=people["Mikko Nieminen"],
                                    created=today - timedelta(days=300), last_published=today - timedelta(days=10))
    AccessGrant.objects.create(person=people["Mikko Nieminen"], account=expert, role="owner", granted_by=admin_user,
                               granted=today - timedelta(days=300))
    ExpertProfile.objects.create(person=people["Mikko Nieminen"], account=expert, platform="linkedin",
                                 handle=expert.handle, topics="elinkeinopolitiikka", approved=today - timedelta(days=300))
    SecurityAttestation.objects.create(account=expert, password_changed=today - timedelta(days=30), two_factor=True,
                                       login_email_kind="work", in_password_manager=True,
                                       settings_reviewed=today - timedelta(days=30))
    personal = Account.objects.create(platform="x", handle="jukka_makela", kind="personal",
                                      unit=people["Jukka Mäkelä"].unit, owner=people["Jukka Mäkelä"],
                                      created=today - timedelta(days=200), last_published=today - timedelta(days=5))
    AccessGrant.objects.create(person=people["Jukka Mäkelä"], account=personal, role="owner",
                               granted=today - timedelta(days=200))
    SecurityAttestation.objects.create(account=personal, password_changed=today - timedelta(days=30), two_factor=True,
                                       login_email_kind="work", settings_reviewed=today - timedelta(days=30))
    # A pending request from the author.
    req = AccountRequest.objects.create(
        platform="youtube", handle="kirkkonummenkirjasto", unit=Unit.objects.get(name="Kirjasto"),
        need="Kirjaston vinkkivideot ja tapahtumatallenteet.", goals="Lukuharrastuksen edistäminen.",
        target_group="lapsiperheet ja nuoret", planned_content="kirjavinkit, satutunnit", languages="fi,sv",
        requested_by=get_user_model().objects.get(username="kirjoittaja"))
    req.maintainers.set([people["Johanna Lindqvist"]])
