import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from motcua.core.models import RateCounter
from motcua.core.ratelimit import rate_limit_allow, rate_limited


@pytest.mark.django_db
def test_rate_limit_allows_up_to_the_limit_per_window_and_key():
    allowed = [
        rate_limit_allow(scope="t", key="1.2.3.4", limit=3, window_seconds=60, now=120.0) for _ in range(5)
    ]
    assert allowed == [True, True, True, False, False]
    assert rate_limit_allow(scope="t", key="5.6.7.8", limit=3, window_seconds=60, now=120.0)  # another client
    assert rate_limit_allow(scope="t", key="1.2.3.4", limit=3, window_seconds=60, now=180.0)  # next window
    assert RateCounter.objects.get(scope="t", key="1.2.3.4", window=120).count == 5  # the window's start


@pytest.mark.django_db
def test_rate_limited_view_answers_429_in_vietnamese():
    @rate_limited("test.view", limit=2, window_seconds=600)
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    codes = []
    for _ in range(3):
        request = factory.get("/tra-cuu", REMOTE_ADDR="10.0.0.9")
        request.user = None
        codes.append(view(request))
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert codes[2]["Retry-After"] == "600"
    assert "Xin đợi khoảng 10 phút" in codes[2].content.decode()


@pytest.mark.django_db
def test_counters_of_windows_over_for_a_day_are_pruned_by_the_scheduled_job():
    import io
    import time

    from django.core.management import call_command

    now = time.time()
    for started in (now - 3 * 86400, now - 86400 - 700):
        rate_limit_allow(scope="t", key="old", limit=3, window_seconds=600, now=started)
    rate_limit_allow(
        scope="t", key="hour", limit=3, window_seconds=3600, now=now - 86400 + 4000
    )  # began < 1 day ago
    rate_limit_allow(scope="t", key="now", limit=3, window_seconds=600, now=now)
    call_command("run_scheduled_jobs", only=["rate_counters_prune"], stdout=io.StringIO())
    assert sorted(RateCounter.objects.values_list("key", flat=True)) == ["hour", "now"]
    assert (
        rate_limit_allow(scope="t", key="now", limit=1, window_seconds=600, now=now) is False
    )  # still counting
    with pytest.raises(ValueError):
        rate_limit_allow(scope="t", key="x", limit=1, window_seconds=2 * 86400)
