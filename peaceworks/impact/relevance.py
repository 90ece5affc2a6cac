"""Skip logic the web form evaluates: a question's ``relevant`` condition over the answers.

Two forms are stored in :attr:`Question.relevant`: ``{"question": code, "value": value}``
(asked only when that answer equals the value) and ``{"expression": xlsform_expression}``
for skip logic imported from an XLSForm. The expressions evaluated are XPath 1.0 over the
answers, as ODK does, within this subset:

- ``${question}`` references, numbers and quoted strings;
- comparisons ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` (numeric when a side is a number);
- ``+``, ``-``, ``*``, ``div``, ``mod``; ``and``, ``or``, ``not(…)``, parentheses;
- ``selected(${q}, 'value')``, ``count-selected(${q})``, ``string-length(…)``,
  ``true()``, ``false()``.

:func:`compiles` says whether an expression is within the subset (an import warns about the
others: ODK Collect evaluates them, the web form asks those questions always). Evaluation
never raises on answers: an unanswered question is the empty string, as in ODK.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from peaceworks.impact.models import Question

_TOKEN = re.compile(
    r"\s*(?:(\$\{[^}]+\})|(\d+(?:\.\d*)?|\.\d+)|'([^']*)'|\"([^\"]*)\""
    r"|(!=|<=|>=|=|<|>|\(|\)|,|\+|-|\*|\.(?![.\w]))|([A-Za-z_][\w:-]*))"
)
#: the key of the current answer (``.``) in the answers a constraint is evaluated over
CURRENT = "."
#: the prefix of a choice's columns in the answers a choice filter is evaluated over
CHOICE = "choice:"
_FUNCTIONS = {"not", "selected", "count-selected", "string-length", "true", "false"}
Value = float | str | bool
Node = Callable[[dict[str, Any]], Value]


class Unsupported(ValueError):
    """An expression outside the subset the web form evaluates."""


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    expression = expression.rstrip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if not match or match.end() == position:
            raise Unsupported(expression[position:])
        ref, number, single, double, operator, name = match.groups()
        if ref:
            tokens.append(("ref", ref[2:-1].strip()))
        elif number:
            tokens.append(("num", number))
        elif single is not None or double is not None:
            tokens.append(("str", single if single is not None else double))
        elif operator:
            tokens.append(("op", operator))
        else:
            tokens.append(("name", name))
        position = match.end()
    return tokens


def _number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(value.strip())
    except ValueError:
        return math.nan


def _boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


def _string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value


def _answer(answers: dict[str, Any], code: str) -> str:
    value = answers.get(code)
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)


def _compare(operator: str, left: Value, right: Value) -> bool:
    if operator in {"=", "!="}:
        if isinstance(left, bool) or isinstance(right, bool):
            equal = _boolean(left) == _boolean(right)
        elif isinstance(left, float) or isinstance(right, float):
            equal = _number(left) == _number(right)
        else:
            equal = left == right
        return equal if operator == "=" else not equal
    a, b = _number(left), _number(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]


class _Parser:
    """``current``: ``.`` is the question's own answer (constraints); ``columns``: a bare
    name is a column of the choice being filtered (choice filters)."""

    def __init__(self, expression: str, *, current: bool = False, columns: bool = False) -> None:
        self.tokens = _tokens(expression)
        self.position = 0
        self.current = current
        self.columns = columns

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise Unsupported(str(token))
        self.position += 1
        return token

    def accept(self, kind: str, *values: str) -> str | None:
        token = self.peek()
        if token and token[0] == kind and token[1] in values:
            self.position += 1
            return token[1]
        return None

    def parse(self) -> Node:
        node = self.disjunction()
        if self.peek() is not None:
            raise Unsupported(str(self.peek()))
        return node

    def binary(self, operand: Callable[[], Node], kind: str, *operators: str) -> Node:
        """``operand (operator operand)*``, left-associative."""
        node = operand()
        while operator := self.accept(kind, *operators):
            node = _binary(operator, node, operand())
        return node

    def disjunction(self) -> Node:
        return self.binary(self.conjunction, "name", "or")

    def conjunction(self) -> Node:
        return self.binary(self.comparison, "name", "and")

    def comparison(self) -> Node:
        return self.binary(self.additive, "op", "=", "!=", "<", "<=", ">", ">=")

    def additive(self) -> Node:
        return self.binary(self.multiplicative, "op", "+", "-")

    def multiplicative(self) -> Node:
        node = self.unary()
        while operator := self.accept("op", "*") or self.accept("name", "div", "mod"):
            node = _binary(operator, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.accept("op", "-"):
            inner = self.unary()
            return lambda a: -_number(inner(a))
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "ref":
            return lambda a: _answer(a, value)
        if kind == "num":
            number = float(value)
            return lambda a: number
        if kind == "str":
            return lambda a: value
        if kind == "op" and value == "(":
            node = self.disjunction()
            self.take("op", ")")
            return node
        if kind == "op" and value == "." and self.current:
            return lambda a: _answer(a, CURRENT)
        following = self.peek()
        if kind == "name" and value in _FUNCTIONS and following == ("op", "("):
            return self.function(value)
        if kind == "name" and self.columns:
            return lambda a: _answer(a, CHOICE + value)
        raise Unsupported(value)

    def function(self, name: str) -> Node:
        self.take("op", "(")
        arguments: list[Node] = []
        if not self.accept("op", ")"):
            arguments.append(self.disjunction())
            while self.accept("op", ","):
                arguments.append(self.disjunction())
            self.take("op", ")")
        expected = {"not": 1, "selected": 2, "count-selected": 1, "string-length": 1}
        if len(arguments) != expected.get(name, 0):
            raise Unsupported(name)
        if name == "true" or name == "false":
            constant = name == "true"
            return lambda a: constant
        first = arguments[0]
        if name == "not":
            return lambda a: not _boolean(first(a))
        if name == "selected":
            second = arguments[1]
            return lambda a: _string(second(a)).strip() in _string(first(a)).split()
        if name == "count-selected":
            return lambda a: float(len(_string(first(a)).split()))
        return lambda a: float(len(_string(first(a))))


def _arithmetic(operator: str, left: float, right: float) -> float:
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if right == 0:
        return math.nan
    return left / right if operator == "div" else math.fmod(left, right)


def _binary(operator: str, left: Node, right: Node) -> Node:
    def node(answers: dict[str, Any]) -> Value:
        if operator == "or":
            return _boolean(left(answers)) or _boolean(right(answers))
        if operator == "and":
            return _boolean(left(answers)) and _boolean(right(answers))
        if operator in {"=", "!=", "<", "<=", ">", ">="}:
            return _compare(operator, left(answers), right(answers))
        return _arithmetic(operator, _number(left(answers)), _number(right(answers)))

    return node


def compiles(expression: str, *, current: bool = False, columns: bool = False) -> bool:
    """Whether the web form evaluates ``expression`` (it is within the subset above);
    ``current`` for a constraint (``.`` is the answer), ``columns`` for a choice filter."""
    try:
        _Parser(expression, current=current, columns=columns).parse()
    except Unsupported:
        return False
    return True


def relevance_holds(relevant: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Whether a question with skip logic ``relevant`` is asked, given the other answers
    (cleaned: numbers, strings, lists of choice values, None when unanswered). An
    expression outside the subset holds: the question is asked, as the import warned."""
    if not relevant:
        return True
    expression = relevant.get("expression")
    if expression is None:
        return bool(answers.get(relevant.get("question", "")) == relevant.get("value"))
    try:
        node = _Parser(str(expression)).parse()
    except Unsupported:
        return True
    return _boolean(node(answers))


def references(expression: str) -> set[str]:
    """The questions ``expression`` refers to (``${name}``); none for an unreadable one."""
    try:
        return {value for kind, value in _tokens(expression) if kind == "ref"}
    except Unsupported:
        return set()


# --- the checks of an imported XLSForm question (constraint, required, choice filter, other) --

#: ``required`` values meaning "no" and "yes"; anything else is an expression
NOT_REQUIRED = {"", "no", "false", "false()"}
REQUIRED = {"yes", "true", "true()"}
#: the value of the choice ``or_other`` adds, and the suffix of its text question
OTHER = "other"
OTHER_SUFFIX = "_other"
LANGUAGE_NAMES = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "spanish": "es",
    "español": "es",
}


def language_of_column(column: str) -> str:
    """``label::French (fr)`` → ``fr``; ``label:English`` → ``en``; ``label`` → ``en``."""
    name = re.split(r"::?", column, maxsplit=1)[1].strip() if ":" in column else ""
    if not name:
        return "en"
    match = re.search(r"\(([A-Za-z-]{2,8})\)\s*$", name)
    if match:
        return match.group(1).lower()[:2]
    return LANGUAGE_NAMES.get(name.lower(), name.lower()[:8])


def _row(question: Question) -> dict[str, str]:
    row = (question.xlsform or {}).get("row") or {}
    return row if isinstance(row, dict) else {}


def _text_in(row: dict[str, str], column: str, language: str) -> str:
    """The row's ``column`` (``column::Language (xx)``) in ``language``, else in any."""
    texts = {
        language_of_column(key): str(value)
        for key, value in row.items()
        if value and (key == column or key.startswith(column + "::"))
    }
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


#: the most instances of a repeat kept per submission
MAX_REPEAT_INSTANCES = 200


def repeat_of(question: Question) -> str:
    """The name of the (outermost) XLSForm repeat the question is in, or ""."""
    for group in (question.xlsform or {}).get("groups") or []:
        if isinstance(group, dict) and group.get("type") == "repeat":
            return str((group.get("row") or {}).get("name", ""))
    return ""


def accepts_other(question: Question) -> bool:
    """Whether the question's select adds an "other" choice and its text (``or_other``)."""
    kind = str(_row(question).get("type", "")).split()
    return len(kind) > 2 and kind[-1] == "or_other"


def is_required(question: Question, answers: dict[str, Any]) -> bool:
    """Whether the question must be answered: ``required`` yes, or an expression the web
    form evaluates that holds (one it does not evaluate is left to ODK Collect)."""
    required = str(_row(question).get("required", "")).strip()
    if required.lower() in NOT_REQUIRED:
        return False
    if required.lower() in REQUIRED:
        return True
    try:
        node = _Parser(required).parse()
    except Unsupported:
        return False
    return _boolean(node(answers))


def choice_rows(question: Question) -> list[dict[str, str]]:
    """The XLSForm rows of the question's choices, one per choice (empty when they do not
    line up, e.g. a question written in Peaceworks)."""
    rows = [row for row in (question.xlsform or {}).get("choices") or [] if isinstance(row, dict)]
    rows = [row for row in rows if "name" in row]
    return rows if len(rows) == len(question.choices) else []


def allowed_choices(question: Question, answers: dict[str, Any]) -> list[int] | None:
    """The indexes of the choices the question's ``choice_filter`` lets through given
    ``answers``; None when it has no filter the web form evaluates (every choice)."""
    expression = str(_row(question).get("choice_filter", "")).strip()
    rows = choice_rows(question)
    if not expression or not rows:
        return None
    try:
        node = _Parser(expression, columns=True).parse()
    except Unsupported:
        return None
    kept = []
    for index, row in enumerate(rows):
        columns = {CHOICE + str(key): value for key, value in row.items()}
        if _boolean(node({**answers, **columns})):
            kept.append(index)
    return kept


def answer_problem(
    question: Question, value: Any, answers: dict[str, Any], *, language: str
) -> str | None:
    """What is wrong with ``value`` as the answer to an imported XLSForm question by its
    ``required``, ``constraint`` and ``choice_filter`` (over the other ``answers``), in the
    form's own message where it has one; None when nothing is. A question not asked (its
    skip logic does not hold) has no problem."""
    if not relevance_holds(question.relevant, answers):
        return None
    row = _row(question)
    if value is None or value == "" or value == []:
        if is_required(question, answers):
            return _text_in(row, "required_message", language) or _(
                "This question needs an answer."
            )
        return None
    constraint = str(row.get("constraint", "")).strip()
    if constraint:
        try:
            node = _Parser(constraint, current=True).parse()
        except Unsupported:
            node = None
        if node is not None and not _boolean(node({**answers, CURRENT: value})):
            return _text_in(row, "constraint_message", language) or _(
                "This answer is not allowed by the form; check it and try again."
            )
    allowed = allowed_choices(question, answers)
    if allowed is not None:
        values = {str(question.choices[index]["value"]) for index in allowed}
        given = value if isinstance(value, list) else [value]
        if accepts_other(question):
            values.add(OTHER)
        if any(str(item) not in values for item in given):
            return _("This choice does not go with your earlier answers; choose another.")
    return None
