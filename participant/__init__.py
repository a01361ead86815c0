"""What a participant uses: joining by code or QR, the phone page and its socket handlers, their own plan."""
