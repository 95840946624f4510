"""The newsletter's public page: unsubscribing from a link in the digest."""

from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
