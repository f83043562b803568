"""Hostile and broken input: credcheck must be scored or refused, never crash, hang or leak."""
