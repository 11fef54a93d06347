"""The four microdata sets an OCMW uploads, with their columns and rules.

Every set is keyed by the pseudonym that `stedenplatform pseudonimiseer`
made of the INSZ; months are written `JJJJ-MM`. The descriptions here are the
ones docs/social.md and the upload page show, so that the schema, its
documentation and its validation cannot drift apart.
"""

from dataclasses import dataclass

from django.db import models

PSEUDONYM_PATTERN = r"^p_[0-9a-f]{64}$"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
FIRST_YEAR = 1990

CATEGORIES = {
    "1": "samenwonende",
    "2": "alleenstaande",
    "3": "persoon met gezin ten laste",
}
SEXES = {"M": "man", "V": "vrouw", "X": "x"}
YES_NO = {"ja": True, "nee": False}


class Dataset(models.TextChoices):
    LEEFLOON = "leefloon", "leefloon per maand"
    TEWERKSTELLING = "tewerkstelling", "tewerkstelling per maand"
    PERSONEN = "personen", "personen"
    JEUGDHULP = "jeugdhulp", "einde jeugdhulp"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # pseudonym, ocmw, month, category, amount, yes_no, sex
    description: str
    example: str
    earliest_year: int = FIRST_YEAR


@dataclass(frozen=True)
class Schema:
    dataset: str
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


PSEUDONYM = Column(
    "pseudoniem",
    "pseudonym",
    "HMAC-SHA256 van het INSZ onder de sleutel van het OCMW: 'p_' en 64 "
    "hexadecimale tekens, zoals `stedenplatform pseudonimiseer` ze maakt",
    "p_3f1c…(64 tekens)",
)

SCHEMAS: dict[str, Schema] = {
    Dataset.LEEFLOON: Schema(
        Dataset.LEEFLOON,
        "Leefloon per maand",
        "Eén rij per persoon en maand waarin het OCMW een leefloon uitbetaalde.",
        (
            PSEUDONYM,
            Column("ocmw", "ocmw", "NIS-code van de gemeente van het OCMW", "44021"),
            Column("maand", "month", "de maand waarvoor het leefloon geldt", "2024-03"),
            Column(
                "categorie",
                "category",
                "categorie van het leefloon: 1 samenwonende, 2 alleenstaande, 3 "
                "persoon met gezin ten laste (wet van 26 mei 2002, art. 14)",
                "2",
            ),
            Column(
                "bedrag",
                "amount",
                "uitbetaald bedrag in euro, punt als decimaal",
                "1314.20",
            ),
        ),
        ("pseudoniem", "maand"),
    ),
    Dataset.TEWERKSTELLING: Schema(
        Dataset.TEWERKSTELLING,
        "Tewerkstelling per maand",
        "Eén rij per persoon en maand: was de persoon die maand aan het werk "
        "(ja of nee). Een maand zonder rij telt als niet aan het werk.",
        (
            PSEUDONYM,
            Column("maand", "month", "de maand", "2024-05"),
            Column("werk", "yes_no", "aan het werk in die maand: ja of nee", "ja"),
        ),
        ("pseudoniem", "maand"),
    ),
    Dataset.PERSONEN: Schema(
        Dataset.PERSONEN,
        "Personen",
        "Eén rij per persoon die in een van de andere bestanden voorkomt.",
        (
            PSEUDONYM,
            Column("geboortemaand", "month", "maand van geboorte", "1990-07", 1900),
            Column("geslacht", "sex", "M, V of X", "V"),
        ),
        ("pseudoniem",),
    ),
    Dataset.JEUGDHULP: Schema(
        Dataset.JEUGDHULP,
        "Einde jeugdhulp",
        "Eén rij per jongere en maand waarin zijn of haar jeugdhulp eindigde.",
        (
            PSEUDONYM,
            Column(
                "maand_einde", "month", "maand waarin de jeugdhulp eindigde", "2023-09"
            ),
        ),
        ("pseudoniem", "maand_einde"),
    ),
}
