"""Ingest: read a code dataset, clean it, drop duplicates, flag benchmark contamination, store `sources`."""

from acecoder.stages.ingest.config import IngestConfig
from acecoder.stages.ingest.errors import IngestError
from acecoder.stages.ingest.pipeline import IngestReport, ingest

__all__ = ["IngestConfig", "IngestError", "IngestReport", "ingest"]
