"""TPM protection: the TPM a store is bound to, and each slot's sealed blob.

Revision ID: 0004_tpm
Revises: 0003_key_slots
Create Date: 2026-12-02

* ``store_tpm`` (at most one row): the TCTI of the TPM the store was
  created with, the persistent handle of its store parent, and the TPM's
  lockout auth encrypted under the store key (NULL when another program
  owns the TPM's lockout hierarchy).
* ``accounts.tpm_blob``: the slot secret sealed in the TPM (slot kind
  ``tpm``); NULL for passphrase-only slots.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_tpm"
down_revision: str | None = "0003_key_slots"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "store_tpm",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tcti", sa.String(256), nullable=False),
        sa.Column("parent_handle", sa.Integer(), nullable=False),
        sa.Column("wrapped_lockout_auth", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    with op.batch_alter_table("accounts", recreate="never") as batch:
        batch.add_column(sa.Column("tpm_blob", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts", recreate="never") as batch:
        batch.drop_column("tpm_blob")
    op.drop_table("store_tpm")
