"""
The processes `make bench` starts, and nothing else, stopped whatever ends
the run: its own end, a failed stage, SIGTERM (a time limit's, or `make`
passing one on) or SIGINT (Ctrl-C).

Every child starts in a process group of its own (gunicorn's workers join
their master's), so that stopping a child stops everything it started;
each is also sent SIGTERM by the kernel if the benchmark itself dies
without a chance to clean up (SIGKILL). What is left of a group after
SIGTERM and a grace period is killed.

Also: whether a port already answers, and the CPU time a process group has
used (from /proc), for the pages served per CPU-second.
"""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time

_started = []
PR_SET_PDEATHSIG = 1
GRACE_SECONDS = 10


class Interrupted(BaseException):
    """The run was asked to stop (SIGTERM or SIGINT). A BaseException, so
    that no stage's `except Exception` carries on past it."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


def stop_on_signals():
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _raise_interrupted)


def ignore_signals():
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)


def _die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(args, **kwargs):
    """subprocess.Popen in a process group of its own, stopped by stop_all()."""
    process = subprocess.Popen(args, start_new_session=True, preexec_fn=_die_with_parent, **kwargs)
    _started.append(process)
    return process


def run(args, check=True, capture_output=False, text=False, **kwargs):
    """subprocess.run through spawn(): stopped with the rest if the run is."""
    if capture_output:
        kwargs.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process = spawn(args, text=text, **kwargs)
    try:
        stdout, stderr = process.communicate()
    finally:
        finish(process)
    if check and process.returncode:
        raise subprocess.CalledProcessError(process.returncode, args, stdout, stderr)
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def finish(process):
    """Stop what is left of a process spawn() started (its group), and
    forget it."""
    if process.poll() is None or group_members(process.pid):
        stop_group(process.pid)
    _started.remove(process)


def group_members(pgid):
    """The ids of the live processes in process group `pgid`, from /proc."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(entry)
            # fields[0] is the state; a zombie has already stopped.
            if fields and int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry))
    return members


def _stat_fields(pid):
    """/proc/<pid>/stat after the command name (which may hold spaces):
    state, ppid, pgrp, session, ..., utime at [11], stime at [12]."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid):
    """User and system CPU seconds used so far by the live processes of a
    process group (gunicorn's master and workers)."""
    ticks = 0
    for pid in group_members(pgid):
        fields = _stat_fields(pid)
        if fields:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def stop_group(pgid, grace=GRACE_SECONDS):
    """SIGTERM to the whole group, then SIGKILL to what is left of it after
    `grace` seconds."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while group_members(pgid) and time.monotonic() < deadline:
        _reap()
        time.sleep(0.1)
    if group_members(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    _reap()


def _reap():
    for process in _started:
        process.poll()


def stop_all():
    """Stop every process group this run started, most recent first."""
    while _started:
        process = _started.pop()
        if process.poll() is None or group_members(process.pid):
            stop_group(process.pid)
        process.poll()


def port_answers(port, host="127.0.0.1"):
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, port)) == 0
