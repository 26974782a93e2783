"""Rule-based sentiment of client feedback: a word list, negation, complaint phrases, the rating.

No model and no randomness: the same text and rating always give the same label, so a
replay opens exactly the cases the live run opened. Tuned for what lenders write about
appraisals (late, inaccurate, never called back) rather than for general text.

score = sum of word weights in the text (a negator within the three words before a word
        flips it: "not happy" counts against, "not bad" for)
      + phrase weights ("never again", "took forever", "no response", ...; negated alike:
        "wasn't on time" counts against)
      + the rating's weight (1: -4, 2: -2, 3: 0, 4: +2, 5: +4)
label = negative below 0, positive above 0, neutral at 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

WORDS = {
    # against
    "late": -2, "delay": -2, "delayed": -2, "delays": -2, "slow": -1, "rude": -3, "unprofessional": -3,
    "wrong": -2, "error": -2, "errors": -2, "mistake": -2, "mistakes": -2, "poor": -2, "bad": -2,
    "terrible": -3, "awful": -3, "horrible": -3, "worst": -3, "disappointed": -3, "disappointing": -3,
    "unhappy": -3, "frustrated": -3, "frustrating": -3, "complaint": -3, "complain": -2, "unacceptable": -3,
    "inaccurate": -2, "incomplete": -2, "missing": -1, "ignored": -2, "problem": -1, "problems": -1,
    "issue": -1, "issues": -1, "refund": -2, "sloppy": -2, "careless": -2, "overpriced": -2, "expensive": -1,
    "confusing": -1, "unresponsive": -2, "revision": -1, "revisions": -1, "angry": -3, "upset": -3,
    # for
    "great": 2, "excellent": 3, "good": 1, "fast": 1, "quick": 1, "quickly": 1, "prompt": 2, "promptly": 2,
    "thorough": 2, "helpful": 2, "professional": 2, "thanks": 1, "thank": 1, "happy": 2, "pleased": 2,
    "satisfied": 2, "love": 2, "perfect": 3, "amazing": 3, "outstanding": 3, "smooth": 2, "accurate": 2,
    "responsive": 2, "recommend": 2, "impressed": 2, "easy": 1, "appreciate": 2, "appreciated": 2,
}
PHRASES = {
    "never again": -4, "took forever": -3, "no response": -2, "no reply": -2, "never called": -2,
    "never heard back": -2, "never returned": -2, "did not call": -2, "didn't call": -2,
    "did not respond": -2, "didn't respond": -2, "fell through": -2, "on time": 1, "ahead of schedule": 2,
}
NEGATORS = frozenset({"not", "no", "never", "hardly", "barely", "without", "nothing", "cannot"})
RATING = {1: -4, 2: -2, 3: 0, 4: 2, 5: 4}
NEGATION_REACH = 3
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"


@dataclass(frozen=True)
class Sentiment:
    label: str
    score: float


def _is_negator(token: str) -> bool:
    return token in NEGATORS or token.endswith("n't")


def text_score(text: str) -> int:
    lowered = " ".join((text or "").lower().split())
    score = 0
    for phrase, weight in PHRASES.items():
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", lowered):
            before = TOKEN.findall(lowered[:m.start()])[-NEGATION_REACH:]
            score += -weight if any(_is_negator(t) for t in before) else weight
    tokens = TOKEN.findall(lowered)
    for i, token in enumerate(tokens):
        weight = WORDS.get(token)
        if weight is None:
            continue
        if any(_is_negator(t) for t in tokens[max(0, i - NEGATION_REACH):i]):
            weight = -weight
        score += weight
    return score


def analyse(text: str | None, rating: int | None) -> Sentiment:
    score = text_score(text or "") + RATING.get(rating, 0)
    label = NEGATIVE if score < 0 else POSITIVE if score > 0 else NEUTRAL
    return Sentiment(label, float(score))
