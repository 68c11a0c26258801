from django.urls import path

from exchange import views as exchange_views

from . import views

app_name = "enterprises"

urlpatterns = [
    path("covered/", views.covered, name="covered"),
    # The office's list, export and import (exchange/: spreadsheets in and out).
    path("", exchange_views.enterprise_list, name="list"),
    path("export.xlsx", exchange_views.enterprise_export, name="export"),
    path("import/", exchange_views.enterprise_import_page, name="import"),
    path("import/confirm/", exchange_views.enterprise_import_confirm, name="import-confirm"),
    path("import/template.xlsx", exchange_views.import_template, name="import-template"),
]
