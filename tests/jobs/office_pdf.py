"""Print a generated .docx/.xlsx as LibreOffice would: convert it to PDF and count the pages (pdfinfo)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def _program(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing in CI (apt-get install {package})")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


def to_pdf(path: str | Path, tmp_path: Path, *, to: str = "pdf") -> Path:
    """``path`` converted by LibreOffice into ``to`` (pdf, or xlsx to see it open without repair)."""
    soffice = _program("soffice", "libreoffice-writer-nogui libreoffice-calc-nogui")
    out = tmp_path / "converted"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = out / f"{Path(path).stem}.{to}"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf


def page_count(pdf: Path) -> int:
    info = subprocess.run(
        [_program("pdfinfo", "poppler-utils"), str(pdf)], capture_output=True, text=True, check=True
    )
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        [_program("pdftotext", "poppler-utils"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
