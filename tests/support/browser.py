"""Helpers for the browser tests: Debian's Chromium through Playwright, axe-core, QR decoding and screenshots."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.support import ROOT

# Browser checks wait for what a person would wait for; shared CI machines can be slow, so allow 15 s, not 5.
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"  # Debian's package; never a browser a tool downloads
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SCREENS_ENV = "PATHWAYS_SCREENSHOTS"  # a folder to copy the screenshots to, e.g. docs/images/screens

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
PROJECTOR = {"width": 1920, "height": 1080}
SMALL_PROJECTOR = {"width": 1280, "height": 720}
CONSOLE = {"width": 1440, "height": 900}


def join_phone(page: Page, url: str, code: str, name: str) -> None:
    """Join session ``code`` from the phone's join page, as a person does: type a name, press Join, see the lobby."""
    page.goto(f"{url}/j/{code}")
    page.get_by_test_id("name-input").fill(name)
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("lobby")).to_contain_text(name)


class SocketWatch:
    """A page's Socket.IO connections, seen from the browser. A client moves from long-polling to WebSocket after it
    connects; a server that dies during that move goes unnoticed until the client's ping timeout (45 s), so a test
    that takes the server away waits for ``settled`` first, as a phone held for a moment would be."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.sockets: list[dict[str, bool]] = []
        page.on("websocket", self._opened)

    def _opened(self, socket: Any) -> None:
        seen = {"upgraded": False, "closed": False}
        self.sockets.append(seen)
        socket.on("framesent", lambda frame: seen.update(upgraded=seen["upgraded"] or frame == "5"))  # engine.io
        socket.on("close", lambda _socket: seen.update(closed=True))

    def settled(self) -> bool:
        """The page's latest socket has finished moving to WebSocket and is open."""
        self.page.evaluate("0")  # Playwright hands over the page's events while it is called
        return bool(self.sockets) and self.sockets[-1]["upgraded"] and not self.sockets[-1]["closed"]


def serious_violations(page: Page, context: str = "document") -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands (injected once per page, through the
    page's debugger rather than a <script> tag: the app's Content-Security-Policy stays on, no bypass needed)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    # Colours are measured as they settle: a button's hover or enabled transition caught half-way reads as low contrast.
    page.evaluate(
        "Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity)"
        ".map((a) => a.finished))"
    )
    results = page.evaluate(
        "async (context) => (await axe.run(context === 'document' ? document : document.querySelector(context)))"
        ".violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)}))",
        context,
    )
    return [violation for violation in results if violation["impact"] in ("serious", "critical")]


def assert_accessible(page: Page, what: str) -> None:
    found = serious_violations(page)
    assert not found, f"{what}: axe-core found serious or critical problems:\n{json.dumps(found, indent=2)}"


def decode_qr(page: Page, selector: str, folder: Path) -> str:
    """The text in the QR code shown by ``selector``, read back from a screenshot with zbar as a phone would."""
    image = folder / "qr.png"
    page.locator(selector).screenshot(path=str(image))
    found = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, timeout=30)
    assert found.returncode == 0, f"zbarimg could not read the QR code: {found.stderr}"
    return found.stdout.strip()


class Screenshots:
    """Saves each screen to the test's folder, and copies it to $PATHWAYS_SCREENSHOTS when that is set."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        target = os.environ.get(SCREENS_ENV)
        self.target = Path(target) if target else None
        self.taken: list[Path] = []

    def take(self, page: Page, name: str, *, full_page: bool = False) -> Path:
        path = self.folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")  # bars and buttons at rest
        self.taken.append(path)
        if self.target is not None:
            self.target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.target / path.name)
        return path

    def take_whole(self, page: Page, name: str) -> Path:
        """The whole page from its top, as a phone screen is looked at in the docs."""
        page.evaluate("() => window.scrollTo(0, 0)")
        return self.take(page, name, full_page=True)
