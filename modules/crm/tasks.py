"""Celery tasks of the customer register: thin wrappers of its services."""

from celery import shared_task

from modules.crm import services


@shared_task(name="modules.crm.tasks.send_process_reminders", ignore_result=True)
def send_process_reminders():
    """Email assignees of due and overdue processes (run by Celery beat)."""
    return services.send_process_reminders()
