"""Legacy Office files for the reader tests, made once per run by LibreOffice (see test_legacy_office.py);
an office administrator's client for the upload pages."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .sample_plans import FENGTAI, MENTOUGOU
from .test_docx_xlsx import MERGED_COLUMNS, build_docx, build_xlsx, text_document

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-uno: LibreOffice's UNO bridge


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice is missing in CI (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"
            )
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return found


def convert(source: Path, target_format: str, workdir: Path) -> Path:
    """LibreOffice's own command line, as a user would run it: source → workdir/<stem>.<format>."""
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            str(workdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    extension = target_format.split(":")[0]
    return workdir / f"{source.stem}.{extension}"


@pytest.fixture(scope="session")
def legacy_office_files(tmp_path_factory) -> dict[str, bytes]:
    """Real legacy files made by LibreOffice: mentougou as .doc, fengtai as .xls, and encrypted ones."""
    work = tmp_path_factory.mktemp("legacy")
    docx = work / "mentougou.docx"
    docx.write_bytes(build_docx(text_document(MENTOUGOU), MERGED_COLUMNS[MENTOUGOU]))
    xlsx = work / "fengtai.xlsx"
    xlsx.write_bytes(build_xlsx(text_document(FENGTAI), MERGED_COLUMNS[FENGTAI]))
    odt = convert(docx, "odt", work)
    doc = convert(odt, "doc:MS Word 97", work)
    xls = convert(xlsx, "xls:MS Excel 97", work)
    files = {"doc": doc.read_bytes(), "xls": xls.read_bytes()}
    if Path(SYSTEM_PYTHON).exists():
        subprocess.run(
            [
                SYSTEM_PYTHON,
                str(Path(__file__).with_name("lo_encrypt.py")),
                str(work / "uno-profile"),
                "机密123",
                str(doc),
                str(work / "locked.doc"),
                "MS Word 97",
                str(xls),
                str(work / "locked.xls"),
                "MS Excel 97",
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        files["locked.doc"] = (work / "locked.doc").read_bytes()
        files["locked.xls"] = (work / "locked.xls").read_bytes()
    return files


@pytest.fixture
def office_client(client, office_admin):
    """Signed in as the office, with the unit directory loaded (the upload pages match names against it)."""
    from departments.services import load_unit_directory

    load_unit_directory()
    client.force_login(office_admin)
    return client
