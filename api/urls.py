from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("categories/", views.CategoryList.as_view(), name="categories"),
    path("enterprises/", views.EnterpriseList.as_view(), name="enterprises"),
    path("enterprises/<uscc:uscc>/", views.EnterpriseDetail.as_view(), name="enterprise"),
    path("tickets/", views.TicketList.as_view(), name="tickets"),
    path("tickets/<ticket:number>/", views.TicketDetail.as_view(), name="ticket"),
    *[
        path(
            f"tickets/<ticket:number>/{views.action_slug(action)}/",
            views.action_view(action),
            name=f"ticket-{views.action_slug(action)}",
        )
        for action in views.ACTION_SERIALIZERS
    ],
    path("reports/summary/", views.ReportSummary.as_view(), name="report-summary"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
]
