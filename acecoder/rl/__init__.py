"""RL on code with execution feedback: rewards in the shapes TRL, verl and OpenRLHF call, RLTF's fine-grained
penalties, GRPO training and evaluation.

- `rewards`: TRL reward functions (binary, pass_rate, coderl, rltf_adaptive, format, reward_model, combine).
- `execution`, `completions`: completions' programs run in the warm sandbox pool, one batch per call.
- `feedback`, `trainer`: per-token penalties on faulty lines, added to GRPO's advantages.
- `config`, `data`, `prompts`, `train`, `tiny_model`: `acecoder rl train`.
- `evaluate`: `acecoder rl eval` (pass@1 on HumanEval(+)/MBPP+).
- `verl_score`, `lookup`, `server`: verl's `compute_score` and the OpenRLHF reward server.
"""
