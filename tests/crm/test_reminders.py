"""Reminders: the assignee of a due or overdue process is emailed once."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from modules.crm.models import Process
from modules.crm.services import (
    create_process,
    send_process_reminders,
    transition_process,
    update_process,
)
from tests.jobs.test_worker import WAIT_SECONDS, _log_tail


@pytest.fixture
def meeting(make_type):
    return make_type("meeting", reminder_days=2)


@pytest.fixture
def make_due(company_a, seller, meeting):
    seller.email = "seller@alfa.example"
    seller.save()

    def make(title, days_from_today, assignee=seller):
        return create_process(
            company=company_a,
            user=seller,
            data={
                "process_type": meeting,
                "title": title,
                "assignee": assignee,
                "due_date": timezone.localdate() + timedelta(days=days_from_today),
            },
        )

    return make


def test_due_and_overdue_processes_are_reminded_once(make_due):
    make_due("Overdue call", -3)
    make_due("Due tomorrow", 1)
    make_due("Next month", 30)

    first = send_process_reminders()
    second = send_process_reminders()

    assert (first, second) == (2, 0)
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects[0].startswith("Reminder: Due tomorrow is due")
    assert subjects[1].startswith("Reminder: Overdue call is due")
    assert {tuple(message.to) for message in mail.outbox} == {("seller@alfa.example",)}


def test_closed_processes_are_not_reminded(make_due, seller):
    process = make_due("Done already", -1)
    transition_process(process=process, user=seller, state="done")

    assert send_process_reminders() == 0


def test_a_new_due_date_brings_a_new_reminder(make_due, seller):
    process = make_due("Moved", 0)
    send_process_reminders()

    update_process(
        instance=process,
        user=seller,
        data={"due_date": timezone.localdate() + timedelta(days=1)},
    )

    assert send_process_reminders() == 1
    assert len(mail.outbox) == 2


def test_parallel_runs_email_each_assignee_once(transactional_db, make_due):
    for number in range(6):
        make_due(f"Call {number}", -1)
    counts = []

    def run():
        try:
            counts.append(send_process_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == 6
    assert len(mail.outbox) == 6


@pytest.mark.worker
def test_the_beat_task_runs_on_a_real_worker(transactional_db, worker, make_due):
    from modules.crm.tasks import send_process_reminders as task

    process = make_due("Overdue call", -1)

    task.delay()

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        process.refresh_from_db()
        if process.reminded_at is not None:
            break
        assert worker.poll() is None, _log_tail(worker.log_path)
        time.sleep(0.2)
    assert process.reminded_at is not None, _log_tail(worker.log_path)
    assert Process.objects.filter(reminded_at__isnull=True).count() == 0
