"""Printing a measure page from Chromium: the paper has the measure and none of the navigation or buttons."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from .test_browser_flow import ARTIFACTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_printed_measure_page_has_no_navigation(chromium, live_server, world):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = sign_in(chromium, live_server, "office")
    page.goto(live_server.url + reverse("measure_detail", args=[world.measure_a.pk]))
    assert page.get_by_role("button", name="打印").is_visible()  # where people print
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "measure-printed.png"), full_page=True)
    pdf = Path(ARTIFACTS / "measure-printed.pdf")
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "完成燃煤锅炉清洁能源改造" in text and "1-1" in text
    for navigation in ("我的任务", "导入计划", "管理后台", "退出", "打印", "蓝天保卫战 · 任务跟踪"):
        assert navigation not in text, navigation
