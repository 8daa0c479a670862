"""Users, the unit tree and meeting rooms."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.db import TimestampMixin, UTCDateTime
from meetings.extensions import db

ROLES = ("admin", "secretary", "leader", "member")


class Unit(TimestampMixin, db.Model):
    """A unit (đơn vị) of the ministry; the roots of the tree are the organisation itself."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_units_parent_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(50))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Địa danh: where the unit has its seat, printed before the date of the documents it issues
    # ("Hà Nội, ngày ..."). Usually set on the root only; sub-units inherit it (place_of()).
    place: Mapped[str | None] = mapped_column(String(100))

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.position, Unit.name")

    def path(self) -> list["Unit"]:
        """This unit and its ancestors, root first."""
        chain, unit = [], self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return list(reversed(chain))


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str | None] = mapped_column(String(200))  # chức vụ, e.g. "Thứ trưởng"
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    rank: Mapped[int] = mapped_column(Integer, default=100)  # leaders are listed by rank, then name
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Part of the login cookie: changing it signs the user out on every device.
    session_token: Mapped[str] = mapped_column(String(64))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locale: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str | None] = mapped_column(String(64))
    # The offline briefcase keeps the meetings starting within this many days on the user's devices.
    offline_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")

    unit: Mapped[Unit | None] = relationship()

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.name}" if self.title else self.name


class Room(TimestampMixin, db.Model):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(200))  # floor, building
    online_url: Mapped[str | None] = mapped_column(String(500))  # default online-meeting link
    active: Mapped[bool] = mapped_column(Boolean, default=True)
