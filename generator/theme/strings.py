"""Theme strings: every word a theme shows, in one file per theme, per language.

``themes/<name>/strings.yml`` maps a language code to its strings::

    en:
      months: [January, February, ...]
      date: "{day} {month} {year}"
      read_original: "Read the original at {outlet}"

A child theme's file overrides single keys of its parent's. The site's
``language`` picks the table (``en-GB`` tries ``en-gb``, then ``en``); keys it
lacks come from English, with a warning that names them.

Counts take the plural form of the language (``stories_one``,
``stories_few``, ``stories_many``, ``stories_other``: CLDR's categories for
whole numbers; a form the table lacks falls back to ``_other``) and its
thousands separator (``thousands``).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from generator.config.validate import Checker
from generator.config.yamlsource import parse_yaml
from generator.diagnostics import Diagnostic, warning
from generator.theme.themes import output_escape

FALLBACK = "en"


@dataclass(frozen=True)
class Strings:
    table: dict[str, object]
    language: str
    _markup: dict[str, Markup] = field(default_factory=dict, compare=False, repr=False)
    _fillers: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    _months: list[str] = field(default_factory=list, compare=False, repr=False)

    def get(self, key: str) -> object:
        if key not in self.table:
            raise KeyError(f"theme string {key!r} is not defined in any strings.yml")
        return self.table[key]

    def text(self, key: str, **values) -> Markup:
        """The string ``key`` with ``{name}`` filled in; values are escaped
        unless they are already markup (a link made by the template)."""
        markup = self._markup.get(key)
        if markup is None:
            template = self.get(key)
            if not isinstance(template, str):
                raise TypeError(f"theme string {key!r} is not a single string")
            markup = self._markup[key] = Markup(escape(template))
            self._fillers[key] = _filler(markup)
        if not values:
            return markup
        filler = self._fillers[key]
        return filler(values) if filler is not None else markup.format(**values)

    def plain(self, key: str, **values) -> str:
        """The string ``key`` filled in as plain text (templates escape it later)."""
        return str(self.get(key)).format(**values)

    def count(self, key: str, count: int) -> str:
        """The plural form of ``key`` for ``count`` (``key_one``, ``key_few``,
        ``key_many``, else ``key_other``), with ``{count}`` filled in as the
        language writes numbers."""
        form = f"{key}_{plural_category(self.language, count)}"
        if form not in self.table:
            form = f"{key}_other"
        return str(self.get(form)).format(count=self.number(count))

    def number(self, value: int) -> str:
        """``12345`` as the language writes it: ``12,345``, ``12.345``, ``12 345``."""
        text = str(value)
        if -1000 < value < 1000 or (abs(value) < 10000 and self.language.lower().split("-")[0] in _SHORT_UNGROUPED):
            return text
        return f"{value:,}".replace(",", str(self.table.get("thousands", ",")))

    def months(self) -> list[str]:
        if not self._months:  # read once: this is called for every date shown
            self._months.extend(self.get("months"))  # type: ignore[arg-type]
        return self._months

    def format_date(self, day: int, month: int, year: int) -> str:
        shown = self.table.get("first_day", 1) if day == 1 else day  # "1er juillet" in French
        return str(self.get("date")).format(day=shown, month=self.months()[month - 1], year=year)

    def format_date_time(self, day: int, month: int, year: int, hour: int, minute: int) -> str:
        return self.join_date_time(self.format_date(day, month, year), self.format_time(hour, minute))

    def format_time(self, hour: int, minute: int) -> str:
        return str(self.get("time")).format(hour=f"{hour:02d}", minute=f"{minute:02d}")

    def join_date_time(self, date: str, time: str) -> str:
        return str(self.get("date_time")).format(date=date, time=time)

    def month_name(self, month: int, year: int) -> str:
        return str(self.get("month_year")).format(month=self.months()[month - 1], year=year)


_SHORT_UNGROUPED = {"es", "pl"}  # CLDR's minimum grouping digits of 2: 1500, but 12 500


def plural_category(language: str, n: int) -> str:
    """CLDR's plural category of a whole number ``n`` in ``language``: "one",
    "few", "many" or "other" (the rules of the languages that need more than
    English's; every other language is treated like English)."""
    code = language.lower().replace("_", "-")
    base = code.split("-")[0]
    n = abs(n)
    if base in ("fr", "pt") and code != "pt-pt":
        return "one" if n in (0, 1) else "other"  # "0 article", "1 article", "2 articles"
    if base in ("ru", "uk", "be"):
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        return "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"
    if base == "pl":
        if n == 1:
            return "one"
        return "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"
    if base in ("cs", "sk"):
        return "one" if n == 1 else "few" if 2 <= n <= 4 else "other"
    if base in ("ja", "zh", "ko", "vi", "th", "id"):
        return "other"
    return "one" if n == 1 else "other"


def _filler(markup: Markup):
    """``markup.format(**values)`` for a string whose fields are all plain
    ``{name}``s, with the parsing done once: formatting the theme's strings
    through markupsafe's formatter was a twentieth of a cold build's render
    time. None for any other string (``Markup.format`` does it)."""
    try:
        parts = list(string.Formatter().parse(str(markup)))
    except ValueError:
        return None
    if any(name is not None and (not name.isidentifier() or spec or conversion)
           for _, name, spec, conversion in parts):  # fmt: skip
        return None

    def fill(values: dict) -> Markup:
        out = []
        for literal, name, _, _ in parts:
            out.append(literal)
            if name is not None:
                out.append(_field(values[name]))
        return Markup("".join(out))

    return fill


def _field(value) -> str:
    """What markupsafe's formatter puts in a field: HTML as it is, anything else escaped."""
    if hasattr(value, "__html_format__"):
        return output_escape(value.__html_format__(""))
    if hasattr(value, "__html__"):
        return output_escape(value.__html__())
    return output_escape(format(value, ""))


def _candidates(language: str) -> list[str]:
    code = language.lower().replace("_", "-")
    out = [code]
    if "-" in code:
        out.append(code.split("-", 1)[0])
    if FALLBACK not in out:
        out.append(FALLBACK)
    return out


def load_strings(theme_paths: list[Path], language: str, display) -> tuple[Strings | None, list[Diagnostic]]:
    """Merge ``strings.yml`` of a theme chain (child first) for ``language``."""
    diagnostics: list[Diagnostic] = []
    tables: list[dict[str, dict]] = []
    origins: dict[str, tuple[str, int, int]] = {}  # language -> where the child-most theme writes its block
    for path in reversed(theme_paths):  # parents first, so children override
        file = path / "strings.yml"
        if not file.is_file():
            continue
        shown = display(file)
        node, problems = parse_yaml(file.read_text(encoding="utf-8-sig"))
        check = Checker(shown)
        for problem in problems:
            check.error((problem.line, problem.col), "", problem.message)
        if node is not None and check.mapping(node, "strings"):
            for lang, (key, value) in node.items.items():
                if check.mapping(value, lang):
                    tables.append({lang.lower(): value.to_python()})
                    origins[lang.lower()] = (shown, key.line, key.col)
        diagnostics.extend(check.diagnostics)
    if diagnostics:
        return None, diagnostics
    merged: dict[str, object] = {}
    found = False
    for candidate in reversed(_candidates(language)):  # English first, the exact language last
        for table in tables:
            if candidate in table:
                merged.update(table[candidate])
                found = found or candidate != FALLBACK or language.lower().startswith(FALLBACK)
    if not found:
        diagnostics.append(
            warning("site.yml", 1, 1, "language", f"the theme has no strings for {language!r}; using English")
        )
    elif not language.lower().startswith(FALLBACK):
        diagnostics += _lacking(tables, origins, _candidates(language)[:-1])
    return Strings(merged, language), diagnostics


def _lacking(tables: list[dict[str, dict]], origins: dict, candidates: list[str]) -> list[Diagnostic]:
    """A warning when the language's tables (``candidates``: ``de-at``, ``de``)
    lack keys that English has: English would show through."""
    english = {key for table in tables for key in table.get(FALLBACK, {})}
    own = {key for table in tables for code in candidates for key in table.get(code, {})}
    missing = sorted(key for key in english - own if not key.endswith(("_few", "_many")))
    if not missing:
        return []
    path, line, col = next(origins[code] for code in candidates if code in origins)
    shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
    message = f"the strings for {candidates[-1]!r} lack {len(missing)} of English's: {shown}; English is shown for them"
    return [warning(path, line, col, "strings", message)]
