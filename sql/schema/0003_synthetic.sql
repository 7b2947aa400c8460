-- Synthetic functions: atomic seed functions composed by type into new functions (acecoder.synthetic), the
-- contamination-free splits made of them, and the SFT/RL ablation's results.

-- One row per composed function; its source (dataset 'synthetic') and problem (origin 'synthetic') hold the
-- question, the reference solution and the tests.
CREATE TABLE IF NOT EXISTS compositions (
    composition_id VARCHAR PRIMARY KEY,                 -- hash of the structure (atoms, stages, which parameter
                                                        -- each value fills)
    source_id      VARCHAR NOT NULL,
    problem_id     VARCHAR NOT NULL,
    entry_point    VARCHAR NOT NULL,
    structure      JSON NOT NULL,                       -- acecoder.synthetic.composition.Composition.to_json()
    atom_sequence  VARCHAR NOT NULL,                    -- the atoms in order, 'a>b>c'
    depth          INTEGER NOT NULL,                    -- number of atoms
    combinators    VARCHAR[] NOT NULL,                  -- map | filter | fold | branch, in stage order
    topics         VARCHAR[] NOT NULL,                  -- distinct topics of the atoms, sorted
    params         INTEGER NOT NULL,                    -- parameters of the composed function
    tests          INTEGER NOT NULL,                    -- tests stored for its problem
    reference_pass_rate DOUBLE NOT NULL,                -- the reference run on its own tests at generation
    template_question VARCHAR NOT NULL,                 -- before any LLM polish
    seed           INTEGER NOT NULL,
    generator_version VARCHAR NOT NULL,
    run_id         VARCHAR,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Each atom of a composition, in order: what split and contamination queries join on.
CREATE TABLE IF NOT EXISTS composition_atoms (
    composition_id VARCHAR NOT NULL,
    position       INTEGER NOT NULL,                    -- 0-based, in the order of composition.atoms
    atom           VARCHAR NOT NULL,                    -- seed function name
    topic          VARCHAR NOT NULL,
    stage          INTEGER NOT NULL,                    -- 0-based stage index
    role           VARCHAR NOT NULL,                    -- apply | map | filter | fold | predicate | then | otherwise
    PRIMARY KEY (composition_id, position)
);

-- A named split of the compositions into train and test.
CREATE TABLE IF NOT EXISTS synthetic_splits (
    split             VARCHAR PRIMARY KEY,
    held_out_topic    VARCHAR,                          -- no training composition uses an atom of this topic
    held_out_fraction DOUBLE NOT NULL,                  -- share of atom sequences held out for test
    seed              INTEGER NOT NULL,
    run_id            VARCHAR,
    created_at        TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS synthetic_split_members (
    split          VARCHAR NOT NULL,
    composition_id VARCHAR NOT NULL,
    part           VARCHAR NOT NULL,                    -- train | test
    reason         VARCHAR NOT NULL,                    -- held-out topic | held-out sequence | train
    PRIMARY KEY (split, composition_id)
);

-- pass@1 of every cell of an SFT / RL ablation grid (data mix x regime) on every evaluation set.
CREATE TABLE IF NOT EXISTS ablation_results (
    ablation_id    VARCHAR NOT NULL,
    mix            VARCHAR NOT NULL,                    -- atomic | synthetic | atomic+K
    regime         VARCHAR NOT NULL,                    -- sft | sft+rl | rl
    benchmark      VARCHAR NOT NULL,                    -- synthetic-test | humaneval+ | mbpp+ | ...
    tests          VARCHAR NOT NULL,                    -- base | plus (benchmarks), all (synthetic)
    pass_at_1      DOUBLE,
    tasks          INTEGER NOT NULL,
    model_dir      VARCHAR,
    demonstration  BOOLEAN NOT NULL,
    run_id         VARCHAR,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (ablation_id, mix, regime, benchmark, tests)
);
