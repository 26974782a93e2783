"""Specification of processors.signature: address lists, signature blocks, roles, people."""
import pytest

from revloop.processors.signature import Person, infer_role, normalize_phone, parse_address_list, parse_signature, people_from_message

# --- parse_address_list ---------------------------------------------------------------------

def test_address_list_parses_named_and_bare_addresses():
    assert parse_address_list('Maria Lopez <MLopez@FirstCommunityBank.com>, ap@lakesidecu.org') == [
        ("Maria Lopez", "mlopez@firstcommunitybank.com"), (None, "ap@lakesidecu.org")]


def test_address_list_handles_quoted_names_with_commas():
    assert parse_address_list('"Lopez, Maria" <mlopez@fcb.com>') == [("Lopez, Maria", "mlopez@fcb.com")]


def test_address_list_deduplicates_case_insensitively_keeping_the_first():
    assert parse_address_list("Karen <K@summitcu.org>, k@summitcu.org") == [("Karen", "k@summitcu.org")]


def test_address_list_of_an_empty_header_is_empty():
    assert parse_address_list("") == []


# --- phone normalisation --------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["+1-555-123-4567", "(555) 123-4567", "555.123.4567", "555 123 4567", "15551234567"])
def test_phone_is_normalised_to_e164_digits(raw):
    assert normalize_phone(raw) == "+15551234567"


def test_phone_with_the_wrong_number_of_digits_is_rejected():
    assert normalize_phone("448120") is None


# --- parse_signature: several realistic shapes ----------------------------------------------

def test_signature_stacked_block_after_sign_off():
    body = ("Attached is the engagement letter for 123 Main St. Borrower is John Alvarez (555-410-2231).\n\n"
            "Thanks,\nMaria Lopez\nLoan Processor\nFirst Community Bank\n(555) 201-3344")
    assert parse_signature(body, "Maria Lopez", "MLopez@FirstCommunityBank.com") == Person(
        name="Maria Lopez", email="mlopez@firstcommunitybank.com", title="Loan Processor", role="processor",
        phone="+15552013344", company="First Community Bank")


def test_signature_pipe_separated_one_liner():
    body = ("Dan - please call me.\n\nTom Becker | Senior Loan Officer | Harbor Lending\nNMLS 448120\n"
            "c: 555.302.7781")
    person = parse_signature(body, "Tom Becker", "tbecker@harborlending.com")
    assert (person.title, person.role, person.company, person.phone) == (
        "Senior Loan Officer", "loan_officer", "Harbor Lending", "+15553027781")


def test_signature_title_and_company_on_one_line_are_split():
    body = "Report still missing.\n\nLinda Chao\nMortgage Processor, Northstar Bank"
    person = parse_signature(body, "Linda Chao", "lchao@northstarbank.com")
    assert (person.title, person.company) == ("Mortgage Processor", "Northstar Bank")


def test_signature_after_dash_dash_delimiter_with_international_format_phone():
    body = "See attached.\n\n-- \nDenise Ford\nDirector of Vendor Relations\nBluewater AMC\nOffice: +1-614-555-0190"
    person = parse_signature(body, None, "dford@bluewateramc.com")
    assert person == Person(name="Denise Ford", email="dford@bluewateramc.com", title="Director of Vendor Relations",
                            role="executive", phone="+16145550190", company="Bluewater AMC")


def test_signature_name_comes_from_display_name_when_sign_off_is_first_name_only():
    body = "Thank you!\nKaren\nSenior Underwriter\nSummit Credit Union\nDirect: 555-330-1192"
    assert parse_signature(body, "Karen Whitfield", "kwhitfield@summitcu.org").name == "Karen Whitfield"


def test_signature_name_from_the_block_when_the_display_name_is_a_mailbox():
    body = "Could you send the invoice?\n\nThank you,\nDonna\nAccounts Payable | Lakeside Credit Union"
    person = parse_signature(body, "AP Dept", "ap@lakesidecu.org")
    assert (person.name, person.role, person.company) == ("Donna", "accounts_payable", "Lakeside Credit Union")


def test_signature_reverses_last_comma_first_display_names():
    assert parse_signature("Thanks", "Lopez, Maria", "m@fcb.com").name == "Maria Lopez"


def test_signature_phone_skips_fax_lines():
    body = "Thanks,\nGreg Olsen\nLakeshore Credit Union\nFax: 555-000-1111\nCell: 555-310-2201"
    assert parse_signature(body, "Greg Olsen", "golsen@lakeshorecu.com").phone == "+15553102201"


def test_signature_ignores_phone_numbers_in_the_message_text():
    body = "Borrower cell is 555-880-4412, tenant occupied.\n\nSam"
    assert parse_signature(body, "Sam Ortiz", "sortiz@prairiehomeloans.com").phone is None


def test_signature_in_quoted_reply_is_not_the_senders():
    body = ("Got it, thanks.\n\nOn Tue, Jun 4, 2024 at 9:12 AM Tom Becker <tbecker@harborlending.com> wrote:\n"
            "> Please call me.\n> Tom Becker | Senior Loan Officer | Harbor Lending\n> c: 555.302.7781")
    person = parse_signature(body, "Karen Whitfield", "kwhitfield@summitcu.org")
    assert (person.title, person.phone, person.company) == (None, None, None)


def test_signature_with_nothing_to_find_keeps_header_identity():
    assert parse_signature("ok", "Jess Morgan", "JMorgan@LakesideCU.org") == Person(
        name="Jess Morgan", email="jmorgan@lakesidecu.org")


# --- infer_role -----------------------------------------------------------------------------

@pytest.mark.parametrize("title, role", [
    ("Loan Officer", "loan_officer"),
    ("Senior Mortgage Loan Originator", "loan_officer"),
    ("Vendor Manager", "vendor_manager"),
    ("Appraisal Manager", "vendor_manager"),
    ("AMC Coordinator", "vendor_manager"),
    ("Loan Processor", "processor"),
    ("Senior Underwriter", "underwriter"),
    ("VP, Mortgage Operations", "executive"),
    ("Director of Vendor Relations", "executive"),
    ("Realtor", "agent"),
])
def test_role_is_inferred_from_title(title, role):
    assert infer_role(title) == role


def test_unknown_or_missing_title_has_no_role():
    assert infer_role("Mortgage Operations Manager") is None
    assert infer_role(None) is None


# --- people_from_message --------------------------------------------------------------------

def test_people_are_external_only_with_the_sender_first_and_enriched():
    people = people_from_message(
        from_header="Tom Becker <tbecker@harborlending.com>",
        to_header="Keystone Orders <orders@keystonevaluation.com>, Dan <dan@keystonevaluation.com>",
        cc_header="Jess Morgan <jmorgan@lakesidecu.org>, tbecker@harborlending.com",
        reply_to_header="",
        body="Please call me.\n\nTom Becker | Senior Loan Officer | Harbor Lending\nc: 555.302.7781",
        mailbox_domain="keystonevaluation.com",
    )
    assert [p.email for p in people] == ["tbecker@harborlending.com", "jmorgan@lakesidecu.org"]
    assert people[0].role == "loan_officer" and people[0].phone == "+15553027781"
    assert people[1] == Person(name="Jess Morgan", email="jmorgan@lakesidecu.org")


def test_people_skip_our_subdomains_and_machine_senders():
    people = people_from_message("noreply@crestviewamc.com", "ops@mail.keystonevaluation.com", "", "", "",
                                 "keystonevaluation.com")
    assert people == []


def test_people_include_a_distinct_reply_to():
    people = people_from_message("AP Dept <ap@lakesidecu.org>", "orders@keystonevaluation.com", "",
                                 "Donna Wells <dwells@lakesidecu.org>", "", "keystonevaluation.com")
    assert [p.email for p in people] == ["ap@lakesidecu.org", "dwells@lakesidecu.org"]
    assert people[1].name == "Donna Wells"
