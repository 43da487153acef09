"""Dashboard lists as .xlsx downloads (openpyxl), with the same rows and filters as on the page.

A ``Sheet`` names its columns once; each dashboard list has a function here
that turns the selector's rows into a Sheet, so the page and the download
cannot drift apart in what they count. Every file is laid out by
bluesky/sheet_layout.py: a title row, the filters that made it and when.
"""

from __future__ import annotations

from bluesky.sheet_layout import (  # noqa: F401 (the dashboard views use them from here)
    XLSX,
    Sheet,
    describe_filters,
    workbook_bytes,
    xlsx_response,
)

# --- One function per dashboard list ------------------------------------------------


def _units(measure, roles=None) -> str:
    return "、".join(
        f"{a.unit.name}（{a.get_role_display()}）"
        for a in measure.assignments.all()
        if roles is None or a.role in roles
    )


def _latest(measure):
    latest = measure.latest_progress[0] if getattr(measure, "latest_progress", None) else None
    if latest is None:
        return None, ""
    return latest.created_at, f"{latest.unit.name}：{latest.get_status_display()} {latest.note}"


def _measure_row(measure, extra):
    when, note = _latest(measure)
    return [
        measure.task.plan.title,
        str(measure.task.chapter),
        measure.code,
        measure.text,
        measure.deadline_text,
        measure.due_date,
        *extra,
        measure.get_status_display(),
        _units(measure),
        when,
        note,
    ]


_MEASURE_HEAD = ["行动计划", "章节", "编号", "措施内容", "完成时限（原文）", "完成日期"]
_MEASURE_TAIL = ["状态", "责任单位", "最近进展时间", "最近进展"]
_MEASURE_WIDTHS = (28, 20, 8, 60, 16, 12, 10, 10, 40, 18, 50)


def overdue_sheet(measures) -> Sheet:
    return Sheet(
        "逾期措施",
        [*_MEASURE_HEAD, "逾期天数", *_MEASURE_TAIL],
        (_measure_row(m, [m.days_overdue]) for m in measures),
        _MEASURE_WIDTHS,
    )


def upcoming_sheet(measures) -> Sheet:
    return Sheet(
        "30日内到期",
        [*_MEASURE_HEAD, "剩余天数", *_MEASURE_TAIL],
        (_measure_row(m, [m.days_left]) for m in measures),
        _MEASURE_WIDTHS,
    )


def measure_sheet(measures) -> Sheet:
    """The plan page's measures (each with its ``light``)."""
    return Sheet(
        "措施",
        [*_MEASURE_HEAD, "红黄绿灯", *_MEASURE_TAIL],
        (_measure_row(m, [m.light.label if m.light else ""]) for m in measures),
        _MEASURE_WIDTHS,
    )


def report_problem_sheet(status) -> Sheet:
    return Sheet(
        f"{status.period:%Y年%m月}月报",
        ["单位", "所属区", "情况", "月报状态", "报送截止日", "首次报送时间"],
        (
            [
                p.unit.name,
                p.unit.district,
                p.label,
                p.report.get_state_display() if p.report else "未创建",
                status.due_date,
                p.report.first_submitted_at if p.report else None,
            ]
            for p in status.problems
        ),
        (30, 10, 10, 10, 12, 18),
    )


def completion_sheet(items, *, title: str, by_chapter: bool) -> Sheet:
    def row(item):
        name = [item.plan.title, str(item)] if by_chapter else [item.title]
        rate = round(item.done_rate * 100, 1) if item.done_rate is not None else None
        return [*name, item.measure_total, item.measure_done, item.measure_overdue, rate]

    head = ["行动计划", "章节"] if by_chapter else ["行动计划"]
    return Sheet(title, [*head, "措施数", "已完成", "逾期", "完成率（%）"], (row(i) for i in items))


def trend_sheet(trend) -> Sheet:
    return Sheet(
        "近12个月趋势",
        ["月份", "完成措施", "到期未完成", "月报按时率（%）"],
        (
            [
                f"{t['period']:%Y-%m}",
                t["completed"],
                t["overdue"],
                round(t["on_time_rate"] * 100, 1) if t["on_time_rate"] is not None else None,
            ]
            for t in trend
        ),
    )


def unit_sheet(rows) -> Sheet:
    return Sheet(
        "单位情况",
        [
            "单位",
            "所属区",
            "牵头",
            "主责",
            "协办",
            "承担措施",
            "已完成",
            "其中逾期完成",
            "正常推进",
            "预警",
            "逾期",
            "月报按时率（%）",
            "最近报送时间",
            "最近报送月份",
        ],
        (
            [
                r.unit.name,
                r.unit.district,
                r.lead,
                r.responsible,
                r.assisting,
                r.measures,
                r.done,
                r.finished_late,
                r.on_track,
                r.warning,
                r.overdue,
                round(r.on_time_rate * 100, 1) if r.on_time_rate is not None else None,
                r.last_report_at,
                f"{r.last_report_period:%Y-%m}" if r.last_report_period else None,
            ]
            for r in rows
        ),
        (30, 10, 6, 6, 6, 8, 8, 10, 8, 6, 6, 12, 18, 12),
    )


def unit_measure_sheet(assignments) -> Sheet:
    return Sheet(
        "承担措施",
        [*_MEASURE_HEAD, "角色", "红黄绿灯", *_MEASURE_TAIL],
        (
            _measure_row(a.measure, [a.get_role_display(), a.light.label if a.light else ""])
            for a in assignments
        ),
        _MEASURE_WIDTHS,
    )
