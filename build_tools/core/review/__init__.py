"""Review: sign-offs tied to the exact content, and what each topic may say of its review."""
