#!/usr/bin/env python3
"""Regenerate the demo's bundled sample data (demo/data/*.csv), deterministically.

Deals carry their stage as a CRM export would: mostly English names in any
case, some offices exporting Simplified or Traditional Chinese labels, the odd
full-width form.  Customers carry a lifecycle phase the same way.
"""
import csv
import datetime
import os
import random

STAGES = ["unaware", "explore", "define", "select", "decide", "approve", "realize", "lost", "no_decision"]
HANS = ["不关心", "探索", "定义", "选择", "决策", "批准", "实现", "丢单", "放弃"]
HANT = ["不關心", "探索", "定義", "選擇", "決策", "批准", "實現", "丟單", "放棄"]
PHASES = ["introduction", "growth", "maturity", "dormancy", "churned"]
PHASES_HANS = ["引入期", "成长期", "成熟期", "休眠期", "流失期"]
PHASES_HANT = ["引入期", "成長期", "成熟期", "休眠期", "流失期"]
OWNERS = {"EMEA": ["anna", "ben"], "Americas": ["carla", "dev"], "Greater China": ["李娜", "陳偉"]}
ACCOUNTS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
            "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Oscorp", "Aperture", "Massive"]


def spell(names, hans, hant, i, region, rng):
    """The stage as this office's CRM export writes it."""
    if region == "Greater China":
        return hant[i] if rng.random() < 0.5 else hans[i]
    r = rng.random()
    if r < 0.70:
        return names[i]
    if r < 0.85:
        return names[i].capitalize()
    if r < 0.95:
        return names[i].upper()
    return "".join(chr(ord(c) + 0xFEE0) for c in names[i].upper())  # full-width


def main():
    rng = random.Random(20261122)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    start = datetime.date(2026, 1, 5)

    with open(os.path.join(here, "deals.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["deal_id", "account", "region", "owner", "process", "amount", "opened_on", "stage"])
        for deal in range(1, 241):
            region = rng.choice(list(OWNERS))
            process = "transactional" if rng.random() < 0.35 else "complex"
            amount = round(rng.lognormvariate(10.3 if process == "complex" else 8.8, 0.6), -2)
            opened = start + datetime.timedelta(days=rng.randrange(0, 300))
            # How far the deal got, and how it ended (no-decision is the most common loss).
            depth = min(6, int(rng.expovariate(0.45)))
            if depth == 6 or rng.random() < 0.45:
                stage = depth if depth < 6 else 6
            else:
                stage = rng.choices([7, 8], weights=[2, 3])[0]
            w.writerow([deal, f"{rng.choice(ACCOUNTS)} {deal:03d}", region, rng.choice(OWNERS[region]),
                        process, f"{amount:.2f}", opened.isoformat(),
                        spell(STAGES, HANS, HANT, stage, region, rng)])

    with open(os.path.join(here, "customers.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "account", "region", "since", "annual_revenue", "phase"])
        for cust in range(1, 121):
            region = rng.choice(list(OWNERS))
            phase = rng.choices(range(5), weights=[15, 25, 30, 18, 12])[0]
            since = start - datetime.timedelta(days=rng.randrange(30, 1500))
            revenue = round(rng.lognormvariate(9.5, 0.8), -2)
            w.writerow([cust, f"{rng.choice(ACCOUNTS)} customer {cust:03d}", region, since.isoformat(),
                        f"{revenue:.2f}", spell(PHASES, PHASES_HANS, PHASES_HANT, phase, region, rng)])


if __name__ == "__main__":
    main()
