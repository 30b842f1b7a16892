"""Static reference data: metrics, rank ladder, regions, product catalogue, segments.

These are company-wide constants, generated once whatever the number of reps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from solver.synth.model import FloatArr

METRIC_CODES = ("revenue", "new_customers", "conversion_rate", "collection_rate", "satisfaction")

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
#: Per segment: deal value multiplier, win-rate modifier, sales-cycle multiplier, payment terms.
SEGMENT_VALUE = np.array([0.5, 1.2, 3.0])
SEGMENT_WIN = np.array([1.15, 1.0, 0.75])
SEGMENT_CYCLE = np.array([0.6, 1.0, 1.6])
SEGMENT_TERMS_DAYS = np.array([30, 60, 90])
#: Probability of each segment for a new customer, by rank (senior reps win bigger accounts).
SEGMENT_MIX_BY_RANK = np.array(
    [
        [0.75, 0.22, 0.03],
        [0.68, 0.27, 0.05],
        [0.60, 0.32, 0.08],
        [0.50, 0.38, 0.12],
        [0.40, 0.42, 0.18],
        [0.30, 0.45, 0.25],
    ]
)

#: Month-of-year seasonality (Jan..Dec): quarter-end and year-end peaks, Chinese New Year dip
#: in February and the October Golden Week lull. Normalised to a mean of 1.
_RAW_SEASON = np.array([0.95, 0.62, 1.15, 0.92, 0.95, 1.18, 0.90, 0.88, 1.12, 0.85, 1.02, 1.5])
SEASONALITY: FloatArr = _RAW_SEASON / _RAW_SEASON.mean()

#: Baselines of count and ratio metrics match what tenured reps of each rank realise here
#: (collection is monthly cash received over amounts falling due, so timing pulls it below 1).
_RANKS = pd.DataFrame(
    {
        "rank_code": ["S1", "S2", "S3", "S4", "S5", "S6"],
        "name": [
            "Associate",
            "Sales Rep",
            "Senior Rep",
            "Account Manager",
            "Senior Account Manager",
            "Sales Director",
        ],
        "level": [1, 2, 3, 4, 5, 6],
        "baseline_revenue": [60_000.0, 85_000.0, 120_000.0, 165_000.0, 225_000.0, 300_000.0],
        "baseline_new_customers": [0.9, 0.95, 0.98, 1.0, 1.0, 1.0],
        "weight_revenue": [0.40, 0.45, 0.50, 0.50, 0.55, 0.60],
        "weight_new_customers": [0.30, 0.25, 0.20, 0.20, 0.15, 0.10],
        "weight_collection_rate": [0.15, 0.15, 0.15, 0.15, 0.15, 0.15],
        "weight_satisfaction": [0.15, 0.15, 0.15, 0.15, 0.15, 0.15],
        "floor_multiplier": [0.6, 0.65, 0.7, 0.7, 0.75, 0.75],
        "ceiling_multiplier": [1.8, 1.7, 1.6, 1.5, 1.5, 1.4],
        "baseline_collection_rate": [0.75, 0.76, 0.77, 0.78, 0.78, 0.79],
        "baseline_satisfaction": [3.9, 3.95, 4.0, 4.0, 4.05, 4.1],
    }
)

_REGIONS = pd.DataFrame(
    {
        "region_code": ["EC", "SC", "NC", "CC", "SW", "NE", "NW"],
        "name": [
            "East China",
            "South China",
            "North China",
            "Central China",
            "Southwest China",
            "Northeast China",
            "Northwest China",
        ],
        "market_potential": [1.38, 1.25, 1.18, 0.96, 0.9, 0.8, 0.72],
    }
)

REGION_CITIES: dict[str, tuple[str, ...]] = {
    "EC": ("Shanghai", "Hangzhou", "Nanjing", "Suzhou", "Ningbo", "Hefei", "Xiamen", "Fuzhou"),
    "SC": ("Shenzhen", "Guangzhou", "Dongguan", "Foshan", "Nanning", "Haikou", "Zhuhai"),
    "NC": ("Beijing", "Tianjin", "Shijiazhuang", "Jinan", "Qingdao", "Taiyuan", "Hohhot"),
    "CC": ("Wuhan", "Changsha", "Zhengzhou", "Nanchang", "Luoyang", "Yichang"),
    "SW": ("Chengdu", "Chongqing", "Kunming", "Guiyang", "Mianyang", "Lhasa"),
    "NE": ("Shenyang", "Dalian", "Harbin", "Changchun", "Anshan", "Jilin"),
    "NW": ("Xi'an", "Lanzhou", "Urumqi", "Yinchuan", "Xining", "Baoji"),
}

_PRODUCT_LINES = pd.DataFrame(
    {
        "product_line_code": ["ERP", "CRM", "ANA", "PAY", "SVC"],
        "name": ["Cloud ERP", "CRM Suite", "Analytics", "Payments", "Support & Services"],
        "difficulty": [1.28, 1.0, 1.12, 0.88, 0.8],
        "cycle_months": [4.0, 2.5, 3.0, 1.5, 1.0],
    }
)

_PRODUCTS = pd.DataFrame(
    {
        "product_code": [
            "ERP-STD", "ERP-ENT", "CRM-TEAM", "CRM-PRO", "CRM-ENT", "ANA-BI",
            "ANA-AI", "PAY-GW", "PAY-POS", "SVC-IMPL", "SVC-PREM", "SVC-TRAIN",
        ],
        "product_line_code": [
            "ERP", "ERP", "CRM", "CRM", "CRM", "ANA", "ANA", "PAY", "PAY", "SVC", "SVC", "SVC",
        ],
        "name": [
            "ERP Standard", "ERP Enterprise", "CRM Team", "CRM Professional", "CRM Enterprise",
            "BI Dashboards", "AI Insights", "Payment Gateway", "POS Terminals",
            "Implementation", "Premium Support", "Training",
        ],
        "list_price": [
            60_000.0, 180_000.0, 15_000.0, 40_000.0, 95_000.0, 35_000.0,
            80_000.0, 25_000.0, 18_000.0, 50_000.0, 30_000.0, 8_000.0,
        ],
    }
)  # fmt: skip

#: How often each product is pitched (same order as the catalogue).
PRODUCT_MIX = np.array([0.08, 0.05, 0.14, 0.12, 0.06, 0.1, 0.05, 0.1, 0.08, 0.07, 0.09, 0.06])


def metrics_table(currency: str) -> pd.DataFrame:
    """Metric definitions as data: the solver reads kind/is_integer instead of hard-coding."""
    return pd.DataFrame(
        {
            "metric_code": list(METRIC_CODES),
            "name": [
                "Revenue",
                "New customers",
                "Conversion rate",
                "Collection rate",
                "Customer satisfaction",
            ],
            "kind": ["additive", "additive", "ratio", "ratio", "ratio"],
            "is_integer": [False, True, False, False, False],
            "unit": [currency, "customers", "%", "%", "score"],
            "description": [
                "Value of won deals closed in the month, credited to the rep.",
                "Customers whose first won deal closed in the month.",
                "Won / (won + lost) deals closed in the month.",
                "Payments received / invoice amounts due in the month, clipped to [0, 1.2].",
                "Mean customer survey score (1..5) in the month.",
            ],
        }
    )


def ranks_table() -> pd.DataFrame:
    return _RANKS.copy()


def regions_table(n_regions: int) -> pd.DataFrame:
    return _REGIONS.iloc[:n_regions].reset_index(drop=True)


def product_lines_table() -> pd.DataFrame:
    return _PRODUCT_LINES.copy()


def products_table() -> pd.DataFrame:
    return _PRODUCTS.copy()


def product_arrays() -> tuple[FloatArr, FloatArr, FloatArr]:
    """Per product: relative price, win modifier (1/difficulty) and cycle in months."""
    lines = _PRODUCT_LINES.set_index("product_line_code")
    line = _PRODUCTS["product_line_code"]
    price = _PRODUCTS["list_price"].to_numpy(np.float64)
    rel_price = price / float(np.dot(PRODUCT_MIX, price))
    win = 1.0 / lines.loc[line, "difficulty"].to_numpy(np.float64)
    cycle = lines.loc[line, "cycle_months"].to_numpy(np.float64)
    return rel_price, win, cycle
