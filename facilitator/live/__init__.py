"""Live messaging: the console and projector namespaces, who hears what (broadcast), who is connected."""
