"""The spaces, the skills, the members with their accounts, and who belongs where: the
demo's six spaces, generated members who joined over three years, coordinators named by the
admin, requests to join waiting where a space approves its members, a few suspensions."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import cast

from sqlalchemy import select

from exchange import demo
from exchange.config import DEMO_DOMAIN
from exchange.demo_scale import bulk, memberships, names
from exchange.demo_scale.lexicon import TRADES
from exchange.demo_scale.world import HISTORY_DAYS, Member, World
from exchange.services.community import members as member_rules
from exchange.text import slugify
from models import Account, Category, Membership, Skill, Space, User, db, user_skills

# The benchmark's members: role -> (email, home space key).
BENCHMARK = {
    "statement": (f"bench.releve@{DEMO_DOMAIN}", "rhone"),
    "profile": (f"bench.retours@{DEMO_DOMAIN}", "quai"),
    "desk": (f"bench.moderation@{DEMO_DOMAIN}", "coopsud"),
}
SPACE_WEIGHTS = {"rhone": 25, "ecluse": 20, "filature": 18, "coopsud": 15, "ferme": 7, "quai": 15}


def add(w: World, phases: bulk.Phases) -> None:
    rng = w.dice()
    _reference(w)
    with phases.phase("members", w.scale.members) as bar:
        _spaces(w, rng)
        _skills(w)
        _people(w, rng)
        _memberships(w, rng)
        bulk.insert_together(_member_rows(w, rng), bar, User.__table__)


def _reference(w: World) -> None:
    for category in db.session.scalars(select(Category)):
        w.categories[category.slug] = {
            "id": category.id,
            "name_fr": category.name_fr,
            "name_en": category.name_en,
        }
    w.pot_account = db.session.scalars(select(Account.id).where(Account.kind == "pot")).one()
    w.balances[w.pot_account] = 0


def _spaces(w: World, rng) -> None:
    admin_id = w.ids.take(User.__table__)
    w.admin = Member(
        admin_id,
        w.ids.take(Account.__table__),
        "Camille",
        demo.ADMIN_NAME,
        demo.ADMIN_EMAIL,
        w.start - timedelta(days=20),
        "formation",
        2.0,
    )
    rows = []
    for i, (key, name, city, policy, description) in enumerate(demo.SPACES):
        rows.append(
            {
                "id": w.ids.take(Space.__table__),
                "name": name,
                "city": city,
                "description": description,
                "join_policy": policy,
                "premoderation": key in demo.PREMODERATED,
                "created_at": w.start - timedelta(days=15 - 2 * i, hours=rng.randint(1, 8)),
                "created_by_id": admin_id,
            }
        )
        w.spaces[key] = rows[-1]
    w.counts["spaces"] = len(rows)


def _skills(w: World) -> None:
    wanted = {slugify(n): n for trade in TRADES.values() for n in trade.skills}
    wanted.update({slugify(n): n for n in demo.ADMIN_SKILLS})
    for name in wanted.values():
        skill_id = w.ids.take(Skill.__table__)
        w.skills[name] = skill_id
        w.skill_names[skill_id] = name


def _people(w: World, rng) -> None:
    """The members, the earliest first: the benchmark's three, then everyone else."""
    total = w.scale.members - 1  # the admin is one of them
    used: dict[str, int] = {}
    trades = list(TRADES)
    for n in range(total):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        role = list(BENCHMARK)[n] if n < len(BENCHMARK) else None
        if role:
            email = BENCHMARK[role][0]
            created = w.start + timedelta(days=5 + n, hours=rng.randint(0, 20))
        else:
            base = f"{slugify(first)}.{slugify(last)}"
            used[base] = used.get(base, 0) + 1
            email = f"{base}{used[base] if used[base] > 1 else ''}@{DEMO_DOMAIN}"
            # More join as the network grows: three quarters joined in the last two years.
            days = HISTORY_DAYS * rng.random() ** 0.6
            created = w.start + timedelta(days=10 + days, minutes=rng.randint(0, 1439))
        weight = min(40.0, rng.paretovariate(1.6))
        member = Member(0, 0, first, f"{first} {last}", email, created, rng.choice(trades), weight)
        if role:
            w.named[role] = member
        w.members.append(member)
    w.members.sort(key=lambda m: m.created)  # ids in the order members signed up
    for m in w.members:
        m.id, m.account_id = w.ids.take(User.__table__), w.ids.take(Account.__table__)
    w.named["admin"] = w.admin


def _memberships(w: World, rng) -> None:
    keys = list(w.spaces)
    weights = [SPACE_WEIGHTS.get(k, 10) for k in keys]
    home_of = {
        m.id: key for role, m in w.named.items() if (key := BENCHMARK.get(role, ("", ""))[1])
    }
    admin_space = w.spaces["rhone"]
    w.admin.home = admin_space["id"]
    w.admin.spaces[admin_space["id"]] = admin_space["created_at"] + timedelta(hours=1)
    for m in w.members:
        home = home_of.get(m.id) or rng.choices(keys, weights)[0]
        m.home = w.spaces[home]["id"]
        m.spaces[m.home] = max(m.created, w.spaces[home]["created_at"]) + timedelta(
            hours=rng.randint(1, 48)
        )
        extra = rng.choices((0, 1, 2), (65, 25, 10))[0]
        for key in rng.sample([k for k in keys if k != home], extra):
            later = (w.now - m.created) * rng.random() * 0.8
            m.spaces[w.spaces[key]["id"]] = m.created + later + timedelta(hours=2)
        m.skills = _member_skills(w, rng, m)
        w.homes[m.id] = m.home
    w.homes[w.admin.id] = w.admin.home
    _coordinators(w, rng)
    _suspensions(w, rng)


def _member_skills(w: World, rng, m: Member) -> list[int]:
    trade = TRADES[m.trade]
    chosen = rng.sample(trade.skills, min(len(trade.skills), rng.randint(2, 4)))
    if rng.random() < 0.3:
        chosen.append(rng.choice(TRADES[rng.choice(list(TRADES))].skills))
    return sorted({w.skills[n] for n in chosen})


def _coordinators(w: World, rng) -> None:
    """The earliest members of each space coordinate it, named by the admin."""
    low, high = w.scale.coordinators
    desk = w.named["desk"]
    for row in w.spaces.values():
        local = sorted((m for m in w.members if m.home == row["id"]), key=lambda m: m.since())
        local += sorted(
            (m for m in w.members if row["id"] in m.spaces and m not in local),
            key=lambda m: m.spaces[row["id"]],
        )
        if not local:  # a small network: someone joins it to look after it
            local = [w.members[-1]]
            local[0].spaces[row["id"]] = max(local[0].created, row["created_at"]) + timedelta(
                hours=1
            )
        chosen = local[: rng.randint(low, high)]
        if row["id"] == desk.home and desk not in chosen:
            chosen = [desk, *chosen[:-1]]
        for m in chosen:
            m.coordinates.add(row["id"])
            w.coordinating[m.id] = min(m.spaces[row["id"]], w.coordinating.get(m.id, w.now))
        w.stewards[row["id"]] = [m.id for m in chosen]


def _suspensions(w: World, rng) -> None:
    named = {m.id for m in w.named.values()}
    pool = [m for m in w.members if not m.coordinates and m.id not in named]
    for m in rng.sample(pool, w.scale.part(15)):
        m.suspended_at = w.now - timedelta(days=rng.uniform(2, 120))
        if m.suspended_at <= m.since():
            m.suspended_at = None
            continue
        steward = memberships.steward(w, m.home, m.suspended_at, m.id)
        w.act(
            m.suspended_at,
            steward,
            "member_suspended",
            reason=SUSPENSION,
            space_id=m.home,
            subject_user_id=m.id,
            target_type="member",
            target_id=m.id,
            details={"name": m.name, "reports": []},
        )


SUSPENSION = (
    "Messages insistants à plusieurs membres malgré deux rappels : compte suspendu le temps "
    "d'en parler ensemble."
)


def _member_rows(w: World, rng):
    """The members and their accounts, then the spaces (the admin created them), then who
    belongs where (approved by coordinators who may have signed up after them)."""
    everyone = [w.admin, *w.members]
    for chunk in bulk.batches(everyone, 2000):
        yield {
            User.__table__: [_user_row(w, rng, m) for m in chunk],
            Account.__table__: [
                {
                    "id": m.account_id,
                    "kind": "member",
                    "user_id": m.id,
                    "balance": 0,
                    "created_at": m.created,
                }
                for m in chunk
            ],
        }
    yield {
        Space.__table__: list(w.spaces.values()),
        Skill.__table__: [{"id": i, "name": n, "slug": slugify(n)} for n, i in w.skills.items()],
    }
    for chunk in bulk.batches(everyone, 2000):
        yield {
            Membership.__table__: [row for m in chunk for row in memberships.rows_of(w, rng, m)],
            user_skills: [{"user_id": m.id, "skill_id": s} for m in chunk for s in m.skills],
        }
    yield {Membership.__table__: memberships.requests(w, rng)}
    for m in [w.admin, *w.members]:
        w.balances[m.account_id] = 0
    w.counts["members"] = len(w.members) + 1


def _user_row(w: World, rng, m: Member) -> dict:
    trade = TRADES[m.trade]
    city = rng.choice(names.CITIES) if rng.random() < 0.4 else _space_city(w, m.home)
    skill_names = [w.skill_names[s] for s in m.skills]
    profile = SimpleNamespace(
        display_name=m.name, city=city, skills=[SimpleNamespace(name=n) for n in skill_names]
    )
    # The directory's search key, by its own rule (which reads a member's name, city, skills).
    member_rules.refresh_search_text(cast(User, profile))
    return {
        "id": m.id,
        "email": m.email,
        "display_name": m.name,
        "password_hash": w.password_hash,
        "email_confirmed_at": m.created + timedelta(minutes=rng.randint(2, 90)),
        "created_at": m.created,
        "is_admin": m is w.admin,
        "locale": "en" if rng.random() < 0.08 else "fr",
        "suspended_at": m.suspended_at,
        "suspension_reason": SUSPENSION if m.suspended_at else "",
        "bio": w.writer.bio(trade, city, skill_names or ["facilitation"]),
        "city": city,
        "languages": w.writer.languages(),
        "contact": w.writer.contact(),
        "search_text": profile.search_text,
    }


def _space_city(w: World, space_id: int) -> str:
    return next(row["city"] for row in w.spaces.values() if row["id"] == space_id)
