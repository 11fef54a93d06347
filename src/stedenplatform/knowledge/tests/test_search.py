import pytest

from stedenplatform.knowledge import queries, search, services
from stedenplatform.knowledge.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(users, plan, organisations):
    actor = users["kvs_beheerder"]

    def make(title, body, **fields):
        values = {
            "kind": "rapport",
            "year": 2025,
            "licence": "CC-BY-4.0",
            "visibility": "publiek",
            "link_url": "https://example.org/x",
        }
        values.update(fields)
        document = Document(title=title, **values)
        document.body_text = body
        return services.create_document(actor, document)

    return [
        make(
            "Betaalbaar wonen",
            "De centrumsteden bouwen nieuwe sociale woningen.",
            theme="wonen",
            organisation=organisations["44021"],
            programme=plan["digi"],
        ),
        make(
            "Woningmarkt in cijfers",
            "Een woning kost meer dan vroeger.",
            theme="wonen",
            year=2024,
            kind="presentatie",
        ),
        make("Klimaatplan", "Renovatie van stadsgebouwen en energie.", theme="klimaat"),
        make(
            "Huurwoningen en huurprijzen",
            "Huur stijgt. " * 40 + "Vooral woningen in de binnenstad.",
            theme="wonen",
        ),
    ]


def test_a_word_finds_its_other_forms(library):
    result = queries.search_documents(None, "woning")
    titles = {d.title for d in result.documents}
    assert "Betaalbaar wonen" in titles  # body says "woningen"
    assert "Woningmarkt in cijfers" in titles  # body says "woning"
    assert "Klimaatplan" not in titles
    assert queries.search_documents(None, "woningen").total == result.total


def test_snippets_mark_the_matching_words(library):
    result = queries.search_documents(None, "woning")
    by_title = {d.title: d for d in result.documents}
    snippet = str(by_title["Betaalbaar wonen"].snippet)
    assert "<mark>woningen</mark>" in snippet


def test_snippet_escapes_html_from_the_document(users):
    document = Document(
        title="Test",
        kind="rapport",
        year=2025,
        licence="CC0-1.0",
        link_url="https://example.org/t",
    )
    document.body_text = "<script>alert(1)</script> over woningen"
    services.create_document(users["kvs_beheerder"], document)
    snippet = str(queries.search_documents(None, "woning").documents[0].snippet)
    assert "<script>" not in snippet
    assert "<mark>woningen</mark>" in snippet


def test_title_matches_rank_above_body_matches(users):
    actor = users["kvs_beheerder"]
    for title, body in [
        ("Verslag", "Een lange tekst die ook over fietsstraten gaat."),
        ("Fietsstraten in de stad", "Een korte tekst."),
        ("Nota", "Over iets anders."),
    ]:
        document = Document(
            title=title,
            kind="rapport",
            year=2025,
            licence="CC0-1.0",
            link_url="https://example.org/f",
        )
        document.body_text = body
        services.create_document(actor, document)
    ranked = queries.search_documents(None, "fietsstraat")
    assert [d.title for d in ranked.documents] == ["Fietsstraten in de stad", "Verslag"]
    assert ranked.documents[0].score > ranked.documents[1].score


def test_exclusion_and_alternatives(library):
    assert queries.search_documents(None, "woningen -sociale").total >= 1
    titles = {
        d.title for d in queries.search_documents(None, "woningen -sociale").documents
    }
    assert "Betaalbaar wonen" not in titles
    either = {
        d.title for d in queries.search_documents(None, "renovatie of huur").documents
    }
    assert {"Klimaatplan", "Huurwoningen en huurprijzen"} <= either


def test_facets_count_within_the_query_and_filter(library):
    result = queries.search_documents(None, "")
    facets = {f.key: {v.value: v.count for v in f.values} for f in result.facets}
    assert facets["thema"] == {"klimaat": 1, "wonen": 3}
    assert facets["jaar"] == {"2025": 3, "2024": 1}
    assert facets["soort"] == {"presentatie": 1, "rapport": 3}
    assert list(facets["organisatie"].values()) == [1]
    assert list(facets["programma"].values()) == [1]
    narrowed = queries.search_documents(None, "", {"thema": "wonen", "jaar": 2024})
    assert [d.title for d in narrowed.documents] == ["Woningmarkt in cijfers"]
    # The year facet still offers 2025 inside the theme, so a choice can widen.
    years = {
        v.value: v.count for f in narrowed.facets if f.key == "jaar" for v in f.values
    }
    assert years == {"2025": 2, "2024": 1}


def test_filters_ignore_bad_values():
    assert queries.parse_filters({"jaar": "twintig", "soort": "rapport"}) == {
        "soort": "rapport"
    }


def test_query_with_only_punctuation_finds_nothing_without_error(library):
    assert queries.search_documents(None, '"" -- ?!').total == 0


def test_stemming_is_applied_to_index_and_query():
    assert search.stem_text("Sociale woningen") == "social woon"
    assert (
        search.fts5_expression(search.parse_query('"sociale woning"'))
        == '"social woon"'
    )


def test_search_within_a_collection(users, plan):
    from stedenplatform.knowledge.models import Collection

    library = Collection.objects.create(
        code="bibliotheek-gdpr", name="Bibliotheek GDPR"
    )
    for title, collection in [
        ("Register in de bibliotheek", library),
        ("Register elders", None),
    ]:
        document = Document(
            title=title,
            kind="standaarddocument",
            year=2026,
            licence="CC0-1.0",
            link_url="https://example.org/r",
            collection=collection,
            library_status="concept" if collection else "",
        )
        services.create_document(users["kvs_beheerder"], document)
    for user in (None, users["gent_lezer"], users["kvs_beheerder"]):
        found = queries.search_documents(
            user, "register", {"collectie": "bibliotheek-gdpr"}
        )
        assert [d.title for d in found.documents] == ["Register in de bibliotheek"]
    assert queries.search_documents(None, "register").total == 2


def test_module_examples_hold():
    import doctest

    from stedenplatform.knowledge import schedule

    for module in (search, schedule):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0


def test_cached_results_follow_every_change(users, plan):
    actor = users["kvs_beheerder"]
    document = Document(
        title="Nota",
        kind="rapport",
        year=2026,
        licence="CC0-1.0",
        visibility="leden",
        link_url="https://example.org/n",
    )
    document.body_text = "Over deelfietsen."
    services.create_document(actor, document)
    assert queries.search_documents(None, "deelfietsen").total == 0
    assert queries.search_documents(None, "deelfietsen").total == 0
    document.visibility = "publiek"
    services.update_document(actor, document)
    assert queries.search_documents(None, "deelfietsen").total == 1
    document.visibility = "werkgroep"
    document.group = plan["gdpr"]
    services.update_document(actor, document)
    assert queries.search_documents(users["gent_lezer"], "deelfietsen").total == 1
    plan["gdpr"].members.remove(users["gent_lezer"].memberships.get().organisation)
    assert queries.search_documents(users["gent_lezer"], "deelfietsen").total == 0
    services.delete_document(actor, document)
    assert queries.search_documents(actor, "deelfietsen").total == 0
