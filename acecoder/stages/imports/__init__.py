"""Importing data that already carries tests or programs: AceCode rows, raw LLM tests, program samples and
benchmark tasks (evaluation-only). One module per format; `driver` holds the stage's functions."""

from acecoder.stages.imports.common import ImportFileError, ImportReport
from acecoder.stages.imports.driver import (
    ImportConfig,
    add_inferred_tests,
    import_acecode,
    import_benchmark,
    import_llm_tests,
    import_samples,
)

__all__ = [
    "ImportConfig",
    "ImportFileError",
    "ImportReport",
    "add_inferred_tests",
    "import_acecode",
    "import_benchmark",
    "import_llm_tests",
    "import_samples",
]
