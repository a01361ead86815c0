"""QR codes on a PDF read as a phone's camera reads them: poppler renders the pages, zbar decodes."""

import subprocess
from pathlib import Path


def scanned(pdf: bytes, folder: Path, dpi: int = 100) -> list[str]:
    """Every QR code on the PDF's pages, rendered at ``dpi`` (a plan's smaller code needs 200)."""
    (folder / "scanned.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(folder / "scanned.pdf"), str(folder / "page")], check=True)
    images = sorted(str(path) for path in folder.glob("page*.png"))
    result = subprocess.run(["zbarimg", "--quiet", "--raw", *images], capture_output=True, text=True, check=True)
    return result.stdout.split()
