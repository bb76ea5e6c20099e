"""One fix per device (`report.plan`): merged text, shown where a device has several fixes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.report.plan import device_plan
from dalsnet_audit.report.render import render_html, render_markdown

# Two fixes of fgl-01-fw01 in the reference audit (CRY-002 and SEG-007) share two lines.
CRY_002 = (
    "no http 0.0.0.0 0.0.0.0 outside\n"
    "! ASDM only from the jump host:\n"
    "http 10.40.10.5 255.255.255.255 mgmt\n"
)
SEG_007 = (
    "no http 0.0.0.0 0.0.0.0 outside\n"
    "http 10.41.240.0 255.255.240.0 mgmt\n"
    "http 10.40.10.5 255.255.255.255 mgmt\n"
)


def test_shared_lines_once_blocks_under_one_header_order_kept():
    assert device_plan([CRY_002, SEG_007]) == (
        "no http 0.0.0.0 0.0.0.0 outside\n! ASDM only from the jump host:\n"
        "http 10.40.10.5 255.255.255.255 mgmt\nhttp 10.41.240.0 255.255.240.0 mgmt\n"
    )
    merged = device_plan(
        [
            "interface Vlan20\n ip address 10.41.17.1 255.255.255.0\n",
            "interface Vlan20\n no shutdown\n",
        ]
    )
    assert merged == "interface Vlan20\n ip address 10.41.17.1 255.255.255.0\n no shutdown\n"
    assert device_plan([]) is None


def _with_plan(report: dict[str, Any]) -> dict[str, Any]:
    failing = [f for f in report["findings"] if f["device"] == "ben-01-rtr01"]
    assert failing
    failing[0].update(status="fail", remediation=CRY_002)
    extra = dict(failing[0], rule="SEG-007", family="SEG", remediation=SEG_007)
    report["findings"].append(extra)
    device = next(d for d in report["devices"] if d["name"] == "ben-01-rtr01")
    device["remediation_plan"] = device_plan([CRY_002, SEG_007])
    return report


def test_html_and_markdown_show_the_device_plan(report: dict[str, Any], templates_dir: Path):
    report = _with_plan(report)
    html = render_html(report, Catalogue.load(templates_dir, "en"))
    assert "All fixes of the device, in one" in html
    assert '<pre class="plan">no http 0.0.0.0 0.0.0.0 outside' in html
    md = render_markdown(report, Catalogue.load(templates_dir, "sv"))
    assert "**Enhetens alla åtgärder i ett**" in md
    assert "http 10.41.240.0 255.255.240.0 mgmt" in md


def test_a_removal_of_a_block_goes_before_the_block_another_fix_writes():
    acl = "ip access-list standard SNMP-MGMT\n permit host 10.40.10.5\n deny   any log\n"
    plan = device_plan(
        [acl + "snmp-server group G v3 priv\n", "no ip access-list standard SNMP-MGMT\n" + acl]
    )
    assert plan is not None
    assert plan.index("no ip access-list standard SNMP-MGMT") < plan.index(
        "ip access-list standard SNMP-MGMT\n permit"
    )
