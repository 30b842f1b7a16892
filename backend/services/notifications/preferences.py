"""How each user wants to be told: per channel, immediately, as a daily digest, or not at all.

The inbox (``in_app``) is immediate unless turned ``off``; e-mail is ``immediate``, ``digest``
(one e-mail a day listing the day's inbox, so it needs the inbox on) or ``off``. A channel
without a stored row is ``immediate``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import NotificationPreference
from backend.services.errors import DomainError, ErrorCode


class Channel(StrEnum):
    IN_APP = "in_app"
    EMAIL = "email"


class Mode(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


MODES: dict[Channel, tuple[Mode, ...]] = {
    Channel.IN_APP: (Mode.IMMEDIATE, Mode.OFF),
    Channel.EMAIL: (Mode.IMMEDIATE, Mode.DIGEST, Mode.OFF),
}


@dataclass(frozen=True)
class Preferences:
    in_app: Mode = Mode.IMMEDIATE
    email: Mode = Mode.IMMEDIATE

    def of(self, channel: Channel) -> Mode:
        return self.in_app if channel is Channel.IN_APP else self.email


async def preferences_of(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, Preferences]:
    """Every given user's preferences (defaults where nothing is stored)."""
    ids = set(user_ids)
    query = select(NotificationPreference).where(col(NotificationPreference.user_id).in_(ids))
    modes: dict[int, dict[str, Mode]] = {i: {} for i in ids}
    for row in (await session.exec(query)).all():
        modes[row.user_id][row.channel] = Mode(row.mode)
    return {
        i: Preferences(
            in_app=chosen.get(Channel.IN_APP, Mode.IMMEDIATE),
            email=chosen.get(Channel.EMAIL, Mode.IMMEDIATE),
        )
        for i, chosen in modes.items()
    }


async def set_preference(
    session: AsyncSession, *, user_id: int, channel: Channel, mode: Mode
) -> Preferences:
    """Store one channel's mode for the user; their preferences after the change."""
    current = (await preferences_of(session, [user_id]))[user_id]
    _check(channel, mode, current)
    query = select(NotificationPreference).where(
        col(NotificationPreference.user_id) == user_id,
        col(NotificationPreference.channel) == channel.value,
    )
    row = (await session.exec(query)).first()
    if row is None:
        row = NotificationPreference(user_id=user_id, channel=channel.value)
    row.mode = mode.value
    session.add(row)
    await session.flush()
    return (await preferences_of(session, [user_id]))[user_id]


def _check(channel: Channel, mode: Mode, current: Preferences) -> None:
    if mode not in MODES[channel]:
        allowed = ", ".join(m.value for m in MODES[channel])
        raise DomainError.single(
            ErrorCode.INVALID, f"{channel.value} is {allowed}, not {mode.value}", "mode"
        )
    inbox_off = (channel is Channel.IN_APP and mode is Mode.OFF) or current.in_app is Mode.OFF
    digest = (channel is Channel.EMAIL and mode is Mode.DIGEST) or current.email is Mode.DIGEST
    if inbox_off and digest:
        raise DomainError.single(
            ErrorCode.INVALID,
            "the e-mail digest lists the day's inbox: keep the inbox on, or choose immediate "
            "or off for e-mail",
            "mode",
        )


async def users_with(session: AsyncSession, *, channel: Channel, mode: Mode) -> list[int]:
    """The ids of users who chose ``mode`` for ``channel`` (a default is never stored)."""
    query = select(NotificationPreference.user_id).where(
        col(NotificationPreference.channel) == channel.value,
        col(NotificationPreference.mode) == mode.value,
    )
    return sorted((await session.exec(query)).all())
