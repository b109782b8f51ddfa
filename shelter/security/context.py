"""Template context for the top bar: the lockdown banner for everyone, the open-alert badge for
administrators."""

from .models import Alert, Lockdown


def security(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"lockdown_active": Lockdown.objects.filter(pk=1, active=True).exists()}
    if user.manages_users:
        context["open_alerts"] = Alert.objects.filter(acknowledged_at=None).count()
    return context
