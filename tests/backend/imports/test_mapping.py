"""Column-mapping suggestions from column names, in English and Chinese, and kind detection."""

from __future__ import annotations

from backend.services.imports.mapping import detect_kind, mapping_problems, suggest_mapping

MAVEN_PIPELINE = (
    "opportunity_id",
    "sales_agent",
    "product",
    "account",
    "deal_stage",
    "engage_date",
    "close_date",
    "close_value",
)


def _as_dict(header, kind):
    return {s.field: s.column for s in suggest_mapping(header, kind)}


def test_suggests_every_field_of_the_maven_pipeline():
    assert detect_kind(MAVEN_PIPELINE) == "crm"
    assert _as_dict(MAVEN_PIPELINE, "crm") == {
        "external_id": "opportunity_id",
        "rep": "sales_agent",
        "product": "product",
        "customer": "account",
        "stage": "deal_stage",
        "created_on": "engage_date",
        "closed_on": "close_date",
        "value": "close_value",
    }


def test_suggests_chinese_column_names():
    header = ("商机编号", "销售员", "客户", "阶段", "创建日期", "成交日期", "金额")
    assert detect_kind(header) == "crm"
    mapping = _as_dict(header, "crm")
    assert mapping["rep"] == "销售员"
    assert mapping["closed_on"] == "成交日期"
    assert mapping["value"] == "金额"


def test_suggests_despite_case_and_spelling_differences():
    mapping = _as_dict(("Sales Agent", "Manager", "Regional_Office", "Hire Date"), "hr")
    assert mapping == {
        "name": "Sales Agent",
        "manager": "Manager",
        "region": "Regional_Office",
        "hire_date": "Hire Date",
    }


def test_a_header_without_required_fields_has_no_kind():
    assert detect_kind(("colour", "weight")) is None


def test_mapping_problems_name_missing_required_fields_and_unknown_columns():
    problems = mapping_problems({"rep": "nope"}, MAVEN_PIPELINE, "crm")
    assert "column 'nope' is not in the file" in problems
    assert "required field 'external_id' has no column" in problems
