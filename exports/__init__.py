"""Documents people take away: plan PDFs, QR codes, CSV. Plain data in, bytes out; nothing here knows Flask."""
