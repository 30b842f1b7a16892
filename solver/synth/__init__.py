"""Seeded synthetic sales companies: org, reps, deals, ERP facts, actuals and ground truth.

>>> from solver.synth import CompanyConfig, generate_company
>>> company = generate_company(CompanyConfig(n_reps=50, months=12, seed=3))
>>> sorted(company.monthly_actuals["metric_code"].unique())[:2]
['collection_rate', 'conversion_rate']
"""

from solver.synth.generate import generate_company, read_company, write_company
from solver.synth.model import CompanyConfig, GenerationStats, SyntheticCompany

__all__ = [
    "CompanyConfig",
    "GenerationStats",
    "SyntheticCompany",
    "generate_company",
    "read_company",
    "write_company",
]
