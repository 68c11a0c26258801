from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("tasks/", views.tasks, name="tasks"),
    path("decisions/<int:pk>/done/", views.done, name="done"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/items/", views.add_item, name="add_item"),
    path("<int:pk>/tickets/<str:number>/decide/", views.decide_ticket, name="decide_ticket"),
    path("<int:pk>/items/<int:item>/decide/", views.decide_item, name="decide_item"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/agenda.docx", views.agenda_docx, name="agenda_docx"),
    path("<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
]
