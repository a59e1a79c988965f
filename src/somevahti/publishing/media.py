"""A post document's media files, found and validated before anything is sent.

``file`` in the document is a path relative to the document's directory (or absolute). Checked:
the file exists and is a file, its real type (read from its first bytes, not its name) is one the
platform takes, its size is within the platform's limit, and a video has captions when the pack
requires them (``publishing.video_captions_required``, KIRK-7.1): ``captions: true`` in the
document, with a captions file ``<video>.vtt`` or ``<video>.srt`` beside it used where the
platform uploads one (YouTube).
"""

from __future__ import annotations

from pathlib import Path

from somevahti.channels.publishing import Limits, MediaFile
from somevahti.document import PostDocument
from somevahti.i18n import _
from somevahti.policy.schema import Pack
from somevahti.publishing.plan import PlanError

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def sniff(head: bytes) -> str | None:
    """The media type from a file's first bytes (None: not a type somevahti publishes)."""
    for magic, mime in _SIGNATURES:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    if head[:4] == b"\x1aE\xdf\xa3":
        return "video/webm"
    return None


def resolve(
    doc: PostDocument, pack: Pack, limits: Limits, base_dir: Path | None
) -> list[dict[str, MediaFile]]:
    """Per media item of the document: language → the file with that language's description."""
    out: list[dict[str, MediaFile]] = []
    for i, item in enumerate(doc.media):
        where = f"media[{i}]"
        if not item.file:
            raise PlanError("media_missing", _("%(field)s: no file is given") % {"field": where}, where)
        path = Path(item.file)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise PlanError(
                "media_missing",
                _("%(field)s: the file %(file)s does not exist") % {"field": where, "file": item.file},
                where,
            )
        size = path.stat().st_size
        with path.open("rb") as f:
            mime = sniff(f.read(16))
        if item.type == "image":
            if mime not in limits.image_types:
                raise PlanError(
                    "media_type",
                    _("%(field)s: %(file)s is not an image type %(channel)s takes (%(types)s)")
                    % {
                        "field": where,
                        "file": item.file,
                        "channel": doc.channel,
                        "types": ", ".join(limits.image_types),
                    },
                    where,
                )
            if size > limits.max_image_bytes:
                raise PlanError(
                    "media_size",
                    _("%(field)s: the image is %(size)s; %(channel)s takes at most %(limit)s")
                    % {
                        "field": where,
                        "size": _mb(size),
                        "channel": doc.channel,
                        "limit": _mb(limits.max_image_bytes),
                    },
                    where,
                )
        else:
            if not limits.video:
                raise PlanError(
                    "media_type",
                    _("%(field)s: %(channel)s does not take videos here")
                    % {"field": where, "channel": doc.channel},
                    where,
                )
            if mime not in limits.video_types:
                raise PlanError(
                    "media_type",
                    _("%(field)s: %(file)s is not a video type %(channel)s takes (%(types)s)")
                    % {
                        "field": where,
                        "file": item.file,
                        "channel": doc.channel,
                        "types": ", ".join(limits.video_types),
                    },
                    where,
                )
            if limits.max_video_bytes and size > limits.max_video_bytes:
                raise PlanError(
                    "media_size",
                    _("%(field)s: the video is %(size)s; %(channel)s takes at most %(limit)s")
                    % {
                        "field": where,
                        "size": _mb(size),
                        "channel": doc.channel,
                        "limit": _mb(limits.max_video_bytes),
                    },
                    where,
                )
        captions = _captions_file(path)
        if (
            item.type == "video"
            and pack.publishing.video_captions_required
            and not (item.captions or captions)
        ):
            raise PlanError(
                "captions",
                _("%(field)s: the video has no captions, and this organisation's policy requires them")
                % {"field": where},
                where,
            )
        alts = item.alt_texts() or {"": ""}
        out.append(
            {lang: MediaFile(item.type, path, mime or "", alt, captions, size) for lang, alt in alts.items()}
        )
    return out


def _captions_file(video: Path) -> Path | None:
    for suffix in (".vtt", ".srt"):
        candidate = video.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
