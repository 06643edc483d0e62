from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/privacy/", views.privacy, name="privacy"),
    path("<slug:slug>/questions/<int:number>/", views.question, name="question"),
    path("<slug:slug>/check-your-answers/", views.check, name="check"),
    path("<slug:slug>/equality/", views.equality, name="equality"),
    path("<slug:slug>/send/", views.submit, name="submit"),
    path("<slug:slug>/sent/", views.sent, name="sent"),
    path("<slug:slug>/results/", views.public_results, name="results"),
    path("<slug:slug>/staff/results/", views.staff_results, name="staff_results"),
    path("<slug:slug>/staff/responses.csv", views.staff_export, name="export"),
    path("<slug:slug>/staff/key-in/", views.staff_key_in, name="key_in"),
    path("<slug:slug>/staff/delete-responses/", views.staff_delete_expired, name="delete_expired"),
]
