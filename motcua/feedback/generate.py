"""Sample feedback reports in bulk, for benchmarks and for trying the dashboard with a province's real volume.

    made = feedback_generate(count=500_000, seed=7)     # or: motcua generate --feedback 500000

Reports are spread over the last 365 days in id order (as a live system fills its table), in every category of the
installation and every commune of the province, through every channel; 40 % published, 20 % closed, 15 % in
progress, 15 % routed, 10 % just received. Each routed report has its agency's share (the category's routing rule for
its commune, or the category's default), accepted and answered as its state says; answers come 1–20 days after
receipt against a 14-day deadline (so some are late); closed reports carry the reporter's rating (four in five
satisfied). No photos, audit events or notifications. PostgreSQL: two `INSERT … SELECT` over `generate_series` on the
server (500,000 reports in about a minute); SQLite: `bulk_create` in batches.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

STATUS_MIX = ["published"] * 8 + ["closed"] * 4 + ["in_progress"] * 3 + ["routed"] * 3 + ["received"] * 2
Progress = Callable[[int, int], None]

# Codes 'PA' + the row number in base 16 over 16 letters of the report alphabet: unique by construction, and never
# equal to a live code (those start with two digits of the year).
_REPORTS_SQL = """
WITH rows AS (
    SELECT g AS i,
           now() - make_interval(mins => ((%(count)s - g)::bigint * 365 * 24 * 60 / %(count)s)::int) AS received,
           (ARRAY['published','published','published','published','closed','closed','in_progress',
                  'in_progress','routed','received'])[1 + (hashint4(g + %(seed)s) & 2147483647) %% 10]::text AS st,
           hashint4(g + 7 + %(seed)s) & 2147483647 AS h
    FROM generate_series(%(first)s, %(first)s + %(count)s - 1) AS g
)
INSERT INTO feedback_report (
    code, public_id, kind, channel, status, revision, title, description, address, lat, lon, attributes,
    anonymous, reporter_name, reporter_phone, reporter_email, notify_channels, agencies_label, reject_reason,
    return_reason, answer, public_description, is_public, reopened_count, received_at, updated_at, routed_at,
    due_at, answered_at, published_at, satisfied, category_id, commune_id)
SELECT 'PA' || translate(lpad(to_hex(i), 8, '0'), '0123456789abcdef', 'ABCDEFGHJKLMNPQR'),
       gen_random_uuid(), 'field', (ARRAY['web','phone','zalo','email','api'])[1 + h %% 5], st, 1, '',
       'Ổ gà lớn giữa đường, xe máy dễ té ngã vào ban đêm.', 'Khu phố ' || (1 + h %% 9),
       10.95 + ((h / 7) %% 6001 - 3000) / 10000.0, 106.84 + ((h / 11) %% 6001 - 3000) / 10000.0, '{}',
       false, 'Nguyễn Văn A', '0912345678', '', '["sms"]', '', '', '',
       CASE WHEN st IN ('published', 'closed') THEN 'Đã xử lý xong.' ELSE '' END,
       CASE WHEN st IN ('published', 'closed') THEN 'Ổ gà lớn giữa đường.' ELSE '' END,
       st IN ('published', 'closed'), 0, received, received,
       CASE WHEN st <> 'received' THEN received + interval '3 minutes' END,
       received + interval '14 days',
       CASE WHEN st IN ('published', 'closed') THEN received + make_interval(days => 1 + (h / 19) %% 20) END,
       CASE WHEN st IN ('published', 'closed') THEN received + make_interval(days => 2 + (h / 19) %% 20) END,
       CASE WHEN st = 'closed' THEN (h / 23) %% 5 <> 0 END,
       (%(categories)s::bigint[])[1 + (h / 13) %% cardinality(%(categories)s::bigint[])],
       (%(communes)s::bigint[])[1 + (h / 17) %% cardinality(%(communes)s::bigint[])]
FROM rows ORDER BY i
"""

# One share per routed report: the rule for its category and commune, else the category's default rule.
_SHARES_SQL = """
INSERT INTO feedback_assignment (
    report_id, agency_id, state, assigned_at, accepted_at, answered_at, due_at, claim_due_at, answer, return_reason)
SELECT r.id, COALESCE(local.agency_id, fallback.agency_id),
       CASE r.status WHEN 'routed' THEN 'pending' WHEN 'in_progress' THEN 'accepted' ELSE 'answered' END,
       r.routed_at, CASE WHEN r.status <> 'routed' THEN r.routed_at + interval '1 hour' END,
       r.answered_at, r.due_at, r.routed_at + interval '1 day',
       CASE WHEN r.answered_at IS NOT NULL THEN r.answer ELSE '' END, ''
FROM feedback_report r
LEFT JOIN feedback_routingrule local ON local.category_id = r.category_id AND local.commune_id = r.commune_id
LEFT JOIN feedback_routingrule fallback ON fallback.category_id = r.category_id AND fallback.commune_id IS NULL
WHERE r.id > %(after)s AND r.status <> 'received' AND COALESCE(local.agency_id, fallback.agency_id) IS NOT NULL
"""


def _choices():
    from motcua.directory.models import AdministrativeUnit
    from motcua.feedback.models import Category

    categories = list(Category.objects.order_by("id").values_list("id", flat=True))
    communes = list(
        AdministrativeUnit.objects.filter(level="commune", province__code=settings.PROVINCE_CODE)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not categories or not communes:
        raise ValueError("Cần có lĩnh vực phản ánh và xã, phường của tỉnh trước khi sinh dữ liệu.")
    return categories, communes


def feedback_generate(*, count: int, seed: int = 7, progress: Progress | None = None) -> int:
    """Add `count` reports (with their shares and ratings); returns how many were made."""
    from motcua.feedback.models import Report

    if count <= 0:
        return 0
    categories, communes = _choices()
    after = Report.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            first = after + 1
            params = {
                "count": count,
                "seed": seed,
                "first": first,
                "categories": categories,
                "communes": communes,
            }
            cursor.execute(_REPORTS_SQL, params)
            cursor.execute(_SHARES_SQL, {"after": after})
            _ratings(after)
        if progress:
            progress(count, count)
        return count
    return _generate_orm(
        count=count, seed=seed, after=after, choices=(categories, communes), progress=progress
    )


_RATINGS_SQL = """
INSERT INTO feedback_rating (report_id, satisfied, comment, created_at)
SELECT id, satisfied, '', published_at + interval '1 day' FROM feedback_report
WHERE id > %(after)s AND status = 'closed' AND satisfied IS NOT NULL
"""


def _ratings(after: int) -> None:
    """The reporter's rating of each closed report, a day after publication."""
    from motcua.feedback.models import Rating, Report

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_RATINGS_SQL, {"after": after})
        return
    closed = Report.objects.filter(id__gt=after, status="closed", satisfied__isnull=False)
    for pk, ok, published in closed.values_list("id", "satisfied", "published_at"):  # small scales only
        rating = Rating.objects.create(report_id=pk, satisfied=ok)
        Rating.objects.filter(pk=rating.pk).update(created_at=published + timedelta(days=1))


def _generate_orm(*, count, seed, after, choices, progress) -> int:
    from motcua.feedback.models import Assignment, Report, RoutingRule

    rng, (categories, communes), now = random.Random(seed), choices, timezone.now()
    rules = {(r.category_id, r.commune_id): r.agency_id for r in RoutingRule.objects.all()}
    made = 0
    while made < count:
        reports = [
            _report(rng, now, categories, communes, index=made + k, count=count, offset=after)
            for k in range(min(2000, count - made))
        ]
        Report.objects.bulk_create(reports)
        shares = []
        fresh = (
            Report.objects.filter(id__gt=after).exclude(status="received").exclude(assignments__isnull=False)
        )
        for report in fresh:
            agency = rules.get((report.category_id, report.commune_id)) or rules.get(
                (report.category_id, None)
            )
            if agency:
                shares.append(_share(report, agency))
        Assignment.objects.bulk_create(shares)
        made += len(reports)
        if progress:
            progress(made, count)
    _ratings(after)
    return made


def _report(rng, now, categories, communes, *, index: int, count: int, offset: int):
    from motcua.feedback.models import Report

    status = rng.choice(STATUS_MIX)
    received = now - timedelta(minutes=(count - index) * 365 * 24 * 60 // count)
    done = status in {"published", "closed"}
    answered = received + timedelta(days=rng.randint(1, 20)) if done else None
    return Report(
        code=f"PG{offset + index + 1:010d}", kind="field", channel=rng.choice(["web", "phone", "zalo", "email", "api"]),
        status=status, description="Ổ gà lớn giữa đường, xe máy dễ té ngã vào ban đêm.",
        public_description="Ổ gà lớn giữa đường." if done else "", answer="Đã xử lý xong." if done else "",
        is_public=done, category_id=rng.choice(categories), commune_id=rng.choice(communes),
        address=f"Khu phố {rng.randint(1, 9)}", lat=Decimal("10.95") + Decimal(rng.randint(-3000, 3000)) / 10000,
        lon=Decimal("106.84") + Decimal(rng.randint(-3000, 3000)) / 10000, reporter_name="Nguyễn Văn A",
        reporter_phone="0912345678", received_at=received, updated_at=received,
        routed_at=None if status == "received" else received + timedelta(minutes=3),
        due_at=received + timedelta(days=14), answered_at=answered,
        published_at=answered + timedelta(days=1) if answered else None,
        satisfied=(rng.random() < 0.8) if status == "closed" else None,
    )  # fmt: skip


def _share(report, agency_id: int):
    from motcua.feedback.models import Assignment

    state = {"routed": "pending", "in_progress": "accepted"}.get(report.status, "answered")
    return Assignment(
        report=report, agency_id=agency_id, state=state, assigned_at=report.routed_at,
        accepted_at=None if state == "pending" else report.routed_at + timedelta(hours=1),
        answered_at=report.answered_at, due_at=report.due_at, claim_due_at=report.routed_at + timedelta(days=1),
        answer=report.answer,
    )  # fmt: skip
