"""The pipeline's stages, one driver each, named as their CLI commands: ingest, synth, filter, sample, score,
pairs, export. A driver lists the pending work, tracks its run, runs batches and commits each as it completes."""
