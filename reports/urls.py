from django.urls import path

from . import bulletin_views, links, score_views, screen, views

app_name = "reports"

# The fixed words (edit, docx, pdf, xlsx) come before a district's code in the same place.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    path("screen/", screen.screen, name="screen"),
    path("screen/data/", screen.screen_data, name="screen_data"),
    path("tickets/", links.figure_tickets, name="tickets"),
    path("score-weights/", score_views.score_weights, name="score_weights"),
    path("bulletins/", bulletin_views.bulletins, name="bulletins"),
    path("bulletins/<str:week>/", bulletin_views.bulletin, name="bulletin"),
    path("bulletins/<str:week>/edit/", bulletin_views.bulletin_edit_view, name="bulletin_edit"),
    path("bulletins/<str:week>/xlsx/", bulletin_views.bulletin_xlsx, name="bulletin_xlsx"),
    path("bulletins/<str:week>/docx/", bulletin_views.bulletin_docx_view, name="bulletin_docx"),
    path("bulletins/<str:week>/pdf/", bulletin_views.bulletin_pdf, name="bulletin_pdf"),
    path(
        "bulletins/<str:week>/<slug:district>/",
        bulletin_views.bulletin,
        name="district_bulletin",
    ),
    path(
        "bulletins/<str:week>/<slug:district>/edit/",
        bulletin_views.bulletin_edit_view,
        name="district_bulletin_edit",
    ),
    path(
        "bulletins/<str:week>/<slug:district>/xlsx/",
        bulletin_views.bulletin_xlsx,
        name="district_bulletin_xlsx",
    ),
    path(
        "bulletins/<str:week>/<slug:district>/docx/",
        bulletin_views.bulletin_docx_view,
        name="district_bulletin_docx",
    ),
    path(
        "bulletins/<str:week>/<slug:district>/pdf/",
        bulletin_views.bulletin_pdf,
        name="district_bulletin_pdf",
    ),
]
