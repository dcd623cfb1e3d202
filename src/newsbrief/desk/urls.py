from django.urls import path

from . import entity_views, listing, picture_views, proposal_views, views

app_name = "desk"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("briefs/", listing.brief_list, name="briefs"),
    path("new/", views.compose, name="new"),
    path("preview/", views.preview, name="preview"),
    path("drift/", views.drift_list, name="drift"),
    path("<int:pk>/edit/", views.compose, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/diff/<int:a>/<int:b>/", views.diff, name="diff"),
    path("<int:pk>/restore/<int:number>/", views.restore, name="restore"),
    path("<int:pk>/drift/<int:source>/confirm/", views.confirm_drift, name="confirm_drift"),
    path("<int:pk>/related/", proposal_views.related, name="related"),
    path("<int:pk>/counterpart/", proposal_views.counterpart, name="counterpart"),
    path("<int:pk>/tags/", proposal_views.add_tag, name="add_tag"),
    path("<int:pk>/entities/", entity_views.decide, name="entities"),
    path("entities/", entity_views.registry, name="entities_registry"),
    path("entities/new/", entity_views.entity_edit, name="entity_new"),
    path("entities/<slug:slug>/", entity_views.entity_edit, name="entity"),
    path("entities/<slug:slug>/merge/", entity_views.entity_merge, name="entity_merge"),
    path("<int:pk>/pictures/", picture_views.add, name="add_picture"),
    path("<int:pk>/pictures/<int:picture_id>/", picture_views.change, name="picture"),
]
