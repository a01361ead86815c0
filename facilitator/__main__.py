"""``python -m facilitator`` is the ``pathways`` command."""

from facilitator.cli import main

main()
