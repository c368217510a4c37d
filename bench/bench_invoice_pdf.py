"""B9: invoice PDF with bank barcode against a one-line WeasyPrint page.

P is the time WeasyPrint takes for a one-line HTML page; the figure is the
time `render_invoice_pdf` takes for an issued 10-line invoice with the
bank barcode (text and Code 128 image), including its template and
queries. Target: <= 2 x P. The second part starts a Celery batch of N
PDFs (`invoicing.pdf_batch`, split into one job per worker) on a real
broker with 1 and then 2 worker processes and reports the speed-up.
Usage: python bench/bench_invoice_pdf.py [batch size]
"""

import datetime
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "erp_bench_invoice_pdf")

import django

django.setup()

from _common import append_row  # noqa: E402
from django.db import connection  # noqa: E402

REPEAT = 15
ROOT = Path(__file__).resolve().parent.parent


def _invoices(count):
    from bench.bench_invoice_posting import _setup
    from modules.invoicing.services import create_and_issue_invoice

    company, customer = _setup()
    rows = [
        {"description": f"Row {n}", "quantity": "2", "unit_price": "12.50"}
        for n in range(10)
    ]
    invoices = [
        create_and_issue_invoice(
            company=company,
            user=None,
            customer=customer,
            lines=rows,
            invoice_date=datetime.date(2026, 6, 1),
        )
        for _ in range(count)
    ]
    return company, invoices


def _median(function) -> float:
    function()
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _single(invoice) -> tuple[float, float]:
    from modules.invoicing.documents import render_html_pdf, render_invoice_pdf

    one_line = "<html><body><p>One line.</p></body></html>"
    yardstick = _median(lambda: render_html_pdf(one_line))
    figure = _median(lambda: render_invoice_pdf(invoice))
    return figure, yardstick


def _worker(concurrency, queue, env):
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "cms",
        "worker",
        "--queues",
        queue,
        "--concurrency",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"{queue}@%h",
        "--loglevel",
        "WARNING",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def _batch(company, invoices, workers, broker) -> float:
    from cms.celery import app
    from cms.jobs.models import Job
    from cms.jobs.services import start_job

    queue = f"bench-pdf-{uuid.uuid4().hex[:8]}"
    app.conf.update(
        broker_url=broker, task_always_eager=False, task_default_queue=queue
    )
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": _database_url(),
    }
    process = _worker(workers, queue, env)
    try:
        time.sleep(8)  # let the worker connect
        ids = [invoice.pk for invoice in invoices]
        chunks = [ids[index::workers] for index in range(workers)]
        start = time.perf_counter()
        jobs = [
            start_job(
                company=company,
                user=None,
                kind="invoicing.pdf_batch",
                title="PDF batch",
                params={"invoice_ids": chunk},
            )
            for chunk in chunks
        ]
        pending = {job.pk for job in jobs}
        while pending:
            time.sleep(0.2)
            pending = set(
                Job.objects.filter(pk__in=pending)
                .exclude(status__in=["succeeded", "failed", "cancelled"])
                .values_list("pk", flat=True)
            )
        return time.perf_counter() - start
    finally:
        process.terminate()
        process.wait(timeout=60)
        with app.connection_for_write() as broker_connection:
            broker_connection.default_channel.queue_delete(queue)


def _database_url() -> str:
    settings = connection.settings_dict
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    return f"postgresql://{settings['USER']}@{host}:{port}/{settings['NAME']}"


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    broker = os.environ.get("CELERY_TEST_BROKER_URL", "")
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=False
    )
    try:
        company, invoices = _invoices(size)
        figure, yardstick = _single(invoices[0])
        timings = {}
        if broker:
            for workers in (1, 2):
                timings[workers] = _batch(company, invoices, workers, broker)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    ratio = figure / yardstick
    print(
        f"invoice PDF {figure * 1000:.0f} ms, one-line page {yardstick * 1000:.0f} ms"
    )
    print(
        append_row(
            "B9",
            "1 page, 10 lines, bank barcode (text + Code 128)",
            f"{figure * 1000:.0f} ms",
            f"P {yardstick * 1000:.0f} ms",
            f"{ratio:.2f} x",
            "<= 2 x P",
            ratio <= 2,
        ),
        end="",
    )
    if timings:
        speedup = timings[1] / timings[2]
        print(
            append_row(
                "B9",
                f"Celery batch of {size} PDFs, 1 and 2 workers",
                f"1 worker {timings[1]:.0f} s, 2 workers {timings[2]:.0f} s",
                "1 worker",
                f"{speedup:.2f} x faster",
                "scales with workers",
                speedup > 1.2,
            ),
            end="",
        )


if __name__ == "__main__":
    main()
