"""Python's garbage collector in a long-running server process (deploy/gunicorn.conf.py).

A worker holds ~200,000 long-lived objects (code, settings, compiled templates, URL patterns) that every
full collection walks again, and a request allocates enough to start ~50 young collections. Once the
worker has loaded the application, `settle()` collects once and moves what is alive then out of the
collector's reach (`gc.freeze()`), and collects young objects every 20,000 allocations instead of 700.
Cycles are still collected; only the long-lived part is no longer walked. bench/RESULTS.md, "Load, fifth
pass": ~0.8 ms of CPU a request on the load mix (the collector's own time, measured with gc.callbacks)."""

import gc

YOUNG_THRESHOLD = 20_000


def settle() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)
