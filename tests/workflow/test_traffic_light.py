"""The traffic light: green on track, yellow when due within 7 days or behind schedule, red when overdue."""

import datetime as dt

import pytest

from tasks.traffic_light import Light, expected_percent, traffic_light

TODAY = dt.date(2026, 6, 30)
START = dt.date(2026, 1, 1)


def light(status="in_progress", due=dt.date(2026, 12, 31), percent=50, **kwargs):
    return traffic_light(
        status=status, due_date=due, today=TODAY, percent=percent, start_date=START, **kwargs
    )


def test_on_track_is_green():
    assert light() is Light.GREEN


def test_past_the_deadline_and_not_finished_is_red():
    assert light(due=dt.date(2026, 6, 29)) is Light.RED
    assert light(status="delayed", due=dt.date(2026, 6, 1)) is Light.RED


@pytest.mark.parametrize("days", [0, 1, 7])
def test_due_within_seven_days_is_yellow(days):
    assert light(due=TODAY + dt.timedelta(days=days), percent=95) is Light.YELLOW


def test_due_in_eight_days_is_not_yet_yellow():
    assert light(due=TODAY + dt.timedelta(days=8), percent=95) is Light.GREEN


def test_reported_as_unable_to_finish_on_time_is_yellow():
    assert light(status="delayed") is Light.YELLOW


def test_progress_lagging_the_time_spent_is_yellow():
    # Half the year has gone (49 %): 20 % reported lags by more than the tolerance; 30 % does not.
    assert expected_percent(start=START, due=dt.date(2026, 12, 31), today=TODAY) == 49
    assert light(percent=20) is Light.YELLOW
    assert light(percent=30) is Light.GREEN
    assert light(status="not_started", percent=None) is Light.YELLOW


def test_finished_or_signed_off_by_the_deadline_is_green():
    due = dt.date(2026, 1, 31)
    assert light(status="done", due=due, finished_on=due) is Light.GREEN
    assert light(status="done", due=due, finished_on=dt.date(2026, 1, 2)) is Light.GREEN
    assert light(status="in_progress", due=due, signed_off=True, finished_on=due) is Light.GREEN


def test_finished_after_the_deadline_stays_late_not_green():
    due = dt.date(2026, 1, 31)
    assert light(status="done", due=due, finished_on=dt.date(2026, 2, 1)) is Light.LATE
    assert (
        light(status="in_progress", due=due, signed_off=True, finished_on=dt.date(2026, 5, 1)) is Light.LATE
    )
    # A measure without a deadline cannot be late, nor one whose finishing day is unknown.
    assert light(status="done", due=None, finished_on=dt.date(2026, 5, 1)) is Light.GREEN
    assert light(status="done", due=due) is Light.GREEN


def test_a_measure_without_a_deadline_is_green_unless_delayed():
    assert light(status="ongoing", due=None, percent=None) is Light.GREEN
    assert light(status="delayed", due=None) is Light.YELLOW


def test_labels_are_chinese():
    assert [light.label for light in Light] == ["正常", "预警", "逾期", "逾期完成"]
