"""One warm sandbox pool per process, created on first use and closed at exit.

Orchestrators (Prefect task runners, Dask workers) call library functions from many tasks; they share the
process's pool instead of paying the workers' start-up per task.
"""

from __future__ import annotations

import atexit
import threading

_lock = threading.Lock()
_pool = None


def shared_pool():
    """The process-wide `SandboxPool` (sized by ACECODER_SANDBOX_WORKERS, default one worker per core)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = new_pool()
            atexit.register(close_shared_pool)
        return _pool


def new_pool():
    """A `SandboxPool` as the settings describe it (ACECODER_SANDBOX_WORKERS and the limits); the caller closes it."""
    from acecoder.core.settings import get_settings
    from acecoder.sandbox import SandboxPool

    return SandboxPool(workers=get_settings().sandbox_workers or None, limits=sandbox_limits())


def sandbox_limits():
    """The sandbox limits the settings give (ACECODER_SANDBOX_*)."""
    from acecoder.core.settings import get_settings
    from acecoder.sandbox import Limits

    settings = get_settings()
    return Limits(
        timeout_s=settings.sandbox_timeout_s,
        program_timeout_s=settings.sandbox_program_timeout_s,
        memory_mb=settings.sandbox_memory_mb,
        reference_factor=settings.sandbox_reference_factor,
        reference_floor_s=settings.sandbox_reference_floor_s,
    )


def close_shared_pool() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.close()
            _pool = None
