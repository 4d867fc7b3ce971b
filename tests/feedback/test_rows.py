"""The hot-path statements (`motcua.core.rows`, ADR 0014) give what the ORM gives, on SQLite and on PostgreSQL (tested
with the feedback models: JSON, UUID, decimals, datetimes, foreign keys; the audit event; the queue row)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import signals
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core.audit import SYSTEM, audit_event_build
from motcua.core.rows import row_get, rows_insert, value_get
from motcua.feedback.models import Category, Report, Status

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def _report(p, **extra) -> Report:
    now = timezone.now().replace(microsecond=123456)
    values = dict(
        code="PA26TEST01", received_at=now, updated_at=now, status=Status.RECEIVED, channel="api", kind="field",
        category=p.traffic, description="Cột đèn đổ chắn ngang đường.", reporter_name="Trần Thị Bình",
        reporter_phone="0912345678", commune=p.commune_a, address="Ấp 3", lat=Decimal("10.945312"),
        lon=Decimal("106.824301"), attributes={"device_id": "máy-1", "n": [1, 2]},
    )  # fmt: skip
    values.update(extra)
    return Report(**values)


def test_row_get_gives_the_instance_the_orm_gives(fb):
    report = _report(fb)
    report.save()
    got = row_get(Report, "code = %s", ["PA26TEST01"])
    expected = Report.objects.get(pk=report.pk)
    assert type(got) is Report and got.pk == report.pk
    assert _fields(got) == _fields(expected)  # JSON, UUID, decimals, aware datetimes, booleans, foreign keys
    assert got.attributes == {"device_id": "máy-1", "n": [1, 2]} and got.lat == Decimal("10.945312")
    assert got.received_at == report.received_at and timezone.is_aware(got.received_at)
    assert got._state.adding is False and got._state.db == "default"
    category = row_get(Category, "code = %s AND active", ["gop-y"])
    assert category.kinds == ["question", "procedure"] and category.anonymous_allowed is True
    assert _fields(category) == _fields(Category.objects.get(code="gop-y"))


def test_row_get_and_value_get_give_none_when_nothing_matches(fb):
    Category.objects.filter(code="gop-y").update(active=False)
    assert row_get(Category, "code = %s AND active", ["gop-y"]) is None
    assert row_get(Category, "code = %s", ["khong-co"]) is None
    assert value_get(f"SELECT id FROM {Category._meta.db_table} WHERE code = %s", ["khong-co"]) is None
    assert (
        value_get(f"SELECT id FROM {Category._meta.db_table} WHERE code = %s", ["gop-y"]) == fb.suggestion.pk
    )


def test_rows_insert_writes_what_save_writes_in_one_round_trip_on_postgresql(fb):
    report = _report(fb)
    with CaptureQueriesContext(connection) as first:
        rows_insert([report])
    assert report.pk is not None and report._state.adding is False
    assert len(first) == 1
    saved = Report.objects.get(pk=report.pk)
    assert _fields(saved) == _fields(report)
    assert saved.public_id == report.public_id  # the model's default, drawn when the instance was built

    events = [
        audit_event_build(action="feedback.report.received", actor=SYSTEM, obj=report, data={"n": 1}),
        audit_event_build(action="feedback.report.received", actor=SYSTEM, obj=report, data={"n": 2}),
    ]
    tricky = "It's 100% \\ “đúng” %s %(x)s $1 E'\\x41'; DROP TABLE feedback_report; --"
    other = _report(fb, code="PA26TEST02", description=tricky, attributes={"q": tricky, "n": None}, lat=None)
    with CaptureQueriesContext(connection) as together:
        rows_insert([events[0], other, events[1]])
    assert len(together) == (1 if connection.vendor == "postgresql" else 3)
    assert events[0].pk < events[1].pk and other.pk > report.pk  # every key set, in order
    for event in events:
        stored = type(event).objects.get(pk=event.pk)
        assert stored.data == event.data and stored.object_id == str(report.pk)
        assert stored.at == event.at  # auto_now_add set on the instance, as save() does
    stored_other = Report.objects.get(pk=other.pk)
    assert _fields(stored_other) == _fields(
        other
    )  # quotes, backslashes, percent signs and NULL kept as they are
    assert stored_other.description == tricky and stored_other.attributes == {"q": tricky, "n": None}


def test_rows_insert_sends_the_save_signals(fb):
    seen = []

    def before(sender, instance, **kwargs):
        seen.append(("pre", instance.code, instance.pk))
        instance.title = "Đặt trước khi ghi"

    def after(sender, instance, created, **kwargs):
        seen.append(("post", instance.code, created))

    signals.pre_save.connect(before, sender=Report)
    signals.post_save.connect(after, sender=Report)
    try:
        report = _report(fb)
        rows_insert([report])
    finally:
        signals.pre_save.disconnect(before, sender=Report)
        signals.post_save.disconnect(after, sender=Report)
    assert seen == [("pre", "PA26TEST01", None), ("post", "PA26TEST01", True)]
    assert Report.objects.get(pk=report.pk).title == "Đặt trước khi ghi"


def test_rows_insert_refuses_an_expression_and_writes_nothing(fb):
    report = _report(fb, updated_at=Now())
    with pytest.raises(TypeError, match="expression"):
        rows_insert([report])
    assert not Report.objects.filter(code="PA26TEST01").exists()


def test_queue_row_is_the_row_enqueue_writes(fb):
    from django_tasks_db.models import DBTaskResult

    from motcua.feedback.tasks import complete_intake, queue_row

    complete_intake.enqueue(41)
    by_library = DBTaskResult.objects.get()
    row = queue_row(complete_intake, 42)
    rows_insert([row])
    ours = DBTaskResult.objects.get(pk=row.pk)
    differing = {"id", "enqueued_at", "args_kwargs"}
    assert {k: v for k, v in _fields(ours).items() if k not in differing} == {
        k: v for k, v in _fields(by_library).items() if k not in differing
    }
    assert ours.args_kwargs == {"args": [42], "kwargs": {}}
    assert abs(ours.enqueued_at - by_library.enqueued_at) < timedelta(seconds=5)
    assert DBTaskResult.objects.ready().filter(pk=row.pk).exists()  # "run now", set by the model's pre_save
    assert ours.task_result.args == [42] and ours.task.func is complete_intake.func


@pytest.mark.django_db(transaction=True)
def test_rows_together_are_all_or_nothing_outside_a_transaction(fb):
    from motcua.core.rows import rows_together_possible

    assert rows_together_possible() is (connection.vendor == "postgresql")
    with transaction.atomic():
        assert rows_together_possible() is False  # inside a transaction the caller's COMMIT decides
    if connection.vendor != "postgresql":
        return  # SQLite writes one statement at a time: callers use a transaction there
    first, clash = (
        _report(fb, code="PA26TEST03"),
        _report(fb, code="PA26TEST03"),
    )  # the second breaks the unique code
    event = audit_event_build(action="feedback.report.received", actor=SYSTEM, obj=None, data={})
    with pytest.raises(IntegrityError):
        rows_insert([first, event, clash])
    assert not Report.objects.filter(code="PA26TEST03").exists()
    assert not type(event).objects.filter(action="feedback.report.received").exists()


@pytest.mark.django_db(transaction=True)
def test_report_submit_writes_in_one_round_trip_and_draws_a_new_code_on_a_collision(
    fb, field_data, monkeypatch
):
    from motcua.core.audit import audit_events_for
    from motcua.feedback import intake
    from tests.feedback.conftest import jpeg_bytes

    taken = intake.report_submit(actor=SYSTEM, channel="web", data=field_data)
    codes = iter([taken.code, "PA26FRESH1"])
    monkeypatch.setattr(intake, "report_code_new", lambda: next(codes))
    category = Category.objects.get(code="giao-thong")
    with CaptureQueriesContext(connection) as queries:
        report = intake.report_submit(
            actor=SYSTEM, channel="web", data={**field_data, "category": category},
            photos=[intake.Photo("a.jpg", jpeg_bytes())],
        )  # fmt: skip
    assert report.code == "PA26FRESH1" and Report.objects.count() == 2
    stored = Report.objects.get(code="PA26FRESH1")
    assert stored.photos.count() == 1 and audit_events_for(stored).count() == 1
    photo_dir = stored.photos.get().file.path.rsplit("/", 1)[0]
    import os

    assert os.listdir(photo_dir) == [
        os.path.basename(stored.photos.get().file.name)
    ]  # the first try's file removed
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(args_kwargs__args=[stored.pk]).count() == 1
    if (
        connection.vendor == "postgresql"
    ):  # commune, then per try: the id, one string of four INSERTs; the check
        assert [q["sql"].split()[0] for q in queries] == [
            "SELECT",
            "SELECT",
            "INSERT",
            "SELECT",
            "SELECT",
            "INSERT",
        ]


def test_row_get_also_reads_a_second_value_in_the_same_statement(fb):
    from motcua.core.rows import row_get_also

    table = Category._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        category, other = row_get_also(
            Category,
            "code = %s",
            ["giao-thong"],
            also=f"(SELECT id FROM {table} WHERE code = %s)",
            also_params=["gop-y"],
        )
    assert len(queries) == 1 and category == fb.traffic and other == fb.suggestion.pk
    assert _fields(category) == _fields(Category.objects.get(pk=fb.traffic.pk))
    assert row_get_also(Category, "code = %s", ["khong-co"], also="(SELECT 1)") == (None, None)
