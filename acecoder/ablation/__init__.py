"""The SFT/RL ablation of the atomic + synthetic functions study: a grid of data mix x regime (SFT, SFT then
RL, RL only), each cell evaluated by pass@1 on the held-out synthetic split and on HumanEval+/MBPP+.

- `config`: `AblationConfig`, with the CPU demonstration's and the GPU recipe's settings.
- `run`: the steps a flow calls (base model, SFT per mix, one cell, recording).
- `results`: the results table (DuckDB `ablation_results`, CSV, markdown) and the PNG plot.
"""
