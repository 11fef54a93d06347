"""Dutch full-text search over the Kennisbank on PostgreSQL and on SQLite.

PostgreSQL does the work itself: a weighted tsvector in the 'dutch' text
search configuration (title A, summary and theme B, body C), a GIN index,
`websearch_to_tsquery`, `ts_rank` and `ts_headline`. SQLite has FTS5 but no
Dutch tokenizer, so both the indexed text and the query go through the
Snowball Dutch stemmer here ("woningen" and "woning" both become "woon"),
FTS5's bm25 ranks with the same weights, and the snippet is cut in Python.

The query language is the same on both: words are combined with AND, "..."
is a phrase, a leading minus excludes a word and "of"/"or" between two words
accepts either.
"""

import hashlib
import html
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.db.models import Count, F, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Left
from django.utils.safestring import SafeString, mark_safe

FTS_TABLE = "knowledge_document_fts"
# Title counts most, then the summary, then the body; the same order as the
# A/B/C weights of the PostgreSQL vector.
BM25_WEIGHTS = (10.0, 4.0, 1.0)
SNIPPET_WORDS = 32
HEADLINE_SOURCE_CHARS = 60_000
WORD_RE = re.compile(r"\w+", re.UNICODE)
QUERY_RE = re.compile(r'(-?)"([^"]*)"|(\S+)')

_stemmer = snowballstemmer.stemmer("dutch")
_stemmer_lock = threading.Lock()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the Snowball Dutch stem of one lower-case word.

    >>> stem("woningen") == stem("woning")
    True
    """
    with _stemmer_lock:
        return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def stem_text(text: str) -> str:
    """Return the text as space-separated stems, the form FTS5 indexes."""
    return " ".join(stem(w) for w in words(text))


@dataclass
class ParsedQuery:
    """A search query: groups of alternatives that must all match."""

    groups: list[list[list[str]]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def stems(self) -> set[str]:
        found = set()
        for group in self.groups:
            for phrase in group:
                found.update(phrase)
        return found


def parse_query(text: str) -> ParsedQuery:
    """Split a query into phrases of stems, alternatives and exclusions.

    >>> parse_query('woningen -huur "sociale woning" of wonen').groups
    [[['woon']], [['social', 'woon'], ['woon']]]
    """
    parsed = ParsedQuery()
    join_next = False
    for minus, quoted, bare in QUERY_RE.findall(text or ""):
        if bare and bare.lower() in {"of", "or"}:
            join_next = bool(parsed.groups)
            continue
        if bare:
            negative = bare.startswith("-") and len(bare) > 1
            raw = bare.lstrip("-")
        else:
            negative, raw = bool(minus), quoted
        phrase = [stem(w) for w in words(raw)]
        if not phrase:
            continue
        if negative:
            parsed.excluded.append(phrase)
        elif join_next:
            parsed.groups[-1].append(phrase)
        else:
            parsed.groups.append([phrase])
        join_next = False
    return parsed


def fts5_expression(parsed: ParsedQuery) -> str:
    """Translate a parsed query into an FTS5 MATCH expression.

    >>> fts5_expression(parse_query('woningen of huur -koop'))
    '("woon" OR "huur") NOT "koop"'
    """

    def quote(phrase: list[str]) -> str:
        return '"' + " ".join(phrase) + '"'

    parts = []
    for group in parsed.groups:
        alternatives = [quote(p) for p in group]
        parts.append(
            alternatives[0]
            if len(alternatives) == 1
            else "(" + " OR ".join(alternatives) + ")"
        )
    expression = " AND ".join(parts) if len(parts) > 1 else parts[0]
    for phrase in parsed.excluded:
        expression += " NOT " + quote(phrase)
    return expression


def websearch_text(text: str) -> str:
    """The query for websearch_to_tsquery, with Dutch 'of' read as 'or'."""
    return re.sub(r"(?i)(?<=\s)of(?=\s)", "or", text or "")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index_documents(ids: list[int]) -> None:
    """Bring the index of these documents in line with their rows."""
    from .models import Document

    if not ids:
        return
    _bump_version()
    if is_postgres():
        from django.contrib.postgres.search import SearchVector

        vector = (
            SearchVector("title", weight="A", config="dutch")
            + SearchVector("summary", "theme", "authors", weight="B", config="dutch")
            + SearchVector("body_text", weight="C", config="dutch")
        )
        Document.objects.filter(pk__in=ids).update(search_vector=vector)
        return
    rows = Document.objects.filter(pk__in=ids).values_list(
        "pk", "title", "summary", "theme", "authors", "body_text"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})",
            list(ids),
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) "
            "VALUES (%s, %s, %s, %s)",
            [
                (
                    pk,
                    stem_text(title),
                    stem_text(f"{summary} {theme} {authors}"),
                    stem_text(body),
                )
                for pk, title, summary, theme, authors, body in rows
            ],
        )


def remove_documents(ids: list[int]) -> None:
    """Drop documents from the index; PostgreSQL drops the row's vector itself."""
    if not ids:
        return
    _bump_version()
    if is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})",
            list(ids),
        )


# The SQLite index of the document columns a search reads (migration 0004);
# the planner would otherwise read each match's wide row by its key.
FACET_INDEX = "knowledge_document_search_facets"
# The columns the facets count on, in the order `match_groups` gives them.
FACET_COLUMNS = ("kind", "theme", "year", "programme_id", "organisation_id")


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """Narrow a document queryset to those that match the query."""
    if is_postgres():
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(
            websearch_text(text), config="dutch", search_type="websearch"
        )
        return queryset.filter(search_vector=query)
    parsed = parse_query(text)
    if parsed.is_empty:
        return queryset.none()
    return queryset.filter(
        pk__in=RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            (fts5_expression(parsed),),
        )
    )


def match_groups(queryset: QuerySet, text: str) -> list[tuple]:
    """The matches counted per combination of facet values: rows of
    (kind, theme, year, programme_id, organisation_id, count).

    One grouped query that reads no rank and no text, so the total and every
    facet follow from a few hundred rows however many documents match."""
    if is_postgres():
        return list(
            matching(queryset, text)
            .order_by()
            .values_list(*FACET_COLUMNS)
            .annotate(n=Count("pk"))
        )
    parsed = parse_query(text)
    if parsed.is_empty:
        return []
    condition, params = _where(queryset)
    if condition is None:
        return []
    doc = '"knowledge_document"'
    columns = ", ".join(f"{doc}.{c}" for c in FACET_COLUMNS)
    sql = (
        f"SELECT {columns}, COUNT(*) "
        f"FROM {FTS_TABLE} CROSS JOIN {doc} INDEXED BY {FACET_INDEX} "
        f"ON {doc}.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND ({condition}) GROUP BY {columns}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_expression(parsed), *params])
        return cursor.fetchall()


def ranked_page(
    queryset: QuerySet, text: str, offset: int, limit: int
) -> list[tuple[int, float]]:
    """One page of matches as (pk, score), best first, ties broken by the
    newest id; higher scores are better. The database ranks and keeps only
    the page (a top-N sort), so no list of every match is built."""
    if limit <= 0:
        return []
    if is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(
            websearch_text(text), config="dutch", search_type="websearch"
        )
        return list(
            queryset.filter(search_vector=query)
            .annotate(score=SearchRank(F("search_vector"), query))
            .order_by("-score", "-pk")
            .values_list("pk", "score")[offset : offset + limit]
        )
    parsed = parse_query(text)
    if parsed.is_empty:
        return []
    condition, params = _where(queryset)
    if condition is None:
        return []
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    # FTS5 computes its rank column (bm25 with these weights) while it walks
    # the matches, cheaper than calling bm25() per row from SQL. CROSS JOIN
    # keeps the matches as the outer loop, so each document is looked up by
    # its key; left to the planner it may probe the FTS index once per
    # visible document.
    doc = '"knowledge_document"'
    sql = (
        f"SELECT {doc}.id, -hit.rank AS score FROM ("
        f"SELECT rowid, rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
        f"AND rank MATCH 'bm25({weights})') AS hit "
        f"CROSS JOIN {doc} INDEXED BY {FACET_INDEX} ON {doc}.id = hit.rowid "
        f"WHERE ({condition}) "
        f"ORDER BY hit.rank, {doc}.id DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_expression(parsed), *params, limit, offset])
        return cursor.fetchall()


def cache_key(queryset: QuerySet, *parts) -> str | None:
    """A cache key for a result over this queryset, or None before the
    index exists. It holds the index's epoch and version, so every change
    to the index makes new keys and old results are never read again."""
    state = index_state()
    if state is None:
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return (
        "knowledge-search:"
        + hashlib.sha256(
            repr((connection.vendor, state, sql, params, parts)).encode()
        ).hexdigest()
    )


def index_state() -> tuple | None:
    from .models import SearchIndexState

    return SearchIndexState.objects.filter(pk=1).values_list("epoch", "version").first()


def _bump_version() -> None:
    from .models import SearchIndexState

    if not SearchIndexState.objects.filter(pk=1).update(version=F("version") + 1):
        SearchIndexState.objects.get_or_create(pk=1)


def _where(queryset: QuerySet) -> tuple[str | None, list]:
    """The queryset's condition on the document table as SQL: its own WHERE
    when it joins no other table (the common case), else an id subquery.
    None means that nothing can match."""
    from django.core.exceptions import EmptyResultSet, FullResultSet

    query = queryset.query
    table = queryset.model._meta.db_table
    if any(
        getattr(join, "table_name", table) != table for join in query.alias_map.values()
    ):
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        return f'"{table}".id IN ({sql})', list(params)
    compiler = query.get_compiler(using=queryset.db)
    try:
        where, params = compiler.compile(query.where)
    except FullResultSet:
        return "1 = 1", []
    except EmptyResultSet:
        return None, []
    return where or "1 = 1", list(params)


def snippets(ids: list[int], text: str) -> dict[int, SafeString | None]:
    """Highlighted snippets of these documents for the query."""
    from .models import Document

    if not ids:
        return {}
    if is_postgres():
        from django.contrib.postgres.search import SearchHeadline, SearchQuery

        query = SearchQuery(
            websearch_text(text), config="dutch", search_type="websearch"
        )
        # ts_headline re-parses the text it is given, so it runs on the page's
        # documents only and on the first part of very long bodies.
        headlines = (
            Document.objects.filter(pk__in=ids)
            .annotate(
                headline=SearchHeadline(
                    Coalesce(Left("body_text", HEADLINE_SOURCE_CHARS), Value("")),
                    query,
                    config="dutch",
                    start_sel="\x02",
                    stop_sel="\x03",
                    max_words=SNIPPET_WORDS,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "headline")
        )
        return {pk: _marked(headline or "") for pk, headline in headlines}
    stems = parse_query(text).stems()
    bodies = Document.objects.filter(pk__in=ids).values_list("pk", "body_text")
    return {pk: highlight(body, stems) for pk, body in bodies}


def _marked(headline: str) -> SafeString | None:
    if "\x02" not in headline:
        return None
    escaped = html.escape(headline)
    return mark_safe(escaped.replace("\x02", "<mark>").replace("\x03", "</mark>"))


def highlight(
    text: str, stems: set[str], size: int = SNIPPET_WORDS
) -> SafeString | None:
    """Cut a window of words around the first match and mark the matches.

    Only the first part of a long text is read, as PostgreSQL's headline
    does, so the cost of a snippet does not grow with the document.

    >>> str(highlight("Er zijn te weinig sociale woningen in de stad.", {"woon"}))
    'Er zijn te weinig sociale <mark>woningen</mark> in de stad.'
    """
    if not text or not stems:
        return None
    text = text[:HEADLINE_SOURCE_CHARS]
    before: list[re.Match] = []
    first = None
    for match in WORD_RE.finditer(text):
        if stem(match.group().lower()) in stems:
            first = match
            break
        before.append(match)
    if first is None:
        return None
    lead = before[-(size // 4) :] if size // 4 else []
    window = [*lead, first]
    for match in WORD_RE.finditer(text, first.end()):
        if len(window) >= size:
            break
        window.append(match)
    begin = 0 if len(lead) == len(before) else window[0].start()
    at_end = len(window) < size or window[-1].end() == len(text)
    end = len(text) if at_end else window[-1].end()
    pieces = []
    cursor = begin
    for match in window:
        pieces.append(html.escape(text[cursor : match.start()]))
        word = html.escape(match.group())
        marked = match is first or stem(match.group().lower()) in stems
        pieces.append(f"<mark>{word}</mark>" if marked else word)
        cursor = match.end()
    pieces.append(html.escape(text[cursor:end]))
    snippet = " ".join("".join(pieces).split())
    if begin > 0:
        snippet = "… " + snippet
    if not at_end:
        snippet += " …"
    return mark_safe(snippet)
