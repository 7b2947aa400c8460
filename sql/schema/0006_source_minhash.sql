-- Near-duplicate index of stored sources: each row's MinHash signature and its LSH band keys, so ingest
-- checks a chunk against everything stored with a join on the band keys, never re-reading stored texts
-- (memory stays flat however large the corpus grows). Written in the same transaction as the sources rows.
CREATE TABLE IF NOT EXISTS source_minhash (
    source_id     VARCHAR NOT NULL,                     -- sources.source_id
    position      BIGINT NOT NULL,                      -- ingest order: of near duplicates the earliest is kept
    signature     BLOB NOT NULL                         -- the MinHash signature, little-endian uint32s
);

CREATE TABLE IF NOT EXISTS source_lsh_bands (
    scheme        VARCHAR NOT NULL,                     -- "{bands}x{rows}": the banding a threshold chose
    band          SMALLINT NOT NULL,
    band_key      UBIGINT NOT NULL,                     -- hash of the signature's values in that band
    source_id     VARCHAR NOT NULL
);
