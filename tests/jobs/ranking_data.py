"""A small, hand-checkable data set for the monthly ranking (February 2026)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.factories import UnitFactory, make_user, mark_done, measure_for, report

FEB = dt.date(2026, 2, 1)
JAN = dt.date(2026, 1, 1)


@dataclass
class RankingWorld:
    units: dict


def build_ranking_world() -> RankingWorld:
    """Expected February scores with the default formula (60 + 20 r + 20 d − 2 overdue − 1 return):

    甲 100 (reports on time, its one due measure done on time), 戊 90 (reports on time, half of due done),
    己 90 (one of two reports on time, all due done) — 戊 before 己 by report rate —, 丁 80 (no reports, nothing due),
    乙 67 (one report on time and returned once, one measure overdue).
    """
    author = make_user("reporter", "unit_staff")
    units = {name: UnitFactory(name=name) for name in ("甲单位", "乙单位", "丁单位", "戊单位", "己单位")}
    jia, yi, ding, wu, ji = units.values()

    done = measure_for(jia, dt.date(2026, 1, 31), text="甲的已完成措施")
    mark_done(done, jia, author, dt.date(2026, 1, 20))
    measure_for(jia, dt.date(2026, 12, 31), text="甲的年底措施")
    report(jia, JAN, submitted=dt.date(2026, 2, 3))
    report(jia, FEB, submitted=dt.date(2026, 3, 2))

    measure_for(yi, dt.date(2026, 2, 10), text="乙的逾期措施")
    report(yi, JAN, submitted=dt.date(2026, 2, 2), returns=1)

    measure_for(ding, dt.date(2026, 6, 30), text="丁的措施")

    late_done = measure_for(wu, dt.date(2026, 2, 5), text="戊的延期完成措施")
    mark_done(late_done, wu, author, dt.date(2026, 2, 20))
    on_time = measure_for(wu, dt.date(2026, 2, 6), text="戊的按期完成措施")
    mark_done(on_time, wu, author, dt.date(2026, 2, 6))
    report(wu, JAN, submitted=dt.date(2026, 2, 4))
    report(wu, FEB, submitted=dt.date(2026, 3, 4))

    ji_done = measure_for(ji, dt.date(2026, 2, 27), text="己的措施")
    mark_done(ji_done, ji, author, dt.date(2026, 2, 1))
    report(ji, JAN, submitted=dt.date(2026, 2, 20))  # late
    report(ji, FEB, submitted=dt.date(2026, 3, 3))
    return RankingWorld(units=units)
