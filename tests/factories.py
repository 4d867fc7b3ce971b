from __future__ import annotations

import factory

from motcua.directory.models import AdministrativeUnit, Agency, Department, User


def province_with_communes():
    province, _ = AdministrativeUnit.objects.get_or_create(
        level="province",
        code="75",
        defaults={"name": "Đồng Nai", "division_type": "tỉnh", "codename": "dong_nai"},
    )
    a, _ = AdministrativeUnit.objects.get_or_create(
        level="commune",
        code="26068",
        defaults={
            "name": "Phường Biên Hòa",
            "division_type": "phường",
            "codename": "phuong_bien_hoa",
            "province": province,
        },
    )
    b, _ = AdministrativeUnit.objects.get_or_create(
        level="commune",
        code="26041",
        defaults={
            "name": "Phường Trấn Biên",
            "division_type": "phường",
            "codename": "phuong_tran_bien",
            "province": province,
        },
    )
    return province, a, b


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.00.{n % 100:02d}.H{(n // 100) % 100:02d}")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = Agency.Kind.DEPARTMENT
    province = factory.LazyFunction(lambda: province_with_communes()[0])


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Phòng {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = "Nguyễn Văn Thử"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    kind = User.Kind.CITIZEN
    password = "Mật-khẩu-thử-2026"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", None)
        user = super()._create(model_class, *args, **kwargs)
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user
