"""Prefect tasks: each is a one-line call into `acecoder/` or `rewardmodel/`.

Compute tasks (sandbox work on a batch) take and return plain data, so any task runner can ship them to
another thread, process or Dask worker; they use that process's warm sandbox pool. Write tasks take the
open store and are called from the flow's own thread, one at a time: DuckDB has one writer.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import INPUTS, NO_CACHE, TASK_SOURCE

from acecoder.core.pools import shared_pool
from acecoder.stages.filter import filter_batch, write_filter_rows
from acecoder.stages.ingest import ingest
from acecoder.stages.pairs import make_pairs
from acecoder.stages.sample import sample_programs
from acecoder.stages.score import score_batch, write_scores
from acecoder.stages.synth.inferred import infer_tests
from acecoder.stages.synth.stage import store_outcomes, synthesize

# Reading a file or a Hub dataset can fail for passing reasons: retried. Sandbox work is not (a verdict
# that timed out would only time out again), and writes are transactional.
IO_RETRIES = {"retries": 2, "retry_delay_seconds": [5, 30]}


@task(name="ingest", tags=["io"], cache_policy=NO_CACHE, **IO_RETRIES)
def ingest_task(store, source, config, flow_run_id):
    return ingest(source, store, config, flow_run_id=flow_run_id)


@task(name="synth-llm", tags=["llm", "io"], cache_policy=NO_CACHE, **IO_RETRIES)
def synth_llm_task(store, config, flow_run_id):
    return synthesize(store, config, flow_run_id=flow_run_id)


# Pure function of its inputs (the reference is deterministic, inputs are seeded): safe to cache.
@task(name="infer-tests", tags=["sandbox"], cache_policy=INPUTS + TASK_SOURCE)
def infer_tests_task(rows, max_tests, inputs_per_problem, seed):
    return infer_tests(
        rows, shared_pool(), max_tests=max_tests, inputs_per_problem=inputs_per_problem, seed=seed
    )


@task(name="store-problems", cache_policy=NO_CACHE)
def store_problems_task(store, outcomes, versions, backend, model, run_id, report):
    return store_outcomes(store, outcomes, versions, backend, model, run_id, report)


@task(name="filter-batch", tags=["sandbox"], cache_policy=NO_CACHE)
def filter_batch_task(problems, tests, config, run_id):
    return filter_batch(problems, tests, shared_pool(), config, run_id)


@task(name="store-filter", cache_policy=NO_CACHE)
def store_filter_task(store, rows, run_id):
    return write_filter_rows(store, rows, run_id)


@task(name="sample", tags=["llm", "io"], cache_policy=NO_CACHE, **IO_RETRIES)
def sample_task(store, config, flow_run_id):
    return sample_programs(store, config, flow_run_id=flow_run_id)


@task(name="score-batch", tags=["sandbox"], cache_policy=NO_CACHE)
def score_batch_task(programs, tests, run_id):
    return score_batch(programs, tests, shared_pool(), run_id)


@task(name="store-scores", cache_policy=NO_CACHE)
def store_scores_task(store, rows):
    return write_scores(store, rows)


@task(name="pairs", cache_policy=NO_CACHE)
def pairs_task(store, rule, histogram, flow_run_id):
    return make_pairs(store, rule, histogram=histogram, flow_run_id=flow_run_id)


# Training holds the machine for minutes to hours and writes its own folder: never retried, never cached.
@task(name="rm-train", cache_policy=NO_CACHE)
def rm_train_task(config, flow_run_id, reuse):
    from rewardmodel.train import train

    return train(config, flow_run_id=flow_run_id, reuse=reuse)


@task(name="rerank-compare", tags=["sandbox"], cache_policy=NO_CACHE)
def rerank_compare_task(db, samples, benchmark, methods, flow_run_id, options):
    from acecoder.rerank.compare import compare_and_record

    return compare_and_record(db, samples, benchmark, methods, flow_run_id, **options)
