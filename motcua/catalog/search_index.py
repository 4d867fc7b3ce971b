"""The in-memory index behind procedure search: words folded and split once, not on every query.

Built from (id, folded name, folded search text, popularity) rows in the catalogue's order; pure Python, no
database, so the ranking is identical on SQLite and PostgreSQL (ADR 0004). It holds:

- postings: word → rows whose name or search text has it (frozensets: a query word's candidates are a union,
  the query's candidates an intersection, both computed in C), and word → {row: first position in the name};
- a deletion neighbourhood: every word, and every word with one letter deleted → vocabulary words. Two words one
  edit apart (a letter replaced, added or removed) always share an entry, so a typo's candidates are a few
  dictionary look-ups instead of a scan of the vocabulary; each candidate is then checked exactly;
- the vocabulary sorted, so the words a prefix starts are one bisection away;
- per row, its place in the order of the sort key's tail (popularity, name, id).

Only the rows that match enough query words are scored, with the same rules and the same sort key as before the
index (tests/catalog/test_search.py keeps that definition and compares): words matched, match quality, share of
the name covered, typed order, name starting with the match, popularity, name, id. The key is packed into one
integer per row, which sorts several times faster than the tuple and in the same order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

EXACT, PREFIX, ONE_EDIT = 3.0, 2.0, 1.5


def one_edit_apart(a: str, b: str) -> bool:
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


def match_score(query_word: str, word: str) -> float:
    """How well one name word matches one query word: exact, prefix (3+ letters), one edit (2+ letters), none."""
    if word == query_word:
        return EXACT
    if len(query_word) >= 3 and word.startswith(query_word):
        return PREFIX
    if len(query_word) >= 2 and len(word) >= 2 and one_edit_apart(query_word, word):
        return ONE_EDIT
    return 0.0


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def query_words(query_folded: str) -> list[str]:
    return query_folded.replace(",", " ").split()


def _coverage_code(distinct: int, length: int) -> int:
    """round(share of the name covered, 3) as an integer in 0..1000 (the same order, exactly)."""
    return round(round(distinct / max(1, length), 3) * 1000)


class SearchIndex:
    def __init__(self, rows: Iterable[tuple[int, str, str, int]]):
        self.ids: list[int] = []
        names: list[str] = []
        popularity: list[int] = []
        self._length: list[int] = []  # words in the name
        self._name_first: dict[str, dict[int, int]] = {}  # word → {row: first position in the name}
        other: dict[str, set[int]] = {}  # word → rows whose search text has it
        for row, (pk, name, text, pop) in enumerate(rows):
            words = name.split()
            for position, word in enumerate(words):
                self._name_first.setdefault(word, {}).setdefault(row, position)
            for word in text.split():
                other.setdefault(word, set()).add(row)
            self.ids.append(pk)
            names.append(name)
            popularity.append(pop)
            self._length.append(len(words))
        self._other = {word: frozenset(rows_) for word, rows_ in other.items()}
        # word → rows whose name or search text has it; the search text normally holds the name, so this is
        # the search text's set itself (shared, not copied) except for unusual rows
        self._rows: dict[str, frozenset[int]] = {}
        for word in self._other.keys() | self._name_first.keys():
            rows_ = self._other.get(word, frozenset())
            named = self._name_first.get(word, {}).keys()
            self._rows[word] = rows_ if named <= rows_ else rows_.union(named)
        self._vocabulary = sorted(self._rows)
        self._known = self._rows.keys()
        neighbours: dict[str, list[str]] = {}
        for word in self._vocabulary:
            for variant in _deletions(word):
                neighbours.setdefault(variant, []).append(word)
        self._neighbours = {variant: tuple(words) for variant, words in neighbours.items()}
        count = len(self.ids)
        # The sort key's tail (popularity, then name, then id) as one integer per row: its place in that order.
        by_tail = sorted(range(count), key=lambda r: (-popularity[r], names[r], self.ids[r]))
        self._tail = [0] * count
        for place, row in enumerate(by_tail):
            self._tail[row] = place
        self._id_by_tail = [self.ids[row] for row in by_tail]
        # No words: by popularity, then name; the sort is stable, so ties keep the catalogue's order.
        self._by_popularity = sorted(range(count), key=lambda r: (-popularity[r], names[r]))
        self._coverage = {
            length: [_coverage_code(d, length) for d in range(length + 1)] for length in set(self._length)
        }

    def __len__(self) -> int:
        return len(self.ids)

    def score_table(self, query_word: str) -> dict[str, float]:
        """match_score of every vocabulary word that matches query_word at all (the others score 0)."""
        table: dict[str, float] = {}
        size = len(query_word)
        if size >= 2:
            seen: set[str] = set()
            for variant in _deletions(query_word):
                for word in self._neighbours.get(variant, ()):
                    if word not in seen:
                        seen.add(word)
                        if len(word) >= 2 and one_edit_apart(query_word, word):
                            table[word] = ONE_EDIT
        if size >= 3:
            vocabulary = self._vocabulary
            index = bisect_left(vocabulary, query_word)
            while index < len(vocabulary) and vocabulary[index].startswith(query_word):
                if len(vocabulary[index]) > size:
                    table[vocabulary[index]] = PREFIX
                index += 1
        if query_word in self._known:
            table[query_word] = EXACT
        return table

    def _levels(self, query_word: str) -> list[tuple[int, list[str]]]:
        """The matching vocabulary words of one query word grouped by score (in quarters), best first."""
        levels: dict[int, list[str]] = {}
        for word, score in self.score_table(query_word).items():
            levels.setdefault(int(score * 4), []).append(word)
        return sorted(levels.items(), reverse=True)

    def _best(self, levels: list[tuple[int, list[str]]], candidates: set[int]) -> dict[int, tuple[int, int]]:
        """For one query word: {candidate row: (best score in quarters, first position of a name word with that
        score)}; a row whose name has no match but whose search text (field, code) has: (half the score, -1)."""
        best: dict[int, tuple[int, int]] = {}
        for quarters, words in levels:
            for word in words:
                first = self._name_first.get(word)
                if first is None:
                    continue
                for row in first.keys() & candidates:
                    position = first[row]
                    previous = best.get(row)
                    if previous is None or (previous[0] == quarters and position < previous[1]):
                        best[row] = (quarters, position)
        left = candidates - best.keys()
        for quarters, words in levels:
            if not left:
                break
            found: set[int] = set()
            for word in words:
                found |= left.intersection(self._other.get(word, ()))
            best.update(dict.fromkeys(found, (quarters // 2, -1)))
            left -= found
        return best

    def rank(self, words: list[str], allowed: set[int] | None = None) -> list[int]:
        """Ids best first for folded query words; allowed: rows left by the filters (None: all)."""
        if not words:
            order = self._by_popularity
            return (
                [self.ids[r] for r in order]
                if allowed is None
                else [self.ids[r] for r in order if r in allowed]
            )
        levels = [self._levels(word) for word in words]
        if len(words) == 1:
            keys = self._keys_of_one(levels[0], allowed)
            keys.sort()
            return [self._id_by_tail[key % len(self.ids)] for key in keys]
        # one word may be missing when three or more are typed; every word must match otherwise
        needed = max(1, len(words) - (1 if len(words) >= 3 else 0))
        rows = self._rows
        hits = [
            set().union(*(rows[word] for _quarters, level in levels_ for word in level)) for levels_ in levels
        ]
        if needed == len(hits):
            candidates = set.intersection(*hits)
        else:  # all but one: the union over each word of the intersection of the others (prefix ∩ suffix)
            prefixes, suffixes = [set(hits[0])], [set(hits[-1])]
            for found in hits[1:-1]:
                prefixes.append(prefixes[-1] & found)
            for found in reversed(hits[1:-1]):
                suffixes.append(suffixes[-1] & found)
            suffixes.reverse()
            candidates = suffixes[0] | prefixes[-1]
            for i in range(1, len(hits) - 1):
                candidates |= prefixes[i - 1] & suffixes[i]
        if allowed is not None:
            candidates &= allowed
        best = [self._best(levels_, candidates) for levels_ in levels]
        keys = self._keys(candidates, best, len(words))
        keys.sort()
        size, id_by_tail = len(self.ids), self._id_by_tail
        return [id_by_tail[key % size] for key in keys]

    def _keys(self, candidates: set[int], best: list[dict[int, tuple[int, int]]], words: int) -> list[int]:
        """The sort key (-words matched, -total score, -coverage, not in typed order, not starting with a match,
        then popularity, name, id) of each candidate as one integer: the same order, sorted much faster."""
        top, size, tail, length, coverage = (
            12 * words,
            len(self.ids),
            self._tail,
            self._length,
            self._coverage,
        )
        if words == 2:  # both words match every candidate: two positions at most
            return self._keys_of_two(best)
        keys = []
        for row in candidates:
            matched = total = 0
            positions = []
            for table in best:
                hit = table.get(row)
                if hit is not None:
                    quarters, position = hit
                    matched += 1
                    total += quarters
                    if position >= 0:
                        positions.append(position)
            in_order = positions == sorted(positions)
            covered = coverage[length[row]][len(set(positions))]
            key = ((words - matched) * (top + 1) + top - total) * 1001 + 1000 - covered
            keys.append(((key * 2 + (not in_order)) * 2 + (0 not in positions)) * size + tail[row])
        return keys

    def _keys_of_two(self, best: list[dict[int, tuple[int, int]]]) -> list[int]:
        """_keys for two query words (the commonest search), without lists: the same integers."""
        size, tail, length, coverage = len(self.ids), self._tail, self._length, self._coverage
        second = best[1]
        keys = []
        for row, (q1, p1) in best[0].items():
            q2, p2 = second[row]
            if p1 >= 0 and p2 >= 0:
                distinct, in_order, starts = 1 if p1 == p2 else 2, p1 <= p2, p1 == 0 or p2 == 0
            elif p1 >= 0 or p2 >= 0:
                distinct, in_order, starts = 1, True, p1 == 0 or p2 == 0
            else:
                distinct, in_order, starts = 0, True, False
            key = (24 - q1 - q2) * 1001 + 1000 - coverage[length[row]][distinct]
            keys.append(((key * 2 + (not in_order)) * 2 + (not starts)) * size + tail[row])
        return keys

    def _keys_of_one(self, levels: list[tuple[int, list[str]]], allowed: set[int] | None) -> list[int]:
        """_keys for one query word (often a short, common one: thousands of rows), straight from the postings
        without building the candidates and their best matches first: the same integers."""
        size, tail, length, coverage = len(self.ids), self._tail, self._length, self._coverage
        keys: list[int] = []
        decided: set[int] = set()
        for quarters, words in levels:  # names, best score first; the earliest word of a score counts
            level: dict[int, int] = {}
            for word in words:
                first = self._name_first.get(word)
                if first is None:
                    continue
                if not level and not decided and allowed is None:
                    level = dict(first)
                    continue
                for row, position in first.items():
                    if row in decided or (allowed is not None and row not in allowed):
                        continue
                    previous = level.get(row)
                    if previous is None or position < previous:
                        level[row] = position
            base = (12 - quarters) * 1001 + 1000
            keys += [
                ((base - coverage[length[r]][1]) * 4 + (p != 0)) * size + tail[r] for r, p in level.items()
            ]
            decided.update(level)
        for quarters, words in levels:  # then search texts (field, code) of the rows left: half the score
            found = set().union(*(self._other.get(word, ()) for word in words)) - decided
            if allowed is not None:
                found &= allowed
            base = (12 - quarters // 2) * 1001 + 1000
            keys += [(base * 4 + 1) * size + tail[r] for r in found]
            decided |= found
        return keys
