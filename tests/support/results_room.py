"""A room for the tests of what the screens show of a step's results (reveal, approve, a scale's mean): a protocol
made of the steps a test needs, a console, a projector and phones over real sockets, optionally at tables."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tests.support.peers import Peer
from tests.support.waiting import wait_until


def protocol_toml(steps: Sequence[Mapping[str, Any]], *, grouped: bool = False) -> str:
    """A protocol file of ``steps`` (each a table of step fields; kind text, room, one minute unless said)."""
    lines = ['id = "results-check"', 'title = "Results check"', 'purpose = "One step per case."']
    if grouped:
        lines += ["[grouping]", "size = 3", "min = 2", "max = 4"]
    for step in steps:
        fields = {"title": step["id"], "prompt": "Answer", "kind": "text", "visibility": "room", "minutes": 1, **step}
        lines.append("[[steps]]")
        lines += [f"{key} = {_toml(value)}" for key, value in fields.items()]
    return "\n".join(lines)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


@dataclass
class Room:
    """A session running the results-check protocol alone (its steps are ``2:<id>``)."""

    code: str
    key: str
    console: Peer
    projector: Peer
    phones: dict[str, Peer]
    ids: dict[str, int]

    def open(self, step_id: str) -> str:
        """Open step ``step_id`` from the console; every phone is on it when this returns."""
        key = f"2:{step_id}"
        assert self.console.call("goto", {"step_id": key})["ok"]
        for phone in self.phones.values():
            phone.wait_for("state", lambda state: state["step"] is not None and state["step"]["id"] == key)
        return key

    def answer(self, name: str, key: str, value: Any, answer_id: str) -> None:
        ack = self.phones[name].call("answer", {"step_id": key, "answer_id": answer_id, "value": value})
        assert ack["ok"], ack


def open_room(
    server: Any,
    peers: Callable[..., Peer],
    toml: str,
    names: Sequence[str],
    tables: Sequence[Sequence[str]] = (),
) -> Room:
    """A new session of the ``toml`` protocol alone, with a console, a projector and a phone for each of ``names``,
    seated at ``tables`` (lists of names) when given."""
    created = server.create_session(agenda=["three-two-one"])
    code = created["code"]
    console = peers(server.url, "/facilitator", code=code, key=created["facilitator_key"]).connect()
    added = console.call("agenda_add", {"toml": toml, "file_name": "results-check.toml"})
    assert added["ok"], added
    assert console.call("agenda_remove", {"item": 1})["ok"]
    projector = peers(server.url, "/projector", code=code).connect()
    phones = {name: peers(server.url, "/participant", code=code, name=name).connect() for name in names}
    ids = {name: phone.wait_for("welcome")["participant_id"] for name, phone in phones.items()}
    if tables:
        assert console.call("form_groups", {"size": len(tables[0]), "confirm": True})["ok"]
        for number, table in enumerate(tables, start=1):
            for name in table:
                assert console.call("move", {"participant_id": ids[name], "group": number})["ok"]
        wanted = [set(table) for table in tables]
        console.wait_for("state", lambda s: [{m["name"] for m in g["members"]} for g in s["groups"]] == wanted)
    return Room(code, created["facilitator_key"], console, projector, phones, ids)


def newest_live(peer: Peer, key: str, predicate: Callable[[dict], bool], since: int = 0) -> dict:
    """The screen's newest picture of step ``key`` (a ``live``, or a ``state``'s) once it satisfies ``predicate``."""

    def newest() -> dict | None:
        pictures = [data if name == "live" else data["live"] for name, data in peer.received[since:]
                    if name in ("live", "state")]  # fmt: skip
        return pictures[-1] if pictures and pictures[-1]["step_id"] == key else None

    return wait_until(lambda: (live := newest()) is not None and predicate(live) and live, message="a live picture")
