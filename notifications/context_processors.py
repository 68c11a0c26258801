from django.http import HttpRequest


def bell(request: HttpRequest) -> dict:
    """The unread count under the bell, counted lazily (one query, only if a page shows it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notifications": unread}
