"""The sentences of a pad's details, one function each, in the tenses members write in:
`texts.Writer` picks one and fills it (`w` the writer, `trade` the lexicon, `v` a regular
verb)."""

from __future__ import annotations

from exchange.demo_scale import inflect as fr
from exchange.demo_scale import names


def since(w, trade, v):
    return (
        f"{fr.elide('je', fr.present(v, '1s'))} {w.obj(trade)} depuis "
        f"{w.rng.randint(2, 25)} ans, surtout pour {w.pick(names.AUDIENCES)}."
    )


def showing(w, trade, v):
    return (
        f"en {fr.gerund(v)} {w.obj(trade)} avec vous, je vous montre comment "
        f"{w.action(trade)} seul·e ensuite."
    )


def last_time(w, trade, v):
    return (
        f"la dernière fois, nous avons {fr.participle(v)} {w.obj(trade, True)} pour "
        f"{w.pick(names.ORGANISATIONS)} de {w.pick(names.CITIES)}, avec "
        f"{w.person()} {w.pick(names.LAST_NAMES)}."
    )


def together(w, trade, v):
    return f"nous {fr.present(v, '1p')} {w.obj(trade)} {w.pick(names.PLACES)}, le {w.when()}."


def next_time(w, trade, v):
    return (
        f"vous {fr.future(v, '2p')} {w.obj(trade)} sans stress, et la prochaine fois nous "
        f"{fr.future(w.verb(trade, True), '1p')} {w.obj(trade)} à {w.pick(names.CITIES)}."
    )


def before_now(w, trade, v):
    return (
        f"avant, {fr.elide('je', fr.imperfect(v, '1s'))} {w.obj(trade)} à la main ; "
        f"aujourd'hui {w.pick(names.TOOLS)} fait la moitié du travail."
    )


def done(w, trade, v):
    item = w.pick(trade.objects)
    feminine = item[0] in ("une", "la")
    return (
        f"{fr.singular_object(item)} est {fr.participle(v, feminine)} en une séance, parfois deux."
    )


def would(w, trade, v):
    return (
        f"{fr.elide('je', fr.conditional(v, '1s'))} volontiers {w.obj(trade)} moi-même, "
        "mais le temps me manque."
    )


def advice(w, trade, v):
    return (
        f"{w.person()} m'a conseillé de {v} {w.obj(trade)} : tu {fr.present(v, '2s')} "
        f"toujours {w.obj(trade)} trop tard, m'a-t-{'elle' if w.rng.random() < 0.5 else 'il'} dit."
    )


def each(w, trade, v):
    return (
        f"on {fr.present(v, '3s')} {w.obj(trade)} ensemble, puis chacun·e "
        f"{fr.future(w.verb(trade, True), '3s')} {w.obj(trade)} à son rythme."
    )


def volunteers(w, trade, v):
    return (
        f"les bénévoles {fr.present(v, '3p')} {w.obj(trade, True)} tous les "
        f"{w.pick(names.DAYS)}s ; à {w.pick(names.CITIES)}, ils {fr.imperfect(v, '3p')} "
        f"déjà {w.obj(trade, True)} en {w.rng.randint(2012, 2024)}."
    )


def tools(w, trade, v):
    return (
        f"{w.pick(names.TOOLS)} ou {w.pick(names.TOOLS)}, peu importe : tu "
        f"{fr.future(v, '2s')} {w.obj(trade)} avec tes outils."
    )


def trade_role(w, trade, v):
    return (
        f"{w.pick(trade.roles)} de métier, {fr.elide('je', fr.present(v, '1s'))} "
        f"{w.obj(trade)} pour {w.pick(names.AUDIENCES)} depuis {w.rng.randint(2005, 2024)}."
    )


ALL = (
    since,
    showing,
    last_time,
    together,
    next_time,
    before_now,
    done,
    would,
    advice,
    each,
    volunteers,
    tools,
    trade_role,
)
