"""Cisco ASA."""
