"""Extension objects, made once and bound to each app with ``init_app``."""

from flask_socketio import SocketIO

socketio = SocketIO()
