"""Create Beijing (北京市 110000 and its 16 districts, GB/T 2260) and point units at them.

A unit's ``district`` label ("丰台区", "" for municipal units) becomes a reference: municipal
units belong to 北京市 110000, district units to their district. Labels stay as they are, so
nothing is lost; a label that names no Beijing district keeps its text and gets no reference
(the office sets it in the admin). Backward, a label left empty is filled from the reference.
The data is written out here, not read from departments/data, so this migration never changes.
"""

from django.db import migrations

BEIJING = ("110000", "北京市")
BEIJING_DISTRICTS = (
    ("110101", "东城区"),
    ("110102", "西城区"),
    ("110105", "朝阳区"),
    ("110106", "丰台区"),
    ("110107", "石景山区"),
    ("110108", "海淀区"),
    ("110109", "门头沟区"),
    ("110111", "房山区"),
    ("110112", "通州区"),
    ("110113", "顺义区"),
    ("110114", "昌平区"),
    ("110115", "大兴区"),
    ("110116", "怀柔区"),
    ("110117", "平谷区"),
    ("110118", "密云区"),
    ("110119", "延庆区"),
)


def beijing_by_label(Jurisdiction):
    """Create Beijing if missing; map every way a label may write a district to its row."""
    province, _ = Jurisdiction.objects.get_or_create(
        code=BEIJING[0],
        defaults={"name": BEIJING[1], "level": "province", "path": f"/{BEIJING[0]}/"},
    )
    by_label = {"": province, province.name: province, "北京": province}
    for code, name in BEIJING_DISTRICTS:
        district, _ = Jurisdiction.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": "district", "parent": province, "path": f"{province.path}{code}/"},
        )
        by_label[name] = by_label[name.removesuffix("区")] = district
    return by_label


def link_units(apps, schema_editor):
    Jurisdiction = apps.get_model("departments", "Jurisdiction")
    Unit = apps.get_model("departments", "Unit")
    by_label = beijing_by_label(Jurisdiction)
    labels = Unit.objects.filter(jurisdiction__isnull=True).values_list("district", flat=True).distinct()
    for label in labels:
        if label.strip() in by_label:
            Unit.objects.filter(jurisdiction__isnull=True, district=label).update(
                jurisdiction=by_label[label.strip()]
            )


def fill_labels(apps, schema_editor):
    Unit = apps.get_model("departments", "Unit")
    for unit in Unit.objects.filter(district="", jurisdiction__level="district").select_related("jurisdiction"):
        unit.district = unit.jurisdiction.name
        unit.save(update_fields=["district"])


class Migration(migrations.Migration):
    dependencies = [("departments", "0004_jurisdiction")]

    operations = [migrations.RunPython(link_units, fill_labels)]
