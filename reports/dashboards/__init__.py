"""The office's dashboards: figures on plans, units and deadlines, read with a fixed number of queries.

Counts, rates and traffic lights are aggregated in the database: the light
is the rule of ``tasks/traffic_light.py`` spelled in SQL by
``tasks/traffic_light_sql.py`` (a test checks both agree), so no page loads
every measure to count its lights. Pages show the top of each long list
(most overdue, busiest) with the full list one click or one export away.

Every selector takes ``today`` so that figures are reproducible in tests.

The selectors live by page (overview, trend, units, tree; measure_lists holds what they share) and are
named here too, so ``dashboards.overview(today=…)`` reads the same from views, exports, tests and bench.
"""

from .measure_lists import (
    LIGHTS,
    attach_lights,
    light_summary,
    measure_rows,
    with_lights,
)
from .overview import (
    OVERVIEW_CHAPTERS,
    UPCOMING_DAYS,
    MeasureFigures,
    Overview,
    measure_figures,
    overdue_measures,
    overview,
    upcoming_measures,
    with_days_overdue,
)
from .tree import (
    ChapterNode,
    PlanNode,
    TaskNode,
    measure_page,
    measure_tree,
    tree_order,
    unit_chapter_heatmap,
)
from .trend import (
    REPORT_WINDOW_MONTHS,
    TREND_MONTHS,
    ReportPeriodStatus,
    ReportProblem,
    current_report_period,
    monthly_trend,
    on_time_counts,
    on_time_q,
    report_period_status,
    report_window,
)
from .units import (
    UNIT_MEASURES_PER_PAGE,
    UNIT_SORT_KEYS,
    UnitDetail,
    UnitRow,
    UnitsPage,
    sort_unit_rows,
    unit_assignments,
    unit_detail,
    unit_page,
    unit_plans,
    unit_table,
)

__all__ = [
    "LIGHTS",
    "attach_lights",
    "light_summary",
    "measure_rows",
    "with_lights",
    "OVERVIEW_CHAPTERS",
    "UPCOMING_DAYS",
    "MeasureFigures",
    "Overview",
    "measure_figures",
    "overdue_measures",
    "overview",
    "upcoming_measures",
    "with_days_overdue",
    "ChapterNode",
    "PlanNode",
    "TaskNode",
    "measure_page",
    "measure_tree",
    "tree_order",
    "unit_chapter_heatmap",
    "REPORT_WINDOW_MONTHS",
    "TREND_MONTHS",
    "ReportPeriodStatus",
    "ReportProblem",
    "current_report_period",
    "monthly_trend",
    "on_time_counts",
    "on_time_q",
    "report_period_status",
    "report_window",
    "UNIT_MEASURES_PER_PAGE",
    "UNIT_SORT_KEYS",
    "UnitDetail",
    "UnitRow",
    "UnitsPage",
    "sort_unit_rows",
    "unit_assignments",
    "unit_detail",
    "unit_page",
    "unit_plans",
    "unit_table",
]
