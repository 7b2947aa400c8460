"""The ablation flow under prefect_test_harness: the CPU demonstration of the grid data mix x {SFT, SFT then
RL, RL only}, on a tiny random model for a few steps, evaluated on the held-out synthetic split and on the
HumanEval+/MBPP+ fixture slices, and recorded in DuckDB, results files and a plot."""

from __future__ import annotations

from pathlib import Path

import duckdb

FIXTURES = Path(__file__).parent / "fixtures"
BENCHMARKS = [str(FIXTURES / "humanevalplus_slice.jsonl"), str(FIXTURES / "mbppplus_slice.jsonl")]


def test_ablation_flow_runs_the_grid_on_cpu(tmp_path):
    from prefect.testing.utilities import prefect_test_harness

    from flows.ablation import ablation_flow

    db, out = tmp_path / "a.duckdb", tmp_path / "ablation"
    with prefect_test_harness(server_startup_timeout=120):
        summary = ablation_flow(
            db=db,
            out=out,
            mixes=["atomic", "atomic+2"],
            generate_count=18,
            depths=[2, 3],
            held_out_fraction=0.3,
            benchmarks=BENCHMARKS,
            benchmark_limit=1,
            synthetic_eval_limit=2,
            max_new_tokens=8,
            rl_prompts=2,
        )
    assert summary["demonstration"] and summary["split"]["leaks"] == 0 and summary["held_out_tasks"] >= 1
    cells = {(c["mix"], c["regime"]): c for c in summary["cells"]}
    assert set(cells) == {(m, r) for m in ("atomic", "atomic+2") for r in ("sft", "sft+rl", "rl")}
    for (_, regime), cell in cells.items():
        evaluations = {(s["benchmark"], s["tests"]) for s in cell["scores"]}
        assert evaluations == {
            ("synthetic-test", "all"),
            ("humanevalplus_slice.jsonl", "base"),
            ("humanevalplus_slice.jsonl", "plus"),
            ("mbppplus_slice.jsonl", "base"),
            ("mbppplus_slice.jsonl", "plus"),
        }
        assert all(0.0 <= s["pass_at_1"] <= 1.0 and s["tasks"] >= 1 for s in cell["scores"])
        assert (Path(cell["model_dir"]) / "model.safetensors").is_file()
        if regime == "sft":
            assert cell["model_dir"].endswith("sft/model") and not cell["training"]
        else:
            assert cell["training"]["rl_steps"] == 1 and cell["training"]["rl_problems"] == 2
    # SFT then RL starts from the mix's SFT model, RL only from the base: three different policies per mix
    for mix in ("atomic", "atomic+2"):
        assert len({cells[(mix, r)]["model_dir"] for r in ("sft", "sft+rl", "rl")}) == 3
    assert len(summary["table"]) == 6
    assert "DEMONSTRATION" in Path(summary["results_md"]).read_text()
    assert Path(summary["plot"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert Path(summary["results_csv"]).read_text().count("\n") == 1 + 6 * 5
    con = duckdb.connect(str(db), read_only=True)
    try:
        results = con.execute(
            "SELECT count(*), count(DISTINCT run_id), bool_and(demonstration) FROM ablation_results"
        ).fetchone()
        runs = con.execute(
            "SELECT count(*), count(flow_run_id), min(status), max(status) FROM runs "
            "WHERE stage = 'ablation-cell'"
        ).fetchone()
        stages = {r[0] for r in con.execute("SELECT DISTINCT stage FROM runs").fetchall()}
    finally:
        con.close()
    assert results == (30, 6, True)
    assert runs == (6, 6, "ok", "ok")
    assert {"synthetic", "synthetic-split", "ablation-cell"} <= stages
