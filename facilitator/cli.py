"""The ``pathways`` command: serve the app, inspect and validate protocols, export a session."""

import fcntl
import os
import socket
import struct
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from facilitator import runtime
from facilitator.config import default_data_dir

SIOCGIFADDR = 0x8915  # Linux ioctl: an interface's IPv4 address


PRIVATE_UMASK = 0o077  # every folder and file a command makes is its owner's alone: 0700 and 0600


@click.group(help="Pathways: live, structured professional learning for large rooms.")
def main() -> None:
    # Set before anything is written: the database, its WAL and SHM files, exports and their child processes.
    os.umask(PRIVATE_UMASK)


def lan_address() -> str | None:
    """This machine's first non-loopback IPv4 address, read from its interfaces (no packet is sent)."""
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = info[4][0]
            if not address.startswith("127."):
                return address
    except OSError:
        pass
    if sys.platform.startswith("linux"):
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            for _index, name in socket.if_nameindex():
                try:
                    packed = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, struct.pack("256s", name[:15].encode()))
                except OSError:
                    continue
                address = socket.inet_ntoa(packed[20:24])
                if not address.startswith("127."):
                    return address
        finally:
            probe.close()
    return None


def listen_url(host: str, port: int) -> str:
    """The address this server is reached at from elsewhere: its LAN address when it listens on every interface."""
    shown = (lan_address() or socket.gethostname()) if host in ("0.0.0.0", "::") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="PATHWAYS_HOST",
              help="Address to listen on; 0.0.0.0 lets phones on the LAN reach it.")  # fmt: skip
@click.option("--port", default=5000, show_default=True, type=int, envvar="PATHWAYS_PORT")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="PATHWAYS_DATA_DIR",
              help=f"Where the database and admin token live [default: {default_data_dir()}]")  # fmt: skip
@click.option("--public-url", envvar="PATHWAYS_PUBLIC_URL",
              help="The address people reach Pathways at, used in every link, QR code and plan, e.g. "
                   "https://pd.example.org [default: this machine's address: plan links then stop working once it "
                   "leaves the network]")  # fmt: skip
def serve(host: str, port: int, data_dir: Path | None, public_url: str | None) -> None:
    """Start the server on the embedded default: SQLite in the data folder, no other service."""
    mode = runtime.async_mode_from_env()
    runtime.patch(mode)
    runtime.raise_file_limit()  # each phone is an open socket: a hall outgrows the usual soft limit of 1,024
    from facilitator.app import create_app, start_reminders
    from facilitator.edge import urls
    from facilitator.edge.language import language
    from facilitator.extensions import socketio

    config = {"ASYNC_MODE": mode, "LISTEN_URL": listen_url(host, port)}
    if public_url:
        if problem := urls.public_url_problem(public_url):
            raise click.BadParameter(problem, param_hint="'--public-url' / PATHWAYS_PUBLIC_URL")
        config["PUBLIC_URL"] = public_url.rstrip("/")
    if data_dir is not None:
        config["DATA_DIR"] = str(data_dir.expanduser().resolve())
    app = create_app(config)
    with app.app_context():
        base, join_page, local_address = urls.base_url(), urls.join_page_url(), urls.local_public_address()
    token_path = Path(app.config["DATA_DIR"]) / "admin_token"
    click.echo("Pathways is running.")
    click.echo(f"  Create a session: {base}/admin")
    if app.config.get("ADMIN_TOKEN_CREATED"):
        click.echo(f"  Admin token:      {app.config['ADMIN_TOKEN']}  (shown once; kept in {token_path})")
    elif token_path.is_file():
        click.echo(f"  Admin token:      in {token_path}")
    else:
        click.echo("  Admin token:      from PATHWAYS_ADMIN_TOKEN")
    click.echo(f"  Phones join at:   {join_page}")
    click.echo(f"  Data folder:      {app.config['DATA_DIR']}")
    if host in ("127.0.0.1", "localhost"):
        click.echo("  Only this computer can reach it; use --host 0.0.0.0 to let phones on the network join.")
    if local_address:
        warning = language(None).gettext(
            "Personal plan links use {address}, which only this computer and its network can reach: they will stop"
            " working once this laptop leaves the network. To keep them working after the day, run Pathways where"
            " people can reach it from anywhere and give that address with --public-url (or PATHWAYS_PUBLIC_URL);"
            " see the README.",
            address=local_address,
        )
        click.echo(click.style("Warning: ", fg="yellow", bold=True) + warning, err=True)
    sys.stdout.flush()
    start_reminders(app)
    socketio.run(app, host=host, port=port, log_output=False, **runtime.server_options(mode))


@main.group()
def protocols() -> None:
    """List, show and validate protocol files."""


@protocols.command("list")
def protocols_list() -> None:
    """Every protocol in the library."""
    from protocols.loader import load_library

    for protocol in load_library().values():
        click.echo(f"{protocol.id:24} {protocol.minutes:>5g} min  {len(protocol.steps):>2} steps  {protocol.title}")


@protocols.command("show")
@click.argument("protocol_id")
def protocols_show(protocol_id: str) -> None:
    """One protocol's steps, minutes, visibility and facilitator notes."""
    from protocols.loader import load_library

    protocol = load_library().get(protocol_id)
    if protocol is None:
        raise click.ClickException(f"There is no protocol {protocol_id!r}; see 'pathways protocols list'.")
    click.echo(f"{protocol.title}  ({protocol.id}, {protocol.minutes:g} minutes)")
    click.echo(f"Purpose: {protocol.purpose}")
    if protocol.source:
        click.echo(f"Source: {protocol.source}")
    for number, step in enumerate(protocol.steps, start=1):
        click.echo(f"\n{number}. {step.title}  [{step.kind.value}, {step.minutes:g} min, {step.visibility.value}]")
        click.echo(f"   Prompt: {step.prompt}")
        if step.notes:
            click.echo(f"   Notes:  {step.notes}")


@protocols.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def protocols_validate(files: tuple[Path, ...]) -> None:
    """Check protocol files; exit status 1 if any has a problem."""
    from protocols.loader import ProtocolFileError, load_protocol_file

    failed = False
    for path in files:
        try:
            protocol = load_protocol_file(path)
        except ProtocolFileError as error:
            failed = True
            for problem in error.problems:
                click.echo(f"{path}: {problem}", err=True)
        else:
            click.echo(f"{path}: ok ({protocol.id}, {len(protocol.steps)} steps)")
    if failed:
        sys.exit(1)


@main.command("export")
@click.argument("code")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the ZIP into (made if missing).")  # fmt: skip
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="PATHWAYS_DATA_DIR",
              help=f"Where the database lives [default: {default_data_dir()}]")  # fmt: skip
@click.option("--paper", type=click.Choice(["A4", "LETTER"], case_sensitive=False), envvar="PATHWAYS_PAPER_SIZE",
              default="A4", show_default=True, help="Paper size of the PDFs.")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), help="Processes building PDFs [default: one per CPU].")
@click.option("--status-file", type=click.Path(dir_okay=False, path_type=Path), hidden=True)
@click.option("--background", is_flag=True, hidden=True, help="Run at a lower CPU priority than the live server.")
def export(
    code: str,
    out_dir: Path,
    data_dir: Path | None,
    paper: str,
    workers: int | None,
    status_file: Path | None,
    background: bool,
) -> None:
    """Write a session's ZIP: every plan (the facilitator's copy), answers.csv and summary.pdf.

    The database is PATHWAYS_DATABASE_URL if set, else the SQLite file in the data folder. The URL is read from the
    environment only, as it may hold a password: everyone on the machine can see a command line.
    """
    from facilitator.usecases.exporting import StatusWriter, export_session, write_status
    from protocols.errors import DomainError

    if background and hasattr(os, "nice"):
        os.nice(10)  # the live room's server process comes first
    folder = (data_dir or default_data_dir()).expanduser().resolve()
    status = StatusWriter(status_file) if status_file else None
    counted = {"done": 0, "total": 0}
    with ExitStack() as stack:
        bars: list = []  # the bar appears once the session is found and the plans are counted

        def progress(done: int, total: int) -> None:
            counted.update(done=done, total=total)
            if not bars:
                bar = click.progressbar(length=total, label="Building plans", file=sys.stderr, show_pos=True)
                bars.append(stack.enter_context(bar))
            bars[0].update(done - bars[0].pos)
            if status:
                status(done, total)

        try:
            path = export_session(folder, code, out_dir, paper=paper, workers=workers, progress=progress,
                                  database_url=os.environ.get("PATHWAYS_DATABASE_URL"))  # fmt: skip
        except DomainError as error:
            if status_file:
                write_status(status_file, state="failed", done=0, total=0, error=error.message)
            raise click.ClickException(error.message) from None
        except Exception as error:
            if status_file:
                write_status(status_file, state="failed", done=0, total=0, error=f"The export failed: {error}")
            raise
    if status_file:
        write_status(status_file, state="done", **counted, file=path.name)
    click.echo(str(path))


@main.command(
    "loadtest", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}, add_help_option=False
)
@click.pass_context
def loadtest(context: click.Context) -> None:
    """Drive a server with simulated phones and measure it (see --help)."""
    # Imported here: the load generator's asyncio client must not load before `serve` patches the standard library.
    from facilitator.loadtest.generator import loadtest_command

    loadtest_command.main(args=context.args, prog_name="pathways loadtest")


@main.command("remind")
@click.option(
    "--send/--dry-run",
    default=False,
    help="--dry-run (the default) lists what is due; --send records it and mails what has an address.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PATHWAYS_DATA_DIR",
    help=f"Where the database lives [default: {default_data_dir()}]",
)
@click.option("--public-url", envvar="PATHWAYS_PUBLIC_URL", help="The address links in the messages go to.")
def remind(send: bool, data_dir: Path | None, public_url: str | None) -> None:
    """One pass of reminders, for operators who run them from cron or a systemd timer (set
    PATHWAYS_REMINDER_INTERVAL=0 so the server runs none). A reminder is recorded before it is sent and never sent
    twice, however often this runs and whatever the server does meanwhile. SMTP settings come from the environment
    (PATHWAYS_SMTP_URL, PATHWAYS_MAIL_FROM): without them, reminders are shown in the app only."""
    import logging

    from facilitator.app import create_app
    from facilitator.edge import urls
    from facilitator.store import get_store
    from facilitator.usecases.reminding import remind as one_pass

    config: dict[str, object] = {"ASYNC_MODE": "threading"}
    if data_dir is not None:
        config["DATA_DIR"] = str(data_dir.expanduser().resolve())
    if public_url:
        config["PUBLIC_URL"] = public_url.rstrip("/")
    app = create_app(config)
    if send and app.config["MAIL"] is not None and not app.config.get("PUBLIC_URL"):
        raise click.UsageError(
            "Say where the links in the messages go: --public-url or PATHWAYS_PUBLIC_URL (https://pd.example.org)."
        )
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    with app.test_request_context(base_url=app.config.get("PUBLIC_URL") or "http://localhost"):
        report = one_pass(
            get_store(),
            app.config["MAIL"],
            urls.base_url(),
            send=send,
            logger=app.logger,
            request_age_days=int(app.config["REQUEST_AGE_DAYS"]),
        )
    for reminder in report.due:
        to = reminder.address or f"(in the app: {reminder.recipient.value} {reminder.recipient_id})"
        seen = "recorded before" if reminder.key in report.recorded_before else "new"
        click.echo(f"{seen:16} {reminder.key:48} {to:40} {reminder.subject}")
    new = len(report.due) - len(report.recorded_before)
    done = f", {report.recorded} recorded now" if send else " (a dry run: nothing recorded, nothing changed)"
    click.echo(f"{len(report.due)} due, {new} new{done}")
    if report.delivery is not None:
        d = report.delivery
        click.echo(f"mailed {d.sent}, retrying {d.retrying}, failed {d.failed}, unconfirmed {d.unconfirmed}")
    elif send:
        click.echo("No SMTP server is configured (PATHWAYS_SMTP_URL): reminders are shown in the app only.")


if __name__ == "__main__":  # ``python -m facilitator.cli``: how the server starts an export in a child process
    main()
