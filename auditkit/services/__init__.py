"""Use cases: each function is one thing a command does, in one transaction."""
