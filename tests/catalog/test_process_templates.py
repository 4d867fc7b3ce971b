"""Process templates: the default one, versions that dossiers keep, the administration pages."""

# ruff: noqa: F811  (the dossier fixtures are imported from tests/dossiers/conftest.py and used as arguments)
from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.catalog.models import ProcessTemplate
from motcua.catalog.processes import process_template_copy, process_template_current
from motcua.core.models import AuditEvent
from motcua.dossiers.services import dossier_accept
from tests.dossiers.conftest import (  # noqa: F401  (shared fixtures)
    applicant,
    catalog,
    catalog_data,
    pdf_bytes,
    record_case,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_default_template_shares_the_case_time_and_is_created_once(record_case):
    template = process_template_current(case=record_case)
    steps = list(template.steps.order_by("order"))
    assert [s.role for s in steps] == ["desk_officer", "specialist", "agency_leader", "desk_officer"]
    assert [s.approves_result for s in steps] == [False, False, True, False]
    assert steps[-1].returns_result
    assert process_template_current(case=record_case).pk == template.pk
    assert ProcessTemplate.objects.filter(case=record_case).count() == 1


def test_a_dossier_keeps_its_version_when_the_template_is_copied(personas, submitted):
    dossier = dossier_accept(dossier=submitted, actor=personas.desk_x)
    first = dossier.process_template
    new = process_template_copy(template=first, actor=personas.admin)
    assert new.number == first.number + 1 and new.steps.count() == first.steps.count()
    first.refresh_from_db()
    assert not first.active and process_template_current(case=first.case).pk == new.pk
    dossier.refresh_from_db()
    assert dossier.process_template_id == first.pk


def test_admin_edits_an_unused_template_but_not_one_in_use(client, personas, submitted):
    dossier = dossier_accept(dossier=submitted, actor=personas.desk_x)
    used = dossier.process_template
    client.force_login(personas.admin)
    page = client.get(reverse("admin:catalog_processtemplate_change", args=[used.pk]))
    assert page.status_code == 200
    assert 'name="steps-0-name"' not in page.content.decode()  # read-only: dossiers started with it
    response = client.post(
        reverse("admin:catalog_processtemplate_changelist"),
        {"action": "copy_to_new_version", "_selected_action": [used.pk]},
    )
    assert response.status_code == 302
    new = ProcessTemplate.objects.get(case=used.case, number=used.number + 1)
    page = client.get(reverse("admin:catalog_processtemplate_change", args=[new.pk]))
    assert 'name="steps-0-name"' in page.content.decode()
    assert AuditEvent.objects.filter(
        action="catalog.process_template.created", object_id=str(new.pk)
    ).exists()


def test_admin_template_pages_refuse_strangers(client, personas, record_case):
    template = process_template_current(case=record_case)
    url = reverse("admin:catalog_processtemplate_change", args=[template.pk])
    client.force_login(personas.desk_x)
    assert client.get(url).status_code == 302  # the admin sends non-staff to its log-in
