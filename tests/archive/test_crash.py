"""A writer killed with SIGKILL in the middle of appending leaves no partial record."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from somevahti.archive.api import Archive
from somevahti.archive.verify import verify

WRITER = textwrap.dedent("""
    import sys
    from somevahti.archive.api import Archive
    a = Archive.open(sys.argv[1], media_dir=sys.argv[2], keys_dir=sys.argv[3], checkpoint_every=50)
    i = 0
    while True:
        i += 1
        media = [("image %d" % i).encode() * 500] if i % 3 == 0 else []
        a.append("comment", {"event": "received", "texts": {"fi": "Kommentti %d kirjastosta" % i},
                             "parent": "x:1", "media": [{"type": "image"}] * len(media)},
                 org="kunta", account="fb", subject="x:1_%d" % i, raw="{}" * 200, media=media)
""")


def test_kill_9_while_appending_leaves_a_chain_that_verifies(db_url, tmp_path):
    archive = Archive.open(db_url, media_dir=tmp_path / "media", keys_dir=tmp_path / "keys")
    archive.init("kunta")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url, str(tmp_path / "media"), str(tmp_path / "keys")],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 60
        while archive.head("kunta")[0] < 120:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.time() < deadline, "the writer did not get going"
            time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    archive.close()
    archive = Archive.open(db_url, media_dir=tmp_path / "media", keys_dir=tmp_path / "keys")
    report = verify(archive, "kunta")
    assert report.ok, report.problems
    head = archive.head("kunta")[0]
    assert report.records == head >= 120
    assert report.checkpoints >= 2
    contents = archive.store.one("SELECT COUNT(*) FROM archive_content")[0]
    assert contents == head  # no record without its content, no content without its record
    # and the archive carries on where the killed writer stopped
    rec = archive.append("post", {"texts": {"fi": "Jatkuu"}}, org="kunta", account="fb")
    assert rec.seq == head + 1 and verify(archive, "kunta").ok
    archive.close()
