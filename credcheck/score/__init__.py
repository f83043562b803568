"""Stage 2, scoring: each claim against a rubric (engine, independence of lines, the trace behind `explain`)."""
