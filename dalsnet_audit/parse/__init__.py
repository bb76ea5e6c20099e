"""Parsers: raw device output into the vendor-neutral model."""
