"""XLSForm (KoboToolbox / ODK) to instrument questions and back.

The workbook (``.xlsx``, ``.xlsm`` or ``.xls``) is checked by
:func:`~peaceworks.core.tabular.check_workbook` (size, zip bombs, entities, real extent)
before pyxform reads it, then read and checked by pyxform itself: its workbook reading, its
JSON form structure and its XForm, so every spelling ODK accepts is understood (``begin
group``, ``label:English``, ``SURVEY``, ``relevance``, header-less comment columns...) and a
form is refused only when pyxform refuses it, with pyxform's reason and row.

Every question is kept. Agreement items (a ``select_one`` of 1-5, with an optional ``dk``),
integers, text, selects, dates and times become instrument questions; every other type
(decimal, range, media, geo, barcode, calculate, hidden, acknowledge, note, start/end...) is
kept as a recorded-but-not-analysed question (kind ``recorded``). Each question keeps its
survey row, the rows of its choice list and the rows opening its groups and repeats
(``Question.xlsform``), so :func:`export_xlsform` writes back its skip logic, constraints,
required, choice filters, ``or_other``, duplicate choice names and structure exactly.
What the web form does not do is named in :attr:`ParsedForm.warnings`.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from peaceworks.core.exports import neutralise
from peaceworks.core.tabular import RowError, TableError, check_workbook
from peaceworks.impact.models import Instrument, Question
from peaceworks.impact.relevance import NOT_REQUIRED, REQUIRED, compiles, language_of_column

# openpyxl and pyxform (a third of a second of imports) are imported where a form is read or
# written, not by every server process that loads the URLconf
if TYPE_CHECKING:
    from openpyxl import Workbook

#: the simple skip logic stored as ``{"question", "value"}``; others as ``{"expression"}``
RELEVANT = re.compile(r"^\s*\$\{([A-Za-z_][\w.-]*)\}\s*=\s*'([^']*)'\s*$")
AGREEMENT_VALUES = {"1", "2", "3", "4", "5"}
PYXFORM_ROW = re.compile(r"row\s*[:#]?\s*(\d+)", re.IGNORECASE)
NAMED = re.compile(r"named '([^']+)'")
TYPED = re.compile(r"question type '([^']+)'")
CODE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: pyxform's JSON types that map onto an analysable kind
KINDS = {
    "integer": Question.Kind.NUMBER,
    "text": Question.Kind.TEXT,
    "string": Question.Kind.TEXT,
    "date": Question.Kind.DATE,
    "time": Question.Kind.TIME,
    "datetime": Question.Kind.DATETIME,
}
SELECTS = {"select one": Question.Kind.SINGLE, "select all that apply": Question.Kind.MULTIPLE}
#: columns written in several spellings, to the one the export writes
COLUMN_ALIASES = {
    "relevance": "relevant",
    "bind:relevant": "relevant",
    "bind::relevant": "relevant",
    "bind:constraint": "constraint",
    "bind::constraint": "constraint",
    "bind:required": "required",
    "bind::required": "required",
    "bind:calculate": "calculation",
    "bind::calculate": "calculation",
    "list name": "list_name",
}
TRANSLATABLE = (
    "label",
    "hint",
    "guidance_hint",
    "constraint_message",
    "required_message",
    "image",
    "big-image",
    "audio",
    "video",
    "media::image",
    "media::audio",
    "media::video",
)
GROUP_ENDS = {"group": "end_group", "repeat": "end_repeat", "loop": "end_loop"}


@dataclass
class ParsedForm:
    title: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    #: question specs: code, kind, text, choices, relevant, block, theme_number, row and
    #: ``xlsform`` (the value of :attr:`Question.xlsform`)
    questions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: what is kept but not done by the web form (shown in the preview; nothing is dropped)
    warnings: list[RowError] = field(default_factory=list)


def _column(header: str) -> str:
    """The spelling the export writes for a column: ``label:English`` → ``label::English``,
    ``bind:relevant`` and ``relevance`` → ``relevant``; other headers as written."""
    lowered = header.strip().lower()
    if lowered in COLUMN_ALIASES:
        return COLUMN_ALIASES[lowered]
    for prefix in TRANSLATABLE:
        if lowered.startswith(prefix + ":") and not lowered.startswith(prefix + "::"):
            return f"{header[: len(prefix)]}::{header[len(prefix) + 1 :].strip()}"
    return header


def _normalised(row: dict[str, Any]) -> dict[str, str]:
    return {_column(str(key)): str(value) for key, value in row.items() if str(value).strip()}


def _texts(row: dict[str, str], prefix: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for column, value in row.items():
        if value and (column == prefix or column.startswith(prefix + "::")):
            texts[language_of_column(column)] = value
    return texts


def _refusal(error: Exception, definition: Any = None) -> RowError:
    """pyxform's reason, with the row it names, or else the row of the element it names."""
    problem = str(error)
    match = PYXFORM_ROW.search(problem)
    row = int(match.group(1)) if match else None
    named = NAMED.search(problem) or TYPED.search(problem)
    if row is None and named and definition is not None:
        column = "name" if named.re is NAMED else "type"
        for index, raw in enumerate(definition.survey or []):
            if str(raw.get(column, "")).strip() == named.group(1):
                row = index + 2
                break
    if row is not None:
        return RowError(
            row,
            "",
            _("The form is not valid, row %(row)s: %(problem)s") % {"row": row, "problem": problem},
        )
    return RowError(1, "", _("The form is not valid: %(problem)s") % {"problem": problem})


def _read(filename: str, data: bytes) -> Any:
    """pyxform's reading of the workbook (its sheets as rows of cells by header)."""
    from pyxform.xls2json_backends import get_xlsform

    file_type = ".xls" if data.startswith(OLE2) else ".xlsm" if filename.endswith(".xlsm") else ""
    return get_xlsform(xlsform=io.BytesIO(data), file_type=file_type or ".xlsx")


#: digests of the XForms ODK Validate passed in this process (see ``_form``)
_VALIDATED: set[str] = set()
_VALIDATED_LIMIT = 1024


def _form(definition: Any) -> dict[str, Any]:
    """pyxform's JSON form of a workbook it read, after checking it makes a valid XForm;
    raises PyXFormError (or another error pyxform lets through on odd input) when not.

    The check is pyxform's ``to_xml()`` with its default validation: ODK Validate, a Java
    program started for each form (~0.5 s of CPU). An XForm it passed is passed again
    without starting it, while this process remembers it (the preview and the
    confirmation of an import read the same file; the verdict is the XForm's)."""
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.xls2json import workbook_to_json

    warnings: list[str] = []
    form: dict[str, Any] = workbook_to_json(
        workbook_dict=definition, fallback_form_name="data", warnings=warnings
    )
    xml = create_survey_element_from_dict(form).to_xml(validate=False, warnings=warnings)
    digest = hashlib.sha256(xml.encode()).hexdigest()
    if digest not in _VALIDATED:
        _odk_validate(xml, warnings)
        if len(_VALIDATED) >= _VALIDATED_LIMIT:
            _VALIDATED.clear()
        _VALIDATED.add(digest)
    return form


def _odk_validate(xml: str, warnings: list[str]) -> None:
    """ODK Validate on ``xml``, as pyxform's ``to_xml()`` runs it (a file of the XForm it
    writes, pretty-printed); raises as it does for an invalid form or without Java."""
    from pyxform.validators import odk_validate

    with tempfile.TemporaryDirectory(prefix="peaceworks-xform-") as folder:
        path = Path(folder) / "form.xml"
        path.write_text(xml, encoding="utf-8")
        warnings.extend(odk_validate.check_xform(str(path)))


class _Builder:
    """Turns pyxform's JSON form, with the survey rows it was read from, into question specs."""

    def __init__(self, definition: Any, parsed: ParsedForm) -> None:
        self.parsed = parsed
        self.rows: dict[str, deque[tuple[int, dict[str, str]]]] = defaultdict(deque)
        for index, raw in enumerate(definition.survey or []):
            row = _normalised(raw)
            if row.get("name"):
                self.rows[row["name"]].append((index + 2, row))
        self.lists: dict[str, list[dict[str, str]]] = defaultdict(list)
        for raw in definition.choices or []:
            row = _normalised(raw)
            self.lists[row.get("list_name", "")].append(row)
        self.seen: set[str] = set()
        self.not_evaluated: list[int] = []
        self.not_enforced: dict[str, list[int]] = defaultdict(list)
        self.recorded: list[int] = []

    def source(self, name: str) -> tuple[int, dict[str, str]] | None:
        """The survey row an element comes from; None for one pyxform added (meta, or_other)."""
        queue = self.rows.get(name)
        return queue.popleft() if queue else None

    def walk(self, children: list[dict[str, Any]], groups: list[dict[str, Any]]) -> None:
        for element in children:
            name = str(element.get("name", ""))
            kind = str(element.get("type", "")).lower()
            source = self.source(name)
            if source is None:
                continue
            number, row = source
            if kind in GROUP_ENDS:
                self.conditions(number, row)
                if kind != "group":
                    self.parsed.warnings.append(
                        RowError(
                            number,
                            "type",
                            _(
                                "Survey row %(row)s: the questions of the repeat “%(name)s” are "
                                "kept, but the web form asks them once and stores one answer "
                                "each; the app's further repeat instances are not stored."
                            )
                            % {"row": number, "name": name},
                        )
                    )
                group = {"type": kind, "row": row}
                self.walk(list(element.get("children", [])), [*groups, group])
            else:
                self.question(element, kind, number, row, groups)

    def conditions(self, number: int, row: dict[str, str]) -> None:
        """Note the checks the web form does not do: skip logic, constraints, ``required``
        expressions and choice filters outside the subset it evaluates
        (:mod:`~peaceworks.impact.relevance`); ``or_other`` it always does."""
        relevant = row.get("relevant", "").strip()
        if relevant and not compiles(relevant):
            self.not_evaluated.append(number)
        constraint = row.get("constraint", "").strip()
        if constraint and not compiles(constraint, current=True):
            self.not_enforced["constraint"].append(number)
        required = row.get("required", "").strip()
        if required.lower() not in NOT_REQUIRED | REQUIRED and not compiles(required):
            self.not_enforced["required"].append(number)
        choice_filter = row.get("choice_filter", "").strip()
        if choice_filter and not compiles(choice_filter, columns=True):
            self.not_enforced["choice_filter"].append(number)

    @staticmethod
    def relevant(row: dict[str, str], groups: list[dict[str, Any]]) -> dict[str, str]:
        """A question's skip logic with its groups': ``{"question", "value"}`` for the one
        simple condition, else ``{"expression"}`` (all conditions, and-ed)."""
        conditions = [
            condition.strip()
            for condition in [*(g["row"].get("relevant", "") for g in groups), row.get("relevant")]
            if condition and condition.strip()
        ]
        if not conditions:
            return {}
        simple = RELEVANT.match(conditions[0]) if len(conditions) == 1 else None
        if simple:
            return {"question": simple.group(1), "value": simple.group(2)}
        if len(conditions) == 1:
            return {"expression": conditions[0]}
        return {"expression": " and ".join(f"({condition})" for condition in conditions)}

    def question(
        self,
        element: dict[str, Any],
        kind: str,
        number: int,
        row: dict[str, str],
        groups: list[dict[str, Any]],
    ) -> None:
        code = row["name"]
        if not CODE.match(code) or code in self.seen:
            message = (
                _("Survey row %(row)s: the name “%(name)s” is used twice.")
                if code in self.seen
                else _(
                    "Survey row %(row)s: the name “%(name)s” must use letters, digits, "
                    "“-” and “_” only (60 at most)."
                )
            )
            self.parsed.errors.append(
                RowError(number, "name", message % {"row": number, "name": code})
            )
            return
        self.seen.add(code)
        self.conditions(number, row)
        list_name = str(element.get("list_name", ""))
        choice_rows = self.lists.get(list_name, []) if kind in SELECTS else []
        spec: dict[str, Any] = {
            "code": code,
            "row": number,
            "text": _texts(row, "label"),
            "relevant": self.relevant(row, groups),
            "xlsform": {
                "type": kind,
                "row": row,
                "choices": choice_rows,
                "groups": groups,
            },
        }
        options = [
            {"value": choice["name"], "label": _texts(choice, "label")}
            for choice in choice_rows
            if "name" in choice
        ]
        if kind in SELECTS and options and element.get("itemset") == list_name:
            values = {option["value"] for option in options}
            if kind == "select one" and AGREEMENT_VALUES <= values <= AGREEMENT_VALUES | {"dk"}:
                spec["kind"] = Question.Kind.AGREEMENT
            else:
                spec["kind"] = SELECTS[kind]
                spec["choices"] = options
        elif kind in KINDS:
            spec["kind"] = KINDS[kind]
        else:
            spec["kind"] = Question.Kind.RECORDED
            self.recorded.append(number)
        if spec["kind"] != Question.Kind.RECORDED and not spec["text"]:
            spec["text"] = {"en": code}
        spec["block"] = row.get("peaceworks_block") or (
            Question.Block.DEMOGRAPHICS
            if code in {"gender", "age_band", "role", "residence_country"}
            else Question.Block.COMPETENCE
        )
        theme = row.get("peaceworks_theme", "")
        spec["theme_number"] = int(theme) if theme.isdigit() else None
        self.parsed.questions.append(spec)

    def warn(self) -> None:
        """One warning per feature the web form does not do, naming its rows."""

        def rows(numbers: list[int]) -> str:
            return ", ".join(str(n) for n in sorted(numbers))

        warnings = self.parsed.warnings
        if self.not_evaluated:
            warnings.append(
                RowError(
                    min(self.not_evaluated),
                    "relevant",
                    _(
                        "Survey rows %(rows)s: this skip logic is kept, exported and "
                        "evaluated by ODK Collect, but the web form does not evaluate it "
                        "(see “XLSForms” in the field collection guide) and asks these "
                        "questions always."
                    )
                    % {"rows": rows(self.not_evaluated)},
                )
            )
        features = {
            "constraint": _("constraints"),
            "required": _("required answers"),
            "choice_filter": _("choice filters"),
        }
        for column, numbers in sorted(self.not_enforced.items()):
            warnings.append(
                RowError(
                    min(numbers),
                    column,
                    _(
                        "Survey rows %(rows)s: these %(feature)s are kept, exported and "
                        "enforced by ODK Collect, but their expressions are outside what the "
                        "web form evaluates (see “XLSForms” in the field collection guide), "
                        "so the web form does not enforce them."
                    )
                    % {"rows": rows(numbers), "feature": features[column]},
                )
            )
        if self.recorded:
            warnings.append(
                RowError(
                    min(self.recorded),
                    "type",
                    _(
                        "Survey rows %(rows)s: these questions are recorded (answers from the "
                        "app are stored and exported) but not analysed, and the web form does "
                        "not ask them."
                    )
                    % {"rows": rows(self.recorded)},
                )
            )


def check_xlsform_file(*, filename: str, data: bytes) -> None:
    """Raise TableError unless the file is an .xlsx, .xlsm or .xls workbook within the
    limits of :func:`~peaceworks.core.tabular.check_workbook` (size, zip bombs, entities,
    real extents): what an import checks before storing the file."""
    if not filename.lower().endswith(SUFFIXES):
        raise TableError(
            _("Upload the XLSForm as an .xlsx or .xls workbook; %(name)s is neither.")
            % {"name": filename}
        )
    check_workbook(data)


def parse_xlsform(*, filename: str, data: bytes) -> ParsedForm:
    """Read an XLSForm into question specs, or errors that each name a row of a sheet.

    Raises TableError when the file is not a workbook Peaceworks reads safely."""
    lowered = filename.lower()
    check_xlsform_file(filename=filename, data=data)  # before pyxform reads anything
    parsed = ParsedForm()
    definition = None
    try:
        definition = _read(lowered, data)
        form = _form(definition)
    except Exception as error:  # noqa: BLE001 -- pyxform refuses with plain errors too
        parsed.errors.append(_refusal(error, definition))
        return parsed
    builder = _Builder(definition, parsed)
    builder.walk(list(form.get("children", [])), [])
    builder.warn()
    if parsed.errors:
        return parsed
    settings = (definition.settings or [{}])[0]
    title = str(settings.get("form_title", "")).strip()
    parsed.title = {"en": title} if title else {}
    languages = {lang for spec in parsed.questions for lang in spec["text"]}
    parsed.languages = sorted(languages) or ["en"]
    if not parsed.questions:
        parsed.errors.append(RowError(1, "survey", _("The form has no question we can use.")))
    return parsed


def form_questions(
    parsed: ParsedForm, *, instrument: Instrument, themes: dict[int, Any] | None = None
) -> list[Question]:
    """The (unsaved) questions of ``instrument`` a parsed form gives, in its order, each with
    its XLSForm source so the export gives the form back; ``themes`` by number."""
    themes = themes or {}
    return [
        Question(
            instrument=instrument,
            code=spec["code"],
            order=index * 10,
            block=spec["block"]
            if spec["block"] in Question.Block.values
            else Question.Block.COMPETENCE,
            theme=themes.get(spec["theme_number"]) if spec["theme_number"] else None,
            kind=spec["kind"],
            text=spec["text"],
            choices=spec.get("choices", []),
            relevant=spec.get("relevant", {}),
            xlsform=spec.get("xlsform", {}),
        )
        for index, spec in enumerate(parsed.questions)
    ]


AGREE = {
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
NATIVE_TYPES: dict[str, str] = {
    Question.Kind.AGREEMENT: "select_one agree5",
    Question.Kind.NUMBER: "integer",
    Question.Kind.DATE: "date",
    Question.Kind.TIME: "time",
    Question.Kind.DATETIME: "dateTime",
}
LANGUAGE_COLUMNS = {"en": "English (en)", "fr": "French (fr)", "es": "Spanish (es)"}


@dataclass(frozen=True)
class Sheet:
    """A sheet of an XLSForm as the export writes it: its header row and its rows, each a
    mapping of column to text with the empty cells left out (what reading the sheet back
    gives)."""

    columns: list[str]
    rows: list[dict[str, str]]


def cell_text(value: object) -> str:
    """``value`` as the text a workbook cell holds: openpyxl's checks (at most 32,767
    characters, no control characters: ``IllegalCharacterError``), so that rows used without
    writing a workbook are the rows a workbook would hold."""
    text = str(value)[:32767]
    if _illegal_characters().search(text):
        from openpyxl.utils.exceptions import IllegalCharacterError

        raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
    return text


@cache
def _illegal_characters() -> re.Pattern[str]:
    """openpyxl's pattern of the characters a cell cannot hold (imported when first used)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def _sheet(rows: list[dict[str, str]], first: list[str]) -> Sheet:
    """The sheet of ``rows`` under the union of their columns (``first`` leading)."""
    columns = list(dict.fromkeys([*first, *(key for row in rows for key in row)]))
    return Sheet(
        columns=[cell_text(column) for column in columns],
        rows=[
            {
                cell_text(column): text
                for column in columns
                if (text := cell_text(row.get(column, ""))) != ""
            }
            for row in rows
        ],
    )


def _sheet_of(workbook: Workbook, title: str, sheet: Sheet) -> None:
    """``sheet`` written into ``workbook``; every cell is written as text, so a value starting
    with ``=`` stays text, not a formula."""
    written = workbook.create_sheet(title)
    header = dict(zip(sheet.columns, sheet.columns, strict=True))
    for number, values in enumerate([header, *sheet.rows], 1):
        for index, column in enumerate(sheet.columns, 1):
            if values.get(column, "") != "":
                cell = written.cell(row=number, column=index, value=values[column])
                cell.data_type = "s"


class _Export:
    """The survey and choices rows of an instrument, groups opened and closed around the
    questions that carry them."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels
        self.survey: list[dict[str, str]] = []
        self.choices: list[dict[str, str]] = []
        self.lists: set[str] = set()
        self.open: list[dict[str, Any]] = []

    def enter(self, groups: list[dict[str, Any]]) -> None:
        keep = 0
        while keep < min(len(self.open), len(groups)) and self.open[keep] == groups[keep]:
            keep += 1
        while len(self.open) > keep:
            group = self.open.pop()
            self.survey.append(
                {"type": GROUP_ENDS.get(group["type"], "end_group"), "name": group["row"]["name"]}
            )
        for group in groups[keep:]:
            self.survey.append(dict(group["row"]))
            self.open.append(group)

    def add_list(self, name: str, rows: list[dict[str, str]]) -> None:
        if name not in self.lists:
            self.lists.add(name)
            self.choices.extend(rows)

    def native(self, question: Question, languages: list[str]) -> dict[str, str]:
        """The row of a question written in Peaceworks (or imported before XLSForm rows were
        kept)."""
        row = {"type": NATIVE_TYPES.get(question.kind, "text"), "name": question.code}
        for lang in languages:
            row[self.labels[lang]] = str(
                neutralise(question.text.get(lang) or question.text.get("en") or question.code)
            )
        if question.kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
            list_name = f"l_{question.code}"
            row["type"] = (
                "select_one " if question.kind == Question.Kind.SINGLE else "select_multiple "
            ) + list_name
            self.add_list(
                list_name,
                [
                    {
                        "list_name": list_name,
                        "name": str(choice["value"]),
                        **{
                            self.labels[lang]: str(
                                choice.get("label", {}).get(lang)
                                or choice.get("label", {}).get("en", "")
                            )
                            for lang in languages
                        },
                    }
                    for choice in question.choices
                ],
            )
        relevant = question.relevant
        if relevant:
            row["relevant"] = relevant.get("expression") or (
                f"${{{relevant['question']}}} = '{relevant['value']}'"
            )
        return row


def xlsform_sheets(
    instrument: Instrument, *, theme_ids: set[int] | None = None
) -> dict[str, Sheet]:
    """The sheets (``survey``, ``choices``, ``settings``) of the XLSForm of ``instrument`` that
    :func:`export_xlsform` writes, for a caller that reads them without a workbook (the app
    form, ``peaceworks.impact.openrosa``)."""
    questions = [
        question
        for question in instrument.questions.select_related("theme")
        if theme_ids is None or not question.theme_id or question.theme_id in theme_ids
    ]
    languages = list(instrument.languages or ["en"])
    labels = {
        language_of_column(column): column
        for question in questions
        for column in question.xlsform.get("row", {})
        if column == "label" or column.startswith("label::")
    }
    imported = bool(labels)
    for lang in languages:
        labels.setdefault(lang, f"label::{LANGUAGE_COLUMNS.get(lang, f'{lang} ({lang})')}")
    export = _Export(labels)
    export.add_list(
        "agree5",
        [
            {
                "list_name": "agree5",
                "name": value,
                **{labels[lang]: AGREE.get(lang, AGREE["en"])[index] for lang in languages},
            }
            for index, value in enumerate(["1", "2", "3", "4", "5", "dk"])
        ],
    )
    if not any(question.code == "matching_code" for question in questions):
        export.survey.append(
            {
                "type": "text",
                "name": "matching_code",
                **{labels[lang]: "Code" for lang in languages},
            }
        )
    for question in questions:
        source = question.xlsform or {}
        if source.get("row"):
            export.enter(list(source.get("groups", [])))
            row = dict(source["row"])
            if source.get("choices"):
                export.add_list(source["choices"][0].get("list_name", ""), source["choices"])
        else:
            export.enter([])
            row = export.native(question, languages)
        row["peaceworks_block"] = question.block
        row["peaceworks_theme"] = str(question.theme.number) if question.theme else ""
        export.survey.append(row)
    export.enter([])
    names: set[tuple[str, str]] = set()
    duplicates = False
    for choice in export.choices:
        key = (choice.get("list_name", ""), choice.get("name", ""))
        duplicates = duplicates or key in names
        names.add(key)
    settings = {
        "form_title": instrument.title.get("en", "Survey"),
        "form_id": f"peaceworks_{instrument.role}",
        "version": str(instrument.version),
    }
    if not imported:
        settings["default_language"] = labels[languages[0]].split("::", 1)[1]
    if duplicates:
        settings["allow_choice_duplicates"] = "yes"
    return {
        "survey": _sheet(export.survey, ["type", "name", *labels.values(), "relevant"]),
        "choices": _sheet(export.choices, ["list_name", "name", *labels.values()]),
        "settings": _sheet([settings], list(settings)),
    }


def export_xlsform(instrument: Instrument, *, theme_ids: set[int] | None = None) -> bytes:
    """An XLSForm of ``instrument`` for KoboToolbox/ODK, in every language it carries.

    A question imported from an XLSForm is written as its survey row, choice list and
    groups were read, so pyxform reads back the same form."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.sheetnames
    for title, sheet in xlsform_sheets(instrument, theme_ids=theme_ids).items():
        _sheet_of(workbook, title, sheet)
    for name in first:
        del workbook[name]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
