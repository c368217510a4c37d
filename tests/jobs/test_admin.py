"""Background jobs in the admin: scoped list, live progress, start, cancel."""

import pytest
from django.urls import reverse

from cms.jobs.models import Job, JobStatus
from modules.core.models import Role


def _job(company, user, title, **fields):
    return Job.objects.create(
        company=company,
        user=user,
        kind="cms.jobs.tasks.count_records",
        title=title,
        **fields,
    )


@pytest.fixture
def anna(company_a, make_user):
    return make_user("anna", company_a)


@pytest.fixture
def bert(company_b, make_user):
    return make_user("bert", company_b)


def test_job_list_shows_only_the_users_companies_jobs(
    client, company_a, company_b, anna, bert
):
    _job(company_a, anna, "Invoice run Alfa")
    _job(company_b, bert, "Invoice run Beta")
    _job(None, bert, "Search index rebuild")
    client.force_login(anna)

    response = client.get(reverse("jobs:index"))

    assert response.status_code == 200
    assert "Invoice run Alfa" in response.text
    assert "Invoice run Beta" not in response.text
    assert "Search index rebuild" not in response.text


def test_superuser_sees_every_job(client, company_a, company_b, anna, bert):
    _job(company_a, anna, "Invoice run Alfa")
    _job(company_b, bert, "Invoice run Beta")
    _job(None, None, "Search index rebuild")
    admin = anna.__class__.objects.create_superuser("root", password="pw")
    client.force_login(admin)

    response = client.get(reverse("jobs:index"))

    assert "Invoice run Alfa" in response.text
    assert "Invoice run Beta" in response.text
    assert "Search index rebuild" in response.text


def test_progress_endpoint_answers_for_the_users_own_company(client, company_a, anna):
    job = _job(
        company_a,
        anna,
        "Invoice run",
        status=JobStatus.RUNNING,
        progress_done=3,
        progress_total=12,
        message="Invoice 1003",
    )
    client.force_login(anna)

    response = client.get(reverse("jobs:progress", args=[job.pk]))

    assert response.status_code == 200
    assert response.json() == {
        "id": job.pk,
        "status": "running",
        "status_label": str(JobStatus.RUNNING.label),
        "finished": False,
        "done": 3,
        "total": 12,
        "percent": 25,
        "message": "Invoice 1003",
        "error": "",
    }


def test_progress_endpoint_refuses_another_companys_job(client, company_b, anna, bert):
    job = _job(company_b, bert, "Invoice run Beta", status=JobStatus.RUNNING)
    client.force_login(anna)

    progress = client.get(reverse("jobs:progress", args=[job.pk]))
    detail = client.get(reverse("jobs:inspect", args=[job.pk]))

    assert progress.status_code == 404
    assert detail.status_code == 404


def test_progress_endpoint_needs_an_admin_login(client, company_a, anna):
    job = _job(company_a, anna, "Invoice run")

    response = client.get(reverse("jobs:progress", args=[job.pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_job_page_shows_a_live_progress_bar_and_the_result(client, company_a, anna):
    running = _job(
        company_a, anna, "Invoice run", status=JobStatus.RUNNING, progress_total=4
    )
    done = _job(
        company_a,
        anna,
        "Record count",
        status=JobStatus.SUCCEEDED,
        result={"total": 1234},
    )
    client.force_login(anna)

    running_page = client.get(reverse("jobs:inspect", args=[running.pk]))
    done_page = client.get(reverse("jobs:inspect", args=[done.pk]))

    assert reverse("jobs:progress", args=[running.pk]) in running_page.text
    assert "data-job-progress-live" in running_page.text
    assert "data-job-progress-live" not in done_page.text
    assert "&quot;total&quot;: 1234" in done_page.text


def test_starter_can_cancel_a_running_job(client, company_a, anna):
    job = _job(company_a, anna, "Invoice run", status=JobStatus.RUNNING)
    client.force_login(anna)

    response = client.post(reverse("jobs:cancel", args=[job.pk]))

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == JobStatus.CANCELLED


def test_colleague_without_job_management_cannot_cancel(
    client, company_a, anna, make_user
):
    job = _job(company_a, anna, "Invoice run", status=JobStatus.RUNNING)
    colleague = make_user("carl", company_a, role=Role.SALES)
    client.force_login(colleague)

    client.post(reverse("jobs:cancel", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_user_starts_a_record_count_for_the_current_company(
    client,
    company_a,
    company_b,
    anna,
    make_gadget,
    django_capture_on_commit_callbacks,
):
    make_gadget(company_a, "A1")
    make_gadget(company_b, "B1")
    make_gadget(company_b, "B2")
    client.force_login(anna)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("jobs:start_count"), {"request_key": "form-1"}, follow=True
        )

    job = Job.objects.get()
    counts = {entry["model"]: entry["count"] for entry in job.result["counts"]}
    assert response.redirect_chain[-1][0] == reverse("jobs:inspect", args=[job.pk])
    assert job.company == company_a
    assert job.user == anna
    assert job.status == JobStatus.SUCCEEDED
    assert counts["sample.gadget"] == 1


def test_start_form_sent_twice_starts_one_job(
    client, company_a, anna, django_capture_on_commit_callbacks
):
    client.force_login(anna)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("jobs:start_count"), {"request_key": "form-1"})
        second = client.post(reverse("jobs:start_count"), {"request_key": "form-1"})

    assert Job.objects.count() == 1
    assert first["Location"] == second["Location"]
