"""English phrasings, by what the sentence does. Slots: {addr} {time} {topic} {doc} {product} {tp}
{ref} {phone} {county} {me} ("me"/"us").

A request is a wrapper (how the person asks) around a verb phrase (what they ask for):
("base form", "-ing form"). The generator splits every list by position between the dev and
test authors, so the test split also measures phrasings the head never saw.
"""
from __future__ import annotations

REQUEST_VP: dict[str, list[tuple[str, str]]] = {
    "call": [
        ("call {me}", "calling {me}"), ("give {me} a call", "giving {me} a call"),
        ("give me a ring", "giving me a ring"), ("ring me", "ringing me"), ("phone me", "phoning me"),
        ("call me back", "calling me back"), ("return my call", "returning my call"),
        ("hop on a quick call with me", "hopping on a quick call with me"),
        ("walk me through {topic} by phone", "walking me through {topic} by phone"),
        ("talk through {topic} with me on the phone", "talking through {topic} with me on the phone"),
        ("call me to discuss {topic}", "calling me to discuss {topic}"), ("give me a buzz", "giving me a buzz"),
        ("get on the phone with me about {topic}", "getting on the phone with me about {topic}"),
        ("call my cell", "calling my cell"), ("jump on a 10 minute call", "jumping on a 10 minute call"),
        ("touch base by phone", "touching base by phone"), ("call me at {phone}", "calling me at {phone}"),
        ("have your appraiser call me", "having your appraiser call me"),
        ("explain {topic} to me over the phone", "explaining {topic} to me over the phone"),
        ("set up a quick phone call", "setting up a quick phone call"),
    ],
    "meeting": [
        ("set up a meeting", "setting up a meeting"), ("meet with us to go over {topic}", "meeting with us to go over {topic}"),
        ("schedule a Zoom to review {topic}", "scheduling a Zoom to review {topic}"),
        ("sit down with our team", "sitting down with our team"), ("come by our office", "coming by our office"),
        ("set up a Teams meeting with our underwriting group", "setting up a Teams meeting with our underwriting group"),
        ("grab coffee and talk about {topic}", "grabbing coffee and talking about {topic}"),
        ("join our quarterly vendor review", "joining our quarterly vendor review"),
        ("meet in person", "meeting in person"), ("do a video call with our ops team", "doing a video call with our ops team"),
        ("put a meeting on the calendar", "putting a meeting on the calendar"),
        ("meet with our new branch manager", "meeting with our new branch manager"),
        ("present to our loan officers", "presenting to our loan officers"),
        ("schedule a lunch meeting", "scheduling a lunch meeting"),
        ("send me a calendar invite for a meeting", "sending me a calendar invite for a meeting"),
        ("set up a Google Meet", "setting up a Google Meet"),
    ],
    "site_visit": [
        ("go back out to {addr} for a re-inspection", "going back out to {addr} for a re-inspection"),
        ("reinspect {addr}", "reinspecting {addr}"), ("do the final inspection at {addr}", "doing the final inspection at {addr}"),
        ("send someone out to {addr} to verify the repairs", "sending someone out to {addr} to verify the repairs"),
        ("schedule the 1004D completion inspection for {addr}", "scheduling the 1004D completion inspection for {addr}"),
        ("re-shoot the exterior photos at {addr}", "re-shooting the exterior photos at {addr}"),
        ("inspect the basement at {addr} again", "inspecting the basement at {addr} again"),
        ("get the inspection at {addr} scheduled", "getting the inspection at {addr} scheduled"),
        ("go back to the property and photograph the water heater strapping",
         "going back to the property and photographing the water heater strapping"),
        ("do a site visit at {addr}", "doing a site visit at {addr}"),
        ("swing by {addr} to confirm the roof was replaced", "swinging by {addr} to confirm the roof was replaced"),
        ("re-inspect the property now that the work is done", "re-inspecting the property now that the work is done"),
        ("measure the garage at {addr} again", "measuring the garage at {addr} again"),
        ("have the appraiser revisit {addr}", "having the appraiser revisit {addr}"),
        ("do a final walk-through at {addr}", "doing a final walk-through at {addr}"),
    ],
    "quote": [
        ("send us a quote for a {product} on {addr}", "sending us a quote for a {product} on {addr}"),
        ("give me a price for a {product}", "giving me a price for a {product}"),
        ("put together a proposal for our {county} County pipeline", "putting together a proposal for our {county} County pipeline"),
        ("quote a {product} for {addr}", "quoting a {product} for {addr}"),
        ("send over your fee for a {product}", "sending over your fee for a {product}"),
        ("bid on the {product} at {addr}", "bidding on the {product} at {addr}"),
        ("let me know what you'd charge for a {product}", "letting me know what you'd charge for a {product}"),
        ("send a fee quote and turn time for {addr}", "sending a fee quote and turn time for {addr}"),
        ("price out a {product} with a rush", "pricing out a {product} with a rush"),
        ("send us your proposal for the portfolio review", "sending us your proposal for the portfolio review"),
        ("give us an estimate for the {product}", "giving us an estimate for the {product}"),
        ("tell me your fee and ETA for a {product} in {county} County", "telling me your fee and ETA for a {product} in {county} County"),
        ("quote the attached list of properties", "quoting the attached list of properties"),
        ("send pricing for a {product}", "sending pricing for a {product}"),
    ],
    "document": [
        ("send me a copy of the {doc}", "sending me a copy of the {doc}"), ("resend the {doc}", "resending the {doc}"),
        ("forward the {doc} for {addr}", "forwarding the {doc} for {addr}"), ("email over your {doc}", "emailing over your {doc}"),
        ("upload the {doc} to the portal", "uploading the {doc} to the portal"),
        ("send the updated {doc}", "sending the updated {doc}"), ("get me the {doc}", "getting me the {doc}"),
        ("send us your current {doc}", "sending us your current {doc}"), ("attach the {doc} again", "attaching the {doc} again"),
        ("send the {doc} in PDF", "sending the {doc} in PDF"), ("re-send the report for {addr}", "re-sending the report for {addr}"),
        ("share the {doc} with me", "sharing the {doc} with me"), ("send me the {doc} for {ref}", "sending me the {doc} for {ref}"),
        ("provide a copy of your {doc}", "providing a copy of your {doc}"),
        ("send the {doc} to me directly", "sending the {doc} to me directly"),
    ],
    "order_change": [
        ("change the due date on {ref} to {date}", "changing the due date on {ref} to {date}"),
        ("update the borrower's phone number on the order to {phone}", "updating the borrower's phone number on the order to {phone}"),
        ("cancel the order for {addr}", "cancelling the order for {addr}"),
        ("put the {addr} order on hold", "putting the {addr} order on hold"),
        ("switch the {addr} order to a {product}", "switching the {addr} order to a {product}"),
        ("add a rent schedule to the {addr} order", "adding a rent schedule to the {addr} order"),
        ("update the loan number on {ref}", "updating the loan number on {ref}"),
        ("correct the lender name on the report to {company}", "correcting the lender name on the report to {company}"),
        ("move the inspection at {addr} to {date}", "moving the inspection at {addr} to {date}"),
        ("change the order for {addr} from a {product} to a full appraisal", "changing the order for {addr} from a {product} to a full appraisal"),
        ("add the co-borrower's name to {ref}", "adding the co-borrower's name to {ref}"),
        ("hold off on the inspection for {addr} until the repairs are done", "holding off on the inspection for {addr} until the repairs are done"),
        ("bill the appraisal fee to the lender instead of the borrower", "billing the appraisal fee to the lender instead of the borrower"),
        ("fix the property address on {ref}, it should be {addr}", "fixing the property address on {ref}, it should be {addr}"),
        ("stop work on {ref}, the borrower withdrew", "stopping work on {ref}, the borrower withdrew"),
    ],
    "third_party": [
        ("reach out to {tp} for access to {addr}", "reaching out to {tp} for access to {addr}"),
        ("contact {tp} directly to set up the inspection", "contacting {tp} directly to set up the inspection"),
        ("call {tp} at {phone} to schedule", "calling {tp} at {phone} to schedule"),
        ("coordinate with {tp} on the completion date", "coordinating with {tp} on the completion date"),
        ("get in touch with {tp} about the lockbox", "getting in touch with {tp} about the lockbox"),
        ("loop in {tp} on the revision", "looping in {tp} on the revision"),
        ("follow up with {tp} to get into unit B", "following up with {tp} to get into unit B"),
        ("email {tp} the inspection time", "emailing {tp} the inspection time"),
        ("give {tp} a call to confirm access", "giving {tp} a call to confirm access"),
        ("check with {tp} on the HOA dues", "checking with {tp} on the HOA dues"),
        ("talk to {tp} about the permits", "talking to {tp} about the permits"),
        ("text {tp} when you're on the way", "texting {tp} when you're on the way"),
        ("ask {tp} for the rent roll", "asking {tp} for the rent roll"),
    ],
}

# How people ask. {vp}/{vping} are the verb phrase; {time} is " <time>" or "".
WRAPPERS = [
    "Can you {vp}{time}?", "Could you {vp}{time}?", "Would you mind {vping}{time}?", "Please {vp}{time}.",
    "I'd appreciate it if you could {vp}{time}.", "Would you be able to {vp}{time}?", "Any chance you could {vp}{time}?",
    "Is it possible for you to {vp}{time}?", "I need you to {vp}{time}.", "Can someone from your office {vp}{time}?",
    "When you get a sec, can you {vp}{time}?", "Mind {vping}{time}?", "Do me a favor and {vp}{time}.",
    "Kindly {vp}{time}.", "Could I ask you to {vp}{time}?", "I was hoping you could {vp}{time}.",
    "Hoping you can {vp}{time}, thanks!", "Need you to {vp}{time}.", "Would you kindly {vp}{time}?",
    "If possible, please {vp}{time}.", "Whenever you have a moment, could you {vp}{time}?", "Just {vp}{time}, thx.",
    "{Vp}{time} please.", "{Vp}{time} when you can.", "Can u {vp}{time}", "cud u {vp}{time}", "pls {vp}{time}",
    "would you {vp}{time}?", "We'd like you to {vp}{time}.", "Can you please {vp}{time}?",
    "Please be sure to {vp}{time}.", "It would really help if you could {vp}{time}.",
    "Would it be possible to {vp}{time}?", "Can I get you to {vp}{time}?", "I'm asking that you {vp}{time}.",
    "Could you possibly {vp}{time}?", "Are you able to {vp}{time}?", "Would you be so kind as to {vp}{time}?",
    "At your earliest convenience, please {vp}.", "Can we get you to {vp}{time}?", "Go ahead and {vp}{time}.",
    "I'd like you to {vp}{time}.", "Could your team {vp}{time}?", "{Vp}{time}?", "Can you pls {vp}{time}",
    "Requesting that you {vp}{time}.", "Would appreciate if u could {vp}{time}", "Really need you to {vp}{time}.",
]

# Requests that do not fit a wrapper, by type.
REQUEST_FREE: dict[str, list[str]] = {
    "call": [
        "Are you free for a call{time}? I have questions about {topic}.", "Do you have a few minutes{time} to talk through {topic}?",
        "When's a good time to talk{time}? I'd like to go over {topic}.", "Let's get on the phone{time}.",
        "I'd like to talk through {topic} by phone{time} if you're around.", "Call me{time}.", "Call me when you see this.",
        "Give me a call{time}, my cell is {phone}.", "Phone call{time}? Easier than email for this one.",
        "I left you a voicemail, please call me back{time}.", "Need to talk to you{time} about {topic}, call my cell.",
        "Ring me{time} if that's easier, I'm at {phone}.", "Could we have a quick call{time} about {topic}?",
        "Would love 15 minutes on the phone{time} to go over {topic}.", "can we talk{time}? call me",
        "Do you have time for a call{time}? Want to go over {topic}.", "Let's chat by phone{time} about {topic}.",
        "I'd prefer to discuss {topic} over the phone, so please call me{time}.",
    ],
    "meeting": [
        "Can we set up a meeting{time} to go over {topic}?", "Let's meet{time} to review {topic}.",
        "I'd like to schedule a meeting{time} with you and {tp}.", "Are you available for a Zoom{time}?",
        "Let's find time{time} for an in-person meeting about the panel.", "Could we schedule a sit-down{time}?",
        "Can we do a Teams meeting{time} with our ops group?", "We'd like to meet with your team{time} to discuss volume.",
        "Let's grab lunch{time} and talk about {topic}.", "Please send a meeting invite for{time}.",
        "Would your team be open to a meeting{time} to talk through {topic}?",
    ],
    "site_visit": [
        "The repairs at {addr} are done, can you send the appraiser back out{time}?",
        "We need a re-inspection at {addr}{time}.", "The underwriter wants a 1004D on {addr}, please schedule it{time}.",
        "Please have someone re-inspect {addr}{time}, the kitchen is finished.",
        "Can the appraiser go back out{time}? The photos of the deck are missing.",
        "Need a final inspection at {addr}{time}.", "We'll need someone back at the property{time} to verify the smoke detectors.",
        "Could your inspector revisit {addr}{time}? Access is through the side gate.",
    ],
    "quote": [
        "What would you charge for a {product} on {addr}?", "What's your fee for a {product} in {county} County?",
        "Can I get a quote for a {product}?", "Please quote a {product} for {addr}{time}.",
        "We need pricing on a {product} for a new construction loan.", "What's your price and turn time for a {product}?",
        "Send me a proposal{time} for handling our {county} County orders.", "How much for a {product} with a rush?",
        "I need a bid on the attached commercial property{time}.",
    ],
    "document": [
        "Can I get a copy of the {doc}?", "I never received the {doc}, please resend{time}.",
        "We need your updated {doc} on file{time}.", "Please send the {doc} for {addr}{time}.",
        "The {doc} didn't come through, can you send it again?", "Still need the {doc} for {ref}, please send{time}.",
        "Please email me the {doc}{time}, I can't find it.", "Could I please get the {doc}{time}?",
        "Send {doc} pls", "Our auditors need a copy of your {doc}, please send it over{time}.",
    ],
    "order_change": [
        "Please cancel {ref}, the borrower went with another lender.", "We need to change the loan type on {ref} to FHA.",
        "Can we push the inspection at {addr} to{time}?", "Please update the order: the new contact for access is {tp}.",
        "The borrower's name is misspelled on {ref}, please correct it.", "Please put {ref} on hold until further notice.",
        "Please add a 1007 rent survey to the order for {addr}.", "We need the due date on {ref} moved to {date}.",
        "Swap the order for {addr} to a desktop, please.", "Please update the loan amount on the {addr} order.",
        "Please stop the inspection at {addr}, the deal fell through.", "Please remove the rush fee from the invoice.",
        "Take the second unit off the order for {addr}.", "Stop work on {addr}, the loan was denied.",
    ],
    "third_party": [
        "Please contact {tp} to arrange access to {addr}{time}.", "Can you call {tp}{time}? They have the gate code.",
        "Please reach out to {tp} for the lockbox code.", "Can your office coordinate with {tp} on timing{time}?",
        "Would you contact {tp} about the repairs{time}?", "Please get in touch with {tp} at {phone} to set up the inspection.",
        "Reach out to {tp} for access, they're expecting your call.",
    ],
}

# Mentions an action without asking us for it.
REQUEST_HARD_NEG = [
    "Feel free to call me if you have any questions.", "Call me crazy, but I think the value came in light.",
    "Let me know if you need anything else.", "I'll give you a call Thursday.", "I'll call you tomorrow to go over it.",
    "Thanks for calling me back so quickly yesterday.", "The borrower asked if we could meet at the property.",
    "No need to call, email is fine.", "We might need a re-inspection later, I'll let you know.",
    "If the underwriter asks, we may need a revised report.", "Our team meets on Thursdays to review vendors.",
    "The quote you sent last week looks fine.", "I sent the invoice to our AP department.",
    "The listing agent will call you to arrange access.", "We're meeting with the borrower tomorrow.",
    "You can reach me at {phone} if anything comes up.", "Don't hesitate to reach out with questions.",
    "Happy to hop on a call if that's easier for you.", "If you need access, the lockbox code is 4412.",
    "I called your office yesterday and spoke with Rachel.", "We should call them about the HOA dues at some point.",
    "I had a great meeting with your team last week.", "The appraiser already re-inspected {addr} on Monday.",
    "Got the {doc}, thanks.", "I forwarded the {doc} to our underwriter.", "Sounds good, talk soon.",
    "The borrower will send you the repair receipts.", "If you want to discuss, I'm around all week.",
    "We don't need a call on this one.", "I'll send you the revised contract once the seller signs.",
    "Our underwriter may reach out to you directly.", "Let me know if you'd like to meet sometime next month.",
    "I'll have the listing agent reach out to you about access.", "The builder says they'll finish the punch list Friday.",
    "Talked to the borrower and she's fine with Thursday.", "We were on a call with the title company all morning.",
    "Calling it a day here, I'll review the report tomorrow.", "I'm going to call the borrower and explain the value.",
    "If you have any issues getting in, just call me.", "Let me know if a call would help.",
    "We received your quote and will get back to you.", "Please disregard my earlier email, it's all sorted.",
    "I'll be reviewing the report this afternoon.", "Just wanted to say the meeting yesterday was helpful.",
    "Please confirm receipt.", "Any update on {addr}?", "When do you expect the report for {addr}?",
    "Has the inspection at {addr} been scheduled yet?", "Where are we on {ref}?",
    "FYI the borrower is traveling until Monday.", "Thanks again for the quick turnaround.",
    "We'll send the engagement letter for {addr} later today.", "The seller can meet the appraiser at the property.",
    "I left the signed contract in the portal.", "Just checking in, hope all is well.",
    "I'd call that a fair value given the comps.", "Call volume has been crazy here this week.",
    "We might send a few more orders your way next month, no promises.",
    "The loan officer wants to know if we should request a reconsideration, I told him I'd think about it.",
]

OPT_OUT = [
    "Please remove me from your list.", "Unsubscribe.", "STOP", "Please unsubscribe me.", "no more of these pls",
    "take me of ur list", "Take me off your mailing list.", "Stop emailing me.", "Please stop sending me these emails.",
    "I'd prefer not to receive these emails anymore.", "Remove me from all future mailings.",
    "We no longer work with appraisers in this area, please take us off your list.", "Do not contact me again.",
    "I never signed up for this, remove me.", "Please opt me out of your emails.", "unsubscribe me",
    "Not interested, please stop contacting me.", "Remove my email address from your distribution list.",
    "I asked before: stop sending these.", "Please take me off whatever list this is.", "STOP EMAILING ME",
    "We're no longer a lender, remove us from your marketing.", "Kindly remove me from your contact list.",
    "I don't want these emails anymore.", "Pls remove", "remove", "Opt out.", "Please stop.",
    "I retired last month, please remove me from your list.", "Delete me from your list please.",
    "I tried the unsubscribe link and it didn't work, please remove me.", "Enough with the emails, unsubscribe me.",
    "Please don't email me anymore.", "Take us off your list, we use an AMC now.", "Stop sending me marketing emails.",
    "Unsubscribe me from these check-ins.", "I do not wish to receive further emails from your company.",
]

OPT_OUT_HARD_NEG = [
    "Reply STOP to opt out.", "Stop by our office anytime you're in town.",
    "The borrower asked to be removed from the loan application.", "We stopped using our old AMC in March.",
    "I unsubscribed from the MLS alerts, they were too noisy.", "Don't stop sending the monthly updates, they're useful.",
    "The seller wants the tenant removed before closing.", "You can stop the clock on the revision until Monday.",
    "The HOA asked us to stop parking on the street.", "We took that property off the market.",
    "I'll remove myself from the thread so you two can sort it out.", "The old comp was removed from the grid in the revision.",
    "Our marketing team sends a newsletter too, you can unsubscribe any time.", "The deal fell through, so the seller stopped showing the house.",
]

COMPLAINT = [
    "This is the third time this month a report has come back late.", "Honestly, I'm really disappointed with the turn time on {addr}.",
    "The report for {addr} had the wrong borrower name and the wrong GLA.", "Your appraiser never showed up for the inspection.",
    "This is unacceptable, we've been waiting two weeks.", "Frankly the quality of your reports has slipped.",
    "The appraiser was rude to the homeowner.", "We're not happy with how the revision request was handled.",
    "I've asked for this correction twice and nothing has changed.", "Your office hasn't returned any of my calls.",
    "The borrower is furious and so am I.", "The comps you picked are from a completely different neighborhood.",
    "We lost a closing because the report was late.", "The report was full of typos, it looked sloppy.",
    "I'm frustrated that nobody on your team answers the phone.", "Your appraiser left the gate open and the dog got out.",
    "Very poor communication on this file.", "The invoice charged us twice for the same appraisal.",
    "This is not the level of service we expect from a panel vendor.", "We keep getting excuses instead of reports.",
    "The report came back with errors again.", "I'm tired of chasing your office for status updates.",
    "Three revisions and the adjustments are still wrong.", "The inspection was rescheduled four times without notice.",
    "Your appraiser showed up two hours late and didn't apologize.", "Not impressed with the turnaround on this one.",
    "ur appraiser never called the borrower back, this is ridiculous", "Terrible experience on {addr}.",
    "Your fees went up but the service got worse.", "If this happens again we'll have to move our orders elsewhere.",
]

COMPLAINT_HARD_NEG = [
    "No complaints here, the report was great.", "The borrower complained about the lender's fees, not about you.",
    "Sorry to be a pain with all my questions this week.", "I was worried about the timeline but you delivered early.",
    "The house had terrible water damage in the basement.", "The market has been frustrating for buyers lately.",
    "Thanks for handling the revision so quickly.", "The seller is unhappy with the offer, nothing to do with the appraisal.",
    "Great job on the {addr} report.", "The roads were awful after the storm, drive safe.",
    "Our underwriter had a couple of questions, nothing major.", "The listing photos were poor, so the report photos really helped.",
]

URGENT = [
    "We close tomorrow and still need the final report.", "This is urgent: the rate lock expires Friday.",
    "Need this ASAP, the borrower's lock ends tomorrow.", "Closing got moved up to Thursday, we need the report today.",
    "Please treat this as a priority, we're up against the closing date.", "Time-sensitive: the underwriter needs it by noon.",
    "URGENT - the buyer walks if we don't have the value by Monday.", "We close in two days, so this one is tight.",
    "We need the revision back today or the loan gets suspended.", "The lock expires in 48 hours.",
    "asap pls, closing is friday", "This needs to be done immediately.", "Drop everything on this one if you can.",
    "We're at risk of losing the deal if the report isn't in by tomorrow morning.",
    "The seller's deadline is end of day today.", "Really tight timeline here, closing is Wednesday.",
]

URGENT_HARD_NEG = [
    "We'd like to place a rush order for next month's construction draw.", "Sorry for the slow reply, I had a family emergency.",
    "No rush on this one.", "Not urgent, whenever you get to it.", "There's an urgent care clinic next door to the subject.",
    "Emergency repairs to the roof were completed in March.", "Closing isn't until the end of next month.",
    "Take your time, the borrower is still shopping rates.", "The rush fee on our schedule is $150.",
    "We'll need it sometime in the next few weeks.", "The house is near the fire station and the emergency room.",
]

RENEWAL = [
    "Your vendor agreement with us expires at the end of the month and is up for renewal.",
    "It's time for your annual panel recertification; the packet is in the portal.",
    "Our approved vendor list is being renewed for next year.", "Re-credentialing for our appraiser panel opens next week.",
    "Your panel membership is up for renewal on {date}.", "We're renewing our master service agreements this quarter.",
    "Annual vendor recertification is due for all appraisers on our panel.",
    "Your contract with our AMC is up for renewal.", "Heads up that your vendor profile renewal is coming due.",
    "The renewal of your approved-appraiser status is on the agenda for our vendor committee.",
]

# Renewal of the firm's standing that also asks for a document.
RENEWAL_DOC = [
    "Please send your renewed E&O certificate so we can renew your panel membership.",
    "To complete your vendor recertification, please upload a current W-9 and license copy.",
    "Please sign and return the renewal agreement by {date} to stay on our panel.",
    "We need your updated E&O before we can renew your vendor agreement, please send it over.",
]

RENEWAL_HARD_NEG = [
    "The borrower is renewing their HELOC with us.", "The tenant just signed a lease renewal.",
    "My subscription to the MLS auto-renews next week.", "The borrower's loan is a renewal, not a refinance.",
    "I renewed my driver's license yesterday, long line.", "The builder's permit renewal came through.",
]

UPSELL = [
    "Do you also do desktop appraisals? We have a new program launching.", "We're expanding into {county} County, can you cover it?",
    "We'd like to send you more volume next quarter.", "Are you interested in handling our commercial work too?",
    "We're looking for an appraiser for our new construction loans.", "Our branch in {county} County needs a primary appraisal partner.",
    "We just got approved to lend in three new counties and want to add you for those.", "Would you take on our BPO work as well?",
    "We're growing fast and want to add a second vendor, would you like more orders?",
    "Do you handle 2-4 unit properties? We have a bunch coming.", "We want to add hybrid appraisals to what we order from you.",
    "Could your team handle about 20 more orders a month?", "We're launching a DSCR program and will need rent schedules on every file.",
]

UPSELL_HARD_NEG = [
    "We're pausing new orders until the new year.", "Our volume is down this month, rates are up.",
    "We're reducing the number of vendors on our panel.", "Do you also want the invoice sent to AP?",
    "We use another firm for our commercial work.", "We grow our pipeline with the best CRM for loan officers.",
]

# Things people write that carry no label: context, logistics, pleasantries.
FILLER = [
    "Hope your week is going well.", "Thanks for the quick turnaround on the last one.", "The borrower is {name_tp}.",
    "The property is a 3 bed, 2 bath ranch built in 1978.", "Access is through the lockbox on the back door.",
    "The loan number is {ref}.", "We got the engagement letter signed this morning.", "Attached is the purchase contract.",
    "The subject is vacant and the utilities are on.", "It's a new construction in the {addr2} subdivision.",
    "Just following up on our conversation from last week.", "Our underwriter reviewed the report yesterday.",
    "The seller accepted the offer on Monday.", "I'm covering for Jen while she's out.",
    "The HOA is about $250 a month.", "There is a detached garage that was converted into an office.",
    "The borrower works nights, so mornings are best for access.", "We have a couple of files in the pipeline.",
    "The contract price is $412,000.", "I know things have been busy on your end.", "Happy Friday!",
    "Quick question on {addr}.", "The last three orders went smoothly.", "It's been a crazy week over here.",
    "We switched LOS systems last month, so order emails may look different.", "The tenant has two dogs.",
    "Weather's finally turning here.", "I think the comps on Ridge Rd were solid.", "We're still waiting on the title work.",
    "The roof was replaced in 2021 per the seller.", "I'm new on this account, I took over from Marcus.",
    "The property is on a well and septic.", "The borrower is relocating for work.", "Our rate sheet changed today.",
]


# -- more of each, so no label is learnt from a handful of sentences ------------------------------
REQUEST_HARD_NEG += [
    "The borrower said she'd call you herself to set up access.", "We talked about meeting up at the conference next month.",
    "I tried calling earlier but the line was busy.", "Sorry I missed your call this morning.",
    "Our loan officer will send over the contract later.", "Just confirming we got your invoice.",
    "The underwriter is reviewing the revised report now.", "I'll reach out to the listing agent myself.",
    "You guys did a great job on the last inspection.", "Let me know if there's anything you need from our end.",
    "The builder might want a final inspection later, we'll see.", "We can talk more when things slow down.",
    "Thanks for sending the W-9 so fast.", "We're having a team meeting about vendor scorecards Friday.",
    "The quote was a little higher than we expected, but we'll manage.", "No action needed on your side.",
    "Our closer may call you if anything comes up.", "If you ever want to grab coffee, I'm in the office most days.",
    "Hope to see you at the MBA luncheon.", "The agent called me back with the gate code, so we're all set.",
    "I'd love to meet your new appraiser at some point.", "My phone's been acting up, so email is best.",
    "We already have the invoice, thanks.", "The tenant knows you're coming Tuesday.",
    "Appreciate you calling the borrower yesterday.", "Can't believe how fast this market is moving.",
    "Would you believe the seller countered again?", "You probably already saw the revised contract.",
    "I wonder if the comps will hold up.", "Who knew the HOA would take this long?",
]
OPT_OUT += [
    "Please take my name off your email list.", "Unsubscribe please", "please stop", "Stop sending these.",
    "I no longer want to be contacted by your firm.", "Remove me.", "Take me off this list, thanks.",
    "We've moved on to another vendor, please don't email us anymore.", "I'm not the right contact, please remove me from your mailings.",
    "Please update your records and stop emailing this address.", "no more emails please", "unsubscribe!!",
    "Please cease all emails to this address.", "I'd like to opt out of future communications.",
    "Wrong person, please remove my email.", "Stop. Remove me.", "Don't send me any more check-ins.",
]
OPT_OUT_HARD_NEG += [
    "We stopped ordering desktops last year.", "The seller removed the shed before the inspection.",
    "Remove the old photos from the addendum and we're good.", "I had to stop at the bank on the way.",
    "Please don't stop sending the weekly pipeline report.", "We took the listing off MLS for now.",
    "Our newsletter has an unsubscribe link at the bottom if anyone complains.",
    "The borrower wants to stop paying PMI, so they need a new value.", "We'll remove the contingency once the value comes in.",
    "Opting out of the escrow waiver was the borrower's choice.", "We removed him from the loan last week.",
    "The list price dropped again.", "Our mailing list for the open house is attached.",
]
COMPLAINT += [
    "The value came back $40k under contract with no explanation, and nobody will call me back.",
    "We were promised a five-day turn time and it's been twelve.", "Your office keeps sending the report to the wrong loan officer.",
    "This is the second file this month with the wrong property address on the report.",
    "The appraiser missed the scheduled appointment and didn't call anyone.", "Honestly this has been a mess from start to finish.",
    "I am extremely dissatisfied with how this order was handled.", "Nobody on your team has responded to my last three emails.",
    "The revision took a week for a one-line fix.", "We were charged a rush fee and the report was still late.",
    "I've had it with the delays on these reports.", "This level of service is just not acceptable to our branch.",
    "The borrower said your inspector was dismissive and rushed.", "Your report had a different condition rating than the photos show.",
]
COMPLAINT_HARD_NEG += [
    "I know things have been busy on your end.", "The borrower is upset about the interest rate, not the appraisal.",
    "The buyer is frustrated with the seller's repairs.", "Traffic was terrible getting to the closing.",
    "The old AMC we used was really disappointing, glad we switched to you.", "Sorry if my last email came across as impatient.",
    "I hate to bother you again about this.", "The listing photos were misleading, the kitchen is tiny.",
    "Underwriting has been slow on their side all month.", "I was a bit worried, but the report looks great.",
    "The seller complained about the lockbox, not you.", "The weather has delayed every closing this week.",
    "Our IT system is a disaster today, bear with me.", "No issues with the report at all.",
]
URGENT += [
    "We need the final by 10am tomorrow or we miss the closing.", "The buyer's rate lock ends Thursday, so time is short.",
    "Closing is in 24 hours and we still don't have a value.", "This one is a priority, the loan funds Monday.",
    "Please push this to the front of the line, we close Friday morning.", "Emergency on this file: the lender moved closing up to tomorrow.",
    "We're out of time on this one, the contract expires today.", "Today is the deadline for the underwriter.",
]
URGENT_HARD_NEG += [
    "Not urgent, whenever you get to it.", "You can stop the clock on the revision until Monday.",
    "Heads up, we're closed Monday for the holiday.", "There's no deadline on this one.",
    "The closing is scheduled for the end of next month.", "Rush hour traffic made me late to the office.",
    "The property backs up to the emergency services station.", "Whenever works for you is fine.",
    "The rate lock is good for another 45 days.", "No hurry on the invoice.", "Our standard turn time is fine here.",
    "The seller is in a rush to move but that's not our problem.",
]
RENEWAL_HARD_NEG += [
    "The borrower's loan is a renewal, not a refinance.", "The HOA renewed its insurance policy.",
    "We renewed the lease on our branch office.", "The seller's listing agreement was renewed for 90 days.",
    "Our software license renews automatically in June.", "The builder renewed their permit with the county.",
    "The tenant's lease is up for renewal in March.", "We're renewing the borrower's line of credit.",
    "The neighborhood is going through an urban renewal project.", "My gym membership renewed itself again.",
]
RENEWAL += [
    "Our annual vendor review is coming up and your agreement renews on {date}.", "Panel renewals are due by the end of the quarter.",
    "We're recertifying all appraisers on our approved list this month.", "Your approved-vendor status expires soon unless renewed.",
]
UPSELL += [
    "We'd like to start sending you our FHA work as well.", "Our commercial division is looking for a new appraisal vendor, interested?",
    "Would you be open to covering {county} County for us?", "We're adding a new branch and expect about 30 orders a month.",
    "Can your team take on reviews as well as appraisals?", "We want to expand what we order from you to include BPOs.",
]
UPSELL_HARD_NEG += [
    "We're cutting back on orders while rates are high.", "We moved our commercial work to a national AMC.",
    "Our branch in {county} County closed last month.", "Volume should stay about the same next quarter.",
    "We grow our referral business through open houses.", "The builder is expanding the subdivision with 40 more lots.",
    "Do you also want copies of the purchase contract?", "The lender is expanding its parking lot.",
]
FILLER += [
    "The property has a new roof and HVAC.", "We're short-staffed this week with the flu going around.",
    "The comps in this neighborhood are thin.", "I'm working from home today.", "The borrower is a first-time buyer.",
    "We finally got the appraisal fee collected.", "The house is at the end of a gravel road.",
    "Our team is moving to a new office next month.", "Loan amount is $325,000.", "It's a condo on the 4th floor.",
    "The seller is very particular about shoes in the house.", "The subject is a 1920s bungalow with original floors.",
]
