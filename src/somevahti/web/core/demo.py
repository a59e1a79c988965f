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
from somevahti.web.requests.models import AccountRequest, ExpertProfileRequest

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
    (
        "instagram",
        "kirkkonummenkunta",
        "https://www.instagram.com/kirkkonummenkunta",
        "Yhteiset palvelut, viestintä",
    ),
    (
        "instagram",
        "kyrkslattkommun",
        "https://www.instagram.com/kyrkslattkommun",
        "Yhteiset palvelut, viestintä",
    ),
    (
        "facebook",
        "Kirkkonummen.kuntatekniikkapalvelut",
        "https://www.facebook.com/Kirkkonummen.kuntatekniikkapalvelut",
        "Yhdyskuntatekniikkapalvelut",
    ),
    (
        "instagram",
        "YritysKirkkonummi",
        "https://www.instagram.com/YritysKirkkonummi",
        "Elinkeinopalvelut (YritysKirkkonummi)",
    ),
    ("facebook", "visitkirkkonummi", "https://www.facebook.com/visitkirkkonummi", "VisitKirkkonummi"),
    ("instagram", "visitkirkkonummi", "https://www.instagram.com/visitkirkkonummi", "VisitKirkkonummi"),
    (
        "facebook",
        "Vauhdittamo-Kirkkonummi-113547877444261",
        "https://www.facebook.com/Vauhdittamo-Kirkkonummi-113547877444261",
        "Vauhdittamo Kirkkonummi",
    ),
    (
        "instagram",
        "vauhdittamokirkkonummi",
        "https://www.instagram.com/vauhdittamokirkkonummi",
        "Vauhdittamo Kirkkonummi",
    ),
    ("facebook", "ohjaamokirkkonummi", "https://www.facebook.com/ohjaamokirkkonummi", "Kirkkonummen Ohjaamo"),
    (
        "instagram",
        "ohjaamokirkkonummi",
        "https://www.instagram.com/ohjaamokirkkonummi",
        "Kirkkonummen Ohjaamo",
    ),
    (
        "facebook",
        "Kirkkonummenikaihmistenpalvelut",
        "https://www.facebook.com/Kirkkonummenikaihmistenpalvelut",
        "Ikäihmisten palvelut",
    ),
    (
        "instagram",
        "kirkkonummi_ikaihmiset",
        "https://www.instagram.com/kirkkonummi_ikaihmiset",
        "Ikäihmisten palvelut",
    ),
    (
        "facebook",
        "kirkkonummennuorisojaliikunta",
        "https://www.facebook.com/kirkkonummennuorisojaliikunta",
        "Nuoriso ja liikunta",
    ),
    (
        "instagram",
        "kirkkonumminuorisojaliikunta",
        "https://www.instagram.com/kirkkonumminuorisojaliikunta",
        "Nuoriso ja liikunta",
    ),
    (
        "facebook",
        "kirkkonummensi",
        "https://www.facebook.com/kirkkonummensi",
        "Sivistys- ja vapaa-aikapalvelut",
    ),
    ("facebook", "KirkkonummiLib", "https://www.facebook.com/KirkkonummiLib", "Kirjasto"),
    ("instagram", "kirkkonummenkirjasto", "https://www.instagram.com/kirkkonummenkirjasto", "Kirjasto"),
    (
        "facebook",
        "kulttuurikirkkonummi",
        "https://www.facebook.com/kulttuurikirkkonummi",
        "Kulttuuripalvelut",
    ),
    (
        "instagram",
        "kulttuurikirkkonummi",
        "https://www.instagram.com/kulttuurikirkkonummi",
        "Kulttuuripalvelut",
    ),
]

# Invented people: name, title, unit, supervisor name, status
PEOPLE = [
    ("Sanna Lehtinen", "viestintäpäällikkö", "Yhteiset palvelut, viestintä", None, "active"),
    ("Jukka Mäkelä", "viestintäsuunnittelija", "Yhteiset palvelut, viestintä", "Sanna Lehtinen", "active"),
    ("Anna Korhonen", "matkailukoordinaattori", "VisitKirkkonummi", "Mikko Nieminen", "active"),
    ("Mikko Nieminen", "elinkeinojohtaja", "Elinkeinopalvelut (YritysKirkkonummi)", None, "active"),
    ("Ville Virtanen", "matkailuneuvoja", "VisitKirkkonummi", "Mikko Nieminen", "left"),
    (
        "Laura Heikkinen",
        "yrityskoordinaattori",
        "Elinkeinopalvelut (YritysKirkkonummi)",
        "Mikko Nieminen",
        "active",
    ),
    ("Pekka Järvinen", "tietoturvapäällikkö", "Yhteiset palvelut, viestintä", None, "active"),
    ("Eeva Salminen", "sisäinen tarkastaja", "Yhteiset palvelut, viestintä", None, "active"),
    ("Timo Laine", "tiedottaja", "Yhdyskuntatekniikkapalvelut", None, "active"),
    ("Helena Koskinen", "nuorisotyöntekijä", "Kirkkonummen Ohjaamo", None, "active"),
    ("Riikka Hämäläinen", "palveluohjaaja", "Ikäihmisten palvelut", None, "active"),
    ("Marko Ahonen", "liikuntasuunnittelija", "Nuoriso ja liikunta", None, "active"),
    (
        "Kaisa Rantanen",
        "suunnittelu- ja viestintäkoordinaattori",
        "Sivistys- ja vapaa-aikapalvelut",
        None,
        "active",
    ),
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


def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo organisation once (idempotent); returns the demo logins."""
    from django.conf import settings
    from django.utils import translation

    from somevahti.web.audits.service import run_and_store

    today = timezone.localdate()
    if not Unit.objects.filter(name=UNITS[0][0]).exists():
        # what the demo's services write down (notes, reasons) is in the organisation's language, not
        # in whichever language the calling thread last served a page in
        with translation.override(settings.LANGUAGE_CODE):
            with transaction.atomic():
                _load(today)
            load_activity()
            demo_publishing()
            demo_onboarding()
            demo_metrics()
            _checkpoint()  # the posts just published are signed too: an export verifies at once
            run_and_store(notify=False)
    return [(u, DEMO_PASSWORD, str(role.label)) for u, role, _, _ in USERS]


def _load(today) -> None:
    units = {}
    for name, parent in UNITS:
        units[name] = Unit.objects.create(name=name, parent=units.get(parent), website=SITE)
    people = {}
    for name, title, unit, _sup, status in PEOPLE:
        people[name] = Person.objects.create(
            name=name,
            title=title,
            unit=units.get(unit),
            status=status,
            email="" if status == "external" else _email(name),
            phone="",
            start_date=today - timedelta(days=2000),
            end_date=today - timedelta(days=60) if status == "left" else None,
        )
    for name, _t, _u, sup, _s in PEOPLE:
        if sup:
            people[name].supervisor = people[sup]
            people[name].save()

    User = get_user_model()
    admin_user = None
    for username, role, person, unit in USERS:
        first, last = person.split()
        user = User.objects.create_user(
            username, _email(person), DEMO_PASSWORD, first_name=first, last_name=last
        )
        Membership.objects.create(user=user, role=role, person=people[person], unit=units.get(unit))
        if role == Role.COMMUNICATIONS_ADMIN:
            admin_user = user
            TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)

    keeper_of = {
        "Yhteiset palvelut, viestintä": "Jukka Mäkelä",
        "Yhdyskuntatekniikkapalvelut": "Timo Laine",
        "Elinkeinopalvelut (YritysKirkkonummi)": "Laura Heikkinen",
        "VisitKirkkonummi": "Anna Korhonen",
        "Vauhdittamo Kirkkonummi": "Laura Heikkinen",
        "Kirkkonummen Ohjaamo": "Helena Koskinen",
        "Ikäihmisten palvelut": "Riikka Hämäläinen",
        "Sivistys- ja vapaa-aikapalvelut": "Kaisa Rantanen",
        "Nuoriso ja liikunta": "Marko Ahonen",
        "Kirjasto": "Johanna Lindqvist",
        "Kulttuuripalvelut": "Oskar Nyberg",
    }
    for platform, handle, url, unit in ACCOUNTS:
        keeper = people[keeper_of[unit]]
        request = AccountRequest.objects.create(
            platform=platform,
            handle=handle,
            unit=units[unit],
            need="Rekisteröity olemassa oleva tili (2020).",
            goals="Palvelualueen viestintä.",
            target_group="kuntalaiset",
            planned_content="ajankohtaiset asiat",
            requested_by=admin_user,
            status="approved",
            decided_by=admin_user,
            reason="Olemassa oleva tili.",
        )
        request.maintainers.set([keeper])
        account = Account.objects.create(
            platform=platform,
            handle=handle,
            url=url,
            unit=units[unit],
            owner=keeper,
            purpose="Palvelualueen viestintä kuntalaisille.",
            audience="kuntalaiset",
            languages="fi,sv",
            names_maintainer=True,
            links_website=True,
            privacy_notice_url=f"{SITE}/tietosuoja",
            contact_email="viestinta@kirkkonummi.fi",
            created=today - timedelta(days=1500),
            last_published=today - timedelta(days=3),
            request=request,
        )
        AccessGrant.objects.create(
            person=keeper,
            account=account,
            role="owner",
            granted_by=admin_user,
            granted=today - timedelta(days=700),
        )
        if unit == "Yhteiset palvelut, viestintä":
            AccessGrant.objects.create(
                person=people["Sanna Lehtinen"],
                account=account,
                role="admin",
                granted_by=admin_user,
                granted=today - timedelta(days=700),
            )
        SecurityAttestation.objects.create(
            account=account,
            password_changed=today - timedelta(days=40),
            two_factor=True,
            login_email_kind="shared",
            in_password_manager=True,
            settings_reviewed=today - timedelta(days=90),
            attested_by=admin_user,
        )
    _deliberate_findings(today, people, admin_user)
    from somevahti.web.wizard.demo import demo_draft

    demo_draft(admin_user)  # the policy wizard: a draft in progress


def _deliberate_findings(today, people, admin_user) -> None:
    acc = {(a.platform, a.handle): a for a in Account.objects.all()}
    # RANUA-S.8: a leaver and an outsider who still have access.
    AccessGrant.objects.create(
        person=people["Ville Virtanen"],
        account=acc["instagram", "visitkirkkonummi"],
        role="editor",
        granted_by=admin_user,
        granted=today - timedelta(days=400),
    )
    AccessGrant.objects.create(
        person=people["Petra Valo"],
        account=acc["instagram", "kulttuurikirkkonummi"],
        role="editor",
        granted_by=admin_user,
        granted=today - timedelta(days=100),
    )
    # KIRK-8.3 and KIRK-8.5: an old password, two-step verification off.
    SecurityAttestation.objects.create(
        account=acc["facebook", "ohjaamokirkkonummi"],
        password_changed=today - timedelta(days=420),
        two_factor=True,
        login_email_kind="shared",
        in_password_manager=True,
        settings_reviewed=today - timedelta(days=100),
        attested_by=admin_user,
    )
    SecurityAttestation.objects.create(
        account=acc["instagram", "YritysKirkkonummi"],
        password_changed=today - timedelta(days=20),
        two_factor=False,
        login_email_kind="shared",
        in_password_manager=False,
        settings_reviewed=today - timedelta(days=30),
        attested_by=admin_user,
    )
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
    expert = Account.objects.create(
        platform="linkedin",
        handle="mikko-nieminen-kirkkonummi",
        kind="expert",
        unit=people["Mikko Nieminen"].unit,
        owner=people["Mikko Nieminen"],
        created=today - timedelta(days=300),
        last_published=today - timedelta(days=10),
    )
    AccessGrant.objects.create(
        person=people["Mikko Nieminen"],
        account=expert,
        role="owner",
        granted_by=admin_user,
        granted=today - timedelta(days=300),
    )
    ExpertProfile.objects.create(
        person=people["Mikko Nieminen"],
        account=expert,
        platform="linkedin",
        handle=expert.handle,
        topics="elinkeinopolitiikka",
        approved=today - timedelta(days=300),
    )
    SecurityAttestation.objects.create(
        account=expert,
        password_changed=today - timedelta(days=30),
        two_factor=True,
        login_email_kind="work",
        in_password_manager=True,
        settings_reviewed=today - timedelta(days=30),
    )
    personal = Account.objects.create(
        platform="x",
        handle="jukka_makela",
        kind="personal",
        unit=people["Jukka Mäkelä"].unit,
        owner=people["Jukka Mäkelä"],
        created=today - timedelta(days=200),
        last_published=today - timedelta(days=5),
    )
    AccessGrant.objects.create(
        person=people["Jukka Mäkelä"], account=personal, role="owner", granted=today - timedelta(days=200)
    )
    SecurityAttestation.objects.create(
        account=personal,
        password_changed=today - timedelta(days=30),
        two_factor=True,
        login_email_kind="work",
        settings_reviewed=today - timedelta(days=30),
    )
    # A pending request from the author.
    req = AccountRequest.objects.create(
        platform="youtube",
        handle="kirkkonummenkirjasto",
        unit=Unit.objects.get(name="Kirjasto"),
        need="Kirjaston vinkkivideot ja tapahtumatallenteet.",
        goals="Lukuharrastuksen edistäminen.",
        target_group="lapsiperheet ja nuoret",
        planned_content="kirjavinkit, satutunnit",
        languages="fi,sv",
        requested_by=get_user_model().objects.get(username="kirjoittaja"),
    )
    req.maintainers.set([people["Johanna Lindqvist"]])
    # KIRK-4.1: an expert profile request waiting for the author's supervisor.
    ExpertProfileRequest.objects.create(
        person=people["Laura Heikkinen"],
        platform="linkedin",
        handle="laura-heikkinen-kirkkonummi",
        topics="yritysneuvonta, starttiraha",
        reason="Asiantuntijaprofiili yritysneuvonnan kysymyksiin.",
        requested_by=get_user_model().objects.get(username="kirjoittaja"),
    )


# -- a living month: published posts in the archive, comments in every inbox category, an incident --

# account (platform, handle) → posts over the last month (Finnish, Swedish), every few days
POSTS = {
    ("facebook", "kirkkonummi"): [
        "Kunnanvaltuuston kokous maanantaina klo 18 – seuraa suoraa lähetystä verkossa.",
        "Fullmäktiges möte på måndag kl. 18 – följ direktsändningen på webben.",
        "Jätehuollon noutopäivät muuttuvat ensi viikolla. Katso oman alueesi aikataulu.",
        "Masalan uuden koulun rakennustyöt etenevät aikataulussa.",
        "Kirkkonummen kunnan asiakaspalvelu on suljettu itsenäisyyspäivänä.",
    ],
    ("instagram", "kirkkonummenkunta"): [
        "Syksyn värejä Hvitträskin rannalla 🍂",
        "Joulukuusi on pystytetty kunnantalon pihalle – tervetuloa katsomaan!",
        "Kuntalaisilta kerättyjä kuvia: kiitos kaikille osallistuneille!",
    ],
    ("facebook", "visitkirkkonummi"): [
        "Porkkalan retkeilyreitit ovat taas auki – muista hyvät kengät.",
        "Joulumarkkinat kirkonkylässä lauantaina klo 10–16.",
        "Upptäck Porkala: vandringslederna är öppna igen.",
        "Saaristoristeilyt jatkuvat ensi kesänä, varaukset avautuvat maaliskuussa.",
    ],
    ("instagram", "visitkirkkonummi"): [
        "Auringonlasku Porkkalanniemellä ☀️",
        "Talvinen Hvitträsk on kaunis myös lumettomana.",
    ],
    ("instagram", "YritysKirkkonummi"): [
        "Yrittäjäaamu torstaina: puhumassa elinvoimajohtaja. Ilmoittaudu viimeistään tiistaina.",
        "Uusi yritysneuvonnan ajanvaraus on avattu verkossa.",
        "Företagarmorgon på torsdag – anmäl dig senast tisdag.",
    ],
    ("facebook", "Vauhdittamo-Kirkkonummi-113547877444261"): [
        "Vauhdittamon työnhakuklinikka joka keskiviikko klo 13–15.",
        "CV-kuvaus ensi viikolla, varaa aikasi!",
    ],
    ("facebook", "KirkkonummiLib"): [
        "Satutunti lauantaina klo 11 pääkirjastossa.",
        "Sagostund på lördag kl. 11 i huvudbiblioteket.",
        "Kirjaston uudet aukioloajat tulevat voimaan tammikuussa.",
    ],
    ("linkedin", "mikko-nieminen-kirkkonummi"): [
        (
            "Kirkkonummen elinkeino-ohjelma 2026–2030 on valmis: "
            "kiitos kaikille yrityksille, jotka osallistuivat."
        ),
        "Yritystonttien haku Kantvikissa on auki.",
    ],
}

# account → comments on its latest post: (text, language, hours ago). Written so the triage puts
# them in every category (question, thanks, negative, redirect, misuse, threat, misinformation,
# remove, crime, no action); some are past their answer time.
COMMENTS = {
    ("facebook", "kirkkonummi"): [
        ("Milloin kirjaston uudet aukioloajat tulevat voimaan?", "fi", 2),
        ("Kiitos upeasta konsertista eilen!", "fi", 5),
        ("Kuulemma kunta aikoo sulkea koulun salaa ensi vuonna, levittäkää!", "fi", 30),
        ("Olet täysi idiootti ja vitun valehtelija.", "fi", 3),
        ("När öppnar simhallen efter renoveringen?", "sv", 120),
        ("Hyvää huomenta kaikille, aurinko paistaa.", "fi", 8),
    ],
    ("instagram", "kirkkonummenkunta"): [
        ("Thank you for the wonderful concert yesterday!", "en", 6),
        ("Is the museum accessible by wheelchair?", "en", 140),
    ],
    ("facebook", "visitkirkkonummi"): [
        ("Jos vielä kerran tulet tänne, niin tapan sinut.", "fi", 4),
        ("Voiko uimahallissa käydä myös iltaisin?", "fi", 100),
        ("Taas myöhässä, tämä on jo kolmas kerta tällä viikolla. Huono palvelu.", "fi", 50),
        ("Tack för en fin konsert i går!", "sv", 9),
        ("Hän asuu osoitteessa Koivukuja 5, mennään käymään.", "fi", 7),
    ],
    ("instagram", "visitkirkkonummi"): [
        ("Kan man ta med barnvagn in i museet?", "sv", 3),
        ("Verifiera ditt konto här annars stängs sidan: https://tinyurl.com/abc12", "sv", 1),
        ("I will kill you if you post that again.", "en", 1),
    ],
    ("instagram", "YritysKirkkonummi"): [
        ("When will the library's new opening hours start?", "en", 75),
        ("Minun hakemukseni on jumissa, kukaan ei vastaa puhelimeen.", "fi", 20),
        ("Vahvista tilisi tästä linkistä tai sivusi suljetaan: https://bit.ly/2xYz", "fi", 2),
    ],
    ("facebook", "Vauhdittamo-Kirkkonummi-113547877444261"): [
        ("Olen todella pettynyt siihen, että kerho lopetettiin.", "fi", 26),
        ("Mitt ärende har legat hos er i tre månader.", "sv", 4),
    ],
    ("facebook", "KirkkonummiLib"): [
        ("Dålig service igen, bussen var försenad en halvtimme.", "sv", 10),
        ("God morgon, vilket fint väder det är i dag.", "sv", 12),
    ],
    ("linkedin", "mikko-nieminen-kirkkonummi"): [
        ("Milloin Kantvikin tonttihaku päättyy?", "fi", 90),
        ("Kiitos hyvästä yhteistyöstä!", "fi", 30),
    ],
}


def load_activity(now=None) -> dict:
    """A month of published posts in the archive, comments triaged into the inbox, a few answers,
    a threat with an open incident, a phishing attempt routed to IT, and a signed checkpoint (so a
    records-request export works at once). Returns what was made."""
    from somevahti.channels.base import IncomingItem
    from somevahti.web.archive import access
    from somevahti.web.inbox import services as inbox
    from somevahti.web.inbox.models import Action

    now = now or timezone.now()
    arch, org_id = access.archive(), access.org()
    if not arch.keys.has_key(org_id):
        arch.init(org_id)
    admin = get_user_model().objects.get(username=USERS[0][0])
    accounts = {(a.platform, a.handle): a for a in Account.objects.select_related("owner", "unit")}
    made = {"posts": 0, "comments": 0}
    latest_post: dict = {}
    with arch.batch():
        for key, texts in POSTS.items():
            account = accounts[key]
            for n, text in enumerate(texts):
                occurred = now - timedelta(days=30 - n * (28 // max(1, len(texts) - 1)), hours=n)
                post_id = f"demo-post-{account.handle[:20]}-{n + 1}"
                lang = (
                    "sv"
                    if any(w in text for w in (" på ", " och ", "Sagostund", "Upptäck", "Fullmäktige"))
                    else "fi"
                )
                arch.append(
                    "post",
                    {
                        "event": "published",
                        "texts": {lang: text},
                        "channel": account.platform,
                        "unit": account.unit.name,
                        "state": "visible",
                        "author": {"name": account.owner.name, "handle": account.owner.email},
                        "url": f"{account.url or SITE}/posts/{n + 1}",
                    },
                    org=org_id,
                    account=access.account_id(account),
                    actor=account.owner.email,
                    subject=f"{account.platform}:{post_id}",
                    occurred=occurred,
                )
                latest_post[key] = (post_id, text)
                made["posts"] += 1
    items: list = []
    for key, comments in COMMENTS.items():
        account = accounts[key]
        post_id, post_text = latest_post[key]
        incoming = [
            IncomingItem(
                external_id=f"demo-{account.handle[:20]}-{i + 1}",
                text=text,
                language=lang,
                occurred=now - timedelta(hours=hours),
                author_name=f"Kuntalainen {i + 1}",
                author_handle=f"kuntalainen{i + 1}",
                parent_id=post_id,
                post_text=post_text,
                post_author=account.owner.email,
                channel=account.platform,
            )
            for i, (text, lang, hours) in enumerate(comments)
        ]
        report = inbox.ingest(incoming, account, actor="demo")
        items += report.created
        made["comments"] += len(report.created)
    by_category: dict = {}
    for item in items:
        by_category.setdefault(item.category, []).append(item)
    # Two questions answered (the reports get response times), one insult hidden.
    for item in by_category.get("respond_question", [])[:2]:
        inbox.send_reply(item, admin, "Kiitos kysymyksestä! Tiedot löytyvät kunnan verkkosivuilta.", "fi")
    for item in by_category.get("acknowledge", [])[:1]:
        inbox.moderate(item, admin, Action.Kind.CLOSED, "Kiitos riittää.")
    incidents = []
    threat = next(iter(by_category.get("escalate_threat", [])), None)  # the second one stays open
    if threat is not None:
        concerns = threat.assignee or threat.account.owner
        incidents.append(
            inbox.open_incident(
                admin,
                type="threat",
                title="Tappouhkaus VisitKirkkonummen julkaisun kommentissa",
                description="Kommentoija uhkaa tappaa julkaisijan. Kuvakaappaus ja arkistotallenne liitetty.",
                item=threat,
                concerns=concerns,
                language="fi",
            )
        )
    phishing = next(iter(by_category.get("escalate_misuse", [])), None)
    if phishing is not None:
        incidents.append(
            inbox.open_incident(
                admin,
                type="phishing",
                title="Tilinvahvistusta matkiva kalastelulinkki",
                description="Lyhytlinkki vie sivulle, joka kysyy tilin tunnuksia.",
                item=phishing,
                language="fi",
            )
        )
    made["incidents"] = len(incidents)
    made["categories"] = sorted(by_category)
    made["import_job"] = _demo_inbox_import(admin, accounts[("facebook", "visitkirkkonummi")])
    made["checkpoint"] = arch.checkpoint(org_id)
    return made


def _demo_inbox_import(admin, account):
    """A comment file checked by the background worker (a dry run, so the inbox stays as it is): the
    comments already in and two new ones, each listed by its line on the job's page."""
    import csv
    import io

    from somevahti.web.inbox import imports
    from somevahti.web.inbox.models import ImportItemsJob, Item

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "text"])
    for item in Item.objects.filter(account=account).order_by("pk"):
        writer.writerow([item.external_id, item.text])
    writer.writerow(["demo-tiedosto-1", "Onko saaristoristeilyille vielä tilaa heinäkuussa?"])
    writer.writerow(["demo-tiedosto-2", "Kiitos hienosta kesäteatterista!"])
    job = ImportItemsJob.objects.create(
        account=account,
        filename="visitkirkkonummi-kommentit.csv",
        dry_run=True,
        text=out.getvalue(),
        requested_by=admin,
    )
    imports.run(job.pk)
    return job.pk


def _checkpoint() -> None:
    from somevahti.web.archive import access

    access.archive().checkpoint(access.org())


def demo_publishing() -> None:
    """The publishing part (connected accounts, published and scheduled posts, drafts in review, a
    failed publication)."""
    from somevahti.web.publishing import demo

    demo.load_demo()


def demo_metrics() -> None:
    """Eight weeks of platform figures (followers, reach, engagement) for the results page, marked as
    demo data; a person's own expert and personal profiles stay without."""
    from somevahti.web.policy.metrics import demo_snapshots

    demo_snapshots()


def demo_onboarding() -> None:
    """Onboarding in every state: IT security finished and passed the quiz, the author halfway with
    an Instagram grant waiting for her quiz, the communications admin one step in."""
    from somevahti.web.onboarding import quiz, services
    from somevahti.web.onboarding.models import PendingGrant
    from somevahti.web.onboarding.paths import path_for
    from somevahti.web.policy.documents import current_pack

    pack = current_pack()
    users = {u.username: u for u in get_user_model().objects.select_related("membership__person")}
    for username, share in (("tietoturva", 1.0), ("kirjoittaja", 0.5), ("viestinta", 0.2)):
        keys = path_for(users[username], pack, "fi").keys()
        for key in keys[: max(1, round(len(keys) * share))]:
            services.mark_step(users[username], key, keys)
    seed = 20261203
    right = [q.rule_id for q in quiz.generate(pack, seed, "fi")]
    if right:
        services.submit_quiz(users["tietoturva"], pack, seed, right)
    author = users["kirjoittaja"].membership.person
    PendingGrant.objects.create(
        person=author,
        account=Account.objects.get(platform="instagram", handle="visitkirkkonummi"),
        role=AccessGrant.Role.EDITOR,
        requested_by=users["yksikko"],
    )
