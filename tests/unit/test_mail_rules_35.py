"""Mail rules 35: the guardrail labels where the tenth blind judge found them wrong (our own examples).

- A negated opt-out in Spanish or Portuguese ("no dejen de mandarme el boletín" = don't stop sending
  it to me) and "keep me on the list" want more of our mail: no opt-out. "Take me off the market
  letter" names our letter and opts out.
- A need for our work to be done again, plainly ours ("I need them redone"), is a request; the
  sender's own redo is not. A Portuguese availability question for a video call asks for a meeting.
- Not tasks: a notice asking everyone to update their own bookmarks or records; a work word naming
  what is reported on ("reinspect on 40 Birch came back clean"); a way of working asked for from now
  on that names no work ("can we get that sorted going forward?"); a vendor's discount on its own
  product.
- Times: a part of the day typed with a slip ("tmrw aftrnoon" had read as noon), and the sender busy
  ("I'm in meetings all morning, can you call me at 2?") is not when they asked for.
Each message is read by the real classifier (bundled model, shipped head and rules) on Thursday
14 October 2027, 10:15 in Phoenix.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from revloop.processors.mail_time import resolve_requested_time
from tests.support.mail import classify_text

PHOENIX = ZoneInfo("America/Phoenix")
SENT = datetime(2027, 10, 14, 10, 15, tzinfo=PHOENIX)
MS = int(SENT.timestamp() * 1000)
HEADERS = {"Date": "Thu, 14 Oct 2027 10:15:00 -0700"}
SENDER = "Odalys Ferreira <odalys@saguarolending.example>"
OUR_LETTER = ("\n\nOn Wed, Oct 13, 2027 at 6:00 AM Keystone Valuation <hello@keystonevaluation.com> wrote:\n"
              "> Keystone Valuation Market Letter - October 2027\n>\n> Days on market lengthened again in September.\n>\n"
              "> --\n> Keystone Valuation, 1200 Commerce St, Suite 400, Springfield, IL 62701\n"
              "> To stop receiving these emails: https://keystonevaluation.com/u/5d1e")


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)


@pytest.mark.parametrize("body", [
    "Por favor no dejen de enviarme las cartas de mercado, las reviso cada mes.",
    "No dejen de mandarnos el boletín, lo compartimos con todo el equipo.",
    "Não deixem de me mandar o boletim, é muito útil.",
    "Please keep me on your mailing list, the September numbers were great.",
    "Keep us on the newsletter, thanks! Our loan officers read every issue.",
])
def test_a_wish_for_more_of_our_mail_is_no_opt_out(body):
    assert "opt_out" not in read("Re: Keystone Valuation Market Letter - October 2027", body + OUR_LETTER).labels


@pytest.mark.parametrize("body", [
    "I've moved to commercial lending, so please take me off the market letter.",
    "Kindly remove me from the monthly newsletter. Thank you.",
    "Por favor dejen de enviarme el boletín.",
])
def test_an_opt_out_naming_our_letter_is_one(body):
    assert "opt_out" in read("Re: Keystone Valuation Market Letter - October 2027", body + OUR_LETTER).labels


@pytest.mark.parametrize("subject, body", [
    ("Photos on 9 Ocotillo", "The kitchen photos on 9 Ocotillo are of the model home, not the subject. I need them redone."),
    ("Comps 2 and 3", "Comps 2 and 3 on 415 Palo Verde are both bank sales and the investor rejects those. "
                      "We need them replaced with arm's-length sales."),
    ("Sketch", "The sketch for 71 Mesquite leaves off the casita. Need it corrected before we send the package."),
    ("Reunião", "Boa tarde! Vocês teriam disponibilidade para uma chamada de vídeo na sexta? Queria alinhar os prazos."),
])
def test_a_need_for_our_work_and_a_portuguese_availability_question_are_requests(subject, body):
    assert "explicit_request" in read(subject, body).labels


@pytest.mark.parametrize("subject, body", [
    ("Our redo", "I need to get the closing disclosure redone on our end before the package goes out. Nothing for you."),
    ("Vendor portal move", "To all valuation partners:\n\nOur vendor portal is moving to a new address on November 1. "
                           "Please update your bookmarks and saved passwords before then.\n\nSaguaro Lending Vendor Desk"),
    ("Re: 40 Birch", "reinspect on 40 Birch came back clean, we're good to close. thanks"),
    ("Missing photos", "Third report this month without the street scene photo. Can we get that sorted going forward?"),
    ("15% off aerial measurements", "Hi Keystone, I run RoofLens, an aerial measurement service for appraisers. We'd love "
                                    "to give your team 15% off your first five orders. Want me to set you up?\n\nTrent"),
])
def test_not_tasks(subject, body):
    assert "explicit_request" not in read(subject, body).labels


def window(body):
    got = read("Callback", body)
    assert "explicit_request" in got.labels, got
    w = got.requested_time
    return None if w is None else (w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes"))


@pytest.mark.parametrize("body, expected", [
    ("can u call me tmrw aftrnoon about 5 Cholla? thx", ("2027-10-15T12:00-07:00", "2027-10-15T17:00-07:00")),
    ("pls ring me fri mornnig re the deck", ("2027-10-15T09:00-07:00", "2027-10-15T12:00-07:00")),
    ("I'm in meetings all morning, can you call me at 2 about the comps?", ("2027-10-14T14:00-07:00", "2027-10-14T15:00-07:00")),
    ("I'm tied up this afternoon, so could you call me tomorrow morning instead?",
     ("2027-10-15T09:00-07:00", "2027-10-15T12:00-07:00")),
])
def test_typed_slips_and_the_senders_busy_time(body, expected):
    assert window(body) == expected


def test_a_typo_free_part_of_the_day_is_unchanged():
    w = resolve_requested_time(["Could you call me this evening?"], [], MS, "America/Phoenix")
    assert (w.start.hour, w.end.hour) == (17, 21)
