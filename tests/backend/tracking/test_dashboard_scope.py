"""Scope: every part of the dashboard counts only the reps the caller's scope covers."""

from __future__ import annotations

import pytest

from tests.backend.tracking.conftest import add_tracked_plan

BOARD = """query($node: ID) { trackingDashboard(asOf: "2026-03-15", orgUnitId: $node) {
  headline { node { id } figures { reps actual target } }
  trail { id } children { node { id } figures { reps } }
  ranks { figures { reps } paceBuckets projectedBuckets }
  atRisk(limit: 100) { totalCount items { repId teamId } }
  members(limit: 100) { totalCount items { repId } }
  weeks { cumulativeActual } } }"""
REP = """query($rep: ID!) { repProgress(repId: $rep, asOf: "2026-03-15") { progress { repId } } }"""


@pytest.fixture
async def tracked(session, company):
    return await add_tracked_plan(session, company)


def rep_ids(board: dict) -> set[str]:
    return {r["repId"] for r in board["atRisk"]["items"]} | {
        r["repId"] for r in board["members"]["items"]
    }


class TestABranchManager:
    async def test_sees_only_their_branch_in_every_part(self, tracked, client_of):
        c = tracked.company
        mine = {str(r.id) for r in c.reps[:6]}  # branch 0: teams 0 and 1
        board = (await (await client_of("branch")).data(BOARD))["trackingDashboard"]
        assert board["headline"]["node"]["id"] == str(c.branches[0].id)
        assert board["headline"]["figures"]["reps"] == 6
        assert board["headline"]["figures"]["target"] == pytest.approx(
            sum(sum(tracked.targets[r.id]) for r in c.reps[:6])
        )
        assert [t["id"] for t in board["trail"]] == [str(c.branches[0].id)]
        assert {n["node"]["id"] for n in board["children"]} == {
            str(c.teams[0].id),
            str(c.teams[1].id),
        }
        assert sum(r["figures"]["reps"] for r in board["ranks"]) == 6
        assert sum(sum(r["paceBuckets"]) for r in board["ranks"]) <= 6
        assert rep_ids(board) == mine
        assert board["atRisk"]["totalCount"] == 6
        assert board["weeks"][-1]["cumulativeActual"] == pytest.approx(
            board["headline"]["figures"]["actual"]
        )

    async def test_cannot_open_another_branch_or_the_company_node(self, tracked, client_of):
        c = tracked.company
        client = await client_of("branch")
        for node in (c.branches[1], c.teams[2], c.root):
            body = await client.execute(BOARD, node=str(node.id))
            assert body["data"]["trackingDashboard"] is None
            assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]

    async def test_cannot_read_another_branchs_rep(self, tracked, client_of):
        body = await (await client_of("branch")).execute(REP, rep=str(tracked.company.reps[6].id))
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


class TestARep:
    async def test_sees_only_themself(self, tracked, client_of):
        me = tracked.company.reps[0]
        board = (await (await client_of("rep")).data(BOARD))["trackingDashboard"]
        assert board["headline"]["figures"]["reps"] == 1
        assert board["headline"]["figures"]["target"] == pytest.approx(sum(tracked.targets[me.id]))
        assert board["children"] == [] and board["trail"] == []
        assert [r["figures"]["reps"] for r in board["ranks"]] == [1]
        assert rep_ids(board) == {str(me.id)}
        assert board["weeks"][-1]["cumulativeActual"] == pytest.approx(
            board["headline"]["figures"]["actual"]
        )

    async def test_reads_their_own_page_but_not_a_teammates(self, tracked, client_of):
        client = await client_of("rep")
        mine = await client.data(REP, rep=str(tracked.company.reps[0].id))
        assert [p["progress"]["repId"] for p in mine["repProgress"]] == [
            str(tracked.company.reps[0].id)
        ]
        body = await client.execute(REP, rep=str(tracked.company.reps[1].id))
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]

    async def test_cannot_open_their_team_node(self, tracked, client_of):
        body = await (await client_of("rep")).execute(BOARD, node=str(tracked.company.teams[0].id))
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


async def test_without_an_active_plan_the_dashboard_is_null(company, api):
    data = await api.data(BOARD)
    assert data["trackingDashboard"] is None
