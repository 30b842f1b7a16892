"""Query cost: a static price per operation, a budget per request, few heavy fields at once.

**Price.** Computed from the document before anything runs: every selection of a field counts
(aliases and fragment spreads each time they appear), a field of object or list type costs 1, a
scalar 0, and the fields in ``FIELD_COSTS`` (solves, Monte Carlo, whole-scope exports) their own
price. A field with a page size (``first``, ``last``, ``limit``) multiplies what is selected under
it by that size (the literal, the variable or the default; at most the page cap). A list
without paging counts once: it is bounded by the caller's scope, not by the document.

**Budget.** ``MAX_COST`` per HTTP request: the operations of a batch draw on one budget in the
order they start, so an operation over what is left is refused (``COST_LIMIT``, stating its
cost, what was spent and the budget) before it executes, while the earlier ones run.

**Heavy fields.** At most ``MAX_HEAVY_PER_CALLER`` of ``HEAVY`` run at once per user (API
tokens count for their owner), across requests, in this process; one more waits up to
``HEAVY_SLOT_WAIT_SECONDS`` for a slot (a page loading an assessment while a what-if runs is
served), then is refused with ``TOO_MANY_ATTEMPTS`` (a typed payload error for a mutation).

**Disconnection.** Before a heavy field starts, the HTTP request is checked: once the client has
gone, no further heavy field starts (``CANCELLED``). Work already started is not interrupted: a
solve runs in a worker thread that cannot be stopped, and its slot is held until it ends, so
the bound on concurrent heavy work holds even for abandoned requests.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
    value_from_ast,
    value_from_ast_untyped,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from starlette.requests import Request
from strawberry.extensions import SchemaExtension

from backend.graphql import limits
from backend.graphql.limits import (
    MAX_COST,
    MAX_HEAVY_PER_CALLER,
    MAX_PAGE_SIZE,
    PAGE_SIZE_ARGUMENTS,
)
from backend.graphql.security import refusal_payload
from backend.services.access import Principal
from backend.services.errors import ErrorCode

# What one selection of a field costs, beyond the 1 of any object field. Roughly a point per
# millisecond of a 300-rep company: a whatIf solves the plan (~3 s), a rank assessment runs its
# Monte Carlo (~2.7 s), generation forecasts and solves, an export writes the whole scope.
FIELD_COSTS: dict[str, int] = {
    "Mutation.generatePlan": 5000,
    "Mutation.clonePlan": 5000,  # generates the clone when its settings differ
    "Query.whatIf": 4000,
    "Query.rankAssessment": 4000,
    "Query.exportFile": 3000,
    "Mutation.dryRunImport": 1000,
    "Mutation.commitImport": 1000,
    "Mutation.resumeImport": 1000,  # the rest of a commit
    "Mutation.discardImport": 500,  # recomputes the monthly actuals of what was written
    "Mutation.uploadImport": 1000,
    "Query.comparePlans": 500,
    "Query.targetsGrid": 500,
    "Mutation.overrideTarget": 500,  # rebalances a team with a solve
    "Mutation.signIn": 300,  # an argon2 check
    "Query.planPeers": 50,
    "Query.achievementProbability": 10,  # one stored distribution: called while typing
    # Tracking: a dashboard reads a kept snapshot (~15 ms at 10,000 reps), but the first read
    # of a plan loads its targets and distributions; recordActuals writes up to 500 rows.
    "Query.trackingDashboard": 200,
    "Query.repProgress": 100,  # a snapshot per additive metric
    "Mutation.recordActuals": 200,
}

# Root fields that hold a slot while they run (CPU-heavy: solves, simulations, whole exports).
HEAVY = frozenset({"whatIf", "rankAssessment", "generatePlan", "clonePlan", "exportFile"})


class CostLimitError(GraphQLError):
    """Shown to the caller as is (never masked)."""


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The static price of one operation of a validated document."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    values = dict(variables or {})
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if values.get(name) is None and definition.default_value is not None:
            values[name] = value_from_ast_untyped(definition.default_value)
    return _Pricer(schema, fragments, values).selection_set(operation.selection_set, root)


class _Pricer:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.fragment_costs: dict[str, int] = {}
        self.pricing: set[str] = set()  # fragments being priced (validation forbids cycles)

    def selection_set(self, selections: SelectionSetNode, parent: GraphQLNamedType) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, on or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> int:
        if name not in self.fragment_costs:
            fragment = self.fragments.get(name)
            if fragment is None or name in self.pricing:
                return 0
            on = self.schema.get_type(fragment.type_condition.name.value)
            if on is None:
                return 0
            self.pricing.add(name)
            self.fragment_costs[name] = self.selection_set(fragment.selection_set, on)
            self.pricing.discard(name)
        return self.fragment_costs[name]

    def field(self, node: FieldNode, parent: GraphQLNamedType) -> int:
        definition = _field_definition(self.schema, parent, node.name.value)
        if definition is None:  # __typename, or a name validation would have refused
            return 0
        named = get_named_type(definition.type)
        own = FIELD_COSTS.get(f"{parent.name}.{node.name.value}")
        if own is None:
            own = 1 if is_composite_type(named) else 0
        if node.selection_set is None:
            return own
        return own + self.page_size(node, definition) * self.selection_set(
            node.selection_set, named
        )

    def page_size(self, node: FieldNode, definition: GraphQLField) -> int:
        """How many items the field may return, from its page-size argument (else 1)."""
        for name in PAGE_SIZE_ARGUMENTS:
            argument = definition.args.get(name)
            if argument is None:
                continue
            value: Any = argument.default_value
            for given in node.arguments or ():
                if given.name.value == name:
                    value = value_from_ast(given.value, GraphQLInt, self.variables)
            if isinstance(value, int) and not isinstance(value, bool):
                return min(max(value, 1), MAX_PAGE_SIZE)
            return MAX_PAGE_SIZE  # unknown: the most a page may hold
        return 1


def _field_definition(
    schema: GraphQLSchema, parent: GraphQLNamedType, name: str
) -> GraphQLField | None:
    if parent is schema.query_type and name == "__schema":
        return SchemaMetaFieldDef
    if parent is schema.query_type and name == "__type":
        return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        field: GraphQLField | None = parent.fields.get(name)
        return field
    return None


def document_cost(
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The price of the operation a request runs (by name, or the only one)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name is not None and o.name.value == operation_name)
    ]
    return max((operation_cost(schema, o, fragments, variables) for o in chosen), default=0)


class HeavySlots:
    """How many heavy fields each caller has running, in this process."""

    def __init__(self, per_caller: int = MAX_HEAVY_PER_CALLER) -> None:
        self.per_caller = per_caller
        self.running: dict[str, int] = {}

    def acquire(self, key: str) -> bool:
        if self.running.get(key, 0) >= self.per_caller:
            return False
        self.running[key] = self.running.get(key, 0) + 1
        return True

    async def acquire_within(self, key: str, seconds: float) -> bool:
        """Wait up to ``seconds`` for a slot (polled: the wait costs no CPU to speak of)."""
        deadline = time.monotonic() + seconds
        while not self.acquire(key):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(min(0.05, max(seconds, 0.0)))
        return True

    def release(self, key: str) -> None:
        left = self.running.get(key, 0) - 1
        if left > 0:
            self.running[key] = left
        else:
            self.running.pop(key, None)


def caller_key(principal: Principal) -> str:
    """Sessions and API tokens of one user share their slots."""
    if principal.user_id is not None:
        return f"user:{principal.user_id}"
    return f"{principal.via}:{principal.username}"


async def client_gone(request: Any) -> bool:
    """True once the HTTP client has disconnected (never for a WebSocket or no request)."""
    if not isinstance(request, Request):
        return False
    return await request.is_disconnected()


async def _unless_gone(info: Any) -> None:
    if await client_gone(info.context.request):
        raise CostLimitError(
            "the client disconnected before this started", extensions={"code": "CANCELLED"}
        )


class CostLimits(SchemaExtension):
    """Prices each operation before it executes; holds a slot for each heavy root field."""

    def __init__(self, slots: HeavySlots, budget: int = MAX_COST) -> None:
        self.slots = slots
        self.budget = budget

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.result is None:
            cost = document_cost(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables,
            )
            refusal = self._charge(context.context, cost)
            if refusal is not None:
                context.result = ExecutionResult(data=None, errors=[refusal])
        yield

    def _charge(self, context: Any, cost: int) -> GraphQLError | None:
        """Draw ``cost`` from the request's budget, or say why it cannot be drawn."""
        request = getattr(context, "request", None)
        state = request.state if isinstance(request, Request) else None
        spent: int = getattr(state, "graphql_cost", 0) if state is not None else 0
        if spent + cost <= self.budget:
            if state is not None:
                state.graphql_cost = spent + cost
            return None
        earlier = f" after {spent} spent by the request's earlier operations" if spent else ""
        return CostLimitError(
            f"this operation costs {cost}{earlier}, over the budget of {self.budget} per"
            " request: ask for fewer aliases, smaller pages or fewer heavy fields"
            f" ({', '.join(sorted(HEAVY))}) at once",
            extensions={"code": "COST_LIMIT", "cost": cost, "spent": spent, "budget": self.budget},
        )

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if info.path.prev is not None or info.field_name not in HEAVY:
            return _next(root, info, *args, **kwargs)
        return self._heavy(_next, root, info, *args, **kwargs)

    async def _heavy(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
    ) -> Any:
        await _unless_gone(info)
        key = caller_key(info.context.principal)
        if not await self.slots.acquire_within(key, limits.HEAVY_SLOT_WAIT_SECONDS):
            message = (
                f"{self.slots.per_caller} of your heavy operations ({', '.join(sorted(HEAVY))})"
                " are already running; try again when one has finished"
            )
            if info.operation.operation is OperationType.MUTATION:
                return refusal_payload(info, ErrorCode.TOO_MANY_ATTEMPTS, message, None)
            raise CostLimitError(message, extensions={"code": ErrorCode.TOO_MANY_ATTEMPTS.value})
        try:
            await _unless_gone(info)  # the client may have left while this waited
            result = _next(root, info, *args, **kwargs)
            return await result if inspect.isawaitable(result) else result
        finally:
            self.slots.release(key)
