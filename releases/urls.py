"""Public pages of the app."""

from __future__ import annotations

from django.urls import path

from releases import views

app_name = "releases"

urlpatterns = [
    path("", views.home, name="home"),
    path("track-record/", views.track_record, name="track-record"),
    path("methodology/", views.methodology_page, name="methodology"),
]
