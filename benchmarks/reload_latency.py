"""Edit-to-reload latency of `ssg serve`: from saving a story to the moment the
server tells open pages to reload.

    python3 benchmarks/reload_latency.py SITE_DIR [--edits 5]

It starts a serve session on SITE_DIR (a copy is not made: the story is
edited and restored), listens on the live-reload event stream as a browser
would, appends a sentence to one story, and times until the new generation
is announced. Prints each edit's latency and the median.
"""

from __future__ import annotations

import argparse
import io
import json
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.build import BuildOptions  # noqa: E402
from generator.server.session import Session  # noqa: E402


def next_generation(sock: socket.socket, buffer: bytearray, after: int) -> int:
    while True:
        while b"\n\n" not in buffer:
            buffer.extend(sock.recv(65536))
        block, _, rest = bytes(buffer).partition(b"\n\n")
        buffer[:] = rest
        if b"data: " in block:
            state = json.loads(block.split(b"data: ", 1)[1])
            if state["generation"] > after and not state["errors"]:
                return state["generation"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    site = args.site.resolve()
    session = Session(BuildOptions(config_path=site / "site.yml"), "127.0.0.1", 0, io.StringIO(), io.StringIO())
    thread = threading.Thread(target=session.run, daemon=True)
    started = time.perf_counter()
    thread.start()
    session.ready.wait()
    print(f"first build and start: {time.perf_counter() - started:.2f} s")
    session.spare_ready.wait()  # an editor reads the site a moment before the first edit
    print(f"spare tree of the first build ready: {time.perf_counter() - started:.2f} s")
    stories = sorted((site / "content" / "articles").rglob("*.md"))
    story = stories[len(stories) // 2]
    original = story.read_text()
    host, port = session.server.server_address[:2]
    sock = socket.create_connection((host, port))
    sock.sendall(b"GET /__ssg__/events HTTP/1.1\r\nHost: x\r\n\r\n")
    buffer = bytearray()
    generation = session.reloader.generation
    times = []
    try:
        for n in range(args.edits):
            time.sleep(0.5)
            begin = time.perf_counter()
            story.write_text(original + f"\nEdit number {n}.\n")
            generation = next_generation(sock, buffer, generation)
            times.append(time.perf_counter() - begin)
            print(f"edit {n + 1}: {times[-1]:.2f} s")
    finally:
        story.write_text(original)
        sock.close()
        session.stop.set()
        thread.join(30)
    print(f"median edit-to-reload: {statistics.median(times):.2f} s over {len(times)} edits ({len(stories)} stories)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
