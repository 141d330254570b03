"""Text helpers."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case ASCII form for matching: "Kuçovë" and "kucove" fold to the same string."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()
