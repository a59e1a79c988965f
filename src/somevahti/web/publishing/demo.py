"""The demo organisation's publishing: connected accounts, posts published through the engine,
scheduled posts in the calendar, drafts in review for each approver, one sent back, one failed.

Everything goes through the same service methods and engine as real use (nothing is written to
the tables directly), so what the demo shows is what the software does. The posts go to a file
channel under the data directory, or to a local Bluesky network when one is given in
``SOMEVAHTI_DEMO_BLUESKY`` (the JSON line ``python -m somevahti.devtools.bluesky`` prints when ready,
or a file holding it).
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

BLUESKY_ENV = "SOMEVAHTI_DEMO_BLUESKY"
BLUESKY_HANDLE = "kirkkonummi"


@dataclass
class Post:
    author: str  # demo username
    accounts: tuple[tuple[str, str], ...]  # (platform, handle)
    fi: str
    sv: str = ""
    image: tuple[str, str] = ()  # its description in Finnish and Swedish; the demo draws the picture


@functools.cache
def picture(width: int = 1080, height: int = 1080) -> bytes:
    """A JPEG drawn here (a winter sky over the sea), so the demo ships no image files; JPEG because
    Instagram takes nothing else."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.62)
    for y in range(height):
        t = y / height
        colour = (
            (int(40 + 150 * t), int(70 + 120 * t), int(140 + 90 * t))
            if y < horizon
            else (20, 60, int(110 + 60 * t))
        )
        draw.line([(0, y), (width, y)], fill=colour)
    out = BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


# Published at once through the engine (they reach the archive with the channel's ids and URLs).
PUBLISHED = [
    Post(
        "viestinta",
        (("facebook", "kirkkonummi"),),
        "Kunnan verkkosivujen palautekysely on auki joulukuun loppuun: https://www.kirkkonummi.fi/palaute "
        "#kirkkonummi",
        "Kommunens enkät om webbplatsen är öppen till slutet av december: https://www.kyrkslatt.fi/respons "
        "#kyrkslätt",
    ),
    Post(
        "viestinta",
        (("x", "kirkkonummi"),),
        "Kirkkonummen kunnan asiakaspalvelu palvelee itsenäisyyspäivän jälkeen normaalisti. "
        "https://www.kirkkonummi.fi/asiointi #kirkkonummi",
        "Kyrkslätts kundtjänst betjänar som vanligt efter självständighetsdagen. "
        "https://www.kyrkslatt.fi/service #kyrkslätt",
    ),
]

# Approved and scheduled over the coming days: the calendar and the queue (the worker sends them).
SCHEDULED = [
    (
        1,
        9,
        Post(
            "viestinta",
            (("facebook", "kirkkonummi"),),
            "Itsenäisyyspäivän juhla kunnantalolla 6.12. klo 12. Tervetuloa! "
            "https://www.kirkkonummi.fi/tapahtumat "
            "#kirkkonummi",
            "Självständighetsfesten i kommunhuset 6.12 kl. 12. Välkommen! https://www.kyrkslatt.fi/evenemang "
            "#kyrkslätt",
        ),
    ),
    (
        0,
        15,
        Post(
            "viestinta",
            (("instagram", "kirkkonummenkunta"),),
            "Joulukuusen valot syttyvät kunnantalon pihalla tänään klo 17. https://www.kirkkonummi.fi "
            "#kirkkonummi",
            "Julgranens ljus tänds på kommunhusets gård i dag kl. 17. https://www.kyrkslatt.fi #kyrkslätt",
            ("Talvinen iltataivas meren yllä.", "Vinterkvällens himmel över havet."),
        ),
    ),
    (
        3,
        10,
        Post(
            "viestinta",
            (("facebook", "KirkkonummiLib"),),
            "Kirjaston joulunajan aukioloajat on julkaistu: https://www.kirkkonummi.fi/kirjasto #kirkkonummi",
            "Bibliotekets öppettider under julen har publicerats: "
            "https://www.kyrkslatt.fi/bibliotek #kyrkslätt",
        ),
    ),
    (
        6,
        8,
        Post(
            "viestinta",
            (("x", "kirkkonummi"),),
            "Jätehuollon joulun noutoaikataulu: https://www.kirkkonummi.fi/jatehuolto #kirkkonummi",
            "Avfallshanteringens tömningsschema under julen: https://www.kyrkslatt.fi/avfall #kyrkslätt",
        ),
    ),
    (
        9,
        12,
        Post(
            "viestinta",
            (("facebook", "visitkirkkonummi"),),
            "Porkkalan talviretkeilyreitit on merkitty uudelleen. https://www.kirkkonummi.fi/ulkoilu "
            "#kirkkonummi",
            "Vandringslederna på Porkala har märkts om för vintern. https://www.kyrkslatt.fi/friluftsliv "
            "#kyrkslätt",
        ),
    ),
]

# Written by the author, approved by VisitKirkkonummi's unit editor, waiting for its time: the
# author's, her supervisor's and the unit editor's calendars are not empty either.
APPROVED_SCHEDULED = (
    4,
    11,
    Post(
        "kirjoittaja",
        (("facebook", "visitkirkkonummi"),),
        "Joulupolku Kirkkonummen keskustassa avautuu viikonloppuna: kartta ja aukioloajat "
        "https://www.kirkkonummi.fi/joulupolku #kirkkonummi",
        "Julstigen i Kyrkslätts centrum öppnar under veckoslutet: karta och öppettider "
        "https://www.kyrkslatt.fi/julstigen #kyrkslätt",
    ),
)

# Sent for approval: (post, who approves: the override set on its account beforehand)
IN_REVIEW = [
    Post(
        "kirjoittaja",
        (("facebook", "visitkirkkonummi"),),
        "Joulumarkkinoiden myyntipaikat ovat haettavissa 15.12. asti. "
        "https://www.kirkkonummi.fi/joulumarkkinat "
        "#kirkkonummi",
        "Försäljningsplatserna på julmarknaden kan sökas till 15.12. https://www.kyrkslatt.fi/julmarknad "
        "#kyrkslätt",
    ),
    Post(
        "kirjoittaja",
        (("instagram", "YritysKirkkonummi"),),
        "Yrittäjäaamu torstaina 10.12. klo 8 kunnantalolla. "
        "Ilmoittaudu: https://www.kirkkonummi.fi/yrittajat "
        "#kirkkonummi",
        "Företagarmorgon torsdag 10.12 kl. 8 i kommunhuset. Anmäl dig: https://www.kyrkslatt.fi/foretagare "
        "#kyrkslätt",
        ("Aamun sininen taivas meren yllä.", "Morgonens blå himmel över havet."),
    ),
    Post(
        "yksikko",
        (("instagram", "visitkirkkonummi"),),
        "Talvinen Hvitträsk kutsuu kävelylle. Reittikartta: https://www.kirkkonummi.fi/ulkoilu #kirkkonummi",
        "Hvitträsk i vinterskrud lockar till promenad. "
        "Karta: https://www.kyrkslatt.fi/friluftsliv #kyrkslätt",
        ("Talvinen taivas Hvitträskin yllä.", "Vinterhimlen över Hvitträsk."),
    ),
]

SENT_BACK = Post(
    "kirjoittaja",
    (("facebook", "visitkirkkonummi"),),
    "Saaristoristeilyjen varaukset avautuvat maaliskuussa. https://www.kirkkonummi.fi/matkailu #kirkkonummi",
    "Bokningarna till skärgårdskryssningarna öppnar i mars. https://www.kyrkslatt.fi/turism #kyrkslätt",
)
SENT_BACK_REASON = "Lisää risteilyjen hinnat ja lähtöpaikka, niin julkaistaan."

# Its account has no connection: the publication fails and says what to do.
FAILING = Post(
    "viestinta",
    (("facebook", "kirkkonummensi"),),
    "Sivistyspalvelujen asiakaskysely on auki 20.12. asti: https://www.kirkkonummi.fi/kysely #kirkkonummi",
    "Bildningstjänsternas kundenkät är öppen till 20.12: https://www.kyrkslatt.fi/enkat #kyrkslätt",
)

DRAFT = Post(
    "kirjoittaja",
    (("facebook", "Vauhdittamo-Kirkkonummi-113547877444261"),),
    "Vauhdittamon työnhakuklinikka jatkuu tammikuussa keskiviikkoisin klo 13–15.",
)

# Who approves which account's posts in the demo (the pack lets service areas publish themselves).
APPROVAL = {
    ("facebook", "visitkirkkonummi"): "unit_editor",
    ("instagram", "visitkirkkonummi"): "communications_admin",
    ("instagram", "YritysKirkkonummi"): "communications_admin",
}
CONNECTED = {
    ("facebook", "kirkkonummi"),
    ("x", "kirkkonummi"),
    ("instagram", "kirkkonummenkunta"),
    ("facebook", "KirkkonummiLib"),
    ("facebook", "visitkirkkonummi"),
    ("instagram", "visitkirkkonummi"),
    ("instagram", "YritysKirkkonummi"),
    ("facebook", "Vauhdittamo-Kirkkonummi-113547877444261"),
}
# Its access runs out in five days, as a Facebook page token does 60 days after it was given: the
# communications admin's dashboard asks for the account to be connected again.
EXPIRING = ("facebook", "KirkkonummiLib")


def bluesky_network() -> dict | None:
    """The local Bluesky network's ready line, when the demo is told of one."""
    given = os.environ.get(BLUESKY_ENV, "").strip()
    if not given:
        return None
    text = Path(given).read_text(encoding="utf-8") if not given.startswith("{") else given
    info = json.loads(text)
    if not info.get("pds_url") or not info.get("accounts"):
        raise ValueError(f"{BLUESKY_ENV}: give the network's ready line (pds_url and accounts)")
    return info


def channel_directory() -> Path:
    return Path(settings.DATA_DIR) / "demo-channels"


def _connect(admin, accounts) -> None:
    """File channels for the demo accounts, and the local Bluesky network for a Bluesky account when
    one is given."""
    from somevahti.web.publishing import connections

    base = channel_directory()
    for key in CONNECTED:
        account = accounts[key]
        conn = connections.connect(
            admin,
            account,
            "file",
            {"directory": str(base / f"{account.platform}-{account.handle}"), "platform": account.platform},
        )
        if key == EXPIRING:
            conn.settings = {**conn.settings, "expires_at": (timezone.now() + timedelta(days=5)).isoformat()}
            conn.save(update_fields=["settings"])
    network = bluesky_network()
    if network is None:
        return
    from somevahti.web.registry.models import Account

    first = network["accounts"][0]
    main = accounts["facebook", "kirkkonummi"]
    bsky = Account.objects.create(
        platform="bluesky",
        handle=first["handle"],
        url="",
        unit=main.unit,
        owner=main.owner,
        purpose=main.purpose,
        audience=main.audience,
        languages="fi,sv",
        names_maintainer=True,
        links_website=True,
        privacy_notice_url=main.privacy_notice_url,
        contact_email=main.contact_email,
        created=timezone.localdate(),
        request=main.request,
    )
    accounts["bluesky", BLUESKY_HANDLE] = bsky
    connections.connect(
        admin,
        bsky,
        "bluesky",
        {"server": network["pds_url"], "identifier": first["handle"], "app_password": first["password"]},
    )


def destination() -> str:
    """Where the demo publishes, in one line for the person who started it."""
    from somevahti.web.inbox.models import Connection

    conn = Connection.objects.filter(connector="bluesky").first()
    if conn is not None:
        return _("The demo publishes to the local Bluesky network at %(url)s.") % {
            "url": conn.credential_value("server")
        }
    return _("The demo publishes to a file channel (no Bluesky network was given in %(env)s): %(dir)s") % {
        "env": BLUESKY_ENV,
        "dir": channel_directory(),
    }


def _input(post: Post, accounts, when=None):
    from somevahti.web.publishing.services import DraftInput

    texts = {"fi": post.fi, **({"sv": post.sv} if post.sv else {})}
    return DraftInput(texts=texts, accounts=[accounts[k] for k in post.accounts], scheduled_at=when)


def _draft(users, post: Post, accounts, when=None):
    """A draft through the composer's services, its picture added as the media form adds one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from somevahti.web.publishing import media, services
    from somevahti.web.publishing.forms import MediaForm

    user = users[post.author]
    draft = services.create_draft(user, _input(post, accounts, when))
    if post.image:
        form = MediaForm(
            {
                "type": "image",
                "rights_holder": "Kirkkonummen kunta",
                "licence": "own",
                "people": False,
                "purpose": "news",
                "alt_fi": post.image[0],
                "alt_sv": post.image[1],
            },
            {"file": SimpleUploadedFile("talvi.jpg", picture(), content_type="image/jpeg")},
        )
        if not form.is_valid():
            raise ValueError(form.errors.as_text())
        media.add(user, draft, form)
    return draft


def _at(days: int, hour: int) -> datetime:
    """``hour`` o'clock ``days`` from today; a time already gone today becomes a time still to come
    today (half an hour from now, or halfway to midnight when that is nearer)."""
    tz = timezone.get_current_timezone()
    now, day = timezone.now(), timezone.localdate() + timedelta(days=days)
    when = datetime.combine(day, time(hour), tzinfo=tz)
    if when > now:
        return when
    midnight = datetime.combine(timezone.localdate() + timedelta(days=1), time.min, tzinfo=tz)
    return now + min(timedelta(minutes=30), (midnight - now) / 2)


def load_demo() -> None:
    """Load the demo's publishing once (:func:`destination` says where it publishes)."""
    from somevahti.web.publishing import services
    from somevahti.web.publishing.models import AccountPublishing, Draft
    from somevahti.web.registry.models import AccessGrant, Account

    if Draft.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.all()}
    admin = users["viestinta"]
    accounts = {(a.platform, a.handle): a for a in Account.objects.all()}
    _connect(admin, accounts)
    # The business coordinator (the demo author) also writes for VisitKirkkonummi's Facebook page.
    AccessGrant.objects.get_or_create(
        person=users["kirjoittaja"].membership.person,
        account=accounts["facebook", "visitkirkkonummi"],
        revoked=None,
        defaults={"role": "editor", "granted_by": admin},
    )
    for key, approver in APPROVAL.items():
        AccountPublishing.objects.update_or_create(account=accounts[key], defaults={"approval": approver})
    AccountPublishing.objects.update_or_create(
        account=accounts["facebook", "kirkkonummi"], defaults={"main_account": True, "crisis_account": True}
    )
    published = list(PUBLISHED)
    if ("bluesky", BLUESKY_HANDLE) in accounts:
        published.append(Post("viestinta", (("bluesky", BLUESKY_HANDLE),), PUBLISHED[0].fi, PUBLISHED[0].sv))
    for post in published:
        draft = _draft(users, post, accounts)
        services.submit(users[post.author], draft)
        services.schedule(admin, draft, None)
    for days, hour, post in SCHEDULED:
        services.submit(
            users[post.author], _draft(users, post, accounts, _at(days, hour))
        )  # scheduled at its time
    days, hour, post = APPROVED_SCHEDULED
    draft = services.submit(users[post.author], _draft(users, post, accounts, _at(days, hour)))
    services.approve(users["yksikko"], draft)  # the unit editor approves this account (APPROVAL)
    for post in IN_REVIEW:
        services.submit(users[post.author], _draft(users, post, accounts))
    back = _draft(users, SENT_BACK, accounts)
    services.submit(users[SENT_BACK.author], back)
    services.request_changes(users["yksikko"], back, SENT_BACK_REASON)
    failing = _draft(users, FAILING, accounts)
    services.submit(admin, failing)
    services.schedule(admin, failing, None)
    _draft(users, DRAFT, accounts)
