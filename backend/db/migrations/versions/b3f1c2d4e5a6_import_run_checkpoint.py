"""import run checkpoint: what a batched commit has written so far

Revision ID: b3f1c2d4e5a6
Revises: 91c9c3283d64
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3f1c2d4e5a6"
down_revision: str | None = "91c9c3283d64"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_run") as batch_op:
        batch_op.add_column(sa.Column("checkpoint", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_run") as batch_op:
        batch_op.drop_column("checkpoint")
