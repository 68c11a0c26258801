from django.urls import path

from . import links, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    path("tickets/", links.figure_tickets, name="tickets"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<str:week>/", views.bulletin, name="bulletin"),
    path("bulletins/<str:week>/xlsx/", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("bulletins/<str:week>/<slug:district>/", views.bulletin, name="district_bulletin"),
    path(
        "bulletins/<str:week>/<slug:district>/xlsx/",
        views.bulletin_xlsx,
        name="district_bulletin_xlsx",
    ),
]
