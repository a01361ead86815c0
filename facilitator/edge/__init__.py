"""What every request and message passes through: payload checks, replies, limits, compression, addresses, words."""
