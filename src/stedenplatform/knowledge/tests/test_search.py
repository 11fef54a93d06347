from collections import Counter

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


@pytest.fixture
def many(users):
    """45 documents about bike lanes: a third in the title, the rest in the
    body with 1 to 3 mentions; every fifth only for members."""
    actor = users["kvs_beheerder"]
    made = []
    for number in range(45):
        in_title = number % 3 == 0
        document = Document(
            title=f"Fietsstraat {number}" if in_title else f"Nota {number}",
            kind="rapport" if number % 2 else "gids",
            year=2020 + number % 4,
            licence="CC0-1.0",
            visibility="leden" if number % 5 == 4 else "publiek",
            link_url=f"https://example.org/m{number}",
        )
        document.body_text = "Over fietsstraten. " * (1 + number % 3) + "Einde."
        made.append(services.create_document(actor, document))
    return made


def _pages(user, text, filters, page_size):
    first = queries.search_documents(user, text, filters, page_size=page_size)
    documents = list(first.documents)
    for page in range(2, first.pages + 1):
        documents += queries.search_documents(
            user, text, filters, page=page, page_size=page_size
        ).documents
    return first, documents


def test_pages_follow_one_ranking_of_all_matches(many):
    public = [d for d in many if d.visibility == "publiek"]
    first, paged = _pages(None, "fietsstraat", {}, 7)
    assert first.total == len(public) == 36
    assert first.pages == 6
    whole = queries.search_documents(None, "fietsstraat", page_size=100).documents
    assert [d.pk for d in paged] == [d.pk for d in whole]
    assert {d.pk for d in paged} == {d.pk for d in public}
    keys = [(-d.score, -d.pk) for d in paged]
    assert keys == sorted(keys)
    # Title matches come first, and equal scores are ordered newest first.
    assert all("Fietsstraat" in d.title for d in paged[:12])
    assert any(a.score == b.score for a, b in zip(paged, paged[1:], strict=False))


def test_a_page_past_the_end_shows_the_last_page(many):
    last = queries.search_documents(None, "fietsstraat", page=99, page_size=10)
    assert (last.page, last.pages, len(last.documents)) == (4, 4, 6)


def test_facets_and_pages_of_a_query_with_filters(many, users):
    filters = {"soort": "gids", "jaar": 2020}
    expected = [d for d in many if d.visibility == "publiek" and d.kind == "gids"]
    first, paged = _pages(None, "fietsstraat", filters, 2)
    assert {d.pk for d in paged} == {d.pk for d in expected if d.year == 2020}
    assert first.total == len(paged)
    facets = {f.key: {v.value: v.count for v in f.values} for f in first.facets}
    # Each facet counts with the other selections applied.
    years = Counter(str(d.year) for d in expected)
    assert facets["jaar"] == dict(years)
    kinds = Counter(
        d.kind for d in many if d.visibility == "publiek" and d.year == 2020
    )
    assert facets["soort"] == dict(kinds)
    assert facets["thema"] == {}
    # A member also sees the documents for members, in count, facets and pages.
    member = queries.search_documents(users["gent_lezer"], "fietsstraat")
    assert member.total == 45
    assert (
        sum(v.count for f in member.facets if f.key == "jaar" for v in f.values) == 45
    )


def test_nothing_matches_gives_no_pages_and_empty_facets(many):
    result = queries.search_documents(None, "onbestaandwoord")
    assert (result.total, result.pages, result.documents) == (0, 1, [])
    assert all(f.values == [] for f in result.facets)
