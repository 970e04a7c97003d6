"""Stage 1 and 2, read and validate: YAML read strictly, content checked against the model."""
