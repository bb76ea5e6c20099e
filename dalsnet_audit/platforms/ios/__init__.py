"""Cisco IOS and IOS-XE."""
