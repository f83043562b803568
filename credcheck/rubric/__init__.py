"""Rubrics: the YAML files teams own (extends, conditions, lexicons), loaded, validated and frozen."""
