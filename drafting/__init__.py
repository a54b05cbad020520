"""accord's domain: Word files, proposals, merge, decisions, brackets and provenance. Pure Python."""
