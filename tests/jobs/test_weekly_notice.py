"""周通报: the .docx has the title, period, key figures and the four tables; rebuilding replaces it."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from docx.table import Table

from reports.models import WeeklyNotice
from reports.outputs.notices import build_weekly_notice, parse_iso_week
from tests.jobs.ranking_data import build_ranking_world

pytestmark = pytest.mark.django_db
# ISO week 10 of 2026: Monday 2 – Sunday 8 March. February's reports fell due on Wednesday 4 March.
WEEK_10 = dt.date(2026, 3, 2)


def tables_after(document, heading_start: str) -> list[list[str]]:
    """The rows of the tables under the heading that starts with ``heading_start``."""
    rows, found = [], False
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        text = "".join(child.itertext())
        if tag == "p" and text[:2] in ("一、", "二、", "三、", "四、", "五、"):
            if found:
                break
            found = text.startswith(heading_start)
        elif found and tag == "tbl":
            rows += [
                [cell.text.replace("\u200b", "") for cell in row.cells]  # the break opportunities after 、
                for row in Table(child, document._body).rows
            ]
    return rows


def units_listed(document, state: str) -> list[str]:
    """The units the notice lists as 未报送 or 逾期报送: "未报送（2个）：甲、乙。"."""
    line = next((p.text for p in document.paragraphs if p.text.startswith(f"{state}（")), "")
    return line.partition("：")[2].rstrip("。").split("、") if line else []


def test_the_notice_reports_the_week(db):
    build_ranking_world()
    notice = build_weekly_notice(week_start=WEEK_10)
    document = Document(notice.file.path)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "蓝天保卫战任务落实情况周通报（2026年第10周）"
    assert paragraphs[1] == "统计周期：2026年03月02日—2026年03月08日"
    summary = next(p for p in paragraphs if p.startswith("截至03月08日"))
    # Open: 甲's year-end, 乙's overdue, 丁's: 3; overdue by 8 March: 乙's only.
    assert "5个责任单位共有未完成措施3项，其中逾期未完成1项，涉及1个单位" in summary
    assert (
        "本周完成措施0项" in summary
        and "2026年02月月报（2026-03-04截止）未报送2个单位，逾期报送0个单位" in summary
    )
    assert (
        notice.figures["reports_missing"] == 2
        and notice.figures["overdue_measures"] == 1
        and notice.figures["week"] == "2026-W10"
    )

    overdue = tables_after(document, "二、")
    assert overdue[0] == ["单位", "逾期项数", "逾期措施（计划简称 编号）"] and overdue[1][:2] == [
        "乙单位",
        "1",
    ]
    assert units_listed(document, "未报送") == ["丁单位", "乙单位"]
    best_and_worst = tables_after(document, "五、")
    assert best_and_worst[1][0] == "甲单位" and best_and_worst[-1][0] == "丁单位"


def test_measures_completed_in_the_week_are_listed(db):
    build_ranking_world()  # 戊 finished one on 20 Feb and one on 6 Feb: week 8 holds the first
    document = Document(build_weekly_notice(week_start=dt.date(2026, 2, 16)).file.path)
    done = tables_after(document, "四、")
    assert done[0] == ["措施", "具体措施", "责任单位", "完成日期"]
    assert [row[1:] for row in done[1:]] == [
        ["戊的延期完成措施", "戊单位", "02-20（逾期完成）"]
    ]  # due 5 February


def test_rebuilding_replaces_the_file_in_place(db, tmp_path):
    build_ranking_world()
    first = build_weekly_notice(week_start=WEEK_10 + dt.timedelta(days=3))  # any day: moved to Monday
    assert first.week_start == WEEK_10
    path = first.file.path
    again = build_weekly_notice(week_start=WEEK_10)
    assert again.pk == first.pk and again.file.path == path and WeeklyNotice.objects.count() == 1
    assert Document(path).paragraphs[0].text.startswith("蓝天保卫战")
    assert sorted(p.name for p in (tmp_path / "media" / "notices").iterdir()) == [
        ".notice-2026-W10.docx.lock",
        "notice-2026-W10.docx",
    ]


def test_the_command_takes_an_iso_week(db):
    call_command("build_weekly_notice", "--week", "2026-W10")
    assert WeeklyNotice.objects.get().week_start == WEEK_10
    with pytest.raises(CommandError, match="YYYY-Www"):
        call_command("build_weekly_notice", "--week", "2026-10")
    with pytest.raises(CommandError, match="不是有效的周次"):
        call_command("build_weekly_notice", "--week", "2026-W60")


def test_parse_iso_week_handles_the_year_boundary():
    assert parse_iso_week("2026-W01") == dt.date(2025, 12, 29)
    assert parse_iso_week(" 2020-W53 ") == dt.date(2020, 12, 28)
