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
    #: Groups of fields of which at least one must be mapped (and filled on each row).
    one_of: tuple[tuple[str, ...], ...] = ()
    #: Whether the kind holds facts (dated amounts): such files are never taken for a list of
    #: reference data (a catalogue, accounts) however many names they carry.
    facts: bool = False

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    def has(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)


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
    "salesman",
    "seller",
    "created by",
    "销售员",
    "销售",
    "业务员",
)
_CUSTOMER = ("account", "customer", "company", "client", "客户", "客户名称", "公司")
_PRODUCT = ("product", "product name", "sku", "item", "产品", "产品名称", "商品")
_SALES_CUSTOMER = (*_CUSTOMER, "customer name", "customer id", "partner", "partner id", "buyer")
_SALES_PRODUCT = (*_PRODUCT, "product id", "article", "material")
_CANCELLED_HELP = "cancelled lines (X, cancelled, void, storno, 已取消) are excluded and counted"

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
                _f(
                    "stage",
                    "text",
                    "Stage (may be left out, or set as a constant, when the file holds only won "
                    "deals: rows with a close date and a value are then taken as won)",
                    "deal_stage",
                    "status",
                    "阶段",
                ),
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
            facts=True,
        ),
        KindSpec(
            "sales_lines",
            "Sales lines: order or invoice lines with a date, an amount and a rep or a "
            "territory; they become the monthly revenue actuals. A territory becomes one rep "
            "named after it; a rep missing from the database is created, hired on the column's "
            f"hire date or else the history start (reported). {_CANCELLED_HELP}. Scope: lines "
            "of reps inside your scope.",
            (
                _f(
                    "date",
                    "date",
                    "Order / invoice date",
                    "order date",
                    "invoice date",
                    "sale date",
                    "transaction date",
                    "created at",
                    "date",
                    "订单日期",
                    "下单日期",
                    "销售日期",
                    "日期",
                    required=True,
                ),
                _f(
                    "amount",
                    "number",
                    "Line amount (net; a negative amount is a return)",
                    "amount",
                    "net amount",
                    "sales",
                    "revenue",
                    "line total",
                    "net value",
                    "sales amount",
                    "销售额",
                    "金额",
                    "净额",
                    required=True,
                ),
                _f("rep", "text", "Rep (name or employee id)", *_REP),
                _f(
                    "territory",
                    "text",
                    "Territory (one rep per territory)",
                    "territory",
                    "sales territory",
                    "sales org",
                    "sales organization",
                    "销售区域",
                    "片区",
                ),
                _f("region", "text", "Region", "region", "regional office", "区域", "大区"),
                _f("customer", "text", "Customer", *_SALES_CUSTOMER),
                _f("product", "text", "Product", *_SALES_PRODUCT),
                _f("quantity", "number", "Quantity", "quantity", "qty", "units", "数量"),
                _f(
                    "order_id",
                    "text",
                    "Order id",
                    "order id",
                    "order number",
                    "order no",
                    "sales order id",
                    "invoice no",
                    "订单号",
                ),
                _f(
                    "line_id",
                    "text",
                    "Line id within the order",
                    "line id",
                    "line no",
                    "line number",
                    "item no",
                    "order line",
                    "position",
                    "行号",
                ),
                _f(
                    "status",
                    "text",
                    "Status (cancelled lines are excluded)",
                    "status",
                    "order status",
                    "lifecycle status",
                    "状态",
                ),
                _f("hire_date", "date", "Hire date of the rep", "hire date", "入职日期"),
            ),
            one_of=(("rep", "territory"),),
            facts=True,
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
            facts=True,
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
            facts=True,
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
            facts=True,
        ),
    )
}

#: Order in which kinds are applied inside one run: references before what refers to them.
APPLY_ORDER = (
    "org",
    "hr",
    "products",
    "accounts",
    "crm",
    "sales_lines",
    "invoices",
    "payments",
    "satisfaction",
)

#: Status values of a cancelled line (compared by ``cleansing.key``).
CANCELLED = frozenset(
    {
        "x",
        "cancelled",
        "canceled",
        "cancel",
        "void",
        "voided",
        "storno",
        "deleted",
        "rejected",
        "已取消",
        "取消",
        "作废",
    }
)

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
