"""The RL Prefect flow under prefect_test_harness: the CPU demonstration end to end, one GRPO step."""

from __future__ import annotations


def test_rl_flow_runs_the_demonstration(tmp_path):
    from prefect.testing.utilities import prefect_test_harness

    from flows.rl import rl_flow

    with prefect_test_harness(server_startup_timeout=120):
        summary = rl_flow(limit=4, max_steps=1, out=tmp_path, rewards={"binary": 1.0, "format": 0.2})
    assert summary["demonstration"] and summary["steps"] == 1 and summary["problems"] == 4
    assert (tmp_path / "model" / "model.safetensors").is_file()
    assert "rewards/binary/mean" in summary["metrics"]
