"""Audit jobs: the audits the service runs on its schedule or on request, and those skipped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``audit_jobs`` (``lagprov.runs.history.models.AuditJob``)."""
    op.create_table(
        "audit_jobs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("requested", sa.DateTime(), nullable=False),
        sa.Column("started", sa.DateTime(), nullable=True),
        sa.Column("finished", sa.DateTime(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=True),
        sa.Column("devices_done", sa.Integer(), nullable=False),
        sa.Column("devices_total", sa.Integer(), nullable=True),
        sa.Column("audit", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("notifications", sa.JSON(), nullable=False),
        sa.Column("failed_deliveries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_jobs_state", "audit_jobs", ["state"])
    op.create_index("ix_audit_jobs_requested", "audit_jobs", ["requested"])


def downgrade() -> None:
    """Drop ``audit_jobs``."""
    op.drop_index("ix_audit_jobs_requested", table_name="audit_jobs")
    op.drop_index("ix_audit_jobs_state", table_name="audit_jobs")
    op.drop_table("audit_jobs")
