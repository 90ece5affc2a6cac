"""A corpus of XLSForms written the ways field teams write them, generated here: each spelling
ODK accepts, every question type, groups, repeats, choice filters, ``or_other``, duplicate
choice names and complex skip logic, in ``.xlsx``, ``.xlsm`` and ``.xls``; and forms pyxform
refuses. ``python -m peaceworks.impact.tests.xlsforms DIR`` writes them to DIR to open them."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from openpyxl import Workbook

from scripts.hostile_corpus import _xls

Rows = list[list[str | None]]


@dataclass(frozen=True)
class Form:
    name: str
    filename: str
    #: writes the file; run once, when a test first reads ``data`` (collecting the tests that
    #: are parametrised by the forms' names builds no workbook)
    build: Callable[[], bytes] = field(repr=False, compare=False)

    @cached_property
    def data(self) -> bytes:
        return self.build()


def workbook(sheets: dict[str, Rows]) -> bytes:
    """An .xlsx of ``sheets`` (name → rows, the first the header; None is an empty cell)."""
    book = Workbook()
    first = book.sheetnames
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for title in first:
        del book[title]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls(rows: Rows, *, declared: tuple[int, int] | None = None) -> bytes:
    """A BIFF8 .xls of one sheet (pyxform reads a lone sheet as the survey), its DIMENSIONS
    record declaring ``declared`` rows and columns (by default the real ones)."""
    return _xls(
        [
            (r, c, value)
            for r, row in enumerate(rows)
            for c, value in enumerate(row)
            if value is not None
        ],
        declared=declared,
    )


YES_NO: Rows = [["yn", "yes", "Yes", "Oui"], ["yn", "no", "No", "Non"]]
AGREE: Rows = [["agree", str(n), f"A{n}", f"F{n}"] for n in range(1, 6)]
AGREE += [["agree", "dk", "Don't know", "Je ne sais pas"]]
SETTINGS: Rows = [["form_title", "form_id"], ["Workcamp survey", "workcamp"]]


def _spellings() -> bytes:
    """``begin group``, ``label:English``, ``bind:relevant``, upper-case sheet names, a
    comment column without a header, ``select one from``."""
    return workbook(
        {
            "SURVEY": [
                ["type", "name", "label:English", "label:French", "bind:relevant", None],
                ["begin group", "camp", "The camp", "Le camp", None, "a comment"],
                ["select one from agree", "trust", "I trust", "J'ai confiance", None, None],
                ["select one from yn", "harm", "Harm?", "Tort ?", None, "note to self"],
                ["text", "harm_text", "Describe", "Décrivez", "${harm} = 'yes'", None],
                ["end group", None, None, None, None, None],
            ],
            "Choices": [["list_name", "name", "label:English", "label:French"], *AGREE, *YES_NO],
            "SETTINGS": SETTINGS,
        }
    )


def _underscores() -> bytes:
    """``begin_group``, ``label::English (en)``, ``relevance``, ``select_one``."""
    return workbook(
        {
            "survey": [
                ["type", "name", "label::English (en)", "label::French (fr)", "relevance"],
                ["begin_group", "camp", "The camp", "Le camp", None],
                ["select_one agree", "trust", "I trust", "J'ai confiance", None],
                ["select_multiple yn", "both", "Both", "Les deux", None],
                ["integer", "days", "Days", "Jours", "selected(${both}, 'yes')"],
                ["end_group", None, None, None, None],
            ],
            "choices": [
                ["list_name", "name", "label::English (en)", "label::French (fr)"],
                *AGREE,
                *YES_NO,
            ],
            "settings": SETTINGS,
        }
    )


TYPES = [
    "integer",
    "decimal",
    "text",
    "date",
    "time",
    "dateTime",
    "geopoint",
    "geotrace",
    "geoshape",
    "image",
    "audio",
    "video",
    "file",
    "barcode",
    "acknowledge",
    "note",
]


def _every_type() -> bytes:
    survey: Rows = [["type", "name", "label", "calculation", "parameters"]]
    survey += [
        ["start", "started", None, None, None],
        ["end", "ended", None, None, None],
        ["today", "day", None, None, None],
        ["deviceid", "device", None, None, None],
        ["username", "user", None, None, None],
    ]
    survey += [[kind, f"q_{kind.lower()}", f"A {kind}", None, None] for kind in TYPES]
    survey += [
        ["select_one agree", "q_agree", "Agree", None, None],
        ["select_one yn", "q_one", "One", None, None],
        ["select_multiple yn", "q_many", "Many", None, None],
        ["range", "q_range", "Range", None, "start=0 end=10 step=1"],
        ["rank yn", "q_rank", "Rank", None, None],
        ["calculate", "q_calc", None, "${q_integer} * 2", None],
        ["hidden", "q_hidden", None, None, None],
    ]
    return workbook(
        {
            "survey": survey,
            "choices": [["list_name", "name", "label"], *[row[:3] for row in AGREE + YES_NO]],
        }
    )


def _repeats() -> bytes:
    return workbook(
        {
            "survey": [
                ["type", "name", "label", "repeat_count"],
                ["integer", "volunteers", "How many volunteers?", None],
                ["begin repeat", "volunteer", "Volunteer", "${volunteers}"],
                ["text", "volunteer_name", "Name", None],
                ["begin group", "volunteer_view", "Their view", None],
                ["select_one agree", "volunteer_agree", "They agree", None],
                ["end group", None, None, None],
                ["end repeat", None, None, None],
                ["begin_repeat", "visit", "Visit", None],
                ["date", "visit_date", "Date", None],
                ["end_repeat", None, None, None],
            ],
            "choices": [["list_name", "name", "label"], *[row[:3] for row in AGREE]],
        }
    )


def _choice_filter() -> bytes:
    return workbook(
        {
            "survey": [
                ["type", "name", "label", "choice_filter"],
                ["select_one country", "country", "Country", None],
                ["select_one city", "city", "City", "country=${country}"],
            ],
            "choices": [
                ["list_name", "name", "label", "country"],
                ["country", "ke", "Kenya", None],
                ["country", "ug", "Uganda", None],
                ["city", "nairobi", "Nairobi", "ke"],
                ["city", "kampala", "Kampala", "ug"],
            ],
        }
    )


def _or_other() -> bytes:
    return workbook(
        {
            "survey": [
                ["type", "name", "label"],
                ["select_one role or_other", "role", "Role"],
                ["select_multiple role or_other", "roles", "Roles"],
            ],
            "choices": [
                ["list_name", "name", "label"],
                ["role", "volunteer", "Volunteer"],
                ["role", "leader", "Leader"],
            ],
        }
    )


def _duplicate_choices(allowed: bool) -> bytes:
    sheets: dict[str, Rows] = {
        "survey": [["type", "name", "label"], ["select_one place", "place", "Place"]],
        "choices": [
            ["list_name", "name", "label"],
            ["place", "camp", "Camp (north)"],
            ["place", "camp", "Camp (south)"],
            ["place", "town", "Town"],
        ],
    }
    if allowed:
        sheets["settings"] = [["allow_choice_duplicates"], ["yes"]]
    return workbook(sheets)


def _complex_logic() -> bytes:
    return workbook(
        {
            "survey": [
                [
                    "type",
                    "name",
                    "label",
                    "relevant",
                    "constraint",
                    "constraint_message",
                    "required",
                ],
                ["integer", "age", "Age", None, ". >= 16 and . <= 99", "16 to 99", "yes"],
                ["select_multiple yn", "tried", "Tried", None, None, None, "true()"],
                [
                    "text",
                    "why",
                    "Why",
                    "(${age} > 18 and ${age} < 30) or not(selected(${tried}, 'no'))",
                    None,
                    None,
                    None,
                ],
                [
                    "text",
                    "more",
                    "More",
                    "count-selected(${tried}) >= 2",
                    None,
                    None,
                    "regex(${why}, 'x')",
                ],
                ["text", "young", "Young", "${age} != 20", "string-length(.) < 50", None, None],
                [
                    "text",
                    "other",
                    "Other",
                    "regex(${why}, '^[a-z]+$')",
                    "regex(., '^[a-z]+$')",
                    None,
                    None,
                ],
            ],
            "choices": [["list_name", "name", "label"], *[row[:3] for row in YES_NO]],
        }
    )


XLS_ROWS: Rows = [
    ["type", "name", "label", "relevant"],
    ["begin group", "camp", "The camp", None],
    ["text", "place", "Place", None],
    ["integer", "days", "Days", "${place} = 'north'"],
    ["end group", None, None, None],
    ["date", "arrived", "Arrived", None],
]


@cache
def forms() -> tuple[Form, ...]:
    """Forms pyxform accepts (the same ones on every call: each is built once)."""
    return (
        Form("spellings", "spellings.xlsx", _spellings),
        Form("underscores", "underscores.xlsx", _underscores),
        Form("macro workbook", "underscores.xlsm", _underscores),
        Form("every type", "types.xlsx", _every_type),
        Form("repeats", "repeats.xlsx", _repeats),
        Form("choice filter", "cascade.xlsx", _choice_filter),
        Form("or_other", "other.xlsx", _or_other),
        Form("duplicate choices allowed", "duplicates.xlsx", lambda: _duplicate_choices(True)),
        Form("complex logic", "logic.xlsx", _complex_logic),
        Form("xls", "legacy.xls", lambda: xls(XLS_ROWS)),
    )


@cache
def refused() -> tuple[Form, ...]:
    """Forms pyxform refuses, each for one reason (the same ones on every call)."""
    plain: Rows = [["list_name", "name", "label"], *[row[:3] for row in YES_NO]]
    return (
        Form(
            "select one from list",
            "from_list.xlsx",
            lambda: workbook(
                {
                    "survey": [["type", "name", "label"], ["select one from list yn", "a", "A"]],
                    "choices": plain,
                }
            ),
        ),
        Form("duplicate choices", "duplicates.xlsx", lambda: _duplicate_choices(False)),
        Form(
            "missing list",
            "missing.xlsx",
            lambda: workbook(
                {"survey": [["type", "name", "label"], ["select_one nolist", "a", "A"]]}
            ),
        ),
        Form(
            "unclosed group",
            "unclosed.xlsx",
            lambda: workbook(
                {
                    "survey": [
                        ["type", "name", "label"],
                        ["begin group", "g", "G"],
                        ["text", "a", "A"],
                    ]
                }
            ),
        ),
        Form(
            "bad name",
            "bad.xlsx",
            lambda: workbook({"survey": [["type", "name", "label"], ["text", "Bad Name!", "A"]]}),
        ),
        Form(
            "or_other with a choice filter",
            "other_filter.xlsx",
            lambda: workbook(
                {
                    "survey": [
                        ["type", "name", "label", "choice_filter"],
                        ["select_one yn or_other", "a", "A", "name != 'no'"],
                    ],
                    "choices": plain,
                }
            ),
        ),
        Form("xls without labels", "nolabel.xls", lambda: xls([["type", "name"], ["text", "a"]])),
    )


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for form in forms() + refused():
        (target / form.filename).write_bytes(form.data)
