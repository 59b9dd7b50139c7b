"""Whether a process still exists: how a lock or a run left behind tells "killed" from "busy"."""

from __future__ import annotations

import os
import socket

HOST = socket.gethostname()[:255]  # PIDs mean something only on the host that issued them


def is_running(pid: int) -> bool:
    """True while a process with this PID exists on this host (PIDs get reused, eventually)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by somebody else
        return True
    return True
