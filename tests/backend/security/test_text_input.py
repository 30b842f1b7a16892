"""Names and identifiers are NFKC-normalised; hidden characters and look-alikes are refused.

Usernames and codes are identifiers: after NFKC they may hold only ASCII letters, digits and
``. _ @ -`` (so a Cyrillic "а" or a zero-width space cannot make a look-alike of "admin").
Names may hold any script but no control or format character (NUL, bidi overrides, zero-width).
Sign-in normalises the username the same way and says nothing more about unknown users.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.backend.conftest import GraphQLClient
from tests.factories import TEST_PASSWORD, SmallCompany, make_user

CREATE_USER = """mutation($u: String!, $d: String! = "") { createUser(input: {username: $u,
  password: "long-enough-password", role: "hq_planner", displayName: $d}) {
  user { username displayName } errors { field code message } } }"""
CREATE_UNIT = """mutation($parent: ID!, $name: String!, $code: String!) { createOrgUnit(input: {
  parentId: $parent, name: $name, code: $code, kind: TEAM}) {
  orgUnit { id name code version } errors { field code message } } }"""
UPDATE_UNIT = """mutation($id: ID!, $v: Int!, $name: String!) { updateOrgUnit(input: {
  id: $id, expectedVersion: $v, name: $name}) {
  orgUnit { name } errors { field code message } } }"""
CREATE_RANK = """mutation($code: String!, $name: String!, $level: Int!) { createRank(input: {
  code: $code, name: $name, level: $level}) {
  rank { id code name } errors { field code message } } }"""
UPDATE_RANK = """mutation($id: ID!, $name: String!) { updateRank(input: {id: $id, name: $name}) {
  rank { name } errors { field code message } } }"""
SIGN_IN = """mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  me { username } errors { field code message } } }"""

LOOK_ALIKES = {
    "zero-width space": "admin\u200b",
    "zero-width joiner inside": "ad\u200dmin",
    "Cyrillic a": "\u0430dmin",
    "Greek omicron": "r\u03bfot",
    "right-to-left override": "\u202enimda",
    "NUL": "ad\x00min",
    "space inside": "ad min",
}
HIDDEN = {
    "NUL": "North\x00Team",
    "right-to-left override": "Team \u202eevil",
    "zero-width space": "North\u200bTeam",
    "line feed": "North\nTeam",
}


def only_error(payload: dict[str, Any]) -> tuple[str, str, str]:
    [error] = payload["errors"]
    return error["field"], error["code"], error["message"]


@pytest.mark.parametrize("username", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
async def test_a_look_alike_username_is_refused_naming_the_field(
    api: GraphQLClient, username: str
) -> None:
    payload = (await api.data(CREATE_USER, u=username))["createUser"]
    assert payload["user"] is None
    field, code, message = only_error(payload)
    assert (field, code) == ("username", "INVALID")
    assert "A-Z" in message or "invisible" in message, message


async def test_usernames_are_nfkc_normalised_and_unique_whatever_the_case(
    api: GraphQLClient,
) -> None:
    fullwidth = (await api.data(CREATE_USER, u="\uff41\uff44\uff41"))["createUser"]  # "ａｄａ"
    again = (await api.data(CREATE_USER, u="ada"))["createUser"]
    upper = (await api.data(CREATE_USER, u="ADA"))["createUser"]
    assert fullwidth["user"] == {"username": "ada", "displayName": "ada"}
    assert only_error(again)[:2] == only_error(upper)[:2] == ("username", "INVALID")
    assert "taken" in only_error(upper)[2]


async def test_a_display_name_with_hidden_characters_is_refused(api: GraphQLClient) -> None:
    payload = (await api.data(CREATE_USER, u="eve", d="Eve \u202egnp.exe"))["createUser"]
    assert only_error(payload)[:2] == ("displayName", "INVALID")


async def test_sign_in_normalises_the_username_and_reveals_nothing(
    session: AsyncSession, company: SmallCompany, anonymous: GraphQLClient
) -> None:
    await make_user(session, username="ada", role="admin")
    await session.commit()

    async def sign_in(username: str, password: str = TEST_PASSWORD) -> dict[str, Any]:
        payload: dict[str, Any] = (await anonymous.data(SIGN_IN, u=username, p=password))["signIn"]
        return payload

    unknown = await sign_in("nobody", "wrong-password")
    for attempt in ("ada\u200b", "\u0430da", "ad\x00a", "a" * 5000, "\u202eada"):
        refused = await sign_in(attempt)
        assert refused["me"] is None
        assert refused["errors"] == unknown["errors"], attempt
    assert (await sign_in("\uff41\uff44\uff41"))["me"] == {"username": "ada"}  # "ａｄａ"


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
async def test_org_unit_names_with_hidden_characters_are_refused(
    api: GraphQLClient, company: SmallCompany, name: str
) -> None:
    created = await api.data(CREATE_UNIT, parent=str(company.branches[0].id), name=name, code="T9")
    team = company.teams[0]
    renamed = await api.data(UPDATE_UNIT, id=str(team.id), v=team.version, name=name)
    assert only_error(created["createOrgUnit"])[:2] == ("name", "INVALID")
    assert only_error(renamed["updateOrgUnit"])[:2] == ("name", "INVALID")


async def test_org_units_are_normalised_and_their_codes_are_plain(
    api: GraphQLClient, company: SmallCompany
) -> None:
    parent = str(company.branches[0].id)
    fine = await api.data(CREATE_UNIT, parent=parent, name="\uff2eorth  Team 9 ", code="NT-9")
    assert fine["createOrgUnit"]["orgUnit"]["name"] == "North  Team 9"
    for code in ("NT\u200b9", "\u041dT-9", "NT 9", "NT\x009", "x" * 65):  # Cyrillic En
        refused = await api.data(CREATE_UNIT, parent=parent, name="Other", code=code)
        assert only_error(refused["createOrgUnit"])[:2] == ("code", "INVALID"), code
    long_name = await api.data(CREATE_UNIT, parent=parent, name="n" * 201, code="NT-10")
    assert only_error(long_name["createOrgUnit"])[:2] == ("name", "INVALID")


async def test_ranks_are_normalised_and_refuse_hidden_characters_and_look_alikes(
    api: GraphQLClient, company: SmallCompany
) -> None:
    created = await api.data(CREATE_RANK, code="\uff33\uff19", name="Senior", level=9)
    assert created["createRank"]["rank"]["code"] == "S9"  # fullwidth "Ｓ９"
    rank_id = created["createRank"]["rank"]["id"]
    for code, name in (
        ("S\u200b7", "Fine"),
        ("\u04057", "Fine"),
        ("S7", "Bad\x00"),
        ("S7", "Bad \u202e"),
    ):
        refused = (await api.data(CREATE_RANK, code=code, name=name, level=7))["createRank"]
        assert only_error(refused)[:2] == ("code" if name == "Fine" else "name", "INVALID")
    renamed = (await api.data(UPDATE_RANK, id=rank_id, name="Senior\u200b"))["updateRank"]
    assert only_error(renamed)[:2] == ("name", "INVALID")
    tidy = (await api.data(UPDATE_RANK, id=rank_id, name=" \uff33enior "))["updateRank"]
    assert tidy["rank"]["name"] == "Senior"
