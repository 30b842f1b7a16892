"""Sales lines (order or invoice lines) become won deals, one per line, so the monthly revenue
actuals the forecaster reads come out of the same aggregation as CRM deals.

- The seller is the ``rep`` (a name or an employee id) or, for a company that sells by
  territory, the ``territory``: one rep per territory, named after it.
- A seller missing from the database is created (a company-wide scope only), hired on the
  ``hire_date`` column or else the history start (the earliest sales date of the company: this
  run's files and the actuals stored), never on its own first order; the report says which.
- Customers and products missing from the database are created (company-wide scope), else the
  line is imported without them and the report says so.
- A line's deal id is ``SL:<order>/<line>``, ``SL:<order>`` (``#n`` for the n-th line of an
  order without line ids) or a digest of the line: a re-import of the same file changes nothing.
- A cancelled line (status) is excluded; one imported earlier is set to ``cancelled``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from typing import Any

from backend.db.models import Customer, Deal, Product, Rep
from backend.db.repositories import imports as repo
from backend.services import reps as rep_service
from backend.services.imports.cleansing import key
from backend.services.imports.loading import BATCH_ROWS, Loader, month_of
from backend.services.imports.parsing import ParsedFile, Record

TERRITORY_PREFIX = "territory:"


def line_ids(parsed: ParsedFile) -> dict[int, str]:
    """The deal external id of each row (by file line), stable across re-imports."""
    seen: Counter[str] = Counter()
    out: dict[int, str] = {}
    for record in parsed.records:
        v = record.values
        if v.get("order_id") and v.get("line_id"):
            base = f"SL:{v['order_id']}/{v['line_id']}"
        elif v.get("order_id"):
            base = f"SL:{v['order_id']}"
        else:
            parts = [v.get(k) for k in ("date", "rep", "territory", "customer", "product")]
            parts += [v.get("amount"), v.get("quantity")]
            base = "SL:" + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:20]
        seen[base] += 1
        ident = base if seen[base] == 1 else f"{base}#{seen[base]}"
        if len(ident) > 64:
            ident = "SL:" + hashlib.sha1(ident.encode()).hexdigest()[:40]
        out[record.row] = ident
    return out


def seller(values: dict[str, Any]) -> tuple[str, str] | None:
    """(name, external id) of the rep a line is credited to."""
    if values.get("rep"):
        return values["rep"], values["rep"]
    if values.get("territory"):
        return values["territory"], f"{TERRITORY_PREFIX}{values['territory']}"[:64]
    return None


class SalesLineLoader:
    def __init__(self, loader: Loader, parsed: ParsedFile) -> None:
        self.loader = loader
        self.catalog = loader.catalog
        self.parsed = parsed
        self.created_reps: list[tuple[str, date, str]] = []

    async def load(self) -> None:
        loader, parsed = self.loader, self.parsed
        ids = line_ids(parsed)
        dated = [r.values["date"] for r in parsed.records if r.ok and r.values.get("date")]
        history_start = loader.history_start or min(dated, default=loader.as_of)
        hires = self._hire_dates()
        cancelled = [r for r in parsed.records if r.excluded == "cancelled"]
        rows = loader._rows(parsed)
        existing = await repo.by_external_ids(
            loader.session, Deal, [ids[r.row] for r in rows + cancelled]
        )
        sellers: dict[str, Rep | None] = {}
        for record in rows:
            found = seller(record.values)
            if found is None:
                continue
            if found[1] not in sellers:
                sellers[found[1]] = await self._seller(record, found, hires, history_start)
        self._created_note(history_start)
        customers = [c.id for r in rows if (c := loader._customer_of(r)) is not None]
        first_before = await repo.first_wins(loader.session, [c for c in customers if c])
        loader.changed_deals = []
        for n, record in enumerate(rows, 1):
            found = seller(record.values)
            rep = sellers.get(found[1]) if found else None
            if rep is None:
                if not record.errors:
                    record.report("rep", "error", "no rep for this line", value=found)
            else:
                await self._line(record, rep, existing.get(ids[record.row]), ids[record.row])
            loader._tick(parsed, n, len(rows))
            if loader._batch_full(n, len(rows)):
                await self._keep(first_before, n)
        for record in cancelled:
            self._cancel(existing.get(ids[record.row]))
        await self._keep(first_before, 0)

    async def _keep(self, first_before: dict[int, Deal], done: int) -> None:
        """Flush a batch with its side effects (first wins, credits); a commit's writer then
        checkpoints it (see ``Loader._keep``)."""
        loader = self.loader
        await loader.session.flush()
        await loader._deal_side_effects(first_before)
        loader.changed_deals = []
        if done:
            await loader._keep(done % BATCH_ROWS or BATCH_ROWS)

    def _hire_dates(self) -> dict[str, date]:
        out: dict[str, date] = {}
        for record in self.parsed.records:
            found, hire = seller(record.values), record.values.get("hire_date")
            if found and hire:
                out[found[1]] = min(out.get(found[1], hire), hire)
        return out

    async def _seller(
        self,
        record: Record,
        found: tuple[str, str],
        hires: dict[str, date],
        history_start: date,
    ) -> Rep | None:
        name, external_id = found
        loader, catalog = self.loader, self.catalog
        rep = catalog.reps.get(external_id) or catalog.rep(name)
        if rep is not None:
            if loader._rep_outside(rep):
                loader._outside(record, "rep", "the rep")
                return None
            return rep
        if not catalog.company_wide:
            loader._reject(record, "rep", "rep", name)
            return None
        territory = external_id.startswith(TERRITORY_PREFIX)
        region = record.values.get("region")
        team_name = f"Territories {region}" if territory and region else None
        team_name = team_name or ("Territories" if territory else None)
        values = {"name": name, "region": region, "team": team_name, "manager": None}
        team_id, region_id = await loader._team(values)
        rank = await catalog.default_rank(loader.session, actor=loader.actor)
        assert rank.id is not None
        hire = hires.get(external_id)
        source = "the hire date column" if hire else "the history start"
        rep = Rep(
            external_id=external_id[:64],
            name=name[:200],
            team_id=team_id,
            rank_id=rank.id,
            region_id=region_id,
            hire_date=hire or history_start,
        )
        await rep_service.create_from_import(
            loader.session, actor=loader.actor, rep=rep, scope=catalog.scope
        )
        loader.report.count("rep").created += 1
        catalog.add_rep(rep)
        what = "territory" if territory else "rep"
        self.created_reps.append((f"{what} {name!r}", rep.hire_date, source))
        return rep

    def _created_note(self, history_start: date) -> None:
        if not self.created_reps:
            return
        from_column = [n for n, _, s in self.created_reps if s == "the hire date column"]
        assumed = [n for n, _, s in self.created_reps if s != "the hire date column"]
        territories = sum(1 for n, _, _ in self.created_reps if n.startswith("territory"))
        if territories:
            self.parsed.note(
                f"{territories} territories imported as one rep each, named after the territory"
            )
        if from_column:
            self.parsed.note(f"{len(from_column)} new reps hired on their hire date column")
        if assumed:
            shown = ", ".join(assumed[:10]) + (" ..." if len(assumed) > 10 else "")
            self.parsed.note(
                f"{len(assumed)} new reps without a hire date are assumed hired at the history "
                f"start {history_start.isoformat()} (the earliest sales date of the company), "
                f"not at their own first order: {shown}",
                "hire_date",
                "warning",
            )

    async def _reference(self, record: Record, field: str) -> int | None:
        """The id of the line's customer or product, created if missing (company-wide)."""
        name = record.values.get(field)
        if not name:
            return None
        catalog, loader = self.catalog, self.loader
        found: Customer | Product | None = (
            catalog.customer(name) if field == "customer" else catalog.product(name)
        )
        if found is None and catalog.company_wide:
            if field == "customer":
                found = Customer(external_id=name[:64], name=name[:200])
                loader._created("customer", found)
                catalog.add_customer(found)
            else:
                line = await loader._line("General")
                assert line.id is not None
                found = Product(external_id=name[:64], name=name[:200], product_line_id=line.id)
                loader._created("product", found)
                catalog.add_product(found)
            await loader.session.flush()
        if found is None:
            record.report(field, "warning", f"unknown {field}: imported without it", value=name)
            return None
        return found.id

    async def _line(self, record: Record, rep: Rep, deal: Deal | None, external_id: str) -> None:
        loader = self.loader
        if deal is not None and loader._owned_outside(record, deal.rep_id, "line"):
            return
        v = record.values
        values: dict[str, Any] = {
            "rep_id": rep.id,
            "customer_id": await self._reference(record, "customer"),
            "product_id": await self._reference(record, "product"),
            "stage": "won",
            "created_on": v["date"],
            "closed_on": v["date"],
            "value": float(v["amount"]),
        }
        if deal is None:
            deal = Deal(external_id=external_id, **values)
            loader._created("sales_line", deal)
        else:
            old = (deal.rep_id, deal.closed_on)
            if not loader._set("sales_line", deal, values):
                return
            if old[1] is not None:
                loader.pairs.add((old[0], month_of(old[1])))
        loader.changed_deals.append(deal)
        assert rep.id is not None
        loader.pairs.add((rep.id, month_of(v["date"])))

    def _cancel(self, deal: Deal | None) -> None:
        """A line imported before and cancelled since stops counting."""
        if (
            deal is None
            or deal.stage == "cancelled"
            or self.loader._rep_outside(self.catalog.rep_by_id(deal.rep_id))
        ):
            return
        if deal.closed_on is not None:
            self.loader.pairs.add((deal.rep_id, month_of(deal.closed_on)))
        self.loader._set("sales_line", deal, {"stage": "cancelled", "closed_on": None})
        self.loader.changed_deals.append(deal)


async def load(loader: Loader, parsed: ParsedFile) -> None:
    """Apply one sales-lines file within the loader's transaction."""
    await SalesLineLoader(loader, parsed).load()


def seller_keys(parsed: ParsedFile) -> set[str]:
    """Name keys of the file's sellers (for the 'reps without sales' check of HR rows)."""
    return {key(s[0]) for r in parsed.records if (s := seller(r.values))}
