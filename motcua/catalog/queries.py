"""Procedure search as Vietnamese users type, ranked the same way on SQLite and PostgreSQL.

The database narrows by filters (field, level, agency, online level) and returns (id, folded name text); the
ranking happens here, in Python, over that candidate set — a province publishes a few thousand procedures, so
this is a few milliseconds and gives identical results on every database (ADR 0004).

Matching: both sides folded (no diacritics, đ → d, lower case); each query word matches a name word exactly,
as a prefix (3+ letters), or with one typo (one letter replaced, added or removed; "ki" ↔ "ky"); word order is
free. Ranking prefers more query words matched, then a name covered by the query (shorter, closer names first),
then words in the typed order, then popularity.
"""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.catalog.models import Procedure
from motcua.core.text import fold

PAGE_SIZE = 20


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < 3:
        return False
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _match_score(query_word: str, word: str) -> float:
    if word == query_word:
        return 3.0
    if len(query_word) >= 3 and word.startswith(query_word):
        return 2.0
    if len(query_word) >= 2 and len(word) >= 2 and _one_edit_apart(query_word, word):
        return 1.5
    return 0.0


def _score_table(query_word: str, vocabulary: set[str], by_length: dict[int, list[str]]) -> dict[str, float]:
    """Scores of the vocabulary's words for one query word. Only words of a near length can be one edit apart,
    and only longer words can have it as a prefix, so most of the vocabulary is never compared."""
    table: dict[str, float] = {}
    size = len(query_word)
    if size >= 2:
        for length in (size - 1, size, size + 1):
            for word in by_length.get(length, ()):
                if len(word) >= 2 and _one_edit_apart(query_word, word):
                    table[word] = 1.5
    if size >= 3:
        for word in vocabulary:
            if len(word) > size and word.startswith(query_word):
                table[word] = 2.0
    if query_word in vocabulary:
        table[query_word] = 3.0
    return table


def _best(scores: dict[str, float], words: list[str]) -> tuple[float, int]:
    """Best match of one query word among words, from its precomputed score table: (score, position)."""
    best, position = 0.0, -1
    for index, word in enumerate(words):
        score = scores.get(word, 0.0)
        if score > best:
            best, position = score, index
    return best, position


def rank(query: str, candidates: list[tuple[int, str, str, int]]) -> list[int]:
    """candidates: (id, folded name, folded search text, popularity) → ids, best first."""
    words = fold(query).replace(",", " ").split()
    if not words:
        return [c[0] for c in sorted(candidates, key=lambda c: (-c[3], c[1]))]
    split = [(pk, name, name.split(), text.split(), popularity) for pk, name, text, popularity in candidates]
    vocabulary = {word for _pk, _name, name_words, other, _pop in split for word in (*name_words, *other)}
    # One score table per query word over the vocabulary (a few thousand words), then only lookups per candidate.
    by_length: dict[int, list[str]] = {}
    for word in vocabulary:
        by_length.setdefault(len(word), []).append(word)
    tables = [_score_table(q, vocabulary, by_length) for q in words]
    needed = max(1, len(words) - (1 if len(words) >= 3 else 0))
    ranked = []
    for pk, name, name_words, other_words, popularity in split:
        present = set(name_words).union(other_words)
        if sum(1 for table in tables if not present.isdisjoint(table)) < needed:
            continue  # cheap set test first: most candidates stop here
        matched, total, positions = 0, 0.0, []
        for table in tables:
            score, position = _best(table, name_words)
            if score == 0:
                score = _best(table, other_words)[0] * 0.5  # field name or code
            if score:
                matched += 1
                total += score
                if position >= 0:
                    positions.append(position)
        if matched < needed:
            continue  # every word must match (one may be missing when three or more are typed)
        coverage = len(set(positions)) / max(1, len(name_words))
        in_order = positions == sorted(positions)
        starts = bool(positions) and min(positions) == 0
        ranked.append(
            (-matched, -round(total, 2), -round(coverage, 3), not in_order, not starts, -popularity, name, pk)
        )
    ranked.sort()
    return [item[-1] for item in ranked]


def procedures_filtered(*, field: str = "", level: str = "", agency: str = "", online: str = "") -> QuerySet:
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


def procedure_search(
    *, q: str = "", field: str = "", level: str = "", agency: str = "", online: str = ""
) -> list[int]:
    """Ids of matching current procedures, best first."""
    candidates = list(
        procedures_filtered(field=field, level=level, agency=agency, online=online).values_list(
            "id", "name", "search_text", "popularity"
        )
    )
    return rank(q, [(pk, fold(name), text, pop) for pk, name, text, pop in candidates])


def procedures_page(ids: list[int], page: int) -> tuple[list[Procedure], int]:
    """One page of procedures in the ranked order, with the number of pages. No N+1: one query."""
    pages = max(1, -(-len(ids) // PAGE_SIZE))
    page = min(max(1, page), pages)
    chunk = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    objects = Procedure.objects.select_related("field", "current_version").in_bulk(chunk)
    return [objects[pk] for pk in chunk if pk in objects], pages


def procedure_detail(code: str) -> Procedure | None:
    return (
        Procedure.objects.filter(national_code=code, active=True, current_version__isnull=False)
        .select_related("field", "current_version")
        .prefetch_related("current_version__cases", "current_version__documents", "current_version__fees")
        .first()
    )
