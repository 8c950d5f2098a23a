"""The default theme in every language it ships: complete, and nothing English left on a German or French page."""

import re
from html.parser import HTMLParser

import pytest
import yaml

from conftest import REPO, story
from generator.theme.strings import Strings, plural_category

TABLES = yaml.safe_load((REPO / "themes/default/strings.yml").read_text(encoding="utf-8"))


def test_every_language_has_every_key():
    english = set(TABLES["en"])
    for language, table in TABLES.items():
        assert set(table) == english, language


def test_plural_forms_and_numbers_follow_the_language():
    en, de, fr = (Strings(TABLES[code], code) for code in ("en", "de", "fr"))
    assert [en.count("stories", n) for n in (0, 1, 2, 12345)] == ["0 stories", "1 story", "2 stories", "12,345 stories"]
    assert [de.count("stories", n) for n in (0, 1, 2)] == ["0 Meldungen", "1 Meldung", "2 Meldungen"]
    assert de.count("stories", 12345) == "12.345 Meldungen"
    assert [fr.count("stories", n) for n in (0, 1, 2)] == ["0 article", "1 article", "2 articles"]  # 0 is singular
    assert fr.count("stories", 12345) == "12\u202f345 articles"
    # Languages with more forms than one and other: a form the table lacks falls back to _other.
    assert [plural_category("pl", n) for n in (1, 3, 5, 22, 25)] == ["one", "few", "many", "few", "many"]
    assert [plural_category("ru", n) for n in (1, 21, 3, 11, 5)] == ["one", "one", "few", "many", "many"]
    assert Strings({"stories_one": "{count} x", "stories_other": "{count} y"}, "pl").count("stories", 3) == "3 y"


def test_dates_and_times_follow_the_language():
    en, de, fr = (Strings(TABLES[code], code) for code in ("en", "de", "fr"))
    assert en.format_date_time(1, 7, 2023, 9, 5) == "1 July 2023, 09:05"
    assert de.format_date_time(1, 7, 2023, 9, 5) == "1. Juli 2023, 09:05 Uhr"
    assert fr.format_date_time(1, 7, 2023, 9, 5) == "1er juillet 2023 à 09 h 05"
    assert fr.format_date(14, 7, 2023) == "14 juillet 2023"


def test_a_language_that_lacks_keys_gets_a_warning(site):
    site.write("site.yml", "title: T\nbase_url: https://example.org/\nlanguage: nl\n")
    site.write("themes/child/theme.yml", "extends: default\n")
    site.write("themes/child/strings.yml", "nl:\n  home: Start\n  tags: Trefwoorden\n")
    site.write("site.yml", site.read("site.yml") + "theme: child\n")
    site.write("content/articles/a.md", story(title="A"))
    result = site.ssg("build")
    assert result.code == 0
    missing = len(TABLES["en"]) - 2
    assert result.err.startswith(
        f"themes/child/strings.yml:1:1: warning: strings: the strings for 'nl' lack {missing} "
        "of English's: all_of_year, archive, archive_description, archived_copy, archived_on, ")
    assert result.err.endswith(f" and {missing - 8} more; English is shown for them\n")


class _Text(HTMLParser):
    """What a reader sees or hears of a page: its text and its labels."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "alt") or name.startswith("data-") and value:
                self.parts.append(value or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _english_phrases(language: str) -> set[str]:
    """The words of each English string (between its {placeholders}) that the language does not share."""
    own = " ".join(str(v) for v in TABLES[language].values())
    phrases = set()
    for value in TABLES["en"].values():
        for piece in re.split(r"\{\w+\}", " ".join(value) if isinstance(value, list) else str(value)):
            piece = piece.strip(" .,:;()·“”")
            if len(piece) >= 4 and re.search(r"[A-Za-z]{4}", piece) and piece not in own:
                phrases.add(piece)
    return phrases


@pytest.mark.parametrize("language", ["de", "fr"])
def test_pages_in_german_and_french_have_no_english_interface_text(site, language):
    site.write("site.yml", f"title: Zqx\nbase_url: https://example.org/\nlanguage: {language}\nsearch: true\n"
                           "timezone: UTC\n")  # fmt: skip
    for n in range(1, 25):
        extra = "tags: [Qat, Vox]\nsummary: Zz zz.\ncredit: Kkk\n" if n % 2 else "tags: [Qat]\n"
        site.write(f"content/articles/s{n}.md", story(title=f"Zq {n}", date=f"2023-{n % 12 + 1:02d}-01T09:30:00",
                                                      extra=extra, body="Zz zz.", name="Wqz"))  # fmt: skip
    result = site.ssg("build")
    assert result.code == 0, result.err
    phrases = _english_phrases(language)
    assert {"Read the original at", "Older stories", "stories", "Page"} & phrases  # (the check has teeth)
    pages = ["index.html", "page/2/index.html", "2023/07/zq-6/index.html", "tags/index.html", "tags/qat/index.html",
             "sources/index.html", "sources/wqz/index.html", "archive/index.html", "2023/index.html",
             "2023/07/index.html", "search/index.html", "404.html"]  # fmt: skip
    for rel in pages:
        parser = _Text()
        parser.feed((site.public / rel).read_text(encoding="utf-8"))
        text = " ".join(parser.parts).replace("JSON Feed", "")  # (the format's name, like Atom)
        found = sorted(p for p in phrases if re.search(rf"(?<![A-Za-zÀ-ÿ]){re.escape(p)}(?![A-Za-zÀ-ÿ])", text))
        assert not found, (rel, found)
