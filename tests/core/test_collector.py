"""The garbage collector of a gunicorn worker (gmmp/core/collector.py, deploy/gunicorn.conf.py): settled
once the application is loaded and again after the worker's first requests; cycles are still collected."""

import gc
import os
import runpy
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest

from gmmp.core import collector

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


@pytest.fixture
def restored_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settling_freezes_what_is_alive_and_raises_the_young_threshold(restored_gc):
    long_lived = [object() for _ in range(10)]
    collector.settle()
    assert gc.get_freeze_count() > len(long_lived)
    assert gc.get_threshold()[0] == collector.YOUNG_THRESHOLD


def test_cycles_made_after_settling_are_still_collected(restored_gc):
    collector.settle()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    alive = len([o for o in gc.get_objects() if isinstance(o, Node)])
    del a, b
    gc.collect()
    assert alive == 2
    assert not [o for o in gc.get_objects() if isinstance(o, Node)]


def test_gunicorn_settles_a_worker_after_loading_and_after_its_first_requests():
    with mock.patch.dict(os.environ):  # the configuration sets defaults in the environment
        conf = runpy.run_path(str(CONF))
    with mock.patch("gmmp.core.collector.settle") as settle:
        conf["post_worker_init"](SimpleNamespace(nr=0))
        assert settle.call_count == 1
        for nr in range(1, conf["SETTLE_AFTER_REQUESTS"] * 2):
            conf["post_request"](SimpleNamespace(nr=nr), None, {}, None)
        assert settle.call_count == 2
