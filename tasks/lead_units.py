"""Several lead units (牵头单位) on one measure: it is done only when every one of them has reported it done.

A measure with one lead unit takes that unit's status and percent as before (one with none, its driving
units': tasks/selectors.driving_unit_ids). With several, the measure's percent is the mean of each lead
unit's latest percent (a unit that has not reported counts
0, a 已完成 without a percent 100), and a 已完成 from one of them leaves the measure 推进中 until the others
report 已完成 too. The office may still sign it off early (services.sign_off_measure, recorded in history).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Assignment, Measure, ProgressUpdate

DONE = Measure.Status.DONE


@dataclass(frozen=True)
class UnitState:
    unit_id: int
    name: str
    status: str | None  # None: not reported yet
    percent: int

    @property
    def status_label(self) -> str:
        return str(Measure.Status(self.status).label) if self.status else "尚未填报"


def _percent(status: str | None, percent: int | None) -> int:
    if percent is not None:
        return percent
    return 100 if status == DONE else 0


def lead_unit_names(measure: Measure) -> dict[int, str]:
    """The measure's 牵头单位 by id (reads the prefetched ``measure.assignments``)."""
    return {a.unit_id: a.unit.name for a in measure.assignments.all() if a.role == Assignment.Role.LEAD}


def lead_unit_states(measure: Measure, names: dict[int, str]) -> list[UnitState]:
    """Each lead unit's latest reported status and percent (one query), in name order."""
    driving = list(names)
    latest = ProgressUpdate.objects.filter(
        measure=measure, unit_id__in=driving, sets_measure=True
    ).latest_values("unit_id", "status", "percent")
    states = []
    for unit_id in driving:
        status, percent = latest.get(unit_id, (None, None))
        states.append(UnitState(unit_id, names.get(unit_id, ""), status, _percent(status, percent)))
    return sorted(states, key=lambda s: s.name)


def combined(states: list[UnitState], *, reported_status: str) -> tuple[str, int]:
    """The measure's status and percent from its lead units' states (the new update already among them)."""
    percent = round(sum(s.percent for s in states) / len(states))
    if reported_status == DONE and not all(s.status == DONE for s in states):
        return Measure.Status.IN_PROGRESS, min(percent, 99)
    return reported_status, percent
