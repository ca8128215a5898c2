"""What the KPI query means on both ends of tracking's `kpis` RPC: the gateway
checks a request's `group_by` and `region_level` against these, tracking groups
the facts by them (docs/kpis.md). Not an event: nothing is registered here.

>>> REGION_LEVELS[2]  # a regency's or city's code, "32.73", is 5 characters
5
"""

from __future__ import annotations

GROUP_BY = ("agency", "region", "category")
# characters of a region code at each level: province, regency/city, district, village
REGION_LEVELS = {1: 2, 2: 5, 3: 8, 4: 13}
