"""Vigil's rules in plain Python: no database, web or template imports here."""
