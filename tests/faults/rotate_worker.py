"""Run as a separate process by tests/faults: key rotation in batches of one, writing its progress to a file so
the parent can kill it in the middle of the job."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from jiabao.config import Settings
from jiabao.migrations.models import metadata
from jiabao.runtime import build_runtime
from jiabao.security import keys


def main() -> None:
    progress_file = Path(sys.argv[1])
    runtime = build_runtime(Settings())

    def progress(part: str, done: int, rows: int) -> None:
        progress_file.write_text(f"{part} {done}")
        time.sleep(0.3)  # one row per batch, slowly: the parent kills the job in the middle

    keys.rotate(runtime.sessions, metadata, runtime.cipher, runtime.settings.secret_key, now=runtime.clock.now(),
                batch=1, progress=progress)  # fmt: skip


if __name__ == "__main__":
    main()
