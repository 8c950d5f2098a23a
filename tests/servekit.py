"""Run `ssg serve` sessions inside tests."""

from __future__ import annotations

import io
import threading
from contextlib import contextmanager
from pathlib import Path

from generator.build import BuildOptions
from generator.server.session import Session


@contextmanager
def serving(root: Path, **options):
    out, err = io.StringIO(), io.StringIO()
    session = Session(BuildOptions(config_path=root / "site.yml", jobs=1, **options), "127.0.0.1", 0, out, err)
    thread = threading.Thread(target=session.run, daemon=True)
    thread.start()
    while not session.ready.wait(0.05) and thread.is_alive():
        pass
    try:
        yield session
    finally:
        session.stop.set()
        thread.join(10)
        assert not thread.is_alive(), "serve did not stop"
