"""Pol.is open-data exports in and out.

A folder (or a .zip of it) holds ``comments.csv`` and either ``votes.csv`` (one row per vote;
a voter's latest vote on a comment counts) or ``participants-votes.csv`` (one row per
participant, one column per comment id; an empty cell is unseen). Columns are found by their
header names. Comments moderated out (``moderated`` = -1) are left out, with their votes.

Reading checks everything first and names the file, row and column of each problem; the
import then writes the whole consultation in one transaction, or nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.consultations.models import (
    Consultation,
    Moderation,
    Participant,
    Statement,
    Vote,
)
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError, Forbidden, NotFound
from peaceworks.core.models import PendingUpload
from peaceworks.core.tabular import RowError
from peaceworks.core.uploads import ImportRefused, Preview

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANT_VOTES = "participants-votes.csv"
FILES = (COMMENTS, VOTES, PARTICIPANT_VOTES)
MAX_ZIP_MEMBERS = 20
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
PARTICIPANT_COLUMNS = ("participant", "voter-id")
VALUES = {"1": 1, "-1": -1, "0": 0}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # as a spreadsheet counts: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("%(file)s, row %(row)d, column %(column)s: %(message)s") % {
            "file": self.file,
            "row": self.row,
            "column": self.column or "—",
            "message": self.message,
        }


class PolisRefused(DomainError):
    def __init__(self, problems: list[Problem]) -> None:
        shown = "; ".join(str(problem) for problem in problems[:20])
        super().__init__(
            _("The Pol.is export cannot be imported; nothing was imported. %(problems)s")
            % {"problems": shown},
            field="file",
        )
        self.problems = problems


@dataclass
class PolisData:
    comments: list[tuple[str, str]] = field(default_factory=list)  # (comment id, text)
    excluded: set[str] = field(default_factory=set)
    voters: list[str] = field(default_factory=list)
    votes: dict[tuple[str, str], int] = field(default_factory=dict)  # (voter, comment) → vote
    layout: str = ""


def read_folder(folder: Path) -> dict[str, bytes]:
    files = {}
    for name in FILES:
        path = folder / name
        if path.is_file():
            files[name] = path.read_bytes()
    if not folder.is_dir():
        raise PolisRefused([Problem(str(folder), 0, "", _("This folder does not exist."))])
    return files


def read_zip(data: bytes) -> dict[str, bytes]:
    """The export's CSV files from a .zip (in its root or one folder), read within limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise DomainError(_("This file is not a readable .zip archive."), field="file") from error
    if len(infos) > MAX_ZIP_MEMBERS:
        raise DomainError(
            _("The archive holds more than %(count)d files.") % {"count": MAX_ZIP_MEMBERS},
            field="file",
        )
    files: dict[str, bytes] = {}
    budget = MAX_UNPACKED_BYTES
    for info in infos:
        name = PurePosixPath(info.filename).name
        if info.is_dir() or name not in FILES:
            continue
        if name in files:
            raise DomainError(_("The archive holds %(file)s twice.") % {"file": name}, field="file")
        if info.file_size > budget:
            raise DomainError(_("The archive unpacks to too much data."), field="file")
        with archive.open(info) as stream:
            content = stream.read(budget + 1)
        if len(content) > budget:
            raise DomainError(_("The archive unpacks to too much data."), field="file")
        budget -= len(content)
        files[name] = content
    return files


def _rows(name: str, data: bytes, problems: list[Problem]) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(name, 1, "", _("The file is not UTF-8 text.")))
        return [], []
    try:
        grid = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        problems.append(Problem(name, 1, "", _("Not a readable CSV file (%s).") % error))
        return [], []
    if not grid:
        problems.append(Problem(name, 1, "", _("The file is empty.")))
        return [], []
    return [cell.strip() for cell in grid[0]], grid[1:]


def _columns(
    name: str, header: list[str], required: tuple[str, ...], problems: list[Problem]
) -> dict[str, int] | None:
    index = {heading: i for i, heading in enumerate(header)}
    missing = [column for column in required if column not in index]
    for column in missing:
        problems.append(Problem(name, 1, column, _("This column is missing.")))
    return None if missing else index


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _is_id(value: str) -> bool:
    return value.lstrip("-").isdigit() if value else False


def parse(files: Mapping[str, bytes]) -> tuple[PolisData, list[Problem]]:
    data = PolisData()
    problems: list[Problem] = []
    if COMMENTS not in files:
        problems.append(Problem(COMMENTS, 0, "", _("The export has no comments.csv.")))
        return data, problems
    header, rows = _rows(COMMENTS, files[COMMENTS], problems)
    index = _columns(COMMENTS, header, ("comment-id", "comment-body"), problems) if header else None
    known: set[str] = set()
    if index is not None:
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            comment_id = _cell(row, index["comment-id"])
            if not _is_id(comment_id):
                problems.append(
                    Problem(COMMENTS, number, "comment-id", _("A comment id must be a number."))
                )
                continue
            if comment_id in known or comment_id in data.excluded:
                problems.append(
                    Problem(COMMENTS, number, "comment-id", _("This comment id is repeated."))
                )
                continue
            moderated = _cell(row, index["moderated"]) if "moderated" in index else ""
            if moderated and moderated not in VALUES:
                problems.append(Problem(COMMENTS, number, "moderated", _("Expected -1, 0 or 1.")))
                continue
            body = row[index["comment-body"]] if index["comment-body"] < len(row) else ""
            if moderated == "-1":
                data.excluded.add(comment_id)
                continue
            if not body.strip():
                problems.append(
                    Problem(COMMENTS, number, "comment-body", _("The comment has no text."))
                )
                continue
            known.add(comment_id)
            data.comments.append((comment_id, body.strip()))
    if VOTES in files:
        data.layout = VOTES
        _parse_votes(files[VOTES], data, known, problems)
    elif PARTICIPANT_VOTES in files:
        data.layout = PARTICIPANT_VOTES
        _parse_participant_votes(files[PARTICIPANT_VOTES], data, known, problems)
    else:
        problems.append(
            Problem(VOTES, 0, "", _("The export has neither votes.csv nor participants-votes.csv."))
        )
    return data, problems


def _voter(data: PolisData, seen: set[str], voter: str) -> None:
    if voter not in seen:
        seen.add(voter)
        data.voters.append(voter)


def _parse_votes(raw: bytes, data: PolisData, known: set[str], problems: list[Problem]) -> None:
    header, rows = _rows(VOTES, raw, problems)
    index = (
        _columns(VOTES, header, ("timestamp", "comment-id", "voter-id", "vote"), problems)
        if header
        else None
    )
    if index is None:
        return
    latest: dict[tuple[str, str], tuple[float, int, int]] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        stamp, comment_id = _cell(row, index["timestamp"]), _cell(row, index["comment-id"])
        voter, vote = _cell(row, index["voter-id"]), _cell(row, index["vote"])
        try:
            when = float(stamp)
        except ValueError:
            problems.append(Problem(VOTES, number, "timestamp", _("Expected a number.")))
            continue
        if not voter:
            problems.append(Problem(VOTES, number, "voter-id", _("The voter id is empty.")))
            continue
        if vote not in VALUES:
            problems.append(Problem(VOTES, number, "vote", _("Expected -1, 0 or 1.")))
            continue
        if comment_id in data.excluded:
            continue
        if comment_id not in known:
            problems.append(
                Problem(VOTES, number, "comment-id", _("No comment has this id in comments.csv."))
            )
            continue
        key = (voter, comment_id)
        previous = latest.get(key)
        if previous is None or (when, number) >= previous[:2]:
            latest[key] = (when, number, VALUES[vote])
    seen: set[str] = set()
    for (voter, comment_id), (_when, _number, value) in sorted(
        latest.items(), key=lambda item: item[1][1]
    ):
        _voter(data, seen, voter)
        data.votes[(voter, comment_id)] = value


def _parse_participant_votes(
    raw: bytes, data: PolisData, known: set[str], problems: list[Problem]
) -> None:
    header, rows = _rows(PARTICIPANT_VOTES, raw, problems)
    if not header:
        return
    voter_column = next((c for c in PARTICIPANT_COLUMNS if c in header), None)
    if voter_column is None:
        problems.append(Problem(PARTICIPANT_VOTES, 1, "participant", _("This column is missing.")))
        return
    voter_index = header.index(voter_column)
    comment_columns = [(i, h) for i, h in enumerate(header) if _is_id(h)]
    for _i, heading in comment_columns:
        if heading not in known and heading not in data.excluded:
            problems.append(
                Problem(PARTICIPANT_VOTES, 1, heading, _("No comment has this id in comments.csv."))
            )
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        voter = _cell(row, voter_index)
        if not voter:
            problems.append(
                Problem(PARTICIPANT_VOTES, number, voter_column, _("The voter id is empty."))
            )
            continue
        if voter in seen:
            problems.append(
                Problem(PARTICIPANT_VOTES, number, voter_column, _("This participant is repeated."))
            )
            continue
        for i, heading in comment_columns:
            value = _cell(row, i)
            if value == "":
                continue  # unseen: never a pass
            if value not in VALUES:
                problems.append(
                    Problem(PARTICIPANT_VOTES, number, heading, _("Expected -1, 0, 1 or empty."))
                )
                continue
            if heading in known:
                _voter(data, seen, voter)
                data.votes[(voter, heading)] = VALUES[value]
        _voter(data, seen, voter)


def check(files: Mapping[str, bytes]) -> PolisData:
    data, problems = parse(files)
    if problems:
        raise PolisRefused(problems)
    return data


@transaction.atomic
def polis_import(
    *, actor: Actor, files: Mapping[str, bytes], slug: str, title: str = ""
) -> Consultation:
    """Create a closed consultation from a Pol.is export, entirely or not at all.

    Callers check that ``actor`` may facilitate (network staff); commands act as the system.
    """
    data = check(files)
    slug = slug.strip()
    if not slug:
        raise DomainError(_("Give the consultation a short name."), field="slug")
    if Consultation.objects.filter(slug=slug).exists():
        raise DomainError(_("A consultation already has this short name."), field="slug")
    consultation = Consultation.objects.create(
        title=title.strip() or slug,
        slug=slug,
        phase=Consultation.Phase.CLOSED,
        description=_("Imported from a Pol.is export."),
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(
                consultation=consultation,
                text=text,
                origin=Statement.Origin.IMPORTED,
                moderation=Moderation.APPROVED,
                external_id=comment_id,
            )
            for comment_id, text in data.comments
        ]
    )
    participants = Participant.objects.bulk_create(
        [Participant(consultation=consultation, external_id=voter) for voter in data.voters]
    )
    if any(s.pk is None for s in statements) or any(p.pk is None for p in participants):
        statements = list(consultation.statements.order_by("pk"))
        participants = list(consultation.participants.order_by("pk"))
    statement_of = {s.external_id: s.pk for s in statements}
    participant_of = {p.external_id: p.pk for p in participants}
    Vote.objects.bulk_create(
        [
            Vote(
                participant_id=participant_of[voter],
                statement_id=statement_of[comment_id],
                value=value,
            )
            for (voter, comment_id), value in data.votes.items()
        ],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action="consultation.import_polis",
        target=consultation,
        changes={
            "statements": len(statements),
            "participants": len(participants),
            "votes": len(data.votes),
            "excluded": len(data.excluded),
        },
    )
    return consultation


class PolisImporter:
    """A Pol.is export uploaded as a .zip (``consultations.polis``): facilitators only; each
    upload is its uploader's alone. ``target`` holds the new consultation's slug and title."""

    kind = "consultations.polis"

    def authorize(self, *, actor: Actor, upload: PendingUpload, write: bool) -> None:
        if upload.uploaded_by_id != getattr(actor, "pk", None):
            raise NotFound
        viewer = viewer_for(actor)
        if not viewer.is_network_staff:
            raise Forbidden if viewer.is_network_member else NotFound

    def check(self, *, actor: Actor, upload: PendingUpload) -> Preview:
        files = read_zip(bytes(upload.data or b""))
        data, problems = parse(files)
        errors = [
            RowError(row=p.row, column=p.column, message=f"{p.file}: {p.message}") for p in problems
        ]
        slug = str(upload.target.get("slug", ""))
        if Consultation.objects.filter(slug=slug).exists():
            errors.append(
                RowError(
                    row=0, column="slug", message=_("A consultation already has this short name.")
                )
            )
        return Preview(
            rows=len(data.comments) + len(data.excluded),
            errors=errors,
            counts={"created": len(data.comments)},
            columns=(_("Comment"), _("Text")),
            items=[(comment_id, text[:200]) for comment_id, text in data.comments],
        )

    def apply(self, *, actor: Actor, upload: PendingUpload) -> dict[str, int]:
        files = read_zip(bytes(upload.data or b""))
        data, problems = parse(files)
        if problems:
            raise ImportRefused(
                [
                    RowError(row=p.row, column=p.column, message=f"{p.file}: {p.message}")
                    for p in problems
                ]
            )
        consultation = polis_import(
            actor=actor,
            files=files,
            slug=str(upload.target.get("slug", "")),
            title=str(upload.target.get("title", "")),
        )
        upload.target = {**upload.target, "consultation": consultation.slug}
        upload.save(update_fields=["target"])
        return {"created": len(data.comments)}

    def done_url(self, upload: PendingUpload) -> str:
        slug = upload.target.get("consultation") or upload.target.get("slug", "")
        return reverse("consultations:detail", args=[slug])

    def upload_url(self, upload: PendingUpload) -> str:
        return reverse("consultations:import_polis")
