"""Storage: the schema, its upgrades and every query, one code path for SQLite and PostgreSQL, behind one ``Store``."""

from facilitator.store.answers import NewAnswer
from facilitator.store.facade import DATABASE_FILE, Store, get_store, init_app
from facilitator.store.participants import MAX_EARLIER_TOKENS
from facilitator.store.writer import AnswerWriter, answer_writer

__all__ = [
    "DATABASE_FILE",
    "MAX_EARLIER_TOKENS",
    "AnswerWriter",
    "NewAnswer",
    "Store",
    "answer_writer",
    "get_store",
    "init_app",
]
