"""Serve the flows from this process with their schedules (`make serve`): no work pool needed.

Runs until interrupted; needs PREFECT_API_URL pointing at a Prefect server (`make server`).
"""

from __future__ import annotations

from prefect import serve

from flows.stages import filter_flow, ingest_flow, pairs_flow, pipeline, sample_flow, score_flow, synth_flow


def deployments():
    return [
        synth_flow.to_deployment(name="nightly-synth", cron="0 1 * * *", parameters={"backend": "inferred"}),
        filter_flow.to_deployment(name="nightly-filter", cron="0 3 * * *"),
        sample_flow.to_deployment(name="nightly-sample", cron="0 4 * * *"),
        score_flow.to_deployment(name="nightly-score", cron="30 4 * * *"),
        pairs_flow.to_deployment(name="nightly-pairs", cron="0 6 * * *"),
        ingest_flow.to_deployment(name="ingest"),
        pipeline.to_deployment(name="pipeline"),
    ]


if __name__ == "__main__":
    serve(*deployments())
