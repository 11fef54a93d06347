"""The built-in demo plan (jaarplan-2026.yaml) is a complete transcription of its source.

The source is the plain-text Jaarplan 2026 of the Kenniscentrum Vlaamse Steden, shipped
next to the YAML file. These tests parse that text on their own (independently of how
the YAML was produced) and check the YAML against it: the programmes and work tracks of
the table of contents, the DOELSTELLING headings and the action bullets of the body, and
that every text in the plan is taken word for word from the source.

Pure pytest: needs only PyYAML and the standard library (no Django).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

DEMO = Path(__file__).parents[1] / "demo"
SOURCE = DEMO / "jaarplan-2026.txt"
PLAN = DEMO / "jaarplan-2026.yaml"

LEVELS = ["programma", "werkspoor", "doelstelling", "actie"]
GROUP_KINDS = {"stuurgroep", "werkgroep", "lerend_netwerk", "taskforce", "overleg"}
CITY_NIS_CODES = {
    "11002",  # Antwerpen
    "44021",  # Gent
    "41002",  # Aalst
    "31005",  # Brugge
    "71016",  # Genk
    "71072",  # Hasselt
    "34022",  # Kortrijk
    "24062",  # Leuven
    "12025",  # Mechelen
    "35013",  # Oostende
    "36015",  # Roeselare
    "46021",  # Sint-Niklaas
    "13040",  # Turnhout
}
MEMBER_CODES = CITY_NIS_CODES | {"KVS", "VGC", "centrumsteden"}

ACTION_HEADING = re.compile(r"^ACTIES? 2026$")
OBJECTIVE_HEADING = re.compile(r"^DOELSTELLING (\d+):\s*(.+)$")
TOC_ENTRY = re.compile(r"^(\s*)-\s+(\d+)\s+(.+?)\s*$")
# Lines of the body that only label a part of the document.
SECTION_LABELS = {"Programma's"}


def unbold(text: str) -> str:
    return text.replace("**", "").strip()


def bare(line: str) -> str:
    """A line without its bullet marker and bold markers."""
    return unbold(re.sub(r"^\s*-\s+", "", line))


# --------------------------------------------------------------------------- source


class Source:
    """An independent reading of the plain-text Jaarplan."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.splitlines()
        self.programmes = self._table_of_contents()
        self.track_titles = [t for _, tracks in self.programmes for t in tracks]
        self.body = self._body()
        self.tracks = self._tracks()

    def _table_of_contents(self) -> list[tuple[str, list[str]]]:
        """[(programme title, [work track titles])] from the 'Inhoud' section.

        Bold entries under "Programma's" are programmes, the entries under them their
        work tracks. "Communicatie" under "Profiel" is a programme with one work track of
        the same name; "Andere opdrachten" is a programme with the entries listed under it.
        """
        start = self.lines.index("Inhoud") + 1
        programmes: list[tuple[str, list[str]]] = []
        section = None
        for line in self.lines[start:]:
            heading = line.strip()
            if heading in {"Profiel", "Programma's", "Andere opdrachten"}:
                if heading == "Profiel" and section is not None:
                    break  # the body starts with the heading "Profiel" again
                section = heading
                if heading == "Andere opdrachten":
                    programmes.append(("Andere opdrachten", []))
                continue
            entry = TOC_ENTRY.match(line)
            if not entry:
                continue
            title = entry.group(3)
            if section == "Profiel":
                if title == "Communicatie":
                    programmes.append(("Communicatie", ["Communicatie"]))
            elif section == "Programma's" and title.startswith("**"):
                programmes.append((unbold(title), []))
            else:
                programmes[-1][1].append(title)
        return programmes

    def _body(self) -> list[str]:
        """From the section "Communicatie" (the first programme) up to the colophon."""
        start = self.lines.index("Communicatie")
        end = self.lines.index("Colofon")
        return self.lines[start:end]

    def _tracks(self) -> dict[str, list[str]]:
        """Body lines per work track: a track's heading is its title from the table of
        contents (compared case-insensitively), found in table-of-contents order."""
        starts = []
        wanted = iter(self.track_titles)
        title = next(wanted)
        for number, line in enumerate(self.body):
            if title is not None and line.strip().casefold() == title.casefold():
                starts.append((title, number))
                title = next(wanted, None)
        assert title is None, (
            f"work track {title!r} of the table of contents has no heading in the body"
        )
        ends = [number for _, number in starts[1:]] + [len(self.body)]
        return {t: self.body[s + 1 : e] for (t, s), e in zip(starts, ends, strict=True)}

    def objectives(self, track: str) -> list[str]:
        """Titles of the DOELSTELLING headings of a work track, in source order."""
        found = []
        for line in self.tracks[track]:
            heading = OBJECTIVE_HEADING.match(line)
            if heading:
                found.append(unbold(heading.group(2)))
        return found

    def action_count(self, track: str) -> int:
        """Top-level bullets ("- ") under the ACTIE(S) 2026 headings of a work track.

        An action block runs from the heading to the first line of ordinary text;
        indented sub-bullets (" - ") belong to the action above them.
        """
        count = 0
        in_actions = False
        for line in self.tracks[track]:
            if ACTION_HEADING.match(line.strip()):
                in_actions = True
            elif not line.strip():
                continue
            elif in_actions and line.startswith("- "):
                count += 1
            elif in_actions and line.startswith(" - "):
                continue
            else:
                in_actions = False
        return count

    def body_texts(self) -> list[str]:
        """Every line of text of the body that the plan has to carry."""
        texts = []
        for line in self.body:
            if not line.strip() or ACTION_HEADING.match(line.strip()):
                continue
            heading = OBJECTIVE_HEADING.match(line)
            text = unbold(heading.group(2)) if heading else bare(line)
            if text and text not in SECTION_LABELS:
                texts.append(text)
        return texts


# --------------------------------------------------------------------------- plan


def walk(items, depth=0, parent=None):
    for item in items:
        yield depth, parent, item
        yield from walk(item.get("children") or [], depth + 1, item)


def item_lines(item) -> list[str]:
    texts = [item["title"]]
    texts += (item.get("description") or "").splitlines()
    return [bare(t) for t in texts if t.strip()]


@pytest.fixture(scope="module")
def source() -> Source:
    return Source(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plan() -> dict:
    with PLAN.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def items(plan) -> list[tuple[int, dict | None, dict]]:
    return list(walk(plan["items"]))


@pytest.fixture(scope="module")
def tracks(plan) -> dict[str, dict]:
    """Work tracks of the plan by title."""
    found = {}
    for programme in plan["items"]:
        for track in programme.get("children") or []:
            assert track["title"] not in found, (
                f"two work tracks titled {track['title']!r}"
            )
            found[track["title"]] = track
    return found


def count_per_level(items) -> Counter:
    return Counter(LEVELS[depth] for depth, _, _ in items)


# --------------------------------------------------------------------------- tests


def test_the_file_is_a_version_1_plan_import_of_the_jaarplan(plan):
    assert plan["format"] == "stedenplatform-plan/1"
    header = plan["plan"]
    assert header["code"] == "jaarplan-2026"
    assert header["organisation"] == "KVS"
    assert str(header["start"]) == "2026-01-01" and str(header["end"]) == "2026-12-31"
    assert header["fictief"] is False
    assert [level["key"] for level in header["levels"]] == LEVELS


def test_the_plan_is_at_most_four_levels_deep(items):
    too_deep = [item["code"] for depth, _, item in items if depth >= len(LEVELS)]
    assert not too_deep, f"items below the level 'actie': {too_deep}"


def test_every_programme_of_the_table_of_contents_is_in_the_plan(source, plan):
    expected = [title for title, _ in source.programmes]
    actual = [programme["title"] for programme in plan["items"]]
    assert actual == expected, (
        "programmes differ from the table of contents (order matters)"
    )


def test_every_work_track_of_the_table_of_contents_is_in_its_programme(source, plan):
    for (programme_title, expected), programme in zip(
        source.programmes, plan["items"], strict=True
    ):
        actual = [track["title"] for track in programme.get("children") or []]
        assert actual == expected, (
            f"work tracks of {programme_title!r} differ from the table of contents"
        )


def test_the_plan_has_as_many_items_per_level_as_the_source(source, items):
    expected = Counter(
        programma=len(source.programmes),
        werkspoor=len(source.track_titles),
        doelstelling=sum(len(source.objectives(t)) for t in source.track_titles),
        actie=sum(source.action_count(t) for t in source.track_titles),
    )
    actual = count_per_level(items)
    assert actual == expected, (
        f"items per level: plan {dict(actual)}, source {dict(expected)}"
    )


def test_each_work_track_has_the_objectives_and_actions_of_the_source(source, tracks):
    mismatches = []
    for title in source.track_titles:
        track = tracks[title]
        objectives = track.get("children") or []
        actions = sum(len(objective.get("children") or []) for objective in objectives)
        expected = (len(source.objectives(title)), source.action_count(title))
        if (len(objectives), actions) != expected:
            mismatches.append(
                f"{track['code']} {title!r}: plan has {len(objectives)} objectives/{actions} actions, "
                f"source has {expected[0]}/{expected[1]}"
            )
    assert not mismatches, "\n".join(mismatches)


def test_every_objective_of_the_source_is_in_the_plan(source, tracks):
    missing = []
    for title in source.track_titles:
        in_plan = [
            objective["title"] for objective in tracks[title].get("children") or []
        ]
        for objective in source.objectives(title):
            if objective not in in_plan:
                missing.append(f"{title}: {objective}")
    assert not missing, "objectives of the source missing from the plan:\n" + "\n".join(
        missing
    )


def test_objectives_keep_the_order_of_the_source(source, tracks):
    for title in source.track_titles:
        in_plan = [
            objective["title"] for objective in tracks[title].get("children") or []
        ]
        assert in_plan == source.objectives(title), (
            f"objectives of {title!r} are out of order"
        )


def test_item_codes_are_unique(items):
    duplicates = [
        code
        for code, n in Counter(item["code"] for _, _, item in items).items()
        if n > 1
    ]
    assert not duplicates, f"duplicate item codes: {duplicates}"


def test_item_codes_follow_the_hierarchy(items):
    patterns = [
        re.compile(r"^(COM|OBMI|SMART|STADSGEN|KLIMAAT|DIGI|ANDERE)$"),
        re.compile(r"^[A-Z]+\.\d+$"),
        re.compile(r"^[A-Z]+\.\d+\.D\d+$"),
        re.compile(r"^[A-Z]+\.\d+\.D\d+\.A\d+$"),
    ]
    wrong = []
    for depth, parent, item in items:
        code = item["code"]
        if not patterns[depth].match(code) or (
            parent and not code.startswith(parent["code"] + ".")
        ):
            wrong.append(
                f"{code} (level {LEVELS[depth]}, parent {parent and parent['code']})"
            )
    assert not wrong, "codes that do not fit their place in the plan:\n" + "\n".join(
        wrong
    )


def test_work_tracks_and_actions_are_numbered_in_source_order(plan):
    for programme in plan["items"]:
        for n, track in enumerate(programme.get("children") or [], start=1):
            assert track["code"] == f"{programme['code']}.{n}"
            for objective in track.get("children") or []:
                for a, action in enumerate(objective.get("children") or [], start=1):
                    assert action["code"] == f"{objective['code']}.A{a}"


def test_every_action_title_is_the_start_of_its_description(items):
    wrong = [
        item["code"]
        for depth, _, item in items
        if depth == 3 and not (item.get("description") or "").startswith(item["title"])
    ]
    assert not wrong, (
        f"action titles that are not the first sentence of their bullet: {wrong}"
    )


def test_every_text_in_the_plan_is_taken_from_the_source(source, plan, items):
    haystack = " ".join(unbold(line) for line in source.lines)
    invented = []
    for _, _, item in items:
        invented += [
            f"{item['code']}: {t}" for t in item_lines(item) if t not in haystack
        ]
    for group in plan["groups"]:
        for field in ("cadence_text", "members_text", "description"):
            if group.get(field) and unbold(group[field]) not in haystack:
                invented.append(f"group {group['code']} {field}: {group[field]}")
    for partner in {p for _, _, item in items for p in item.get("partners") or []}:
        if partner not in haystack:
            invented.append(f"partner {partner}")
    assert not invented, "texts not found verbatim in the source:\n" + "\n".join(
        invented
    )


def test_every_line_of_the_programme_body_is_in_the_plan(source, items):
    carried = "\n".join(line for _, _, item in items for line in item_lines(item))
    missing = [text for text in source.body_texts() if text not in carried]
    assert not missing, "source text missing from the plan:\n" + "\n".join(missing)


def test_group_codes_are_unique(plan):
    codes = Counter(group["code"] for group in plan["groups"])
    assert not [c for c, n in codes.items() if n > 1], f"duplicate group codes: {codes}"


def test_every_group_referenced_by_an_item_exists(plan, items):
    known = {group["code"] for group in plan["groups"]}
    unknown = [
        f"{item['code']} -> {code}"
        for _, _, item in items
        for code in item.get("groups") or []
        if code not in known
    ]
    assert not unknown, "items refer to groups that are not defined:\n" + "\n".join(
        unknown
    )


def test_every_group_is_carried_by_an_item(plan, items):
    used = {code for _, _, item in items for code in item.get("groups") or []}
    unused = [group["code"] for group in plan["groups"] if group["code"] not in used]
    assert not unused, f"groups no item links to: {unused}"


def test_groups_have_a_known_kind_cadence_and_members(plan):
    problems = []
    for group in plan["groups"]:
        code = group["code"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code):
            problems.append(f"{code}: code is not a slug")
        if group.get("kind") not in GROUP_KINDS:
            problems.append(f"{code}: unknown kind {group.get('kind')!r}")
        for field in ("every_weeks", "per_year"):
            value = group.get(field)
            if value is not None and not (isinstance(value, int) and value > 0):
                problems.append(
                    f"{code}: {field} must be a positive integer, not {value!r}"
                )
            if value is not None and not group.get("cadence_text"):
                problems.append(
                    f"{code}: {field} without the cadence_text it comes from"
                )
        for member in group.get("members") or []:
            if member not in MEMBER_CODES:
                problems.append(f"{code}: unknown member {member!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("group", "cadence"),
    [
        ("stuurgroep-obmi", {"per_year": 2}),
        ("werkgroep-obmi", {"every_weeks": 6}),
        ("werkgroep-orba", {"every_weeks": 6}),
        ("stuurgroep-klimaattransitie", {"per_year": 4}),
        ("stuurgroep-digitale-transitie", {"per_year": 8}),
    ],
)
def test_the_cadence_of_a_group_is_the_one_the_source_states(plan, group, cadence):
    found = {g["code"]: g for g in plan["groups"]}
    assert group in found, f"group {group} is missing"
    for field, value in cadence.items():
        assert found[group].get(field) == value, f"{group}: {field} should be {value}"
