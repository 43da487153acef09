"""Staff-typed text in the office's spreadsheets stays text: no formulas, no unreadable files."""

import io

import pytest
from openpyxl import load_workbook

from reports.dashboards.exports import Sheet, workbook_bytes


def test_a_note_that_looks_like_a_formula_is_stored_as_text_and_control_characters_are_dropped():
    data = workbook_bytes(
        Sheet(
            title="测试",
            columns=["说明"],
            rows=[
                ['=HYPERLINK("http://example.invalid","点击")'],
                ["正常\x01说明"],
                [42],
            ],
        )
    )
    sheet = load_workbook(io.BytesIO(data)).active  # title, filters, time, header: the rows from the fifth
    assert sheet["A5"].data_type == "s" and sheet["A5"].value.startswith("=HYPERLINK")
    assert sheet["A6"].value == "正常说明"
    assert sheet["A7"].value == 42


@pytest.mark.django_db
def test_the_ranking_details_keep_a_formula_like_note_as_text():
    import datetime as dt

    from reports.outputs.ranking_workbook import ranking_workbook
    from tasks.models import Measure
    from tasks.services import record_progress
    from tests.factories import AssignmentFactory, make_user

    assignment = AssignmentFactory(measure__due_date=dt.date(2026, 12, 31))
    staff = make_user("s", "unit_staff", units=[assignment.unit])
    record_progress(
        measure=assignment.measure, user=staff, status=Measure.Status.IN_PROGRESS, note="=1+1\x02"
    )
    from reports.models import RankingRow

    row = RankingRow(
        unit=assignment.unit,
        rank=1,
        score=80,
        measures=1,
        done=0,
        on_track=1,
        overdue=0,
        on_time_report_rate=1,
        returned=0,
    )
    from reports.outputs.ranking import active_formula, formula_as_dict

    data = ranking_workbook(
        period=dt.date(2026, 10, 1),
        formula=formula_as_dict(active_formula()),
        rows=[row],
        units={assignment.unit_id: ("单位", "丰台区")},
    )
    details = load_workbook(io.BytesIO(data))["措施明细"]
    notes = [c for c in details["J"] if c.value == "=1+1"]
    assert notes and notes[0].data_type == "s"
