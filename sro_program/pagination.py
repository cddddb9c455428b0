"""A paginator for lists that reach millions of rows: it counts no further than it can page."""

from __future__ import annotations

import inspect

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.inspect import method_has_no_args

LIST_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows, so the first page of a list over a million records costs what a
    page costs instead of a scan of the whole table. Past the cap, ``capped`` is true: the page says
    "more than" and offers the filters; the last reachable page is the cap's."""

    def __init__(self, *args, cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = LIST_COUNT_CAP if cap is None else cap

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # the count needs no order: any index (or none) will do
        head = rows[: self.cap + 1]  # a LIMIT in the counting subquery
        count = getattr(head, "count", None)
        if callable(count) and not inspect.isbuiltin(count) and method_has_no_args(count):
            return count()
        return len(head)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
