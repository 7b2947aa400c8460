"""Prefect tasks: each is a one-line call into `acecoder/` or `rewardmodel/`.

A stage's sandbox batches run as `sandbox_batch` tasks, submitted by the stage's own driver through
`flows.runners.PrefectBatches`: they take and return plain data, so any task runner can ship them to another
thread, process or Dask worker, where they use that process's warm sandbox pool. Whole-stage tasks (ingest,
sample, pairs, training, reranking) run the stage's driver in the flow's process: DuckDB has one writer.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import INPUTS, NO_CACHE, TASK_SOURCE

from acecoder.core.pools import shared_pool
from acecoder.stages.ingest import ingest
from acecoder.stages.pairs import make_pairs
from acecoder.stages.sample import sample_programs

# Reading a file or a Hub dataset, or asking an LLM, can fail for passing reasons: retried (the store is
# keyed by content and the LLM client caches replies, so a retry repeats nothing that finished). Sandbox work
# is not retried (a verdict that timed out would only time out again).
IO_RETRIES = {"retries": 2, "retry_delay_seconds": [5, 30]}


@task(name="sandbox-batch", tags=["sandbox"], cache_policy=NO_CACHE)
def sandbox_batch(work, args):
    return work(*args, pool=shared_pool())


# The inferred backend is a pure function of its inputs (the reference is deterministic, inputs are seeded).
infer_tests_batch = sandbox_batch.with_options(name="infer-tests", cache_policy=INPUTS + TASK_SOURCE)
filter_batch = sandbox_batch.with_options(name="filter-batch")
score_batch = sandbox_batch.with_options(name="score-batch")


@task(name="ingest", tags=["io"], cache_policy=NO_CACHE, **IO_RETRIES)
def ingest_task(store, source, config, flow_run_id):
    return ingest(source, store, config, flow_run_id=flow_run_id)


@task(name="sample", tags=["llm", "io"], cache_policy=NO_CACHE, **IO_RETRIES)
def sample_task(store, config, flow_run_id):
    return sample_programs(store, config, flow_run_id=flow_run_id)


@task(name="pairs", cache_policy=NO_CACHE)
def pairs_task(store, rule, histogram, flow_run_id):
    return make_pairs(store, rule, histogram=histogram, flow_run_id=flow_run_id)


# Training holds the machine for minutes to hours and writes its own folder: never retried, never cached.
@task(name="rm-train", cache_policy=NO_CACHE)
def rm_train_task(config, flow_run_id, reuse, resume):
    from rewardmodel.train import train

    return train(config, flow_run_id=flow_run_id, reuse=reuse, resume=resume)


@task(name="rerank-compare", tags=["sandbox"], cache_policy=NO_CACHE)
def rerank_compare_task(db, samples, benchmark, methods, flow_run_id, options):
    from acecoder.rerank.compare import compare_and_record

    return compare_and_record(db, samples, benchmark, methods, flow_run_id, **options)
