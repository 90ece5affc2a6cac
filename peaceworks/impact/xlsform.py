"""XLSForm (KoboToolbox / ODK) to instrument questions and back.

Supported: ``select_one`` / ``select_multiple`` with a choices sheet, ``integer`` /
``decimal``, ``text``, notes and groups (flattened), meta questions (ignored), labels in
several languages (``label::French (fr)``), and skip logic of the form
``${question} = 'value'``. A ``select_one`` whose choices are 1-5 (plus an optional
``dk``) becomes an agreement item. Anything else (repeats, calculations, media, complex
conditions) is refused with a message naming the row and the feature. pyxform checks the
form as ODK would.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from peaceworks.core.exports import neutralise
from peaceworks.core.tabular import RowError, SheetExtent, check_workbook, read_table
from peaceworks.impact.models import Instrument, Question

META_TYPES = {"start", "end", "today", "deviceid", "username", "phonenumber", "audit", "simserial"}
IGNORED_TYPES = {"note", "begin_group", "begin group", "end_group", "end group"}
UNSUPPORTED = {
    "begin_repeat": "repeat",
    "begin repeat": "repeat",
    "calculate": "calculate",
    "geopoint": "geopoint",
    "geotrace": "geotrace",
    "geoshape": "geoshape",
    "image": "image",
    "audio": "audio",
    "video": "video",
    "file": "file",
    "barcode": "barcode",
    "range": "range",
    "rank": "rank",
    "acknowledge": "acknowledge",
}
NUMBER_TYPES = {"integer", "decimal"}
TEXT_TYPES = {"text", "string"}
LANGUAGE_NAMES = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "spanish": "es",
    "español": "es",
}
RELEVANT = re.compile(r"^\s*\$\{([A-Za-z_][\w.-]*)\}\s*=\s*'([^']*)'\s*$")
AGREEMENT_VALUES = {"1", "2", "3", "4", "5"}
PYXFORM_ROW = re.compile(r"row\s*[:#]?\s*(\d+)", re.IGNORECASE)
CODE = re.compile(r"^[a-z0-9_-]{1,60}$")


@dataclass
class ParsedForm:
    title: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _language_of(column: str) -> str:
    """``label::French (fr)`` → ``fr``; ``label::English`` → ``en``; ``label`` → ``en``."""
    if "::" not in column:
        return "en"
    name = column.split("::", 1)[1].strip()
    match = re.search(r"\(([A-Za-z-]{2,8})\)\s*$", name)
    if match:
        return match.group(1).lower()[:2]
    return LANGUAGE_NAMES.get(name.lower(), name.lower()[:8])


def _sheet(
    workbook: Any, name: str, extents: dict[str, SheetExtent]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """A sheet's header and non-blank rows, read within the sheet's real extent (found by
    :func:`check_workbook`), never within the range the sheet declares: a declared
    A1:AMJ1048576 would make openpyxl walk a billion empty cells."""
    if name not in workbook.sheetnames:
        return [], []
    worksheet = workbook[name]
    # openpyxl keeps the part a read-only sheet comes from in this attribute
    extent = extents.get(str(getattr(worksheet, "_worksheet_path", "")).lstrip("/"))
    if extent is None or not extent.cells:
        return [], []
    rows = list(
        worksheet.iter_rows(max_row=extent.last_row, max_col=extent.last_column, values_only=True)
    )
    if not rows:
        return [], []
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        values = {
            headers[i]: str(c).strip()
            for i, c in enumerate(cells)
            if i < len(headers) and c is not None
        }
        if any(values.values()):
            out.append((number, values))
    return headers, out


def _texts(row: dict[str, str], prefix: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for column, value in row.items():
        if value and (column == prefix or column.startswith(prefix + "::")):
            texts[_language_of(column)] = value
    return texts


def parse_xlsform(*, filename: str, data: bytes) -> ParsedForm:
    """Read an XLSForm into question specs, or errors that each name a row of a sheet."""
    read_table(filename=filename, data=data)  # size, zip-bomb, entity and extent checks
    extents = {extent.part: extent for extent in check_workbook(data)}
    parsed = ParsedForm()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 -- any unreadable workbook is a user error
        parsed.errors.append(RowError(1, "", _("The file is not a readable XLSForm workbook.")))
        return parsed
    _headers, survey = _sheet(workbook, "survey", extents)
    if not survey:
        parsed.errors.append(RowError(1, "survey", _("The workbook has no “survey” sheet.")))
        return parsed
    _c, choice_rows = _sheet(workbook, "choices", extents)
    choices: dict[str, list[dict[str, Any]]] = {}
    for _number, row in choice_rows:
        list_name = row.get("list_name") or row.get("list name") or ""
        choices.setdefault(list_name, []).append(
            {"value": row.get("name", ""), "label": _texts(row, "label")}
        )
    _s, settings_rows = _sheet(workbook, "settings", extents)
    settings_row = settings_rows[0][1] if settings_rows else {}
    languages: set[str] = set()
    seen: set[str] = set()
    for number, row in survey:
        kind_cell = row.get("type", "")
        name = row.get("name", "")
        base = kind_cell.split()[0] if kind_cell else ""
        if base in META_TYPES or base in IGNORED_TYPES or not kind_cell:
            continue
        if base in UNSUPPORTED:
            parsed.errors.append(
                RowError(
                    number,
                    "type",
                    _("Survey row %(row)s: %(feature)s questions are not supported.")
                    % {"row": number, "feature": UNSUPPORTED[base]},
                )
            )
            continue
        if base in {"end_repeat", "end repeat"}:
            continue
        spec: dict[str, Any] = {"code": name.lower(), "text": _texts(row, "label"), "row": number}
        if not CODE.match(spec["code"]):
            parsed.errors.append(
                RowError(
                    number,
                    "name",
                    _(
                        "Survey row %(row)s: the name “%(name)s” must use lower-case letters, "
                        "digits and underscores."
                    )
                    % {"row": number, "name": name},
                )
            )
            continue
        if spec["code"] in seen:
            parsed.errors.append(
                RowError(
                    number,
                    "name",
                    _("Survey row %(row)s: the name is used twice.") % {"row": number},
                )
            )
            continue
        seen.add(spec["code"])
        if base in {"select_one", "select_multiple"}:
            parts = kind_cell.split()
            options = choices.get(parts[1], []) if len(parts) > 1 else []
            if not options:
                parsed.errors.append(
                    RowError(
                        number,
                        "type",
                        _("Survey row %(row)s: the choice list of “%(type)s” is missing.")
                        % {"row": number, "type": kind_cell},
                    )
                )
                continue
            values = {str(o["value"]) for o in options}
            if base == "select_one" and AGREEMENT_VALUES <= values <= AGREEMENT_VALUES | {"dk"}:
                spec["kind"] = Question.Kind.AGREEMENT
            else:
                spec["kind"] = (
                    Question.Kind.SINGLE if base == "select_one" else Question.Kind.MULTIPLE
                )
                spec["choices"] = options
        elif base in NUMBER_TYPES:
            spec["kind"] = Question.Kind.NUMBER
        elif base in TEXT_TYPES:
            spec["kind"] = Question.Kind.TEXT
        else:
            parsed.errors.append(
                RowError(
                    number,
                    "type",
                    _("Survey row %(row)s: the question type “%(type)s” is not supported.")
                    % {"row": number, "type": kind_cell},
                )
            )
            continue
        relevant = row.get("relevant", "")
        if relevant:
            match = RELEVANT.match(relevant)
            if not match:
                parsed.errors.append(
                    RowError(
                        number,
                        "relevant",
                        _(
                            "Survey row %(row)s: only skip logic of the form ${question} = "
                            "'value' is supported."
                        )
                        % {"row": number},
                    )
                )
                continue
            spec["relevant"] = {"question": match.group(1).lower(), "value": match.group(2)}
        if not spec["text"]:
            parsed.errors.append(
                RowError(number, "label", _("Survey row %(row)s has no label.") % {"row": number})
            )
            continue
        spec["block"] = row.get("peaceworks_block") or (
            Question.Block.DEMOGRAPHICS
            if spec["code"] in {"gender", "age_band", "role", "residence_country"}
            else Question.Block.COMPETENCE
        )
        theme = row.get("peaceworks_theme", "")
        spec["theme_number"] = int(theme) if theme.isdigit() else None
        languages.update(spec["text"])
        parsed.questions.append(spec)
    if parsed.errors:
        return parsed
    try:
        convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=[])
    except PyXFormError as error:
        match = PYXFORM_ROW.search(str(error))
        parsed.errors.append(
            RowError(
                int(match.group(1)) if match else 1,
                "",
                _("The form is not valid: %(problem)s") % {"problem": str(error)},
            )
        )
        return parsed
    except Exception as error:  # noqa: BLE001 -- pyxform raises plain errors on odd input
        parsed.errors.append(
            RowError(1, "", _("The form is not valid: %(problem)s") % {"problem": str(error)})
        )
        return parsed
    title = settings_row.get("form_title", "")
    parsed.title = {"en": title} if title else {}
    parsed.languages = sorted(languages) or ["en"]
    if not parsed.questions:
        parsed.errors.append(RowError(1, "survey", _("The form has no question we can use.")))
    return parsed


def export_xlsform(instrument: Instrument, *, theme_ids: set[int] | None = None) -> bytes:
    """An XLSForm of ``instrument`` for KoboToolbox/ODK, in every language it carries."""
    languages = list(instrument.languages or ["en"])
    names = {"en": "English (en)", "fr": "French (fr)", "es": "Spanish (es)"}
    label_cols = [f"label::{names.get(lang, f'{lang} ({lang})')}" for lang in languages]
    workbook = Workbook()
    survey = workbook.create_sheet("survey", 0)
    for extra in workbook.sheetnames[1:]:
        del workbook[extra]
    survey.append(["type", "name", *label_cols, "relevant", "peaceworks_block", "peaceworks_theme"])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *label_cols])
    agree = {
        "en": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree", "Don't know"],
        "fr": [
            "Pas du tout d'accord",
            "Pas d'accord",
            "Ni l'un ni l'autre",
            "D'accord",
            "Tout à fait d'accord",
            "Je ne sais pas",
        ],
        "es": [
            "Totalmente en desacuerdo",
            "En desacuerdo",
            "Ni una cosa ni otra",
            "De acuerdo",
            "Totalmente de acuerdo",
            "No sé",
        ],
    }
    for index, value in enumerate(["1", "2", "3", "4", "5", "dk"]):
        choices.append(
            ["agree5", value, *[agree.get(lang, agree["en"])[index] for lang in languages]]
        )
    survey.append(["text", "matching_code", *["Code" for _lang in languages], "", "", ""])
    for question in instrument.questions.select_related("theme"):
        if theme_ids is not None and question.theme_id and question.theme_id not in theme_ids:
            continue
        labels = [
            neutralise(question.text.get(lang) or question.text.get("en", "")) for lang in languages
        ]
        if question.kind == Question.Kind.AGREEMENT:
            kind = "select_one agree5"
        elif question.kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
            list_name = f"l_{question.code}"
            kind = "select_one " if question.kind == Question.Kind.SINGLE else "select_multiple "
            kind += list_name
            for choice in question.choices:
                label = choice.get("label", {})
                choices.append(
                    [
                        list_name,
                        str(choice["value"]),
                        *[label.get(lang) or label.get("en", "") for lang in languages],
                    ]
                )
        elif question.kind == Question.Kind.NUMBER:
            kind = "integer"
        else:
            kind = "text"
        relevant = ""
        if question.relevant:
            relevant = f"${{{question.relevant['question']}}} = '{question.relevant['value']}'"
        survey.append(
            [
                kind,
                question.code,
                *labels,
                relevant,
                question.block,
                question.theme.number if question.theme else "",
            ]
        )
    settings_sheet = workbook.create_sheet("settings")
    settings_sheet.append(["form_title", "form_id", "version", "default_language"])
    settings_sheet.append(
        [
            instrument.title.get("en", "Survey"),
            f"peaceworks_{instrument.role}",
            str(instrument.version),
            label_cols[0].split("::", 1)[1],
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
