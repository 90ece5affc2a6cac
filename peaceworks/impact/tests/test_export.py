"""The raw-data export: the exact CSV of every kind of stored answer, in bounded memory."""

from __future__ import annotations

import json
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils.dateparse import parse_datetime
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceworks.core.exports import CsvLines, csv_bytes
from peaceworks.impact.figures import export as figures_export
from peaceworks.impact.figures.export import _decode
from peaceworks.impact.models import Respondent, Response, Round
from peaceworks.impact.services import response_submit

API = "/api/v1/impact"
ITEMS = ("t1_knowledge", "t1_equal_rights", "t1_confidence", "c_teamwork", "c_languages")
#: stored answers of every JSON type (older imports and Kobo forms stored some of these), with
#: values a spreadsheet would run as formulas and cells that need quoting
ODD_ANSWERS: dict[str, Any] = {
    "flag": True,
    "one": 1,
    "one_float": 1.0,
    "no": False,
    "zero": 0,
    "half": 2.5,
    "formula": "=SUM(A1)",
    "minus": "-3",
    "comma": "x,y",
    "quote": 'say "hi"',
    "newline": "line\nbreak",
    "tab": "\tindent",
    "accent": "café",
    "empty": "",
    "missing": None,
    "choices": ["economic", "=health"],
    "mixed": [1, True, None],
    "nested": {"a": 1},
    "huge": 2**70,  # beyond 64 bits: the fast decoder refuses it, the standard one reads it
    "harm_text": "a name that identifies someone",
}


def _submit(survey_round: Round, code: str, answers: dict[str, Any]) -> Response:
    return response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers=answers,
        matching_code=code,
        consent_version=survey_round.instrument.consent_version,
    ).response


def _export(client: Any) -> Any:
    response = client.get(f"{API}/responses/export")
    assert response.status_code == 200
    assert response.streaming
    return response.streaming_content


def _rows_as_written_one_by_one() -> bytes:
    """The export's contract, row by row: ``csv_bytes`` of one row per answer."""
    rows = []
    numbers: dict[int, int] = {}
    for response in Response.objects.select_related("round__activity__host_organisation").order_by(
        "respondent_id", "submitted_at"
    ):
        assert response.respondent_id is not None
        number = numbers.setdefault(response.respondent_id, len(numbers) + 1)
        for part, answers in (("answer", response.answers), ("then", response.then_answers)):
            for code, value in sorted((answers or {}).items()):
                if code.endswith("_text"):
                    continue
                rows.append(
                    [
                        f"R{number:07d}",
                        response.round.activity.code,
                        response.round.activity.host_organisation.code,
                        response.round.kind,
                        response.submitted_at.isoformat(),
                        response.language,
                        part,
                        code,
                        ";".join(map(str, value)) if isinstance(value, list) else value,
                    ]
                )
    return csv_bytes(figures_export.EXPORT_HEADERS, rows)


def test_export_writes_every_kind_of_answer_as_csv_bytes_does(
    pre_round: Round, post_round: Round, network_coordinator: Any, client_for: Any
) -> None:
    first = _submit(pre_round, "AB01CD", dict.fromkeys(ITEMS, 2))
    post = _submit(post_round, "AB01CD", dict.fromkeys(ITEMS, 4))
    # the retrospective "then" answers are in the export too (free text still left out)
    Response.objects.filter(pk=post.pk).update(
        then_answers={"t1_knowledge": 1, "c_teamwork": "=2", "harm_text": "a name"}
    )
    _submit(pre_round, "AB02CD", {"t1_knowledge": 3})
    # the submission services clean answers; older rows hold any JSON, so write them directly
    Response.objects.filter(pk=first.pk).update(
        answers={**ODD_ANSWERS, "t1_knowledge": 1}, scores=None, profile=None
    )
    Response.objects.exclude(pk=first.pk).filter(round=pre_round).update(language="=en")

    data = b"".join(_export(client_for(network_coordinator)))

    assert data == _rows_as_written_one_by_one()
    text = data.decode("utf-8-sig")
    assert ",flag,True\r\n" in text
    assert ",then,t1_knowledge,1\r\n" in text
    assert ",then,c_teamwork,'=2\r\n" in text
    assert ",one_float,1.0\r\n" in text
    assert ",formula,'=SUM(A1)\r\n" in text
    assert ",choices,economic;=health\r\n" in text
    assert "identifies" not in text
    assert ",'=en," in text


def test_export_streams_in_bounded_memory(
    pre_round: Round,
    network_coordinator: Any,
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Four times the responses: four times the bytes, not four times the memory."""
    monkeypatch.setattr(figures_export, "EXPORT_FETCH", 200)
    monkeypatch.setattr(figures_export, "EXPORT_CHUNK_LINES", 1_000)
    client = client_for(network_coordinator)
    activity = pre_round.activity
    items = [q.code for q in pre_round.instrument.questions.all()][:20]

    def add(count: int, start: int) -> None:
        # volume for the measurement only: the services are tested elsewhere
        respondents = Respondent.objects.bulk_create(
            Respondent(activity=activity, code_hash=f"{start + i:064x}") for i in range(count)
        )
        Response.objects.bulk_create(
            Response(
                round=pre_round,
                respondent=respondent,
                instrument_version=pre_round.instrument,
                language="en",
                answers={code: 1 + (i + j) % 5 for j, code in enumerate(items)},
                payload_hash=f"{i:064x}",
                consent_version=pre_round.instrument.consent_version,
                source=Response.Source.IMPORT,
            )
            for i, respondent in enumerate(respondents)
        )

    def measured() -> tuple[int, int, int]:
        for _ in _export(client):  # warm: compiled queries, imports
            pass
        tracemalloc.start()
        try:
            size = chunks = 0
            for chunk in _export(client):  # read and let go, as a server sends them
                size, chunks = size + len(chunk), chunks + 1
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return size, chunks, peak

    add(1_000, 0)
    small, _, small_peak = measured()
    add(3_000, 1_000)
    large, chunks, large_peak = measured()

    assert large > 3.9 * small
    assert chunks > 40  # the header, then chunks of about 1,000 lines
    assert large_peak < 1.5 * small_peak
    assert large_peak < large / 4


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _JSON_VALUES, max_size=6))
def test_answers_are_decoded_exactly_as_the_standard_decoder_does(answers: dict[str, Any]) -> None:
    text = json.dumps(answers)
    decoded = _decode(text)
    assert decoded == json.loads(text)
    assert repr(decoded) == repr(json.loads(text))  # same types: 1 is not 1.0, True is not 1


#: times as the databases store them: the usual text, its microseconds (none, zero, some,
#: fewer than six digits), a "T" and an offset
STORED_TIMES = [
    "2027-05-01 10:00:00",
    "2027-05-01 10:00:00.000001",
    "2027-05-01 10:00:00.000000",  # isoformat leaves a zero microsecond out
    "2027-05-01 10:00:00.5",
    "2027-05-01 10:00:00.500000",
    "2027-05-01T10:00:00",
    "2027-05-01T10:00:00.500000",
    "2027-05-01 10:00:00+02:00",
    "2027-05-01 10:00:00.5+02:00",
]


def _converted(stored: str) -> str:
    """``stored`` as Django's conversion reads it (a time without offset is UTC), ISO text."""
    converted = parse_datetime(stored)
    assert converted is not None
    if converted.tzinfo is None:
        converted = converted.replace(tzinfo=UTC)
    return converted.isoformat()


@pytest.mark.parametrize("stored", STORED_TIMES)
def test_a_stored_time_is_written_as_the_converted_time_is(stored: str) -> None:
    assert figures_export._Stamps(UTC).text(stored) == _converted(stored)


@pytest.mark.django_db
@pytest.mark.parametrize("stored", STORED_TIMES)
def test_the_export_writes_a_stored_time_as_the_converted_time_is(stored: str) -> None:
    """The export's own reading of the usual stored text (``_long_csv``) and the rest alike."""
    rows = [(7, 1, stored, "en", '{"a": 1}', None)]
    data = b"".join(figures_export._long_csv([rows], rounds={1: ("A1", "ORG", "pre")}))
    assert data.decode("utf-8-sig").splitlines()[1] == (
        f"R0000001,A1,ORG,pre,{_converted(stored)},en,answer,a,1"
    )


def test_times_and_multiple_choices_are_exported_as_csv_bytes_does(
    pre_round: Round, post_round: Round, network_coordinator: Any, client_for: Any
) -> None:
    first = _submit(pre_round, "AB01CD", {"t1_knowledge": 2})
    second = _submit(post_round, "AB01CD", {"t1_knowledge": 4, "c_teamwork": 5})
    third = _submit(pre_round, "AB02CD", {"t1_knowledge": 3})
    whole = datetime(2027, 5, 1, 10, 0, tzinfo=UTC)
    # the submission services clean answers; older rows hold any JSON, so write them directly
    Response.objects.filter(pk=first.pk).update(
        submitted_at=whole, answers={"t1_knowledge": 2, "fewer_opportunities": ["none"]}
    )
    Response.objects.filter(pk=second.pk).update(
        submitted_at=whole + timedelta(days=20, microseconds=7919),
        answers={"t1_knowledge": 4, "c_teamwork": 5, "choices": ["a", 1, True, None], "x": []},
    )
    Response.objects.filter(pk=third.pk).update(
        answers={"choices": ["b", "=c"], "y": 1.0}, scores=None, profile=None
    )

    data = b"".join(_export(client_for(network_coordinator)))

    assert data == _rows_as_written_one_by_one()
    text = data.decode("utf-8-sig")
    assert ",2027-05-01T10:00:00+00:00,en,answer,fewer_opportunities,none\r\n" in text
    assert ",2027-05-21T10:00:00.007919+00:00,en,answer,choices,a;1;True;None\r\n" in text


#: text a member's text could be mistaken at: separators, quotes, braces, escapes
_TRICKY_TEXT = st.text(alphabet=st.sampled_from([*', :"{}[]\\ae1_=\n', "é"]), max_size=8)
_MEMBER_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | _TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY_TEXT, inner, max_size=2),
    max_leaves=5,
)


def _decoded_pieces(text: str) -> list[str]:
    """The pieces of stored JSON text as the standard decoder reads it (the export's contract,
    pinned against ``csv_bytes`` by the tests above)."""
    return figures_export._AnswerText(CsvLines()).pieces(json.loads(text) or {})


# one reader for every example: what it remembers from one text must not change another's
_READER = figures_export._AnswerText(CsvLines())


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_TRICKY_TEXT, _MEMBER_VALUES, max_size=6), st.sampled_from([0, 1, 2]))
def test_members_read_from_the_text_are_the_decoded_answers(
    answers: dict[str, Any], separators: int
) -> None:
    """JSON text read member by member (``_AnswerText.members``) gives the pieces of the
    decoded answers: ``json.dumps``'s own separators, compact ones, extra spaces."""
    text = json.dumps(answers, separators=[(", ", ": "), (",", ":"), (" ,  ", " : ")][separators])
    assert _READER.stored(text) == _decoded_pieces(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',  # a code given twice: the standard decoder keeps the last
        '{"a": 1, "b": 2, "a": 3}',
        '{"a": 1,"a": 2, "b": 3}',
        '{"a": true, "b": 1}',
        '{"a": 1, "b": true}',
        '{"a": 1.0, "b": 1}',
        '{"a": "x, \\"b\\": 2", "c": 3}',  # a separator inside an answer
        '{"a": ["x", "y"], "b": "z"}',
        '{"r": [{"x": 1}, {"x": 2}], "b": 1}',  # instances of a repeat
        '{"r": [], "b": [1, true, null, 2.5]}',
        '{"a_text": "a name", "b": 1}',
        '{"a_text": "a name"}',
        '{ "a": 1 ,  "b": 2 }',
        '{"caf\\u00e9": 1, "b": 2}',
        '{"b": {"x": 1}, "a": 2}',
        '{"a": 123456789012345678901234567890}',
        '{"a": NaN, "b": 1}',
        "{}",
    ],
)
def test_unusual_stored_text_is_exported_as_decoded(text: str) -> None:
    for _ in range(2):  # read, then remembered
        assert _READER.stored(text) == _decoded_pieces(text)


@pytest.mark.parametrize("text", ['{"a": 1, }', '{"a": 1}{"b": 2}', '{"a": 1, "b"}', '{"a" 1}'])
def test_text_that_is_not_json_is_refused_as_before(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        _READER.stored(text)


def test_what_is_remembered_is_let_go_past_the_memo_s_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual text is read member by member; past ``EXPORT_MEMO`` members remembered, the
    memo starts again and the pieces stay those of the decoded answers."""
    monkeypatch.setattr(figures_export, "EXPORT_MEMO", 7)
    reader = figures_export._AnswerText(CsvLines())
    for number in range(40):
        text = json.dumps({f"q{number % 9}": number % 4, "b": [number % 3], "c_text": "x"})
        assert reader.stored(text) == _decoded_pieces(text)
        assert reader.picks  # read without decoding it
        assert len(reader.member_codes) + len(reader.not_members) <= 7
