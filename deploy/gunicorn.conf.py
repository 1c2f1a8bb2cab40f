"""gunicorn settings for production (README, "Production"): `gunicorn -c deploy/gunicorn.conf.py gmmp.wsgi`.

Behind the reverse proxy on the same host: listen on loopback; trust the proxy's X-Forwarded-*
headers from loopback only (so REMOTE_ADDR is the real client: the verification's rate limit counts
per client). The access log leaves out query strings: nothing secret belongs there, but a mistaken
caller must not leave it in a log file either (the platform refuses and revokes such a token)."""

import multiprocessing
import os

# Each sync worker keeps its database connection between requests (gmmp/settings.py): opening one per
# request was ~12 ms of the server's CPU a request on PostgreSQL (bench/RESULTS.md, "Load, fourth pass").
os.environ.setdefault("GMMP_DB_CONN_MAX_AGE", "300")

bind = os.environ.get("GMMP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GMMP_WORKERS", str(multiprocessing.cpu_count() + 1)))
worker_class = "sync"
timeout = 60  # a quarterly report PDF takes seconds, nothing should take a minute
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (memory)
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GMMP_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
accesslog = "-"
# %(U)s is the path without its query string.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
errorlog = "-"


# The collector (gmmp/core/collector.py): settled once the worker has loaded the application, and again
# after its first requests have loaded what Django builds lazily (templates, URL patterns, catalogues).
SETTLE_AFTER_REQUESTS = 50


def _settle() -> None:
    from gmmp.core.collector import settle  # the application is loaded: gmmp is importable

    settle()


def post_worker_init(worker):
    _settle()


def post_request(worker, req, environ, resp):
    if worker.nr == SETTLE_AFTER_REQUESTS:
        _settle()
