from django.conf import settings


def site(request):
    return {
        "site_name": "Một Cửa",
        "demo_mode": settings.DEMO_MODE,
        "province_name": getattr(settings, "PROVINCE_NAME", ""),
    }
