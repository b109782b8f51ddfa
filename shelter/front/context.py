from django.conf import settings


def shelter(request):
    return {"demo_mode": settings.SHELTER_DEMO}
