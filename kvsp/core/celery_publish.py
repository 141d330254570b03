"""Publishing a task never holds a web request longer than one short broker timeout.

The project's Celery tasks use this class (kvsp/celery.py, ``task_cls``). ``apply_async`` goes
through the broker server's circuit breaker (kvsp/core/breaker.py, shared with the cache when
both are the same Redis) and publishes once, without Celery's default publish retries (three
more tries, each waiting out its timeout): while the breaker is open it raises
``RedisUnavailable`` at once. Every caller is built for a failed publish: the message waits in
the outbox (kvsp/notify) and the beat's ``deliver-outbox`` drain sends it within a minute; the
plan files are made on the first visit (kvsp/portal/plan_views.py). Eager mode (tests, the
embedded demo) and the filesystem broker do not touch Redis and skip the breaker, and so does a
worker publishing from inside a task.
"""

from celery import Task

from .breaker import RedisUnavailable, breaker_for


def _is_outage(exc: BaseException) -> bool:
    """A broker that refused, dropped or never answered (not a task that failed to serialize)."""
    import redis
    from kombu.exceptions import OperationalError

    return isinstance(
        exc, (OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
    )


def _inside_a_running_task(app) -> bool:
    """A worker queueing from a task (a retry, a chain) keeps Celery's own publish retries: it
    holds no visitor, and giving up there would lose the retry."""
    task = app.current_worker_task
    return task is not None and not task.request.called_directly


class BreakerTask(Task):
    """A Celery task whose publishing respects the broker's circuit breaker."""

    def apply_async(
        self,
        args=None,
        kwargs=None,
        task_id=None,
        producer=None,
        link=None,
        link_error=None,
        shadow=None,
        **options,
    ):
        app = self._get_app()
        url = str(app.conf.broker_url or "")
        if (
            app.conf.task_always_eager
            or not url.startswith(("redis://", "rediss://"))
            or _inside_a_running_task(app)
        ):
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        breaker = breaker_for(url)
        if not breaker.allow():
            raise RedisUnavailable(breaker.name)
        options.setdefault("retry", False)
        try:
            result = super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        except Exception as exc:
            if _is_outage(exc):
                breaker.failure(exc)
            raise
        breaker.success()
        return result
