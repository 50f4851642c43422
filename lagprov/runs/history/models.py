"""The history tables (SQLAlchemy 2 declarative).  The Alembic migrations under
``migrations/versions`` create exactly this schema (``tests/history/test_migrations.py``).

Times are naive UTC (``timestamp without time zone``): SQLite has no time zones, and the same
value then compares the same way on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of the history schema."""


class AuditRun(Base):
    """One audit (a verification run kept in the history)."""

    __tablename__ = "audit_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # 20240501T080000Z[-n]
    taken: Mapped[datetime] = mapped_column(DateTime(timezone=False), index=True)
    taken_text: Mapped[str] = mapped_column(String(40))  # AuditRecord.taken as recorded
    version: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)  # the RunReport as JSON
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", passive_deletes=True)
    states: Mapped[list[ObservedState]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", passive_deletes=True)


class FindingRow(Base):
    """One finding of an audit (also inside ``AuditRun.report``; a row here to be queried)."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_trunk_rule", "trunk", "rule"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit_runs.id", ondelete="CASCADE"), index=True)
    trunk: Mapped[str] = mapped_column(String(200))
    rule: Mapped[str] = mapped_column(String(100))
    device: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)
    severity: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    audit: Mapped[AuditRun] = relationship(back_populates="findings")


class ObservedState(Base):
    """What one device reported in one audit (a normalised DeviceLagState / HostTeamState)."""

    __tablename__ = "observed_states"

    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit_runs.id", ondelete="CASCADE"), primary_key=True)
    device: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # switch | host
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    audit: Mapped[AuditRun] = relationship(back_populates="states")


class ProvisioningRun(Base):
    """One committed run (apply / rollback), as :class:`lagprov.runs.store.RunRecord`."""

    __tablename__ = "provisioning_runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    time: Mapped[datetime] = mapped_column(DateTime(timezone=False), index=True)
    time_text: Mapped[str] = mapped_column(String(40))  # RunRecord.time as recorded
    version: Mapped[int] = mapped_column(Integer)
    command: Mapped[str] = mapped_column(String(20))
    devices: Mapped[list[str]] = mapped_column(JSON)
    trunks: Mapped[list[str]] = mapped_column(JSON)
    result: Mapped[str] = mapped_column(String(20))
    rollback_of: Mapped[str | None] = mapped_column(String(64))
    by: Mapped[str | None] = mapped_column(String(200))  # the service token's name
    configs: Mapped[list[RunConfig]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True,
        order_by="RunConfig.device")


class RunConfig(Base):
    """One device a provisioning run changed: its configuration before and after."""

    __tablename__ = "run_configs"

    run_id: Mapped[str] = mapped_column(
        ForeignKey("provisioning_runs.id", ondelete="CASCADE"), primary_key=True)
    device: Mapped[str] = mapped_column(String(200), primary_key=True)
    platform: Mapped[str] = mapped_column(String(40))
    trunks: Mapped[list[str]] = mapped_column(JSON)
    owned: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    finished: Mapped[bool] = mapped_column(Boolean)
    planned: Mapped[list[str]] = mapped_column(JSON)
    sent: Mapped[list[str]] = mapped_column(JSON)
    restored_by: Mapped[str | None] = mapped_column(String(64))
    run: Mapped[ProvisioningRun] = relationship(back_populates="configs")


class AuditJob(Base):
    """One audit the service ran, queued or skipped (``lagprov.runs.history.jobs``)."""

    __tablename__ = "audit_jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    trigger: Mapped[str] = mapped_column(String(20))  # schedule | request
    state: Mapped[str] = mapped_column(String(20), index=True)  # queued ... done | skipped
    requested: Mapped[datetime] = mapped_column(DateTime(timezone=False), index=True)
    started: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    by: Mapped[str | None] = mapped_column(String(200))  # the token's name (POST /audits)
    devices_done: Mapped[int] = mapped_column(Integer)
    devices_total: Mapped[int | None] = mapped_column(Integer)
    audit: Mapped[str | None] = mapped_column(String(64))  # AuditRun.name, once stored
    reason: Mapped[str | None] = mapped_column(Text)  # why skipped / failed
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    notifications: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    failed_deliveries: Mapped[int] = mapped_column(Integer)  # of ``notifications``
