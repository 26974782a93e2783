"""Where a recipient is, in time: each contact's time zone and how it was inferred.

A contact's zone comes from, in order:
  1. its own `time_zone` field (someone who knows said so);
  2. its own ZIP code, then its own state (where it says it works);
  3. its client's `time_zone`, ZIP code, then state (the office it works for);
  4. its phone number's area code (last: a mobile number keeps its area code when
     its owner moves, so it says where someone once was more than where they are);
  5. none: the tenant's own zone is used when the email is decided (the control
     setting `time_zone`), so a change of that setting needs no rewrite of contacts.
The source names which one it was (contact, contact_zip, contact_state, client,
client_zip, client_state, phone, tenant_default) and is stored on the contact's row.

A state that spans two zones (Texas, Florida, Indiana ...) gives its capital's zone, the
zone most of its people live in; a ZIP code or an explicit zone is better where known.
An area code that spans zones (toll-free numbers, some rural codes) says nothing.

All data is offline and bundled with the packages (`zipcodes`, indexed once into
zip_zones.txt here; `us`, `phonenumbers`' time-zone module, the interpreter's zoneinfo with
`tzdata`): nothing is downloaded.
"""
from __future__ import annotations

import functools
import re
import zoneinfo

CONTACT, CONTACT_ZIP, CONTACT_STATE = "contact", "contact_zip", "contact_state"
CLIENT, CLIENT_ZIP, CLIENT_STATE = "client", "client_zip", "client_state"
PHONE, TENANT_DEFAULT = "phone", "tenant_default"
DEFAULT_TENANT_ZONE = "America/New_York"

_ZIP5 = re.compile(r"\s*(\d{5})(?:-\d{4})?\s*\Z")


@functools.cache
def valid_zone(name: str | None) -> bool:
    """An IANA zone name zoneinfo knows ("America/Chicago"); not an abbreviation ("CST")."""
    if not name or not isinstance(name, str) or "/" not in name and name != "UTC":
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@functools.cache
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


# ZIP code -> zone. zipcodes answers one lookup by scanning its whole table (ms), and building
# an index through zipcodes.list_all() materialises 42k dicts (~2.5 s), which every process that
# meets a ZIP code paid: each replay shard, each worker. The same index ships as text beside this
# module (a line per zone: "zone<TAB>zip zip ..."), read in ~20 ms. tests/unit/test_zip_zones.py
# checks it equals zipcodes' table; scripts/zip_zones.py writes it again after an upgrade.
ZIP_ZONES_FILE = "zip_zones.txt"


@functools.cache
def _zip_zones() -> dict[str, str]:
    from importlib import resources

    return zip_zones_of_text(resources.files(__package__).joinpath(ZIP_ZONES_FILE).read_text(encoding="ascii"))


def zip_zones_of_package() -> dict[str, str]:
    """The index as zipcodes gives it (slow: what the shipped file is made of and checked against)."""
    import zipcodes

    return {z["zip_code"]: z["timezone"] for z in zipcodes.list_all() if z.get("timezone")}


def zip_zones_of_text(text: str) -> dict[str, str]:
    return {z: tz for line in text.splitlines() for tz, zips in [line.split("\t")] for z in zips.split()}


def zip_zones_text(table: dict[str, str]) -> str:
    by_zone: dict[str, list[str]] = {}
    for zip_code, tz in table.items():
        by_zone.setdefault(tz, []).append(zip_code)
    return "".join(f"{tz}\t{' '.join(sorted(zips))}\n" for tz, zips in sorted(by_zone.items()))


def zone_of_zip(zip_code: str | None) -> str | None:
    match = _ZIP5.match(zip_code or "")
    if not match:
        return None
    found = _zip_zones().get(match.group(1))
    return found if found and valid_zone(found) else None


@functools.cache
def zone_of_state(state: str | None) -> str | None:
    if not state or not state.strip():
        return None
    import us

    found = us.states.lookup(state.strip())
    if found is None:
        return None
    name = found.capital_tz or (found.time_zones[0] if found.time_zones else None)
    return name if valid_zone(name) else None


@functools.cache
def zone_of_phone(phone: str | None) -> str | None:
    """The zone of a phone number's area code when it names exactly one (US numbers by default)."""
    if not phone or not phone.strip():
        return None
    import phonenumbers
    from phonenumbers import timezone as phone_zones

    try:
        number = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        return None
    found = phone_zones.time_zones_for_number(number)
    if len(found) != 1 or not valid_zone(found[0]):
        return None
    return found[0]


def infer_zone(contact: dict, client: dict | None) -> tuple[str | None, str]:
    """(zone, source) for a contact row and its client's row (None: the tenant's zone)."""
    client = client or {}
    return _infer_zone(contact.get("time_zone"), contact.get("zip"), contact.get("state"), client.get("time_zone"),
                       client.get("zip"), client.get("state"), contact.get("phone"))


# Every contact event asks, and a client's change asks again for each of its contacts, mostly
# with the same few values: answered once per combination (pure, so a cache changes nothing).
@functools.lru_cache(maxsize=1 << 16)
def _infer_zone(time_zone, zip_code, state, client_time_zone, client_zip, client_state,
                phone) -> tuple[str | None, str]:
    steps = ((CONTACT, lambda: time_zone if valid_zone(time_zone) else None),
             (CONTACT_ZIP, lambda: zone_of_zip(zip_code)),
             (CONTACT_STATE, lambda: zone_of_state(state)),
             (CLIENT, lambda: client_time_zone if valid_zone(client_time_zone) else None),
             (CLIENT_ZIP, lambda: zone_of_zip(client_zip)),
             (CLIENT_STATE, lambda: zone_of_state(client_state)),
             (PHONE, lambda: zone_of_phone(phone)))
    for source, find in steps:
        found = find()
        if found:
            return found, source
    return None, TENANT_DEFAULT


def check_zone_field(type_name: str, event: dict) -> None:
    """An explicit zone must be one zoneinfo knows: refused at the edge, not guessed at send time."""
    name = event.get("time_zone")
    if name is not None and not valid_zone(name):
        raise ValueError(f"{type_name}: time_zone {str(name)[:60]!r} is not an IANA zone name "
                         "(e.g. America/Chicago)")
