"""Background jobs in the Wagtail admin: a list, a live detail page, actions.

Any admin user may open the list; what they find in it is decided by
company scoping (`cms.jobs.selectors.visible_jobs`), not by a permission.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.jobs import views
from cms.jobs.models import Job


class JobPermissionPolicy(ModelPermissionPolicy):
    """Let every admin user follow jobs; scoping narrows which ones."""

    def user_has_permission(self, user, action):
        if action == "view":
            return user.is_active and user.is_authenticated
        return super().user_has_permission(user, action)


register_permission_policy(Job, JobPermissionPolicy(Job), exact_class=True)


class JobViewSet(ModelViewSet):
    model = Job
    name = "jobs"
    icon = "time"
    menu_label = _("Background jobs")
    menu_order = 9000
    add_to_admin_menu = True
    index_view_class = views.JobIndexView
    inspect_view_class = views.JobInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "status",
        "company",
        "user",
        "kind",
        "created_at",
        "started_at",
        "finished_at",
        "message",
        "error",
    ]
    copy_view_enabled = False
    list_filter = ["status"]
    search_fields = ["title", "kind"]

    def get_common_view_kwargs(self, **kwargs):
        # Jobs are written by their tasks only: no add, edit or delete views.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/progress/", views.job_progress, name="progress"),
            path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
            path(
                "count-records/",
                views.StartCountRecordsView.as_view(),
                name="start_count",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_job_viewset():
    return JobViewSet()
