"""The app factory: configuration, storage, Socket.IO and every blueprint, wired for one data folder."""

import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, make_response, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from facilitator import runtime, store
from facilitator.config import default_data_dir, load_or_create_admin_token, private_data_dir
from facilitator.edge import browser_words, compression, language, log_redaction, payloads, urls
from facilitator.edge.limits import init_app as init_limits
from facilitator.edge.limits import limits
from facilitator.edge.replies import domain_error_response, http_error_response, json_error
from facilitator.extensions import socketio
from facilitator.live import broadcast, presence
from facilitator.live.console import FacilitatorNamespace, ProjectorNamespace
from facilitator.mail.settings import mail_settings
from facilitator.routes import artifacts, coaching, followup, pages, progress_wall, reminders, session_exports, sessions
from facilitator.routes import media as media_routes
from facilitator.routes import protocol_upload as protocol_upload_routes
from facilitator.usecases import reminding
from participant import artifacts as phone_artifacts
from participant import coaching as person_coaching
from participant import evidence as person_evidence
from participant import pages as participant_pages
from participant import progress as person_progress
from participant.sockets import ParticipantNamespace
from protocols.errors import DomainError
from protocols.language import N_

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Addresses that name a join code, a token or a key: a miss on one of them counts against the sender.
CODE_ONLY_PATHS = ("/j/", "/projector/", "/console/")
PUBLIC_FILES = ("/qr.svg", "/handout.pdf")
LIMITED_PATHS = (*CODE_ONLY_PATHS, "/p/", "/c/", "/r/", "/stop/", "/api/sessions", "/api/follow-up", "/api/coach")
MISSES_MESSAGE = N_("Too many unknown codes from here; wait a minute and try again.")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    log_redaction.install()  # before anything can log: no token or key reaches a log line
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    app.json = payloads.JSONProvider(app)  # a body nested thousands deep is a 400, not a crash
    app.config.from_mapping(
        DATA_DIR=str(default_data_dir()),
        ADMIN_TOKEN=None,  # from PATHWAYS_ADMIN_TOKEN, else made once and kept in the data folder
        PUBLIC_URL=None,  # the address people reach Pathways at, e.g. https://pd.example.org: every link uses it
        LISTEN_URL=None,  # unless set: the address ``pathways serve`` found for itself; else the request's own
        ASYNC_MODE=runtime.DEFAULT_ASYNC_MODE,
        PAPER_SIZE="A4",
        LIVE_INTERVAL=0.25,  # seconds between live-count refreshes on the console and projector
        MAX_PAYLOAD_BYTES=64 * 1024,
        TRUST_PROXY=0,  # reverse proxies in front whose X-Forwarded-For/-Proto/-Host are believed (0: none)
        LIMIT_CODE_MISSES_BURST=200,  # unknown codes, tokens or keys per address: 200 at once, then one a second
        LIMIT_CODE_MISSES_PER_SECOND=1,
        LIMIT_JOINS_BURST=2000,  # new participants per address: a whole school behind one address joins at once
        LIMIT_JOINS_PER_SECOND=50,
        LIMIT_EVENTS_BURST=60,  # Socket.IO events per connection
        LIMIT_EVENTS_PER_SECOND=20,
        MESSAGE_QUEUE=None,  # redis://host:6379/0 when several worker processes serve one deployment (DEPLOY.md)
        SMTP_URL=None,  # smtp+starttls://user:password@host:587 to mail reminders; unset: shown in the app only
        MAIL_FROM=None,  # the sender reminders come from, e.g. "Pathways <pathways@district.org>"
        REMINDER_INTERVAL=reminding.DEFAULT_INTERVAL,  # seconds between the server's reminder passes; 0: none
        REQUEST_AGE_DAYS=reminding.DEFAULT_REQUEST_AGE_DAYS,  # open requests older than this go in weekly digests
        JSON_SORT_KEYS=False,
        EVIDENCE_FILE_MB=10,  # the largest evidence file a person may upload (PATHWAYS_EVIDENCE_FILE_MB)
        EVIDENCE_PERSON_MB=200,  # all of one person's evidence files together (PATHWAYS_EVIDENCE_PERSON_MB)
    )
    app.config.from_prefixed_env("PATHWAYS")
    if config:
        app.config.update(config)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_PAYLOAD_BYTES"]
    if warning := private_data_dir(Path(app.config["DATA_DIR"])):
        app.logger.warning(warning)
    if app.config["ADMIN_TOKEN"]:
        app.config["ADMIN_TOKEN"] = str(app.config["ADMIN_TOKEN"])  # from_prefixed_env reads "1234" as a number
    else:
        app.config["ADMIN_TOKEN"], app.config["ADMIN_TOKEN_CREATED"] = load_or_create_admin_token(
            Path(app.config["DATA_DIR"])
        )

    app.config["MAIL"] = mail_settings(app.config)  # a setting that cannot work stops the start, with the reason
    queue = presence.message_queue(app.config)  # a Redis URL, or None: one process serves alone
    store.init_app(app)
    init_limits(app)
    language.init_app(app)
    browser_words.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        max_http_buffer_size=app.config["MAX_PAYLOAD_BYTES"],
        json=payloads.SocketJSON,  # a message nested thousands deep is acked bad_request, not a traceback
        logger=False,
        engineio_logger=False,
        message_queue=queue,  # every emit reaches the clients of every worker, and disconnects too
        channel=presence.CHANNEL,
        # SocketIO keeps an earlier init_app's queue unless told: an app without one says so (tests make many apps)
        **({} if queue else {"client_manager": None}),
    )
    presence.init_app(app, queue)
    socketio.on_namespace(ParticipantNamespace(broadcast.PARTICIPANT_NS))
    socketio.on_namespace(FacilitatorNamespace(broadcast.FACILITATOR_NS))
    socketio.on_namespace(ProjectorNamespace(broadcast.PROJECTOR_NS))

    if int(app.config["TRUST_PROXY"]):  # so limits see each phone's address, not the proxy's (sockets too)
        hops = int(app.config["TRUST_PROXY"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    app.register_blueprint(sessions.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(participant_pages.bp)
    app.register_blueprint(session_exports.bp)
    app.register_blueprint(followup.bp)
    app.register_blueprint(coaching.bp)
    app.register_blueprint(person_coaching.bp)
    app.register_blueprint(person_evidence.bp)
    app.register_blueprint(artifacts.bp)
    app.register_blueprint(phone_artifacts.bp)
    app.register_blueprint(media_routes.bp)
    app.register_blueprint(protocol_upload_routes.bp)
    app.register_blueprint(person_progress.bp)
    app.register_blueprint(progress_wall.bp)
    app.register_blueprint(reminders.bp)
    _register_error_handlers(app)
    app.add_template_global(urls.local_public_address)  # the admin page warns when plan links will not last
    app.before_request(_refuse_code_guessers)
    app.after_request(_count_code_misses)
    compression.init_app(app)
    app.after_request(_security_headers)
    return app


def start_reminders(app: Flask) -> None:
    """The server's reminder passes, in the background, every ``REMINDER_INTERVAL`` seconds (none when 0, for
    operators who run ``pathways remind --send`` from cron or a systemd timer instead). Several workers may all run
    them: each reminder is recorded once and claimed by one sender."""
    interval = float(app.config["REMINDER_INTERVAL"])
    if interval <= 0:
        return

    def pass_once() -> None:
        with app.app_context():
            store.get_store().unconfirmed_after_crash(time.time())
            reminding.remind(
                store.get_store(),
                app.config["MAIL"],
                urls.base_url(),
                send=True,
                logger=app.logger,
                request_age_days=int(app.config["REQUEST_AGE_DAYS"]),
            )

    socketio.start_background_task(reminding.keep_reminding, pass_once, socketio.sleep, interval, app.logger)


def _code_only(path: str) -> bool:
    """An address that answers to a join code alone: guessing codes here is what the limit stops."""
    return path.startswith(CODE_ONLY_PATHS) or (path.startswith("/api/sessions/") and path.endswith(PUBLIC_FILES))


def _refuse_code_guessers() -> None:
    """An address that has missed too many codes or secrets may not look up codes until its budget refills.

    Requests that carry a secret (a token or key) are never refused up front: a room behind one address keeps
    working whatever its neighbours mistype, and secrets cannot be guessed anyway.
    """
    if _code_only(request.path) and limits().code_misses.exhausted(request.remote_addr or ""):
        raise DomainError("rate_limited", MISSES_MESSAGE)


def _count_code_misses(response: Response) -> Response:
    """A wrong code, token or key counts against the address; once it is out of budget, a miss says only 429."""
    if not request.path.startswith(LIMITED_PATHS) or response.status_code not in (401, 403, 404):
        return response
    if response.is_json and (response.get_json(silent=True) or {}).get("code") == "no_export":
        return response  # the console asking before any export was built: not a guess
    address = request.remote_addr or ""
    if limits().code_misses.exhausted(address):
        return make_response(json_error(429, MISSES_MESSAGE, "rate_limited"))
    limits().code_misses.allow(address)
    return response


def _register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, domain_error_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if request.path.startswith("/api/") or request.path == "/healthz" or request.path.endswith(".pdf"):
            return http_error_response(error)
        return error


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")  # plan and console links carry secrets
    response.headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response
