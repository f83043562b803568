"""Stage 2, scoring: each claim against a rubric (engine, independence, one module per criterion), explained."""
