"""Point existing plans at their Beijing jurisdiction (departments 0005 created it).

A municipal plan (level 市级, or no district label) belongs to 北京市 110000; a district plan
to the district its ``district`` label names. Labels stay; an unknown label keeps its text and
gets no reference. Backward, a district plan's empty label is filled from the reference.
"""

from django.db import migrations


def link_plans(apps, schema_editor):
    Jurisdiction = apps.get_model("departments", "Jurisdiction")
    Plan = apps.get_model("tasks", "Plan")
    province = Jurisdiction.objects.filter(code="110000").first()
    if province is None:
        return
    by_label = {province.name: province}
    for district in Jurisdiction.objects.filter(parent=province, level="district"):
        by_label[district.name] = by_label[district.name.removesuffix("区")] = district
    for plan in Plan.objects.filter(jurisdiction__isnull=True).only("id", "level", "district"):
        label = plan.district.strip()
        if not label:
            target = province if plan.level == "municipal" else None
        else:
            target = by_label.get(label)
        if target is not None:
            Plan.objects.filter(pk=plan.pk).update(jurisdiction=target)


def fill_labels(apps, schema_editor):
    Plan = apps.get_model("tasks", "Plan")
    for plan in Plan.objects.filter(district="", jurisdiction__level="district").select_related("jurisdiction"):
        Plan.objects.filter(pk=plan.pk).update(district=plan.jurisdiction.name)


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0005_beijing_jurisdictions"),
        ("tasks", "0011_plan_jurisdiction"),
    ]

    operations = [migrations.RunPython(link_plans, fill_labels)]
