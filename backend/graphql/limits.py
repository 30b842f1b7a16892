"""Limits on what one request may ask for, so no client can make the server work unboundedly."""

from __future__ import annotations

from typing import Any

from graphql import DirectiveNode, GraphQLError, ValidationContext, ValidationRule

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5000
MAX_DIRECTIVES = 20
MAX_BATCH = 10
MAX_SUBSCRIPTIONS_PER_SOCKET = 10
MAX_JSON_BODY_BYTES = 1 << 20  # 1 MiB
MAX_UPLOAD_BODY_BYTES = 50 << 20  # 50 MiB for multipart uploads (imports)
# Paging, the same for every field: a page-size argument asks for 1 to MAX_PAGE_SIZE items,
# an offset is 0 or more; anything else is refused (INVALID, naming the argument), not clamped.
MAX_PAGE_SIZE = 500
PAGE_SIZE_ARGUMENTS = ("first", "last", "limit")
OFFSET_ARGUMENTS = ("offset",)
# Query cost (backend/graphql/cost.py): points per HTTP request, and heavy fields at once.
MAX_COST = 10_000
MAX_HEAVY_PER_CALLER = 2
HEAVY_SLOT_WAIT_SECONDS = 10.0  # a heavy field waits this long for a slot before TOO_MANY_ATTEMPTS


class MaxDirectivesRule(ValidationRule):
    """Refuses documents with more directive uses than ``MAX_DIRECTIVES`` (fragments included)."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.count = 0

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        self.count += 1
        if self.count == MAX_DIRECTIVES + 1:
            self.report_error(
                GraphQLError(
                    f"'{node.name.value}' exceeds the limit of {MAX_DIRECTIVES} "
                    "directives per document",
                    node,
                )
            )
