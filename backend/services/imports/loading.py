"""Upserts of validated rows, keyed by external ids: a re-import of the same file changes nothing.

Each loader counts created / updated / unchanged rows and notes the rep-months whose actuals
the change affects, so aggregation recomputes only those.

Every row is checked against the caller's scope before it changes anything, with what the
database holds now (a commit checks again, whatever its dry run said): a row touching a rep or
a unit outside the scope is refused with an OUT_OF_SCOPE issue and changes nothing. Reps and
org units change through their domain services, which audit them with their org path.

A commit writes in batches: every ``BATCH_ROWS`` rows of a file, and at the end of each file,
the loader flushes and hands itself to the run's ``BatchWriter`` (``session.info[BATCHES]``),
which records the checkpoint and commits, so no transaction holds the database for long. The
upserts are idempotent (keyed by external ids; surveys by rep, account and date), so a commit
stopped between batches is resumed by running it again over the same files: rows already
written are unchanged, and the rep-months the earlier batches touched come back as
``BatchWriter.pairs`` so their actuals are still recomputed. The actuals of the rep-months
touched are recomputed at the end in batches of whole reps (``aggregation.PAIRS_PER_BATCH``
rep-months), each kept the same way. A dry run has no writer: it flushes at the same points
and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    Customer,
    Deal,
    Invoice,
    OrgUnit,
    Payment,
    Product,
    ProductLine,
    Rep,
    SatisfactionScore,
)
from backend.db.repositories import imports as repo
from backend.services import aggregation
from backend.services import org as org_service
from backend.services import reps as rep_service
from backend.services.imports.catalog import Catalog, code_of
from backend.services.imports.cleansing import key
from backend.services.imports.parsing import ParsedFile, Record
from backend.services.imports.report import OUT_OF_SCOPE, Report

Progress = Callable[[str, int, int], None]
Pair = tuple[int, date]

BATCH_ROWS = 1000  # rows of a file per committed batch
BATCHES = "import_batches"  # the session.info key of a commit's BatchWriter
SHOWN = 100  # reps named in a report line, at most


class BatchWriter(Protocol):
    """Plugged in by a commit: keeps each batch (checkpoint, then commit)."""

    pairs: set[Pair]  # rep-months touched by batches an earlier attempt committed

    async def write(self, loader: Loader) -> None: ...


def month_of(day: date) -> date:
    return day.replace(day=1)


class Loader:
    """Applies one run's files in dependency order within the caller's transaction."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        actor: str,
        catalog: Catalog,
        report: Report,
        as_of: date,
        progress: Progress,
    ) -> None:
        self.session = session
        self.actor = actor
        self.catalog = catalog
        self.report = report
        self.as_of = as_of
        self.progress = progress
        self.pairs: set[Pair] = set()
        #: The earliest date of the company's sales data (this run's files and the actuals
        #: stored): the hire date of a new rep without one. None: no sales data anywhere.
        self.history_start: date | None = None
        self.assumed_hires: list[str] = []  # new reps of the current HR file without a hire date
        self.rows_done = 0  # rows of the run's files gone through (written, or refused)
        self.batches: BatchWriter | None = session.info.get(BATCHES)
        if self.batches is not None:
            self.pairs |= self.batches.pairs

    def _rows(self, parsed: ParsedFile) -> list[Record]:
        return [r for r in parsed.records if r.ok]

    def _tick(self, parsed: ParsedFile, done: int, total: int) -> None:
        if done % 500 == 0 or done == total:
            self.progress(f"loading {parsed.name}", done, total)

    def _batch_full(self, done: int, total: int) -> bool:
        return done % BATCH_ROWS == 0 or done == total

    async def _batch(self, done: int, total: int) -> None:
        """Keep a batch every ``BATCH_ROWS`` rows and at the end of a file (``done == total``):
        call it after each row of a loop that changes data."""
        if self._batch_full(done, total):
            await self._keep(done % BATCH_ROWS or BATCH_ROWS)

    async def _keep(self, rows: int) -> None:
        """Flush, then let a commit's writer checkpoint and commit what is written so far."""
        await self.session.flush()
        self.rows_done += rows
        if self.batches is not None:
            await self.batches.write(self)

    async def aggregate(self, revenue_source: aggregation.RevenueSource) -> int:
        """Recompute the actuals of the rep-months touched, in batches kept like the rows'
        (``aggregation.recompute``); returns the actuals written."""
        return await aggregation.recompute(
            self.session, pairs=self.pairs, revenue_source=revenue_source, keep=self._keep_actuals
        )

    async def _keep_actuals(self) -> None:
        await self._keep(0)

    def _set(self, entity: str, row: SQLModel, values: dict[str, Any]) -> bool:
        """Set the changed attributes; count the row as updated or unchanged."""
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        for name, value in changed.items():
            setattr(row, name, value)
        counts = self.report.count(entity)
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
        return bool(changed)

    def _created(self, entity: str, row: SQLModel) -> None:
        self.session.add(row)
        self.report.count(entity).created += 1

    def _reject(self, record: Record, field: str, entity: str, value: object) -> None:
        record.report(field, "error", f"unknown {entity} {value!r}", value=value)

    def _outside(self, record: Record, field: str, problem: str) -> None:
        """Refuse a row that would change something outside the caller's scope."""
        record.report(
            field,
            "error",
            f"outside your scope: {problem}",
            value=record.values.get(field),
            suggestion="ask someone whose scope covers it to import this row",
            code=OUT_OF_SCOPE,
        )

    def _rep_outside(self, rep: Rep | None) -> bool:
        return rep is not None and not self.catalog.covers_rep(rep)

    def _company_wide(self, record: Record, field: str, what: str) -> bool:
        """Whether the caller may change company-wide data; if not, the row is refused."""
        if self.catalog.company_wide:
            return True
        self._outside(record, field, f"{what} is company-wide and needs a company-wide scope")
        return False

    # --- org ---------------------------------------------------------------------------

    async def org(self, parsed: ParsedFile) -> None:
        pending = self._rows(parsed)
        for _ in range(len(pending) + 1):  # parents may come after their children
            later = [r for r in pending if not await self._org_row(r, final=False)]
            if len(later) == len(pending):
                break
            pending = later
        for record in pending:
            await self._org_row(record, final=True)
        await self._keep(len(self._rows(parsed)))

    async def _org_row(self, record: Record, *, final: bool) -> bool:
        v = record.values
        unit = self.catalog.units.get(v["code"])
        parent = self.catalog.units.get(v["parent_code"]) if v.get("parent_code") else None
        if v.get("parent_code") and parent is None:
            if final:
                self._reject(record, "parent_code", "parent unit", v["parent_code"])
            return False
        kind = (v.get("kind") or "team").lower()
        if kind not in ("region", "branch", "team"):
            record.report("kind", "error", "kind must be region, branch or team", value=kind)
            return True
        if unit is None:
            if parent is None and not self._company_wide(
                record, "parent_code", "a unit at the top of the org tree"
            ):
                return True
            if parent is not None and not self.catalog.covers_unit(parent):
                self._outside(record, "parent_code", "the parent unit is outside your scope")
                return True
            parent = parent or await self.catalog.ensure_root(self.session, actor=self.actor)
            await self.catalog.new_unit(
                self.session,
                actor=self.actor,
                parent=parent,
                code=v["code"],
                name=v.get("name") or v["code"],
                kind=kind,
            )
            return True
        if parent is not None and unit.parent_id != parent.id:
            record.report(
                "parent_code",
                "warning",
                "an import does not move units; use the org tree to move it",
                value=v["parent_code"],
            )
        await self._rename(record, unit, v.get("name") or unit.name)
        return True

    async def _rename(self, record: Record, unit: OrgUnit, name: str) -> None:
        """Through the org service: the unit inside the scope, and not the scope's own root."""
        scope = self.catalog.scope
        if not self.catalog.covers_unit(unit) or (
            name != unit.name and scope.org_path == unit.path
        ):
            self._outside(record, "code", "the unit is outside your scope or is its root")
            return
        counts = self.report.count("org_unit")
        if name == unit.name:
            counts.unchanged += 1
            return
        assert unit.id is not None
        await org_service.update_unit(
            self.session,
            actor=self.actor,
            unit_id=unit.id,
            expected_version=unit.version,
            name=name,
            scope=scope,
        )
        counts.updated += 1

    # --- HR ----------------------------------------------------------------------------

    async def hr(self, parsed: ParsedFile) -> None:
        rows = self._rows(parsed)
        self.assumed_hires = []
        for n, record in enumerate(rows, 1):
            await self._rep(record)
            self._tick(parsed, n, len(rows))
            await self._batch(n, len(rows))
        self._assumed_hires_note(parsed)

    def _hire_date(self, record: Record) -> date:
        """The hire date column, else the history start; never the rep's own first sale (a
        late first sale would leave a tenured rep out of plans as a joiner)."""
        hire: date | None = record.values.get("hire_date")
        if hire is not None:
            return hire
        self.assumed_hires.append(record.values["name"])
        return self.history_start or self.as_of

    def _assumed_hires_note(self, parsed: ParsedFile) -> None:
        """One warning naming the new reps whose hire date is an assumption, and the date."""
        names = self.assumed_hires
        if not names:
            return
        shown = ", ".join(names[:SHOWN]) + (
            f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
        )
        if self.history_start is not None:
            parsed.note(
                f"{len(names)} new reps without a hire date are assumed hired at the history "
                f"start {self.history_start.isoformat()} (the earliest sales date of the "
                f"company), not at their own first sale: {shown}",
                "hire_date",
                "warning",
            )
            return
        parsed.note(
            f"{len(names)} new reps without a hire date, and no sales data in this import or "
            f"the database to date the history start: the import date {self.as_of.isoformat()} "
            f"is used, so plans treat them as joiners until a hire date is imported: {shown}",
            "hire_date",
            "warning",
        )

    def _team_name(self, v: dict[str, Any]) -> str:
        team_name = v.get("team") or (f"Team {v['manager']}" if v.get("manager") else None)
        return team_name or f"Unassigned {v.get('region') or ''}".strip()

    def _placement_outside(self, record: Record) -> bool:
        """Refuse a row whose team (or the units it would create) lies outside the scope."""
        v = record.values
        region = self.catalog.find_region(v["region"]) if v.get("region") else None
        if v.get("region") and region is None and not self.catalog.company_wide:
            self._outside(record, "region", "a new region is company-wide")
            return True
        team = self.catalog.find_team(self._team_name(v))
        if team is not None:
            if self.catalog.covers_unit(team):
                return False
            self._outside(record, "team", "the team is outside your scope")
            return True
        parent = region or self.catalog.root  # None: the region or the root is created too
        if self.catalog.covers_unit(parent) if parent else self.catalog.company_wide:
            return False
        self._outside(record, "team", "a new team here would be outside your scope")
        return True

    async def _team(self, v: dict[str, Any]) -> tuple[int, int | None]:
        region_unit = None
        if v.get("region"):
            region_unit = await self.catalog.region_unit(
                self.session, actor=self.actor, name=v["region"]
            )
        team = await self.catalog.team_unit(
            self.session, actor=self.actor, name=self._team_name(v), parent=region_unit
        )
        region = self.catalog.region_of(team)
        assert team.id is not None
        return team.id, region.id if region else None

    async def _rep(self, record: Record) -> None:
        v = record.values
        external_id = v.get("external_id") or v["name"]
        rep = self.catalog.reps.get(external_id)
        if self._rep_outside(rep):
            self._outside(record, "external_id" if v.get("external_id") else "name", "the rep")
            return
        rank = self.catalog.rank(v["rank"]) if v.get("rank") else None
        if v.get("rank") and rank is None:
            self._reject(record, "rank", "rank", v["rank"])
            return
        if self._placement_outside(record):
            return
        first_rank = rep is None and rank is None and not self.catalog.ranks
        if first_rank and not self._company_wide(record, "rank", "a first rank of the ladder"):
            return
        team_id, region_id = await self._team(v)
        if rep is None:
            await self._new_rep(record, external_id, team_id, region_id, rank)
            return
        values: dict[str, Any] = {"name": v["name"], "team_id": team_id, "region_id": region_id}
        for name in ("hire_date", "leave_date"):
            if v.get(name) is not None:
                values[name] = v[name]
        if rank is not None:
            values["rank_id"] = rank.id
        changed = await rep_service.update_from_import(
            self.session,
            actor=self.actor,
            rep=rep,
            changes=values,
            effective_from=self.as_of,
            scope=self.catalog.scope,
        )
        counts = self.report.count("rep")
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1

    async def _new_rep(
        self, record: Record, external_id: str, team_id: int, region_id: int | None, rank: Any
    ) -> None:
        v = record.values
        rank = rank or await self.catalog.default_rank(self.session, actor=self.actor)
        hire = self._hire_date(record)
        rep = Rep(
            external_id=external_id[:64],
            name=v["name"],
            team_id=team_id,
            rank_id=rank.id,
            region_id=region_id,
            hire_date=hire,
            leave_date=v.get("leave_date"),
        )
        await rep_service.create_from_import(
            self.session, actor=self.actor, rep=rep, scope=self.catalog.scope
        )
        self.report.count("rep").created += 1
        self.catalog.add_rep(rep)

    # --- catalogue and accounts --------------------------------------------------------

    async def products(self, parsed: ParsedFile) -> None:
        rows = self._rows(parsed)
        for n, record in enumerate(rows, 1):
            if self._company_wide(record, "name", "the product catalogue"):
                await self._product(record)
            await self._batch(n, len(rows))

    async def _product(self, record: Record) -> None:
        v = record.values
        line = await self._line(v.get("line") or "General")
        product = self.catalog.product(v["name"])
        values = {"name": v["name"], "product_line_id": line.id}
        if v.get("list_price") is not None:
            values["list_price"] = v["list_price"]
        if product is None:
            product = Product(external_id=v["name"][:64], **values)
            self._created("product", product)
            self.catalog.add_product(product)
        else:
            self._set("product", product, values)

    async def _line(self, name: str) -> ProductLine:
        code = code_of("PL", name)
        line = self.catalog.lines.get(key(code)) or self.catalog.lines.get(key(name))
        if line is None:
            line = ProductLine(code=code, name=name)
            self._created("product_line", line)
            await self.session.flush()
            self.catalog.lines[key(code)] = line
        return line

    async def accounts(self, parsed: ParsedFile) -> None:
        rows = self._rows(parsed)
        for n, record in enumerate(rows, 1):
            self._account(record)
            await self._batch(n, len(rows))

    def _account(self, record: Record) -> None:
        v = record.values
        owner = self.catalog.rep(v["owner"]) if v.get("owner") else None
        if v.get("owner") and owner is None:
            self._reject(record, "owner", "rep", v["owner"])
            return
        external_id = (v.get("external_id") or v["name"])[:64]
        customer = self.catalog.customers.get(external_id) or self.catalog.customer(v["name"])
        if self._account_outside(record, customer, owner):
            return
        values: dict[str, Any] = {"name": v["name"]}
        if v.get("segment") is not None:
            values["segment"] = v["segment"][:64]
        if owner is not None:
            values["owner_rep_id"] = owner.id
        if customer is None:
            customer = Customer(external_id=external_id, **values)
            self._created("customer", customer)
            self.catalog.add_customer(customer)
        else:
            self._set("customer", customer, values)

    def _account_outside(
        self, record: Record, customer: Customer | None, owner: Rep | None
    ) -> bool:
        """An account belongs to its owner's part of the company; one without an owner (before
        or after the row) to the whole company."""
        if self.catalog.company_wide:
            return False
        current = self.catalog.rep_by_id(customer.owner_rep_id) if customer else None
        if customer is not None and (current is None or self._rep_outside(current)):
            self._outside(record, "name", "the account belongs to another part of the company")
            return True
        if owner is None and current is None:
            self._outside(record, "owner", "an account without an owner is company-wide")
            return True
        if self._rep_outside(owner):
            self._outside(record, "owner", "the owner is outside your scope")
            return True
        return False

    # --- facts -------------------------------------------------------------------------

    def _refs(self, record: Record) -> dict[str, Any] | None:
        """Resolve rep / customer / product names; an unknown one rejects the row."""
        v, out = record.values, {}
        rep = self.catalog.rep(v["rep"])
        if rep is None:
            self._reject(record, "rep", "rep", v["rep"])
            return None
        if self._rep_outside(rep):
            self._outside(record, "rep", "the rep")
            return None
        out["rep_id"] = rep.id
        for field, find, entity in (
            ("customer", self.catalog.customer, "account"),
            ("product", self.catalog.product, "product"),
        ):
            if field not in v:
                continue
            found = find(v[field]) if v.get(field) else None
            if v.get(field) and found is None:
                self._reject(record, field, entity, v[field])
                return None
            out[f"{field}_id"] = found.id if found else None
        return out

    async def crm(self, parsed: ParsedFile) -> None:
        rows = self._rows(parsed)
        existing = await repo.by_external_ids(
            self.session, Deal, [r.values["external_id"] for r in rows]
        )
        customers = [c.id for r in rows if (c := self._customer_of(r)) is not None]
        first_before = await repo.first_wins(self.session, [c for c in customers if c])
        self.changed_deals: list[Deal] = []
        for n, record in enumerate(rows, 1):
            self._deal(record, existing.get(record.values["external_id"]))
            self._tick(parsed, n, len(rows))
            if self._batch_full(n, len(rows)):
                # The batch's side effects go into its checkpoint: a resumed run sees these
                # deals unchanged and would not find them again.
                await self.session.flush()
                await self._deal_side_effects(first_before)
                self.changed_deals = []
                await self._keep(n % BATCH_ROWS or BATCH_ROWS)

    def _customer_of(self, record: Record) -> Customer | None:
        name = record.values.get("customer")
        return self.catalog.customer(name) if name else None

    async def _deal_side_effects(self, first_before: dict[int, Deal]) -> None:
        """A changed deal may move a customer's first win, or be credited to other reps."""
        changed_customers = {d.customer_id for d in self.changed_deals if d.customer_id}
        for customer_id in changed_customers:
            first = first_before.get(customer_id)
            if first is not None and first.closed_on is not None:
                self.pairs.add((first.rep_id, month_of(first.closed_on)))
        deals = {d.id: d for d in self.changed_deals if d.id is not None}
        for credit in await repo.credits_of(self.session, list(deals)):
            closed_on = deals[credit.deal_id].closed_on
            if closed_on is not None:
                self.pairs.add((credit.rep_id, month_of(closed_on)))

    def _owned_outside(self, record: Record, rep_id: int | None, what: str) -> bool:
        """Refuse a row that would change an existing fact of a rep outside the scope."""
        rep = self.catalog.rep_by_id(rep_id)
        if rep is None or not self._rep_outside(rep):
            return False
        self._outside(record, "external_id", f"the existing {what} belongs to a rep outside it")
        return True

    def _deal(self, record: Record, deal: Deal | None) -> None:
        if deal is not None and self._owned_outside(record, deal.rep_id, "deal"):
            return
        refs = self._refs(record)
        if refs is None:
            return
        v = record.values
        values = refs | {
            "stage": v["stage"],
            "created_on": v["created_on"],
            "closed_on": v.get("closed_on"),
            "value": v.get("value") or 0.0,
        }
        if deal is None:
            deal = Deal(external_id=v["external_id"], **values)
            self._created("deal", deal)
        else:
            if any(i.field == "created_on" and i.severity == "fixed" for i in record.issues):
                values["created_on"] = deal.created_on  # a default never overwrites a real date
            old = (deal.rep_id, deal.closed_on)
            if not self._set("deal", deal, values):
                return
            if old[1] is not None:
                self.pairs.add((old[0], month_of(old[1])))
        self.changed_deals.append(deal)
        if values["closed_on"] is not None:
            self.pairs.add((values["rep_id"], month_of(values["closed_on"])))

    async def invoices(self, parsed: ParsedFile) -> None:
        rows = self._rows(parsed)
        existing = await repo.by_external_ids(
            self.session, Invoice, [r.values["external_id"] for r in rows]
        )
        deals = await repo.by_external_ids(
            self.session, Deal, [r.values["deal"] for r in rows if r.values.get("deal")]
        )
        for n, record in enumerate(rows, 1):
            self._invoice(record, existing, deals)
            await self._batch(n, len(rows))

    def _invoice(
        self, record: Record, existing: dict[str, Invoice], deals: dict[str, Deal]
    ) -> None:
        v = record.values
        invoice = existing.get(v["external_id"])
        if invoice is not None and self._owned_outside(record, invoice.rep_id, "invoice"):
            return
        refs = self._refs(record)
        if refs is None:
            return
        if v.get("deal") and v["deal"] not in deals:
            self._reject(record, "deal", "deal", v["deal"])
            return
        deal = deals.get(v.get("deal") or "")
        values = {
            "rep_id": refs["rep_id"],
            "customer_id": refs.get("customer_id"),
            "deal_id": deal.id if deal else None,
            "issued_on": v["issued_on"],
            "due_on": v["due_on"],
            "amount": v["amount"],
        }
        if invoice is None:
            self._created("invoice", Invoice(external_id=v["external_id"], **values))
        else:
            old = (invoice.rep_id, month_of(invoice.due_on))
            if not self._set("invoice", invoice, values):
                return
            self.pairs.add(old)
        self.pairs.add((values["rep_id"], month_of(values["due_on"])))

    async def payments(self, parsed: ParsedFile) -> None:
        rows = self._rows(parsed)
        existing = await repo.by_external_ids(
            self.session, Payment, [r.values["external_id"] for r in rows]
        )
        invoices = await repo.by_external_ids(
            self.session, Invoice, [r.values["invoice"] for r in rows]
        )
        for n, record in enumerate(rows, 1):
            await self._payment(record, existing, invoices)
            await self._batch(n, len(rows))

    async def _payment(
        self, record: Record, existing: dict[str, Payment], invoices: dict[str, Invoice]
    ) -> None:
        v = record.values
        invoice = invoices.get(v["invoice"])
        if invoice is None:
            self._reject(record, "invoice", "invoice", v["invoice"])
            return
        if self._rep_outside(self.catalog.rep_by_id(invoice.rep_id)):
            self._outside(record, "invoice", "the invoice belongs to a rep outside it")
            return
        values = {"invoice_id": invoice.id, "paid_on": v["paid_on"], "amount": v["amount"]}
        payment = existing.get(v["external_id"])
        if payment is not None and payment.invoice_id != invoice.id:
            before = await self._invoice_of(payment.invoice_id)
            if before is None or self._rep_outside(self.catalog.rep_by_id(before.rep_id)):
                self._outside(record, "external_id", "the payment is of another invoice")
                return
        if payment is None:
            self._created("payment", Payment(external_id=v["external_id"], **values))
        else:
            old = payment.paid_on
            if not self._set("payment", payment, values):
                return
            self.pairs.add((invoice.rep_id, month_of(old)))
        self.pairs.add((invoice.rep_id, month_of(v["paid_on"])))

    async def _invoice_of(self, invoice_id: int) -> Invoice | None:
        return await self.session.get(Invoice, invoice_id)

    async def satisfaction(self, parsed: ParsedFile) -> None:
        """Surveys carry no id: (rep, account, date) is the key; a re-import updates the score."""
        rows = self._rows(parsed)
        resolved = [(r, self._refs(r)) for r in rows]
        rep_ids = [refs["rep_id"] for _, refs in resolved if refs]
        existing = await repo.surveys_of(self.session, rep_ids)
        for n, (record, refs) in enumerate(resolved, 1):
            if refs is not None:
                self._survey(record, refs, existing)
            await self._batch(n, len(resolved))

    def _survey(
        self,
        record: Record,
        refs: dict[str, Any],
        existing: dict[tuple[int, int | None, date], SatisfactionScore],
    ) -> None:
        day = record.values["surveyed_on"]
        survey_key = (refs["rep_id"], refs.get("customer_id"), day)
        survey = existing.get(survey_key)
        score = record.values["score"]
        if survey is None:
            survey = SatisfactionScore(
                rep_id=refs["rep_id"],
                customer_id=refs.get("customer_id"),
                surveyed_on=day,
                score=score,
            )
            self._created("satisfaction_score", survey)
            existing[survey_key] = survey
        elif not self._set("satisfaction_score", survey, {"score": score}):
            return
        self.pairs.add((refs["rep_id"], month_of(day)))
