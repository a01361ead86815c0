"""The tables of the room's activities beyond answers (ideas and votes, the parking lot, media shown on a step),
on the schema's own ``metadata``, so ``create_or_upgrade`` makes and upgrades them with every other table."""

from sqlalchemy import Column, ForeignKey, Index, Integer, Table, Text  # noqa: F401

from facilitator.store.schema import Time, metadata  # noqa: F401
