"""Offline collection with ODK Collect / KoboCollect: tokens, the XForm and submissions.

A round is opened for app collection with a revocable :class:`CollectionToken`, embedded in
the server URL as ODK Central does for data collectors (``/impact/openrosa/<token>``) and
shown as the app's setup QR code. The token is derived from a random salt and the server's
secret key, so it is never stored (only its SHA-256, to find it) yet the round's coordinators
can see it again.

The round's XForm is made by pyxform from the sheets of the instrument's XLSForm
(:func:`~peaceworks.impact.xlsform.xlsform_sheets`, what the export writes), given to pyxform
as the definition it reads from a workbook, one form per language, with what the web
survey asks first: the consent (and the consent for sensitive items when the round asks
any), the three facts of the matching code and, for rounds with a retrospective block, the
"then" group. The questions are the round's routed questions (its activity's themes, without
the questions left out), so a submission is checked exactly like the web form's by
:func:`~peaceworks.impact.services.responses.response_submit`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import secrets
import uuid
import zlib
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring as parse_xml  # type: ignore[import-untyped]
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, user_of, viewer_for
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.impact.models import (
    CollectionToken,
    Question,
    Response,
    ResponseAttachment,
    Round,
    pick_text,
)
from peaceworks.impact.pseudonyms import build_code, code_part_problem
from peaceworks.impact.relevance import language_of_column, repeat_of
from peaceworks.impact.services.responses import Submission, response_submit, round_routing
from peaceworks.impact.xlsform import cell_text, xlsform_sheets

#: the largest submission XML accepted (the answers of one respondent are a few kilobytes)
MAX_SUBMISSION_XML = 1024 * 1024
#: the largest file kept with a submission, and the most files a submission may carry
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20
#: the fields of the form that are not questions of the instrument
CONSENT, SENSITIVE_CONSENT, CONSENT_VERSION = "consent", "sensitive_consent", "consent_version"
CODE_PARTS = ("parent_letters", "birth_day", "place_letters")
THEN_GROUP = "then"
THEN_PREFIX = "then_"
_TOKEN_SALT = "peaceworks.impact.openrosa.token"  # noqa: S105 -- a key salt, not a secret
_FORM_ID = re.compile(r"^peaceworks-r(\d+)-([a-z]{2,8})$")


# --- tokens ------------------------------------------------------------------------------------


#: columns of an imported XLSForm's rows the app form keeps (the export writes them back)
CARRIED = (
    "required",
    "constraint",
    "constraint_message",
    "calculation",
    "parameters",
    "appearance",
)


def _token_of(salt: str) -> str:
    return salted_hmac(_TOKEN_SALT, salt, algorithm="sha256").hexdigest()[:40]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def collection_token(item: CollectionToken) -> str:
    """The token of ``item`` (derived again from its salt and the secret key)."""
    return _token_of(item.salt)


def server_url(item: CollectionToken) -> str:
    """The server URL the app is set up with (the app adds ``/formList``, ``/submission``)."""
    url = reverse("impact:openrosa_form_list", args=[collection_token(item)])
    return settings.SITE_URL + url.removesuffix("/formList")


def setup_payload(item: CollectionToken) -> str:
    """ODK Collect's settings QR text: the zlib-compressed settings JSON, base64-encoded."""
    survey_round = item.round
    configuration = {
        "general": {"server_url": server_url(item), "form_update_mode": "match_exactly"},
        "admin": {},
        "project": {"name": f"{survey_round.activity.code} {survey_round.kind}"[:60]},
    }
    return base64.b64encode(zlib.compress(json.dumps(configuration).encode())).decode()


def setup_qr_svg(item: CollectionToken) -> bytes:
    import segno  # imported by the pages that draw a code, not by every server process

    code = segno.make(setup_payload(item), error="l")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=4, border=4)
    return buffer.getvalue()


def active_token(survey_round: Round) -> CollectionToken | None:
    return survey_round.collection_tokens.filter(revoked_at__isnull=True).first()


def round_for_token(token: str) -> Round | None:
    """The round an active token opens, or None for an unknown or revoked token."""
    if not token or len(token) > 100:
        return None
    item = (
        CollectionToken.objects.select_related("round", "round__activity", "round__instrument")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    return item.round if item is not None else None


@transaction.atomic
def collection_open(*, actor: Actor, survey_round: Round) -> CollectionToken:
    """Open ``survey_round`` for app collection (its coordinators and network staff).

    Returns the round's active token, creating one when there is none.
    """
    viewer_for(actor).require_org(survey_round.activity.host_organisation_id, write=True)
    Round.objects.select_for_update().filter(pk=survey_round.pk).first()
    existing = active_token(survey_round)
    if existing is not None:
        return existing
    round_xforms(survey_round)  # a form pyxform cannot make is refused now, not on the phone
    salt = secrets.token_hex(16)
    item = CollectionToken.objects.create(
        round=survey_round, salt=salt, token_hash=_hash(_token_of(salt)), created_by=user_of(actor)
    )
    audit_record(actor=actor, action="impact.collection_open", target=survey_round)
    return item


@transaction.atomic
def collection_revoke(*, actor: Actor, survey_round: Round) -> int:
    """Revoke the round's collection token: the apps set up with it are refused (401)."""
    viewer_for(actor).require_org(survey_round.activity.host_organisation_id, write=True)
    revoked = survey_round.collection_tokens.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    if revoked:
        audit_record(actor=actor, action="impact.collection_revoke", target=survey_round)
    return revoked


# --- the XForm ---------------------------------------------------------------------------------


def form_id(survey_round: Round, language: str) -> str:
    return f"peaceworks-r{survey_round.pk}-{language}"


@dataclass(frozen=True)
class XForm:
    form_id: str
    language: str
    name: str
    version: str
    xml: bytes

    @property
    def hash(self) -> str:
        return "md5:" + hashlib.md5(self.xml, usedforsecurity=False).hexdigest()


#: XForms per (round, instrument version, language and everything that routes the questions)
_XFORMS: dict[tuple[Any, ...], XForm] = {}
_XFORMS_LIMIT = 128


def _asked(survey_round: Round) -> list[Question]:
    return round_routing(survey_round, sensitive_consent=survey_round.asks_sensitive_items)[1]


def _form_key(survey_round: Round, language: str, asked: list[Question]) -> tuple[Any, ...]:
    instrument = survey_round.instrument
    return (
        survey_round.pk,
        instrument.pk,
        instrument.version,
        instrument.published_at,
        instrument.consent_version,
        language,
        survey_round.kind,
        survey_round.uses_retrospective,
        tuple(question.pk for question in asked),
    )


def round_xforms(survey_round: Round) -> list[XForm]:
    """The round's XForm in each language of its instrument (cached per process)."""
    asked = _asked(survey_round)
    forms = []
    for language in survey_round.instrument.languages or ["en"]:
        key = _form_key(survey_round, language, asked)
        xform = _XFORMS.get(key)
        if xform is None:
            try:
                xform = _build(survey_round, language, asked, key)
            except Exception as error:
                raise DomainError(
                    _("The round's form cannot be made for ODK Collect: %(problem)s")
                    % {"problem": error}
                ) from error
            if len(_XFORMS) >= _XFORMS_LIMIT:
                _XFORMS.clear()
            _XFORMS[key] = xform
        forms.append(xform)
    return forms


def _label_column(headers: set[str], language: str) -> str:
    for header in sorted(headers):
        if header.startswith("label::") and language_of_column(header) == language:
            return header
    return min((h for h in headers if h.startswith("label")), default="label")


#: a workbook's sheets as the rows of cell values written into it, the header row first
Tables = dict[str, list[list[Any]]]


def _build(
    survey_round: Round, language: str, asked: list[Question], key: tuple[Any, ...]
) -> XForm:
    from pyxform.xls2xform import convert  # a fifth of a second: imported for the first form

    tables = _tables(survey_round, language, asked, key)
    name, version = tables["settings"][1][0], tables["settings"][1][2]
    result = convert(xlsform=workbook_definition(tables), warnings=[])
    return XForm(
        form_id=form_id(survey_round, language),
        language=language,
        name=name,
        version=version,
        xml=result.xform.encode(),
    )


def _tables(
    survey_round: Round, language: str, asked: list[Question], key: tuple[Any, ...]
) -> Tables:
    """The XLSForm of the round's app form in ``language``: its survey, choices and
    settings sheets."""
    instrument = survey_round.instrument
    theme_ids = {question.theme_id for question in asked if question.theme_id}
    exported = xlsform_sheets(instrument, theme_ids=theme_ids)
    survey_rows = exported["survey"].rows
    choice_rows = exported["choices"].rows
    label = _label_column({h for row in survey_rows for h in row}, language)
    by_code = {question.code: question for question in asked}
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:8]
    version = f"{instrument.version}.{digest}"
    name = pick_text(instrument.title, language) or str(instrument)
    with translation.override(language):
        survey = _intro_rows(survey_round, language, asked)
        kept: list[dict[str, Any]] = []
        for row in survey_rows:
            code = str(row.get("name", ""))
            question = by_code.get(code)
            if question is None:
                continue  # the matching code (asked as three facts) or a question not routed
            # an imported question's condition includes its groups' (the app form is flat)
            relevant = str(question.relevant.get("expression") or row.get("relevant", ""))
            refers = question.relevant.get("question") if question.relevant else None
            if refers and refers not in by_code:
                continue  # asked only after a question the round does not ask: never asked
            if question.is_sensitive:
                sensitive = f"${{{SENSITIVE_CONSENT}}} = 'yes'"
                relevant = f"({relevant}) and {sensitive}" if relevant else sensitive
            choice_filter = str(row.get("choice_filter", ""))
            if survey_round.asks_sensitive_items and any(
                choice.get("sensitive") for choice in question.choices
            ):
                # sensitive choices are offered only with their own consent, as on the web
                sensitive = f"pw_sensitive = 'no' or ${{{SENSITIVE_CONSENT}}} = 'yes'"
                choice_filter = (
                    f"({choice_filter}) and ({sensitive})" if choice_filter else sensitive
                )
            kept.append(
                {
                    **{column: row[column] for column in CARRIED if column in row},
                    "type": row["type"],
                    "name": code,
                    "label": row.get(label, code),
                    "relevant": relevant,
                    "choice_filter": choice_filter,
                }
            )
        survey.extend(_with_repeats(kept, by_code, label))
        if survey_round.uses_retrospective:
            survey.append(
                {
                    "type": "begin_group",
                    "name": THEN_GROUP,
                    "label": _("Think back to before the project"),
                }
            )
            for row in kept:
                if by_code[row["name"]].in_retrospective:
                    survey.append(
                        {
                            **row,
                            "name": THEN_PREFIX + row["name"],
                        }
                    )
            survey.append({"type": "end_group", "name": THEN_GROUP})
        choices = [
            {"list_name": "pw_yes", "name": "yes", "label": _("Yes, I agree")},
            {"list_name": "pw_yes_no", "name": "yes", "label": _("Yes")},
            {"list_name": "pw_yes_no", "name": "no", "label": _("No")},
        ]
    sensitive_choices = {
        (f"l_{question.code}", str(choice["value"]))
        for question in asked
        for choice in question.choices
        if choice.get("sensitive")
    }
    for row in choice_rows:
        key_of_choice = (str(row["list_name"]), str(row["name"]))
        if key_of_choice in sensitive_choices and not survey_round.asks_sensitive_items:
            continue  # the round asks no sensitive item: its choices are not offered
        choices.append(
            {
                **{key: value for key, value in row.items() if not key.startswith("label")},
                "list_name": row["list_name"],
                "name": str(row["name"]),
                "label": row.get(label, str(row["name"])),
                "pw_sensitive": "yes" if key_of_choice in sensitive_choices else "no",
            }
        )
    columns = ["type", "name", "label", "relevant", "choice_filter", "repeat_count", *CARRIED]
    choice_columns = list(
        dict.fromkeys(
            ["list_name", "name", "label", "pw_sensitive", *(k for r in choices for k in r)]
        )
    )
    names = [(row["list_name"], row["name"]) for row in choices]
    return {
        "survey": [columns, *([row.get(column, "") for column in columns] for row in survey)],
        "choices": [
            choice_columns,
            *(
                [
                    row.get(column, "no" if column == "pw_sensitive" else "")
                    for column in choice_columns
                ]
                for row in choices
            ),
        ],
        "settings": [
            ["form_title", "form_id", "version", "allow_choice_duplicates"],
            [
                name,
                form_id(survey_round, language),
                version,
                "yes" if len(set(names)) < len(names) else "no",
            ],
        ],
    }


class _Cell:
    """A cell as pyxform's workbook reading sees it (its value)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _read_back(value: Any) -> Any:
    """What a cell written with ``value`` holds when read: text as a text cell holds it
    (:func:`~peaceworks.impact.xlsform.cell_text`), numbers as they are."""
    return cell_text(value) if isinstance(value, str) else value


def _cleaned(cell: _Cell, row_number: int, column: str) -> str | None:
    """pyxform's reading of an XLSX cell: text stripped, empty as nothing, the rest as text."""
    from pyxform.xls2json_backends import is_empty, xlsx_value_to_str

    value = cell.value.strip() if isinstance(cell.value, str) else cell.value
    return None if is_empty(value) else xlsx_value_to_str(value)


def workbook_definition(tables: Tables) -> dict[str, Any]:
    """The definition pyxform reads from an XLSX workbook holding ``tables`` (its sheets in
    that order, each row's cells from the first column), made without writing and reading
    the workbook: the same headers, rows and cleaning as pyxform's ``xlsx_to_dict``, so
    ``convert`` makes the same XForm from it (checked by the tests against a workbook)."""
    from pyxform.xls2json_backends import get_excel_column_headers, get_excel_rows

    definition: dict[str, Any] = {"sheet_names": list(tables)}
    for title, (header, *rows) in tables.items():
        headers = get_excel_column_headers(first_row=[_read_back(value) for value in header])
        definition[title] = get_excel_rows(
            headers=headers,
            rows=[[_Cell(_read_back(value)) for value in row[: len(headers)]] for row in rows],
            cell_func=_cleaned,
        )
        named = [column for column in headers if column is not None]
        definition[f"{title}_header"] = [dict.fromkeys(named)] if named else []
    return definition


def _with_repeats(
    rows: list[dict[str, Any]], by_code: dict[str, Question], label: str
) -> list[dict[str, Any]]:
    """The question rows with the XLSForm repeats they are in opened and closed around them,
    so the app asks as many instances as the respondent gives (plain groups are left out:
    their skip logic is in each question's)."""
    out: list[dict[str, Any]] = []
    current = ""
    for row in rows:
        question = by_code[row["name"]]
        name = repeat_of(question)
        if name != current:
            if current:
                out.append({"type": "end_repeat", "name": current})
            if name:
                group = next(
                    g["row"]
                    for g in question.xlsform["groups"]
                    if g.get("type") == "repeat" and g["row"].get("name") == name
                )
                out.append(
                    {
                        "type": "begin_repeat",
                        "name": name,
                        "label": group.get(label) or group.get("label") or name,
                        "repeat_count": group.get("repeat_count", ""),
                    }
                )
            current = name
        out.append(row)
    if current:
        out.append({"type": "end_repeat", "name": current})
    return out


def _intro_rows(survey_round: Round, language: str, asked: list[Question]) -> list[dict[str, Any]]:
    """The consent, the sensitive consent and the three facts of the matching code."""
    instrument = survey_round.instrument
    rows: list[dict[str, Any]] = []
    intro = pick_text(instrument.intro, language)
    if intro:
        rows.append({"type": "note", "name": "pw_intro", "label": intro})
    rows += [
        {
            "type": "note",
            "name": "pw_consent_text",
            "label": pick_text(instrument.consent_text, language) or _("Consent"),
        },
        {
            "type": "select_one pw_yes",
            "name": CONSENT,
            "label": _("I have read this text and agree to take part."),
            "required": "yes",
        },
        {
            "type": "calculate",
            "name": CONSENT_VERSION,
            "calculation": f"'{instrument.consent_version}'",
        },
    ]
    if survey_round.asks_sensitive_items and any(
        question.is_sensitive or any(choice.get("sensitive") for choice in question.choices)
        for question in asked
    ):
        rows += [
            {
                "type": "note",
                "name": "pw_sensitive_consent_text",
                "label": pick_text(instrument.sensitive_consent_text, language)
                or _("Optional questions about disability and health"),
            },
            {
                "type": "select_one pw_yes_no",
                "name": SENSITIVE_CONSENT,
                "label": _(
                    "I also agree to answer the optional questions about disability and health."
                ),
                "required": "yes",
            },
        ]
    if survey_round.kind != Round.Kind.PARTNER:
        rows += [
            {
                "type": "text",
                "name": "parent_letters",
                "label": _(
                    "The first two letters of your mother's (or another parent's) first name"
                ),
                "required": "yes",
                "constraint": "string-length(.) >= 2",
            },
            {
                "type": "integer",
                "name": "birth_day",
                "label": _("The day of the month you were born (1 to 31)"),
                "required": "yes",
                "constraint": ". >= 1 and . <= 31",
            },
            {
                "type": "text",
                "name": "place_letters",
                "label": _("The first two letters of the town where you were born"),
                "required": "yes",
                "constraint": "string-length(.) >= 2",
            },
        ]
    return rows


# --- submissions -------------------------------------------------------------------------------


class SubmissionRefused(DomainError):
    """A submission the OpenRosa endpoint answers with a 4xx and its message."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status_code = status


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _leaves(element: Any) -> dict[str, str]:
    """The answers under ``element`` by name (groups other than the retrospective flattened;
    of a repeat, the first instance's)."""
    found: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        if name in {"meta", THEN_GROUP}:
            continue
        if len(child):
            for code, text in _leaves(child).items():
                found.setdefault(code, text)
        else:
            found.setdefault(name, (child.text or "").strip())
    return found


def _repeat_instances(root: Any, names: set[str]) -> dict[str, list[dict[str, str]]]:
    """Every instance of the repeats ``names``, in the order sent, outside the "then" group
    (ODK Collect sends one element per instance; a ``jr:template`` is no instance)."""
    found: dict[str, list[dict[str, str]]] = {}
    if not names:
        return found

    def walk(element: Any) -> None:
        for child in element:
            name = _local(child.tag)
            if name in {"meta", THEN_GROUP}:
                continue
            template = any(_local(key) == "template" for key in child.attrib)
            if name in names and not template:
                found.setdefault(name, []).append(_leaves(child))
            elif len(child):
                walk(child)

    walk(root)
    return found


def _find(element: Any, name: str) -> Any:
    for child in element.iter():
        if _local(child.tag) == name:
            return child
    return None


@dataclass(frozen=True)
class ParsedSubmission:
    form_id: str
    instance_id: uuid.UUID
    values: dict[str, str]
    then_values: dict[str, str]
    #: every instance of each repeat, by the repeat's name
    repeats: dict[str, list[dict[str, str]]] = dataclass_field(default_factory=dict)


def parse_submission(xml: bytes, *, repeats: set[str] | None = None) -> ParsedSubmission:
    """The form id, instance id and answers of a submission XML (defusedxml: no entities)."""
    if len(xml) > MAX_SUBMISSION_XML:
        raise SubmissionRefused(_("The submission is too large."), status=413)
    try:
        root = parse_xml(xml)
    except (ParseError, DefusedXmlException, ValueError):
        raise SubmissionRefused(_("The submission is not well-formed XML.")) from None
    instance = _find(root, "instanceID")
    text = (instance.text or "").strip() if instance is not None else ""
    try:
        instance_id = uuid.UUID(text.removeprefix("uuid:"))
    except ValueError:
        raise SubmissionRefused(
            _("The submission has no instance ID (meta/instanceID uuid:…).")
        ) from None
    then = _find(root, THEN_GROUP)
    return ParsedSubmission(
        form_id=str(root.attrib.get("id", "")),
        instance_id=instance_id,
        values=_leaves(root),
        then_values=_leaves(then) if then is not None else {},
        repeats=_repeat_instances(root, repeats or set()),
    )


def _answers(values: dict[str, str], kinds: dict[str, str], prefix: str = "") -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for name, text in values.items():
        if not text:
            continue  # not answered, or not relevant
        code = name.removeprefix(prefix)
        answers[code] = text.split() if kinds.get(code) == Question.Kind.MULTIPLE else text
    return answers


def _referenced(parsed: ParsedSubmission) -> set[str]:
    """Every answer of a submission: the file names of its media questions among them."""
    names = set(parsed.values.values()) | set(parsed.then_values.values())
    for instances in parsed.repeats.values():
        for instance in instances:
            names |= set(instance.values())
    return {name for name in names if name}


def _content_type(declared: str) -> str:
    """The type a file is served with: its declared media type when it is a photo, sound or
    video (never SVG, which can carry scripts), else ``application/octet-stream``."""
    kind = (declared or "").split(";", 1)[0].strip().lower()[:100]
    if kind.startswith(("image/", "audio/", "video/")) and "svg" not in kind and "/" in kind:
        return kind
    return "application/octet-stream"


def _checked_files(files: dict[str, Any], referenced: set[str]) -> dict[str, Any]:
    """The attachments the answers name (others are not kept), within the limits."""
    kept = {name: upload for name, upload in files.items() if name in referenced}
    if len(kept) > MAX_ATTACHMENTS:
        raise SubmissionRefused(
            _("A submission may carry %(count)s files at most.") % {"count": MAX_ATTACHMENTS},
            status=413,
        )
    for name, upload in kept.items():
        if upload.size > MAX_ATTACHMENT_BYTES or len(name) > 200:
            raise SubmissionRefused(
                _("The file %(name)s is larger than %(size)s MB.")
                % {"name": name[:200], "size": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
                status=413,
            )
    return kept


def _store_attachments(response: Response, files: dict[str, Any], referenced: set[str]) -> int:
    """Keep the files the response's answers name: those not stored yet (a resent or split
    submission adds the missing ones); files of replaced answers are dropped."""
    with transaction.atomic():
        response.attachments.exclude(name__in=referenced).delete()
        have = set(response.attachments.values_list("name", flat=True))
        added = []
        for name, upload in files.items():
            if name in have:
                continue
            data = upload.read(MAX_ATTACHMENT_BYTES + 1)
            added.append(
                ResponseAttachment(
                    response=response,
                    name=name,
                    content_type=_content_type(getattr(upload, "content_type", "")),
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    data=data,
                )
            )
        ResponseAttachment.objects.bulk_create(added)
    return len(added)


def submission_store(
    *, survey_round: Round, xml: bytes, files: dict[str, Any] | None = None
) -> Submission:
    """Check and store one app submission as the web form's (the same rules, source ``odk``),
    with the files (``files``, by name) its answers name.

    Raises :class:`SubmissionRefused` (or DomainError) with the message the app shows.
    """
    asked = _asked(survey_round)
    parsed = parse_submission(xml, repeats={repeat_of(q) for q in asked} - {""})
    referenced = _referenced(parsed)
    attachments = _checked_files(dict(files or {}), referenced)
    match = _FORM_ID.match(parsed.form_id)
    if match is None or int(match.group(1)) != survey_round.pk:
        raise SubmissionRefused(_("This form does not belong to this server's survey."))
    language = match.group(2)
    if not survey_round.is_open():
        raise SubmissionRefused(
            _("This survey is not open at the moment: it runs from %(opens)s to %(closes)s.")
            % {
                "opens": survey_round.opens_at.date().isoformat(),
                "closes": survey_round.closes_at.date().isoformat(),
            },
            status=409,
        )
    values = dict(parsed.values)
    if values.pop(CONSENT, "") != "yes":
        raise SubmissionRefused(_("Please agree to take part, or close this page."))
    consent_version = values.pop(CONSENT_VERSION, "")
    sensitive_consent = values.pop(SENSITIVE_CONSENT, "") == "yes"
    parts = {name: values.pop(name, "") for name in CODE_PARTS}
    for name in list(values):
        if name.startswith("pw_") or name in {"start", "end", "today", "deviceid"}:
            values.pop(name)
    matching_code = ""
    if survey_round.kind != Round.Kind.PARTNER:
        for name in ("parent_letters", "place_letters"):
            problem = code_part_problem(parts[name])
            if problem:
                raise SubmissionRefused(problem)
        if not parts["birth_day"].isdigit() or not 1 <= int(parts["birth_day"]) <= 31:
            raise SubmissionRefused(_("Build your personal code from the three facts asked."))
        matching_code = build_code(
            parent_letters=parts["parent_letters"],
            birth_day=parts["birth_day"],
            place_letters=parts["place_letters"],
        )
    kinds = {question.code: question.kind for question in asked}
    answers = _answers(values, kinds)
    for name, instances in parsed.repeats.items():
        kept = [answer for answer in (_answers(i, kinds) for i in instances) if answer]
        if kept:
            answers[name] = kept
    stored = response_submit(
        survey_round=survey_round,
        submission_id=parsed.instance_id,
        language=language,
        answers=answers,
        then_answers=_answers(parsed.then_values, kinds, THEN_PREFIX) or None,
        matching_code=matching_code,
        consent_version=consent_version,
        sensitive_consent=sensitive_consent,
        source=Response.Source.ODK,
    )
    _store_attachments(stored.response, attachments, referenced)
    return stored


def form_list_xml(forms: list[XForm], download_url: Any) -> bytes:
    """The OpenRosa form list document (``xforms``) for ``forms``."""
    namespace = "http://openrosa.org/xforms/xformsList"
    root = ET.Element("xforms", xmlns=namespace)
    for xform in forms:
        item = ET.SubElement(root, "xform")
        for tag, value in (
            ("formID", xform.form_id),
            ("name", xform.name),
            ("version", xform.version),
            ("hash", xform.hash),
            ("downloadUrl", download_url(xform)),
        ):
            ET.SubElement(item, tag).text = value
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def response_xml(message: str) -> bytes:
    """The OpenRosa response document carrying ``message``."""
    root = ET.Element("OpenRosaResponse", xmlns="http://openrosa.org/http/response")
    ET.SubElement(root, "message", nature="").text = message
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
