"""Stage 1, loading: bytes of a claims or sources file -> validated Claim and Source values, every problem located."""
