"""Back-filling from platform data exports, idempotently.

Each importer turns an export into ``Item``s (a record to append) and ``Skip``s (what is left out
and why). An item whose subject already has a record with exactly the same content is skipped
("already in the archive"), so running an import twice adds nothing. A run that adds records
is itself recorded (kind ``import``) with the source file's SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from somevahti.archive.media import hash_file
from somevahti.archive.records import canonical, sha256_hex
from somevahti.errors import InputError
from somevahti.i18n import _


@dataclass
class Item:
    kind: str
    subject: str
    payload: dict
    occurred: str
    raw: dict | None = None
    media: list[Path] = field(default_factory=list)


@dataclass
class Skip:
    item: str
    reason: str


@dataclass
class ImportResult:
    source: str
    added: int = 0
    skipped: list[dict] = field(default_factory=list)
    record: int | None = None

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "added": self.added,
            "skipped": self.skipped,
            "import_record": self.record,
        }


def _reader(source: str):
    from somevahti.archive.imports import mastodon, meta, x

    readers = {"mastodon": mastodon.read, "x": x.read, "meta": meta.read}
    if source not in readers:
        raise InputError(_("unknown import source %s") % source)
    return readers[source]


def run_import(
    archive, source: str, path: Path, *, org: str, account: str, actor: str | None
) -> ImportResult:
    if not path.exists():
        raise InputError(_("%s: no such file or folder") % path)
    items: Iterator[Item | Skip] = _reader(source)(path)
    result = ImportResult(str(path))
    files: set[Path] = set()
    with archive.batch():
        for item in items:
            if isinstance(item, Skip):
                result.skipped.append({"item": item.item, "reason": item.reason})
                continue
            media = []
            for m in item.media:
                if m.is_file():
                    media.append(m)
                else:
                    result.skipped.append(
                        {
                            "item": item.subject,
                            "reason": _("media file %s is not in the export; the post is archived without it")
                            % m.name,
                        }
                    )
            if len(media) != len(item.media):
                described = item.payload.get("media", [])
                item.payload["media"] = [
                    d for d, m in zip(described, item.media, strict=False) if m.is_file()
                ]
            content = sha256_hex(canonical(item.payload))
            if archive.find_version(org, item.subject, content) is not None:
                result.skipped.append({"item": item.subject, "reason": _("already in the archive")})
                continue
            archive.append(
                item.kind,
                item.payload,
                org=org,
                account=account,
                actor=actor,
                subject=item.subject,
                occurred=item.occurred,
                raw=item.raw,
                media=media,
            )
            result.added += 1
        for f in [path] if path.is_file() else sorted(path.rglob("*.js*")):
            files.add(f)
        if result.added:
            rec = archive.append_system(
                "import",
                {
                    "source": source,
                    "files": {str(f.name): hash_file(f) for f in sorted(files) if f.is_file()},
                    "added": result.added,
                    "skipped": len(result.skipped),
                },
                org=org,
                actor=actor,
                account=account,
            )
            result.record = rec.seq
    archive.checkpoint_if_keyed(org)  # an import ends signed: its records are not left unprotected
    return result
