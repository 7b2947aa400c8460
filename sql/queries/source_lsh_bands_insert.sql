-- LSH band keys of newly stored sources (`staged`: band, band_key, source_id) under one banding scheme.
INSERT INTO source_lsh_bands (scheme, band, band_key, source_id)
SELECT $scheme, band, band_key, source_id FROM staged;
