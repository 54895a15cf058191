"""The rule pack: loading and checking it, the condition tree, the pack as data (catalog, self-test, eval)."""
