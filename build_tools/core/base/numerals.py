"""What a reader would read as a number: any character with a numeric value, in any script."""
from __future__ import annotations

import unicodedata


def is_numeral(char: str) -> bool:
    """Any character with a numeric value: 3, ³, ₃, ½, Ⅲ, ３, ٣, ③ ..."""
    return unicodedata.numeric(char, None) is not None


def has_numeral(text: str) -> bool:
    """Whether any character of text has a numeric value (str.isnumeric: the same property
    as is_numeral, read in C)."""
    return any(map(str.isnumeric, text))
