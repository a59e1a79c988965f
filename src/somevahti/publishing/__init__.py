"""The publish engine: a checked post document to one account, sent exactly once. No Django here.

Public API (what the web app and the CLI call)::

    from somevahti.publishing import Account, Engine, Store

    # SOMEVAHTI_PUBLISH_DB, else DATABASE_URL, else var/somevahti.sqlite3
    store = Store.open()
    engine = Engine(store, connectors, archive, pack_resolver)
    #   connectors: {account_id: connector} or a callable account_id -> connector instance
    #               (a PublishingConnector, see channels/publishing.py)
    #   archive:    somevahti.archive.api.Archive or None
    #   pack_resolver: Account -> Pack (default: the account's pack, else generic)
    #   may_approve: (user, account, approval) -> bool  (who may approve; default anyone named)
    account = Account("mastodon", "kirkkonummi", kind=AccountKind.SHARED, pack="kirkkonummi",
                      org="kirkkonummi")
    pub = engine.submit(doc, account, key=None, at=None, approved_by=None, submitted_by="maija",
                        base_dir=folder_of_the_document)   # -> Publication (queued); nothing sent yet
    pub = engine.send(pub.key)                 # send it now if due (the CLI does this)
    report = engine.run_due(now, worker_id)    # a worker: send what is due, archive, checkpoint
    engine.status(key) / engine.list(status=…, account=…)
    engine.cancel(key)                         # only before anything went out
    engine.retry(key)                          # a failed one, after reconnecting
    engine.edit(key, doc, account, edited_by=…)  # queued: re-planned; published: edited in place
    engine.delete(key, deleted_by=…)           # deleted on the platform, the deletion archived

``submit`` raises :class:`Refused` (error-level findings in ``.findings``; or a post the channel
cannot take: too long without threads, media over size or of a wrong type, a video without the
captions the pack requires), :class:`ApprovalRequired`, :class:`KeyConflict` (the key is used
for other content), ``InputError`` (a media file missing) or :class:`NotFound` (no connection).

Never twice: a publication's idempotency key is given or derived from the account and the
content; its parts (one platform post each) have keys ``<key>:<i>``. A part's state is committed
as ``sending`` before the platform call and ``published`` (with the platform's id, URL and raw
answer) after it; a part left ``sending`` or ``unknown`` (timeout, dropped connection, a killed
worker) is looked up with ``connector.find_published(part)`` before it is sent again.
Several workers share the queue (``store.claim``: SKIP LOCKED on PostgreSQL, one atomic
statement on SQLite; a claim is a lease that a killed worker's replacement takes over).
Errors: ``ErrorKind`` (retry later, reauthorise, fix content, platform down, unknown outcome);
``Publication.advice`` says what to do in the reader's language. Published parts, edits and
deletions go to the archive (``Archive.append``), and each run ends with a signed checkpoint of
each organisation touched when the archive holds its key. See docs/publishing.md.
"""

from somevahti.publishing.engine import (
    Account,
    ApprovalRequired,
    Engine,
    KeyConflict,
    NotFound,
    PartStatus,
    Publication,
    Refused,
    RunReport,
    content_version,
    derived_key,
)
from somevahti.publishing.store import Store

__all__ = [
    "Account",
    "ApprovalRequired",
    "Engine",
    "KeyConflict",
    "NotFound",
    "PartStatus",
    "Publication",
    "Refused",
    "RunReport",
    "Store",
    "content_version",
    "derived_key",
]
