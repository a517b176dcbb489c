"""Secrets: device tokens and invite codes are random, shown once and stored as sha256.

A leaked database then reveals no usable token. Plain sha256 (not a slow password hash)
is enough because the secrets are 256-bit random values, not guessable passwords, and it
lets a token be found by an indexed lookup on every request.
"""

from __future__ import annotations

import hashlib
import secrets

# No 0/O or 1/I/L: invite codes get read aloud and typed from paper.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_invite_code() -> str:
    """Twelve characters (~59 bits) in groups of four, e.g. ``K7QM-3XWA-PZ9R``."""
    chars = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


def normalise_invite_code(code: str) -> str:
    """Accept codes typed in lower case or without dashes."""
    chars = "".join(c for c in code.upper() if c.isalnum())
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))

