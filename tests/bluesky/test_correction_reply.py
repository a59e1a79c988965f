"""A correction on Bluesky, where a published post cannot be edited: the engine publishes it as a
reply on the real local network, answering the end of the thread with the thread's root as root."""

from somevahti.publishing import Engine, Store
from tests.bluesky.conftest import get_record
from tests.publishing.conftest import account, doc


def test_a_correction_reply_answers_the_thread_on_the_pds(bsky_network, alice, tmp_path):
    store = Store.open(f"sqlite:///{tmp_path}/queue.sqlite3")
    try:
        engine = Engine(store, {"bluesky:kirkkonummi": alice}, None, use_ner=False)
        original = engine.send(engine.submit(doc(channel="bluesky"), account("bluesky")).key)
        assert original.status == "published" and len(original.parts) == 2
        note = doc(
            channel="bluesky", text={"fi": "Korjaus: kirjasto on auki kello 10–17."}, in_reply_to=original.key
        )
        reply = engine.send(engine.submit(note, account("bluesky"), key=f"{original.key}:correction-1").key)
        assert reply.status == "published", reply.error_message
        record = get_record(bsky_network, reply.parts[0].external_id)["value"]
        assert record["text"] == "Korjaus: kirjasto on auki kello 10–17."
        assert record["reply"]["parent"]["uri"] == original.parts[-1].external_id
        assert record["reply"]["root"]["uri"] == original.parts[0].external_id
    finally:
        store.close()
