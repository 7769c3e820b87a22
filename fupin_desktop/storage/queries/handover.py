"""Queries of the handover (交接): the local mark row and the users that travel with the handover package."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import SettingValue, User


def setting_row(session: Session, key: str) -> SettingValue | None:
    """The setting row of ``key``, deleted or not (the key is unique)."""
    return session.execute(select(SettingValue).where(SettingValue.key == key)).scalar()


def live_setting_value(session: Session, key: str) -> str | None:
    return session.execute(select(SettingValue.value).where(SettingValue.key == key,
                                                            SettingValue.deleted_at.is_(None))).scalar()


def live_users(session: Session) -> list[User]:
    return list(session.execute(select(User).where(User.deleted_at.is_(None)).order_by(User.username)).scalars())


def usernames(session: Session) -> set[str]:
    return set(session.execute(select(User.username)).scalars())
