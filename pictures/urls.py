from django.urls import path

from pictures import views

app_name = "pictures"

urlpatterns = [
    path("pictures/<int:pk>/<int:width>.<str:ext>", views.picture, name="rendition"),
]
