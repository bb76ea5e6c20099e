"""The drivers' merge: what a device stores, and shows, after a fix is pasted."""

from __future__ import annotations

from pathlib import Path

import pytest

from dalsnet_audit.model.enums import Platform
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.platforms import DRIVERS
from dalsnet_audit.platforms.ios.parse import parse_show_ip_ssh
from dalsnet_audit.platforms.merge import FixNotApplicable

ROOT = Path(__file__).resolve().parents[2]
# A 1024-bit host key, as the reference snapshot's fgl-01-sw02 shows it (a planted violation).
IOS_SSH = (ROOT / "snapshots/reference/show/fgl-01-sw02/show_ip_ssh.txt").read_text()


def test_a_generated_key_is_shown_not_stored():
    raw = RawDevice(config="hostname sw\nend\n", shows={"show_ip_ssh": IOS_SSH})
    assert parse_show_ip_ssh(IOS_SSH).host_key_bits == 1024
    fixed = DRIVERS.get(Platform.IOS).apply_fix(
        raw, "crypto key generate rsa modulus 4096 label sw\nip ssh rsa keypair-name sw\n"
    )
    assert "crypto key" not in fixed.config
    assert "ip ssh rsa keypair-name sw" in fixed.config
    assert parse_show_ip_ssh(fixed.shows["show_ip_ssh"]).host_key_bits == 4096


def test_asa_key_size_follows_the_generated_key():
    shows = {
        "show_crypto_key_mypubkey_rsa": "Key name: <Default-RSA-Key>\n Modulus Size (bits): 1024\n"
    }
    raw = RawDevice(config="hostname fw\n: end\n", shows=shows)
    fixed = DRIVERS.get(Platform.ASA).apply_fix(raw, "crypto key generate rsa modulus 2048\n")
    assert "Modulus Size (bits): 2048" in fixed.shows["show_crypto_key_mypubkey_rsa"]
    assert "crypto key" not in fixed.config


def test_asa_esp_encryption_and_integrity_are_two_settings():
    config = (
        "hostname fw\ncrypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes\n: end\n"
    )
    fix = (
        "crypto ipsec ikev2 ipsec-proposal P\n"
        " protocol esp encryption aes-gcm-256\n"
        " protocol esp integrity null\n"
    )
    fixed = DRIVERS.get(Platform.ASA).apply_fix(RawDevice(config=config), fix).config
    assert " protocol esp encryption aes-gcm-256" in fixed
    assert " protocol esp integrity null" in fixed
    assert " protocol esp encryption aes\n" not in fixed


def test_what_a_person_must_choose_is_refused_until_typed():
    raw = RawDevice(config="hostname fw\n: end\n")
    driver = DRIVERS.get(Platform.ASA)
    for fix in (
        "crypto map M 11 set peer <peer: IPsec gateway of Åmål>\n",
        "interface Vlan99\n ip address <free address in 10.41.241.0/24> 255.255.255.0\n",
        "interface Vlan99\n ip address <address in 10.41.240.0/20>\n",
    ):
        with pytest.raises(FixNotApplicable):
            driver.apply_fix(raw, fix)
    # A new secret is typed in clear and stored hashed: no placeholder is left.
    typed = driver.apply_fix(raw, "enable password <new secret>\n").config
    assert "<" not in typed


def test_ios_sub_commands_replace_only_their_own_setting():
    config = (
        "hostname sw\ninterface Vlan20\n ip address 10.41.17.1 255.255.255.0\n"
        " ip address 10.41.18.1 255.255.255.0 secondary\n ip access-group PED-IN in\n"
        " ip helper-address 10.40.10.7\n!\ninterface Gi1/0/1\n switchport mode trunk\n"
        " switchport trunk allowed vlan 10,20\n switchport trunk allowed vlan add 30\n"
        " authentication host-mode multi-auth\n authentication port-control auto\nend\n"
    )
    fix = (
        "interface Vlan20\n ip address 10.41.17.2 255.255.255.0\n ip access-group PED-OUT out\n"
        " ip helper-address 10.40.10.8\ninterface Gi1/0/1\n switchport trunk allowed vlan 10\n"
        " authentication periodic\n"
    )
    merged = DRIVERS.get(Platform.IOS).apply_fix(RawDevice(config=config), fix).config
    assert " ip address 10.41.17.2 255.255.255.0" in merged
    assert " ip address 10.41.17.1 255.255.255.0\n" not in merged
    assert " ip address 10.41.18.1 255.255.255.0 secondary" in merged
    assert " ip access-group PED-IN in" in merged and " ip access-group PED-OUT out" in merged
    assert " ip helper-address 10.40.10.7" in merged and " ip helper-address 10.40.10.8" in merged
    assert " switchport trunk allowed vlan 10\n" in merged
    assert "allowed vlan 10,20" not in merged and "allowed vlan add 30" not in merged
    assert " authentication port-control auto" in merged and " authentication periodic" in merged


def test_asa_ip_address_with_standby_is_one_setting():
    config = (
        "hostname fw\ninterface Gi1/1\n ip address 10.0.0.1 255.255.255.0 standby 10.0.0.2\n: end\n"
    )
    fix = "interface Gi1/1\n ip address 10.0.1.1 255.255.255.0\n"
    merged = DRIVERS.get(Platform.ASA).apply_fix(RawDevice(config=config), fix).config
    assert merged.count(" ip address ") == 1
