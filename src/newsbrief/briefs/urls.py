from django.urls import path

from . import views

app_name = "briefs"
urlpatterns = [
    path("", views.board_index, name="index"),
    path("briefs/<int:pk>/", views.brief_detail, name="detail"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<str:slug>/", views.category_detail, name="category"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive_month"),
]
