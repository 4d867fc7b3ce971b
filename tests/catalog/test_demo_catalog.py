import json

import pytest

from motcua.catalog.models import Procedure


@pytest.mark.django_db
def test_demo_catalog_file_loads_completely_with_the_demo_province(settings):
    from motcua.catalog.demo import DEMO_FILE, demo_catalog_load
    from motcua.directory.demo import demo_province_load

    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    demo_province_load(with_passwords=False)
    report = demo_catalog_load()
    procedures = Procedure.objects.all()
    assert procedures.count() == len(data["procedures"]) >= 80
    assert procedures.values("field").distinct().count() >= 12
    online = procedures.exclude(online_level="none").count() / procedures.count()
    assert 0.5 <= online <= 0.7
    assert report.count("created") == procedures.count()
    assert demo_catalog_load().count("unchanged") == procedures.count()  # idempotent
