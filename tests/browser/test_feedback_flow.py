"""Feedback after a confirmed exchange, in a real browser: double-blind, then on both profiles.

Sabine offers to lay a mosaic with her skills "Mosaïque" and "Carrelage"; Yanis received
1 h 30 of her time (the exchange is proposed, accepted, logged and confirmed through the
services). Yanis opens the exchange, leaves a feedback that recommends her, confirms
"Mosaïque", and reads that only he sees it for now. Sabine is told he wrote one, but his words
are nowhere on her exchange page nor on her profile until she writes hers. Once she has, both
feedbacks are on both profiles, with the counts ("1 membre en témoigne"), and on the card of
her listing. She replies publicly. Lucie, a member of the same space who took no part, gets the
not-found page on the exchange and on its feedback form, and finds on the profiles no link or
form to write one, only "Signaler ce retour".

Every step is saved as a screenshot; the profiles also on a phone (390 px), and in English.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from exchange.services.exchanges import lifecycle
from models import db
from tests import factories
from tests.browser.helpers import header, log_in

pytestmark = pytest.mark.browser

PROVIDER = {"name": "Sabine Roux", "email": "sabine.roux@example.org"}  # B, gives the time
RECEIVER = {"name": "Yanis Ferhat", "email": "yanis.ferhat@example.org"}  # A, receives it
OUTSIDER = {"name": "Lucie Garnier", "email": "lucie.garnier@example.org"}  # C, party to nothing
SPACE = "La Coopérative des Pentes"

TITLE = "Une mosaïque pour votre entrée"
TAGS = "Mosaïque, Carrelage"
A_COMMENT = (
    "Sabine m'a appris à poser les tesselles sans me presser.\n"
    "L'entrée de l'atelier est transformée : merci pour la patience."
)
B_COMMENT = "Yanis était là à l'heure, curieux, et a tout rangé avec moi."
B_REPLY = "Merci Yanis ! Revenez pour les joints quand vous voulez."


def feedback_box(page: Page):
    """The exchange page's "Retours" section."""
    return page.get_by_role("region", name="Retours", exact=True)


def counts(page: Page) -> dict[str, str]:
    """The profile's counts block, as a person reads it: {label: number}."""
    summary = page.locator(".reputation-summary .rep-counts > div")
    return {
        item.locator("dt").inner_text().strip(): item.locator("dd").inner_text().strip()
        for item in summary.all()
    }


def feedback_entries(page: Page):
    """The feedbacks listed on a profile ("Derniers retours")."""
    return page.locator("ol.feedback-list > li.feedback")


def assert_no_way_to_write(page: Page) -> None:
    """No link to a feedback form, no form that posts one, no reply form."""
    expect(page.locator("a[href$='/retour']")).to_have_count(0)
    expect(page.locator("form[action$='/retour']")).to_have_count(0)
    expect(page.locator("form[action$='/repondre']")).to_have_count(0)
    expect(page.get_by_role("link", name="Laisser un retour")).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer mon retour")).to_have_count(0)


def test_feedback_double_blind_then_on_both_profiles_and_no_way_in_for_a_third_member(
    live_server, new_page, phone, screenshot
):
    pentes = factories.space(SPACE, city="Lyon")
    sabine = factories.member(display_name=PROVIDER["name"], email=PROVIDER["email"], city="Lyon")
    yanis = factories.member(display_name=RECEIVER["name"], email=RECEIVER["email"], city="Lyon")
    lucie = factories.member(display_name=OUTSIDER["name"], email=OUTSIDER["email"])
    factories.join(yanis, pentes)
    factories.join(lucie, pentes)
    offer = factories.listing(
        sabine,
        pentes,
        TITLE,
        summary="Je vous montre comment poser une mosaïque, à l'atelier ou chez vous.",
        tags=TAGS,
        estimated_minutes=90,
    )
    made = lifecycle.propose(
        yanis.id, offer.id, message="Pour l'entrée de l'atelier ?", foreseen_minutes=90
    )
    lifecycle.accept(sabine.id, made.id)
    lifecycle.log_time(sabine.id, made.id, minutes=90)
    lifecycle.confirm(yanis.id, made.id)
    exchange_path = f"/echanges/{made.id}"
    write_path = f"{exchange_path}/retour"
    profile_a = f"{live_server.url}/membres/{yanis.id}"
    profile_b = f"{live_server.url}/membres/{sabine.id}"
    db.session.commit()  # nothing left open while the server works on the same database

    # --- A (Yanis) opens the exchange: an invitation to leave a feedback.
    a = new_page()
    log_in(a, live_server.url, RECEIVER)
    a.goto(live_server.url + exchange_path)
    expect(a.get_by_text("Confirmé", exact=True)).to_be_visible()
    box = feedback_box(a)
    expect(box).to_contain_text("Comment s'est passé cet échange ?")
    expect(box).to_contain_text(f"Vous pouvez laisser un retour sur {PROVIDER['name']}")
    screenshot(a, "A-exchange-invitation")
    box.get_by_role("link", name="Laisser un retour").click()
    expect(a).to_have_url(live_server.url + write_path)
    expect(
        a.get_by_role("heading", level=1, name=f"Votre retour sur {PROVIDER['name']}")
    ).to_be_visible()
    # Only the listing's skills are offered, to be confirmed.
    skills = a.get_by_role("group", name="Compétences que vous avez vues à l'œuvre")
    expect(skills.get_by_role("checkbox")).to_have_count(2)
    screenshot(a, "A-write-empty")
    screenshot(phone(a, live_server.url + write_path), "phone-A-write")
    a.get_by_label("Je recommande", exact=True).check()
    a.get_by_label("Votre commentaire (facultatif)").fill(A_COMMENT)
    skills.get_by_label("Mosaïque").check()
    screenshot(a, "A-write-filled")
    a.get_by_role("button", name="Enregistrer mon retour").click()

    # --- Back on the exchange page: A's own feedback, seen by A alone for now.
    expect(a.get_by_text("Merci : votre retour est enregistré.")).to_be_visible()
    expect(a).to_have_url(live_server.url + exchange_path)
    box = feedback_box(a)
    expect(box).to_contain_text(f"Votre retour sur {PROVIDER['name']}")
    expect(box).to_contain_text("visible par vous seul·e pour l'instant")
    expect(box).to_contain_text("Sabine m'a appris à poser les tesselles")
    expect(box.get_by_role("link", name="Modifier mon retour")).to_be_visible()
    screenshot(a, "A-exchange-own-feedback-blind")
    screenshot(phone(a, live_server.url + exchange_path), "phone-A-exchange-own-feedback-blind")

    # --- B (Sabine) is told A wrote, and cannot read it anywhere yet.
    b = new_page()
    log_in(b, live_server.url, PROVIDER)
    header(b).get_by_role("link", name="Mes échanges").click()
    to_write = b.get_by_role("region", name=re.compile("^Retours à écrire"))
    expect(to_write).to_contain_text(TITLE)
    expect(to_write).to_contain_text(f"{RECEIVER['name']} a écrit le sien")
    screenshot(b, "B-exchanges-feedback-to-write")
    b.goto(live_server.url + exchange_path)
    box = feedback_box(b)
    expect(box).to_contain_text(
        f"{RECEIVER['name']} a écrit son retour. Écrivez le vôtre pour voir les deux"
    )
    expect(box.get_by_role("link", name="Laisser un retour")).to_be_visible()
    screenshot(b, "B-exchange-theirs-waits")
    for path in (exchange_path, f"/membres/{sabine.id}", f"/membres/{sabine.id}/retours"):
        b.goto(live_server.url + path)
        html = b.content()
        assert "tesselles" not in html, f"A's comment shows on {path} before B wrote"
        expect(b.locator(".rec")).to_have_count(0)  # nor A's recommendation
    expect(b.locator(".reputation-summary")).to_contain_text("pas encore de retour")
    screenshot(b, "B-feedback-about-page-before")
    b.goto(profile_b)
    expect(feedback_entries(b)).to_have_count(0)
    screenshot(b, "B-profile-before")

    # --- B writes theirs: a neutral word, no skill to confirm (B gave the time).
    b.goto(live_server.url + exchange_path)
    feedback_box(b).get_by_role("link", name="Laisser un retour").click()
    expect(b).to_have_url(live_server.url + write_path)
    expect(b.get_by_role("checkbox")).to_have_count(0)
    b.get_by_label("Neutre", exact=True).check()
    b.get_by_label("Votre commentaire (facultatif)").fill(B_COMMENT)
    screenshot(b, "B-write-filled")
    b.get_by_role("button", name="Enregistrer mon retour").click()
    expect(b.get_by_text("Merci : votre retour est enregistré.")).to_be_visible()
    box = feedback_box(b)
    expect(box).to_contain_text("Les deux retours sont visibles, ici et sur vos profils.")
    expect(box).to_contain_text(f"Le retour laissé par {RECEIVER['name']}")
    expect(box).to_contain_text("Sabine m'a appris à poser les tesselles")
    expect(box).not_to_contain_text("visible par vous seul·e")
    expect(box.get_by_role("link", name="Modifier mon retour")).to_have_count(0)
    expect(box.get_by_role("link", name="Laisser un retour")).to_have_count(0)
    screenshot(b, "B-exchange-both-visible")

    # --- A's exchange page now shows both, and no longer offers to edit.
    a.reload()
    box = feedback_box(a)
    expect(box).to_contain_text(f"Le retour laissé par {PROVIDER['name']}")
    expect(box).to_contain_text(B_COMMENT)
    expect(box.get_by_role("link", name="Modifier mon retour")).to_have_count(0)
    screenshot(a, "A-exchange-both-visible")

    # --- Both profiles show the comment about their member, and the counts.
    a.goto(profile_b)
    expect(feedback_entries(a)).to_have_count(1)
    entry = feedback_entries(a).first
    expect(entry).to_contain_text(RECEIVER["name"])
    expect(entry).to_contain_text("recommande")
    expect(entry.locator("blockquote")).to_have_text(A_COMMENT)
    expect(entry).to_contain_text("Mosaïque")
    assert counts(a) == {
        "Recommandent": "1",
        "Neutres": "0",
        "Ne recommandent pas": "0",
        "Échanges confirmés": "1",
    }
    confirmed = a.locator(".confirmed-skills li")
    expect(confirmed).to_have_count(1)
    expect(confirmed.first).to_have_text(re.compile(r"Mosaïque\s+1 membre en témoigne"))
    screenshot(a, "A-sees-profile-B")

    b.goto(profile_a)
    expect(feedback_entries(b)).to_have_count(1)
    entry = feedback_entries(b).first
    expect(entry).to_contain_text(PROVIDER["name"])
    expect(entry).to_contain_text("neutre")
    expect(entry.locator("blockquote")).to_have_text(B_COMMENT)
    assert counts(b) == {
        "Recommandent": "0",
        "Neutres": "1",
        "Ne recommandent pas": "0",
        "Échanges confirmés": "1",
    }
    expect(b.locator(".confirmed-skills")).to_have_count(0)  # A's skills were not at work
    screenshot(b, "B-sees-profile-A")

    # --- B replies publicly on their profile; the reply shows under A's feedback.
    b.goto(profile_b)
    entry = feedback_entries(b).first
    entry.get_by_text("Répondre publiquement").click()
    entry.get_by_label("Votre réponse").fill(B_REPLY)
    screenshot(b, "B-reply-filled")
    entry.get_by_role("button", name="Publier ma réponse").click()
    expect(b.get_by_text("Votre réponse est publiée sous le retour.")).to_be_visible()
    expect(b.get_by_role("main")).to_contain_text(B_REPLY)
    screenshot(b, "B-feedback-about-page-with-reply")
    b.goto(profile_b)
    entry = feedback_entries(b).first
    expect(entry).to_contain_text(f"{PROVIDER['name']} a répondu :")
    expect(entry).to_contain_text(B_REPLY)
    expect(entry.get_by_text("Répondre publiquement")).to_have_count(0)  # once
    screenshot(b, "B-profile-with-reply")
    screenshot(phone(b, profile_b), "phone-B-profile-with-reply")

    # --- The card of B's listing carries the line built from that feedback.
    b.goto(live_server.url + "/annonces")
    card = b.locator("article", has=b.get_by_role("link", name=TITLE))
    expect(card.locator(".reputation-line")).to_have_text(
        re.compile(r"Recommandé·e par 1 membre\s*·\s*1 échange confirmé")
    )
    screenshot(b, "B-listing-cards")
    screenshot(phone(b, live_server.url + "/annonces"), "phone-listing-cards")
    b.goto(live_server.url + "/membres")
    card = b.locator("article", has=b.get_by_role("link", name=RECEIVER["name"]))
    expect(card.locator(".reputation-line")).to_contain_text("1 avis neutre")
    screenshot(b, "B-member-cards")

    # --- C (Lucie), a member of the same space, party to nothing: no way in.
    c = new_page()
    log_in(c, live_server.url, OUTSIDER)
    for path, name in ((exchange_path, "exchange"), (write_path, "write")):
        answer = c.goto(live_server.url + path)
        assert answer is not None and answer.status == 404, (path, answer and answer.status)
        expect(c.get_by_role("heading", level=1, name="Page introuvable")).to_be_visible()
        assert "tesselles" not in c.content() and "Yanis était là" not in c.content()
        screenshot(c, f"C-{name}-not-found")
    for url, who in ((profile_b, "B"), (profile_a, "A")):
        c.goto(url)
        expect(feedback_entries(c)).to_have_count(1)
        assert_no_way_to_write(c)
        expect(c.get_by_text("Répondre publiquement")).to_have_count(0)
        expect(
            feedback_entries(c).first.get_by_role("link", name="Signaler ce retour")
        ).to_be_visible()
        screenshot(c, f"C-sees-profile-{who}")
    screenshot(phone(c, profile_a), "phone-C-profile-A")

    # --- The same profile on a desktop and on a phone in English (wording not asserted).
    c.goto(profile_b + "?lang=en")
    expect(c.locator("html")).to_have_attribute("lang", "en")
    expect(feedback_entries(c)).to_have_count(1)
    assert_no_way_to_write(c)
    screenshot(c, "C-sees-profile-B-en")
    screenshot(phone(c, profile_b + "?lang=en"), "phone-C-profile-B-en")
