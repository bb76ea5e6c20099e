"""The simulated Dalslandsnätet: reference network generator, SSH and SNMP lab devices."""
