"""Formula indicators: a small arithmetic language over indicator codes.

A formula such as ``(inwoners_0_14 + inwoners_65_plus) / inwoners_15_64 * 100``
is tokenised and parsed by recursive descent into a tree of nodes, then
evaluated with `Decimal` per area and period. Only numbers, indicator codes,
``+ - * /``, unary minus and parentheses exist; nothing is ever handed to
Python's own evaluator. When the top of the tree is a division (optionally
times a constant), the operands give the numerator and denominator, so that
the threshold of the result can be checked on its numerator.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from stedenplatform.core.errors import PlatformError

_TOKEN = re.compile(r"\s*(?:(\d+(?:[.,]\d+)?)|([a-z_][a-z0-9_]*)|(.))")


class FormulaError(PlatformError):
    code = "ongeldige_formule"


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Neg:
    operand: object


@dataclass(frozen=True)
class BinOp:
    op: str
    left: object
    right: object


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _TOKEN.finditer(text.strip()):
        number, name, other = match.groups()
        if number:
            tokens.append(("num", number.replace(",", ".")))
        elif name:
            tokens.append(("ref", name))
        elif other and other in "+-*/()":
            tokens.append(("op", other))
        elif other:
            raise FormulaError(
                f"Formule '{text}': teken {other!r} is niet toegelaten; toegelaten "
                "zijn indicatorcodes, getallen, + - * / en haakjes."
            )
    return tokens


def parse(text: str):
    """Parse a formula into a node tree.

    >>> parse("a * 2")
    BinOp(op='*', left=Ref(code='a'), right=Number(value=Decimal('2')))
    """
    tokens = tokenize(text)
    if not tokens:
        raise FormulaError("De formule is leeg.")
    parser = _Parser(tokens, text)
    node = parser.expression()
    if parser.pos != len(tokens):
        raise FormulaError(
            f"Formule '{text}': onverwacht '{tokens[parser.pos][1]}' op positie "
            f"{parser.pos + 1}."
        )
    return node


class _Parser:
    def __init__(self, tokens, text):
        self.tokens = tokens
        self.text = text
        self.pos = 0

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def expression(self):
        node = self.term()
        while self._peek() in (("op", "+"), ("op", "-")):
            op = self.tokens[self.pos][1]
            self.pos += 1
            node = BinOp(op, node, self.term())
        return node

    def term(self):
        node = self.factor()
        while self._peek() in (("op", "*"), ("op", "/")):
            op = self.tokens[self.pos][1]
            self.pos += 1
            node = BinOp(op, node, self.factor())
        return node

    def factor(self):
        kind, value = self._peek()
        if kind is None:
            raise FormulaError(f"Formule '{self.text}' eindigt onverwacht.")
        self.pos += 1
        if kind == "num":
            return Number(Decimal(value))
        if kind == "ref":
            return Ref(value)
        if value == "-":
            return Neg(self.factor())
        if value == "(":
            node = self.expression()
            if self._peek() != ("op", ")"):
                raise FormulaError(
                    f"Formule '{self.text}': een haakje sluiten ontbreekt."
                )
            self.pos += 1
            return node
        raise FormulaError(f"Formule '{self.text}': onverwacht '{value}'.")


def references(node) -> set[str]:
    if isinstance(node, Ref):
        return {node.code}
    if isinstance(node, Neg):
        return references(node.operand)
    if isinstance(node, BinOp):
        return references(node.left) | references(node.right)
    return set()


def evaluate(node, values: dict[str, Decimal | None]) -> Decimal | None:
    """Compute the formula; None when an operand is missing or a divisor is 0.

    >>> evaluate(parse("a / b * 100"), {"a": Decimal(1), "b": Decimal(4)})
    Decimal('25')
    """
    try:
        return _eval(node, values)
    except (KeyError, DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None


def _eval(node, values):
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Ref):
        value = values[node.code]
        if value is None:
            raise KeyError(node.code)
        return value
    if isinstance(node, Neg):
        return -_eval(node.operand, values)
    left, right = _eval(node.left, values), _eval(node.right, values)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right == 0:
        raise ZeroDivisionError
    return left / right


def fraction_parts(node):
    """Return (numerator, denominator) nodes when the formula is a fraction."""
    if isinstance(node, BinOp) and node.op == "/":
        return node.left, node.right
    if isinstance(node, BinOp) and node.op == "*":
        if isinstance(node.right, Number):
            return fraction_parts(node.left)
        if isinstance(node.left, Number):
            return fraction_parts(node.right)
    return None
