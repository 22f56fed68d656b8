"""Tell whether a chat message thanks someone, in English or Italian.

The phrase lists below are the only place that knows any language. Each entry is a small
pattern written in *normalized* text (lower case, no accents, straight quotes) and compiled
once at import with these conventions:

* a space stands for one or more spaces or hyphens ("thank you", "thank-you"); a space
  followed by ``?`` makes the separator optional ("thank ?you" also matches "thankyou");
* a vowel, and the last letter of a word, may be repeated, so chat elongations match
  ("thaaanks", "thanksss", "grazieee milleee") while "grazi" or "tty" do not;
* everything else is a regular expression: ``(a|b)`` groups, ``[oa]`` classes, ``?``;
* every pattern must stand as a whole word or phrase: no letter, digit or ``+`` may touch
  it, so "typo", "thanksgiving", "Graziella", "+10" and "c++1" never match. A pattern
  that starts or ends with an emoji needs no such boundary on that side ("ok🙏").

``REPLY_PHRASES`` thank only when they clearly address someone: in a reply to their
message ("mitico!", "ti devo un caffè"). Said to the whole group, or next to a mention,
they are praise or chatter, not thanks.

To add a language, add a key to ``PHRASES``, ``REPLY_PHRASES`` and ``NOT_THANKS``.
"""

from __future__ import annotations

import re
import unicodedata

# Language-neutral signs of thanks: folded hands (any skin tone, with or without the emoji
# variation selector) and a lone "+1".
_UNIVERSAL: tuple[str, ...] = (
    "\U0001f64f[\U0001f3fb-\U0001f3ff\ufe0f]*",
    r"\+1",
)
# "+1" followed by an area code is a North American phone number, not a thanks.
_UNIVERSAL_NOT: tuple[str, ...] = (r"\+1 ?\(?\d{3}",)

PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "thanks",
        "thanks (a lot|a bunch|a million|a ton|so much|very much|heaps|again)",
        "many thanks",
        "thank ?(you|u|ya)",
        "thank ?(you|u) (so |very )+much",
        "thx",
        "thnx",
        "thanx",
        "tnx",
        "ty",
        "tyty",
        "tysm",
        "tyvm",
        "cheers",
        "kudos",
        "(much|greatly|really|truly|very much) appreciated",
        "appreciate (it|that|this|you|ya|u|your help|the help)",
        "really appreciate",
        "(want|wanted|like|love) to thank",
        "you rock",
        "you'?re the best",
        "you are the best",
        "life ?saver",
        *_UNIVERSAL,
    ),
    "it": (
        "grazie",
        "grazie (mille|1000|infinite|davvero|di cuore|ancora|a tutti)",
        "(mille|infinite|tante) grazie",
        "grz",
        "ringrazi(o|amo)",
        "(ti|vi|la|le) ringrazi(o|amo)",
        "(volevo|vorrei|voglio|ci tengo a) ringraziar(e|ti|vi|la)",
        "non so come ringraziar(ti|vi|la)",
        "gentilissim[oaie]",
        "sei (un|una) grande",
        "sei grande",
        "sei un mito",
        "siete (dei )?(grandi|miti)",
        "sei (il|la) migliore",
        "sei un (angelo|tesoro)",
        "mi hai salvato (la vita|la giornata|la pelle)",
        *_UNIVERSAL,
    ),
}

# Words that thank the person replied to, and only them: praise of a message, a debt owed.
REPLY_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "you (saved|rescued) (me|us)",
        "you saved my (day|life|bacon|skin|weekend)",
        "(i |we )?owe you (one|big|a coffee|a beer|a pint|a drink|a pizza)",
        "(super|very|so|really|incredibly|extremely) helpful",
        "(you'?re|you are) (a|an absolute) legend",
        "absolute legend",
    ),
    "it": (
        "mi hai (proprio |davvero )?salvat[oa]",
        "(mi|ci) avete (proprio |davvero )?salvat[oiae]",
        "ci hai (proprio |davvero )?salvat[oiae]",
        "(ti|vi) devo (un caffe|una birra|una pizza|un favore|un aperitivo|una cena)",
        "(ti|vi) offro (un caffe|una birra|una pizza|un aperitivo)",
        "utilissim[oaie]",
        "preziosissim[oaie]",
        "mitic(o|a|i|he)",
    ),
}

# Phrases that contain a thank phrase but are not thanks. Each occurrence cancels only the
# thank phrases it overlaps; a thank phrase elsewhere in the same message still counts.
NOT_THANKS: dict[str, tuple[str, ...]] = {
    "en": (
        "thanksgiving",
        "thankful(ly)?",
        "thankless",
        # Refusals, and politeness returned: no help was given.
        "(no|nah|nope),? (thanks|thank ?(you|u)|thx|ty|tnx)",
        "(thanks|thank ?you|thx),? but no thanks",
        r"(thanks|thank ?(you|u)|thx|ty),? but no(?=\s*([.!,;:]|$))",
        "(thanks|thank ?(you|u)|thx|ty)( (so much|a lot|very much))?,? anyways?",
        # A thanks answered with another: "Thank you too!", "thanks, you too", "no, ty to
        # you too". "Thanks to you it works" still credits: it says what the help did.
        r"(^|(?<=[.!?:;]{1}\s))((no|oh|ok|okay|and|well|you'?re welcome|no problem|np)[,!.]? )*"
        r"(thanks|thank ?(you|u)|thx|ty)[,!.]? ((to )?(you|u) )?too(?!\s*\w)",
        "anyways?,? (thanks|thank ?(you|u)|thx|ty)",
        "no need (for |to say )?(thanks|thank ?(you|u))",
        # Sarcasm.
        "(thanks|thank ?(you|u)|thx)( (a lot|so much|very much))? for (absolutely )?nothing",
        # Praise denied.
        "(not|never|isn't|wasn't|aren't|weren't) (very|so|really|super|incredibly) helpful",
        "(you )?(didn't|did not) save (me|us|my)",
        # Asking for help is not thanking for help given.
        "(thanks|thank ?(you|u)|thx|thnx|tnx|ty|many thanks)(,|( [^.!?,]{1,30}?))? "
        "in (advance|anticipation)",
        "in (advance|anticipation),? (thanks|thank ?(you|u)|thx|ty)",
        "('d|would) (really |greatly |truly |so much |very much )?appreciate",
        "would be (much |greatly |really |truly |very much )?appreciated",
        "(any|all) (help|advice|tips|input|suggestions|feedback|ideas|pointers) "
        "(is |are |would be |will be )?(much |greatly |really |very much )?appreciated",
        "(really |truly |greatly )?appreciate any",
        # Thanks mentioned, not given.
        "thanks? (god|goodness|heavens|the lord|christ)",
        "thank ?(you|u) (note|card|letter|gift|email|message)s?",
        "(didn't|did not|never|doesn't|does not|don't|not) (even )?(say|said|says) "
        "(thanks|thank ?(you|u)|thx|ty)",
        "(not even|without)( (a|saying|a single))? (thanks|thank ?(you|u)|thx)",
        *_UNIVERSAL_NOT,
    ),
    "it": (
        # Nouns and names that only look like "grazie"/"ringrazio".
        "ringraziament[oi]",
        "grazi(a|ano|ella|oso|osa)",
        "(delle|alle|le tre) grazie",
        # Refusals.
        "no,? (grazie|grz)",
        "no,? (ti|vi|la) ringrazio",
        # "Grazie, no." declines; "grazie, no problem" does not.
        r"grazie,? no(?=\s*([.!,;:]|$))",
        r"grazie,? ma no(?=\s*([.!,;:]|$))",
        "grazie,? ma anche no",
        # Politeness returned: "Grazie a te!" answers a thanks, "grazie comunque" a help
        # that did not come. "Risolto, grazie a te" and "grazie a te ho trovato casa"
        # still credit: they say what the help did.
        r"(^|(?<=[.!?:;]{1}\s))((no|ok|okay|anzi|ma|e|figurati|prego|di niente|di nulla"
        r"|ci mancherebbe)[,!.]? )*grazie (a te|a voi|a lei)( (anche|pure))?(?!\s*\w)",
        "(grazie|grz|ti ringrazio|vi ringrazio)( (mille|tante|lo stesso))?,? comunque",
        "comunque,? (grazie|grz|ti ringrazio|vi ringrazio)",
        "grazie lo stesso",
        "(non serve|non c'e bisogno di|non devi|non dovete) (dire |dirmi |dirci )?grazie",
        # Asking for help is not thanking for help given.
        "((ti|vi|la) )?(grazie|grz|ringrazi(o|amo))( (mille|infinite|davvero|di cuore|ancora))?"
        "(,|( [^.!?,]{1,30}?))? "
        "(in anticipo|anticipatamente|fin d'ora|sin d'ora|fin da ora|sin da ora|fin da subito)",
        "(in anticipo|anticipatamente|fin d'ora),? ((ti|vi) )?(grazie|ringrazi(o|amo))",
        # "Thank God" and sarcasm.
        "grazie (a dio|a iddio|a gesu|al cielo|alla madonna)",
        r"grazie (al|ar|a) (cazzo|cavolo|piffero|ca\*+o|c\*+o|c\*+)",
        "grazie (per|di) (niente|nulla)",
        "ringrazi(o|amo) (dio|iddio|il cielo)",
        # Thanks denied or mentioned, not given.
        "non ((ti|vi|la|le) )?ringrazi(o|amo)",
        "(neanche|nemmeno|neppure|manco|senza)( (un|dire|dirmi|dirgli))? grazie",
        "non (ha|hanno|ho|hai|abbiamo|avete)( (neanche|nemmeno|neppure|manco|mai))? detto grazie",
        "non (sei|siete)( (un|una|il|la|dei))? (grande|grandi|mito|miti|migliore|angelo|tesoro)",
        # "Sei grande" also means "you are grown up".
        "(ormai|gia) sei grande",
        "sei grande (abbastanza|ormai)",
        "non (e|sei|siete|era|eri|sono|e stat[oa]|sei stat[oa]|sono stat[ie])"
        "( (proprio|per niente|mica|molto))? (gentilissim[oaie]|utilissim[oaie]|mitic(o|a|i|he))",
        "non (mi|ci) (hai|avete) (proprio |davvero |mica )?salvat[oiae]",
        "non (ti|vi) devo",
        *_UNIVERSAL_NOT,
    ),
}

_VOWELS = frozenset("aeiou")
_SEPARATOR = r"[\s\-]+"
_OPTIONAL_SEPARATOR = r"[\s\-]*"
# A phrase that starts (ends) with a letter, digit or "+" must not touch another one; one
# that starts (ends) with an emoji may ("ok🙏🙏"). "@" keeps @usernames out, "=" and a
# following decimal keep arithmetic ("x=+1", "+1.5") out.
_START = r"(?:(?<![\w+=@])|(?![\w+]))"
_END = r"(?:(?![\w+=]|[.,]\d)|(?<![\w+]))"

# Typographic apostrophes and double quotes, mapped before NFKC: NFKC would turn "´" into a
# space plus a combining accent, which accent stripping then reduces to a bare space.
_QUOTES = str.maketrans(
    dict.fromkeys("‘’‚‛′‵`´ʹʻʼʽ＇", "'") | dict.fromkeys("“”„‟″‶〝〞〟＂", '"')
)
# Invisible characters that can split a word without showing; the zero-width joiner stays
# because emoji sequences need it.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u2060\ufeff"))

# Quoted words are someone else's, not the sender's thanks. Quotes do not span lines, so a
# stray inch mark cannot swallow the rest of the message.
_QUOTED = re.compile(r'"[^"\n]*"|«[^»\n]*»')
_QUOTE_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
# A "thanks" in a link (example.com/thanks) is part of an address, not a message.
_URL = re.compile(r"(?:https?://|www\.)\S+")


def _expand(phrase: str) -> str:
    # Turn a phrase of the little language described in the module docstring into a regex.
    out: list[str] = []
    i = 0
    while i < len(phrase):
        char = phrase[i]
        if char == "\\":
            out.append(phrase[i : i + 2])
            i += 2
            continue
        if char == " ":
            optional = phrase[i + 1 : i + 2] == "?"
            out.append(_OPTIONAL_SEPARATOR if optional else _SEPARATOR)
            i += 2 if optional else 1
            continue
        if char == "[":
            end = phrase.index("]", i + 2) + 1
            unit, stretchable = phrase[i:end], False
        elif char.isalpha():
            end = i + 1
            unit, stretchable = char, char in _VOWELS
        else:
            out.append(char)
            i += 1
            continue
        following = phrase[end : end + 1]
        if following == "?":
            following = phrase[end + 1 : end + 2]
        # The last letter of a word is what people hold down: "thanksss", "thxxx".
        stretchable = stretchable or not (following.isalpha() or following in ("[", "("))
        if phrase[end : end + 1] in ("*", "+", "{"):
            out.append(unit)
        elif phrase[end : end + 1] == "?":
            out.append(unit + ("*" if stretchable else "?"))
            end += 1
        else:
            out.append(unit + ("+" if stretchable else ""))
        i = end
    return "".join(out)


def _bodies(table: dict[str, tuple[str, ...]]) -> list[str]:
    # Shared phrases (the universal ones) are expanded once.
    phrases = dict.fromkeys(phrase for phrases in table.values() for phrase in phrases)
    return [_expand(phrase) for phrase in phrases]


def _compile(table: dict[str, tuple[str, ...]]) -> tuple[re.Pattern[str], ...]:
    # One regex per phrase (not one big alternation) so that the longest phrase found at a
    # position wins whatever the list order.
    return tuple(re.compile(f"{_START}(?:{body}){_END}") for body in _bodies(table))


_THANKS = _compile(PHRASES)
_REPLY_THANKS = _compile(REPLY_PHRASES)
_NEGATIONS = _compile(NOT_THANKS)
# Most messages thank nobody: one scan with every phrase at once, the word boundary tested
# once per position rather than once per phrase, rules them out before the per-phrase work
# (which also weighs negations) runs: about 20x faster on an ordinary message.
_ANY_THANKS = re.compile(f"{_START}(?:{'|'.join(_bodies(PHRASES))}){_END}")
_ANY_REPLY_THANKS = re.compile(f"{_START}(?:{'|'.join(_bodies(REPLY_PHRASES))}){_END}")


# Every combining mark of the Basic Multilingual Plane, as one character class: removing
# accents with a regex is several times faster than testing each character in Python.
_COMBINING_MARKS = "".join(
    re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))
)
_COMBINING = re.compile(f"[{_COMBINING_MARKS}]")


def _fold(text: str) -> str:
    # Everything normalize() does except collapsing whitespace, which would lose the line
    # structure that quoted ("> ...") lines need.
    if text.isascii():
        # Most messages: nothing to decompose, and casefold() is lower() on ASCII.
        return text.translate(_QUOTES).lower()
    text = unicodedata.normalize("NFKC", text.translate(_QUOTES)).casefold()
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE)


def normalize(text: str) -> str:
    """Fold text for matching: NFKC, casefold, no accents, straight quotes, single spaces."""
    return " ".join(_fold(text).split())


def find_thanks(text: str, *, in_reply: bool = False) -> str | None:
    """Return the first thank phrase in ``text`` as it appears normalized, or None.

    ``in_reply``: the message replies to someone, so ``REPLY_PHRASES`` thank them too.
    """
    folded = _QUOTE_LINE.sub(" ", _fold(text))
    folded = _URL.sub(" ", _QUOTED.sub(" ", folded))
    message = " ".join(folded.split())
    if _ANY_THANKS.search(message) is None and not (
        in_reply and _ANY_REPLY_THANKS.search(message) is not None
    ):
        return None
    cancelled = [m.span() for pattern in _NEGATIONS for m in pattern.finditer(message)]
    best: tuple[int, int, str] | None = None
    for pattern in _THANKS + _REPLY_THANKS if in_reply else _THANKS:
        for match in pattern.finditer(message):
            start, end = match.span()
            if any(start < stop and begin < end for begin, stop in cancelled):
                continue
            # Earliest first; at the same position the longest ("thank you so much").
            candidate = (start, start - end, match.group())
            if best is None or candidate < best:
                best = candidate
            break
    return best[2] if best else None


def is_thanks(text: str, *, in_reply: bool = False) -> bool:
    """Return whether ``text`` thanks someone (``in_reply``: the one it replies to)."""
    return find_thanks(text, in_reply=in_reply) is not None
