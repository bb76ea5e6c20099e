"""What a reference Linux server's syslog daemon and clock show over SSH.

``cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf`` (Debian's layout: the main file with local
log files, a drop-in that forwards everything to the shared syslog servers) and systemd-
timesyncd's ``timedatectl show`` and ``timedatectl show-timesync --all``, as Debian 12 prints
them (compare tests/fixtures/real/linux).
"""

from __future__ import annotations

from dalsnet_audit.lab.refnet.model import Server
from dalsnet_audit.lab.refnet.plan import NTP, SYSLOG

_RSYSLOG_MAIN = """\
# /etc/rsyslog.conf configuration file for rsyslog
#
# For more information install rsyslog-doc and see
# /usr/share/doc/rsyslog-doc/html/configuration/index.html

module(load="imuxsock") # provides support for local system logging
module(load="imklog")   # provides kernel logging support

$FileOwner root
$FileGroup adm
$FileCreateMode 0640
$DirCreateMode 0755
$Umask 0022
$WorkDirectory /var/spool/rsyslog
$IncludeConfig /etc/rsyslog.d/*.conf

*.*;auth,authpriv.none		-/var/log/syslog
auth,authpriv.*			/var/log/auth.log
cron.*				-/var/log/cron.log
kern.*				-/var/log/kern.log
mail.*				-/var/log/mail.log
user.*				-/var/log/user.log
*.emerg				:omusrmsg:*
"""


def render_rsyslog(s: Server) -> str:
    """Return rsyslog's configuration files as ``cat`` prints them.

    Args:
        s: A Linux server (``syslog_hosts``: where it forwards, both shared servers unless
            planted otherwise).

    Returns:
        The command output.
    """
    hosts = SYSLOG if s.syslog_hosts is None else tuple(s.syslog_hosts)
    forwards = "".join(
        f'*.* action(type="omfwd" target="{host}" port="514" protocol="udp")\n' for host in hosts
    )
    return (
        _RSYSLOG_MAIN
        + "# /etc/rsyslog.d/90-dalslandsnatet.conf: the shared syslog servers\n"
        + forwards
    )


def render_timedatectl_show(s: Server) -> str:
    """Return ``timedatectl show`` (``ntp_synchronized`` False when planted)."""
    synced = "yes" if s.ntp_synchronized else "no"
    return (
        "Timezone=Europe/Stockholm\n"
        "LocalRTC=no\n"
        "CanNTP=yes\n"
        "NTP=yes\n"
        f"NTPSynchronized={synced}\n"
        "TimeUSec=Sat 2026-11-28 02:00:00 CET\n"
        "RTCTimeUSec=Sat 2026-11-28 02:00:00 CET\n"
    )


def render_show_timesync(s: Server) -> str:
    """Return ``timedatectl show-timesync --all`` (the shared NTP servers configured)."""
    servers = NTP if s.ntp_servers is None else tuple(s.ntp_servers)
    first = servers[0] if servers else ""
    return (
        "LinkNTPServers=\n"
        f"SystemNTPServers={' '.join(servers)}\n"
        "RuntimeNTPServers=\n"
        "FallbackNTPServers=0.debian.pool.ntp.org 1.debian.pool.ntp.org "
        "2.debian.pool.ntp.org 3.debian.pool.ntp.org\n"
        f"ServerName={first}\n"
        f"ServerAddress={first}\n"
        "RootDistanceMaxUSec=5s\n"
        "PollIntervalMinUSec=32s\n"
        "PollIntervalMaxUSec=34min 8s\n"
        "PollIntervalUSec=34min 8s\n"
        "Frequency=1375360\n"
    )
