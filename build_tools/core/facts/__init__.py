"""The fact base: how a fact and a reference read for each audience."""
