"""Builders for test data (CTFd's gen_* style): real rows, committed, with sane defaults."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from exchange.services.community import passwords
from exchange.services.community.members import refresh_search_text, skills_by_name
from models import Listing, Membership, Space, User, db
from models.base import utcnow

PASSWORD = "lanterne-violette-42"
_seq = itertools.count(1)
_hashes: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _hashes:
        _hashes[password] = passwords.hash_password(password)
    return _hashes[password]


def member(
    display_name: str | None = None,
    email: str | None = None,
    *,
    password: str = PASSWORD,
    confirmed: bool = True,
    admin: bool = False,
    city: str = "",
    skills: tuple[str, ...] = (),
    bio: str = "",
    contact: str = "",
    locale: str = "fr",
) -> User:
    n = next(_seq)
    user = User(
        display_name=display_name or f"Membre {n}",
        email=(email or f"membre{n}@example.org").lower(),
        password_hash=_hash(password),
        email_confirmed_at=utcnow() if confirmed else None,
        is_admin=admin,
        city=city,
        bio=bio,
        contact=contact,
        locale=locale,
    )
    db.session.add(user)
    user.skills = skills_by_name(list(skills))
    refresh_search_text(user)
    db.session.commit()
    return user


def space(name: str | None = None, *, city: str = "Lyon", join_policy: str = "open", **kw) -> Space:
    n = next(_seq)
    s = Space(name=name or f"Lieu {n}", city=city, join_policy=join_policy, **kw)
    db.session.add(s)
    db.session.commit()
    return s


def join(user: User, space: Space, *, role: str = "member", status: str = "active") -> Membership:
    m = Membership(user_id=user.id, space_id=space.id, role=role, status=status)
    db.session.add(m)
    db.session.commit()
    return m


def coordinator(space: Space, **kw) -> User:
    user = member(**kw)
    join(user, space, role="coordinator")
    return user


@dataclass
class ThreeSpaces:
    """The network most access rules are tried in: three spaces in three cities, each with its
    coordinator, and the network's admin. The Quai's coordinator is a stranger to whoever a
    test puts in the other two: the one who must be refused."""

    ruche: Space  # Lyon
    phare: Space  # Brest
    quai: Space  # Nantes
    coord_ruche: User  # Aurèle Ruche
    coord_phare: User  # Bérénice Phare
    coord_quai: User  # Côme Quai
    admin: User  # Adam Réseau

    def __iter__(self):
        """In the order above: a test's world built as `World(*three_spaces(), alice, …)`."""
        spaces = (self.ruche, self.phare, self.quai)
        return iter((*spaces, self.coord_ruche, self.coord_phare, self.coord_quai, self.admin))


def three_spaces() -> ThreeSpaces:
    ruche = space("La Ruche", city="Lyon")
    phare = space("Le Phare", city="Brest")
    quai = space("Le Quai", city="Nantes")
    return ThreeSpaces(
        ruche,
        phare,
        quai,
        coordinator(ruche, display_name="Aurèle Ruche"),
        coordinator(phare, display_name="Bérénice Phare"),
        coordinator(quai, display_name="Côme Quai"),
        member("Adam Réseau", admin=True),
    )


def listing(
    author: User,
    space: Space,
    title: str = "Un coup de main",
    *,
    kind: str = "offer",
    summary: str = "Trois lignes au plus.",
    details: str = "",
    tags: str = "",
    mode: str = "both",
    category_slug: str | None = None,
    **extra,
):
    """A published listing, through the service (so it is indexed like a real one)."""
    from datetime import date

    from sqlalchemy import select

    from exchange.services.listings import publishing
    from models import Category, Membership

    if not db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == author.id,
            Membership.space_id == space.id,
            Membership.status == "active",
        )
    ):
        join(author, space)
    category_id = (
        db.session.scalar(select(Category.id).where(Category.slug == category_slug))
        if category_slug
        else None
    )
    expires_on: date | None = extra.pop("expires_on", None)
    item = publishing.create(
        author.id,
        publishing.ListingInput(
            kind=kind,
            title=title,
            summary=summary,
            space_id=space.id,
            details=details,
            tags=tags,
            mode=mode,
            category_id=category_id,
            expires_on=expires_on,
            **extra,
        ),
    )
    return item


def offer_and_neighbour() -> tuple[Space, User, User, Listing]:
    """Lucie offers to repair a bike in La Ruche; Marc, of the same space, is interested."""
    ruche = space("La Ruche")
    lucie = member("Lucie Offre", "lucie@example.org")
    marc = member("Marc Question", "marc@example.org")
    join(lucie, ruche)
    join(marc, ruche)
    return ruche, lucie, marc, listing(lucie, ruche, "Réparer un vélo")
