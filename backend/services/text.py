"""Text typed by people: names and identifiers, normalised and checked in one place.

Every piece of text is NFKC-normalised (full-width "ａｄａ" is "ada", "ﬁ" is "fi") and trimmed.
Names (of org units, ranks, people) may use any script but no control or format character:
no NUL, no bidi override that shows "exe.pdf" as "fdp.exe", no zero-width space. Identifiers
(usernames, codes) are what people compare by eye, so they are held to plain ASCII letters,
digits and ``. _ @ -``: a Cyrillic "а" or a Greek "ο" cannot then pass for a Latin one, which
is all a confusables table would be for here.
"""

from __future__ import annotations

import re
import unicodedata

from backend.services.errors import Problems

IDENTIFIER_ALLOWED = "letters A-Z and a-z, digits 0-9, '.', '_', '@' and '-'"
_IDENTIFIER = re.compile(r"[A-Za-z0-9._@-]+")

# Control, format (zero-width, bidi), surrogate, private-use, unassigned, line/paragraph breaks.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def normalize(value: str) -> str:
    """NFKC, then trimmed: the form every name and identifier is stored and looked up in."""
    return unicodedata.normalize("NFKC", value).strip()


def _is_hidden(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN_CATEGORIES


def hidden_characters(value: str) -> list[str]:
    """The control and format characters in ``value``, each once, in order of appearance."""
    return [char for char in dict.fromkeys(value) if _is_hidden(char)]


def describe(char: str) -> str:
    """A character as a reader can see it: U+200B ZERO WIDTH SPACE."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def for_log(value: str, limit: int = 64) -> str:
    """Untrusted text made safe to record: hidden characters escaped, and cut to ``limit``."""
    shown = "".join(
        char.encode("unicode_escape").decode() if _is_hidden(char) else char
        for char in value[: limit * 2]
    )
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def clean_name(
    value: str, *, field: str, problems: Problems, max_length: int, label: str = "name"
) -> str:
    """A name normalised; a problem is recorded when it is empty, too long or hides characters."""
    name = normalize(value)
    hidden = hidden_characters(name)
    if not name:
        problems.invalid(field, f"{label} must not be empty")
    elif hidden:
        shown = ", ".join(describe(c) for c in hidden)
        problems.invalid(
            field, f"{label} must not contain invisible or control characters ({shown})"
        )
    elif len(name) > max_length:
        problems.invalid(field, f"{label} must have at most {max_length} characters")
    return name


def clean_identifier(
    value: str, *, field: str, problems: Problems, max_length: int, label: str
) -> str:
    """A username or code normalised; a problem is recorded unless it is plain and short enough."""
    identifier = normalize(value)
    hidden = hidden_characters(identifier)
    if not identifier:
        problems.invalid(field, f"{label} must not be empty")
    elif hidden:
        shown = ", ".join(describe(c) for c in hidden)
        problems.invalid(
            field, f"{label} must not contain invisible or control characters ({shown})"
        )
    elif _IDENTIFIER.fullmatch(identifier) is None:
        others = [c for c in dict.fromkeys(identifier) if _IDENTIFIER.fullmatch(c) is None]
        shown = ", ".join(repr(c) if c.isascii() else describe(c) for c in others[:3])
        problems.invalid(field, f"{label} may contain only {IDENTIFIER_ALLOWED} (not {shown})")
    elif len(identifier) > max_length:
        problems.invalid(field, f"{label} must have at most {max_length} characters")
    return identifier


def could_be_identifier(value: str, max_length: int) -> bool:
    """Whether an already normalised ``value`` passes ``clean_identifier`` (for look-ups)."""
    return len(value) <= max_length and _IDENTIFIER.fullmatch(value) is not None
