"""Education site generator: one fact base, three audience variants, one static site."""
