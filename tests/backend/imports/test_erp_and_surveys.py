"""Org structure, HR with hire/leave dates, ERP invoices and payments, surveys: imported and
aggregated into collection rate and satisfaction."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from backend.db.models import Metric, MonthlyActual, OrgUnit, Rep
from backend.services import imports
from backend.services.imports import UploadedFile

ORG = """部门编码,部门名称,层级,上级部门
NORTH,North,region,
N-T1,North Team 1,team,NORTH
"""
HR = """工号,姓名,团队,入职日期,离职日期
E1,Wang Fang,N-T1,2016/03/01,
E2,Li Lei,N-T1,2016/05/01,2017/12/31
"""
INVOICES = """invoice_no,sales_agent,invoice_date,due_date,amount
I1,E1,2017-02-01,2017-03-31,"¥1,000.00"
I2,E1,2017-02-01,2017-03-15,¥500
I3,Li Lei,2017-03-01,2017-02-01,¥100
"""
PAYMENTS = """payment_no,invoice_no,payment_date,paid
P1,I1,2017-03-20,"¥1,000"
P2,I2,2017-03-28,250
P3,I9,2017-03-28,250
"""
SURVEYS = """销售员,调查日期,满意度
Wang Fang,2017年3月2日,4
Wang Fang,2017年3月9日,5
Li Lei,2017年3月9日,7
"""


async def test_org_hr_erp_and_surveys_are_imported_and_aggregated(session):
    files = [
        UploadedFile("org.csv", ORG.encode()),
        UploadedFile("hr.csv", HR.encode()),
        UploadedFile("invoices.csv", INVOICES.encode()),
        UploadedFile("payments.csv", PAYMENTS.encode()),
        UploadedFile("surveys.csv", SURVEYS.encode("gb18030")),
    ]
    run = await imports.import_files(
        session, actor="t", source="erp", files=files, dry_run=False, as_of=date(2018, 1, 2)
    )
    await session.commit()
    assert [f["kind"] for f in run.report["files"]] == [
        "org",
        "hr",
        "invoices",
        "payments",
        "satisfaction",
    ]
    errors = {
        (i["file"], i["row"], i["field"]) for i in run.report["issues"] if i["severity"] == "error"
    }
    assert errors == {
        ("invoices.csv", 4, "due_on"),  # due before issued
        ("payments.csv", 4, "invoice"),  # unknown invoice
        ("surveys.csv", 4, "score"),  # 7 is out of 1..5
    }
    team = (await session.exec(select(OrgUnit).where(OrgUnit.code == "N-T1"))).one()
    li = (await session.exec(select(Rep).where(Rep.external_id == "E2"))).one()
    assert li.team_id == team.id and li.leave_date == date(2017, 12, 31)
    rows = await session.exec(
        select(Metric.code, MonthlyActual.value).join(Metric, Metric.id == MonthlyActual.metric_id)
    )
    values = dict(rows.all())
    assert values["collection_rate"] == 1250 / 1500
    assert values["satisfaction"] == 4.5
