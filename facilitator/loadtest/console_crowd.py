"""A crowded room written straight into a data folder: thousands of people at hundreds of tables, each with an
answer to the open step, for the console's browser tests (a real server is started on the folder afterwards)."""

import random
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.loadtest.export_benchmark import FIRST, GOALS, LAST, SENTENCES  # one cast of names for every tool

LONG_EVERY = 40  # one answer in this many runs to 1,000 characters


@dataclass
class Crowd:
    """What was written: the session's code and facilitator key, and each person's id, name, token and table."""

    code: str
    key: str
    step_key: str
    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    tables: list[list[int]] = field(default_factory=list)  # table n is tables[n - 1]: participant ids
    values: dict[int, str] = field(default_factory=dict)  # participant id -> their answer


def person(n: int) -> str:
    """The n-th person's name: unique, and in many scripts (a search must find "Zoe" in "Zoë")."""
    return f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]} {n}"


def long_answer(n: int) -> str:
    text = f"Answer {n}, at length: " + " ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(20))
    return text[:1000]


def seed_crowd(data_dir: Path, people: int, protocol_toml: str | None = None, group_size: int = 6,
               answered: bool = True) -> Crowd:  # fmt: skip
    """A session of ``protocol_toml`` (else What? So what? Now what?) open at its first step, ``people`` at tables of
    ``group_size``, every one with an answer to it when ``answered``."""
    from facilitator.store import DATABASE_FILE, NewAnswer, Store
    from protocols.loader import load_library, load_protocol_text
    from protocols.model import GroupBy
    from protocols.session import AgendaItem, GroupSettings

    protocol = load_protocol_text(protocol_toml) if protocol_toml else load_library()["what-so-what-now-what"]
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / DATABASE_FILE)
    session, key = store.create_session("Spring PD day", "Riverside District", GOALS, [AgendaItem(1, protocol)],
                                        facilitator="Dr. Amara Okafor", date="2027-03-15")  # fmt: skip
    crowd = Crowd(session.code, key, session.steps[0].key)
    for n in range(people):
        participant, token = store.add_participant(session.id, person(n))
        crowd.ids.append(participant.id)
        crowd.names.append(person(n))
        crowd.tokens.append(token)
    crowd.tables = [crowd.ids[start : start + group_size] for start in range(0, people, group_size)]
    store.save_groups(session.id, GroupSettings(group_size, GroupBy.RANDOM), crowd.tables)
    store.save_run_state(session.moved_to(0))
    if answered:
        rng = random.Random(23)
        for n, participant_id in enumerate(crowd.ids):
            crowd.values[participant_id] = long_answer(n) if n % LONG_EVERY == 0 else f"{rng.choice(SENTENCES)} ({n})"
        store.save_answers([NewAnswer(session.id, pid, crowd.step_key, f"seed-{pid}", value, None)
                            for pid, value in crowd.values.items()])  # fmt: skip
    store.close()
    return crowd
