"""The cash book and card-payment intents (issue 22).

Revision ID: 0005_cashbook
Revises: 0004_tpm
Create Date: 2026-12-04

* ``cashbook``: append-only entries chained by SHA-256 (``prev_hash``,
  ``hash``); ``sealed`` is encrypted under the store (masked card text,
  a waiver's reason). ORM mapping: ``koffer.payment.models``.
* ``cashbook_head``: the newest entry's seq and hash, encrypted.
* ``card_intents``: one row per card authorization or reversal, written
  before the terminal is asked, settled after.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_cashbook"
down_revision: str | None = "0004_tpm"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "cashbook",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("case_number", sa.String(40), nullable=True),
        sa.Column("fee_id", sa.String(80), nullable=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("trace", sa.Integer(), nullable=True),
        sa.Column("receipt", sa.Integer(), nullable=True),
        sa.Column("terminal_id", sa.String(16), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_cashbook_case_number", "cashbook", ["case_number"])
    op.create_index("ix_cashbook_fee_id", "cashbook", ["fee_id"])
    op.create_table(
        "cashbook_head",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "card_intents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("case_number", sa.String(40), nullable=False),
        sa.Column("fee_id", sa.String(80), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reverses_seq", sa.Integer(), nullable=True),
        sa.Column("prior_trace", sa.Integer(), nullable=True),
        sa.Column("prior_receipt", sa.Integer(), nullable=True),
        sa.Column("result_code", sa.Integer(), nullable=True),
        sa.Column("entry_seq", sa.Integer(), nullable=True),
    )
    op.create_index("ix_card_intents_fee_id", "card_intents", ["fee_id"])
    op.create_index("ix_card_intents_state", "card_intents", ["state"])


def downgrade() -> None:
    op.drop_index("ix_card_intents_state", "card_intents")
    op.drop_index("ix_card_intents_fee_id", "card_intents")
    op.drop_table("card_intents")
    op.drop_table("cashbook_head")
    op.drop_index("ix_cashbook_fee_id", "cashbook")
    op.drop_index("ix_cashbook_case_number", "cashbook")
    op.drop_table("cashbook")
