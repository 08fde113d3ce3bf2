"""Browser tests: one headless Debian Chromium per session, a fresh context per test, the demo city on a
live server. Every page visited is checked for Content-Security-Policy violations and, at phone width,
for horizontal scrolling."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread; Django's ORM (used by the
# live_server and demo_city fixtures and by assertions) would otherwise refuse to run there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORTS: dict[str, dict[str, int]] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 812},
}
PHONE_WIDTH = VIEWPORTS["phone"]["width"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        reason = f"browser tests need Debian chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        print(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@dataclass
class Ui:
    """A browser tab on the live server, with the checks every page must pass."""

    page: Any
    base_url: str
    viewport: str
    shots: Path
    console: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    # --- navigation -------------------------------------------------------------------------------------
    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check_page()

    def submit(self, button: str = "main button[type=submit]") -> None:
        """Click a submit button, wait for the resulting page and check it."""
        with self.page.expect_navigation():
            self.page.locator(button).first.click()
        self.check_page()

    def reload(self) -> None:
        self.page.reload()
        self.check_page()

    def login(self, identifier: str, password: str) -> None:
        if not self.path.startswith("/login/"):
            self.goto("/login/")
        self.page.get_by_label("账号").fill(identifier)
        self.page.get_by_label("密码", exact=True).fill(password)
        self.submit()

    def logout(self) -> None:
        self.submit("header form[action='/logout/'] button")

    def toggle_elder_mode(self) -> None:
        self.submit("header form[action='/preferences/elder-mode/'] button")

    # --- observations -----------------------------------------------------------------------------------
    @property
    def path(self) -> str:
        return str(self.page.url).removeprefix(self.base_url)

    def html(self) -> str:
        return str(self.page.content())

    def text(self, selector: str) -> str:
        return str(self.page.locator(selector).inner_text()).strip()

    def root_font_px(self) -> float:
        value = self.page.evaluate("getComputedStyle(document.documentElement).fontSize")
        return float(str(value).removesuffix("px"))

    def check_page(self, status: int = 200) -> None:
        """status: the document's expected HTTP status (the browser logs an error for a 4xx page itself)."""
        self.page.wait_for_load_state("load")
        self.visited.append(self.path)
        csp = [m for m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]
        assert not csp, f"CSP violations on {self.path}: {csp}"
        expected = f"error: Failed to load resource: the server responded with a status of {status} "
        errors = [m for m in self.console if m.startswith("error:") and not (status >= 400 and m.startswith(expected))]
        assert not errors, f"console errors on {self.path}: {errors}"
        self.console.clear()
        assert self.page.evaluate("document.documentElement.lang") == "zh-CN"
        if self.viewport == "phone":
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"{self.path} scrolls sideways at {PHONE_WIDTH}px: scrollWidth={width}"

    def shot(self, name: str) -> Path:
        target = self.shots / f"{name}-{self.viewport}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target


def _make_ui(browser: Any, live_server: Any, shots: Path, viewport: str) -> Iterator[Ui]:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    page = context.new_page()
    ui = Ui(page=page, base_url=str(live_server.url), viewport=viewport, shots=shots)
    page.on("console", lambda message: ui.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: ui.console.append(f"error: {error}"))
    try:
        yield ui
    finally:
        context.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def ui(
    request: pytest.FixtureRequest, browser: Any, live_server: Any, demo_city: None, screenshot_dir: Path
) -> Iterator[Ui]:
    """A tab at each viewport (the test runs once at desktop and once at phone width)."""
    yield from _make_ui(browser, live_server, screenshot_dir, request.param)


@pytest.fixture
def desktop(browser: Any, live_server: Any, demo_city: None, screenshot_dir: Path) -> Iterator[Ui]:
    yield from _make_ui(browser, live_server, screenshot_dir, "desktop")
