"""Stage 4, check: the invariants a rendered variant must meet before it may be published."""
