"""The whole chain on the database: upload, benchmark run, figures, publication
into the statistics module."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from stedenplatform.core.models import AuditEntry
from stedenplatform.social.disclosure import PRIMARY, SECONDARY
from stedenplatform.social.indicators import Parameters
from stedenplatform.social.models import Figure
from stedenplatform.social.publish import build_series, publish_run, series_code
from stedenplatform.social.services import NoDataError, run_benchmark, upload_microdata

from . import handmade

LENIENT = Parameters(min_denominator=1, min_numerator=1, protect_complement=False)


@pytest.fixture
def two_cities(organisations, data_dir, tmp_path):
    for nis in ("44021", "11002"):
        folder = tmp_path / nis
        folder.mkdir()
        for dataset, path in handmade.write_csv(folder, nis).items():
            upload_microdata(None, organisations[nis], dataset, path, path.name)
    return organisations


def figure(run, indicator, year, ocmw="44021", breakdown="totaal", group="totaal"):
    return Figure.objects.get(
        run=run,
        indicator=indicator,
        year=year,
        ocmw=ocmw,
        breakdown=breakdown,
        group=group,
    )


def test_run_stores_the_hand_worked_figures(two_cities, make_user):
    run = run_benchmark(make_user("KVS", "beheerder"), LENIENT)
    assert run.cities == ["11002", "44021"]
    assert run.data_windows["44021"] == ["2020-01", "2022-12"]
    work = figure(run, "demad_uitstroom_werk", 2020)
    assert (work.value, work.numerator, work.denominator, work.censored) == (
        Decimal("75.00"),
        3,
        4,
        0,
    )
    assert figure(run, "demad_uitstroom_duurzaam", 2020).value == Decimal("25.00")
    assert figure(run, "demad_herinstroom", 2020).value == Decimal("25.00")
    assert figure(run, "demad_duur_mediaan", 2020).value == Decimal("3.00")
    youth = figure(run, "demad_jeugdhulp_leefloon", 2021, ocmw="centrumsteden")
    assert (youth.numerator, youth.denominator) == (4, 6)
    assert AuditEntry.objects.filter(action="social.benchmark_computed").exists()


def test_default_rules_withhold_every_figure_of_so_few_people(two_cities):
    run = run_benchmark(None)
    work = figure(run, "demad_uitstroom_werk", 2020)
    assert work.suppression == PRIMARY
    assert (work.value, work.numerator, work.denominator) == (None, None, None)
    hidden = Figure.objects.filter(run=run, suppression__in=[PRIMARY, SECONDARY])
    assert not hidden.exclude(value=None).exists()
    assert not hidden.exclude(numerator=None).exists()


def test_only_the_kenniscentrum_beheerder_runs_the_benchmark(two_cities, make_user):
    for org, role in (("44021", "beheerder"), ("KVS", "bijdrager")):
        with pytest.raises(
            PermissionDenied, match="Alleen een beheerder van het Kenniscentrum"
        ):
            run_benchmark(make_user(org, role, username=f"{org}-{role}-x"))


def test_benchmark_without_leefloon_data_says_so(organisations, data_dir):
    with pytest.raises(NoDataError, match="nog geen leefloongegevens"):
        run_benchmark(None)


def test_publication_sends_city_figures_as_management_information(two_cities):
    from stedenplatform.stats.models import Indicator, Observation

    run = run_benchmark(None, LENIENT)
    indicators, observations = build_series(run)
    assert {i["status"] for i in indicators} == {"intern"}
    assert {o["area"] for o in observations} == {"44021", "11002"}
    assert (
        series_code("demad_herinstroom", "leeftijd", "65+")
        == "demad_herinstroom_lft_65_plus"
    )
    result = publish_run(None, run)
    assert result["indicators"] == len(indicators)
    published = Indicator.objects.get(code="demad_uitstroom_werk")
    assert published.status == "intern" and published.kind == "percentage"
    observation = Observation.objects.get(
        indicator=published, area__code="44021", period__start__year=2020
    )
    assert observation.value == Decimal("75.0") and observation.numerator == 3
    again = publish_run(None, run)
    assert again == result
    run.refresh_from_db()
    assert run.published_at is not None


def test_withheld_figures_reach_the_statistics_module_as_secret(two_cities):
    from stedenplatform.stats.models import Observation

    run = run_benchmark(None)
    publish_run(None, run)
    observations = Observation.objects.filter(indicator__code="demad_uitstroom_werk")
    assert observations.exists()
    assert not observations.exclude(value=None).exists()
    assert set(observations.values_list("missing", flat=True)) <= {
        "geheim",
        "niet_van_toepassing",
    }


def test_benchmark_command_takes_parameters_and_publishes(two_cities, capsys):
    call_command(
        "demad_benchmark",
        parameter=[
            "max_gap_months=0",
            "min_denominator=1",
            "min_numerator=1",
            "protect_complement=nee",
        ],
        publiceren=True,
    )
    run = Figure.objects.latest("run_id").run
    assert run.parameters["max_gap_months"] == 0
    assert run.published_at is not None
    # With no gap allowed, A's spell ends after June without an exit.
    assert figure(run, "demad_uitstroom_werk", 2020).denominator == 4
