"""What every stage shares: the content model, problems, faults, cache records, small text helpers."""
