"""Reference data an import resolves names against, and creates when missing (org, ranks).

The catalog also knows the caller's scope: which reps and units an import may change, and
whether it may change what is company-wide (the root of the org tree, ranks, products).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Customer, OrgUnit, Product, ProductLine, Rank, Region, Rep
from backend.db.repositories import imports as repo
from backend.services import audit
from backend.services.access import EVERYTHING, Scope
from backend.services.imports.cleansing import Vocabulary, key

DEFAULT_RANK = ("JR", "Junior", "Default entry rank created by an import into an empty ladder.")


def code_of(prefix: str, name: str, width: int = 64) -> str:
    """A stable unit code from a name: ``code_of("TEAM", "Cara Losch")`` -> ``"TEAM-CARA-LOSCH"``;
    names without ASCII letters (e.g. Chinese) get a short hash."""
    slug = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")
    if not slug:
        slug = hashlib.sha1(name.encode()).hexdigest()[:10].upper()
    return f"{prefix}-{slug}"[:width]


@dataclass
class Catalog:
    """Lookups by external id and by name ``key`` over the reference tables."""

    reps: dict[str, Rep] = field(default_factory=dict)
    rep_names: dict[str, Rep] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    product_names: dict[str, Product] = field(default_factory=dict)
    lines: dict[str, ProductLine] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    customer_names: dict[str, Customer] = field(default_factory=dict)
    ranks: dict[str, Rank] = field(default_factory=dict)
    units: dict[str, OrgUnit] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    root: OrgUnit | None = None
    created: Counter[str] = field(default_factory=Counter)
    scope: Scope = EVERYTHING
    units_by_id: dict[int, OrgUnit] = field(default_factory=dict)
    _reps_by_id: dict[int, Rep] = field(default_factory=dict)

    @staticmethod
    async def load(session: AsyncSession, scope: Scope = EVERYTHING) -> Catalog:
        catalog = Catalog(scope=scope)
        units = sorted(await repo.everything(session, OrgUnit), key=lambda u: u.path)
        catalog.units = {u.code: u for u in units}
        catalog.units_by_id = {u.id: u for u in units if u.id is not None}
        catalog.root = next((u for u in units if u.parent_id is None), None)
        reps = await repo.everything(session, Rep)
        # A name shared by reps inside and outside the scope resolves to the one inside.
        for rep in sorted(reps, key=lambda r: not catalog.covers_rep(r)):
            catalog.add_rep(rep)
        for product in await repo.everything(session, Product):
            catalog.add_product(product)
        for line in await repo.everything(session, ProductLine):
            catalog.lines[key(line.code)] = line
        for customer in await repo.everything(session, Customer):
            catalog.add_customer(customer)
        for rank in await repo.everything(session, Rank):
            catalog.ranks[key(rank.code)] = rank
            catalog.ranks.setdefault(key(rank.name), rank)
        catalog.regions = {r.code: r for r in await repo.everything(session, Region)}
        return catalog

    def add_rep(self, rep: Rep) -> None:
        self.reps[rep.external_id] = rep
        self.rep_names.setdefault(key(rep.name), rep)

    def add_product(self, product: Product) -> None:
        self.products[product.external_id] = product
        self.product_names.setdefault(key(product.name), product)

    def add_customer(self, customer: Customer) -> None:
        self.customers[customer.external_id] = customer
        self.customer_names.setdefault(key(customer.name), customer)

    def rep_by_id(self, rep_id: int | None) -> Rep | None:
        if rep_id is None:
            return None
        if not self._reps_by_id or rep_id not in self._reps_by_id:
            self._reps_by_id = {r.id: r for r in self.reps.values() if r.id is not None}
        return self._reps_by_id.get(rep_id)

    def rep(self, value: str) -> Rep | None:
        return self.reps.get(value) or self.rep_names.get(key(value))

    def product(self, value: str) -> Product | None:
        return self.products.get(value) or self.product_names.get(key(value))

    def customer(self, value: str) -> Customer | None:
        return self.customers.get(value) or self.customer_names.get(key(value))

    def rank(self, value: str) -> Rank | None:
        return self.ranks.get(key(value))

    # --- scope --------------------------------------------------------------------------

    @property
    def company_wide(self) -> bool:
        """Whether the caller may change what belongs to the whole company."""
        return self.scope.org_path is None and self.scope.rep_id is None and not self.scope.nothing

    def covers_unit(self, unit: OrgUnit) -> bool:
        return self.scope.covers_path(unit.path)

    def covers_rep(self, rep: Rep) -> bool:
        team = self.units_by_id.get(rep.team_id)
        return team is not None and rep.id is not None and self.scope.covers_rep(rep.id, team.path)

    def team_path(self, rep: Rep) -> str | None:
        team = self.units_by_id.get(rep.team_id)
        return team.path if team else None

    def vocabulary(self, entity: str) -> Vocabulary:
        """Known names to propose fixes from: reps only those in scope (no name leaks out)."""
        names = {
            "rep": [r.name for r in self.reps.values() if self.covers_rep(r)],
            "product": [p.name for p in self.products.values()],
            "customer": [c.name for c in self.customers.values()],
            "rank": [r.name for r in self.ranks.values()] + [r.code for r in self.ranks.values()],
        }[entity]
        return Vocabulary.of(names)

    # --- creation of what an import needs -----------------------------------------------

    async def ensure_root(self, session: AsyncSession, *, actor: str) -> OrgUnit:
        if self.root is None:
            self.root = await self.new_unit(
                session, actor=actor, parent=None, code="COMPANY", name="Company", kind="company"
            )
        return self.root

    async def new_unit(
        self,
        session: AsyncSession,
        *,
        actor: str,
        parent: OrgUnit | None,
        code: str,
        name: str,
        kind: str,
        region_code: str | None = None,
    ) -> OrgUnit:
        unit = OrgUnit(
            parent_id=parent.id if parent else None,
            code=code,
            name=name,
            kind=kind,
            region_code=region_code or (parent.region_code if parent else None),
            depth=parent.depth + 1 if parent else 0,
        )
        session.add(unit)
        await session.flush()
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        self.units[code] = unit
        self.units_by_id[unit.id or 0] = unit
        self.created["org_unit"] += 1
        after = {"code": code, "name": name, "kind": kind, "parent_id": unit.parent_id}
        await audit.record(
            session,
            actor=actor,
            action="create",
            entity="org_unit",
            entity_id=unit.id,
            before=None,
            after=after,
            reason="import",
            org_path=unit.path,
        )
        return unit

    def unit_named(self, name: str, kind: str) -> OrgUnit | None:
        return next(
            (u for u in self.units.values() if u.kind == kind and key(u.name) == key(name)), None
        )

    def find_region(self, name: str) -> OrgUnit | None:
        return self.unit_named(name, "region") or self.units.get(code_of("REGION", name))

    def find_team(self, name: str) -> OrgUnit | None:
        """The unit ``team_unit`` would return for ``name`` without creating one."""
        found = self.units.get(name) or self.unit_named(name, "team")
        if found is not None and found.kind == "team":
            return found
        return self.units.get(code_of("TEAM", name))

    async def region_unit(self, session: AsyncSession, *, actor: str, name: str) -> OrgUnit:
        """The region unit called ``name`` (and its sales ``Region``), created if missing."""
        found = self.find_region(name)
        if found is not None:
            return found
        region_code = code_of("R", name, width=32)
        if region_code not in self.regions:
            region = Region(code=region_code, name=name)
            session.add(region)
            self.regions[region_code] = region
            self.created["region"] += 1
        root = await self.ensure_root(session, actor=actor)
        return await self.new_unit(
            session,
            actor=actor,
            parent=root,
            code=code_of("REGION", name),
            name=name,
            kind="region",
            region_code=region_code,
        )

    async def team_unit(
        self, session: AsyncSession, *, actor: str, name: str, parent: OrgUnit | None
    ) -> OrgUnit:
        found = self.find_team(name)
        if found is not None:
            return found
        parent = parent or await self.ensure_root(session, actor=actor)
        code = code_of("TEAM", name)
        return await self.new_unit(
            session, actor=actor, parent=parent, code=code, name=name, kind="team"
        )

    async def default_rank(self, session: AsyncSession, *, actor: str) -> Rank:
        """The most junior rank; a default junior rank is created if the ladder is empty."""
        if self.ranks:
            return min(self.ranks.values(), key=lambda r: (r.level, r.id or 0))
        code, name, description = DEFAULT_RANK
        rank = Rank(code=code, name=name, level=1, description=description)
        session.add(rank)
        await session.flush()
        self.ranks[key(code)] = rank
        self.ranks[key(name)] = rank
        self.created["rank"] += 1
        after = {"code": code, "name": name, "level": 1}
        await audit.record(
            session,
            actor=actor,
            action="create",
            entity="rank",
            entity_id=rank.id,
            before=None,
            after=after,
            reason="import: the rank ladder was empty",
        )
        return rank

    def region_of(self, unit: OrgUnit) -> Region | None:
        return self.regions.get(unit.region_code or "")
