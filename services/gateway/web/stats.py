"""`/statistik`: the KPIs of complaint handling (docs/kpis.md) per agency, region
or category for a period, as SVG bar charts with the numbers also as a table,
the "good region" indicators of a region, and `?format=csv`: the very CSV of
`GET /api/v1/kpis?format=csv` (the query is read and the CSV written by the
same functions of services/gateway/kpi_api.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup
from nameko.web.handlers import http
from werkzeug.wrappers import Request

from lapor.contracts.kpis import GROUP_BY, REGION_LEVELS
from services.gateway.common import service_proxy
from services.gateway.kpi_api import COLUMNS, kpi_csv, kpi_query
from services.gateway.web.charts import Bar, Chart
from services.gateway.web.render import page, region_name, render

TOP_GROUPS = 15  # the charts show the groups with most reports; the table shows all
# (KPI, unit key of the catalogue or "", the scale's end: 100 for percentages)
CHARTED = (
    ("received", "", None),
    ("verified_within_sla_pct", "%", 100),
    ("followed_up_pct", "%", 100),
    ("followed_up_within_sla_pct", "%", 100),
    ("resolved_pct", "%", 100),
    ("reopened_pct", "%", 100),
    ("first_response_median_h", "stats.unit.hours", None),
    ("resolution_median_h", "stats.unit.hours", None),
)
INDICATORS = ("complaint_team_decree", "active_accounts", "followed_up_over_half")


def top_groups(rows: list[dict], most: int = TOP_GROUPS) -> list[dict]:
    """The `most` groups that received most reports, largest first (ties by name)."""
    return sorted(rows, key=lambda r: (-(r.get("received") or 0), r["group"]))[:most]


def group_label(group_by: str, t):
    """How a group is named on the page: a category or region by its name."""
    if group_by == "category":
        return lambda group: t(f"common.category.{group}")
    if group_by == "region":
        return region_name
    return lambda group: group


def kpi_charts(rows: list[dict], t, group_by: str, most: int = TOP_GROUPS) -> list[Chart]:
    """One chart per KPI of CHARTED over the largest groups; `t` translates."""
    shown = top_groups(rows, most)
    label = group_label(group_by, t)
    charts = []
    for kpi, unit, scale in CHARTED:
        suffix = unit if unit in ("", "%") else " " + t(unit)
        charts.append(
            Chart(
                chart_id=f"chart-{kpi}",
                title=t(f"stats.kpi.{kpi}"),
                desc=t(f"stats.kpi_desc.{kpi}"),
                bars=[Bar(label(r["group"]), r.get(kpi)) for r in shown],
                unit=suffix,
                max_value=scale,
                empty_text=t("stats.no_data"),
            )
        )
    return charts


def svg(chart: Chart) -> Markup:
    """The chart's SVG for a template; it escapes every text it holds."""
    return Markup(chart.svg())  # noqa: S704 - built from escaped parts in charts.py


def csv_query(args) -> str:
    """The page's query string with format=csv, for the download link."""
    kept = [(k, v) for k, v in args.items(multi=True) if k not in ("format", "lang") and v]
    return urlencode([*kept, ("format", "csv")])


class StatsPages:
    tracking = service_proxy("tracking")

    @http("GET", "/statistik")
    @page("/statistik")
    def statistics_page(self, request: Request):
        query, errors = kpi_query(request.args)
        wanted = request.args.get("format", "html")
        if wanted not in ("html", "csv"):
            errors["format"] = ["html or csv."]
        rows = [] if errors else self.tracking.kpis(**query)
        if wanted == "csv" and not errors:
            answer = kpi_csv(rows)
            name = f"kpi-{query['group_by']}.csv"
            answer.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return answer
        region = None
        if query.get("region_code") and not errors:
            period = {k: query[k] for k in ("period_from", "period_to", "as_of")}
            region = self.tracking.region_kpis(query["region_code"], **period)
        return render(
            request,
            "stats/index.html",
            status=400 if errors else 200,
            query=query,
            args=request.args,
            errors=errors,
            rows=rows,
            columns=COLUMNS,
            group_by_choices=GROUP_BY,
            levels=list(REGION_LEVELS),
            kpi_charts=kpi_charts,
            group_label=group_label,
            svg=svg,
            top=TOP_GROUPS,
            region=region,
            indicators=INDICATORS,
            csv_query=csv_query(request.args),
        )
