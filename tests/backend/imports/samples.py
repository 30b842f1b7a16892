"""Small CRM/HR files with known faults, shaped like the Maven sample."""

from __future__ import annotations

from backend.services.imports import UploadedFile

HR = """sales_agent,manager,regional_office
Anna Snelling,Dustin Brinkmann,Central
Moses Frase,Dustin Brinkmann,Central
Zoe Newhire,Cara Losch,East
"""
PRODUCTS = """product,series,sales_price
GTX Pro,GTX,4821
MG Special,MG,55
"""
ACCOUNTS = """account,sector
Acme Corporation,technolgy
Betasoloin,medical
"""
PIPELINE = """\
opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
D1,Anna Snelling,GTXPro,Acme Corporation,Won,2017-01-05,2017-03-01,"1,000"
D2,Moses Frase,MG Special,Betasoloin,Lost,2017-01-06,2017-03-02,0
D3,Anna Snelling,GTX Pro,Betasoloin,Won,2017-02-01,2017-04-10,$500
D4,Moses Frase,MG Special,,Engaging,2017-03-01,,
D5,Moses Frase,MG Special,Acme Corporation,Won,2017-02-01,2017-03-15,$1.2k
"""


def sample_files() -> list[UploadedFile]:
    return [
        UploadedFile("sales_teams.csv", HR.encode()),
        UploadedFile("products.csv", PRODUCTS.encode()),
        UploadedFile("accounts.csv", ACCOUNTS.encode()),
        UploadedFile("sales_pipeline.csv", PIPELINE.encode()),
    ]
