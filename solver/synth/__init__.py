"""Seeded synthetic sales companies: org, reps, deals, ERP facts, actuals and ground truth;
and long panels of zero-heavy territories (``generate_territories``).

>>> from solver.synth import CompanyConfig, generate_company
>>> company = generate_company(CompanyConfig(n_reps=50, months=12, seed=3))
>>> sorted(company.monthly_actuals["metric_code"].unique())[:2]
['collection_rate', 'conversion_rate']
"""

from solver.synth.generate import generate_company, read_company, write_company
from solver.synth.model import CompanyConfig, GenerationStats, SyntheticCompany
from solver.synth.territories import TerritoryConfig, TerritoryPanel, generate_territories

__all__ = [
    "CompanyConfig",
    "GenerationStats",
    "SyntheticCompany",
    "TerritoryConfig",
    "TerritoryPanel",
    "generate_company",
    "generate_territories",
    "read_company",
    "write_company",
]
