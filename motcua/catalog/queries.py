"""Procedure search as Vietnamese users type, ranked the same way on SQLite and PostgreSQL.

Each process keeps the current procedures in memory, indexed (motcua.catalog.search_index: words folded once,
postings, typo neighbourhoods), with the rows of each level, online level and field. Every search first asks the
database for the catalogue stamp (one aggregate query); when it differs from the one the index was built at,
the index is built again, so a change made by any process is seen by the next search everywhere. Filters by
field and agency ask the database which field or agency the slug or code names (both are editable); the rest
is plain Python over the index, so results are identical on every database (ADR 0004).

Matching: both sides folded (no diacritics, đ → d, lower case); each query word matches a name word exactly,
as a prefix (3+ letters), or with one typo (one letter replaced, added or removed; "ki" ↔ "ky"); word order is
free. Ranking prefers more query words matched, then a name covered by the query (shorter, closer names first),
then words in the typed order, then popularity.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from motcua.catalog.models import Field, OnlineLevel, Procedure, ProcedureVersion
from motcua.catalog.search_index import SearchIndex, query_words
from motcua.core.text import fold

PAGE_SIZE = 20


def rank(query: str, candidates: list[tuple[int, str, str, int]]) -> list[int]:
    """candidates: (id, folded name, folded search text, popularity) → ids, best first. Pure: no database."""
    return SearchIndex(candidates).rank(query_words(fold(query)))


# --- the index, kept per process and checked against the catalogue on every search -------------------------


@dataclass(frozen=True)
class _Catalog:
    """The current procedures (active, with a version) of one catalogue state: the search index, and the rows
    of each filter value (level, online level, field), and the row of each current version (for agencies)."""

    index: SearchIndex
    by_level: dict[str, frozenset[int]]
    by_online: dict[str, frozenset[int]]
    online_yes: frozenset[int]
    by_field: dict[int, frozenset[int]]
    row_of_version: dict[int, int]


_generation = 0  # bumped by search_index_invalidate() in this process
_cached: tuple[tuple, _Catalog] | None = None


def search_index_invalidate() -> None:
    """The importer and the admin call this after writing procedures: this process rebuilds at its next search
    whatever the stamp says. Other processes see the change at their next search through the catalogue stamp."""
    global _generation
    _generation += 1


def _catalog_stamp() -> tuple:
    """One aggregate over the procedure table that changes whenever what the index holds changes: a procedure
    added or deleted (count, largest id); a new version (its id is larger than the one it replaces), which is the
    only way name, field, level and online level change (ADR 0004: the importer copies them from the version,
    the admin shows them read-only); popularity or active changed, in an import or the admin (weighted by the id,
    so that changes to two procedures practically never cancel out). Plain SQL, valid on SQLite and PostgreSQL:
    one scan of the procedure table and no query compilation, 1–2 ms at 6,000 procedures."""
    quote = connection.ops.quote_name
    sql = (
        "SELECT COUNT(*), MAX({id}), SUM({version}), SUM((2 * {popularity} + CASE WHEN {active} THEN 1 ELSE 0 END)"
        " * {id}) FROM {table}"
    ).format(
        table=quote(Procedure._meta.db_table),
        id=quote("id"),
        version=quote(Procedure._meta.get_field("current_version").column),
        popularity=quote("popularity"),
        active=quote("active"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _group(values: list) -> dict:
    groups: dict = {}
    for row, value in enumerate(values):
        groups.setdefault(value, set()).add(row)
    return {value: frozenset(rows) for value, rows in groups.items()}


def _catalog() -> _Catalog:
    """Built once per catalogue change in each process (a few hundred milliseconds at 6,000 procedures), then
    checked with the stamp on every search."""
    global _cached
    key = (connection.alias, connection.settings_dict["NAME"], _generation, _catalog_stamp())
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    rows = list(
        Procedure.objects.filter(active=True, current_version__isnull=False)
        .order_by("national_code")
        .values_list(
            "id",
            "name",
            "search_text",
            "popularity",
            "level",
            "online_level",
            "field_id",
            "current_version_id",
        )
    )
    online = [row[5] for row in rows]
    catalog = _Catalog(
        index=SearchIndex((pk, fold(name), text, popularity) for pk, name, text, popularity, *_rest in rows),
        by_level=_group([row[4] for row in rows]),
        by_online=_group(online),
        online_yes=frozenset(i for i, value in enumerate(online) if value != OnlineLevel.NONE),
        by_field=_group([row[6] for row in rows]),
        row_of_version={row[7]: i for i, row in enumerate(rows)},
    )
    _cached = (key, catalog)
    return catalog


def procedures_filtered(*, field: str = "", level: str = "", agency: str = "", online: str = "") -> QuerySet:
    """The filters as a queryset (what procedure_search applies, from its index, with the same meaning)."""
    procedures = Procedure.objects.filter(active=True, current_version__isnull=False)
    if field:
        procedures = procedures.filter(field__slug=field)
    if level:
        procedures = procedures.filter(level=level)
    if online == "yes":
        procedures = procedures.exclude(online_level="none")
    elif online:
        procedures = procedures.filter(online_level=online)
    if agency:
        procedures = procedures.filter(current_version__agencies__code=agency).distinct()
    return procedures


def _allowed(catalog: _Catalog, *, field: str, level: str, agency: str, online: str) -> set[int] | None:
    """The rows the filters leave (None: no filter), with the meaning of procedures_filtered. Level and online
    level come from the index (they change only with a new version, which changes the stamp). A field's slug
    and a version's agencies can be edited in the admin without touching procedures, so those two are asked of
    the database, one small query each, and are always current."""
    if not (field or level or agency or online):
        return None
    empty: frozenset[int] = frozenset()
    sets: list[frozenset[int] | set[int]] = []
    if field:
        field_id = Field.objects.filter(slug=field).values_list("id", flat=True).first()
        sets.append(catalog.by_field.get(field_id, empty))
    if level:
        sets.append(catalog.by_level.get(level, empty))
    if online == "yes":
        sets.append(catalog.online_yes)
    elif online:
        sets.append(catalog.by_online.get(online, empty))
    if agency:
        links = ProcedureVersion.agencies.through.objects.filter(agency__code=agency)
        versions = links.values_list("procedureversion_id", flat=True)
        row_of_version = catalog.row_of_version
        sets.append({row_of_version[v] for v in versions if v in row_of_version})
    sets.sort(key=len)
    return set(sets[0]).intersection(*sets[1:])


def procedure_search(
    *, q: str = "", field: str = "", level: str = "", agency: str = "", online: str = ""
) -> list[int]:
    """Ids of matching current procedures, best first. One query (the catalogue stamp), one more for a field or
    an agency filter; the ranking runs over the cached index (built again only after a catalogue change)."""
    catalog = _catalog()
    allowed = _allowed(catalog, field=field, level=level, agency=agency, online=online)
    return catalog.index.rank(query_words(fold(q)), allowed)


def procedures_page(ids: list[int], page: int) -> tuple[list[Procedure], int]:
    """One page of procedures in the ranked order, with the number of pages. No N+1: one query, procedures with
    their field: what a list of results shows (the portal's search page, the API). The current version is not
    joined (a 3-table join, three JSON columns per row); a list that needs it adds it to select_related here."""
    pages = max(1, -(-len(ids) // PAGE_SIZE))
    page = min(max(1, page), pages)
    chunk = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    objects = Procedure.objects.select_related("field").order_by().in_bulk(chunk)
    return [objects[pk] for pk in chunk if pk in objects], pages


def procedure_detail(code: str) -> Procedure | None:
    return (
        Procedure.objects.filter(national_code=code, active=True, current_version__isnull=False)
        .select_related("field", "current_version")
        .prefetch_related("current_version__cases", "current_version__documents", "current_version__fees")
        .first()
    )
