"""Supervised fine-tuning on atomic and synthetic functions (question -> reference solution) with TRL's
`SFTTrainer`, in the data mixes of the SFT/RL study's ablation (`acecoder.functions.tasks.DataMix`).

- `config`: `SFTRunConfig` and the presets (`study` for a GPU, `cpu-demo` for a few CPU steps).
- `data`: prompt/completion rows in the RL prompt format, so SFT, RL and evaluation ask alike.
- `train`: `acecoder sft train`.
"""
