"""The tables of the room's activities beyond answers (ideas and votes, the parking lot, media shown on a step),
on the schema's own ``metadata``, so ``create_or_upgrade`` makes and upgrades them with every other table."""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from facilitator.store.schema import Time, metadata

# The parking lot (protocols/parking_lot.py): a session's questions and ideas, each person's upvotes (one per item:
# the key keeps a double tap or a resend to one), and whether the projector shows the board.
parking_lot_items = Table(
    "parking_lot_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", Text, nullable=False),  # the phone's name for the post: a resend is the same item
    Column("text", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="open"),
    Column("answer", Text, nullable=False, server_default=""),
    Column("hidden", Boolean, nullable=False, server_default=false()),
    Column("agenda_item", Integer),  # the agenda item it was moved into; NULL: not moved
    Column("created_at", Time, nullable=False),
    Column("answered_at", Time),
    Column("done_at", Time),
    UniqueConstraint("participant_id", "client_id"),
    Index("parking_lot_items_by_session", "session_id", "created_at"),
    sqlite_autoincrement=True,  # an id is never given again: a phone's old board never upvotes a new item
)

parking_lot_upvotes = Table(
    "parking_lot_upvotes",
    metadata,
    Column("item_id", Integer, ForeignKey("parking_lot_items.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", Time, nullable=False),
    PrimaryKeyConstraint("item_id", "participant_id"),
    Index("parking_lot_upvotes_by_participant", "participant_id"),
)

parking_lot_boards = Table(
    "parking_lot_boards",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("projected", Boolean, nullable=False, server_default=false()),
)

# Ideas and votes (protocols/ideas.py). An idea belongs to the step it was posted on; a vote to the step it was given
# on (a later step may vote on an earlier one's ideas) and to its idea. Forgetting a person or a session deletes
# theirs (facilitator/store/ideas.py), and the foreign keys would too.
ideas = Table(
    "ideas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("step_id", Text, nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("idea_id", Text, nullable=False),  # the phone's own id: a resent idea lands once
    Column("text", Text, nullable=False),
    Column("posted_at", Time, nullable=False),
    Column("group_number", Integer),  # the table it was posted from
    Column("hidden", Boolean, nullable=False, server_default=false()),  # off the projector and the vote
    Column("spotlight", Boolean, nullable=False, server_default=false()),
    Column("merged_into", Integer),  # the idea kept in its place, which its votes went to; NULL: its own
    UniqueConstraint("participant_id", "idea_id"),
    Index("ideas_by_step", "session_id", "step_id"),
    sqlite_autoincrement=True,  # an id is never given again: a phone holding an old one never votes on a new one
)

idea_votes = Table(
    "idea_votes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("step_id", Text, nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("vote_id", Text, nullable=False),  # the phone's own id: a resent vote is counted once
    Column("idea", Integer, ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False),
    Column("voted_at", Time, nullable=False),
    UniqueConstraint("participant_id", "vote_id"),
    Index("idea_votes_by_step", "session_id", "step_id", "idea"),
    Index("idea_votes_by_idea", "idea"),
)

idea_voting = Table(
    "idea_voting",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("step_id", Text, primary_key=True),  # a step whose voting the facilitator opened (voting = "when_opened")
    Column("opened_at", Time, nullable=False),
)

# Media on a step (protocols/media.py): the session's choice for a step of an agenda item (every round of it): the
# facilitator's upload, the protocol's own file with the page the console turned to, or none. Deleting a session
# deletes its rows and their pages in the data folder's media/ (facilitator/usecases/media.py).
step_media = Table(
    "step_media",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("item", Integer, nullable=False),  # the agenda item's uid
    Column("step_id", Text, nullable=False),  # the protocol's own step id
    Column("source", Text, nullable=False),  # "upload", "protocol" or "none"
    Column("kind", Text),  # an upload's: "image" or "pdf"
    Column("title", Text, nullable=False, server_default=""),  # the uploaded name, cleaned; never a name on disk
    Column("pages", Text, nullable=False, server_default="[]"),  # JSON [[page name, small picture's name]] in media/
    Column("bytes", Integer, nullable=False, server_default="0"),
    Column("shown_page", Integer, nullable=False, server_default="1"),  # the page the room is on
    Column("created_at", Time, nullable=False),
    UniqueConstraint("session_id", "item", "step_id"),
    sqlite_autoincrement=True,  # an id is never given again: a screen holding an old version fetches the new pages
)
