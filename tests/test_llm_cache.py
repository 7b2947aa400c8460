"""The reply cache's journal: replies received by a run that is killed before it writes them to `llm_cache`
are recovered by the next run on the same database, so none is asked for again."""

from __future__ import annotations

import subprocess
import sys

from acecoder.core.store import Store
from acecoder.llm.cache import ReplyCache, journal_path
from acecoder.llm.chat import ChatResult

KILLED_RUN = """
import os, sys
from acecoder.core.store import Store
from acecoder.llm.cache import ReplyCache
from acecoder.llm.chat import ChatResult

store = Store(sys.argv[1])
cache = ReplyCache(store, run_id="killed", flush_every=1000)
for i in range(5):
    reply = ChatResult([f"answer {i}"], ["stop"], 3, 2, False, f"key-{i}", "m")
    cache.put({"endpoint": "http://x/v1", "messages": [i]}, reply)
os.kill(os.getpid(), 9)  # before anything reached llm_cache
"""


def test_replies_of_a_killed_run_are_recovered(tmp_path):
    db = tmp_path / "c.duckdb"
    Store(db).close()  # the schema
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(db)], capture_output=True)
    assert killed.returncode == -9, killed.stderr.decode()
    with Store(db) as store:
        assert store.con.execute("SELECT count(*) FROM llm_cache").fetchall() == [(0,)]
        assert journal_path(store).exists()
        cache = ReplyCache(store, run_id="next")
        assert cache.recovered == 5 and not journal_path(store).exists()
        found = cache.get_many([f"key-{i}" for i in range(6)])
    assert sorted(found) == [f"key-{i}" for i in range(5)] and found["key-3"].texts == ["answer 3"]


def test_a_flush_leaves_no_journal(store):
    cache = ReplyCache(store, run_id="r")
    cache.put({"endpoint": "e", "messages": []}, ChatResult(["a"], ["stop"], 1, 1, False, "k", "m"))
    assert journal_path(store).exists()
    assert cache.flush() == 1 and not journal_path(store).exists()
    assert ReplyCache(store).recovered == 0
