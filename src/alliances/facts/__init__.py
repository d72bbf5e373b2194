"""Read the YAML with file:line, build immutable records, verify them against the articles,
cache them."""
