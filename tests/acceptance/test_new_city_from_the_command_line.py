"""A city other than Beijing is set up and ranked from the command line alone, without demo data.

石家庄市: load_jurisdictions --province 13, load_units of an .xlsx directory (built here: the city's
bureaus, two districts' government, bureaus and streets, a group), import_plan of a small 长安区 plan
(text built here, naming those units as plans write them), then build_ranking for a month of it.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from departments.models import Jurisdiction, Unit
from reports.models import MonthlyRanking
from tasks.models import Assignment, Plan

pytestmark = pytest.mark.django_db

DIRECTORY = [
    ("名称", "类型", "所属行政区划", "别名", "曾用名", "所属分组/成员"),
    ("市生态环境局", "市级部门", "石家庄市", "石家庄市生态环境局", "市环保局(2019-01-10)", ""),
    ("市住房城乡建设局", "市级部门", "130100", "市住建局", "", ""),
    ("长安区政府", "区政府", "石家庄市长安区", "长安区人民政府", "", ""),
    ("区生态环境分局", "区级委办局", "130102", "长安区生态环境分局", "区环保局", ""),
    ("区住房城乡建设局", "区级委办局", "130102", "区住建局", "", ""),
    ("区城市管理局", "区级委办局", "130102", "区城管局", "", ""),
    ("建北街道", "街道乡镇", "130102", "建北街道办事处", "", "各街道"),
    ("育才街道", "街道乡镇", "130102", "育才街道办事处", "", "各街道"),
    ("各街道", "单位统称", "130102", "各街道办事处", "", ""),
    ("桥西区政府", "区政府", "130104", "", "", ""),
    ("区生态环境分局", "区级委办局", "130104", "", "", ""),
]

PLAN = """石家庄市长安区2026年大气污染防治攻坚行动计划任务分解

[发文机构] 石家庄市长安区人民政府办公室

序号	编号	重点任务	具体措施	牵头单位	协办单位
一、强化扬尘污染管控
1	1-1	加强施工扬尘控制	严格落实施工工地“六个百分百”要求，2026年3月底前完成全区工地视频监控全覆盖。	区住建局	区城管局
	1-2		开展道路扬尘专项整治，2026年4月底前主次干道机扫率达到100%。	区城管局	各街道
二、推进移动源污染治理
2	2-1	加强机动车排放监管	开展重型柴油车路检路查，2026年4月底前完成首轮执法检查。	区生态环境分局	区城管局
	2-2		推进非道路移动机械编码登记，2026年5月底前完成存量机械登记。	区环保局	建北街道 育才街道
"""


def write_directory(path):
    workbook = Workbook()
    for row in DIRECTORY:
        workbook.active.append(row)
    workbook.save(path)


def test_a_new_city_loads_its_units_imports_its_plan_and_ranks_it(tmp_path):
    assert not Unit.objects.exists() and not Plan.objects.exists()
    call_command("load_jurisdictions", province="13")
    units_file = tmp_path / "shijiazhuang-units.xlsx"
    write_directory(units_file)
    call_command("load_units", str(units_file))
    call_command("load_units", str(units_file))  # a second run adds nothing

    changan, city = Jurisdiction.objects.get(code="130102"), Jurisdiction.objects.get(code="130100")
    assert Unit.objects.count() == 11
    assert Unit.objects.get(name="市生态环境局").jurisdiction == city
    bureau = Unit.objects.get(name="区生态环境分局", jurisdiction=changan)
    assert bureau.district == "长安区"
    assert set(bureau.aliases.values_list("name", "kind")) == {
        ("长安区生态环境分局", "alias"),
        ("区环保局", "former"),
    }
    assert Unit.objects.get(name="区生态环境分局", district="桥西区").jurisdiction.code == "130104"
    assert set(Unit.objects.get(name="各街道").members.values_list("name", flat=True)) == {
        "建北街道",
        "育才街道",
    }
    assert set(Unit.objects.within(changan).values_list("name", flat=True)) == {
        "长安区政府",
        "区生态环境分局",
        "区住房城乡建设局",
        "区城市管理局",
        "建北街道",
        "育才街道",
        "各街道",
    }

    plan_file = tmp_path / "changan-2026.txt"
    plan_file.write_text(PLAN, encoding="utf-8")
    call_command("import_plan", str(plan_file))
    plan = Plan.objects.get()
    assert (plan.jurisdiction, plan.district) == (changan, "长安区")
    assert Plan.objects.within(city).get() == plan
    assigned = Assignment.objects.filter(measure__task__plan=plan).select_related("unit")
    assert {a.unit.name for a in assigned} == {
        "区住房城乡建设局",
        "区城市管理局",
        "区生态环境分局",
        "建北街道",
        "育才街道",
    }
    assert {a.unit.jurisdiction for a in assigned} == {changan}
    assert not Unit.objects.filter(needs_review=True).exists()

    # The plan owes reports from the month it was imported: rank this month.
    month = timezone.localdate().replace(day=1)
    call_command("build_ranking", month=f"{month:%Y-%m}")
    ranking = MonthlyRanking.objects.get(period=month)
    ranked = {
        row.unit.name: row.unit.jurisdiction for row in ranking.rows.select_related("unit__jurisdiction")
    }
    assert set(ranked) >= {"区住房城乡建设局", "区城市管理局", "区生态环境分局"}
    assert set(ranked.values()) == {changan}
    assert ranking.file.name.endswith(".xlsx")
    overdue = {row.unit.name: row.overdue for row in ranking.rows.select_related("unit")}
    assert overdue["区住房城乡建设局"] == 1  # its 2026-03 deadline has passed unfinished
