"""Flask-SocketIO's test clients as the ``sio`` fixture makes them: events received, acks, refused connections."""

from typing import Any

from flask_socketio.test_client import SocketIOTestClient
from socketio import packet

from facilitator.loadtest.phone_view import PhoneView


class SocketClient(SocketIOTestClient):
    """Flask-SocketIO's test client that also keeps why its connection was refused: ``refusal`` is the server's
    ``{"message": ..., "data": {"code": ...}}`` (Flask-SocketIO's own client only notes that it is not connected)."""

    refusal: Any = None

    def connect(self, namespace=None, query_string=None, headers=None, auth=None) -> None:  # type: ignore[no-untyped-def]
        server = self.socketio.server
        send = server._send_packet  # the test client's own, set when it was made

        def keep_refusal(eio_sid: str, sent: packet.Packet) -> None:
            if eio_sid == self.eio_sid and sent.packet_type == packet.CONNECT_ERROR:
                self.refusal = sent.data
            send(eio_sid, sent)

        self.refusal = None
        server._send_packet = keep_refusal
        try:
            super().connect(namespace=namespace, query_string=query_string, headers=headers, auth=auth)
        finally:
            server._send_packet = send


def received(test_client: SocketIOTestClient, namespace: str) -> list[tuple[str, Any]]:
    """Every event a test client has received since it last looked; on /participant, the phone's states too."""
    view = test_client.__dict__.setdefault("phone_view", PhoneView())
    found = []
    for sent in test_client.get_received(namespace):
        name, data = sent["name"], sent["args"][0] if sent["args"] else None
        found.append((name, data))
        if namespace == "/participant" and name in PhoneView.PARTS and (state := view.feed(name, data)) is not None:
            found.append(("state", state))
        elif name == "state":
            view.feed(name, data)
    return found


def events(test_client: SocketIOTestClient, name: str, namespace: str) -> list[Any]:
    """The payloads of every ``name`` event a test client has received since it last looked."""
    return [data for event, data in received(test_client, namespace) if event == name]


def call(test_client: SocketIOTestClient, event: str, namespace: str, data: Any = None) -> Any:
    """Send ``event`` and return the server's ack."""
    return test_client.emit(event, data, namespace=namespace, callback=True)


def console(sio: Any, session: dict[str, Any]) -> SocketIOTestClient:
    """The session's console, connected with its facilitator key."""
    facilitator = sio("/facilitator", code=session["code"], key=session["facilitator_key"])
    assert facilitator.is_connected("/facilitator")
    return facilitator
