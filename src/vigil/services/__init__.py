"""Use cases. Each takes the acting user and a unit of work, checks permission, writes the
audit record and commits, all in one transaction."""
