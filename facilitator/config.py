"""Where Pathways keeps its data, and the admin token that lets a facilitator create sessions."""

import os
import stat
import sys
import tempfile
from pathlib import Path

from protocols.credentials import new_secret

ADMIN_TOKEN_FILE = "admin_token"
PRIVATE_FOLDER = 0o700


def default_data_dir() -> Path:
    """A per-user folder, never inside the installed package."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Pathways"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Pathways"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "pathways"


def private_data_dir(data_dir: Path) -> str | None:
    """Make the data folder if it is missing, its owner's alone (0700). An existing folder that others can open is
    left as it is (its owner may share it on purpose, with a backup group say): the warning to give is returned.
    """
    data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    mode = stat.S_IMODE(data_dir.stat().st_mode)
    if sys.platform == "win32" or not mode & 0o077:
        return None
    return (
        f"The data folder {data_dir} is open to other users of this computer (mode {mode:o}), and it holds every "
        f"session's names and answers. Make it yours alone: chmod 700 {data_dir}"
    )


def load_or_create_admin_token(data_dir: Path) -> tuple[str, bool]:
    """The admin token stored in the data folder, made on first use. Returns it and whether it was just made.

    Workers starting together on a new data folder all end up with the one token the first of them wrote.
    """
    path = data_dir / ADMIN_TOKEN_FILE
    emptied = path.is_file()  # a token file left empty (a full disk, say) is replaced
    if emptied:
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token, False
    data_dir.mkdir(parents=True, exist_ok=True)
    token = new_secret()
    descriptor, name = tempfile.mkstemp(dir=data_dir, prefix=f".{path.name}.")  # readable by its owner only
    written = Path(name)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(token + "\n")
    try:
        if emptied:
            os.replace(written, path)
        else:
            os.link(written, path)  # whole or not at all, and only if no other worker starting now got there first
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip(), False
    finally:
        written.unlink(missing_ok=True)
    return token, True
