"""Collectors: raw outputs of hosts, from a snapshot directory or live over SSH and SNMP."""
