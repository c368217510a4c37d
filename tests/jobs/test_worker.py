"""A real Celery worker, in its own process, runs jobs from a real broker.

The broker is CELERY_TEST_BROKER_URL when set (CI uses RabbitMQ), else
kombu's filesystem transport in a temporary folder, which needs no server.
The worker works on the same test database as the test, so the tests use
committed transactions (`transactional_db`), and on a queue of its own so
that runs sharing a broker never take each other's messages.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools

from cms.celery import app
from cms.jobs.models import Job, JobStatus
from cms.jobs.services import start_job

pytestmark = pytest.mark.worker

WAIT_SECONDS = 60


@dataclass
class Broker:
    url: str
    transport_options: dict
    queue: str
    worker_env: dict


def _database_url(settings_dict: dict) -> str:
    """Return a DATABASE_URL naming the database this test process uses."""
    credentials = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict["HOST"] or ""
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    options = {
        key: value
        for key, value in (settings_dict.get("OPTIONS") or {}).items()
        if isinstance(value, str)
    }
    if host.startswith("/"):
        options["host"] = host
        host = ""
    query = f"?{urlencode(options)}" if options else ""
    name = quote(settings_dict["NAME"], safe="")
    return f"postgresql://{credentials}@{host}{port}/{name}{query}"


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    queue = f"erp-test-{uuid.uuid4().hex[:12]}"
    url = os.environ.get("CELERY_TEST_BROKER_URL", "")
    if url:
        return Broker(url, {}, queue, {"CELERY_BROKER_URL": url})

    var_dir = tmp_path_factory.mktemp("var")
    folders = {name: var_dir / "celery" / name for name in ("queue", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }
    env = {"CELERY_BROKER_URL": "filesystem://", "ERP_VAR_DIR": str(var_dir)}
    return Broker("filesystem://", options, queue, env)


def _drop_broker_connections():
    # Celery keeps its connection and producer pools for the app's lifetime,
    # and kombu keeps them in a process-wide registry too; after a change of
    # broker both must be built again, or the next module in this process
    # acquires from a closed pool.
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture(scope="module")
def publish_to_broker(broker):
    """Send this process's tasks to the broker instead of running them here."""
    keys = ("broker_url", "broker_transport_options", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    saved_queue = app.conf.task_default_queue
    app.conf.update(
        broker_url=broker.url,
        broker_transport_options=broker.transport_options,
        task_always_eager=False,
        task_default_queue=broker.queue,
    )
    _drop_broker_connections()

    yield

    if not broker.url.startswith("filesystem"):
        with app.connection_for_write() as broker_connection:
            channel = broker_connection.default_channel
            channel.queue_delete(broker.queue)
            channel.exchange_delete(broker.queue)
    app.conf.update(task_default_queue=saved_queue, **saved)
    _drop_broker_connections()


@pytest.fixture(scope="module")
def worker(django_db_setup, broker, publish_to_broker, tmp_path_factory):
    """Run `celery -A cms worker` on the test database until the module ends."""
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        **broker.worker_env,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "cms",
        "worker",
        "--queues",
        broker.queue,
        "--include",
        "tests.jobs.job_tasks",
        "--concurrency",
        "1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"{broker.queue}@%h",
        "--loglevel",
        "INFO",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path

    yield process

    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"The worker did not stop.\n{_log_tail(log_path)}")


def _log_tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_finished(job: Job, worker) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        if worker.poll() is not None:
            pytest.fail(f"The worker stopped.\n{_log_tail(worker.log_path)}")
        time.sleep(0.2)
    pytest.fail(
        f"Job {job.pk} still {job.status} after {WAIT_SECONDS} s.\n"
        f"{_log_tail(worker.log_path)}"
    )


def test_worker_runs_a_started_job_to_the_end(
    transactional_db, worker, company_a, company_b, make_user, make_gadget
):
    user = make_user("anna", company_a)
    make_gadget(company_a, "A1")
    make_gadget(company_a, "A2")
    make_gadget(company_b, "B1")

    job = start_job(
        company=company_a,
        user=user,
        kind="cms.jobs.tasks.count_records",
        title="Count records",
        params={},
    )
    job = _wait_until_finished(job, worker)

    counts = {entry["model"]: entry["count"] for entry in job.result["counts"]}
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress_total == len(job.result["counts"]) > 0
    assert job.progress_done == job.progress_total
    assert counts["sample.gadget"] == 2


def test_worker_does_the_work_once_when_a_job_is_delivered_twice(
    transactional_db, worker, company_a, make_user, make_gadget
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)
    job = start_job(
        company=company_a,
        user=user,
        kind="tests.jobs.add_one",
        title="Add one",
        params={"gadget": gadget.pk},
    )

    app.tasks["tests.jobs.add_one"].apply_async(kwargs={"job_id": job.pk})
    _wait_until_finished(job, worker)
    # A job queued after both deliveries finishes only after they were taken.
    marker = start_job(
        company=company_a,
        user=user,
        kind="tests.jobs.add_one",
        title="Marker",
        params={"gadget": make_gadget(company_a, "G2").pk},
    )
    _wait_until_finished(marker, worker)

    gadget.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert gadget.quantity == 1


def test_worker_reports_a_crash_as_a_readable_error(
    transactional_db, worker, company_a, make_user
):
    user = make_user("anna", company_a)

    job = start_job(
        company=company_a,
        user=user,
        kind="tests.jobs.crash",
        title="Crash",
        params={},
    )
    job = _wait_until_finished(job, worker)

    assert job.status == JobStatus.FAILED
    assert f"{job.pk}" in job.error
    assert "secret_table" not in job.error
    assert "Traceback" not in job.error
    assert "secret_table" in worker.log_path.read_text(errors="replace")
