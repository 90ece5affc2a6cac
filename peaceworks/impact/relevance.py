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
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(\$\{[^}]+\})|(\d+(?:\.\d*)?|\.\d+)|'([^']*)'|\"([^\"]*)\""
    r"|(!=|<=|>=|=|<|>|\(|\)|,|\+|-|\*)|([A-Za-z_][\w:-]*))"
)
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
    def __init__(self, expression: str) -> None:
        self.tokens = _tokens(expression)
        self.position = 0

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
        if kind == "name" and value in _FUNCTIONS:
            return self.function(value)
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


def compiles(expression: str) -> bool:
    """Whether the web form evaluates ``expression`` (it is within the subset above)."""
    try:
        _Parser(expression).parse()
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
