"""gunicorn in production: `gunicorn config.wsgi -c config/gunicorn.conf.py` (README).

nginx in front terminates TLS, buffers slow clients and refuses bodies over its
`client_max_body_size`; gunicorn refuses an oversized request line or header itself, before
Django reads anything; Django refuses what is left (config/uploads.py). Command-line options
override these (e.g. `--bind`, `--workers`).
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = "127.0.0.1:8000"

# Sync workers: the views are synchronous and nginx absorbs slow clients. WEB_CONCURRENCY, if set,
# names the number of workers; else two per core and one more (gunicorn's advice).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request still running after this many seconds is killed and its worker replaced (the slowest
# pages, the bulletin and the exports, take well under a second at a million tickets).
timeout = 60
graceful_timeout = 30
keepalive = 2
# Replace each worker after about ten thousand requests, so no slow leak grows for weeks. A new
# worker spends some 2.5 s of CPU on its imports and first templates: after a thousand requests,
# as before, that was a tenth of a busy worker's time (bench/submit.py saw workers restart in the
# middle of its phases); after ten thousand it is a hundredth.
max_requests = 10000
max_requests_jitter = 1000
# The workers' heartbeat files in memory, not on a disk that may stall (gunicorn's FAQ).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Request limits: the longest URL the site makes (the queue with every filter) is far under 2 KB;
# a browser sends about 20 headers; the cookies (session, CSRF, language) are under 1 KB.
limit_request_line = 4094  # longer: 414
limit_request_fields = 50  # more: 431
limit_request_field_size = 8190  # a longer header: 431

# No control socket: several gunicorns may run on one machine, and systemd (or a signal) reloads.
control_socket_disable = True


def child_exit(server, worker) -> None:
    """Prometheus' multiprocess mode (ops/metrics.py): a worker that exits leaves its counters
    to the sum, and its live gauges go with it."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
