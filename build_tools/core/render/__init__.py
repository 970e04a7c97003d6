"""Stage 3, render: each topic for each audience, in the closed prose language."""
