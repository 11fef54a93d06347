"""Every DEMaD definition on hand-made data whose answers are worked out by
hand (see handmade.py for the people and their months)."""

import pytest

from stedenplatform.core.errors import InputRefusedError
from stedenplatform.social.indicators import Parameters, compute, run_pipeline

from . import handmade
from .handmade import pseudonym


def spells(sources, p=None):
    connection = run_pipeline(sources, p or Parameters())
    rows = connection.execute(
        "SELECT i.pseudoniem, start_m, duration, is_exit, left_censored,"
        " next_start FROM spell_facts s JOIN person_id i USING (p) ORDER BY 1, 2"
    ).fetchall()
    names = {pseudonym(n): n for n in handmade.PERSONS}
    result = {}
    for pseudo, start, duration, is_exit, left, next_start in rows:
        label = f"{start // 12}-{start % 12 + 1:02d}"
        result.setdefault(names[pseudo], []).append(
            (label, duration, is_exit, left, next_start is not None)
        )
    return result


def figures(sources, p=None, ocmw=handmade.OCMW, breakdown="totaal", group="totaal"):
    table, _ = compute(sources, p)
    return {
        (r["indicator"], r["year"]): r
        for r in table.to_pylist()
        if r["ocmw"] == ocmw and r["breakdown"] == breakdown and r["group"] == group
    }


@pytest.fixture
def sources(tmp_path):
    return handmade.write(tmp_path)


def test_one_month_gap_does_not_end_a_spell_and_two_months_do(sources):
    result = spells(sources)
    assert result["A"] == [("2020-03", 8, True, False, False)]
    assert result["B"] == [
        ("2020-03", 2, True, False, True),
        ("2020-07", 3, True, False, False),
    ]


def test_spell_reaching_the_end_of_the_data_is_censored_without_exit(sources):
    result = spells(sources)
    assert result["C"] == [("2022-10", 2, False, False, False)]
    assert result["F"] == [("2022-12", 1, False, False, False)]
    assert result["D"] == [("2022-09", 2, True, False, False)]


def test_spell_running_in_the_first_month_is_left_censored(sources):
    assert spells(sources)["E"] == [("2020-01", 5, True, True, False)]


def test_inflow_counts_new_spells_but_not_left_censored_ones(sources):
    result = figures(sources)
    assert result[("demad_instroom", 2020)]["numerator"] == 3  # A, B1, B2
    assert result[("demad_instroom", 2020)]["num_persons"] == 2
    assert result[("demad_instroom", 2022)]["numerator"] == 5  # C, D, F, I, K


def test_inflow_counts_left_censored_spells_when_asked(sources):
    result = figures(sources, Parameters(exclude_left_censored=False))
    assert result[("demad_instroom", 2020)]["numerator"] == 4


def test_duration_is_inclusive_and_its_median_counts_exits_of_the_year(sources):
    result = figures(sources)
    median = result[("demad_duur_mediaan", 2020)]
    assert median["denominator"] == 3  # A (8), B1 (2), B2 (3); E left-censored
    assert median["median_value"] == 3.0
    assert result[("demad_duur_lang_1", 2020)]["numerator"] == 0
    shorter = figures(sources, Parameters(long_duration_1=2))
    assert shorter[("demad_duur_lang_1", 2020)]["numerator"] == 2  # A and B2


def test_outflow_to_work_uses_three_months_from_the_first_month_without(sources):
    result = figures(sources)
    work = result[("demad_uitstroom_werk", 2020)]
    # A works in its 2nd month, B1 in its 1st, B2 in its 1st, E never.
    assert (work["numerator"], work["denominator"], work["censored"]) == (3, 4, 0)
    late = result[("demad_uitstroom_werk", 2022)]
    # D's three months run into 2023, past the employment data; H, I, K's
    # single-month spells in 2021-2022 end before the data does.
    assert late["censored"] == 1


def test_outflow_to_work_window_is_a_parameter(sources):
    result = figures(sources, Parameters(work_window=1))
    # With one month, A (work in its second month) no longer counts.
    assert result[("demad_uitstroom_werk", 2020)]["numerator"] == 2


def test_lasting_outflow_needs_work_in_each_of_six_months(sources):
    result = figures(sources)
    lasting = result[("demad_uitstroom_duurzaam", 2020)]
    assert (lasting["numerator"], lasting["denominator"]) == (1, 4)  # B1 only


def test_reinflow_within_twelve_months_with_complete_follow_up(sources):
    result = figures(sources)
    again = result[("demad_herinstroom", 2020)]
    assert (again["numerator"], again["denominator"], again["censored"]) == (1, 4, 0)
    shorter = figures(sources, Parameters(reinflow_window=2))
    assert shorter[("demad_herinstroom", 2020)]["numerator"] == 0  # B came back in 3


def test_exit_after_the_follow_up_horizon_is_censored_in_reinflow(sources):
    result = figures(sources)
    late = result[("demad_herinstroom", 2022)]
    # D (2022-11), I (2022-08) and K (2022-02) exit in 2022: none has twelve
    # months of data after its last month.
    assert (late["denominator"], late["censored"]) == (0, 3)


def test_youth_care_take_up_within_twelve_months_after_the_end(sources):
    result = figures(sources)
    youth = result[("demad_jeugdhulp_leefloon", 2021)]
    # H (3 months later) and K (12 months later) count; I (13) does not.
    assert (youth["numerator"], youth["denominator"], youth["censored"]) == (2, 3, 0)
    censored = result[("demad_jeugdhulp_leefloon", 2022)]
    assert (censored["denominator"], censored["censored"]) == (0, 1)  # J


def test_gap_parameter_changes_what_a_spell_is(sources):
    strict = spells(sources, Parameters(max_gap_months=0))
    # The July gap now splits A; one month is too short for an exit.
    assert strict["A"] == [
        ("2020-03", 4, False, False, True),
        ("2020-08", 3, True, False, False),
    ]
    loose = spells(sources, Parameters(max_gap_months=2))
    assert loose["B"] == [("2020-03", 7, True, False, False)]


def test_exit_months_parameter_moves_the_censoring(sources):
    result = spells(sources, Parameters(exit_months=3))
    assert result["D"] == [("2022-09", 2, False, False, False)]
    assert result["B"][0] == ("2020-03", 2, False, False, True)


def test_breakdowns_by_age_group_sex_and_category_add_up(sources):
    by_age = figures(sources, breakdown="leeftijd", group="18-24")
    assert by_age[("demad_instroom", 2020)]["numerator"] == 1  # A, 20 at the start
    # B was born in 1970-06: 49 at the start of B1 (2020-03), 50 at B2 (2020-07).
    by_age = figures(sources, breakdown="leeftijd", group="35-49")
    assert by_age[("demad_instroom", 2020)]["numerator"] == 1
    by_age = figures(sources, breakdown="leeftijd", group="50-64")
    assert by_age[("demad_instroom", 2020)]["numerator"] == 1
    men = figures(sources, breakdown="geslacht", group="M")
    assert men[("demad_uitstroom_werk", 2020)]["denominator"] == 2  # B1, B2
    cat = figures(sources, breakdown="categorie", group="2")
    assert cat[("demad_uitstroom_werk", 2020)]["denominator"] == 2  # A, E


def test_all_cities_together_add_the_cities(tmp_path):
    first = handmade.write(tmp_path, "44021")
    second = handmade.write(tmp_path, "11002")
    sources = {k: first[k] + second[k] for k in first}
    result = figures(sources, ocmw="centrumsteden")
    assert result[("demad_uitstroom_werk", 2020)]["denominator"] == 8
    # The same pseudonyms in two OCMWs are two different people.
    assert result[("demad_instroom", 2020)]["num_persons"] == 4


def test_parameters_refuse_values_outside_their_limits():
    with pytest.raises(InputRefusedError) as caught:
        Parameters(max_gap_months=-1, age_bounds=(25, 18))
    message = caught.value.message
    assert "kolom 'max_gap_months'" in message and "van 0 tot 6" in message
    assert "ongeldige leeftijdsgrenzen" in message


def test_parameters_refuse_an_unknown_name():
    with pytest.raises(InputRefusedError) as caught:
        Parameters.from_dict({"gap": 2})
    assert "onbekende parameter" in caught.value.message
