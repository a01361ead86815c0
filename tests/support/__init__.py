"""Helpers the tests share, one module per purpose; tests/conftest.py keeps the fixtures and hooks."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: where `pathways serve` runs from, docs/, static/
