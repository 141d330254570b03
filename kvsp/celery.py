"""The one Celery application: Redis in production, the ``filesystem://`` broker when embedded."""

import os

from celery import Celery

# The same default as wsgi.py and asgi.py: a worker started bare runs with production settings
# (make demo's scripts/run-demo.sh names the development settings).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvsp.settings.production")

# BreakerTask: publishing from a web request waits at most one short broker timeout.
app = Celery("kvsp", task_cls="kvsp.core.celery_publish:BreakerTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _make_broker_folders(sender, **kwargs):
    """The filesystem broker needs its folders before the first message."""
    from django.conf import settings

    if str(sender.conf.broker_url).startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
