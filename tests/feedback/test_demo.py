import pytest

from motcua.feedback.models import Category, Report, RoutingRule


@pytest.mark.django_db
def test_demo_feedback_fills_every_state_once(settings, tmp_path):
    from motcua.directory.demo import demo_province_load
    from motcua.feedback.demo import CATEGORIES, demo_feedback_load

    settings.MEDIA_ROOT = tmp_path
    demo_province_load(with_passwords=False)
    made = demo_feedback_load()
    assert made == 101
    assert Category.objects.count() == len(CATEGORIES)
    assert RoutingRule.objects.filter(commune__isnull=True).count() == 9
    counts = {
        s: Report.objects.filter(status=s).count() for s in Report.objects.values_list("status", flat=True)
    }
    assert set(counts) >= {"routed", "in_progress", "answered", "published", "closed", "rejected", "merged"}
    assert Report.objects.filter(is_public=True).count() >= 40
    assert Report.objects.filter(reopened_count=1).count() >= 1
    assert demo_feedback_load() == 0  # loaded once
    assert Report.objects.count() == 101
