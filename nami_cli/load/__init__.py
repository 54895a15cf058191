"""Load and validate request files: YAML read safely, checked field by field, JSON Schema, template."""
