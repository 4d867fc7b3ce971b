"""Benchmark: ranking a search over a province-sized catalog (5,000 procedures, more than any province publishes).

Run: .venv/bin/python tests/bench/bench_catalog_search.py   (or `make bench`). Not collected by pytest.
Measures `motcua.catalog.queries.rank` (the part done in Python; the database part is one indexed SELECT of
id, name, search text, popularity) for typical queries, as median milliseconds per query.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

WORDS = (
    "dang ky khai sinh tu ket hon cap ban sao trich luc ho tich chung thuc chu ky hop dong giay phep xay dung "
    "nha o rieng le dat dai chuyen nhuong quyen su dung thanh lap ho kinh doanh thay doi noi dung tro cap xa hoi "
    "hang thang mai tang phi ly lich tu phap giao duc chuyen truong hoc sinh y te hanh nghe kham benh van hoa"
).split()


def main(size: int = 5000) -> float:
    import django

    django.setup()
    from motcua.catalog.queries import rank

    rng = random.Random(7)
    letters = "abcdeghiklmnopqrstuvxy"
    # Real names share a domain vocabulary of a few thousand syllables; the common ones (WORDS) recur often.
    syllables = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 5))) for _ in range(3000)]
    candidates = []
    for pk in range(size):
        name = " ".join(
            rng.choice(WORDS) if rng.random() < 0.4 else rng.choice(syllables)
            for _ in range(rng.randint(3, 12))
        )
        candidates.append((pk, name, f"{name} linh vuc 1.{pk:06d}", rng.randint(0, 100)))
    candidates.append((size, "dang ky khai sinh", "dang ky khai sinh ho tich 1.001193", 90))
    timings = []
    for query in [
        "dang ki khai sinh",
        "khai sinh",
        "chung thuc ban sao",
        "giay phep xay dung nha o",
        "ho kinh doanh",
    ] * 10:
        started = time.perf_counter()
        rank(query, candidates)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(f"rank over {size + 1} procedures: median {median:.1f} ms, max {max(timings):.1f} ms per query")
    return median


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
