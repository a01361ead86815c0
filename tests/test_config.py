"""The admin token in the data folder: made once, even by workers that start together."""

import stat
import threading

from facilitator.config import ADMIN_TOKEN_FILE, load_or_create_admin_token


def test_workers_starting_together_on_a_new_data_folder_all_get_the_one_token(tmp_path) -> None:
    data_dir = tmp_path / "data"
    start = threading.Barrier(8)
    results = []

    def worker() -> None:
        start.wait()
        results.append(load_or_create_admin_token(data_dir))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tokens = {token for token, _ in results}
    assert len(tokens) == 1 and [made for _, made in results].count(True) == 1
    stored = data_dir / ADMIN_TOKEN_FILE
    assert stored.read_text().strip() == tokens.pop()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert sorted(p.name for p in data_dir.iterdir()) == [ADMIN_TOKEN_FILE]  # no half-written files left


def test_the_token_is_kept_across_starts(tmp_path) -> None:
    token, made = load_or_create_admin_token(tmp_path)
    assert made and load_or_create_admin_token(tmp_path) == (token, False)
