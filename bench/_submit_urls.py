"""The product's URLs and the ceiling of bench/submit.py: a bare view doing one transaction of
three inserts, served by the same gunicorn, middleware, database and connection settings as the
submissions it is compared with. Only the benchmark's settings (bench/_submit_settings.py) use
this URLconf."""

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import handler403, handler404  # noqa: F401
from config.urls import urlpatterns as product_urls


@csrf_exempt
def ceiling(request: HttpRequest) -> JsonResponse:
    """One transaction, three inserts, a small JSON answer: what any submission must at least do."""
    title = request.POST.get("title", "")[:200]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_ceiling_item (title, body) VALUES (%s, %s) RETURNING id",
            [title, request.POST.get("description", "")],
        )
        item = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO bench_ceiling_event (item_id, kind) VALUES (%s, 'submit') RETURNING id",
            [item],
        )
        event = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO bench_ceiling_note (event_id, text) VALUES (%s, %s)", [event, title]
        )
    return JsonResponse({"id": item}, status=201)


urlpatterns = [path("bench/ceiling/", ceiling), *product_urls]
