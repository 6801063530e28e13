"""Persistence: tables, the engine, the unit of work, restricted repositories."""
