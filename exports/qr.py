"""QR codes of join and plan links, as SVG for screens and as a drawing for PDFs."""

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def qr_svg(url: str) -> bytes:
    """A scalable QR code of ``url``: crisp on a projector at any size, a few kilobytes over the wire."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, image_factory=qrcode.image.svg.SvgPathFillImage)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code's modules (True is dark), for drawing it into a PDF without an image file."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()
