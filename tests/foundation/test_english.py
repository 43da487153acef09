"""The UI speaks Chinese by default and English on request; the English catalogue stays complete.

Chinese is the source language (the msgids), so English comes entirely from
locale/en/LC_MESSAGES/django.po, compiled to the django.mo kept next to it in the repository.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PlanFactory, make_user

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file (header left out): flags, msgid, msgid_plural and the msgstr forms."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": set(), "msgstr": {}}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if isinstance(key, int):
                    entry["msgstr"][key] += value
                else:
                    entry[key] += value
            else:
                keyword, _, literal = line.partition(" ")
                msgstr = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
                key = int(msgstr.group(1) or 0) if msgstr else keyword
                if isinstance(key, int):
                    entry["msgstr"][key] = ast.literal_eval(literal)
                else:
                    entry[key] = ast.literal_eval(literal)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sd]|\{\w*\}", text))


@pytest.fixture
def plan(db):
    return PlanFactory(title="测试行动计划", doc_number="丰政发〔2026〕1号")


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "用户名" in page and "忘记密码？" in page
    assert "Username" not in page


@pytest.mark.django_db
def test_login_page_is_english_for_a_browser_that_asks_for_english(client):
    page = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="en">' in page
    assert "Username" in page and "Password" in page and "Forgot your password?" in page
    assert "用户名" not in page


@pytest.mark.django_db
def test_plan_list_is_chinese_by_default(client, plan):
    client.force_login(make_user("office", "office_admin"))
    page = client.get(reverse("plan_list")).content.decode()
    assert "行动计划" in page and "发文字号" in page and "退出" in page
    assert "Document number" not in page


@pytest.mark.django_db
def test_the_language_switch_turns_a_signed_in_page_english(client, plan):
    client.force_login(make_user("office", "office_admin"))
    page = client.get(reverse("plan_list")).content.decode()
    assert f'action="{reverse("set_language")}"' in page  # the switch in base.html's header

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"

    page = client.get(reverse("plan_list")).content.decode()
    assert '<html lang="en">' in page
    for english in (
        "Action plans",
        "Document number",
        "Chapter",
        "Measure",
        "My tasks",
        "Monthly reports",
        "Log out",
    ):
        assert english in page, english
    assert "测试行动计划" in page  # the data itself stays as written
    assert "发文字号" not in page

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "发文字号" in client.get(reverse("plan_list")).content.decode()


def test_every_english_string_is_translated():
    entries = po_entries(PO_FILE)
    assert len(entries) > 400
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or "fuzzy" in e["flags"]]
    assert untranslated == [], "run `make messages` and translate these in locale/en/LC_MESSAGES/django.po"


def test_translations_keep_their_placeholders():
    for entry in po_entries(PO_FILE):
        for form in entry["msgstr"].values():
            assert placeholders(form) == placeholders(entry["msgid"]), entry["msgid"]


def test_the_committed_mo_file_matches_the_po_file():
    """A fresh machine uses the .mo as committed, without gettext tools: it must not lag the .po."""
    with MO_FILE.open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for entry in po_entries(PO_FILE):
        if "msgid_plural" in entry:
            for n, form in ((1, 0), (2, 1)):
                assert catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n) == entry["msgstr"][form]
        elif (
            "msgctxt" in entry
        ):  # the same Chinese in another sense, e.g. 重新报送: the state, and the button
            assert catalogue.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


def test_the_catalogue_holds_every_string_marked_for_translation(tmp_path, settings, monkeypatch):
    """makemessages over the code finds no msgid the committed catalogue lacks (run `make messages`)."""
    import os
    import shutil

    from django.core.management import call_command

    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("gettext is missing: apt-get install -y gettext")
        pytest.skip("gettext is not installed")
    # makemessages writes to the locale folder nearest the code: give it a tree of links to the code
    # with a copy of the catalogue, so the repository's catalogue is never touched.
    base = Path(settings.BASE_DIR)
    for child in base.iterdir():
        if child.name not in {"locale", ".git", ".venv", "data", "test-artifacts", "bench", "tests"}:
            (tmp_path / child.name).symlink_to(child)
    catalogue = tmp_path / "locale" / "en" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    shutil.copy(PO_FILE, catalogue / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], symlinks=True, verbosity=0)
    committed = {e["msgid"] for e in po_entries(PO_FILE)}
    marked = {e["msgid"] for e in po_entries(catalogue / "django.po")}
    assert sorted(marked - committed) == [], "run `make messages` and translate the new strings"
