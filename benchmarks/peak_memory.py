"""A process's own peak memory. getrusage's ru_maxrss is no good for a process started by
another: Linux keeps the larger of it and the parent's resident size at fork, so a child of
a 1.3 GB benchmark driver reports 1.3 GB whatever it does. VmHWM counts from the exec."""

from __future__ import annotations


def own_peak_mb() -> float:
    """The high-water mark of this process's resident memory since its exec, in MB."""
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return kb / 1024
