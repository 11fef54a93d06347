"""A small, safe condition language for rights, evaluated in three values.

Conditions read like Dutch: `leeftijd >= 65 en (leefloon = waar of
verhoogde_tegemoetkoming = waar)`. The tokenizer and the recursive-descent
parser below build a tree; nothing is ever handed to `eval`. The grammar:

    uitdrukking := of
    of          := en ("of" en)*
    en          := niet ("en" niet)*
    niet        := "niet" niet | vergelijking
    vergelijking:= waarde (("=" | "!=" | "<" | "<=" | ">" | ">=") waarde
                   | "in" lijst)?
    waarde      := getal | tekst | "waar" | "onwaar" | naam | "(" uitdrukking ")"
    lijst       := "[" waarde ("," waarde)* "]"

Names are the facts of `PROFILE_FACTS`; a fact that is not known makes the
comparison "onbekend", and "en"/"of"/"niet" follow Kleene's three-valued
logic, so a partial profile still gets an answer with the questions to ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, NoReturn

from stedenplatform.core.errors import PlatformError

JA, NEE, ONBEKEND = "ja", "nee", "onbekend"

# name: (type, question, label)
PROFILE_FACTS: dict[str, tuple[str, str, str]] = {
    "leeftijd": ("getal", "Hoe oud is de persoon?", "leeftijd"),
    "kinderen": (
        "getal",
        "Hoeveel kinderen heeft de persoon ten laste?",
        "aantal kinderen ten laste",
    ),
    "leefloon": ("janee", "Ontvangt de persoon een leefloon?", "ontvangt leefloon"),
    "verhoogde_tegemoetkoming": (
        "janee",
        "Heeft de persoon recht op de verhoogde tegemoetkoming?",
        "verhoogde tegemoetkoming",
    ),
    "inkomen_onder_vt_grens": (
        "janee",
        "Is het gezinsinkomen lager dan de inkomensgrens van de "
        "verhoogde tegemoetkoming?",
        "inkomen onder de grens van de verhoogde tegemoetkoming",
    ),
    "inkomen_onder_schooltoeslag_grens": (
        "janee",
        "Is het gezinsinkomen lager dan de inkomensgrens van de "
        "schooltoeslag van het Groeipakket?",
        "inkomen onder de grens van de schooltoeslag",
    ),
    "inkomen_per_jaar": (
        "getal",
        "Wat is het netto gezinsinkomen per jaar (euro)?",
        "netto gezinsinkomen per jaar",
    ),
    "alleenstaand": ("janee", "Woont de persoon alleen?", "alleenstaand"),
    "huurder": ("janee", "Huurt de persoon zijn woning?", "huurder"),
    "sociale_huurder": (
        "janee",
        "Huurt de persoon een sociale woning?",
        "sociale huurder",
    ),
    "student": ("janee", "Is de persoon student?", "student"),
    "schoolgaand_kind": (
        "janee",
        "Heeft de persoon een schoolgaand kind?",
        "schoolgaand kind",
    ),
    "werkzoekend": (
        "janee",
        "Is de persoon ingeschreven als werkzoekende?",
        "werkzoekend",
    ),
    "handicap": (
        "janee",
        "Heeft de persoon een erkende handicap of een "
        "tegemoetkoming voor personen met een handicap?",
        "erkende handicap",
    ),
    "gepensioneerd": ("janee", "Is de persoon gepensioneerd?", "gepensioneerd"),
    "schuldbemiddeling": (
        "janee",
        "Zit de persoon in schuldbemiddeling of budgetbeheer?",
        "schuldbemiddeling",
    ),
    "gemeente": (
        "tekst",
        "In welke gemeente woont de persoon (NIS-code)?",
        "gemeente (NIS-code)",
    ),
    "provincie": (
        "tekst",
        "In welke provincie woont de persoon (NIS-code)?",
        "provincie (NIS-code)",
    ),
}

KEYWORDS = {"en", "of", "niet", "in", "waar", "onwaar"}
TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:[.,]\d+)?)|(?P<string>\"[^\"]*\")|"
    r"(?P<op><=|>=|!=|=|<|>)|(?P<punct>[()\[\],])|(?P<name>[a-z_][a-z0-9_]*))"
)


class ConditionError(PlatformError):
    """A condition that cannot be read: where, what was found, what was expected."""

    code = "voorwaarde_ongeldig"

    def __init__(self, message: str, position: int, text: str):
        self.position = position
        pointer = f"\n  {text}\n  {' ' * position}^"
        super().__init__(
            f"Fout in de voorwaarde op positie {position + 1}: {message}.{pointer}"
        )
        self.short = f"positie {position + 1}: {message}"


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    position: int


def tokenize(text: str) -> list[Token]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = TOKEN.match(text, position)
        if not match:
            start = position + len(text[position:]) - len(text[position:].lstrip())
            raise ConditionError(
                f"onverwacht teken {text[start]!r}; verwacht een naam, getal, "
                '"tekst", vergelijking (=, !=, <, <=, >, >=) of haakje',
                start,
                text,
            )
        kind = match.lastgroup or ""
        value = match.group(kind)
        start = match.start(kind)
        if kind == "name" and value in KEYWORDS:
            kind = "keyword"
        tokens.append(Token(kind, value, start))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


@dataclass
class Node:
    kind: str  # and, or, not, compare, in, literal, fact
    children: list = field(default_factory=list)
    value: Any = None
    position: int = 0


class Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, expected: str) -> NoReturn:
        token = self.peek()
        found = (
            "het einde van de voorwaarde" if token.kind == "end" else repr(token.value)
        )
        raise ConditionError(
            f"verwacht {expected}, gevonden {found}", token.position, self.text
        )

    def parse(self) -> Node:
        if self.peek().kind == "end":
            self.fail("een voorwaarde")
        node = self.parse_or()
        if self.peek().kind != "end":
            self.fail("'en', 'of' of het einde van de voorwaarde")
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.peek().value == "of" and self.peek().kind == "keyword":
            position = self.take().position
            node = Node("or", [node, self.parse_and()], position=position)
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.peek().value == "en" and self.peek().kind == "keyword":
            position = self.take().position
            node = Node("and", [node, self.parse_not()], position=position)
        return node

    def parse_not(self) -> Node:
        if self.peek().kind == "keyword" and self.peek().value == "niet":
            position = self.take().position
            return Node("not", [self.parse_not()], position=position)
        return self.parse_comparison()

    def parse_comparison(self) -> Node:
        left = self.parse_value()
        token = self.peek()
        if token.kind == "op":
            self.take()
            right = self.parse_value()
            node = Node(
                "compare", [left, right], value=token.value, position=token.position
            )
            self.check_types(node)
            return node
        if token.kind == "keyword" and token.value == "in":
            self.take()
            items = self.parse_list()
            node = Node("in", [left, *items], position=token.position)
            self.check_types(node)
            return node
        if left.kind == "fact" and PROFILE_FACTS[left.value][0] != "janee":
            raise ConditionError(
                f"'{left.value}' is geen ja/nee-gegeven; verwacht een vergelijking "
                "(bijvoorbeeld '>= 18')",
                token.position,
                self.text,
            )
        if left.kind == "literal" and not isinstance(left.value, bool):
            raise ConditionError(
                "een losse waarde is geen voorwaarde; verwacht een vergelijking",
                left.position,
                self.text,
            )
        return left

    def parse_list(self) -> list[Node]:
        if self.peek().value != "[":
            self.fail("'[' om een lijst te openen")
        self.take()
        items = [self.parse_value()]
        while self.peek().value == ",":
            self.take()
            items.append(self.parse_value())
        if self.peek().value != "]":
            self.fail("',' of ']'")
        self.take()
        return items

    def parse_value(self) -> Node:
        token = self.peek()
        if token.kind == "number":
            self.take()
            return Node(
                "literal",
                value=Decimal(token.value.replace(",", ".")),
                position=token.position,
            )
        if token.kind == "string":
            self.take()
            return Node("literal", value=token.value[1:-1], position=token.position)
        if token.kind == "keyword" and token.value in {"waar", "onwaar"}:
            self.take()
            return Node("literal", value=token.value == "waar", position=token.position)
        if token.kind == "name":
            if token.value not in PROFILE_FACTS:
                raise ConditionError(
                    f"onbekend gegeven '{token.value}'; bekende gegevens: "
                    f"{', '.join(sorted(PROFILE_FACTS))}",
                    token.position,
                    self.text,
                )
            self.take()
            return Node("fact", value=token.value, position=token.position)
        if token.value == "(":
            self.take()
            node = self.parse_or()
            if self.peek().value != ")":
                self.fail("')'")
            self.take()
            return node
        self.fail("een gegeven, getal, \"tekst\", waar/onwaar of '('")

    def check_types(self, node: Node) -> None:
        kinds = {k for k in map(_type_of, node.children) if k is not None}
        if len(kinds) > 1:
            raise ConditionError(
                "vergelijking tussen verschillende soorten waarden ("
                + " en ".join(sorted(kinds))
                + ")",
                node.position,
                self.text,
            )
        if (
            node.kind == "compare"
            and node.value in {"<", "<=", ">", ">="}
            and kinds
            and kinds != {"getal"}
        ):
            raise ConditionError(
                f"'{node.value}' kan alleen getallen vergelijken",
                node.position,
                self.text,
            )


def _type_of(node: Node) -> str | None:
    if node.kind == "fact":
        return PROFILE_FACTS[node.value][0]
    if node.kind == "literal":
        if isinstance(node.value, bool):
            return "janee"
        if isinstance(node.value, Decimal):
            return "getal"
        return "tekst"
    return "janee"


@lru_cache(maxsize=4096)
def parse_condition(text: str) -> Node:
    """Parse a condition or raise ConditionError with the position.

    Trees are cached by text: every search assesses the same conditions, and
    nothing ever changes a parsed tree.
    """
    return Parser(text).parse()


def validate_condition(text: str) -> None:
    if text.strip():
        parse_condition(text)


@dataclass
class Outcome:
    value: str
    reasons: list[str]
    questions: list[str]


def _show(value) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return f"{value:n}".replace(".", ",")
    return str(value)


def _fact_value(name: str, profile: dict):
    value = profile.get(name)
    if value is None or value == "":
        return None
    kind = PROFILE_FACTS[name][0]
    if kind == "getal":
        return Decimal(str(value))
    if kind == "janee":
        return bool(value)
    return str(value)


OPS = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
OP_WORDS = {"=": "is", "!=": "is niet", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def evaluate(node: Node, profile: dict) -> Outcome:
    """Evaluate a parsed condition for a (partial) profile."""
    if node.kind == "and" or node.kind == "or":
        parts = [evaluate(child, profile) for child in node.children]
        decisive = NEE if node.kind == "and" else JA
        other = JA if node.kind == "and" else NEE
        if any(p.value == decisive for p in parts):
            chosen = [p for p in parts if p.value == decisive]
            return Outcome(decisive, [r for p in chosen for r in p.reasons], [])
        if any(p.value == ONBEKEND for p in parts):
            return Outcome(
                ONBEKEND,
                [r for p in parts for r in p.reasons],
                _unique([q for p in parts for q in p.questions]),
            )
        return Outcome(other, [r for p in parts for r in p.reasons], [])
    if node.kind == "not":
        inner = evaluate(node.children[0], profile)
        flipped = {JA: NEE, NEE: JA, ONBEKEND: ONBEKEND}[inner.value]
        return Outcome(flipped, [f"niet ({r})" for r in inner.reasons], inner.questions)
    if node.kind == "fact":
        value = _fact_value(node.value, profile)
        label = PROFILE_FACTS[node.value][2]
        if value is None:
            return Outcome(
                ONBEKEND, [f"{label}: onbekend"], [PROFILE_FACTS[node.value][1]]
            )
        return Outcome(JA if value else NEE, [f"{label}: {_show(value)}"], [])
    if node.kind == "literal":
        return Outcome(JA if node.value else NEE, [], [])
    if node.kind in {"compare", "in"}:
        return _compare(node, profile)
    raise ValueError(node.kind)


def _operand(node: Node, profile: dict):
    if node.kind == "fact":
        return (
            _fact_value(node.value, profile),
            PROFILE_FACTS[node.value][2],
            node.value,
        )
    if node.kind == "literal":
        return node.value, _show(node.value), None
    outcome = evaluate(node, profile)
    return ({JA: True, NEE: False}.get(outcome.value), "(...)", None)


def _compare(node: Node, profile: dict) -> Outcome:
    left, left_label, left_fact = _operand(node.children[0], profile)
    rights = [_operand(child, profile) for child in node.children[1:]]
    facts = [f for f in [left_fact, *(r[2] for r in rights)] if f]
    missing = [
        f
        for f, (v, _, _) in zip(
            [left_fact, *(r[2] for r in rights)], [(left, 0, 0), *rights], strict=True
        )
        if f and v is None
    ]
    if node.kind == "in":
        text = f"{left_label} in [{', '.join(r[1] for r in rights)}]"
    else:
        text = f"{left_label} {OP_WORDS[node.value]} {rights[0][1]}"
    if missing:
        return Outcome(
            ONBEKEND,
            [f"{text}: onbekend"],
            [PROFILE_FACTS[f][1] for f in _unique(missing)],
        )
    if node.kind == "in":
        result = left in [r[0] for r in rights]
    else:
        result = OPS[node.value](left, rights[0][0])
    shown = ", ".join(
        f"{PROFILE_FACTS[f][2]} is {_show(_fact_value(f, profile))}"
        for f in _unique(facts)
    )
    verdict = "voldaan" if result else "niet voldaan"
    if result and node.kind == "compare" and node.value == "=":
        shown = ""
    return Outcome(
        JA if result else NEE,
        [f"{text}: {verdict}" + (f" ({shown})" if shown else "")],
        [],
    )


def _unique(items: list) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


VERDICTS = {
    JA: "waarschijnlijk recht",
    ONBEKEND: "mogelijk recht",
    NEE: "geen recht",
}


def assess(text: str, profile: dict) -> tuple[str, Outcome]:
    """The verdict for a right's condition and a profile, with the outcome."""
    if not text.strip():
        return VERDICTS[JA], Outcome(JA, ["geen bijzondere voorwaarden"], [])
    outcome = evaluate(parse_condition(text), profile)
    return VERDICTS[outcome.value], outcome
