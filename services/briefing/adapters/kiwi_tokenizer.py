"""Korean morphological tokenisation with kiwipiepy, loaded once per process and shared.

Loading the model takes about a second, so it happens on first use, not at import or wiring.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from kiwipiepy import Kiwi

NOUNS = frozenset({"NNG", "NNP", "NR", "XR"})
"""Common and proper nouns, numerals written in Hangul, roots."""
STEMS = frozenset({"VV", "VA"})
"""Verb and adjective stems."""
KEPT = NOUNS | STEMS | frozenset({"SN", "SL", "SH"})
"""Plus numbers, Latin words (UAM, CNN) and Hanja (市, 區)."""
STOPWORDS = frozenset({"하", "되", "있", "없", "같", "이", "그", "등", "및"})

_lock = threading.Lock()


@lru_cache(maxsize=1)
def shared_kiwi() -> Kiwi:
    """The one Kiwi of this process (typo and multi-word dictionaries off: smaller, steadier)."""
    return Kiwi(load_typo_dict=False, load_multi_dict=False)


def tokenize(text: str) -> list[str]:
    """Index terms of a text: nouns, verb/adjective stems and numbers, plus each pair of
    adjacent nouns joined (송전+선로 → 송전선로), so compounds match as a whole too."""
    return list(_terms(text))


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[str, ...]:
    """Cached: re-indexing after one record changed re-analyses only that record."""
    with _lock:
        tokens = shared_kiwi().tokenize(text)
    terms: list[str] = []
    previous_noun: str | None = None
    for token in tokens:
        tag = token.tag.split("-")[0]
        if tag not in KEPT or token.form in STOPWORDS:
            previous_noun = None
            continue
        form = token.form.casefold()
        terms.append(form)
        if tag in NOUNS:
            if previous_noun is not None:
                terms.append(previous_noun + form)
            previous_noun = form
        else:
            previous_noun = None
    return tuple(terms)
