"""Use cases: what one event or request does: forgetting a person, building plans, exporting a session."""
