"""Bradley-Terry reward model: pairs from DuckDB, training with TRL, scoring and held-out evaluation.

- `config`: RMConfig, the training presets, and TRL's RewardConfig built from them
- `data`: pairs from the store or an exported folder, the split by problem, fitting to max_length
- `encoding`: the token ids training and scoring share, and the cut of too-long programs
- `modeling`: loading tokenizers and models (full or LoRA), how a head reads a sequence
- `train`: `train(RMConfig)`; `scoring`: `score(...)` and `RewardScorer`; `evaluate`: `evaluate(model_dir)`
- `layout`, `card`: the files of a model folder and its model card (`runs` rows: `acecoder.core.store.detached_run`)

Nothing here imports torch at module level; heavy imports happen inside the functions that need them.
"""
