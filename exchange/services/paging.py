"""One page of a long list: its items, how many there are in all, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import db


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class Window:
    """Which page of a query to read: the page, and a count when there is more than one page
    (three statements at most), whatever the number of rows."""

    page: int = 1
    per_page: int = 20

    def read(self, query) -> Page:
        page = max(1, self.page)
        items = self._items(query, page, extra=1)
        if page == 1 and len(items) <= self.per_page:
            return Page(items, len(items), 1, self.per_page)  # all of it: nothing to count
        items = items[: self.per_page]
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        last = max(1, -(-(total or 0) // self.per_page))
        if page > last:  # past the end (an old link): the last page
            page, items = last, self._items(query, last)
        return Page(items, total or 0, page, self.per_page)

    def read_counted(self, query) -> Page:
        """As `read`, with the total counted in the same statement (`count(*) over ()`): one
        statement at any size, where `read` counts only once there is more than a page."""
        page = max(1, self.page)
        rows = self._rows(query, page)
        if not rows and page > 1:  # past the end (an old link): the last page
            total = db.session.scalar(
                select(func.count()).select_from(query.order_by(None).subquery())
            )
            page = max(1, -(-(total or 0) // self.per_page))
            rows = self._rows(query, page)
        total = rows[0][1] if rows else 0
        return Page([row[0] for row in rows], total, page, self.per_page)

    def _rows(self, query, page: int) -> list:
        counted = query.add_columns(func.count().over())
        offset = (page - 1) * self.per_page
        return list(db.session.execute(counted.offset(offset).limit(self.per_page)))

    def _items(self, query, page: int, extra: int = 0) -> list:
        offset = (page - 1) * self.per_page
        return list(db.session.scalars(query.offset(offset).limit(self.per_page + extra)))


def listed(query, window: Window | None):
    """Every row of the query, or one page of it when a window is given."""
    return window.read(query) if window is not None else list(db.session.scalars(query))
