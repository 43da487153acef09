"""Evidence files: names in any encoding kept, long names shortened, programs inside refused, downloads named safely."""

import io
import struct
import zipfile
import zlib

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.evidence import safe_name
from tasks.models import Evidence, ProgressUpdate
from tasks.services import UploadedFile, record_progress

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db
BOUNDARY = "----bluesky-evidence-test"
PROGRAM = b"MZ" + b"\x90" * 58 + struct.pack("<I", 64) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


def progress_url(measure):
    return reverse("measure_progress", args=[measure.pk])


def raw_multipart(fields: dict, filename: bytes, content: bytes) -> bytes:
    """A form as an older client sends it: the file name in whatever bytes it had."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="'.encode()
        + filename
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def form_fields(world, note="已完成现场检查"):
    return {
        "status": "in_progress",
        "note": note,
        "version": world.measure_a.version,
        "unit": world.unit_a.pk,
    }


def post_raw(client, world, filename: bytes, content: bytes):
    return client.post(
        progress_url(world.measure_a),
        data=raw_multipart(form_fields(world), filename, content),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def post_file(client, world, upload, note="已完成现场检查"):
    return client.post(progress_url(world.measure_a), {**form_fields(world, note), "files": [upload]})


def test_a_file_named_in_gb18030_is_kept_under_its_decoded_name(client, world):
    client.force_login(world.staff_a)
    response = post_raw(client, world, "验收报告（盖章版）.pdf".encode("gb18030"), pdf_bytes())
    assert response.status_code == 302
    assert [e.original_name for e in Evidence.objects.all()] == ["验收报告（盖章版）.pdf"]


def test_a_file_name_in_no_known_encoding_is_replaced_never_dropped(client, world):
    client.force_login(world.staff_a)
    response = post_raw(client, world, b"\xff\xfe\xff.pdf", pdf_bytes())
    assert response.status_code == 302
    (evidence,) = Evidence.objects.all()
    assert evidence.original_name.endswith(".pdf") and "\ufffd" not in evidence.original_name


def test_a_five_thousand_character_name_is_shortened_and_the_update_saved(client, world):
    client.force_login(world.staff_a)
    response = post_file(client, world, SimpleUploadedFile("很长的名字" * 1000 + ".pdf", pdf_bytes()))
    assert response.status_code == 302
    (evidence,) = Evidence.objects.all()
    assert evidence.original_name.startswith("很长的名字") and evidence.original_name.endswith(".pdf")
    assert len(evidence.original_name) <= 120


def office_file(kind: str, extra: dict[str, bytes]) -> bytes:
    """A real .docx/.xlsx (or a minimal .pptx) with ``extra`` members added to its zip."""
    out = io.BytesIO()
    if kind == "docx":
        document = docx.Document()
        document.add_paragraph("整改报告")
        document.save(out)
    elif kind == "xlsx":
        book = openpyxl.Workbook()
        book.active["A1"] = "整改台账"
        book.save(out)
    else:
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, content in extra.items():
            archive.writestr(name, content)
    return out.getvalue()


def ole_package(packaged_name: bytes) -> bytes:
    """An OLE compound file as Word embeds a packaged file (the Ole10Native stream names the file)."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "Ole10Native".encode("utf-16-le")
        + b"\x00" * 64
        + b"\x02\x00"
        + packaged_name
        + b"\x00C:\\Users\\a\\"
        + packaged_name
        + b"\x00"
        + b"echo off\r\n"
    )


@pytest.mark.parametrize(
    ("kind", "extra", "why"),
    [
        ("docx", {"word/embeddings/setup.exe": b"anything"}, "程序或脚本文件“setup.exe”"),
        ("docx", {"word/media/image9.png": PROGRAM}, "Windows 可执行程序"),  # named like a picture
        ("docx", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"}, "宏"),
        (
            "docx",
            {"word/embeddings/oleObject1.bin": ole_package(b"run.bat")},
            "打包了程序或脚本（“run.bat”）",
        ),
        ("xlsx", {"xl/embeddings/payload.bin": PROGRAM}, "Windows 可执行程序"),
        ("xlsx", {"xl/media/readme.vbs": b"MsgBox 1"}, "程序或脚本文件"),
        ("pptx", {"ppt/embeddings/tool.dll": b"anything"}, "程序或脚本文件“tool.dll”"),
        ("pptx", {"ppt/embeddings/inner.docx": office_file("docx", {"word/a.ps1": b"x"})}, "“a.ps1”"),
    ],
)
def test_office_files_embedding_programs_are_refused_and_the_form_kept(client, world, kind, extra, why):
    client.force_login(world.staff_a)
    upload = SimpleUploadedFile(f"整改材料.{kind}", office_file(kind, extra))
    response = post_file(client, world, upload, note="第三季度整改情况说明")
    body = response.content.decode()
    assert response.status_code == 200
    assert why in body and "出于安全考虑不能作为佐证材料上传" in body
    assert "第三季度整改情况说明" in body  # what the user typed is still in the form
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_plain_office_files_are_accepted(client, world, kind):
    client.force_login(world.staff_a)
    response = post_file(client, world, SimpleUploadedFile(f"台账.{kind}", office_file(kind, {})))
    assert response.status_code == 302
    assert [e.extension for e in Evidence.objects.all()] == [kind]


def pdf_with(catalog_extra: bytes, tail: bytes = b"") -> bytes:
    pdf = pdf_bytes().replace(b"/Type /Catalog /Pages 2 0 R", b"/Type /Catalog /Pages 2 0 R " + catalog_extra)
    return pdf.replace(b"xref\n", tail + b"xref\n", 1)


@pytest.mark.parametrize(
    ("pdf", "why"),
    [
        (pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "JavaScript"),
        (pdf_with(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"), "JavaScript"),  # name escapes
        (pdf_with(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "启动外部程序"),
        (
            pdf_with(
                b"/OpenAction 7 0 R",
                b"6 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
                + zlib.compress(b"7 0 << /S /JavaScript /JS (app.alert(1)) >>")
                + b"\nendstream\nendobj\n",
            ),
            "JavaScript",  # hidden in a compressed object stream
        ),
    ],
)
def test_pdfs_with_scripts_or_launch_actions_are_refused(client, world, pdf, why):
    client.force_login(world.staff_a)
    response = post_file(client, world, SimpleUploadedFile("报告.pdf", pdf))
    assert response.status_code == 200 and why in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_pdf_named_like_a_program_is_downloaded_under_a_safe_name(client, world):
    update = record_progress(
        measure=world.measure_a,
        user=world.staff_a,
        status="in_progress",
        note="报告",
        files=[UploadedFile("验收报告.pdf.exe", pdf_bytes())],
    )
    evidence = update.evidence.get()
    assert evidence.original_name == "验收报告.pdf_exe.pdf"
    Evidence.objects.filter(pk=evidence.pk).update(original_name="old\r\nrecord.pdf.scr")  # kept before this
    client.force_login(world.staff_a)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "\r" not in disposition and "\n" not in disposition
    assert 'filename="old__record.pdf_scr.pdf"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "extension", "safe"),
    [
        ("现场 照片.png", "png", "现场 照片.png"),
        ("photo.JPEG", "jpg", "photo.jpg"),
        ("报告.exe", "pdf", "报告_exe.pdf"),
        ("a.bat.docx.js", "docx", "a_bat.docx_js.docx"),
        ("../../etc/passwd", "pdf", "etc_passwd.pdf"),
        ("\ufffd\ufffd.pdf", "pdf", "佐证材料.pdf"),
        ("", "xlsx", "佐证材料.xlsx"),
    ],
)
def test_safe_names(name, extension, safe):
    assert safe_name(name, extension) == safe


def test_even_a_ninety_kilobyte_name_is_shortened_and_the_update_saved(client, world):
    client.force_login(world.staff_a)
    response = post_raw(client, world, "名".encode() * 30000 + b".pdf", pdf_bytes())
    assert response.status_code == 302
    assert [len(e.original_name) for e in Evidence.objects.all()] == [104]


def test_an_unreadable_form_is_refused_in_chinese_not_bare_english(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        progress_url(world.measure_a), data=b"garbage", content_type="multipart/form-data; boundary="
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "请求无法处理" in body and "本次提交没有保存" in body and "Bad Request" not in body
    assert not ProgressUpdate.objects.exists()
