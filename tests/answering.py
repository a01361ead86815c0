"""Valid answers for any step, as a phone would send them: the load generator's, so tests and load agree."""

from facilitator.loadtest.generator import sample_answer as value_for

__all__ = ["value_for"]
