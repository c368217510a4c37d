"""The Finnish and Swedish catalogs: complete, and one word for one meaning.

Django merges every catalog of a language into one, the project catalog
first and then the apps in INSTALLED_APPS order, so a message translated
two ways shows the same single translation everywhere, and a stale copy of
an app's message in the project catalog hides the app's own translation.
"""

import re
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fi", "sv")


def _catalogs(language):
    for path in sorted(ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.po")):
        if ".venv" not in path.parts and "var" not in path.parts:
            yield path.relative_to(ROOT), polib.pofile(str(path))


def _live(catalog):
    return [entry for entry in catalog if not entry.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    missing = [
        f"{path}: {entry.msgid!r}"
        for path, catalog in _catalogs(language)
        for entry in _live(catalog)
        if "fuzzy" in entry.flags or not entry.translated()
    ]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_has_one_translation_in_all_catalogs(language):
    seen = defaultdict(lambda: defaultdict(list))
    for path, catalog in _catalogs(language):
        for entry in _live(catalog):
            if entry.msgstr and not entry.msgid_plural:
                seen[(entry.msgctxt, entry.msgid)][entry.msgstr].append(str(path))
    conflicts = {key: dict(found) for key, found in seen.items() if len(found) > 1}
    assert conflicts == {}


def test_project_catalog_leaves_app_messages_to_the_apps():
    app_dirs = {
        path.parent.parent.parent.parent.relative_to(ROOT).as_posix()
        for path in ROOT.glob("modules/*/locale/fi/LC_MESSAGES/django.po")
    }
    project = polib.pofile(str(ROOT / "locale/fi/LC_MESSAGES/django.po"))
    stale = [
        entry.msgid
        for entry in _live(project)
        if entry.occurrences
        and all(
            "/".join(file.split("/")[:2]) in app_dirs
            for file, _line in entry.occurrences
        )
    ]
    assert stale == []


def test_same_word_in_two_meanings_is_told_apart_by_context():
    with translation.override("fi"):
        assert translation.gettext("Balance") == "Saldo"
        assert translation.pgettext("ledger check", "Balance") == "Täsmäys"
        assert translation.pgettext("payment", "Batch") == "Maksuerä"
        assert translation.gettext("Batch") == "Erä"
    with translation.override("sv"):
        assert translation.pgettext("field type", "Number") == "Tal"
        assert translation.gettext("Number") == "Nummer"


CALL = re.compile(
    r"""\b(?:_|gettext|gettext_lazy|pgettext|pgettext_lazy)\(\s*"""
    r"""(?:"(?P<context>[^"\\]+)",\s*)?"(?P<msgid>[^"\\{]+)"\s*\)"""
)


def _messages_in_code():
    for folder in ("cms", "modules", "integrations", "pages", "themes"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in CALL.finditer(path.read_text()):
                yield path.relative_to(ROOT), match["context"], match["msgid"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_code_is_in_a_catalog(language):
    catalog = trans_real.translation(language)._catalog
    missing = [
        f"{path}: {msgid!r}"
        for path, context, msgid in _messages_in_code()
        if catalog.get(f"{context}\x04{msgid}" if context else msgid) is None
    ]
    assert missing == []
