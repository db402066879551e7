"""Adapters that run despin inside other systems (Spark)."""
