"""Bringing a whole Phorum 5 board across: its database read (``source``), turned into the
archive's records, and its old addresses kept."""
