"""Ingest: read a code dataset, clean it, drop duplicates, flag benchmark contamination, store `sources`."""

from acecoder.ingest.config import IngestConfig
from acecoder.ingest.errors import IngestError
from acecoder.ingest.pipeline import IngestReport, ingest

__all__ = ["IngestConfig", "IngestError", "IngestReport", "ingest"]
