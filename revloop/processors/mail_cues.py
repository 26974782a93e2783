"""How a sentence asks, as a few yes/no features beside its embedding.

A sentence embedding says what a sentence is about ("a call", "the invoice") far more than
whether it asks for it: "Can you call me?" and "I'll call you" sit close together. These cues
are the grammar of asking and of not asking, in general English and Spanish (modal questions to
"you", "please", an imperative opening, a conditional, the writer's own plan, a courtesy, a
report about someone else), not the corpus's phrasings. The head is trained on the embedding
and these together; ``CUES_ID`` (a hash of the definitions) is stored with the head, so a
changed cue needs a retrained head (connectors.mail_model refuses a mismatch).
"""
from __future__ import annotations

import hashlib
import re

_F = re.IGNORECASE

CUES: tuple[tuple[str, str], ...] = (
    ("modal_you", r"\b(?:can|could|would|will|cud|can't|won't|wud)\s+(?:you|u|ya|someone|somebody|anyone|your\s+(?:team|office|appraiser|inspector))\b"),
    ("can_we", r"\b(?:can|could|shall|should)\s+we\b|\blet'?s\b|\blet\s+us\b"),
    ("please", r"\b(?:please|pls|plz|pleas|kindly|por\s+favor|favor\s+de)\b"),
    ("imperative_start", r"^(?:(?:hi|hey|hello|ok|okay|also|and|so|oh|yes|no|p\.?s\.?|ps)\W+){0,2}(?:[a-z]+\s*[,-]\s*)?"
                         r"(?:call|ring|phone|send|resend|re-send|email|e-mail|forward|upload|cancel|change|update|move|"
                         r"put|add|switch|swap|schedule|set\s+up|quote|price|reinspect|re-inspect|inspect|contact|reach\s+out|"
                         r"give|get|go|swing|have|hold|fix|correct|stop|take|remove|unsubscribe|bill|loop|coordinate|"
                         r"follow\s+up|text|check|talk|ask|share|attach|provide|push|delete|opt|return|reach|bid|"
                         r"need|llam|env[ií]|manden|contacten|cancelen|quit)"),
    ("question", r"\?|¿"),
    ("polite_frame", r"\b(?:any\s+chance|is\s+it\s+possible|would\s+it\s+be\s+possible|are\s+(?:you|u)\s+(?:able|free|available|around)|"
                     r"do\s+you\s+have\s+(?:time|a\s+(?:few|minute|sec))|when'?s\s+a\s+good\s+time|(?:would|do)\s+you\s+mind|"
                     r"\bmind\s+\w+ing|i\s+was\s+hoping|hoping\s+(?:you|u)\s+can|(?:i'?d|i\s+would|we'?d)\s+(?:appreciate|like\s+you\s+to)|"
                     r"would\s+appreciate|it\s+would\s+(?:really\s+)?help)\b"),
    ("want_frame", r"\b(?:i|we)(?:'d|\s+would)\s+(?:like|love|want)\s+(?:to|you|your|someone|a|an|the)\b|\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+asking\b"
                   r"|\b(?:i|we)\s+(?:ask|request)\s+that\b|\blooking\s+for\s+(?:a|an|someone)\b"),
    ("someone_do", r"\b(?:have|get|send|need)\s+(?:someone|somebody|the\s+appraiser|your\s+(?:appraiser|inspector|guy|team))\b"),
    ("need_you", r"\b(?:need|want)\s+(?:you|u|someone|somebody)\s+to\b|\bi\s+need\s+(?:a|the|your|to)\b|\bwe\s+need\s+(?:a|the|your|to)\b"),
    ("conditional", r"\b(?:if|whenever|in\s+case|should\s+you)\b"),
    ("courtesy", r"\b(?:feel\s+free|let\s+me\s+know\s+if|don'?t\s+hesitate|do\s+not\s+hesitate|happy\s+to|glad\s+to|"
                 r"any\s+questions|if\s+(?:you\s+)?need(?:ed)?|just\s+in\s+case)\b"),
    ("own_plan", r"\b(?:i'?ll|i\s+will|i'?m\s+going\s+to|i\s+am\s+going\s+to|we'?ll|we\s+will|we'?re\s+going\s+to|"
                 r"i\s+plan\s+to|i\s+can\s+(?:call|send|meet)|lo\s+llamo|le\s+llamo)\b"),
    ("no_need", r"\b(?:no\s+need|not\s+necessary|don'?t\s+need|do\s+not\s+need|no\s+rush|not\s+urgent|disregard|never\s*mind)\b"),
    ("past", r"\b(?:called|sent|received|got|had|already|yesterday|last\s+(?:week|month|time)|was|were|did|went|came|"
             r"forwarded|left|spoke|talked|signed)\b"),
    ("thanks_for", r"\b(?:thanks|thank\s+you|thx|gracias)\s+(?:for|por)\b"),
    ("third_party_says", r"\b(?:the|our|their|her|his)\s+(?:borrower|listing\s+agent|seller|builder|underwriter|buyer|tenant|"
                         r"loan\s+officer|hoa|title\s+company|agent|client|manager)\s+(?:asked|will|wants|said|says|is\s+going|"
                         r"may|might|can|would\s+like|plans)\b"),
    ("status", r"\b(?:any\s+update|status|where\s+are\s+we|when\s+(?:will|do\s+you\s+expect|can\s+we\s+expect)|eta|"
               r"has\s+the\s+\w+\s+been|confirm\s+receipt)\b"),
    ("spanish_ask", r"\b(?:puede|podr[ií]a|pueden|podr[ií]an|necesito\s+que|necesitamos|me\s+gustar[ií]a|quiero|"
                    r"ll[aá]m(?:e|ame)|env[ií]e|reenv[ií]e|manden|contacten|cancelen|favor)\b"),
    ("stop_instruction", r"\b(?:reply|text|txt|respond|send)\s+(?:with\s+)?[\"'“]?(?:stop|unsubscribe|remove|end)\b"),
    ("you", r"\b(?:you|u|your|ur|usted|ustedes)\b"),
    ("me", r"\b(?:me|my|us|our|mi|me)\b"),
    ("short", r"^\W*\w+(?:\W+\w+){0,2}\W*$"),
)
_COMPILED = tuple((name, re.compile(pattern, _F)) for name, pattern in CUES)
CUE_NAMES = tuple(name for name, _ in CUES)
CUES_ID = hashlib.sha256(repr(CUES).encode()).hexdigest()[:16]
# The embedding is a unit vector (each of 384 components is small): cues count as one component's worth.
CUE_SCALE = 0.25


def cue_vector(text: str) -> list[float]:
    low = " ".join((text or "").split())
    return [CUE_SCALE if pattern.search(low) else 0.0 for _, pattern in _COMPILED]
