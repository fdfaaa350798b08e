"""Outbox and device identity tables.

Revision ID: 0002_outbox
Revises: 0001_initial
Create Date: 2026-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_outbox"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("envelope_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("case_number", sa.String(40), nullable=False),
        sa.Column("case_type", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.String(32), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_en", sa.Text(), nullable=True),
        sa.Column("reject_code", sa.String(40), nullable=True),
        sa.Column("envelope", sa.LargeBinary(), nullable=True),
        sa.Column("envelope_size", sa.Integer(), nullable=False),
        sa.Column("envelope_hash", sa.String(64), nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("receipt", sa.Text(), nullable=True),
        sa.Column("acknowledged_at", sa.String(32), nullable=True),
        sa.Column("purged_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_outbox_case_id", "outbox", ["case_id"])
    op.create_index("ix_outbox_state", "outbox", ["state"])
    op.create_index("ix_outbox_next_attempt_at", "outbox", ["next_attempt_at"])
    op.create_table(
        "device_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("device_secrets")
    op.drop_index("ix_outbox_next_attempt_at", "outbox")
    op.drop_index("ix_outbox_state", "outbox")
    op.drop_index("ix_outbox_case_id", "outbox")
    op.drop_table("outbox")
