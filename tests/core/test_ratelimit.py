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
    assert RateCounter.objects.get(scope="t", key="1.2.3.4", window=2).count == 5


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
