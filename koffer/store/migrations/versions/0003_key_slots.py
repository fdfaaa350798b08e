"""Key slots bound to the role, reserved unlock attempts, the security policy
kept in the store, and the recovery slot.

Revision ID: 0003_key_slots
Revises: 0002_outbox
Create Date: 2026-12-02

* ``accounts.pending_attempts``: unlock attempts reserved (counted) before
  Argon2id runs; ``accounts.slot_version``: 1 = store key wrapped with the
  account name only as associated data (before this revision), 2 = bound to
  name and role, payload by role; ``accounts.slot_kind``: which protector
  holds the slot (``passphrase``; a TPM protector may add its own kind);
  ``accounts.record_mac``: HMAC under the store key over name, role and
  creation time, checked before an admin re-seals another account's slot.
* ``store_policy``: Argon2id cost, lock-out and throttling, set at ``init``
  and changed only by an unlocked admin (never by a caller's configuration).
  An existing store gets the software's defaults of this revision.
  ``sealed`` is an authenticated copy under the device key (every role holds
  it), written at ``init``/by an admin and checked at each sign-in.
* ``recovery_slot``: the store key wrapped under the recovery code printed
  once at ``init`` (stores from before this revision have none until an admin
  creates one).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_key_slots"
down_revision: str | None = "0002_outbox"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", recreate="never") as batch:
        batch.add_column(
            sa.Column("pending_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("slot_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(
            sa.Column("slot_kind", sa.String(16), nullable=False, server_default="passphrase")
        )
        batch.add_column(sa.Column("record_mac", sa.LargeBinary(), nullable=True))
    op.create_table(
        "store_policy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("argon2_memory_kib", sa.Integer(), nullable=False),
        sa.Column("argon2_iterations", sa.Integer(), nullable=False),
        sa.Column("argon2_lanes", sa.Integer(), nullable=False),
        sa.Column("max_failed_attempts", sa.Integer(), nullable=False),
        sa.Column("throttle_base_seconds", sa.Float(), nullable=False),
        sa.Column("throttle_max_seconds", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
    )
    op.create_table(
        "recovery_slot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kdf_salt", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_memory_kib", sa.Integer(), nullable=False),
        sa.Column("kdf_iterations", sa.Integer(), nullable=False),
        sa.Column("kdf_lanes", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    # an existing store: the defaults of this revision (written out here, so
    # that the migration does not change when the software's defaults do)
    op.execute(
        "INSERT INTO store_policy (id, argon2_memory_kib, argon2_iterations, argon2_lanes, "
        "max_failed_attempts, throttle_base_seconds, throttle_max_seconds, updated_at) "
        "SELECT 1, 262144, 3, 2, 10, 1.0, 300.0, created_at FROM store_info WHERE id = 1"
    )


def downgrade() -> None:
    op.drop_table("recovery_slot")
    op.drop_table("store_policy")
    with op.batch_alter_table("accounts", recreate="never") as batch:
        batch.drop_column("record_mac")
        batch.drop_column("slot_kind")
        batch.drop_column("slot_version")
        batch.drop_column("pending_attempts")
