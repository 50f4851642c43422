"""Initial schema: audits (findings, observed states) and provisioning runs (their configs).

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of ``lagprov.runs.history.models``."""
    op.create_table(
        "audit_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("taken", sa.DateTime(), nullable=False),
        sa.Column("taken_text", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_audit_runs_taken", "audit_runs", ["taken"])
    op.create_table(
        "provisioning_runs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=False),
        sa.Column("time_text", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("command", sa.String(length=20), nullable=False),
        sa.Column("devices", sa.JSON(), nullable=False),
        sa.Column("trunks", sa.JSON(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("rollback_of", sa.String(length=64), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_provisioning_runs_time", "provisioning_runs", ["time"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("trunk", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.String(length=100), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_findings_audit_id", "findings", ["audit_id"])
    op.create_index("ix_findings_status", "findings", ["status"])
    op.create_index("ix_findings_trunk_rule", "findings", ["trunk", "rule"])
    op.create_table(
        "observed_states",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("audit_id", "device"),
    )
    op.create_table(
        "run_configs",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("trunks", sa.JSON(), nullable=False),
        sa.Column("owned", sa.JSON(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("planned", sa.JSON(), nullable=False),
        sa.Column("sent", sa.JSON(), nullable=False),
        sa.Column("restored_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["provisioning_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "device"),
    )


def downgrade() -> None:
    """Drop every table (children first)."""
    for table in ("run_configs", "observed_states", "findings", "provisioning_runs",
                  "audit_runs"):
        op.drop_table(table)
