"""The sign-in steps, under the admin's path (mounted at admin/sign-in/ before the admin)."""

from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("code/", views.code, name="code"),
    path("set-up/", views.set_up, name="set_up"),
    path("alive/", views.alive, name="alive"),
]
