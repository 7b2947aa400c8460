"""Serve the flows from this process with their schedules (`make serve`): no work pool needed.

The deployments are the ones `flows/prefect.yaml` declares (names, descriptions, parameters, schedules), so
`make serve` and `make deploy` offer the same set. Runs until interrupted; needs PREFECT_API_URL pointing at a
Prefect server (`make server`).
"""

from __future__ import annotations

from pathlib import Path

from prefect import serve
from prefect.flows import load_flow_from_entrypoint

SPEC = Path(__file__).resolve().parent / "prefect.yaml"


def deployments():
    import yaml

    spec = yaml.safe_load(SPEC.read_text())
    root = SPEC.parent.parent
    served = []
    for deployment in spec["deployments"]:
        flow = load_flow_from_entrypoint(str(root / deployment["entrypoint"]))
        crons = [schedule["cron"] for schedule in deployment.get("schedules") or []]
        served.append(
            flow.to_deployment(
                name=deployment["name"],
                description=deployment.get("description"),
                parameters=deployment.get("parameters") or {},
                cron=crons[0] if crons else None,
            )
        )
    return served


if __name__ == "__main__":
    serve(*deployments())
