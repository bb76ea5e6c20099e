"""Collectors: offline snapshots (and, later, SSH and SNMP) into device snapshots."""
