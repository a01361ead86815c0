"""The Pathways app: factory, config, storage, CLI, console and projector pages and their socket handlers."""
