from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the service: backups and restores, report reads on a replica, and watching it
    run (/healthz, /readyz, /metrics, request ids in the logs). Knows no domain model (floor 1):
    the apps above mark their report views with ops.replica, and settings name the readers of
    theirs that /readyz and /metrics call (OUTBOX_BACKLOG_SOURCE, METRICS_COLLECTORS)."""

    name = "ops"

    def ready(self) -> None:
        from celery import signals as celery
        from django.db.backends.signals import connection_created

        from . import jobs, metrics, requestid

        connection_created.connect(metrics.count_queries, dispatch_uid="ops.metrics.queries")
        celery.before_task_publish.connect(
            requestid.add_to_task_headers, dispatch_uid="ops.requestid.publish", weak=False
        )
        celery.task_prerun.connect(requestid.task_started, dispatch_uid="ops.requestid.pre")
        celery.task_prerun.connect(metrics.task_started, dispatch_uid="ops.metrics.pre")
        celery.task_postrun.connect(metrics.task_finished, dispatch_uid="ops.metrics.post")
        celery.task_postrun.connect(jobs.record_task_run, dispatch_uid="ops.jobs.post")
        celery.task_postrun.connect(requestid.task_finished, dispatch_uid="ops.requestid.post")
        celery.worker_ready.connect(jobs.worker_ready, dispatch_uid="ops.jobs.ready")
