"""Nothing lost: the real server is killed (SIGKILL) while answers pour in, started again, and every answer any
phone was told is saved is still there.

Each phone keeps editing its answer (version 1, 2, 3, ...). After the restart a phone's stored answer must be
the last version it was told is saved, or a later one whose acknowledgement the kill cut off: never an earlier one.
"""

import itertools
import re
import threading

from tests.support.waiting import wait_until

PHONES = 40


def test_nothing_lost_when_the_server_is_killed_while_answers_pour_in(live_server, peers):
    created = live_server.create_session()
    code = created["code"]
    console = peers(live_server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    assert console.call("goto", {"step_id": "1:goal"})["ok"]
    phones = [peers(live_server.url, "/participant", code=code, name=f"Phone {n}").connect() for n in range(PHONES)]
    tokens = [phone.wait_for("welcome")["token"] for phone in phones]
    for phone in phones:
        phone.wait_for("state", lambda state: state["step"] and state["step"]["id"] == "1:goal")

    acknowledged: dict[int, int] = {}  # phone -> the last version it was told is saved
    go = threading.Event()

    def answer(n: int) -> None:
        go.wait()
        for version in itertools.count(1):
            payload = {"step_id": "1:goal", "answer_id": f"a{n}-{version}", "value": f"Goal of phone {n} v{version}"}
            try:
                ack = phones[n].call("answer", payload)
            except Exception:  # the server died before answering: this version was never "saved" for the phone
                return
            if not ack.get("ok"):
                return
            acknowledged[n] = version

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(PHONES)]
    for thread in threads:
        thread.start()
    go.set()
    wait_until(lambda: sum(acknowledged.values()) >= PHONES * 5, timeout=60, message="answers acknowledged")
    live_server.kill()  # mid-stream: some answers are acknowledged, some in flight, some not yet sent
    for thread in threads:
        thread.join(timeout=30)
    told_saved = dict(acknowledged)
    assert told_saved, "some answers were acknowledged before the kill"
    for phone in phones:
        phone.disconnect()
    console.disconnect()

    live_server.start()
    for n, version in told_saved.items():
        back = peers(live_server.url, "/participant", code=code, token=tokens[n]).connect()
        stored = back.wait_for("state")["answers"].get("1:goal", "")
        match = re.fullmatch(rf"Goal of phone {n} v(\d+)", stored)
        assert match and int(match.group(1)) >= version, f"phone {n} was told v{version} was saved; found {stored!r}"
        back.disconnect()
