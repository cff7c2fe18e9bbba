"""A browser's User-Agent header in a few words a member recognises ("Firefox sur Android"),
for the list of their open sessions. Only the browser and the system are named; the rest of
the header (versions, engines) says nothing to a person."""

from __future__ import annotations

from flask_babel import gettext as _

# Checked in order: Edge and Opera say "Chrome" too, Chrome says "Safari", Android says "Linux".
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_name(user_agent: str | None) -> str:
    """ "Firefox sur Android", "Chrome", "Linux"…, or the header itself when it names neither
    (a script, a tool), or "Navigateur inconnu" when there is none."""
    agent = (user_agent or "").strip()
    if not agent:
        return _("Navigateur inconnu")
    browser = next((name for mark, name in BROWSERS if mark in agent), "")
    system = next((name for mark, name in SYSTEMS if mark in agent), "")
    if browser and system:
        return _("%(browser)s sur %(system)s", browser=browser, system=system)
    return browser or system or agent[:60]
