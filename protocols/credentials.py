"""Join codes and secrets: how they are made, normalised and compared."""

import base64
import hashlib
import hmac
import secrets

# No look-alikes: 0/O, 1/I/L are left out, so a code read off a projector is typed right the first time.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
SECRET_BYTES = 24  # 192 bits: admin token, facilitator key, participant token, check-in token
CHECK_IN_PURPOSE = b"pathways check-in link"


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: object) -> str | None:
    """The code in canonical form, or None when it cannot be a join code (so no look-up is wasted on it)."""
    if not isinstance(raw, str):
        return None
    code = raw.strip().upper().replace(" ", "").replace("-", "")
    if len(code) != JOIN_CODE_LENGTH or any(char not in JOIN_CODE_ALPHABET for char in code):
        return None
    return code


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def check_in_token(participant_token: str) -> str:
    """The participant's check-in token: opens their check-in form alone (docs/SECURITY.md).

    Derived one way from their participant token, so whatever the token opens can show the link again while the
    database keeps only its digest; it reveals nothing of the participant token, and goes with the participant.
    """
    derived = hmac.digest(participant_token.encode("utf-8", "surrogatepass"), CHECK_IN_PURPOSE, "sha256")
    return base64.urlsafe_b64encode(derived[:SECRET_BYTES]).decode("ascii")


def secret_digest(secret: str) -> str:
    """What the database keeps instead of a secret, so a copy of the database opens nothing."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def secret_matches(secret: object, digest: str) -> bool:
    """Constant-time check of a presented secret against a stored digest."""
    if not isinstance(secret, str) or not secret or len(secret) > 256:
        return False
    return hmac.compare_digest(secret_digest(secret), digest)
