"""Real browser tests: the app served on a free localhost port, driven by Debian's Chromium.

`live_server` serves an app built on the migrated test database (CSRF on, so the real forms
and their tokens are exercised) from a werkzeug server in a background thread; its tables are
emptied after the test by the `app` fixture it depends on. `browser` is one headless Chromium
for the run, `page` a fresh browser context (a person with their own cookies) per test, and
`new_page` opens more of them (another person). `screenshot("step")` saves the page to
tests/browser/screenshots/<test>/ (git-ignored) so a person can look at what the test saw.
A test that also asks for `fake_stripe` gets a served app with online fees on, talking to
that fake Stripe on localhost (its Checkout and onboarding pages are where the browser lands).

Without `chromium` on the PATH every test of this folder is skipped, with the reason given.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from werkzeug.serving import BaseWSGIServer, make_server

from tests.browser.helpers import PHONE, assert_fits_phone, header

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
CHROMIUM = shutil.which("chromium")
NO_CHROMIUM = "Chromium not found: browser tests skipped (apt-get install chromium)"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A step that takes longer than this is a failure, not something to wait for.
TIMEOUT_MS = 15_000
_SAFE = re.compile(r"[^\w.-]+")  # what may not go into a file name
# What `fake_stripe` sets on the test's app, and the served app then takes.
STRIPE_SETTINGS = (
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_API_BASE",
    "STRIPE_PAGE_ORIGINS",
)


def pytest_collection_modifyitems(config, items):
    """No Chromium: skip every test of this folder before any fixture is set up."""
    if CHROMIUM:
        return
    if os.environ.get("ARCHIPEL_REQUIRE_SERVICES"):
        # CI promised to install Chromium: a missing browser is a failure there, not a skip.
        raise pytest.UsageError(NO_CHROMIUM + " — and ARCHIPEL_REQUIRE_SERVICES is set")
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)


@dataclass
class LiveServer:
    url: str
    app: Flask
    outbox: list[EmailMessage]

    def link_in_last_email(self, to: str, path_prefix: str) -> str:
        """The absolute link starting with `path_prefix` in the last message sent to `to`."""
        sent = [m for m in self.outbox if m["To"] == to]
        assert sent, f"no email to {to}; outbox: {[m['To'] for m in self.outbox]}"
        body = sent[-1].get_content()
        match = re.search(r"https?://\S+?" + re.escape(path_prefix) + r"\S+", body)
        assert match, body
        return match.group(0)


@pytest.fixture
def live_server(request, app, make_app) -> Iterator[LiveServer]:
    """The app served on 127.0.0.1 at a free port, CSRF protection on.

    Depending on `app` gives the test an app context on the same database (for factories)
    and empties every table once the server has stopped. When the test asks for
    `fake_stripe`, the served app has the same Stripe settings as the test's `app`.
    """
    settings = {"WTF_CSRF_ENABLED": True}
    if "fake_stripe" in request.fixturenames:
        request.getfixturevalue("fake_stripe")  # reset, and set on the test's app first
        settings.update({key: app.config[key] for key in STRIPE_SETTINGS})
    served = make_app(**settings)
    # The same file store as the test's app: a picture a test stored is served to the browser.
    served.extensions["archipel.storage"] = app.extensions["archipel.storage"]
    server: BaseWSGIServer = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(
            url=f"http://127.0.0.1:{server.server_port}",
            app=served,
            outbox=served.extensions["archipel.mailer"].outbox,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for the whole run."""
    if not CHROMIUM:
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable]:
    """Open a page in a fresh browser context: another person, with cookies of their own."""
    contexts = []

    def open_page():
        context = browser.new_context(
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """The test's first person."""
    return new_page()


@pytest.fixture
def screenshot(request) -> Callable:
    """`screenshot(page, "step")`: a full-page PNG in screenshots/<test name>/, numbered."""
    folder = SCREENSHOTS / _SAFE.sub("_", request.node.name)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    counter = iter(range(1, 1000))

    def take(page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{_SAFE.sub('-', step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def phone(browser) -> Iterator[Callable[..., Page]]:
    """`phone(page, url)`: the same person (the same cookies) in a 390×844 mobile browser, on
    `url` when given (its header shown, checked to fit the screen's width)."""
    contexts = []

    def open_phone(page: Page, url: str | None = None) -> Page:
        context = browser.new_context(
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            storage_state=page.context.storage_state(),
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        small = context.new_page()
        if url:
            small.goto(url)
            expect(header(small)).to_be_visible()
            assert_fits_phone(small)
        return small

    yield open_phone
    for context in contexts:
        context.close()
