"""What can be imported: the kinds of file and the fields of each, with EN and ZH synonyms.

A field's synonyms feed the fuzzy column-mapping suggestions; its type drives coercion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal["text", "date", "number", "integer"]


@dataclass(frozen=True)
class FieldSpec:
    """One target field of a kind of file."""

    name: str
    type: FieldType
    required: bool
    description: str
    synonyms: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class KindSpec:
    """A kind of file (HR, org, CRM, ...) and the fields it can carry."""

    name: str
    description: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


def _f(
    name: str,
    type_: FieldType,
    description: str,
    *synonyms: str,
    required: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> FieldSpec:
    return FieldSpec(name, type_, required, description, synonyms, minimum, maximum)


_REP = (
    "sales_agent",
    "agent",
    "salesperson",
    "sales rep",
    "rep",
    "employee",
    "销售员",
    "销售",
    "业务员",
)
_CUSTOMER = ("account", "customer", "company", "client", "客户", "客户名称", "公司")
_PRODUCT = ("product", "product name", "sku", "item", "产品", "产品名称", "商品")

KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            "org",
            "Org structure: units with their parent. Scope: new units under a parent inside "
            "your scope, renames of units inside it (not of its own root); a unit at the top of "
            "the tree needs a company-wide scope.",
            (
                _f("code", "text", "Unit code", "unit_code", "org_code", "部门编码", required=True),
                _f("name", "text", "Unit name", "unit", "org_unit", "部门", "部门名称"),
                _f("kind", "text", "region, branch or team", "type", "level", "层级", "类型"),
                _f("parent_code", "text", "Parent unit code", "parent", "上级", "上级部门"),
            ),
        ),
        KindSpec(
            "hr",
            "HR: reps with their team, region, rank, hire and leave dates. Scope: reps and "
            "teams inside your scope only (a rep is neither taken from nor moved out of it); a "
            "new region, or a team outside it, needs a company-wide scope.",
            (
                _f("name", "text", "Rep name", *_REP, "name", "姓名", "员工姓名", required=True),
                _f("external_id", "text", "Employee id", "employee_id", "emp_id", "工号"),
                _f("manager", "text", "Manager (one team per manager)", "manager", "经理", "主管"),
                _f("team", "text", "Team name or code", "team", "团队", "小组"),
                _f(
                    "region",
                    "text",
                    "Region / regional office",
                    "regional_office",
                    "region",
                    "office",
                    "区域",
                    "大区",
                ),
                _f("rank", "text", "Rank code or name", "rank", "level", "grade", "职级"),
                _f("hire_date", "date", "Hire date", "hired", "start_date", "入职日期"),
                _f("leave_date", "date", "Leave date", "left", "end_date", "离职日期"),
            ),
        ),
        KindSpec(
            "accounts",
            "CRM accounts: customers with their sector and owner. Scope: an account belongs to "
            "its owner's part of the company, so only accounts owned (before and after) by reps "
            "inside your scope; accounts without an owner are company-wide.",
            (
                _f("name", "text", "Account name", *_CUSTOMER, required=True),
                _f("external_id", "text", "Account id", "account_id", "customer_id", "客户编号"),
                _f("segment", "text", "Sector / segment", "sector", "industry", "segment", "行业"),
                _f("owner", "text", "Owner rep", "owner", "account_owner", "负责人"),
            ),
        ),
        KindSpec(
            "products",
            "Product catalogue: products, series (product line) and list price. Company-wide "
            "reference data: importing it needs a company-wide scope.",
            (
                _f("name", "text", "Product name", *_PRODUCT, required=True),
                _f("line", "text", "Series / product line", "series", "product_line", "产品线"),
                _f(
                    "list_price",
                    "number",
                    "List price",
                    "sales_price",
                    "price",
                    "单价",
                    "价格",
                    minimum=0,
                ),
            ),
        ),
        KindSpec(
            "crm",
            "CRM deals (opportunities) with stage, dates, value, account and product. Scope: "
            "deals of reps inside your scope (an existing deal's rep too).",
            (
                _f(
                    "external_id",
                    "text",
                    "Deal id",
                    "opportunity_id",
                    "deal_id",
                    "商机编号",
                    required=True,
                ),
                _f("rep", "text", "Rep (name or employee id)", *_REP, "owner", required=True),
                _f("product", "text", "Product", *_PRODUCT),
                _f("customer", "text", "Account", *_CUSTOMER),
                _f("stage", "text", "Stage", "deal_stage", "status", "阶段", required=True),
                _f(
                    "created_on",
                    "date",
                    "Created / engaged on",
                    "engage_date",
                    "created",
                    "创建日期",
                    required=True,
                ),
                _f("closed_on", "date", "Closed on", "close_date", "成交日期", "关闭日期"),
                _f("value", "number", "Value", "close_value", "amount", "金额", minimum=0),
            ),
        ),
        KindSpec(
            "invoices",
            "ERP invoices. Scope: invoices of reps inside your scope (an existing one's too).",
            (
                _f("external_id", "text", "Invoice id", "invoice_no", "发票号", required=True),
                _f("deal", "text", "Deal id", "opportunity_id", "deal_id", "order", "订单号"),
                _f("rep", "text", "Rep", *_REP, required=True),
                _f("customer", "text", "Account", *_CUSTOMER),
                _f("issued_on", "date", "Issued on", "invoice_date", "开票日期", required=True),
                _f("due_on", "date", "Due on", "due_date", "到期日", required=True),
                _f("amount", "number", "Amount", "total", "金额", required=True, minimum=0),
            ),
        ),
        KindSpec(
            "payments",
            "ERP payments against invoices. Scope: payments of invoices of reps inside your scope.",
            (
                _f("external_id", "text", "Payment id", "payment_no", "回款编号", required=True),
                _f("invoice", "text", "Invoice id", "invoice_no", "发票号", required=True),
                _f("paid_on", "date", "Paid on", "payment_date", "回款日期", required=True),
                _f("amount", "number", "Amount", "paid", "回款金额", required=True, minimum=0),
            ),
        ),
        KindSpec(
            "satisfaction",
            "Customer satisfaction surveys about reps (score 1..5). Scope: surveys of reps "
            "inside your scope.",
            (
                _f("rep", "text", "Rep", *_REP, required=True),
                _f("customer", "text", "Account", *_CUSTOMER),
                _f("surveyed_on", "date", "Survey date", "date", "调查日期", required=True),
                _f(
                    "score",
                    "number",
                    "Score 1..5",
                    "rating",
                    "csat",
                    "满意度",
                    "评分",
                    required=True,
                    minimum=1,
                    maximum=5,
                ),
            ),
        ),
    )
}

#: Order in which kinds are applied inside one run: references before what refers to them.
APPLY_ORDER = ("org", "hr", "products", "accounts", "crm", "invoices", "payments", "satisfaction")

#: Canonical deal stages; anything else is reported with the nearest one proposed.
STAGES = {
    "won": "won",
    "closed won": "won",
    "赢单": "won",
    "成交": "won",
    "lost": "lost",
    "closed lost": "lost",
    "输单": "lost",
    "prospecting": "prospecting",
    "engaging": "engaging",
    "qualified": "qualified",
    "proposal": "proposal",
    "negotiation": "negotiation",
}

#: Common industry sectors: a misspelt sector is proposed its nearest entry.
SECTORS = (
    "technology",
    "software",
    "retail",
    "medical",
    "healthcare",
    "finance",
    "marketing",
    "entertainment",
    "telecommunications",
    "services",
    "employment",
    "manufacturing",
    "education",
    "energy",
    "logistics",
    "real estate",
    "insurance",
    "government",
)
