"""The traps of real exports, each in a small fixture written for the tests: quoting, encodings,
date formats (detected over the whole column, ambiguity asked), numbers, kind detection and
cleansing that cannot damage data. Pure functions: no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.services.imports import dates
from backend.services.imports.cleansing import Vocabulary, typo_only
from backend.services.imports.coercion import parse_number
from backend.services.imports.mapping import detect_kind, mapping_problems, suggest_mapping
from backend.services.imports.parsing import parse_file
from backend.services.imports.reading import read_table

FIXTURES = Path(__file__).parent / "fixtures"
ORDER_HEADER = ("Order Date", "Sales Rep", "Customer", "Product Name", "Quantity", "Sales")


def _table(name: str):
    return read_table(name, (FIXTURES / name).read_bytes())


def test_doubled_quotes_quoted_delimiters_and_line_breaks_stay_in_their_cell():
    table = _table("orders_doubled_quotes.csv")
    assert table.header == ORDER_HEADER
    assert [r[3] for r in table.rows] == [
        'Monitor 24" "Pro", matte',
        'Cable "USB-C"',
        'Desk, "oak"\nsecond line',
    ]
    assert table.lines == [2, 3, 4] and not table.overflow


def test_ten_thousand_lines_with_doubled_quotes_lose_no_row():
    lines = ["order_id,date,rep,product,amount"]
    lines += [
        f'{i:06d},2024-01-{i % 28 + 1:02d},Rep {i % 7},"Widget ""{i}"", large",{i % 90 + 10}'
        for i in range(10_000)
    ]
    table = read_table("big.csv", ("\n".join(lines) + "\n").encode())
    assert len(table.rows) == 10_000
    assert table.rows[42] == ("000042", "2024-01-15", "Rep 0", 'Widget "42", large', "52")


@pytest.mark.parametrize(
    ("name", "encoding", "customer"),
    [
        ("orders_bom.csv", "utf-8-sig", "Acme"),
        ("orders_cp1252.csv", "cp1252", "Café Crème"),
        ("orders_utf16.csv", "utf-16-le", "Acme"),
    ],
)
def test_encodings_are_detected_from_the_bytes(name, encoding, customer):
    table = _table(name)
    assert table.encoding == encoding
    assert table.header == ORDER_HEADER  # no BOM glued to the first column
    assert table.rows[0][2] == customer
    assert len(table.rows) == 4


def test_gbk_with_chinese_headers_is_read_and_mapped():
    table = _table("orders_gbk.csv")
    assert table.encoding == "gb18030"
    assert table.header == ("订单日期", "销售员", "客户", "金额")
    assert table.rows[0] == ("2024/1/5", "张伟", "北京科技", "￥1,200")
    assert detect_kind(table.header) == "sales_lines"
    mapping = {s.field: s.column for s in suggest_mapping(table.header, "sales_lines")}
    parsed = parse_file("g.csv", table, "sales_lines", mapping)
    assert [r.values["amount"] for r in parsed.records] == [1200.0, 980.0]


@pytest.mark.parametrize(
    ("name", "fmt", "first"),
    [
        ("dates_dmy_time.csv", "dmy", "2024-01-05"),
        ("dates_mdy.csv", "mdy", "2024-01-05"),
        ("dates_yyyymmdd.csv", "yyyymmdd", "2024-01-05"),
        ("dates_excel.csv", "excel", "2024-01-05"),
    ],
)
def test_each_date_format_is_detected_over_the_whole_column(name, fmt, first):
    table = _table(name)
    found = dates.detect(row[0] for row in table.rows)
    assert found.format == fmt and found.fits == found.values
    parsed = parse_file(
        name, table, "sales_lines", {"date": "date", "rep": "rep", "amount": "amount"}
    )
    assert parsed.records[0].values["date"].isoformat() == first
    assert all(r.ok for r in parsed.records)


def test_ambiguous_dates_are_asked_and_the_answer_is_stored_with_the_mapping():
    table = _table("dates_ambiguous.csv")
    mapping = {"date": "date", "rep": "rep", "amount": "amount"}
    parsed = parse_file("a.csv", table, "sales_lines", mapping)
    assert parsed.questions and "dmy or mdy" in parsed.questions[0]
    assert not any(r.ok for r in parsed.records)  # never guessed
    answered = mapping | {"@date_formats": {"date": "dd/mm/yyyy"}}
    assert mapping_problems(answered, table.header, "sales_lines") == []
    parsed = parse_file("a.csv", table, "sales_lines", answered)
    assert not parsed.questions
    assert [r.values["date"].isoformat() for r in parsed.records] == [
        "2024-01-05",
        "2024-02-06",
        "2024-03-03",
    ]


def test_user_formats_are_understood():
    assert dates.normalise_format("dd-mm-yyyy hh:mm") == "%d-%m-%Y %H:%M"
    assert dates.parse("05-01-2024 09:30", "%d-%m-%Y %H:%M").isoformat() == "2024-01-05"
    with pytest.raises(ValueError):
        dates.normalise_format("yyyy")


def test_numbers_with_thousands_separators_and_currency_symbols():
    assert parse_number("$1,234.50") == 1234.5
    assert parse_number("1.234,50 €") == 1234.5
    assert parse_number("￥1,200") == 1200.0
    assert parse_number("980元") == 980.0


def test_constants_and_defaults_fill_fields_without_a_column():
    table = read_table("w.csv", (FIXTURES / "crm_won_only.csv").read_bytes())
    mapping = {
        "external_id": "deal",
        "rep": "agent",
        "closed_on": "closed",
        "value": "value",
        "@constants": {"stage": "won", "created_on": "2024-01-01"},
    }
    assert mapping_problems(mapping, table.header, "crm") == []
    parsed = parse_file("w.csv", table, "crm", mapping)
    assert {r.values["stage"] for r in parsed.records} == {"won"}
    assert any("constant" in n.problem for n in parsed.notes)
    bad = mapping | {"@constants": {"created_on": "soon"}}
    assert any("must be a date" in p for p in mapping_problems(bad, table.header, "crm"))


def test_an_order_file_is_detected_as_sales_lines_never_as_a_catalogue():
    superstore = (
        "Row ID", "Order ID", "Order Date", "Ship Date", "Ship Mode", "Customer ID",
        "Customer Name", "Segment", "Country", "City", "State", "Region", "Product ID",
        "Category", "Sub-Category", "Product Name", "Sales", "Quantity", "Discount", "Profit",
    )  # fmt: skip
    assert detect_kind(superstore) == "sales_lines"
    assert detect_kind(ORDER_HEADER) == "sales_lines"
    assert detect_kind(("product", "series", "sales_price")) == "products"


def test_fuzzy_fixes_only_where_a_typo_explains_the_difference():
    assert not typo_only("Xerox 1915", "Xerox 191")
    assert not typo_only("16 GB", "32 GB")
    assert not typo_only("Cable 2 m", "Cable 2 cm")
    assert typo_only("GTXPro", "GTX Pro") and typo_only("technolgy", "technology")
    products = Vocabulary.of(["Xerox 191", "32 GB stick", "GTX Pro"])
    assert products.nearest("Xerox 1915") is None
    assert products.nearest("16 GB stick") is None
    found = products.nearest("GTXPro")
    assert found is not None and found[0] == "GTX Pro" and 0 <= found[1] <= 100
