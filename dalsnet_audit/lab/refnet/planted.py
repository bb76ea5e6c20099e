"""The deliberate violations of the reference network, one small edit each.

Every edit is recorded as a :class:`Planted` (rule, device, offending lines, why), which becomes
``PLANTED.md`` and ``planted.yaml``. Findings that follow from a planted edit under a second
rule are recorded as *consequential*, so a test can tell an expected side effect from a false
positive.
"""

from __future__ import annotations

from dalsnet_audit.lab.refnet.antivirus import console_row
from dalsnet_audit.lab.refnet.fake_secrets import SecretBook
from dalsnet_audit.lab.refnet.model import (
    AsaDevice,
    ConsoleRow,
    Flow,
    IkeProposal,
    IosCrypto,
    IosDevice,
    Network,
    Planted,
    Port,
    Server,
)
from dalsnet_audit.lab.refnet.network import zone_group
from dalsnet_audit.lab.refnet.plan import MUNICIPALITIES, ZONE_BY_NAME


def _ios(net: Network, name: str) -> IosDevice:
    for d in net.ios:
        if d.name == name:
            return d
    raise KeyError(name)


def _asa(net: Network, name: str) -> AsaDevice:
    for a in net.asa:
        if a.name == name:
            return a
    raise KeyError(name)


def _acl(a: AsaDevice, name: str) -> list[str]:
    for acl, entries in a.acls:
        if acl == name:
            return entries
    raise KeyError(f"{a.name}: {name}")


def _server(net: Network, name: str) -> Server:
    for s in net.servers:
        if s.name == name:
            return s
    raise KeyError(name)


def _port(d: IosDevice, name: str) -> Port:
    for p in d.interfaces:
        if p.name == name:
            return p
    raise KeyError(f"{d.name}: {name}")


def _plant(net: Network, rule: str, device: str, lines: list[str], why: str) -> None:
    net.planted.append(Planted(rule, device, lines, why))


def _also(net: Network, rule: str, device: str, why: str, required: bool) -> None:
    net.consequential.append(Planted(rule, device, ["required" if required else "acceptable"], why))


def _ip_plan(net: Network) -> None:
    d = _ios(net, "fgl-01-rtr01")
    d.interfaces.insert(
        1, Port(name="Loopback10", address="192.168.50.1 255.255.255.0", physical=False)
    )
    _plant(
        net,
        "IP-001",
        "fgl-01-rtr01",
        ["interface Loopback10", " ip address 192.168.50.1 255.255.255.0"],
        "192.168.50.0/24 lies outside Dalslandsnätet (10.40.0.0/13); a leftover lab loopback.",
    )
    _also(
        net,
        "IP-002",
        "fgl-01-rtr01",
        "192.168.50.1 is also outside Färgelanda's 10.43.0.0/16.",
        False,
    )

    p = _port(_ios(net, "ded-01-rtr01"), "GigabitEthernet0/0/2")
    p.description, p.address, p.no_address, p.shutdown = (
        "Test mot Färgelanda",
        "10.43.95.1 255.255.255.0",
        False,
        False,
    )
    _plant(
        net,
        "IP-002",
        "ded-01-rtr01",
        [
            "interface GigabitEthernet0/0/2",
            " description Test mot Färgelanda",
            " ip address 10.43.95.1 255.255.255.0",
        ],
        "Dals-Ed (10.42.0.0/16) addresses an interface from Färgelanda's block 10.43.0.0/16.",
    )

    _port(_ios(net, "ben-02-sw01"), "Vlan20").address = "10.41.12.1 255.255.255.0"
    _plant(
        net,
        "IP-003",
        "ben-02-sw01",
        ["interface Vlan20", " vrf forwarding PED", " ip address 10.41.12.1 255.255.255.0"],
        "VLAN 20 (PED) is addressed from the ADM block 10.41.0.0/20 (site 12); "
        "plan: 10.41.18.0/24.",
    )

    _port(_ios(net, "aml-01-sw02"), "Vlan99").address = "10.45.241.11 255.255.255.0"
    _plant(
        net,
        "IP-004",
        "*",
        [
            "aml-01-sw01: interface Vlan99 / ip address 10.45.241.11 255.255.255.0",
            "aml-01-sw02: interface Vlan99 / ip address 10.45.241.11 255.255.255.0",
        ],
        "aml-01-sw02 uses aml-01-sw01's management address (should be 10.45.241.12).",
    )

    _port(_ios(net, "mel-02-sw01"), "Vlan20").address = "10.44.18.254 255.255.255.0"
    _plant(
        net,
        "IP-005",
        "mel-02-sw01",
        ["interface Vlan20", " vrf forwarding PED", " ip address 10.44.18.254 255.255.255.0"],
        "The PED gateway of Mellerud site 2 is .254, not the first usable address 10.44.18.1.",
    )

    d = _ios(net, "ben-01-sw02")
    d.interfaces = [p for p in d.interfaces if p.name != "Vlan99"]
    d.interfaces.append(
        Port(name="Vlan10", description="ADM", address="10.41.1.12 255.255.255.0", physical=False)
    )
    d.mgmt_intf, d.default_gateway = "Vlan10", "10.41.1.1"
    _plant(
        net,
        "IP-006",
        "ben-01-sw02",
        [
            "interface Vlan10",
            " ip address 10.41.1.12 255.255.255.0",
            "ip default-gateway 10.41.1.1",
            "logging source-interface Vlan10",
            "ntp source Vlan10",
        ],
        "Managed from the ADM network (10.41.1.12) instead of MGMT 10.41.241.12; no Vlan99.",
    )
    _also(
        net,
        "IP-005",
        "ben-01-sw02",
        "Should not fire: Vlan10 on an L2 switch (no ip routing) is a management address, "
        "not a gateway; a rule that does not check ip routing may still flag it.",
        False,
    )


def _segmentation(net: Network) -> None:
    d = _ios(net, "ded-02-sw02")
    d.vlans = [(v, "ELEVNAT" if v == 20 else n) for v, n in d.vlans]
    _plant(
        net, "SEG-001", "ded-02-sw02", ["vlan 20", " name ELEVNAT"], "VLAN 20 must be named PED."
    )

    d = _ios(net, "fgl-02-sw01")
    for name in ("Vlan10", "Vlan20"):
        _port(d, name).vrf = None
    _plant(
        net,
        "SEG-002",
        "fgl-02-sw01",
        [
            "interface Vlan10",
            " ip address 10.43.2.1 255.255.255.0",
            "interface Vlan20",
            " ip address 10.43.18.1 255.255.255.0",
        ],
        "ADM and PED SVIs both route in the global table with no ip access-group: "
        "adm <-> ped open.",
    )

    _port(_ios(net, "mel-01-sw01"), "GigabitEthernet1/0/5").voice_vlan = 20
    _plant(
        net,
        "SEG-003",
        "mel-01-sw01",
        [
            "interface GigabitEthernet1/0/5",
            " switchport access vlan 10",
            " switchport voice vlan 20",
        ],
        "One access port carries both ADM (data) and PED (as voice VLAN).",
    )

    p = _port(_ios(net, "aml-02-sw02"), "TenGigabitEthernet1/0/1")
    p.trunk_allowed, p.trunk_native = None, None
    _plant(
        net,
        "SEG-004",
        "aml-02-sw02",
        [
            "interface TenGigabitEthernet1/0/1",
            " description Upplank aml-02-sw01",
            " switchport mode trunk",
        ],
        "Trunk allows all VLANs and keeps the default native VLAN 1 "
        "(plan: native 999, explicit allowed list).",
    )

    p = _port(_ios(net, "ben-01-sw01"), "GigabitEthernet1/0/40")
    p.description, p.access_vlan, p.shutdown, p.status = None, 10, False, "notconnect"
    _plant(
        net,
        "SEG-005",
        "ben-01-sw01",
        [
            "interface GigabitEthernet1/0/40",
            " switchport access vlan 10",
            " switchport mode access",
        ],
        "Unused port (no description, notconnect) left up in ADM instead of shut down in VLAN 999.",
    )

    ace = (
        f"extended permit tcp object-group {zone_group('PED')} "
        f"object-group {zone_group('ADM')} eq 445"
    )
    _acl(_asa(net, "mel-01-fw01"), "ACL-PED-IN").insert(1, ace)
    _plant(
        net,
        "SEG-006",
        "mel-01-fw01",
        [f"access-list ACL-PED-IN {ace}", "access-group ACL-PED-IN in interface ped"],
        "The ped ACL permits SMB (tcp 445) from the educational network to the administrative "
        "network before its deny: ped -> adm, which the zone matrix forbids.",
    )

    _acl(_asa(net, "fgl-01-fw01"), "ACL-GAST-IN").insert(0, "extended permit ip any any")
    _plant(
        net,
        "SEG-006",
        "fgl-01-fw01",
        [
            "access-list ACL-GAST-IN extended permit ip any any",
            "access-group ACL-GAST-IN in interface gast",
        ],
        "First line of the guest ACL permits any -> any: guests reach every zone, the shared "
        "services and the rest of Dalslandsnätet.",
    )

    _ios(net, "ded-01-sw01").vty[1].access_class = None
    _plant(
        net,
        "SEG-007",
        "ded-01-sw01",
        ["line vty 5 15", " exec-timeout 10 0", " transport input ssh"],
        "vty 5-15 has no access-class: SSH is open from every zone.",
    )

    adm = ZONE_BY_NAME["ADM"].net(42, 1)
    _asa(net, "ded-01-fw01").ssh_extra.append((adm, "255.255.255.0", "adm"))
    _plant(
        net,
        "SEG-007",
        "ded-01-fw01",
        [f"ssh {adm} 255.255.255.0 adm"],
        "SSH to the firewall is open to the administrative network (adm), not only to the mgmt "
        "zone and the jump host.",
    )


def _crypto(net: Network, book: SecretBook) -> None:
    _ios(net, "aml-01-sw01").vty[1].transport = "telnet ssh"
    _plant(
        net,
        "CRY-001",
        "aml-01-sw01",
        ["line vty 5 15", " transport input telnet ssh"],
        "Telnet accepted.",
    )

    mgmt = ZONE_BY_NAME["MGMT"].net(43, 1)
    _asa(net, "fgl-01-fw01").telnet.append((mgmt, "255.255.255.0", "mgmt"))
    _plant(
        net,
        "CRY-001",
        "fgl-01-fw01",
        [f"telnet {mgmt} 255.255.255.0 mgmt"],
        "Telnet to the firewall accepted (from the mgmt network of site 1); the same firewall "
        "has the any -> any guest rule and ASDM open to the Internet.",
    )

    _ios(net, "ded-02-sw01").http_server = True
    _plant(
        net, "CRY-002", "ded-02-sw01", ["ip http server"], "Plain-HTTP management server enabled."
    )
    _also(net, "SEG-007", "ded-02-sw01", "The HTTP server has no ip http access-class.", False)

    _asa(net, "fgl-01-fw01").http_extra.append(("0.0.0.0", "0.0.0.0", "outside"))
    _plant(
        net,
        "CRY-002",
        "fgl-01-fw01",
        ["http server enable", "http 0.0.0.0 0.0.0.0 outside"],
        "ASDM (the HTTPS management server) is reachable from the whole Internet.",
    )
    _also(
        net,
        "SEG-007",
        "fgl-01-fw01",
        "ASDM on the outside interface from 0.0.0.0/0 is management access open to every "
        "network, not only the mgmt zone and the jump host.",
        True,
    )

    _ios(net, "fgl-02-sw02").snmp_communities = ["private RW"]
    net.unlisted_secrets.append("private")
    _plant(
        net,
        "CRY-003",
        "fgl-02-sw02",
        ["snmp-server community private RW"],
        "SNMPv2c write community, a default one, without ACL.",
    )
    _also(net, "SEG-007", "fgl-02-sw02", "SNMP community without ACL is open to every zone.", True)
    _ios(net, "mel-02-sw02").snmp_communities = [f"{book.remember('N0rdV4st-mel')} RO"]
    _plant(
        net,
        "CRY-003",
        "mel-02-sw02",
        ["snmp-server community N0rdV4st-mel RO"],
        "SNMPv2c community without an access list.",
    )
    _also(net, "SEG-007", "mel-02-sw02", "SNMP community without ACL is open to every zone.", True)

    md5 = book.remember("$1$dalW$weakMD5hashBEN02xx1A2b")
    d = _ios(net, "ben-02-sw02")
    book.forget(d.enable_secret.split(" ", 1)[1])
    d.enable_secret = f"5 {md5}"
    _plant(net, "CRY-004", "ben-02-sw02", [f"enable secret 5 {md5}"], "MD5 (type 5) enable secret.")
    d = _ios(net, "aml-02-sw02")
    d.service_password_encryption = False
    d.usernames.append(f"tekniker privilege 15 password 0 {book.remember('Sommar2007!')}")
    _plant(
        net,
        "CRY-004",
        "aml-02-sw02",
        ["no service password-encryption", "username tekniker privilege 15 password 0 Sommar2007!"],
        "A local account with a clear-text password, and password encryption switched off.",
    )
    _also(
        net,
        "AAA-002",
        "aml-02-sw02",
        "Two local accounts; 'tekniker' uses password, not secret.",
        True,
    )

    legacy = book.remember("3USUcOPFUiMCO4Jk")
    _asa(net, "dal-core-fw01").extra_users.append(f"drift password {legacy} encrypted privilege 15")
    _plant(
        net,
        "CRY-004",
        "dal-core-fw01",
        [f"username drift password {legacy} encrypted privilege 15"],
        "A local account with the legacy MD5-based ASA hash ('encrypted'), not PBKDF2.",
    )
    _also(
        net,
        "AAA-002",
        "dal-core-fw01",
        "Two local accounts (admin and drift); only one break-glass account is allowed.",
        True,
    )

    tunnel = _port(_ios(net, "ded-01-rtr01"), "Tunnel40")
    tunnel.extra = [
        x for x in tunnel.extra if not x.startswith(("tunnel protection", "tunnel mode"))
    ]
    _plant(
        net,
        "CRY-005",
        "ded-01-rtr01",
        [
            "interface Tunnel40",
            f" description {tunnel.description}",
            " vrf forwarding SEK",
            f" ip address {tunnel.address}",
            *(f" {x}" for x in tunnel.extra),
        ],
        "The SEK tunnel to the core lost its tunnel protection (and IPsec tunnel mode): plain "
        "GRE, so sek traffic leaves Dals-Ed unencrypted.",
    )

    _ios(net, "dal-core-rtr02").crypto = IosCrypto(
        proposals=[IkeProposal("DAL-LEGACY", "3des", "sha1", None, "2")],
        policies=[("DAL-LEGACY-POL", ["DAL-LEGACY"])],
        transform_sets=[("DAL-LEGACY-TS", "esp-3des esp-sha-hmac")],
    )
    _plant(
        net,
        "CRY-006",
        "dal-core-rtr02",
        [
            "crypto ikev2 proposal DAL-LEGACY",
            " encryption 3des",
            " integrity sha1",
            " group 2",
            "crypto ikev2 policy DAL-LEGACY-POL",
            " proposal DAL-LEGACY",
            "crypto ipsec transform-set DAL-LEGACY-TS esp-3des esp-sha-hmac",
        ],
        "Leftover IKEv2 proposal and transform set with 3DES, SHA-1 and DH group 2.",
    )

    policy = [
        "crypto ikev1 policy 10",
        " authentication pre-share",
        " encryption 3des",
        " hash sha",
        " group 2",
        " lifetime 86400",
    ]
    _asa(net, "dal-core-fw01").ikev1_policies.append(policy)
    _plant(
        net,
        "CRY-006",
        "dal-core-fw01",
        policy,
        "Leftover IKEv1 policy with 3DES, SHA-1 and DH group 2.",
    )

    d = _ios(net, "fgl-01-sw02")
    d.ssh_encryption, d.ssh_mac, d.ssh_key_bits = "aes128-cbc 3des-cbc", "hmac-sha1", 1024
    _plant(
        net,
        "CRY-007",
        "fgl-01-sw02",
        [
            "ip ssh server algorithm mac hmac-sha1",
            "ip ssh server algorithm encryption aes128-cbc 3des-cbc",
            "show ip ssh: 1024-bit RSA host key",
        ],
        "SSH offers CBC ciphers, 3DES and HMAC-SHA1, with a 1024-bit RSA host key.",
    )

    a = _asa(net, "ded-01-fw01")
    a.ssh_encryption, a.ssh_kex = "all", "dh-group1-sha1"
    _plant(
        net,
        "CRY-007",
        "ded-01-fw01",
        ["ssh cipher encryption all", "ssh key-exchange group dh-group1-sha1"],
        "SSH offers every cipher the ASA knows (CBC included) and Diffie-Hellman group 1 "
        "(1024-bit) with SHA-1 key exchange.",
    )


def _antivirus(net: Network) -> None:
    s = _server(net, "ded-01-srv01")
    s.antivirus, s.in_console = False, False
    _plant(
        net,
        "AV-001",
        "ded-01-srv01",
        [
            "snmp/ded-01-srv01.snmprec: no Microsoft Defender in hrSWInstalledName",
            "snmp/ded-01-srv01.snmprec: no MsMpEng.exe (nor NisSrv.exe) in hrSWRunName",
            "av/console.csv: no row for ded-01-srv01",
        ],
        "Windows server with no antivirus product at all: none installed, none running, "
        "unknown to the console.",
    )
    _also(
        net,
        "AV-004",
        "ded-01-srv01",
        "In the inventory but unknown to the antivirus console (coverage drift).",
        True,
    )
    _also(
        net,
        "AV-003",
        "ded-01-srv01",
        "With no product there is no signature date; a rule may also report the unknown age.",
        False,
    )

    _server(net, "fgl-01-srv02").engine_running = False
    _plant(
        net,
        "AV-002",
        "fgl-01-srv02",
        [
            "show/fgl-01-srv02/systemctl_is_active_clamav_daemon.txt: inactive",
            "snmp/fgl-01-srv02.snmprec: clamav packages in hrSWInstalledName, "
            "no clamd in hrSWRunName (freshclam runs)",
        ],
        "ClamAV is installed and freshclam keeps the signatures fresh, but clamd is stopped.",
    )

    s = _server(net, "mel-01-srv01")
    s.signatures_built = "2026-11-19 03:12"
    _plant(
        net,
        "AV-003",
        "mel-01-srv01",
        ["av/console.csv: " + ";".join(console_row(s).cells)],
        "Defender signatures dated 2026-11-19: 7 days old at 2026-11-26 (limit 3 days).",
    )

    s = _server(net, "aml-01-srv02")
    s.signatures_built = "2026-11-18 07:54"
    _plant(
        net,
        "AV-003",
        "aml-01-srv02",
        [
            "sigtool --info /var/lib/clamav/daily.cld: Build time: 18 Nov 2026 07:54 +0000",
            "av/console.csv: " + ";".join(console_row(s).cells),
        ],
        "ClamAV daily.cld built 2026-11-18: 8 days old; clamd and freshclam run, "
        "but freshclam no longer gets updates.",
    )

    gone = ConsoleRow(
        ("amal-srv-gammal01", "Microsoft Defender Antivirus", "2025-03-14", "1.1.25010.7")
    )
    net.console_extra.append(gone)
    _plant(
        net,
        "AV-004",
        "*",
        ["av/console.csv: " + ";".join(gone.cells)],
        "The console still lists amal-srv-gammal01, a decommissioned server that is not in "
        "the inventory.",
    )
    _also(
        net,
        "AV-003",
        "amal-srv-gammal01",
        "Console-only host with signatures from 2025-03-14; not an inventory server, so a rule "
        "need not judge its age.",
        False,
    )

    _server(net, "ben-01-srv02").in_console = False
    _plant(
        net,
        "AV-004",
        "ben-01-srv02",
        ["av/console.csv: no row for ben-01-srv02"],
        "ClamAV installed, running and up to date (sigtool), but the host is not enrolled in the "
        "antivirus console.",
    )

    net.console_extra.append(
        ConsoleRow(("ded-99-srv01", "ESET Server Security"), bad="2 of 4 columns")
    )
    _also(
        net,
        "AV-004",
        "ded-99-srv01",
        "Malformed console row (2 of 4 columns) for a host not in the inventory: it must be "
        "reported as unreadable; a parser that still reads the host name may report drift.",
        False,
    )


def _governance(net: Network) -> None:
    for h in net.hosts:
        if h.name == "mel-01-srv02":
            del h.data["service_agreement"]
    _plant(
        net,
        "STD-004",
        "mel-01-srv02",
        ["inventory/hosts.yaml: data.service_agreement missing"],
        "No service agreement (driftavtal) recorded for the server.",
    )


def _traceability(net: Network) -> None:
    d = _ios(net, "ded-01-rtr01")
    d.syslog_hosts = ["10.40.10.10"]
    _plant(
        net,
        "LOG-001",
        "ded-01-rtr01",
        ["logging host 10.40.10.10"],
        "Logs go only to the first shared syslog server; 10.40.10.11 is missing.",
    )
    d = _ios(net, "fgl-01-rtr01")
    d.timestamps_log = "uptime"
    _plant(
        net,
        "LOG-002",
        "fgl-01-rtr01",
        ["service timestamps log uptime"],
        "Log messages are stamped with the uptime, not date and time with milliseconds.",
    )
    d = _ios(net, "mel-02-sw02")
    d.command_accounting = False
    _plant(
        net,
        "LOG-003",
        "mel-02-sw02",
        ["aaa accounting exec default start-stop group DAL-TACACS"],
        "Sessions are accounted, but commands are not: no aaa accounting commands 15.",
    )
    d = _ios(net, "fgl-02-sw02")
    d.login_logging = False
    _plant(
        net,
        "LOG-004",
        "fgl-02-sw02",
        ["login block-for 120 attempts 3 within 60"],
        "Neither successful nor failed logins are logged (no login on-success/on-failure log).",
    )
    _server(net, "fgl-01-srv02").syslog_hosts = ["10.40.10.10"]
    _plant(
        net,
        "LOG-001",
        "fgl-01-srv02",
        ['*.* action(type="omfwd" target="10.40.10.10" port="514" protocol="udp")'],
        "rsyslog forwards only to the first shared syslog server; 10.40.10.11 gets nothing.",
    )
    _server(net, "aml-01-srv02").ntp_synchronized = False
    _plant(
        net,
        "LOG-002",
        "aml-01-srv02",
        ["NTPSynchronized=no"],
        "timesyncd is set to both shared NTP servers, but the clock is not synchronised.",
    )


def _access(net: Network) -> None:
    d = _ios(net, "ded-02-sw02")
    d.login_list = "local group DAL-TACACS"
    _plant(
        net,
        "AAA-001",
        "ded-02-sw02",
        ["aaa authentication login default local group DAL-TACACS"],
        "Logins are checked against the local accounts before the common identity system.",
    )
    d = _ios(net, "ben-02-sw02")
    name, _, rest = d.usernames[0].partition(" ")
    d.usernames.append(f"drift {rest}")
    _plant(
        net,
        "AAA-002",
        "ben-02-sw02",
        [f"username {name} ...", "username drift ..."],
        "A second local account (drift) beside the break-glass account.",
    )
    for device, kind in (("aml-02-sw02", "clear-text"), ("dal-core-fw01", "MD5-hashed")):
        _also(
            net,
            "AAA-002",
            device,
            f"The planted {kind} account (CRY-004) is a second local account.",
            True,
        )
    d = _ios(net, "dal-core-rtr02")
    d.login_list = "group DAL-TACACS local"
    _plant(
        net,
        "AAA-003",
        "dal-core-rtr02",
        ["aaa authentication login default group DAL-TACACS local"],
        "A sensitive core router takes logins with a password only (TACACS+), not the MFA server.",
    )
    _also(
        net,
        "AAA-001",
        "dal-core-rtr02",
        "A sensitive device's login list must start with the MFA server group (rules.md).",
        True,
    )
    d = _ios(net, "ded-01-sw01")
    d.vty_exec_timeout = "0 0"
    _plant(
        net,
        "AAA-004",
        "ded-01-sw01",
        ["line vty 0 4", " exec-timeout 0 0"],
        "Idle SSH sessions never time out (exec-timeout 0 0).",
    )
    _asa(net, "ded-01-fw01").banner = False
    _plant(
        net,
        "AAA-005",
        "ded-01-fw01",
        ["(no banner login)"],
        "The firewall shows no authorised-use banner before login.",
    )


def _standard(net: Network) -> None:
    _server(net, "aml-01-srv02").release = "ubuntu-20.04"
    _plant(
        net,
        "STD-001",
        "aml-01-srv02",
        ['PRETTY_NAME="Ubuntu 20.04.6 LTS"'],
        "The server runs Ubuntu 20.04, which is not on the standard's list for servers.",
    )
    _also(
        net,
        "STD-002",
        "aml-01-srv02",
        "No minimum or end of support to judge a model outside the standard by (error).",
        False,
    )
    _server(net, "fgl-01-srv02").release = "debian-11"
    _plant(
        net,
        "STD-002",
        "fgl-01-srv02",
        ['PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"'],
        "Debian 11 is a legacy release of the standard, past its end of support (2026-08-31).",
    )
    _ios(net, "ded-02-sw02").os_version = "15.2(4)E10"
    _plant(
        net,
        "STD-002",
        "ded-02-sw02",
        ["Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(4)E10"],
        "IOS 15.2(4)E10 is below the standard's minimum 15.2(7)E for the Catalyst 2960-X.",
    )
    _ios(net, "mel-02-sw02").hostname = "mel-02-sw2"
    _plant(
        net,
        "STD-003",
        "mel-02-sw02",
        ["hostname mel-02-sw2"],
        "The configuration calls the switch mel-02-sw2: it does not follow the convention and "
        "disagrees with the inventory's mel-02-sw02.",
    )


def _connectivity(net: Network) -> None:
    _asa(net, "dal-core-fw01").vpn_auth_group = "DAL-TACACS"
    _plant(
        net,
        "NET-002",
        "dal-core-fw01",
        ["tunnel-group DAL-FJARR general-attributes", " authentication-server-group DAL-TACACS"],
        "The shared remote-access VPN checks logins against TACACS+ (a password only), not "
        "the MFA server.",
    )


INTERNET_HOST = "203.0.113.10"


def _flows(net: Network) -> None:
    """Record the acceptance flows of every firewall, with the verdict its ACLs give."""
    for m in MUNICIPALITIES:
        o, fw = m.octet2, f"{m.short}-01-fw01"

        def host(zone: str, last: int = 10, octet2: int = o) -> str:
            return ZONE_BY_NAME[zone].host(octet2, 1, last)

        ped_adm = fw == "mel-01-fw01"
        gast_any = fw == "fgl-01-fw01"
        net.flows += [
            Flow(
                fw,
                "ped",
                host("PED"),
                host("ADM"),
                "tcp",
                445,
                "permit" if ped_adm else "deny",
                ped_adm,
            ),
            Flow(fw, "ped", host("PED"), host("SRV"), "tcp", 443, "permit"),
            Flow(fw, "ped", host("PED"), host("SRV"), "tcp", 22, "deny"),
            Flow(fw, "adm", host("ADM"), host("SRV"), "tcp", 445, "permit"),
            Flow(
                fw,
                "gast",
                host("GAST"),
                host("ADM"),
                "tcp",
                445,
                "permit" if gast_any else "deny",
                gast_any,
            ),
            Flow(fw, "tel", host("TEL"), host("SRV"), "udp", 5060, "permit"),
        ]
    core = "dal-core-fw01"
    net.flows += [
        Flow(core, "inside", "10.41.1.10", INTERNET_HOST, "tcp", 443, "permit"),
        Flow(core, "inside", "10.41.17.10", "10.42.1.10", "tcp", 445, "deny"),
        Flow(core, "outside", INTERNET_HOST, "10.40.10.53", "udp", 53, "deny"),
        Flow(core, "outside", INTERNET_HOST, "10.41.81.10", "tcp", 443, "deny"),
    ]


def plant_violations(net: Network, book: SecretBook) -> None:
    """Apply every deliberate violation to a compliant baseline, in catalogue order.

    Args:
        net: The baseline network; edited in place.
        book: Fake secrets (planted secrets are recorded in it).
    """
    _ip_plan(net)
    _segmentation(net)
    _crypto(net, book)
    _antivirus(net)
    _governance(net)
    _traceability(net)
    _access(net)
    _standard(net)
    _connectivity(net)
    _flows(net)
