import pytest

from motcua.dossiers.models import Dossier


@pytest.mark.django_db
def test_demo_dossiers_fill_the_desk_inboxes_once():
    from motcua.catalog.demo import demo_catalog_load
    from motcua.directory.demo import demo_province_load
    from motcua.directory.models import User
    from motcua.dossiers.demo import demo_dossiers_load
    from motcua.dossiers.queries import desk_inbox

    demo_province_load(with_passwords=False)
    demo_catalog_load()
    assert demo_dossiers_load() == 6
    statuses = sorted(Dossier.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "accepted", "accepted", "submitted", "submitted", "submitted"]
    assert all(d.documents.exists() for d in Dossier.objects.all())
    commune_desk = User.objects.get(username="tiepnhan.xa")
    province_desk = User.objects.get(username="tiepnhan.tinh")
    assert len(desk_inbox(commune_desk)) == 2
    assert len(desk_inbox(province_desk)) == 1
    assert Dossier.objects.filter(channel="desk", status="accepted").count() == 1
    assert demo_dossiers_load() == 0  # loaded once
    assert Dossier.objects.count() == 6
