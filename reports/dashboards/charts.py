"""Chart specifications for the dashboards: plain dicts that static/js/dashboards.js turns into ECharts options.

Each page embeds a spec with ``json_script`` next to a table of the same
numbers, so a chart never shows a figure the page does not also print.
Series names are lazy translations: ``json_script`` writes them in the
language of the page being rendered.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tasks.traffic_light import Light

LIGHT_COLORS = {
    Light.GREEN.value: "green",
    Light.YELLOW.value: "yellow",
    Light.RED.value: "red",
    Light.LATE.value: "late",
}


def _percent(rate):
    return round(rate * 100, 1) if rate is not None else None


def status_bar(by_status) -> dict:
    return {
        "kind": "bar",
        "categories": [s["label"] for s in by_status],
        "series": [{"name": _("措施数"), "data": [s["count"] for s in by_status], "color": "blue"}],
    }


def light_pie(by_light) -> dict:
    return {
        "kind": "pie",
        "categories": [str(item["label"]) for item in by_light],
        "colors": [LIGHT_COLORS[item["light"]] for item in by_light],
        "series": [{"name": _("措施数"), "data": [item["count"] for item in by_light]}],
    }


def completion_bar(items, *, label) -> dict:
    """Done / open / overdue per plan or chapter, stacked, horizontal (long Chinese names)."""
    return {
        "kind": "bar",
        "stacked": True,
        "horizontal": True,
        "categories": [label(i) for i in items],
        "series": [
            {"name": _("已完成"), "data": [i.measure_done for i in items], "color": "green"},
            {
                "name": _("未完成（未逾期）"),
                "data": [i.measure_total - i.measure_done - i.measure_overdue for i in items],
                "color": "grey",
            },
            {"name": _("逾期"), "data": [i.measure_overdue for i in items], "color": "red"},
        ],
    }


def trend_lines(trend) -> dict:
    return {
        "kind": "line",
        "percent_axis": True,
        "categories": [f"{t['period']:%Y-%m}" for t in trend],
        "series": [
            {"name": _("完成措施"), "data": [t["completed"] for t in trend], "color": "green"},
            {"name": _("到期未完成"), "data": [t["overdue"] for t in trend], "color": "red"},
            {
                "name": _("月报按时率（%）"),
                "data": [_percent(t["on_time_rate"]) for t in trend],
                "color": "blue",
                "axis": 1,
            },
        ],
    }


def unit_bar(rows) -> dict:
    return {
        "kind": "bar",
        "stacked": True,
        "horizontal": True,
        "categories": [str(r.unit) for r in rows],  # with the district: every district has its 区城市管理委
        "series": [
            {"name": _("已完成"), "data": [r.done for r in rows], "color": "green"},
            {"name": _("正常推进"), "data": [r.on_track for r in rows], "color": "blue"},
            {"name": _("预警"), "data": [r.warning for r in rows], "color": "yellow"},
            {"name": _("逾期"), "data": [r.overdue for r in rows], "color": "red"},
        ],
    }


def heatmap(data) -> dict:
    return {
        "kind": "heatmap",
        "x": [f"{c.number}. {c.title[:12]}" for c in data["chapters"]],
        "y": [u["name"] for u in data["units"]],
        "values": [[cell["n"] for cell in u["row"]] for u in data["units"]],
    }
