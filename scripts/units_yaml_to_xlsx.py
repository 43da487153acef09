"""Write sample_data/units/beijing.xlsx from the bundled Beijing directory (departments/data/units.yaml).

    DJANGO_SETTINGS_MODULE=bluesky.settings .venv/bin/python scripts/units_yaml_to_xlsx.py
The .xlsx is what `load_units` and `load_demo` load; the YAML stays the importer tests' fixture.
"""

import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
django.setup()

from departments.directory import UnitDirectory  # noqa: E402  (after django.setup)
from departments.unit_files import unit_table, xlsx_bytes  # noqa: E402

rows = unit_table(*UnitDirectory.from_yaml().records(), municipal_label="北京市")
(ROOT / "sample_data" / "units" / "beijing.xlsx").write_bytes(xlsx_bytes(rows))
print(f"{len(rows) - 1} rows")
