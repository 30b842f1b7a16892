"""Offset paging shared by the notification lists (``limit`` 1-500 and ``offset`` >= 0 are
checked by ``EnforceAccess`` before a resolver runs)."""

from __future__ import annotations

from backend.graphql.types.common import PageInfo, encode_cursor


def page_info(*, offset: int, count: int, total: int) -> PageInfo:
    return PageInfo(
        has_next_page=offset + count < total,
        has_previous_page=offset > 0,
        start_cursor=encode_cursor(offset) if count else None,
        end_cursor=encode_cursor(offset + count - 1) if count else None,
    )
