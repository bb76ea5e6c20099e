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
