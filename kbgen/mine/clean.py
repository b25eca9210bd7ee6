"""Clean a logged question: strip greetings, sign-offs, signatures and quoted replies; mask personal data.

Masking runs on every question before it reaches any other step, so nothing written by the miner
(drafts, report, assignments) can hold an e-mail address, phone number, card number, tokenised
link or order/ticket number. Masks are plain words in brackets, e.g. ``[email]``.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
CARD_MASK = "[card]"
LINK_MASK = "[link]"
NUMBER_MASK = "[number]"

# Where the customer's own words end: a quoted earlier message, a forwarded header, a signature.
_REPLY_MARKERS = re.compile(
    r"^\s*(?:"
    r"on\b.{0,200}\bwrote:\s*$"
    r"|-{2,}\s*original message\s*-{2,}"
    r"|-{2,}\s*forwarded message\s*-{2,}"
    r"|_{10,}"
    r"|from:\s.+"
    r"|sent from my\b.*"
    r"|get outlook for\b.*"
    r"|--\s*"
    r")$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:many\s+|best\s+|kind\s+|warm\s+)?(?:thanks?|thank\s+you|thx|ty|cheers|regards|best|sincerely|"
    r"best\s+wishes|all\s+the\s+best|yours(?:\s+truly|\s+sincerely)?|respectfully|greetings)"
    r"(?:\s+(?:a\s+lot|so\s+much|very\s+much|in\s+advance|again|for\s+(?:your|the)\s+help))?\s*[,.!]*\s*(?:-\s*)?[\w .'-]{0,40}$",
    re.IGNORECASE,
)
_GREETING_WORDS = (
    r"^\s*(?:hi|hello|hey|hiya|howdy|dear|greetings|good\s+(?:morning|afternoon|evening|day))\b"
    r"(?:\s+(?:there|all|team|everyone|folks|support|support\s+team|guys|sir|madam|sir\s+or\s+madam|[A-Z][\w'-]*)){0,3}"
)
_GREETING = re.compile(_GREETING_WORDS + r"\s*[,.!:;-]+\s*", re.IGNORECASE)
_GREETING_ALONE = re.compile(_GREETING_WORDS + r"\s*[,.!:;-]*\s*$", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,500}>")
_BREAK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?>", re.IGNORECASE)

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
# Runs of digits with the separators people type inside card and phone numbers.
_DIGIT_RUN = re.compile(r"(?<![\w])(?:\+|00)?\(?\d[\d\s().-]{6,}\d(?![\w])")
_ISO_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_REFERENCE = re.compile(
    r"\b(?:order|ticket|case|invoice|inv|ref|reference|confirmation|transaction|txn|account|acct|customer|"
    r"booking|tracking|request|receipt|membership|policy|claim)\s*(?:no\.?|nr\.?|number|num|id|#)?(?:\s+is)?\s*[:#]?\s*"
    r"(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,}",
    re.IGNORECASE,
)
_HASH_NUMBER = re.compile(r"#\s?\d{3,}\b")
_LONG_NUMBER = re.compile(r"\b(?=[A-Za-z0-9-]*\d{5})[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b")
# Codes such as A1B2C3D4: long tokens where digits are spread among letters.
_CODE = re.compile(r"\b(?=[A-Za-z0-9]{8,}\b)(?=(?:[A-Za-z]*\d){4})(?=[0-9]*[A-Za-z])[A-Za-z0-9]+\b")
_TOKEN_SEGMENT = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_.~%-]{16,}$|^[A-Za-z0-9_-]{32,}$")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{2,}")


def clean_question(text: str) -> str:
    """The customer's question alone, with personal data masked; "" when nothing is left."""
    text = _plain(text)
    text = strip_conversation(text)
    text = mask_personal_data(text)
    return _SPACES.sub(" ", " ".join(line.strip() for line in text.splitlines() if line.strip())).strip()


def _plain(text: str) -> str:
    """The words of a message that may be HTML: entities decoded first, so that none becomes a tag after."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text and _HTML_TAG.search(text):
        # Decoding after stripping would turn "&lt;img onerror=…&gt;" into a live tag; decoded first,
        # it is stripped with the rest. What still looks like markup is escaped by whoever writes it out.
        text = html.unescape(_BREAK_TAG.sub("\n", text))
        text = _HTML_TAG.sub(" ", text)
    return text


def strip_conversation(text: str) -> str:
    """Remove greetings, sign-offs, signatures and quoted replies around the question."""
    kept: list[str] = []
    for line in text.split("\n"):
        if line.lstrip().startswith(">"):
            continue
        if _REPLY_MARKERS.match(line):
            break
        if kept and _SIGN_OFF.match(line) and len(line.split()) <= 6:
            break
        kept.append(line)
    while kept and (not kept[0].strip() or _GREETING_ALONE.match(kept[0])):
        kept.pop(0)
    if kept:
        without_greeting = _GREETING.sub("", kept[0], count=1)
        if len(without_greeting.split()) >= 2:
            kept[0] = without_greeting
    return _BLANK_LINES.sub("\n", "\n".join(kept)).strip()


def mask_personal_data(text: str) -> str:
    """Replace e-mails, tokenised links, card and phone numbers, IBANs and order/ticket numbers by masks."""
    text = _URL.sub(_mask_link, text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _IBAN.sub(NUMBER_MASK, text)
    text = _REFERENCE.sub(_mask_reference, text)
    text = _DIGIT_RUN.sub(_mask_digits, text)
    text = _HASH_NUMBER.sub(NUMBER_MASK, text)
    text = _LONG_NUMBER.sub(NUMBER_MASK, text)
    return _CODE.sub(NUMBER_MASK, text)


def _mask_link(match: re.Match[str]) -> str:
    url = match.group(0).rstrip(".,;:!?")
    trailing = match.group(0)[len(url) :]
    parts = urlsplit(url if "://" in url else f"https://{url}")
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.query or parts.fragment or "@" in parts.netloc or any(_TOKEN_SEGMENT.match(segment) for segment in segments):
        return LINK_MASK + trailing
    return url + trailing


def _mask_reference(match: re.Match[str]) -> str:
    words = match.group(0).split()
    label = re.match(r"[A-Za-z]+", words[0])
    return f"{label.group(0) if label else ''} {NUMBER_MASK}".strip()


def _mask_digits(match: re.Match[str]) -> str:
    run = match.group(0)
    digits = re.sub(r"\D", "", run)
    if _ISO_DATE.fullmatch(run.strip()) or len(digits) < 7:
        return run
    if 13 <= len(digits) <= 19 and not run.lstrip().startswith(("+", "(")):
        return CARD_MASK
    if len(digits) <= 15:
        return PHONE_MASK
    return NUMBER_MASK


def question_key(text: str) -> str:
    """What two questions must share to count as the same wording (case, spacing and punctuation ignored)."""
    return " ".join(re.findall(r"[^\W_]+|\[\w+\]", text.lower()))


def display_question(text: str, limit: int = 160) -> str:
    """A question short enough for a title or a list: its first asking sentence, else its opening words."""
    text = text.strip()
    if len(text) <= limit:
        return _capitalised(text)
    sentences = re.split(r"(?<=[.?!])\s+", text)
    asking = [sentence for sentence in sentences if sentence.endswith("?") and 3 <= len(sentence) <= limit]
    if asking:
        return _capitalised(asking[0])
    if len(sentences[0]) <= limit:
        return _capitalised(sentences[0])
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return _capitalised(cut.rstrip(",;:") + "…")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
