"""The readable part of an export: PDF volumes drawn thread by thread, page by page.

reportlab keeps a document's pages until it is saved, so an export is split into volumes of
at most ``threads_per_volume`` threads; only one thread's flowables exist at a time.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Image, Paragraph, Spacer

__all__ = ["PdfWriter", "Spacer", "Styles", "para", "thumbnail"]

from somevahti.i18n import _

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
rl_config.useA85 = 0  # binary (compressed) streams: ASCII85 only makes the file bigger and slower
THUMB = 45 * mm


def _fonts() -> tuple[str, str]:
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"  # Latin-1 only: install fonts-dejavu-core for everything else


class Styles:
    def __init__(self) -> None:
        regular, bold = _fonts()
        self.title = ParagraphStyle(
            "title", fontName=bold, fontSize=13, leading=16, spaceBefore=4, spaceAfter=4
        )
        self.head = ParagraphStyle("head", fontName=bold, fontSize=9.5, leading=12, spaceBefore=6)
        self.meta = ParagraphStyle("meta", fontName=regular, fontSize=7.5, leading=9.5, textColor=colors.grey)
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
        self.comment = ParagraphStyle("comment", parent=self.body, leftIndent=8 * mm)
        self.cmeta = ParagraphStyle("cmeta", parent=self.meta, leftIndent=8 * mm)
        self.flag = ParagraphStyle("flag", parent=self.cmeta, textColor=colors.red, fontName=bold)
        self.regular = regular


def para(text: str, style) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def thumbnail(data: bytes) -> Image | None:
    """A small image for the PDF, or None when the bytes are not an image Pillow reads."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as im:
            im.thumbnail((400, 400))
            buf = io.BytesIO()
            im.convert("RGB").save(buf, "JPEG", quality=70)
    except Exception:  # noqa: BLE001 - video, broken or unknown formats get a text line instead
        return None
    buf.seek(0)
    reader = ImageReader(buf)
    w, h = reader.getSize()
    scale = min(THUMB / w, THUMB / h)
    return Image(buf, width=w * scale, height=h * scale)


class PdfWriter:
    """Writes thread after thread into numbered volumes under ``directory``."""

    def __init__(self, directory: Path, title: str, *, threads_per_volume: int = 500) -> None:
        self.dir = directory
        self.title = title
        self.per_volume = threads_per_volume
        self.styles = Styles()
        self.volumes: list[str] = []
        self._canvas: Canvas | None = None
        self._threads = 0
        self._frame: Frame | None = None

    def _new_volume(self) -> None:
        self.close()
        name = f"records-{len(self.volumes) + 1:03d}.pdf"
        self.volumes.append(name)
        self._canvas = Canvas(str(self.dir / name), pagesize=A4, pageCompression=1, invariant=1)
        self._canvas.setTitle(f"{self.title} ({len(self.volumes)})")
        self._threads = 0
        self._page()

    def _page(self) -> None:
        w, h = A4
        self._frame = Frame(15 * mm, 15 * mm, w - 30 * mm, h - 30 * mm, showBoundary=0)

    def _end_page(self) -> None:
        c = self._canvas
        c.saveState()
        c.setFont(self.styles.regular, 7)
        c.setFillColor(colors.grey)
        footer = _("%(title)s — volume %(volume)d, page %(page)d")  # not in an f-string: xgettext skips those
        c.drawString(
            15 * mm,
            10 * mm,
            footer % {"title": self.title, "volume": len(self.volumes), "page": c.getPageNumber()},
        )
        c.restoreState()
        c.showPage()

    def write(self, flowables: list) -> None:
        if self._canvas is None or self._threads >= self.per_volume:
            self._new_volume()
        self._threads += 1
        pending = list(flowables)
        while pending:
            before = len(pending)
            self._frame.addFromList(pending, self._canvas)
            if pending:
                if len(pending) == before and self._frame._atTop:
                    pending.pop(0)  # taller than a page and cannot be split: leave it out
                self._end_page()
                self._page()

    def close(self) -> None:
        if self._canvas is not None:
            self._end_page()
            self._canvas.save()
            self._canvas = None
