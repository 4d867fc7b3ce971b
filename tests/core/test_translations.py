"""English is complete: every message has a translation, and English pages carry no Vietnamese text."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def test_english_catalogue_has_every_message_translated_and_none_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert not catalogue.metadata_is_fuzzy
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert len(catalogue) > 100


def test_english_translations_keep_their_placeholders():
    catalogue = polib.pofile(str(PO))
    wrong = []
    for e in catalogue:
        translations = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for text in translations:
            if sorted(set(PLACEHOLDER.findall(e.msgid))) != sorted(set(PLACEHOLDER.findall(text))):
                wrong.append(e.msgid)
    assert wrong == []


def _visible_text(html: str) -> str:
    html = re.sub(
        r"<option[^>]*>.*?</option>", "", html, flags=re.S
    )  # the language names stay in their language
    html = re.sub(r"<[^>]+>", " ", html)
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/dang-nhap/", "/can-bo/"])
def test_pages_in_english_show_no_vietnamese(client, personas, path):
    client.force_login(personas.desk_x)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    if path == "/dang-nhap/":
        client.logout()
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    response = client.get(path)
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    # agency and person names are proper nouns; remove the ones this persona sees
    for name in (personas.desk_x.full_name, personas.agency_x.name, "Một Cửa"):
        text = text.replace(name, "")
    assert VIETNAMESE_LETTERS.findall(text) == [], text
