"""The ZIP code -> zone index shipped beside local_time is zipcodes' own table, entry for entry
(regenerate with scripts/zip_zones.py after upgrading zipcodes)."""
from revloop.processors import local_time


def test_shipped_index_equals_the_zipcodes_table():
    shipped = local_time._zip_zones()
    assert shipped == local_time.zip_zones_of_package()
    assert len(shipped) > 40_000 and shipped["96813"] == "Pacific/Honolulu" and shipped["60601"] == "America/Chicago"


def test_index_text_reads_back_to_the_same_table():
    table = {"04101": "America/New_York", "96813": "Pacific/Honolulu", "04102": "America/New_York"}
    text = local_time.zip_zones_text(table)
    assert text == "America/New_York\t04101 04102\nPacific/Honolulu\t96813\n"
    assert local_time.zip_zones_of_text(text) == table
