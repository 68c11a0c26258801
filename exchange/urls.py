"""Spreadsheets in and out, at the addresses of what they carry: the office's list, export and
import of enterprises under /enterprises/, the queue's export beside the queue."""

from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("tickets/export.xlsx", views.ticket_export, name="ticket-export"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/export.xlsx", views.enterprise_export, name="enterprise-export"),
    path("enterprises/import/", views.enterprise_import_page, name="enterprise-import"),
    path(
        "enterprises/import/confirm/",
        views.enterprise_import_confirm,
        name="enterprise-import-confirm",
    ),
    path("enterprises/import/template.xlsx", views.import_template, name="import-template"),
]
