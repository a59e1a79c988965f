"""A publishing worker process for the fault tests: the engine over a queue URL and the file connector,
sending what is due until the queue has nothing left to send (or it is killed).

    python -m tests.publishing.worker_proc QUEUE_URL PLATFORM_DIR WORKER_ID [LATENCY] [LEASE]
"""

import sys
import time
from datetime import UTC, datetime

from somevahti.channels.file import FileConnector
from somevahti.publishing import Engine, Store


def main(url: str, directory: str, worker: str, latency: float = 0.0, lease: float = 2.0) -> int:
    store = Store.open(url)
    conn = FileConnector.from_credentials(
        {"directory": directory, "platform": "mastodon", "latency": latency}
    )
    engine = Engine(store, lambda account_id: conn, None, lease_seconds=lease, retry_base=0.2, use_ner=False)
    idle_since = None
    while True:
        report = engine.run_due(datetime.now(UTC), worker, limit=2)
        if report.published or report.retrying or report.failed:
            idle_since = None
            continue
        left = store.one("SELECT COUNT(*) FROM publishing_publication WHERE status IN ('queued', 'sending')")[
            0
        ]
        if not left:
            return 0
        idle_since = idle_since or time.monotonic()
        if time.monotonic() - idle_since > 60:
            return 1
        time.sleep(0.1)


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[0], args[1], args[2], *(float(a) for a in args[3:])))
