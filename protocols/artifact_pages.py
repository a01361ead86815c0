"""Student work made into pages a phone can show: a photo as itself, a PDF rendered page by page to JPEG (phones
cannot show a PDF inline), each with a small picture for the page list."""

import io
from dataclasses import dataclass

from PIL import Image

from protocols.errors import DomainError
from protocols.evidence import JPEG_QUALITY, LONGEST_SIDE, Kind, Prepared, prepare

THUMB_SIDE = 480  # pixels: twice the size a phone shows a page's picture at, sharp on a dense screen
THUMB_QUALITY = 80
MAX_SCALE = 4.0  # a PDF's point is 1/72 inch; a tiny page is not blown up past this


@dataclass(frozen=True, slots=True)
class RenderedPage:
    image: bytes
    suffix: str  # "jpg" or "png"
    thumb: bytes  # always a JPEG


@dataclass(frozen=True, slots=True)
class Pages:
    """An upload as it will be kept: what it was, its title for display, and its pages."""

    kind: Kind
    title: str
    pages: tuple[RenderedPage, ...]

    @property
    def bytes(self) -> int:
        return sum(len(page.image) + len(page.thumb) for page in self.pages)


def pages_of(data: bytes, filename: str, declared_type: str, max_pages: int) -> Pages:
    """The upload checked as an evidence file is (``protocols.evidence.prepare``: by content, a photo re-encoded
    without its metadata), then made into pages. ``too_many_pages`` for a PDF of more than ``max_pages``."""
    prepared = prepare(data, filename, declared_type)
    if prepared.kind is Kind.IMAGE:
        return Pages(Kind.IMAGE, prepared.title, (_photo_page(prepared),))
    return Pages(Kind.PDF, prepared.title, _pdf_pages(prepared.content, max_pages))


def _photo_page(prepared: Prepared) -> RenderedPage:
    with Image.open(io.BytesIO(prepared.content)) as image:
        image.load()
        return RenderedPage(prepared.content, prepared.suffix, _thumb(image))


def _pdf_pages(data: bytes, max_pages: int) -> tuple[RenderedPage, ...]:
    import pypdfium2  # only an upload of a PDF needs pdfium: the server starts without loading it

    damaged = DomainError("bad_file", "This PDF is damaged or incomplete and cannot be opened.")
    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as error:  # pdfium's error for a file it cannot open
        raise damaged from error
    try:
        count = len(document)
        if count > max_pages:
            raise DomainError(
                "too_many_pages",
                "This PDF has {count} pages; at most {most} are shown: save the pages the room or the group "
                "looks at as a PDF of their own.",
                count=count,
                most=max_pages,
            )
        return tuple(_pdf_page(document[number]) for number in range(count))
    except DomainError:
        raise
    except Exception as error:  # a page pdfium cannot draw
        raise damaged from error
    finally:
        document.close()


def _pdf_page(page: object) -> RenderedPage:
    width, height = page.get_size()  # type: ignore[attr-defined]
    scale = min(LONGEST_SIDE / max(width, height, 1), MAX_SCALE)
    image = page.render(scale=scale).to_pil().convert("RGB")  # type: ignore[attr-defined]
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return RenderedPage(out.getvalue(), "jpg", _thumb(image))


def _thumb(image: Image.Image) -> bytes:
    """A small JPEG of the page; a transparent photo is laid on white first."""
    if image.mode in ("RGBA", "LA", "PA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = image.convert("RGB")
    flat.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=THUMB_QUALITY, optimize=True)
    return out.getvalue()
